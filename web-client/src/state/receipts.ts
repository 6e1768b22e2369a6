import type { ImClient } from '@imw/shared/sdk';
import { Store } from './store';

/** What one other user of a conversation lets this user see (R-RCP-*). */
export interface Seen {
  readonly delivered: number;
  readonly read: number;
}

export interface ReceiptState {
  /** Server conversation id → user → positions. */
  readonly receipts: ReadonlyMap<string, ReadonlyMap<number, Seen>>;
  /** Server conversation id → who is typing there now (R-TYP-*). */
  readonly typing: ReadonlyMap<string, readonly number[]>;
}

const NO_ONE: ReadonlyMap<number, Seen> = new Map();
const NOBODY: readonly number[] = [];

/**
 * Receipts and typing for the open conversations: the list the server answers when one opens,
 * then the live `chat.receipt` events; typing from the SDK's own tracker (which drops a typist
 * after a few seconds without a refresh).
 */
export class ReceiptStore extends Store<ReceiptState> {
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly client: ImClient) {
    super({ receipts: new Map(), typing: new Map() });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.client.on('chat.receipt', (r) => this.apply(r.conv, r.userId, r.delivered, r.read ?? 0)),
      this.client.on('typing', (t) =>
        this.update((s) => {
          const typing = new Map(s.typing);
          if (t.userIds.length) typing.set(t.conv, t.userIds);
          else typing.delete(t.conv);
          return { ...s, typing };
        }),
      ),
    ];
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** Asks the server for a conversation's receipts (when it opens). */
  async load(conv: string): Promise<void> {
    try {
      const { receipts } = await this.client.receipts.list(conv);
      for (const r of receipts) this.apply(conv, r.userId, r.delivered, r.read ?? 0);
    } catch (e) {
      console.warn('could not load receipts', e);
    }
  }

  of(state: ReceiptState, conv: string): ReadonlyMap<number, Seen> {
    return state.receipts.get(conv) ?? NO_ONE;
  }

  typersOf(state: ReceiptState, conv: string): readonly number[] {
    return state.typing.get(conv) ?? NOBODY;
  }

  private apply(conv: string, userId: number, delivered: number, read: number): void {
    this.update((s) => {
      const users = new Map(s.receipts.get(conv) ?? NO_ONE);
      const cur = users.get(userId) ?? { delivered: 0, read: 0 };
      const next = { delivered: Math.max(cur.delivered, delivered, read), read: Math.max(cur.read, read) };
      if (next.delivered === cur.delivered && next.read === cur.read) return s;
      users.set(userId, next);
      const receipts = new Map(s.receipts);
      receipts.set(conv, users);
      return { ...s, receipts };
    });
  }
}

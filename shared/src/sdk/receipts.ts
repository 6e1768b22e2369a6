import type { EventBody, ParamsIn, RequestName, Result } from '../protocol/packets';
import { TYPING_REFRESH_MS, TYPING_TIMEOUT_MS } from '../protocol/packets/receipts';
import type { ChatMessage } from './chat-sync';

export type ReceiptEvents = {
  /** Who is typing in a conversation now (empty: nobody); emitted on every change (R-TYP-3). */
  typing: { conv: string; userIds: number[] };
};

/** What receipts and typing need from the client. */
export interface ReceiptsPort {
  request<K extends RequestName>(name: K, params: ParamsIn<K>): Promise<Result<K>>;
  /** True while requests may go out (a session, not re-keying a reconnect). */
  online(): boolean;
  onEvent<K extends 'chat.typing'>(name: K, fn: (body: EventBody<K>) => void): void;
  onMessage(fn: (m: ChatMessage) => void): void;
  emit<K extends keyof ReceiptEvents>(name: K, value: ReceiptEvents[K]): void;
}

export interface ReceiptsOptions {
  /** Tell the server when this device got a direct message (R-RCP-1; default true). */
  autoDelivered?: boolean;
  /** Delivered receipts of one burst of messages share one request per conversation (default 150 ms). */
  deliveredDelayMs?: number;
  /** With no input for this long, the SDK says the user stopped typing (default 4000 ms). */
  typingIdleMs?: number;
}

/**
 * Receipts and typing on the client (R-RCP-*, R-TYP-*): delivered receipts sent by the SDK itself,
 * the receipts of a conversation on demand, the typing state of the user (refreshed while input
 * continues, stopped after a pause) and of others (dropped after TYPING_TIMEOUT_MS without a
 * refresh, and when their message arrives).
 */
export class ReceiptsApi {
  private readonly pendingDelivered = new Map<string, number>();
  private deliveredTimer: ReturnType<typeof setTimeout> | null = null;
  /** Own typing per conversation: when `active: true` was last sent, and the idle timer. */
  private readonly mine = new Map<string, { sentAtMs: number; idle: ReturnType<typeof setTimeout> }>();
  /** Others typing: conversation → user → expiry timer. */
  private readonly others = new Map<string, Map<number, ReturnType<typeof setTimeout>>>();

  constructor(
    private readonly port: ReceiptsPort,
    private readonly opts: ReceiptsOptions = {},
  ) {
    port.onMessage((m) => {
      if (m.from !== null) this.setTyping(m.conv, m.from, false);
      if (!m.own && m.conv.startsWith('d:') && (opts.autoDelivered ?? true))
        this.queueDelivered(m.conv, m.seq);
    });
    port.onEvent('chat.typing', (t) => this.setTyping(t.conv, t.from, t.active));
  }

  /** R-RCP-5: what the others of the conversation let this user see. */
  list(conv: string): Promise<Result<'chat.receipts'>> {
    return this.port.request('chat.receipts', { conv });
  }

  /** R-RCP-1: tells the server this device has the conversation's messages up to `seq`. */
  markDelivered(conv: string, seq: number): Promise<Result<'chat.delivered'>> {
    return this.port.request('chat.delivered', { conv, seq });
  }

  /** Who is typing in the conversation now. */
  typers(conv: string): number[] {
    return [...(this.others.get(conv)?.keys() ?? [])];
  }

  /**
   * R-TYP-1: call on every input in the composer. Sends `active: true` at most every
   * TYPING_REFRESH_MS, and `active: false` after `typingIdleMs` without input.
   */
  input(conv: string, nowMs = Date.now()): void {
    const cur = this.mine.get(conv);
    if (cur) clearTimeout(cur.idle);
    const idle = setTimeout(() => this.stopTyping(conv), this.opts.typingIdleMs ?? 4_000);
    if (cur && nowMs - cur.sentAtMs < TYPING_REFRESH_MS) {
      this.mine.set(conv, { sentAtMs: cur.sentAtMs, idle });
      return;
    }
    this.mine.set(conv, { sentAtMs: nowMs, idle });
    this.send(conv, true);
  }

  /** The user stopped (sent the message, cleared the composer, left the conversation). */
  stopTyping(conv: string): void {
    const cur = this.mine.get(conv);
    if (!cur) return;
    clearTimeout(cur.idle);
    this.mine.delete(conv);
    this.send(conv, false);
  }

  /** Forgets all state (logout, another user). */
  reset(): void {
    for (const m of this.mine.values()) clearTimeout(m.idle);
    this.mine.clear();
    for (const [conv, users] of this.others) {
      for (const t of users.values()) clearTimeout(t);
      this.port.emit('typing', { conv, userIds: [] });
    }
    this.others.clear();
    this.pendingDelivered.clear();
    if (this.deliveredTimer) clearTimeout(this.deliveredTimer);
    this.deliveredTimer = null;
  }

  private send(conv: string, active: boolean): void {
    if (!this.port.online()) return;
    this.port.request('chat.typing', { conv, active }).catch(() => undefined);
  }

  private setTyping(conv: string, userId: number, active: boolean): void {
    let users = this.others.get(conv);
    const had = users?.get(userId);
    if (had) clearTimeout(had);
    if (!active) {
      if (!had || !users) return;
      users.delete(userId);
      if (users.size === 0) this.others.delete(conv);
    } else {
      if (!users) {
        users = new Map();
        this.others.set(conv, users);
      }
      users.set(
        userId,
        setTimeout(() => this.setTyping(conv, userId, false), TYPING_TIMEOUT_MS),
      );
      if (had) return; // a refresh: nothing changed for the app
    }
    this.port.emit('typing', { conv, userIds: this.typers(conv) });
  }

  private queueDelivered(conv: string, seq: number): void {
    this.pendingDelivered.set(conv, Math.max(seq, this.pendingDelivered.get(conv) ?? 0));
    if (this.deliveredTimer) return;
    this.deliveredTimer = setTimeout(() => {
      this.deliveredTimer = null;
      const batch = [...this.pendingDelivered];
      this.pendingDelivered.clear();
      if (!this.port.online()) return; // the resume's catch-up emits them again
      for (const [c, s] of batch) this.markDelivered(c, s).catch(() => undefined);
    }, this.opts.deliveredDelayMs ?? 150);
  }
}

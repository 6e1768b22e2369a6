import type { Result } from '@imw/shared';
import {
  type ImClient,
  ImError,
  newClientId,
  type ChatMessage as Stored,
  type SyncSummary,
} from '@imw/shared/sdk';
import { type ConversationKey, convOf, friendKey, keyOf, parseConversationKey } from './keys';
import { type ChatMessage, mergeStored, oldestSeq, unreadAfter } from './messages';
import { Store } from './store';

export type { ConversationKey } from './keys';
export { friendKey, groupKey, parseConversationKey } from './keys';
export type { ChatMessage } from './messages';

/** Older history: not asked yet, being fetched, more on the server, or all of it here. */
export type OlderState = 'idle' | 'loading' | 'more' | 'none';

export interface Conversation {
  readonly messages: readonly ChatMessage[];
  readonly unread: number;
  /** The newest seq known (from sync, pushes and pages); 0 = no stored message. */
  readonly lastSeq: number;
  /** Read up to here (this page's view; the server's copy follows with chat.read). */
  readonly readSeq: number;
  /** The newest page was asked for (an opened conversation fetches it once). */
  readonly loaded: boolean;
  readonly older: OlderState;
}

export interface ChatState {
  readonly conversations: ReadonlyMap<ConversationKey, Conversation>;
}

/** One history page: what fills a screen with some to scroll (R-HIST-3 allows up to 200). */
export const PAGE_SIZE = 50;
/** Live messages kept per conversation; past it the oldest go (scrolling up fetches them again). */
const MAX_HELD = 1000;
const EMPTY: Conversation = { messages: [], unread: 0, lastSeq: 0, readSeq: 0, loaded: false, older: 'idle' };

/**
 * Friend and group conversations from the durable message store (R-SDK-1..4): the SDK's catch-up
 * and pushes (each stored message once, in seq order), the newest page when a conversation opens,
 * older pages on request, unread counts from sync and live messages, read positions both ways
 * (this page marks read while the conversation is open and visible; other sessions' reads arrive
 * as `read`). Sending is optimistic: "sending" at once, "sent" on the ack, "failed" when the
 * server never answers (the stranger rule, a stalled server); Retry resends with the same
 * clientId, so a message that was stored after all is answered with its ack, not stored again.
 */
export class ChatStore extends Store<ChatState> {
  private unsubscribe: (() => void)[] = [];
  /** The conversation on screen (null when none). */
  private active: ConversationKey | null = null;
  private visible = true;
  /** The first sync arrived: until then an open conversation cannot tell "empty" from "not known yet". */
  private synced = false;
  /** The sync list was capped: a conversation missing from it may still have history. */
  private syncCapped = false;
  /** Read positions the server has, and the chat.read requests in flight (one per conversation). */
  private readonly serverRead = new Map<ConversationKey, number>();
  private readonly reading = new Set<ConversationKey>();

  constructor(
    private readonly client: ImClient,
    private readonly me: { userId: number; displayName: () => string },
  ) {
    super({ conversations: new Map() });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.client.on('message', (m) => this.stored(m)),
      this.client.on('sync', (s) => this.applySync(s)),
      this.client.on('read', (r) => this.readElsewhere(r.conv, r.seq)),
      // The SDK runs with autoSync off (main.tsx): this store, subscribed, starts every catch-up.
      this.client.on('resumed', () => this.catchUp()),
    ];
    this.catchUp();
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** The conversation on screen, if any. */
  get openKey(): ConversationKey | null {
    return this.active;
  }

  conversation(key: ConversationKey): Conversation {
    return this.current.conversations.get(key) ?? EMPTY;
  }

  /** The conversation now on screen (null when none): its newest page loads and it is read. */
  setActive(key: ConversationKey | null): void {
    this.active = key;
    if (!key) return;
    this.loadNewest(key);
    this.markRead(key);
  }

  /** The page became visible or hidden: an open conversation is read only while it is seen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.active) this.markRead(this.active);
  }

  /** Fetches the page before the oldest message held (scrolling up). */
  async loadOlder(key: ConversationKey): Promise<void> {
    const c = this.conversation(key);
    const before = oldestSeq(c.messages);
    if (c.older !== 'more' || before === null) return;
    this.patch(key, (x) => ({ ...x, older: 'loading' }));
    try {
      const page = await this.client.history(this.convOf(key), { beforeSeq: before, limit: PAGE_SIZE });
      this.addPage(key, page.messages, page.more);
    } catch (e) {
      console.warn('could not load older messages', e);
      this.patch(key, (x) => ({ ...x, older: 'more' }));
    }
  }

  /** Sends through the server (durably). Resolves when the outcome is known; never rejects. */
  async send(key: ConversationKey, text: string): Promise<void> {
    const clientId = newClientId();
    this.patch(key, (c) => ({
      ...c,
      messages: [
        ...c.messages,
        {
          id: `c${clientId}`,
          seq: null,
          clientId,
          from: this.me.userId,
          fromName: this.me.displayName(),
          text,
          atMs: Date.now(),
          own: true,
          status: 'sending',
          via: 'server',
        },
      ],
    }));
    await this.deliver(key, clientId, text);
  }

  /** Sends a failed message again with its first clientId (R-MSG-9: never stored twice). */
  async retry(key: ConversationKey, id: string): Promise<void> {
    const m = this.conversation(key).messages.find((x) => x.id === id);
    if (!m?.clientId || m.status !== 'failed') return;
    this.setStatus(key, m.clientId, 'sending');
    await this.deliver(key, m.clientId, m.text);
  }

  /** A message that went over the peer-to-peer data channel (either way). */
  addDirect(friendId: number, message: { id: string; text: string; atMs: number; own: boolean }): void {
    this.patch(friendKey(friendId), (c) => ({
      ...c,
      messages: [
        ...c.messages,
        {
          id: `p2p-${message.own ? 'out' : 'in'}-${message.id}`,
          seq: null,
          clientId: null,
          from: message.own ? this.me.userId : friendId,
          fromName: message.own ? this.me.displayName() : '',
          text: message.text,
          atMs: message.atMs,
          own: message.own,
          status: 'sent',
          via: 'direct',
        },
      ],
    }));
  }

  private catchUp(): void {
    this.client.chat.catchUp().catch((e: unknown) => console.warn('could not catch up on messages', e));
  }

  private async deliver(key: ConversationKey, clientId: string, text: string): Promise<void> {
    const parsed = parseConversationKey(key);
    if (!parsed) return;
    let ack: Result<'chat.send'>;
    try {
      ack =
        parsed.kind === 'friend'
          ? await this.client.send(parsed.id, text, clientId)
          : await this.client.sendGroup(parsed.id, text, clientId);
    } catch (e) {
      if (!(e instanceof ImError)) console.error(e);
      this.setStatus(key, clientId, 'failed');
      return;
    }
    // The SDK emits it as a `message` too; whichever comes first places it, the other is a no-op.
    this.stored({ ...ack, from: this.me.userId, text, clientId, own: true });
  }

  /** A stored message from the SDK's stream (push, catch-up, gap fill, own ack). */
  private stored(m: Stored): void {
    const key = this.keyOf(m.conv);
    if (!key) return;
    const reading = this.isRead(key);
    if (m.own) this.serverRead.set(key, Math.max(this.serverRead.get(key) ?? 0, m.seq));
    this.patch(key, (c) => {
      let messages = mergeStored(c.messages, [this.toMessage(m)]);
      let older = c.older;
      if (messages.length > MAX_HELD) {
        messages = messages.slice(-MAX_HELD);
        older = 'more';
      } else if (older === 'idle' && oldestSeq(messages) === 1) older = 'none';
      if (m.seq <= c.lastSeq) return { ...c, messages, older };
      // The server moves the sender's read position to their own message (R-HIST-5).
      if (m.own) return { ...c, messages, older, lastSeq: m.seq, readSeq: m.seq, unread: 0 };
      // Join and leave lines are not news (the server does not count them either, R-GRP-32).
      const news = !reading && !m.event;
      return { ...c, messages, older, lastSeq: m.seq, unread: news ? c.unread + 1 : c.unread };
    });
    if (reading) this.markRead(key);
  }

  /** R-HIST-1: unread counts and read positions; held messages newer than the summary still count. */
  private applySync(s: SyncSummary): void {
    this.synced = true;
    this.syncCapped = s.more;
    for (const sum of s.conversations) {
      const key = this.keyOf(sum.conv);
      if (!key) continue;
      this.serverRead.set(key, Math.max(this.serverRead.get(key) ?? 0, sum.readSeq));
      this.patch(key, (c) => {
        const readSeq = Math.max(c.readSeq, sum.readSeq);
        const lastSeq = Math.max(c.lastSeq, sum.lastSeq);
        const unread = readSeq >= lastSeq ? 0 : sum.unread + unreadAfter(c.messages, sum.lastSeq);
        return { ...c, readSeq, lastSeq, unread };
      });
    }
    if (this.active) this.setActive(this.active);
  }

  /** The user read up to `seq` on another session (R-HIST-5). */
  private readElsewhere(conv: string, seq: number): void {
    const key = this.keyOf(conv);
    if (!key) return;
    this.serverRead.set(key, Math.max(this.serverRead.get(key) ?? 0, seq));
    this.patch(key, (c) => {
      if (seq <= c.readSeq) return c;
      const unread = seq >= c.lastSeq ? 0 : Math.min(c.unread, unreadAfter(c.messages, seq));
      return { ...c, readSeq: seq, unread };
    });
  }

  private isRead(key: ConversationKey): boolean {
    return this.visible && this.active === key;
  }

  /** Clears the badge at once and moves the server's read position, one request at a time. */
  private markRead(key: ConversationKey): void {
    if (!this.isRead(key)) return;
    this.patch(key, (c) =>
      c.unread === 0 && c.readSeq >= c.lastSeq
        ? c
        : { ...c, unread: 0, readSeq: Math.max(c.readSeq, c.lastSeq) },
    );
    const want = this.conversation(key).readSeq;
    if (this.reading.has(key) || want <= (this.serverRead.get(key) ?? 0)) return;
    this.reading.add(key);
    this.client.markRead(this.convOf(key), want).then(
      (r) => {
        this.serverRead.set(key, Math.max(this.serverRead.get(key) ?? 0, r.seq, want));
        this.reading.delete(key);
        this.markRead(key); // messages read while this one was on its way
      },
      (e: unknown) => {
        this.reading.delete(key);
        console.warn('could not mark the conversation read', e);
      },
    );
  }

  /** The newest page, once per conversation opened (R-HIST-2, scrolling starts here). */
  private loadNewest(key: ConversationKey): void {
    const c = this.conversation(key);
    if (c.loaded) return;
    // Before the first sync nothing is known; after it, a conversation missing from the (uncapped)
    // list has no messages, and asking would only be answered FORBIDDEN (R-HIST-4).
    if (!this.synced || (c.lastSeq === 0 && !this.syncCapped)) return;
    this.patch(key, (x) => ({ ...x, loaded: true, older: 'loading' }));
    this.client.history(this.convOf(key), { limit: PAGE_SIZE }).then(
      (page) => this.addPage(key, page.messages, page.more),
      (e: unknown) => {
        console.warn('could not load the conversation', e);
        this.patch(key, (x) => ({ ...x, loaded: false, older: 'idle' }));
      },
    );
  }

  private addPage(key: ConversationKey, page: readonly Omit<Stored, 'own'>[], more: boolean): void {
    const me = this.me.userId;
    const incoming = page.map((h) => this.toMessage({ ...h, own: h.from !== null && h.from === me }));
    this.patch(key, (c) => {
      const lastSeq = Math.max(c.lastSeq, ...incoming.map((m) => m.seq ?? 0));
      return { ...c, messages: mergeStored(c.messages, incoming), older: more ? 'more' : 'none', lastSeq };
    });
    this.markRead(key);
  }

  private toMessage(m: Stored): ChatMessage {
    return {
      id: `m${m.messageId}`,
      seq: m.seq,
      clientId: m.clientId ?? null,
      from: m.from,
      fromName: m.own ? this.me.displayName() : (m.fromName ?? ''),
      text: m.text,
      atMs: m.atMs,
      own: m.own,
      status: 'sent',
      via: 'server',
      ...(m.event ? { event: m.event } : {}),
    };
  }

  private setStatus(key: ConversationKey, clientId: string, status: ChatMessage['status']): void {
    this.patch(key, (c) => {
      const i = c.messages.findIndex((m) => m.clientId === clientId && m.seq === null);
      if (i < 0) return c;
      const messages = [...c.messages];
      messages[i] = { ...messages[i]!, status };
      return { ...c, messages };
    });
  }

  private convOf(key: ConversationKey): string {
    return convOf(this.me.userId, key);
  }

  private keyOf(conv: string): ConversationKey | null {
    return keyOf(this.me.userId, conv);
  }

  private patch(key: ConversationKey, fn: (c: Conversation) => Conversation): void {
    this.update((s) => {
      const before = s.conversations.get(key) ?? EMPTY;
      const after = fn(before);
      if (after === before) return s;
      const conversations = new Map(s.conversations);
      conversations.set(key, after);
      return { conversations };
    });
  }
}

import { randomBytes, toBase64 } from '../crypto/bytes';
import type {
  ConversationSummary,
  EventBody,
  FileInfo,
  HistoryMessage,
  ParamsIn,
  ReactionSummary,
  RequestName,
  Result,
} from '../protocol/packets';
import { ClientErrorCode, ImError } from './errors';

/** A stored friend or group message as the app sees it: pushed, fetched or its own, once each. */
export interface ChatMessage {
  conv: string;
  seq: number;
  messageId: string;
  /** null once the sender's account was deleted. */
  from: number | null;
  fromName?: string;
  text: string;
  atMs: number;
  clientId?: string;
  /** R-GRP-32: an event line (text empty): `from` joined or left the group. */
  event?: 'joined' | 'left' | 'missedCall';
  /** #16: the attached file (R-FILE-2), the seq replied to and its quote (R-RPL-1/2), recalled (R-RCL-2), reactions (R-REACT-1). */
  file?: FileInfo;
  replyTo?: number;
  quote?: HistoryMessage['quote'];
  recalled?: true;
  reactions?: ReactionSummary[];
  /** Sent by this user (this session or another one). */
  own: boolean;
}

/** #16: what a send may carry besides text: an uploaded file (its info, for the own copy) and a reply. */
export interface SendExtras {
  file?: FileInfo;
  replyTo?: number;
}

const wireExtras = (e: SendExtras) => ({
  ...(e.file ? { fileId: e.file.fileId } : {}),
  ...(e.replyTo !== undefined ? { replyTo: e.replyTo } : {}),
});

export interface SyncSummary {
  conversations: ConversationSummary[];
  more: boolean;
}

export type ChatEvents = {
  /** A stored message, once, in seq order per conversation. */
  message: ChatMessage;
  /** The summaries of a login/resume sync (or an explicit catch-up). */
  sync: SyncSummary;
  /** The user moved a read position on another session. */
  read: { conv: string; seq: number };
};

/** What the chat layer needs from the client: requests, server events, its own events. */
export interface ChatPort {
  /** `onResult` sees the result synchronously, before the records that followed it in its frame. */
  request<K extends RequestName>(
    name: K,
    params: ParamsIn<K>,
    onResult?: (r: Result<K>) => void,
  ): Promise<Result<K>>;
  onEvent<K extends 'chat.message' | 'chat.groupMessage' | 'chat.read'>(
    name: K,
    fn: (body: EventBody<K>) => void,
  ): void;
  emit<K extends keyof ChatEvents>(name: K, value: ChatEvents[K]): void;
  /** The logged-in user, or null. */
  userId(): number | null;
}

export interface ChatOptions {
  /** Sync at every login and resume (default true). */
  autoSync?: boolean;
  /** Page size of catch-up and gap-fill history requests (1..200, default 200). */
  pageSize?: number;
  /** Sends retried after a dropped connection before the send fails (default 5). */
  maxSendAttempts?: number;
}

/**
 * Below this seq a conversation the SDK has never seen is fetched from its start when a push
 * arrives (a new conversation whose first push was lost); past it, the push starts the cursor
 * (an old conversation outside the sync list: the app loads its history when it opens it).
 */
const UNKNOWN_CONV_FETCH_MAX = 50;

/** Most attempts of one history request that is answered RATE_LIMITED. */
const RATE_RETRIES = 5;

/**
 * Durable messages on the client side (R-SDK-1..4): per-conversation cursors (the highest seq
 * emitted), in-order emission with gap fill, catch-up at login and resume, idempotent sends.
 * Every conversation's work runs on its own promise chain, so a push, a gap fill and a catch-up
 * of one conversation never interleave.
 */
export class ChatSync {
  private readonly cursors = new Map<string, number>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly waiting = new Set<(live: boolean) => void>();
  /** online: requests go out; waiting: a resume may follow (sends wait); closed: no session. */
  private link: 'online' | 'waiting' | 'closed' = 'closed';
  private readonly pageSize: number;

  constructor(
    private readonly port: ChatPort,
    private readonly opts: ChatOptions = {},
  ) {
    this.pageSize = Math.min(200, Math.max(1, opts.pageSize ?? 200));
    port.onEvent('chat.message', (m) => this.pushed({ ...m, own: m.from === port.userId() }));
    port.onEvent('chat.groupMessage', (m) => {
      const { groupId: _g, ...rest } = m;
      this.pushed({ ...rest, own: m.from === port.userId() });
    });
    port.onEvent('chat.read', (r) => port.emit('read', r));
  }

  /** The highest seq emitted for a conversation (undefined: never seen). */
  cursor(conv: string): number | undefined {
    return this.cursors.get(conv);
  }

  /** Called by the client after every login and resume. */
  sessionStarted(): void {
    this.link = 'online';
    this.wake(true);
    if (this.opts.autoSync ?? true) void this.catchUp().catch(() => undefined);
  }

  /** Called by the client when the connection drops (a resume may follow). */
  sessionStopped(): void {
    this.link = 'waiting';
  }

  /** Called by the client when the session is gone for good: waiting sends fail. */
  sessionLost(): void {
    this.link = 'closed';
    this.wake(false);
  }

  private wake(live: boolean): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const w of waiting) w(live);
  }

  /** Forgets everything (another user logs in on this client). */
  reset(): void {
    this.cursors.clear();
    this.chains.clear();
  }

  sync(): Promise<SyncSummary> {
    return this.request('chat.sync', {});
  }

  history(conv: string, q: { beforeSeq?: number; afterSeq?: number; limit?: number } = {}) {
    return this.withRateRetry(() => this.request('chat.history', { conv, ...q }));
  }

  markRead(conv: string, seq: number): Promise<{ seq: number }> {
    return this.request('chat.read', { conv, seq });
  }

  /**
   * Only with a session: while a reconnect is re-keying the socket a request would leave in
   * plaintext, and the server closes a secured session that receives plaintext (4000).
   */
  private request<K extends RequestName>(
    name: K,
    params: ParamsIn<K>,
    onResult?: (r: Result<K>) => void,
  ): Promise<Result<K>> {
    if (this.link !== 'online')
      return Promise.reject(new ImError(ClientErrorCode.DISCONNECTED, `${name}: no session right now`));
    return this.port.request(name, params, onResult);
  }

  /**
   * R-SDK-1: the summaries (emitted as `sync`), then every conversation with news past its cursor
   * (a new one: past its read position), page by page, in order.
   */
  async catchUp(): Promise<SyncSummary> {
    const summary = await this.sync();
    this.port.emit('sync', summary);
    await Promise.all(
      summary.conversations.map((c) =>
        this.serial(c.conv, async () => {
          if (!this.cursors.has(c.conv)) this.cursors.set(c.conv, c.readSeq);
          await this.fetchAfter(c.conv, c.lastSeq + 1);
        }),
      ),
    );
    return summary;
  }

  /**
   * R-SDK-3: a friend message with a clientId (SDK-chosen unless given), resent after a drop
   * until acked. An app that offers "Retry" after a failure passes the first attempt's clientId,
   * so a message the server did store is answered with its original ack instead of stored twice.
   */
  send(
    to: number,
    text: string,
    clientId = newClientId(),
    extras: SendExtras = {},
  ): Promise<Result<'chat.send'>> {
    return this.sendOnce(
      (p, own) => this.request('chat.send', p, own),
      { to, text, clientId, ...wireExtras(extras) },
      text,
      extras,
    );
  }

  sendGroup(
    groupId: number,
    text: string,
    clientId = newClientId(),
    extras: SendExtras = {},
  ): Promise<Result<'chat.sendGroup'>> {
    return this.sendOnce(
      (p, own) => this.request('chat.sendGroup', p, own),
      { groupId, text, clientId, ...wireExtras(extras) },
      text,
      extras,
    );
  }

  /**
   * The ack takes its place in the conversation's stream as it is read, not when the send's
   * promise settles: a push of the next message often follows it in the same frame (the server
   * acks a stored batch together), and seen first it would look like a gap to fetch (R-SDK-2).
   */
  private async sendOnce<P extends { clientId: string }>(
    call: (p: P, own: (ack: Result<'chat.send'>) => void) => Promise<Result<'chat.send'>>,
    params: P,
    text: string,
    extras: SendExtras = {},
  ): Promise<Result<'chat.send'>> {
    const own = (ack: Result<'chat.send'>) =>
      this.pushed({
        ...ack,
        from: this.port.userId(),
        text,
        clientId: params.clientId,
        own: true,
        ...(extras.file ? { file: extras.file } : {}),
        ...(extras.replyTo !== undefined ? { replyTo: extras.replyTo } : {}),
      });
    const max = this.opts.maxSendAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      if (this.link === 'closed' || (this.link === 'waiting' && !(await this.nextSession())))
        throw new ImError(ClientErrorCode.DISCONNECTED, 'the session ended before the message was sent');
      try {
        return await call(params, own);
      } catch (e) {
        // Only a dropped connection is worth a resend (same clientId: the server answers the
        // original ack if the first one was stored). A timeout may be the stranger rule.
        if (!(e instanceof ImError) || e.code !== ClientErrorCode.DISCONNECTED || attempt >= max) throw e;
        // The client reports the drop (reconnecting or closed) before failing its requests.
        if (this.link === 'online') this.link = 'waiting';
      }
    }
  }

  private nextSession(): Promise<boolean> {
    return new Promise((resolve) => this.waiting.add(resolve));
  }

  /** A message pushed (or acked): emitted in order; a gap before it is fetched first (R-SDK-2). */
  private pushed(m: ChatMessage): void {
    void this.serial(m.conv, async () => {
      let cur = this.cursors.get(m.conv);
      if (cur === undefined) {
        cur = m.seq <= UNKNOWN_CONV_FETCH_MAX ? 0 : m.seq - 1;
        this.cursors.set(m.conv, cur);
      }
      if (m.seq <= cur) return; // already emitted (a duplicate push, or fetched by a catch-up)
      // A fill that fails throws: the message is not emitted and comes again with the next fill
      // or sync. One that ends short of seq found nothing more (retention deleted the rest).
      if (m.seq > cur + 1) await this.fetchAfter(m.conv, m.seq);
      this.emit(m);
    }).catch(() => undefined);
  }

  /** Fetches and emits everything after the cursor and before `untilSeq`, page by page. */
  private async fetchAfter(conv: string, untilSeq: number): Promise<void> {
    for (;;) {
      const cur = this.cursors.get(conv) ?? 0;
      if (cur >= untilSeq - 1) return;
      const page = await this.history(conv, { afterSeq: cur, beforeSeq: untilSeq, limit: this.pageSize });
      const me = this.port.userId();
      for (const h of page.messages) this.emit({ ...h, own: h.from !== null && h.from === me });
      if (!page.more || page.messages.length === 0) return;
    }
  }

  private emit(m: ChatMessage): void {
    const cur = this.cursors.get(m.conv) ?? 0;
    if (m.seq <= cur) return;
    this.cursors.set(m.conv, m.seq);
    this.port.emit('message', m);
  }

  private serial(conv: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(conv) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(conv, tail);
    void tail.then(() => {
      if (this.chains.get(conv) === tail) this.chains.delete(conv);
    });
    return next;
  }

  private async withRateRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof ImError) || e.code !== 'RATE_LIMITED' || attempt >= RATE_RETRIES) throw e;
        await new Promise((r) => setTimeout(r, e.retryAfterMs ?? 100));
      }
    }
  }
}

/** 16 random bytes, base64url without padding: 22 chars of the clientId alphabet. */
export function newClientId(): string {
  return toBase64(randomBytes(16)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

import { randomBytes } from 'node:crypto';
import {
  directConv,
  ErrorCode,
  encodeEvent,
  type FileInfo,
  type GroupEventKind,
  groupConv,
  type WireRecord,
} from '@imw/shared';
import { type Clock, type Config, fail, RateLimiter, SILENT, type Silent } from '../core';
import { MessageIds } from './ids';
import type { MessageStore, StoredMessage } from './store';
import { checkText } from './text';
import { iceServersFor, splitUrls } from './turn';

/** What messaging needs from the friends/groups side (accounts module). */
export interface Relations {
  areFriends(a: number, b: number): Promise<boolean>;
  isMember(groupId: number, userId: number): Promise<boolean>;
  memberIds(groupId: number): Promise<number[]>;
  /** The groups the user is a member of now (sync lists their conversations). */
  groupIdsOf(userId: number): Promise<number[]>;
}

export interface RouteOptions {
  /** This session does not get the records (the sender's own session: it has the ack). */
  exceptSession?: string;
}

export interface Delivery {
  /** To every session of the users wherever they are online; offline users catch up with chat.sync. */
  route(userIds: readonly number[], records: readonly WireRecord[], opts?: RouteOptions): void;
  /** To every online user on every node. Returns how many sessions on this node got it. */
  broadcast(records: readonly WireRecord[]): number;
}

type MessagingConfig = Pick<
  Config,
  | 'CHAT_MAX_TEXT_CHARS'
  | 'CHAT_RATE_PER_SEC'
  | 'CHAT_BURST'
  | 'SIGNAL_RATE_PER_SEC'
  | 'SIGNAL_BURST'
  | 'RATE_STRIKES_TO_CLOSE'
  | 'STUN_URLS'
  | 'TURN_URLS'
  | 'TURN_SECRET'
  | 'TURN_TTL_SECONDS'
  | 'RING_TIMEOUT_MS'
>;

export interface Sender {
  userId: number;
  displayName: string;
  socketId: string;
  sessionId: string;
  /**
   * Runs deliveries to other users once the sender's answer is queued (L3 of the security review:
   * the ack's timing must not depend on whether the recipient is online). Absent: at once.
   */
  afterAck?: (fn: () => void) => void;
}

/** R-FILE-2: attaching an uploaded file to the send that carries it (the file service). */
export interface FileClaims {
  claim(fileId: string, userId: number, conv: string, claimKey: string): Promise<FileInfo | null>;
}

/** What a send may carry besides text (#16). */
export interface SendExtras {
  fileId?: string | undefined;
  replyTo?: number | undefined;
}

/** R-MSG-8: what a stored message's sender gets back; the same again for a resend (same clientId). */
export interface Ack {
  messageId: string;
  conv: string;
  seq: number;
  atMs: number;
}

const ackOf = (m: StoredMessage): Ack => ({ messageId: m.messageId, conv: m.conv, seq: m.seq, atMs: m.atMs });

/** What a rate-limited caller should do: answer with an error, or close the abusive connection. */
export class RateExceeded extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly abusive: boolean,
  ) {
    super('rate limited');
  }
}

/**
 * Seed module 4: friend, group, system and advertisement messages, and the WebRTC relay. The
 * stranger rule lives here: anything addressed to a non-friend vanishes without an answer.
 */
export class MessagingService {
  private readonly ids: MessageIds;
  private readonly limiter: RateLimiter;
  /** R-RTC-4: signalling has its own bucket; a call's ICE burst and chatting do not meet. */
  private readonly signalLimiter: RateLimiter;
  /**
   * R-CALL-2..4: calls ringing now, by `<caller>:<callId>`. They live on the node serving the
   * caller: every signal that ends the ringing (the caller's offer after the callee's accept, the
   * caller's hang-up) is the caller's and so comes through here.
   */
  private readonly ringing = new Map<string, { to: number; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    nodeId: string,
    private readonly clock: Clock,
    private readonly config: MessagingConfig,
    private readonly relations: Relations,
    private readonly delivery: Delivery,
    private readonly messages: MessageStore,
    private readonly files: FileClaims,
  ) {
    this.ids = new MessageIds(nodeId);
    this.limiter = new RateLimiter(
      clock,
      config.CHAT_RATE_PER_SEC,
      config.CHAT_BURST,
      config.RATE_STRIKES_TO_CLOSE,
    );
    this.signalLimiter = new RateLimiter(
      clock,
      config.SIGNAL_RATE_PER_SEC,
      config.SIGNAL_BURST,
      config.RATE_STRIKES_TO_CLOSE,
    );
  }

  private throttle(socketId: string, limiter = this.limiter): void {
    const r = limiter.check(socketId);
    if (!r.ok) throw new RateExceeded(r.retryAfterMs, r.abusive);
  }

  private text(text: string): string {
    const problem = checkText(text, this.config.CHAT_MAX_TEXT_CHARS);
    if (problem) fail(ErrorCode.BAD_REQUEST, `text: ${problem}`, { details: [`text: ${problem}`] });
    return text;
  }

  /**
   * R-MSG-1/2: the ack never says whether the friend is online, offline or invisible.
   * R-MSG-8: stored before it is acknowledged; R-MSG-9: a resend with the same clientId gets the
   * original ack and is neither stored nor delivered again.
   */
  async sendToFriend(
    from: Sender,
    to: number,
    text: string,
    clientId?: string,
    extras: SendExtras = {},
  ): Promise<Ack | Silent> {
    this.throttle(from.socketId);
    const body = this.text(text);
    if (to === from.userId || !(await this.relations.areFriends(from.userId, to))) return SILENT;
    const conv = directConv(from.userId, to);
    const file = await this.attach(from, conv, clientId, extras.fileId);
    const stored = await this.store(from, conv, body, clientId, file?.fileId, extras.replyTo);
    if (!stored.duplicate) {
      const rec = encodeEvent('chat.message', {
        messageId: stored.messageId,
        conv,
        seq: stored.seq,
        from: from.userId,
        to,
        text: body,
        atMs: stored.atMs,
        ...(clientId !== undefined ? { clientId } : {}),
        ...(file ? { file } : {}),
        ...(extras.replyTo !== undefined ? { replyTo: extras.replyTo } : {}),
      });
      this.deliver(from, [to, from.userId], rec);
    }
    return ackOf(stored);
  }

  /**
   * R-MSG-4/5: members only; every other member gets it, and the sender's other sessions.
   * Stored and idempotent like friend messages (R-MSG-8/9).
   */
  async sendToGroup(
    from: Sender,
    groupId: number,
    text: string,
    clientId?: string,
    extras: SendExtras = {},
  ): Promise<Ack> {
    this.throttle(from.socketId);
    const body = this.text(text);
    if (!(await this.relations.isMember(groupId, from.userId))) {
      fail(ErrorCode.FORBIDDEN, 'only members can send to this group');
    }
    const conv = groupConv(groupId);
    const file = await this.attach(from, conv, clientId, extras.fileId);
    const stored = await this.store(from, conv, body, clientId, file?.fileId, extras.replyTo);
    if (!stored.duplicate) {
      const members = await this.relations.memberIds(groupId);
      const rec = encodeEvent('chat.groupMessage', {
        messageId: stored.messageId,
        conv,
        seq: stored.seq,
        groupId,
        from: from.userId,
        fromName: from.displayName,
        text: body,
        atMs: stored.atMs,
        ...(clientId !== undefined ? { clientId } : {}),
        ...(file ? { file } : {}),
        ...(extras.replyTo !== undefined ? { replyTo: extras.replyTo } : {}),
      });
      this.deliver(from, members.includes(from.userId) ? members : [...members, from.userId], rec);
    }
    return ackOf(stored);
  }

  /**
   * R-GRP-32: a join or leave line, stored in the group's history (so every device and a later
   * sync see it) and pushed to the current members like a message with `event` and empty text.
   * No ack and no read position: nobody sent it. The member lists have already changed.
   */
  async postGroupEvent(
    groupId: number,
    user: { userId: number; displayName: string },
    event: GroupEventKind,
  ) {
    const conv = groupConv(groupId);
    const stored = await this.messages.append({
      conv,
      senderId: user.userId,
      text: '',
      atMs: this.clock.now(),
      event,
    });
    const rec = encodeEvent('chat.groupMessage', {
      messageId: stored.messageId,
      conv,
      seq: stored.seq,
      groupId,
      from: user.userId,
      fromName: user.displayName,
      text: '',
      atMs: stored.atMs,
      event,
    });
    this.delivery.route(await this.relations.memberIds(groupId), [rec]);
  }

  /**
   * R-FILE-2: a file message names an upload of the sender's to this conversation that no other
   * send has taken (a resend with the same clientId takes it again). Text messages skip this:
   * their path is unchanged.
   */
  private async attach(
    from: Sender,
    conv: string,
    clientId: string | undefined,
    fileId: string | undefined,
  ): Promise<FileInfo | undefined> {
    if (fileId === undefined) return undefined;
    const claimKey = clientId ?? `once:${randomBytes(12).toString('base64url')}`;
    const file = await this.files.claim(fileId, from.userId, conv, claimKey);
    if (!file) fail(ErrorCode.BAD_REQUEST, 'fileId: not an unsent upload of yours to this conversation');
    return file;
  }

  /** Stores first; the store moves the sender's own read position to it in the same statement (R-HIST-5). */
  private async store(
    from: Sender,
    conv: string,
    text: string,
    clientId?: string,
    fileId?: string,
    replySeq?: number,
  ): Promise<StoredMessage> {
    const stored = await this.messages.append({
      conv,
      senderId: from.userId,
      clientId,
      text,
      atMs: this.clock.now(),
      ...(fileId !== undefined ? { fileId } : {}),
      ...(replySeq !== undefined ? { replySeq } : {}),
    });
    if (stored.conv !== conv) {
      // The client reused one clientId for a message to another conversation: a client bug.
      fail(ErrorCode.BAD_REQUEST, 'clientId: already used for another message');
    }
    return stored;
  }

  /** To every session of the users but the sender's own, after the sender's ack is queued. */
  private deliver(from: Sender, userIds: readonly number[], record: WireRecord): void {
    const go = () => this.delivery.route(userIds, [record], { exceptSession: from.sessionId });
    if (from.afterAck) from.afterAck(go);
    else go();
  }

  /** R-RTC-2: relayed to friends only, verbatim but for the sender's id; strangers get silence. */
  async signal(
    from: Sender,
    to: number,
    sig: Omit<import('@imw/shared').EventBody<'rtc.signal'>, 'from'>,
  ): Promise<Record<string, never> | Silent> {
    this.throttle(from.socketId, this.signalLimiter);
    if (to === from.userId || !(await this.relations.areFriends(from.userId, to))) return SILENT;
    this.trackRing(from, to, sig.callId, sig.kind);
    const rec = encodeEvent('rtc.signal', { from: from.userId, ...sig });
    // R-CALL-7: the callee's other devices hear the answer too, so that they stop ringing.
    const answered = sig.kind === 'accept' || sig.kind === 'decline';
    const go = () => {
      this.delivery.route([to], [rec]);
      if (answered) this.delivery.route([from.userId], [rec], { exceptSession: from.sessionId });
    };
    if (from.afterAck) from.afterAck(go);
    else go();
    return {};
  }

  /**
   * R-CALL-2..3: a `ring` starts the server's ring timer; the caller's `offer` (sent once the callee
   * accepted) or `hangup` (cancelled, or after a decline) stops it. Unanswered when it fires, the
   * call ends for both (a `hangup` each way) and a missed-call line is stored in their conversation.
   * Whether the callee is online, invisible or offline changes nothing here (R-CALL-5).
   */
  private trackRing(from: Sender, to: number, callId: string, kind: string): void {
    const key = `${from.userId}:${callId}`;
    const ring = this.ringing.get(key);
    if (kind === 'ring') {
      if (ring) return; // a repeated ring does not restart the clock
      const timer = setTimeout(() => void this.missed(from, to, callId), this.config.RING_TIMEOUT_MS);
      timer.unref?.();
      this.ringing.set(key, { to, timer });
      return;
    }
    if (ring && ring.to === to && (kind === 'offer' || kind === 'hangup')) {
      clearTimeout(ring.timer);
      this.ringing.delete(key);
    }
  }

  private async missed(from: Sender, to: number, callId: string): Promise<void> {
    if (!this.ringing.delete(`${from.userId}:${callId}`)) return;
    this.delivery.route([to], [encodeEvent('rtc.signal', { from: from.userId, callId, kind: 'hangup' })]);
    this.delivery.route([from.userId], [encodeEvent('rtc.signal', { from: to, callId, kind: 'hangup' })]);
    // No longer friends (or blocked) meanwhile: the call just ends, nothing is written between them.
    if (!(await this.relations.areFriends(from.userId, to))) return;
    const conv = directConv(from.userId, to);
    const stored = await this.messages.append({
      conv,
      senderId: from.userId,
      text: '',
      atMs: this.clock.now(),
      event: 'missedCall',
    });
    const rec = encodeEvent('chat.message', {
      messageId: stored.messageId,
      conv,
      seq: stored.seq,
      from: from.userId,
      to,
      text: '',
      atMs: stored.atMs,
      event: 'missedCall',
    });
    this.delivery.route([from.userId, to], [rec]);
  }

  /** Stops every ring timer (the node is shutting down). */
  close(): void {
    for (const r of this.ringing.values()) clearTimeout(r.timer);
    this.ringing.clear();
  }

  iceServers(userId: number) {
    return {
      iceServers: iceServersFor(userId, this.clock.now(), {
        stunUrls: splitUrls(this.config.STUN_URLS),
        turnUrls: splitUrls(this.config.TURN_URLS),
        turnSecret: this.config.TURN_SECRET,
        ttlSeconds: this.config.TURN_TTL_SECONDS,
      }),
      ttlSeconds: this.config.TURN_TTL_SECONDS,
    };
  }

  /** R-MSG-6: operator notices reach every online user, friends or strangers. */
  system(text: string, toUserId?: number): { messageId: string; localRecipients: number } {
    const atMs = this.clock.now();
    const messageId = this.ids.next(atMs);
    const rec = encodeEvent('chat.system', { messageId, text, atMs });
    if (toUserId !== undefined) {
      this.delivery.route([toUserId], [rec]);
      return { messageId, localRecipients: -1 };
    }
    return { messageId, localRecipients: this.delivery.broadcast([rec]) };
  }

  ad(ad: { title: string; text: string; link?: string | undefined }): {
    messageId: string;
    localRecipients: number;
  } {
    const atMs = this.clock.now();
    const messageId = this.ids.next(atMs);
    const body = { messageId, title: ad.title, text: ad.text, atMs, ...(ad.link ? { link: ad.link } : {}) };
    return { messageId, localRecipients: this.delivery.broadcast([encodeEvent('chat.ad', body)]) };
  }

  forgetSocket(socketId: string): void {
    this.limiter.forget(socketId);
    this.signalLimiter.forget(socketId);
  }
}

import { ErrorCode, encodeEvent, type WireRecord } from '@imw/shared';
import { type Clock, type Config, fail, RateLimiter, SILENT, type Silent } from '../core';
import { MessageIds } from './ids';
import { checkText } from './text';
import { iceServersFor, splitUrls } from './turn';

/** What messaging needs from the friends/groups side (accounts module). */
export interface Relations {
  areFriends(a: number, b: number): Promise<boolean>;
  isMember(groupId: number, userId: number): Promise<boolean>;
  memberIds(groupId: number): Promise<number[]>;
}

export interface Delivery {
  /** To users wherever they are online; offline users get nothing (no offline messages yet). */
  route(userIds: readonly number[], records: readonly WireRecord[]): void;
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
>;

export interface Sender {
  userId: number;
  displayName: string;
  socketId: string;
}

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

  constructor(
    nodeId: string,
    private readonly clock: Clock,
    private readonly config: MessagingConfig,
    private readonly relations: Relations,
    private readonly delivery: Delivery,
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

  /** R-MSG-1/2: the ack never says whether the friend is online, offline or invisible. */
  async sendToFriend(
    from: Sender,
    to: number,
    text: string,
  ): Promise<{ messageId: string; atMs: number } | Silent> {
    this.throttle(from.socketId);
    const body = this.text(text);
    if (to === from.userId || !(await this.relations.areFriends(from.userId, to))) return SILENT;
    const atMs = this.clock.now();
    const messageId = this.ids.next(atMs);
    this.delivery.route(
      [to],
      [encodeEvent('chat.message', { messageId, from: from.userId, to, text: body, atMs })],
    );
    return { messageId, atMs };
  }

  /** R-MSG-4/5: members only; everyone else online in the group gets it, the sender does not. */
  async sendToGroup(
    from: Sender,
    groupId: number,
    text: string,
  ): Promise<{ messageId: string; atMs: number }> {
    this.throttle(from.socketId);
    const body = this.text(text);
    if (!(await this.relations.isMember(groupId, from.userId))) {
      fail(ErrorCode.FORBIDDEN, 'only members can send to this group');
    }
    const atMs = this.clock.now();
    const messageId = this.ids.next(atMs);
    const others = (await this.relations.memberIds(groupId)).filter((id) => id !== from.userId);
    this.delivery.route(others, [
      encodeEvent('chat.groupMessage', {
        messageId,
        groupId,
        from: from.userId,
        fromName: from.displayName,
        text: body,
        atMs,
      }),
    ]);
    return { messageId, atMs };
  }

  /** R-RTC-2: relayed to friends only, verbatim but for the sender's id; strangers get silence. */
  async signal(
    from: Sender,
    to: number,
    sig: Omit<import('@imw/shared').EventBody<'rtc.signal'>, 'from'>,
  ): Promise<Record<string, never> | Silent> {
    this.throttle(from.socketId, this.signalLimiter);
    if (to === from.userId || !(await this.relations.areFriends(from.userId, to))) return SILENT;
    this.delivery.route([to], [encodeEvent('rtc.signal', { from: from.userId, ...sig })]);
    return {};
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

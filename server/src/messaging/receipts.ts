import { ErrorCode, encodeEvent, parseConv, type ReceiptEntry } from '@imw/shared';
import { type Clock, fail, RateLimiter } from '../core';
import { type Delivery, RateExceeded, type Relations } from './service';
import type { MessageStore, PublishedReceipt } from './store';

/** R-TYP-2: typing requests per session: a refresh every few seconds passes easily, a flood does not. */
export const TYPING_RATE_PER_SEC = 2;
export const TYPING_BURST = 6;

export interface ReceiptPorts {
  relations: Relations;
  /** Hot path (cached, accounts): does `blocker` block `other`? */
  blocks(blocker: number, other: number): Promise<boolean>;
  /** Presence: the user's status is invisible (read on the node of the asking session). */
  isInvisible(userId: number): boolean;
  /** Accounts' settings: which of these users turned read receipts off (R-RCP-4). */
  readReceiptsOff(userIds: readonly number[]): Promise<ReadonlySet<number>>;
}

/** R-HIST-4: one answer whether the conversation exists or not. */
const NOT_YOURS = 'not a conversation of yours';

type Target = { kind: 'direct'; peer: number } | { kind: 'group'; groupId: number };

/**
 * Receipts and typing (#15, R-RCP-*, R-TYP-*). What a user publishes is decided when it happens:
 * nothing while they are invisible (never told later: later positions cover it), nothing between
 * non-friends (a block ends the friendship, so the blocked learn what a removal tells them),
 * read positions only from users who share read receipts, and only to users who share theirs.
 * In groups, members who block each other (either way) see none of each other's receipts and
 * typing, which looks exactly like a member who shares no receipts and does not type.
 */
export class Receipts {
  private readonly typingLimiter: RateLimiter;

  constructor(
    clock: Clock,
    strikesToClose: number,
    private readonly store: MessageStore,
    private readonly delivery: Delivery,
    private readonly ports: ReceiptPorts,
  ) {
    this.typingLimiter = new RateLimiter(clock, TYPING_RATE_PER_SEC, TYPING_BURST, strikesToClose);
  }

  /** R-RCP-1: a device of the user got the messages up to `seq` (direct conversations only). */
  async delivered(userId: number, conv: string, seq: number): Promise<Record<string, never>> {
    const t = await this.target(userId, conv);
    if (t.kind !== 'direct' || this.ports.isInvisible(userId)) return {};
    if (!(await this.ports.relations.areFriends(userId, t.peer))) return {};
    const row = await this.store.publishReceipt(userId, conv, { deliveredSeq: seq, readSeq: 0 });
    if (row) {
      this.delivery.route(
        [t.peer],
        [encodeEvent('chat.receipt', { conv, userId, delivered: row.deliveredSeq })],
      );
    }
    return {};
  }

  /**
   * R-RCP-2: the user's read position moved to `seq` (chat.read already stored it; the caller
   * checked access). Published and pushed when the rules allow.
   */
  async read(userId: number, conv: string, seq: number): Promise<void> {
    if (this.ports.isInvisible(userId)) return;
    const t = await this.target(userId, conv);
    const others = await this.audience(userId, t);
    if (others.length === 0) return;
    const off = await this.ports.readReceiptsOff([userId, ...others]);
    const sendsRead = !off.has(userId);
    if (t.kind === 'group' && !sendsRead) return; // groups have only read receipts
    const row = await this.store.publishReceipt(userId, conv, {
      deliveredSeq: seq,
      readSeq: sendsRead ? seq : 0,
    });
    if (!row) return;
    const withRead = others.filter((o) => sendsRead && !off.has(o));
    const withoutRead = t.kind === 'direct' ? others.filter((o) => !withRead.includes(o)) : [];
    if (withRead.length) {
      this.delivery.route(withRead, [
        encodeEvent('chat.receipt', { conv, userId, delivered: row.deliveredSeq, read: row.readSeq }),
      ]);
    }
    if (withoutRead.length) {
      this.delivery.route(withoutRead, [
        encodeEvent('chat.receipt', { conv, userId, delivered: row.deliveredSeq }),
      ]);
    }
  }

  /** R-RCP-5: what the others of the conversation let the viewer see. */
  async list(viewer: number, conv: string): Promise<{ receipts: ReceiptEntry[] }> {
    const t = await this.target(viewer, conv);
    const others = await this.audience(viewer, t);
    if (others.length === 0) return { receipts: [] };
    const [rows, off] = await Promise.all([
      this.store.receiptsOf(conv, others),
      this.ports.readReceiptsOff([viewer, ...others]),
    ]);
    const showRead = (r: PublishedReceipt) => !off.has(viewer) && !off.has(r.userId) && r.readSeq > 0;
    const receipts: ReceiptEntry[] = [];
    for (const r of rows) {
      if (t.kind === 'direct') {
        receipts.push({
          userId: r.userId,
          delivered: r.deliveredSeq,
          ...(showRead(r) ? { read: r.readSeq } : {}),
        });
      } else if (showRead(r)) {
        receipts.push({ userId: r.userId, delivered: r.deliveredSeq, read: r.readSeq });
      }
    }
    return { receipts };
  }

  /** R-TYP-1..4: ephemeral; nothing from an invisible user, nothing between non-friends or blocks. */
  async typing(
    user: { userId: number; socketId: string },
    conv: string,
    active: boolean,
  ): Promise<Record<string, never>> {
    const r = this.typingLimiter.check(user.socketId);
    if (!r.ok) throw new RateExceeded(r.retryAfterMs, r.abusive);
    const t = await this.target(user.userId, conv);
    if (this.ports.isInvisible(user.userId)) return {};
    const others = await this.audience(user.userId, t);
    if (others.length) {
      this.delivery.route(others, [encodeEvent('chat.typing', { conv, from: user.userId, active })]);
    }
    return {};
  }

  forgetSocket(socketId: string): void {
    this.typingLimiter.forget(socketId);
  }

  /** The conversation if the user is part of it; FORBIDDEN alike for foreign and unknown ones. */
  private async target(userId: number, conv: string): Promise<Target> {
    const p = parseConv(conv);
    if (p?.kind === 'direct' && (p.lo === userId || p.hi === userId)) {
      return { kind: 'direct', peer: p.lo === userId ? p.hi : p.lo };
    }
    if (p?.kind === 'group' && (await this.ports.relations.isMember(p.groupId, userId))) {
      return { kind: 'group', groupId: p.groupId };
    }
    return fail(ErrorCode.FORBIDDEN, NOT_YOURS);
  }

  /**
   * Who may hear about the user in this conversation: the friend (no one for a non-friend), or
   * the other members but those who block the user or whom the user blocks.
   */
  private async audience(userId: number, t: Target): Promise<number[]> {
    if (t.kind === 'direct') {
      return (await this.ports.relations.areFriends(userId, t.peer)) ? [t.peer] : [];
    }
    const members = (await this.ports.relations.memberIds(t.groupId)).filter((m) => m !== userId);
    const blocked = await Promise.all(
      members.map(async (m) => (await this.ports.blocks(userId, m)) || (await this.ports.blocks(m, userId))),
    );
    return members.filter((_, i) => !blocked[i]);
  }
}

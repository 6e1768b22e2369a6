import {
  ErrorCode,
  encodeEvent,
  type FileInfo,
  type Params,
  parseConv,
  SEARCH_LIMIT_MAX,
  type SearchHit,
} from '@imw/shared';
import { type Clock, fail } from '../core';
import type { Delivery, Relations } from './service';
import type { MessageStore } from './store';

/** R-HIST-4's answer: the same whether the conversation exists or not. */
const NOT_YOURS = 'not a conversation of yours';
const SEARCH_LIMIT_DEFAULT = 20;
const PEOPLE_LIMIT = 20;

/** What recall needs from the file service: the rows and the bytes go (R-RCL-1). */
export interface FileRemoval {
  remove(fileIds: readonly string[]): Promise<void>;
}

/**
 * Rich messages (#16) on stored messages: recall (R-RCL-*), reactions (R-REACT-*) and search
 * (R-SRCH-*). Who may act is checked here, before the store is asked anything.
 */
export class MessageActions {
  constructor(
    private readonly store: MessageStore,
    private readonly relations: Relations,
    private readonly delivery: Delivery,
    private readonly files: FileRemoval,
    private readonly clock: Clock,
    private readonly opts: { recallWindowMs: number },
  ) {}

  /** The users who see a conversation: its two people, or the group's members now. */
  private async audience(userId: number, conv: string, write: boolean): Promise<number[]> {
    const p = parseConv(conv);
    if (p?.kind === 'direct' && (p.lo === userId || p.hi === userId)) {
      // Writing (a reaction) needs the friendship a message needs; reading does not (R-HIST-4).
      if (write && !(await this.relations.areFriends(p.lo, p.hi))) fail(ErrorCode.FORBIDDEN, NOT_YOURS);
      return [p.lo, p.hi];
    }
    if (p?.kind === 'group' && (await this.relations.isMember(p.groupId, userId)))
      return this.relations.memberIds(p.groupId);
    return fail(ErrorCode.FORBIDDEN, NOT_YOURS);
  }

  /**
   * R-RCL-1..3: only the sender, only within RECALL_WINDOW_MS of sending; text, file reference and
   * reactions go, the file's bytes are deleted, and every session of everyone in the conversation
   * hears `chat.recalled` (the recalling session has the answer). Recalling twice is a no-op.
   */
  async recall(userId: number, sessionId: string, conv: string, seq: number): Promise<Record<string, never>> {
    const members = await this.audience(userId, conv, false);
    const m = await this.store.message(conv, seq);
    if (!m || m.event !== null) return fail(ErrorCode.NOT_FOUND, 'no such message');
    if (m.senderId !== userId) return fail(ErrorCode.FORBIDDEN, 'only the sender can recall a message');
    if (m.recalled) return {};
    if (this.clock.now() - m.atMs > this.opts.recallWindowMs)
      return fail(ErrorCode.FORBIDDEN, 'too late to recall this message', { details: ['recallWindow'] });
    const done = await this.store.recall(conv, seq, userId);
    if (done === false) return {};
    if (done.fileId !== null) await this.files.remove([done.fileId]);
    this.delivery.route(members, [encodeEvent('chat.recalled', { conv, seq, by: userId })], {
      exceptSession: sessionId,
    });
    return {};
  }

  /**
   * R-REACT-1..3: a member adds or removes one emoji on a message (not an event line, not a
   * recalled one); every session of every member hears it, the reacting session excepted.
   */
  async react(userId: number, sessionId: string, p: Params<'chat.react'>): Promise<Record<string, never>> {
    const members = await this.audience(userId, p.conv, true);
    const m = await this.store.message(p.conv, p.seq);
    if (!m || m.event !== null || m.recalled) return fail(ErrorCode.NOT_FOUND, 'no such message');
    const r = await this.store.react({ ...p, userId, atMs: this.clock.now() });
    if (r === 'limit') return fail(ErrorCode.LIMIT_EXCEEDED, 'too many different reactions on this message');
    this.delivery.route(
      members,
      [encodeEvent('chat.reaction', { conv: p.conv, seq: p.seq, userId, emoji: p.emoji, on: p.on })],
      { exceptSession: sessionId },
    );
    return {};
  }

  /** R-SRCH-1..3: only the user's own conversations; `conv` must be one of them. */
  async search(userId: number, p: Params<'chat.search'>): Promise<{ hits: SearchHit[]; more: boolean }> {
    if (p.conv !== undefined) await this.audience(userId, p.conv, false);
    const query = p.query.trim();
    if (query.length === 0) fail(ErrorCode.BAD_REQUEST, 'query: blank');
    const groupIds = p.conv === undefined ? await this.relations.groupIdsOf(userId) : [];
    const page = await this.store.search({
      userId,
      groupIds,
      conv: p.conv,
      query,
      beforeId: p.beforeId,
      limit: Math.min(p.limit ?? SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX),
    });
    return {
      hits: page.messages.map((m) => ({
        messageId: m.messageId,
        conv: m.conv,
        seq: m.seq,
        from: m.senderId,
        text: m.text,
        atMs: m.atMs,
        ...(m.file ? { file: m.file satisfies FileInfo } : {}),
      })),
      more: page.more,
    };
  }

  /** R-SRCH-4: friends and fellow group members only; never a stranger. */
  async searchPeople(userId: number, query: string) {
    const q = query.trim();
    if (q.length === 0) fail(ErrorCode.BAD_REQUEST, 'query: blank');
    return { people: await this.store.searchPeople(userId, q, PEOPLE_LIMIT) };
  }
}

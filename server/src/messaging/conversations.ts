import {
  type ConversationSummary,
  ErrorCode,
  encodeEvent,
  type HistoryMessage,
  type Params,
  parseConv,
} from '@imw/shared';
import { AppError, fail } from '../core';
import type { Delivery, Relations } from './service';
import { type MessageStore, SUMMARIES_MAX } from './store';

/** R-HIST-4: one answer whether the conversation exists or not, so probing reveals nothing. */
const NOT_YOURS = 'not a conversation of yours';

/**
 * Reading side of durable messaging (#13): sync (which conversations have news), history pages
 * and read positions. Who may read is checked here, before the store is asked anything.
 */
export class Conversations {
  constructor(
    private readonly store: MessageStore,
    private readonly relations: Relations,
    private readonly delivery: Delivery,
    /** A sender's display name as it is now (group history; live pushes carry the name at send time). */
    private readonly displayNameOf: (userId: number) => Promise<string>,
  ) {}

  /** R-HIST-1: newest activity first, capped at SUMMARIES_MAX conversations. */
  async sync(userId: number): Promise<{ conversations: ConversationSummary[]; more: boolean }> {
    const groups = await this.relations.groupIdsOf(userId);
    const page = await this.store.summaries(userId, groups, SUMMARIES_MAX);
    return {
      conversations: page.conversations.map((c) => ({
        conv: c.conv,
        lastSeq: c.lastSeq,
        readSeq: c.readSeq,
        unread: c.unread,
        lastAtMs: c.lastAtMs,
      })),
      more: page.more,
    };
  }

  /** R-HIST-2/3/4: one page, ascending; FORBIDDEN alike for foreign and unknown conversations. */
  async history(
    userId: number,
    q: Params<'chat.history'>,
  ): Promise<{ messages: HistoryMessage[]; more: boolean }> {
    if (q.afterSeq !== undefined && q.beforeSeq !== undefined && q.beforeSeq <= q.afterSeq + 1) {
      fail(ErrorCode.BAD_REQUEST, 'beforeSeq must be greater than afterSeq + 1 (an empty range)');
    }
    const group = await this.mayRead(userId, q.conv);
    const page = await rangeChecked(() =>
      this.store.history(q.conv, { afterSeq: q.afterSeq, beforeSeq: q.beforeSeq, limit: q.limit }),
    );
    const names = new Map<number, string>();
    if (group) {
      const senders = [...new Set(page.messages.map((m) => m.senderId).filter((s) => s !== null))];
      await Promise.all(senders.map(async (id) => names.set(id, await this.displayNameOf(id))));
    }
    return {
      messages: page.messages.map((m) => {
        const fromName = m.senderId === null ? undefined : names.get(m.senderId);
        return {
          messageId: m.messageId,
          conv: m.conv,
          seq: m.seq,
          from: m.senderId,
          ...(fromName !== undefined ? { fromName } : {}),
          text: m.text,
          atMs: m.atMs,
          ...(m.clientId !== null ? { clientId: m.clientId } : {}),
          ...(m.event !== null ? { event: m.event } : {}),
          ...(m.replySeq !== null ? { replyTo: m.replySeq } : {}),
          ...(m.quote !== null ? { quote: m.quote } : {}),
          ...(m.file !== null ? { file: m.file } : {}),
          ...(m.recalled ? { recalled: true as const } : {}),
          ...(m.reactions.length > 0 ? { reactions: m.reactions } : {}),
        };
      }),
      more: page.more,
    };
  }

  /**
   * R-HIST-5: forward only, clamped to the last message; the user's other sessions hear the new
   * position. Answers the position now stored (0 for a conversation without messages).
   */
  async read(userId: number, sessionId: string, conv: string, seq: number): Promise<{ seq: number }> {
    await this.mayRead(userId, conv);
    const stored = await rangeChecked(() => this.store.setRead(userId, conv, seq));
    if (stored === null) return { seq: 0 };
    this.delivery.route([userId], [encodeEvent('chat.read', { conv, seq: stored })], {
      exceptSession: sessionId,
    });
    return { seq: stored };
  }

  /** Direct: one of its two users. Group: a member now. Returns whether it is a group. */
  private async mayRead(userId: number, conv: string): Promise<boolean> {
    const p = parseConv(conv);
    if (p?.kind === 'direct' && (p.lo === userId || p.hi === userId)) return false;
    if (p?.kind === 'group' && (await this.relations.isMember(p.groupId, userId))) return true;
    return fail(ErrorCode.FORBIDDEN, NOT_YOURS);
  }
}

/** The store's RangeError (a bad cursor or limit that got past the schema) is the client's fault. */
async function rangeChecked<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RangeError) throw new AppError(ErrorCode.BAD_REQUEST, e.message);
    throw e;
  }
}

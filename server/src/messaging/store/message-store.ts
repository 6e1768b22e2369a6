import type { Db } from '../../db';
import { AppendBatcher } from './append';
import { history, setRead, summaries, sweep } from './reads';
import { type PublishedReceipt, publishReceipt, receiptsOf } from './receipts';
import { messageAt, react, recall, search, searchPeople } from './rich';
import type { AppendInput, HistoryPage, HistoryQuery, StoredMessage, SummaryPage } from './types';

/**
 * Durable friend and group messages (#13): appends batched (group commit), history pages,
 * per-user summaries and read positions, retention. Callers check who may write and read a
 * conversation; the store checks only what keeps its data consistent. Bad arguments (cursors,
 * limits, ids) throw RangeError, for the caller to answer BAD_REQUEST before asking.
 */
export class MessageStore {
  private readonly appender: AppendBatcher;

  constructor(
    private readonly db: Db,
    private readonly nowMs: () => number = Date.now,
    opts: { appendWindowMs?: number; onAppended?: () => void } = {},
  ) {
    this.appender = new AppendBatcher(db, opts.appendWindowMs ?? 0);
    this.onAppended = opts.onAppended;
  }

  private readonly onAppended: (() => void) | undefined;

  /**
   * Stores a message and moves the sender's read position to it (R-HIST-5), in one statement for
   * every message queued within the append window (APPEND_WINDOW_MS; 0: the event-loop turn).
   * Resolves once stored.
   */
  append(msg: AppendInput): Promise<StoredMessage> {
    const stored = this.appender.append(msg);
    const { onAppended } = this;
    if (onAppended) stored.then(onAppended, () => undefined);
    return stored;
  }

  history(conv: string, q: HistoryQuery = {}): Promise<HistoryPage> {
    return history(this.db, conv, q);
  }

  /** The user's conversations with messages: their 1:1 ones and those of `groupIds` (their groups). */
  summaries(userId: number, groupIds: readonly number[], limit: number): Promise<SummaryPage> {
    return summaries(this.db, userId, groupIds, limit);
  }

  /** Forward-only; the stored position (clamped to the last seq), or null if the conversation has no messages. */
  setRead(userId: number, conv: string, seq: number): Promise<number | null> {
    return setRead(this.db, userId, conv, seq);
  }

  /** R-RCP-*: moves the user's published positions forward; the row after a change, null when none. */
  publishReceipt(
    userId: number,
    conv: string,
    p: { deliveredSeq: number; readSeq: number },
  ): Promise<PublishedReceipt | null> {
    return publishReceipt(this.db, userId, conv, p);
  }

  /** R-RCP-*: the published positions of these users in the conversation. */
  receiptsOf(conv: string, userIds: readonly number[]): Promise<PublishedReceipt[]> {
    return receiptsOf(this.db, conv, userIds);
  }

  /** Deletes messages older than `retentionDays` days (0 = keep all); how many were deleted. */
  sweep(retentionDays: number): Promise<number> {
    return sweep(this.db, retentionDays, this.nowMs());
  }

  /** One message (with file, quote and reactions), or null. */
  message(conv: string, seq: number) {
    return messageAt(this.db, conv, seq);
  }

  recall(conv: string, seq: number, senderId: number) {
    return recall(this.db, conv, seq, senderId);
  }

  react(r: Parameters<typeof react>[1]) {
    return react(this.db, r);
  }

  search(q: Parameters<typeof search>[1]) {
    return search(this.db, q);
  }

  searchPeople(userId: number, query: string, limit: number) {
    return searchPeople(this.db, userId, query, limit);
  }
}

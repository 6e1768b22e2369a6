/** The store's bounds, each the reason a request costs bounded work whatever the data holds. */

/** Largest history page: a client scrolling or filling a gap asks again for more. */
export const HISTORY_PAGE_MAX = 200;
/** History page when the request names no limit. */
export const HISTORY_PAGE_DEFAULT = 50;
/** Most conversations one sync answer lists (newest first); `more` says there are others. */
export const SUMMARIES_MAX = 500;
/**
 * Unread counts stop here ("999+" in a client), so a user with a huge backlog costs at most this
 * many index entries per conversation to count, not the whole backlog.
 */
export const UNREAD_COUNT_CAP = 1000;
/**
 * Most messages in one append statement. A turn rarely accepts more (the chat rate limit bounds
 * it), but a bound keeps the statement's parameter arrays and its row locks bounded too.
 */
export const APPEND_BATCH_MAX = 1000;
/** Rows one retention statement deletes, so a first sweep over years of history does not hold locks long. */
export const SWEEP_CHUNK = 5000;
/** Whole-batch retries after a deadlock or a concurrent duplicate from another node. */
export const APPEND_RETRIES = 3;

import { z } from 'zod';
import { convId } from '../conv';
import { empty, event, request, userId } from '../schema';
import { seq } from './messaging';

/**
 * Receipts and typing (#15). Request ids 105–107 and event ids 1203–1204, in the messaging ranges.
 * Receipts are the positions a user lets others see (R-RCP-*); typing is ephemeral and never
 * stored (R-TYP-*).
 */

/** How long a typing indicator stays up without a refresh (R-TYP-3); senders refresh well before. */
export const TYPING_TIMEOUT_MS = 6_000;
/** A typing sender repeats `active: true` at most this often while input continues. */
export const TYPING_REFRESH_MS = 3_000;

/** One user's published positions in a conversation. `read` is absent for a viewer who sends none. */
export const receiptEntry = z.object({
  userId,
  /** Direct conversations: the user's devices have received messages up to here. */
  delivered: seq,
  /** The user has read up to here (only when both sides share read receipts, R-RCP-4). */
  read: seq.optional(),
});
export type ReceiptEntry = z.infer<typeof receiptEntry>;

export const receiptsRequests = {
  /**
   * R-RCP-1: one of the user's devices received a direct conversation's messages up to `seq`
   * (the SDK sends it by itself). Group conversations: accepted, nothing is kept.
   */
  'chat.delivered': request(105, z.object({ conv: convId, seq }).strict(), empty),
  /**
   * R-RCP-2/5: what the others of a conversation let the caller see: the friend's delivered and
   * read positions (direct), or the members' read positions (group, "read by").
   */
  'chat.receipts': request(
    106,
    z.object({ conv: convId }).strict(),
    z.object({ receipts: z.array(receiptEntry) }),
  ),
  /** R-TYP-1: the user is typing (`active`) or stopped; rate limited, never stored. */
  'chat.typing': request(107, z.object({ conv: convId, active: z.boolean() }).strict(), empty),
} as const;

export const receiptsEvents = {
  /** R-RCP-1/2: someone of the conversation published new positions. */
  'chat.receipt': event(1203, z.object({ conv: convId, ...receiptEntry.shape })),
  /** R-TYP-1: `from` is typing in `conv` (or stopped); drop it after TYPING_TIMEOUT_MS without a refresh. */
  'chat.typing': event(1204, z.object({ conv: convId, from: userId, active: z.boolean() })),
} as const;

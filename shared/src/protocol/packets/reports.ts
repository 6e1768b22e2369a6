import { z } from 'zod';
import { event, request, storableText, userId } from '../schema';

/**
 * Reporting and moderation (#15). Request ids 240–249, event ids 1340–1349. A report names a user
 * the reporter can see (a friend, a co-member of a group, someone in the same scene), optionally one
 * of their messages with the text the reporter chooses to share: the server never reads a
 * conversation on the operator's behalf.
 */
export const REPORT_CATEGORIES = [
  'spam',
  'harassment',
  'hate',
  'sexual',
  'violence',
  'impersonation',
  'other',
] as const;
export const reportCategory = z.enum(REPORT_CATEGORIES);
export type ReportCategory = z.infer<typeof reportCategory>;

/** R-RPT-2: the longest free text and shared message text a report may carry. */
export const REPORT_NOTE_MAX = 1000;
export const REPORT_MESSAGE_TEXT_MAX = 4000;

export const reportsRequests = {
  /**
   * R-RPT-1..5: report a user, or one of their messages. The answer is the same for a user the
   * reporter cannot see and for one that does not exist (NOT_FOUND).
   */
  'reports.create': request(
    240,
    z
      .object({
        userId,
        category: reportCategory,
        note: storableText(REPORT_NOTE_MAX).default(''),
        message: z
          .object({ messageId: z.string().min(1).max(64), text: storableText(REPORT_MESSAGE_TEXT_MAX) })
          .strict()
          .optional(),
      })
      .strict(),
    z.object({ reportId: z.number().int() }),
  ),
} as const;

export const reportsEvents = {
  /** R-MOD-1: an operator warned this account; `text` is the operator's words. */
  'account.warned': event(1340, z.object({ text: z.string(), atMs: z.number() })),
} as const;

import { z } from 'zod';
import { empty, event, request, userId } from '../schema';
import { userSummary } from './social';

/**
 * Blocking, friend-request limits and the group/profile rough edges of #15. Request ids 220–239,
 * event ids 1320–1339. R-BLK-*: a blocked user is never told; everything they send the blocker
 * gets the answer a stranger (or an ignored friend request) would get.
 */
export const blockedEntry = userSummary.extend({ sinceMs: z.number() });
export type BlockedEntry = z.infer<typeof blockedEntry>;

const byUser = z.object({ userId }).strict();

export const safetyRequests = {
  /**
   * R-BLK-1: block a user (idempotent). Ends a friendship and withdraws your own pending request to
   * them; their messages, signals, friend requests, scene chat and actions stop reaching you.
   */
  'blocks.add': request(220, byUser, empty),
  /** R-BLK-8: unblock; NOT_FOUND if you had not blocked that user. Nothing from before comes back. */
  'blocks.remove': request(221, byUser, empty),
  /** R-BLK-9: the users you block, newest first. */
  'blocks.list': request(222, empty, z.object({ blocked: z.array(blockedEntry) })),
} as const;

export const safetyEvents = {
  /** R-BLK-9: to the blocker's other sessions (devices), so their lists follow. Never to the blocked user. */
  'blocks.added': event(1320, z.object({ user: blockedEntry })),
  'blocks.removed': event(1321, z.object({ userId })),
  /** R-PRO-1: a friend or fellow group member changed their display name or avatar. */
  'profile.changed': event(1322, z.object({ userId, displayName: z.string(), avatar: z.string() })),
} as const;

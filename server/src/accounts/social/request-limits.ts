import { ErrorCode } from '@imw/shared';
import { and, asc, count, eq, gt, lte, min } from 'drizzle-orm';
import { fail } from '../../core';
import { tables } from '../../db';
import type { Exec } from './users';

const { friendRequestLog, friendDeclines } = tables;

const HOUR_MS = 3_600_000;

/** R-FRD-30 and R-FRD-32, checked inside the request's transaction (under the users' row locks). */
export interface RequestLimits {
  /** New friend requests a user may make per rolling hour; 0 = no limit. */
  perHour: number;
  /** How long after a decline the same user may not ask the same person again; 0 = no cooldown. */
  declineCooldownMs: number;
  now: () => number;
}

/**
 * R-FRD-30: RATE_LIMITED once `perHour` requests were made in the last hour, with the time until
 * the oldest of them leaves the window. Rows older than an hour are pruned here, so the log stays
 * at most `perHour` rows per user.
 */
export async function checkHourlyRate(ex: Exec, fromId: number, l: RequestLimits): Promise<void> {
  if (l.perHour === 0) return;
  const since = new Date(l.now() - HOUR_MS);
  await ex
    .delete(friendRequestLog)
    .where(and(eq(friendRequestLog.fromUserId, fromId), lte(friendRequestLog.at, since)));
  const [row] = await ex
    .select({ n: count(), oldest: min(friendRequestLog.at) })
    .from(friendRequestLog)
    .where(and(eq(friendRequestLog.fromUserId, fromId), gt(friendRequestLog.at, since)));
  if ((row?.n ?? 0) < l.perHour) return;
  const oldest = row?.oldest ? new Date(row.oldest).getTime() : l.now();
  fail(ErrorCode.RATE_LIMITED, 'too many friend requests in the last hour', {
    retryAfterMs: Math.max(1, oldest + HOUR_MS - l.now()),
    details: ['hourly'],
  });
}

export async function logRequest(ex: Exec, fromId: number, l: RequestLimits): Promise<void> {
  if (l.perHour === 0) return;
  await ex.insert(friendRequestLog).values({ fromUserId: fromId, at: new Date(l.now()) });
}

/**
 * R-FRD-32: the requester was told of the decline (friends.requestAnswered), so the answer is
 * honest: RATE_LIMITED with `details: ['declined']` and the time left.
 */
export async function checkDeclineCooldown(ex: Exec, fromId: number, toId: number, l: RequestLimits) {
  if (l.declineCooldownMs === 0) return;
  const [row] = await ex
    .select({ at: friendDeclines.at })
    .from(friendDeclines)
    .where(and(eq(friendDeclines.fromUserId, fromId), eq(friendDeclines.toUserId, toId)))
    .orderBy(asc(friendDeclines.at))
    .limit(1);
  if (!row) return;
  const left = row.at.getTime() + l.declineCooldownMs - l.now();
  if (left > 0) {
    fail(ErrorCode.RATE_LIMITED, 'that user declined your last request; you can ask again later', {
      retryAfterMs: left,
      details: ['declined'],
    });
  }
}

export async function recordDecline(ex: Exec, fromId: number, toId: number, l: RequestLimits): Promise<void> {
  const at = new Date(l.now());
  await ex
    .insert(friendDeclines)
    .values({ fromUserId: fromId, toUserId: toId, at })
    .onConflictDoUpdate({ target: [friendDeclines.fromUserId, friendDeclines.toUserId], set: { at } });
}

/** A friendship made clears old declines both ways. */
export async function clearDeclines(ex: Exec, a: number, b: number): Promise<void> {
  await ex
    .delete(friendDeclines)
    .where(and(eq(friendDeclines.fromUserId, a), eq(friendDeclines.toUserId, b)));
  await ex
    .delete(friendDeclines)
    .where(and(eq(friendDeclines.fromUserId, b), eq(friendDeclines.toUserId, a)));
}

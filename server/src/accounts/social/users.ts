import { ErrorCode, type UserSummary } from '@imw/shared';
import { eq, inArray } from 'drizzle-orm';
import { AppError, fail, isUniqueViolation } from '../../core';
import { type Db, tables } from '../../db';

const { users } = tables;

/** The database or a transaction on it (a drizzle transaction is a `Db` too). */
export type Exec = Db;

export const summaryColumns = {
  userId: users.id,
  username: users.username,
  displayName: users.displayName,
  avatar: users.avatar,
};

export async function summaryByUsername(ex: Exec, username: string): Promise<UserSummary | undefined> {
  const [row] = await ex.select(summaryColumns).from(users).where(eq(users.username, username)).limit(1);
  return row;
}

export async function summaryById(ex: Exec, userId: number): Promise<UserSummary | undefined> {
  const [row] = await ex.select(summaryColumns).from(users).where(eq(users.id, userId)).limit(1);
  return row;
}

/**
 * Locks the users rows (ascending id, so two transactions never wait on each other in a cycle) and
 * fails NOT_FOUND if one is gone. Every change that a per-user cap guards takes this lock first,
 * which serialises concurrent accepts and joins of one user: count-then-insert is then safe under
 * READ COMMITTED. NO KEY UPDATE does not block the KEY SHARE locks of foreign-key checks.
 */
export async function lockUsers(ex: Exec, ...ids: number[]): Promise<void> {
  const wanted = [...new Set(ids)];
  if ((await lockRows(ex, wanted)) !== wanted.length) fail(ErrorCode.NOT_FOUND, 'no such user');
}

/** Like `lockUsers` for one user, but a missing row is an answer (false), not an error. */
export async function lockUserIfPresent(ex: Exec, userId: number): Promise<boolean> {
  return (await lockRows(ex, [userId])) === 1;
}

async function lockRows(ex: Exec, ids: number[]): Promise<number> {
  const rows = await ex
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.id, ids))
    .orderBy(users.id)
    .for('no key update');
  return rows.length;
}

export async function deleteUserRow(ex: Exec, userId: number): Promise<void> {
  await ex.delete(users).where(eq(users.id, userId));
}

/**
 * Backstop for races the row locks do not cover (and for callers that skipped them): a duplicate
 * key means someone else made the same change first.
 */
export function conflictOnDuplicate(err: unknown, message: string): unknown {
  if (!(err instanceof AppError) && isUniqueViolation(err)) {
    return new AppError(ErrorCode.CONFLICT, message, { cause: err });
  }
  return err;
}

import type { UserSummary } from '@imw/shared';
import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import { type Db, tables } from '../../db';
import { type Exec, summaryColumns } from './users';

const { users, friendships, friendRequests } = tables;

const pair = (a: number, b: number) => and(eq(friendships.userId, a), eq(friendships.friendId, b));
const request = (from: number, to: number) =>
  and(eq(friendRequests.fromUserId, from), eq(friendRequests.toUserId, to));

export async function areFriendsRow(ex: Exec, a: number, b: number): Promise<boolean> {
  const rows = await ex.select({ one: sql`1` }).from(friendships).where(pair(a, b)).limit(1);
  return rows.length > 0;
}

export async function friendCount(ex: Exec, userId: number): Promise<number> {
  const [row] = await ex.select({ n: count() }).from(friendships).where(eq(friendships.userId, userId));
  return row?.n ?? 0;
}

/**
 * The friend ids of several users in one query; a user without friends maps to an empty list.
 * Prepared once per database (one statement text for every batch size, no query building per read).
 */
export function friendIdsOfMany(db: Db): (userIds: readonly number[]) => Promise<Map<number, number[]>> {
  const query = db
    .select({ userId: friendships.userId, friendId: friendships.friendId })
    .from(friendships)
    .where(sql`${friendships.userId} = any(${sql.placeholder('ids')}::int[])`)
    .prepare('friend_ids_of_many');
  return async (userIds) => {
    const out = new Map<number, number[]>(userIds.map((id) => [id, []]));
    for (const r of await query.execute({ ids: [...userIds] })) out.get(r.userId)?.push(r.friendId);
    return out;
  };
}

/** Both rows in one statement: the mirror foreign key is checked at the end of the statement. */
export async function insertFriendship(ex: Exec, a: number, b: number): Promise<number> {
  const rows = await ex
    .insert(friendships)
    .values([
      { userId: a, friendId: b },
      { userId: b, friendId: a },
    ])
    .returning({ createdAt: friendships.createdAt });
  const at = rows[0]?.createdAt;
  if (!at) throw new Error('friendship insert returned no row');
  return at.getTime();
}

/** Deletes both rows; true when they were friends. */
export async function deleteFriendship(ex: Exec, a: number, b: number): Promise<boolean> {
  const rows = await ex
    .delete(friendships)
    .where(or(pair(a, b), pair(b, a)))
    .returning({ a: friendships.userId });
  return rows.length > 0;
}

/** Deletes every friendship of the user (mirrors included); returns the former friends. */
export async function deleteAllFriendships(ex: Exec, userId: number): Promise<number[]> {
  const rows = await ex
    .delete(friendships)
    .where(or(eq(friendships.userId, userId), eq(friendships.friendId, userId)))
    .returning({ userId: friendships.userId, friendId: friendships.friendId });
  return rows.filter((r) => r.userId === userId).map((r) => r.friendId);
}

export async function requestExists(ex: Exec, from: number, to: number): Promise<boolean> {
  const rows = await ex.select({ one: sql`1` }).from(friendRequests).where(request(from, to)).limit(1);
  return rows.length > 0;
}

export async function insertRequest(ex: Exec, from: number, to: number): Promise<void> {
  await ex.insert(friendRequests).values({ fromUserId: from, toUserId: to });
}

/** True when there was such a request (and it is gone now). */
export async function deleteRequest(ex: Exec, from: number, to: number): Promise<boolean> {
  const rows = await ex
    .delete(friendRequests)
    .where(request(from, to))
    .returning({ from: friendRequests.fromUserId });
  return rows.length > 0;
}

export async function deleteAllRequests(ex: Exec, userId: number): Promise<void> {
  await ex
    .delete(friendRequests)
    .where(or(eq(friendRequests.fromUserId, userId), eq(friendRequests.toUserId, userId)));
}

export async function outgoingCount(ex: Exec, userId: number): Promise<number> {
  const [row] = await ex
    .select({ n: count() })
    .from(friendRequests)
    .where(eq(friendRequests.fromUserId, userId));
  return row?.n ?? 0;
}

export async function friendsWithSince(
  ex: Exec,
  userId: number,
): Promise<Array<UserSummary & { sinceMs: number }>> {
  const rows = await ex
    .select({ ...summaryColumns, since: friendships.createdAt })
    .from(friendships)
    .innerJoin(users, eq(users.id, friendships.friendId))
    .where(eq(friendships.userId, userId))
    .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id));
  return rows.map(({ since, ...u }) => ({ ...u, sinceMs: since.getTime() }));
}

export async function incomingRequests(ex: Exec, userId: number): Promise<UserSummary[]> {
  return ex
    .select(summaryColumns)
    .from(friendRequests)
    .innerJoin(users, eq(users.id, friendRequests.fromUserId))
    .where(eq(friendRequests.toUserId, userId))
    .orderBy(asc(friendRequests.createdAt), asc(users.id));
}

export async function outgoingRequests(ex: Exec, userId: number): Promise<UserSummary[]> {
  return ex
    .select(summaryColumns)
    .from(friendRequests)
    .innerJoin(users, eq(users.id, friendRequests.toUserId))
    .where(eq(friendRequests.fromUserId, userId))
    .orderBy(asc(friendRequests.createdAt), asc(users.id));
}

import { ErrorCode, type GroupInfo } from '@imw/shared';
import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import { fail } from '../../core';
import { tables } from '../../db';
import type { LeaveResult, MemberEntry } from './types';
import { type Exec, summaryColumns } from './users';

const { users, groups, groupMembers } = tables;

const memberCount =
  sql<number>`(select count(*) from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`.mapWith(
    Number,
  );
/** R-GRP-30: the owner's display name travels with the group, so same-named groups differ. */
const ownerName = sql<string>`(select ${users.displayName} from ${users} where ${users.id} = ${groups.ownerId})`;
const infoColumns = {
  groupId: groups.id,
  name: groups.name,
  ownerId: groups.ownerId,
  ownerName,
  memberCount,
  createdAt: groups.createdAt,
};

type InfoRow = {
  groupId: number;
  name: string;
  ownerId: number;
  ownerName: string;
  memberCount: number;
  createdAt: Date;
};
const toInfo = ({ createdAt, ...g }: InfoRow): GroupInfo => ({ ...g, createdAtMs: createdAt.getTime() });

const membership = (groupId: number, userId: number) =>
  and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId));

/** `\`, `%` and `_` match themselves in the LIKE pattern (used with ESCAPE '\'). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Locks the group row: every membership change of one group runs one at a time. */
export async function lockGroup(ex: Exec, groupId: number): Promise<{ ownerId: number } | undefined> {
  const [row] = await ex
    .select({ ownerId: groups.ownerId })
    .from(groups)
    .where(eq(groups.id, groupId))
    .for('no key update');
  return row;
}

export async function insertGroup(ex: Exec, ownerId: number, name: string): Promise<GroupInfo> {
  const [g] = await ex.insert(groups).values({ name, ownerId }).returning();
  if (!g) throw new Error('group insert returned no row');
  await ex.insert(groupMembers).values({ groupId: g.id, userId: ownerId });
  return { groupId: g.id, name: g.name, ownerId, memberCount: 1, createdAtMs: g.createdAt.getTime() };
}

/** R-GRP-31: does the owner already own a group of this name (case-insensitive, trimmed)? */
export async function ownsGroupNamed(ex: Exec, ownerId: number, name: string): Promise<boolean> {
  const rows = await ex
    .select({ one: sql`1` })
    .from(groups)
    .where(and(eq(groups.ownerId, ownerId), sql`lower(${groups.name}) = lower(${name})`))
    .limit(1);
  return rows.length > 0;
}

export async function insertMember(ex: Exec, groupId: number, userId: number): Promise<void> {
  await ex.insert(groupMembers).values({ groupId, userId });
}

export async function isMemberRow(ex: Exec, groupId: number, userId: number): Promise<boolean> {
  const rows = await ex
    .select({ one: sql`1` })
    .from(groupMembers)
    .where(membership(groupId, userId))
    .limit(1);
  return rows.length > 0;
}

export async function memberCountOf(ex: Exec, groupId: number): Promise<number> {
  const [row] = await ex.select({ n: count() }).from(groupMembers).where(eq(groupMembers.groupId, groupId));
  return row?.n ?? 0;
}

export async function groupCountOf(ex: Exec, userId: number): Promise<number> {
  const [row] = await ex.select({ n: count() }).from(groupMembers).where(eq(groupMembers.userId, userId));
  return row?.n ?? 0;
}

export async function memberIdsOf(ex: Exec, groupId: number): Promise<number[]> {
  const rows = await ex
    .select({ id: groupMembers.userId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId));
  return rows.map((r) => r.id);
}

/** The user's groups, in the order they joined them. */
export async function groupIdsOfUser(ex: Exec, userId: number): Promise<number[]> {
  const rows = await ex
    .select({ id: groupMembers.groupId })
    .from(groupMembers)
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.groupId));
  return rows.map((r) => r.id);
}

export async function groupInfoRow(ex: Exec, groupId: number): Promise<GroupInfo | undefined> {
  const [row] = await ex.select(infoColumns).from(groups).where(eq(groups.id, groupId)).limit(1);
  return row && toInfo(row);
}

export async function groupsOfUser(ex: Exec, userId: number): Promise<GroupInfo[]> {
  const rows = await ex
    .select(infoColumns)
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(groupMembers.joinedAt), asc(groups.id));
  return rows.map(toInfo);
}

/** Case-insensitive substring match; names that start with the query come first. */
export async function searchByName(ex: Exec, query: string, limit: number): Promise<GroupInfo[]> {
  const name: SQL = sql`lower(${groups.name})`;
  const rows = await ex
    .select(infoColumns)
    .from(groups)
    .where(sql`${name} like lower(${`%${escapeLike(query)}%`}) escape '\\'`)
    .orderBy(sql`strpos(${name}, lower(${query}))`, asc(name), asc(groups.id))
    .limit(limit);
  return rows.map(toInfo);
}

/** Members in the order they joined (the owner's place is marked, not moved). */
export async function membersOf(ex: Exec, groupId: number): Promise<MemberEntry[]> {
  const rows = await ex
    .select({ ...summaryColumns, ownerId: groups.ownerId, joinedAt: groupMembers.joinedAt })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(groupMembers.joinedAt), asc(users.id));
  return rows.map(({ ownerId, joinedAt, ...u }) => ({
    ...u,
    isOwner: u.userId === ownerId,
    joinedAtMs: joinedAt.getTime(),
  }));
}

/**
 * Removes the user from the group inside the caller's transaction. An owner who leaves hands the
 * group to the oldest remaining member (earliest joined_at, then lowest user id); an owner who was
 * alone dissolves it. Not a member (or no such group) is NOT_FOUND: the caller has nothing to leave,
 * and the answer does not tell a stranger whether the group exists.
 */
export async function leaveInTx(tx: Exec, userId: number, groupId: number): Promise<LeaveResult> {
  const g = await lockGroup(tx, groupId);
  if (!g) fail(ErrorCode.NOT_FOUND, 'you are not a member of that group');
  const gone = await tx
    .delete(groupMembers)
    .where(membership(groupId, userId))
    .returning({ userId: groupMembers.userId });
  if (gone.length === 0) fail(ErrorCode.NOT_FOUND, 'you are not a member of that group');
  if (g.ownerId !== userId) return { kind: 'left' };
  const [heir] = await tx
    .select({ userId: groupMembers.userId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId))
    .limit(1);
  if (!heir) {
    await tx.delete(groups).where(eq(groups.id, groupId));
    return { kind: 'dissolved' };
  }
  await tx.update(groups).set({ ownerId: heir.userId }).where(eq(groups.id, groupId));
  return { kind: 'left', newOwnerId: heir.userId };
}

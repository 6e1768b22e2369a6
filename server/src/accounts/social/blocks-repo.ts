import type { BlockedEntry } from '@imw/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, tables } from '../../db';
import { type Exec, summaryColumns } from './users';

const { users, blocks } = tables;

const row = (blocker: number, blocked: number) =>
  and(eq(blocks.blockerId, blocker), eq(blocks.blockedId, blocked));

export async function isBlockedRow(ex: Exec, blocker: number, blocked: number): Promise<boolean> {
  const rows = await ex.select({ one: sql`1` }).from(blocks).where(row(blocker, blocked)).limit(1);
  return rows.length > 0;
}

/** Idempotent: blocking twice keeps the first row (and its time). */
export async function insertBlock(ex: Exec, blocker: number, blocked: number, at: Date): Promise<void> {
  await ex
    .insert(blocks)
    .values({ blockerId: blocker, blockedId: blocked, createdAt: at })
    .onConflictDoNothing();
}

/** True when there was such a block. */
export async function deleteBlock(ex: Exec, blocker: number, blocked: number): Promise<boolean> {
  const rows = await ex.delete(blocks).where(row(blocker, blocked)).returning({ a: blocks.blockerId });
  return rows.length > 0;
}

/** Whom the user blocks. */
export async function blockedIdsOf(db: Db, blocker: number): Promise<number[]> {
  const rows = await db.select({ id: blocks.blockedId }).from(blocks).where(eq(blocks.blockerId, blocker));
  return rows.map((r) => r.id);
}

/** Who blocks the user (scene chat and actions are filtered with this, R-BLK-5). */
export async function blockerIdsOf(db: Db, blocked: number): Promise<number[]> {
  const rows = await db.select({ id: blocks.blockerId }).from(blocks).where(eq(blocks.blockedId, blocked));
  return rows.map((r) => r.id);
}

export async function blockedList(ex: Exec, blocker: number): Promise<BlockedEntry[]> {
  const rows = await ex
    .select({ ...summaryColumns, since: blocks.createdAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedId))
    .where(eq(blocks.blockerId, blocker))
    .orderBy(desc(blocks.createdAt), desc(users.id));
  return rows.map(({ since, ...u }) => ({ ...u, sinceMs: since.getTime() }));
}

import { and, count, desc, eq, gt, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { type Db, tables } from '../db';

const { reports, moderationActions, suspensions, friendships, groupMembers, users } = tables;

export type ReportRow = typeof reports.$inferSelect;
export type ActionRow = typeof moderationActions.$inferSelect;
export type NewReport = typeof reports.$inferInsert;
export type NewAction = typeof moderationActions.$inferInsert;

/** Storage of reports, moderation actions and suspensions (migration 0010_reports). */
export class ModerationRepo {
  constructor(private readonly db: Db) {}

  async username(userId: number): Promise<string | undefined> {
    const [row] = await this.db
      .select({ username: users.username })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    return row?.username;
  }

  /** Friends, or members of one group: what the database knows of who sees whom (R-RPT-3). */
  async related(a: number, b: number): Promise<boolean> {
    const [friend] = await this.db
      .select({ one: sql<number>`1` })
      .from(friendships)
      .where(and(eq(friendships.userId, a), eq(friendships.friendId, b)))
      .limit(1);
    if (friend) return true;
    const mine = this.db
      .select({ groupId: groupMembers.groupId })
      .from(groupMembers)
      .where(eq(groupMembers.userId, a));
    const [shared] = await this.db
      .select({ one: sql<number>`1` })
      .from(groupMembers)
      .where(and(eq(groupMembers.userId, b), sql`${groupMembers.groupId} in ${mine}`))
      .limit(1);
    return shared !== undefined;
  }

  async reportsSince(reporterId: number, since: Date): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(reports)
      .where(and(eq(reports.reporterId, reporterId), gt(reports.createdAt, since)));
    return row?.n ?? 0;
  }

  async insertReport(r: NewReport): Promise<number> {
    const [row] = await this.db.insert(reports).values(r).returning({ id: reports.id });
    return row!.id;
  }

  /** Newest first; `beforeId` pages backwards. */
  listReports(q: {
    status: 'open' | 'resolved' | 'all';
    beforeId?: number;
    limit: number;
  }): Promise<ReportRow[]> {
    const where = and(
      q.status === 'open'
        ? isNull(reports.resolvedAt)
        : q.status === 'resolved'
          ? isNotNull(reports.resolvedAt)
          : undefined,
      q.beforeId !== undefined ? lt(reports.id, q.beforeId) : undefined,
    );
    return this.db.select().from(reports).where(where).orderBy(desc(reports.id)).limit(q.limit);
  }

  async report(id: number): Promise<ReportRow | undefined> {
    const [row] = await this.db.select().from(reports).where(eq(reports.id, id)).limit(1);
    return row;
  }

  async resolve(id: number, at: Date, resolution: string): Promise<boolean> {
    const rows = await this.db
      .update(reports)
      .set({ resolvedAt: at, resolution })
      .where(and(eq(reports.id, id), isNull(reports.resolvedAt)))
      .returning({ id: reports.id });
    return rows.length > 0;
  }

  async insertAction(a: NewAction): Promise<ActionRow> {
    const [row] = await this.db.insert(moderationActions).values(a).returning();
    return row!;
  }

  listActions(q: { userId?: number; beforeId?: number; limit: number }): Promise<ActionRow[]> {
    const where = and(
      q.userId !== undefined ? eq(moderationActions.userId, q.userId) : undefined,
      q.beforeId !== undefined ? lt(moderationActions.id, q.beforeId) : undefined,
    );
    return this.db
      .select()
      .from(moderationActions)
      .where(where)
      .orderBy(desc(moderationActions.id))
      .limit(q.limit);
  }

  async suspend(userId: number, until: Date, reason: string): Promise<void> {
    await this.db
      .insert(suspensions)
      .values({ userId, until, reason })
      .onConflictDoUpdate({ target: suspensions.userId, set: { until, reason } });
  }

  async lift(userId: number): Promise<boolean> {
    const rows = await this.db
      .delete(suspensions)
      .where(eq(suspensions.userId, userId))
      .returning({ id: suspensions.userId });
    return rows.length > 0;
  }

  async suspendedUntil(userId: number): Promise<Date | undefined> {
    const [row] = await this.db
      .select({ until: suspensions.until })
      .from(suspensions)
      .where(eq(suspensions.userId, userId))
      .limit(1);
    return row?.until;
  }

  /** The operator's search (R-ADM-3): username or display name containing `q`, case-insensitive. */
  searchUsers(
    q: string,
    limit: number,
  ): Promise<{ userId: number; username: string; displayName: string }[]> {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.db
      .select({ userId: users.id, username: users.username, displayName: users.displayName })
      .from(users)
      .where(sql`${users.username} like ${pattern} or lower(${users.displayName}) like ${pattern}`)
      .orderBy(users.username)
      .limit(limit);
  }
}

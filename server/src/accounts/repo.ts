import { eq, sql } from 'drizzle-orm';
import { BatchLoader, type Db, tables } from '../db';

export type UserRow = typeof tables.users.$inferSelect;
export type NewUser = typeof tables.users.$inferInsert;

/** The accounts module's whole access to the database. */
export class UserRepo {
  /** Every `auth.challenge` reads one account: a login storm's reads go out together. */
  private readonly usernames: BatchLoader<string, UserRow>;

  constructor(private readonly db: Db) {
    // Prepared once: one statement text for every batch size, no query building per read.
    const byUsernames = db
      .select()
      .from(tables.users)
      .where(sql`${tables.users.username} = any(${sql.placeholder('names')}::text[])`)
      .prepare('users_by_usernames');
    this.usernames = new BatchLoader(async (names) => {
      const rows = await byUsernames.execute({ names });
      return new Map(rows.map((r) => [r.username, r]));
    });
  }

  async insert(u: NewUser): Promise<UserRow> {
    const [row] = await this.db.insert(tables.users).values(u).returning();
    if (!row) throw new Error('insert returned no row');
    return row;
  }

  byUsername(username: string): Promise<UserRow | undefined> {
    return this.usernames.load(username);
  }

  async byId(id: number): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(tables.users).where(eq(tables.users.id, id)).limit(1);
    return row;
  }

  async update(id: number, patch: Partial<NewUser>): Promise<UserRow | undefined> {
    const [row] = await this.db.update(tables.users).set(patch).where(eq(tables.users.id, id)).returning();
    return row;
  }

  /** Deletes the user; rows that reference it go with it (ON DELETE CASCADE). */
  async delete(id: number): Promise<boolean> {
    const rows = await this.db
      .delete(tables.users)
      .where(eq(tables.users.id, id))
      .returning({ id: tables.users.id });
    return rows.length > 0;
  }

  async getMeta(key: string): Promise<Uint8Array | undefined> {
    const [row] = await this.db
      .select()
      .from(tables.serverMeta)
      .where(eq(tables.serverMeta.key, key))
      .limit(1);
    return row?.value;
  }

  /** Inserts unless present; returns what is stored (so concurrent nodes agree on one value). */
  async putMetaOnce(key: string, value: Uint8Array): Promise<Uint8Array> {
    await this.db.insert(tables.serverMeta).values({ key, value }).onConflictDoNothing();
    const stored = await this.getMeta(key);
    if (!stored) throw new Error(`server_meta ${key} missing after insert`);
    return stored;
  }
}

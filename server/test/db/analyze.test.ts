import { groupConv } from '@imw/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepo } from '../../src/accounts/repo';
import { Analyzer, type Database, type Db, tables } from '../../src/db';
import { MessageStore } from '../../src/messaging/store';
import { DB_KINDS, testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, testUser } from '../support/users';

async function newUser(db: Db, username: string): Promise<number> {
  const row = await new UserRepo(db).insert({
    username,
    displayName: username,
    scramSalt: new Uint8Array(16),
    scramIterations: 4096,
    scramStoredKey: new Uint8Array(32),
    scramServerKey: new Uint8Array(32),
  });
  return row.id;
}

/** The planner's row estimate for `messages`: -1 before any ANALYZE, the row count after one. */
async function messageTuples(db: Db): Promise<number> {
  const rows = (await db.execute(
    sql`select reltuples::float8 as n from pg_class where relname = 'messages'`,
  )) as unknown;
  const list = Array.isArray(rows) ? rows : (rows as { rows: Array<{ n: number }> }).rows;
  return Number((list[0] as { n: number }).n);
}

async function lastAnalyze(db: Db): Promise<unknown> {
  const rows = (await db.execute(
    sql`select last_analyze from pg_stat_user_tables where relname = 'messages'`,
  )) as unknown;
  const list = Array.isArray(rows) ? rows : (rows as { rows: Array<{ last_analyze: unknown }> }).rows;
  return (list[0] as { last_analyze: unknown }).last_analyze;
}

describe('PGlite ANALYZE (search statistics)', () => {
  let db: Database;

  beforeAll(async () => {
    db = await testDatabase('pglite');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('the server analyzes once after start-up, without holding up listen', async () => {
    expect(await lastAnalyze(db.db)).toBeNull();
    const server = await startTestServer(db, { PGLITE_ANALYZE_INTERVAL_MS: 0 });
    try {
      const analyzer = server.analyzer;
      expect(analyzer).not.toBeNull();
      await analyzer?.idle();
      expect(analyzer?.runs).toBe(1);
      expect(await lastAnalyze(db.db)).not.toBeNull();
    } finally {
      await server.close();
    }
  });

  it('the server counts the messages it stores: every PGLITE_ANALYZE_EVERY_MESSAGES-th starts a run', async () => {
    const server = await startTestServer(db, {
      PGLITE_ANALYZE_INTERVAL_MS: 0,
      PGLITE_ANALYZE_EVERY_MESSAGES: 3,
    });
    const a = await testUser(server, 'aa', ['chat.message']);
    const b = await testUser(server, 'ab', ['chat.message']);
    try {
      const analyzer = server.analyzer;
      await analyzer?.idle();
      expect(analyzer?.runs).toBe(1);
      await befriend(a, b);
      await a.client.request('chat.send', { to: b.userId, text: 'one' });
      await a.client.request('chat.send', { to: b.userId, text: 'two' });
      await analyzer?.idle();
      expect(analyzer?.runs).toBe(1);
      // The store counts a message before its sender's ack goes out: the run has started by now.
      await a.client.request('chat.send', { to: b.userId, text: 'three' });
      await analyzer?.idle();
      expect(analyzer?.runs).toBe(2);
    } finally {
      a.client.close();
      b.client.close();
      await server.close();
    }
  });

  it('runs after every N stored messages, and the planner then knows the new rows', async () => {
    const a = await newUser(db.db, `an${Date.now().toString(36)}`);
    const [g] = await db.db
      .insert(tables.groups)
      .values({ name: `ang${Date.now().toString(36)}`, ownerId: a })
      .returning();
    if (!g) throw new Error('no group');
    await db.db.insert(tables.groupMembers).values({ groupId: g.id, userId: a });
    const analyzer = new Analyzer(
      db.analyze ?? (() => Promise.reject(new Error('no analyze'))),
      {
        intervalMs: 0,
        everyMessages: 5,
      },
      (err) => {
        throw err;
      },
    );
    const triggered: Array<Promise<void>> = [];
    const store = new MessageStore(db.db, Date.now, {
      onAppended: () => {
        const run = analyzer.noteAppended();
        if (run) triggered.push(run);
      },
    });
    const before = await messageTuples(db.db);
    const conv = groupConv(g.id);
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        store.append({ conv, senderId: a, text: `m${i}`, atMs: Date.now() }),
      ),
    );
    expect(triggered).toHaveLength(0);
    await store.append({ conv, senderId: a, text: 'm5', atMs: Date.now() });
    // onAppended runs in the store's own `then`, queued before the caller's: the run has started.
    expect(triggered).toHaveLength(1);
    await triggered[0];
    expect(analyzer.runs).toBe(1);
    const rows = (await db.db.execute(sql`select count(*)::int as n from messages`)) as unknown;
    const count = Number(
      ((Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows)[0] as { n: number }).n,
    );
    expect(before).not.toBe(count);
    expect(await messageTuples(db.db)).toBe(count);
    await analyzer.stop();
  });

  it('never runs two at once, and logs a failure instead of throwing', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const errors: unknown[] = [];
    const analyzer = new Analyzer(
      () => {
        calls++;
        return new Promise<void>((_, reject) => {
          release = () => reject(new Error('disk full'));
        });
      },
      { intervalMs: 0, everyMessages: 1 },
      (err) => errors.push(err),
    );
    const first = analyzer.run();
    const second = analyzer.noteAppended();
    expect(second).toBe(first);
    expect(analyzer.run()).toBe(first);
    expect(calls).toBe(1);
    release();
    await expect(first).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(analyzer.runs).toBe(1);
    await analyzer.stop();
    await analyzer.run();
    expect(calls).toBe(1);
  });
});

describe.each(DB_KINDS.filter((k) => k === 'postgres'))('no ANALYZE runner on %s (autovacuum)', (kind) => {
  it('the server has none', async () => {
    const db = await testDatabase(kind);
    const server = await startTestServer(db);
    try {
      expect(db.analyze).toBeUndefined();
      expect(server.analyzer).toBeNull();
    } finally {
      await server.close();
      await db.close();
    }
  });
});

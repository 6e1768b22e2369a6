import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, prepareRaw } from '../../src/db';
import { pgCode } from '../../src/messaging/store/sql-util';
import { DB_KINDS, testDatabase } from '../support/db';

const ph = (name: string) => sql.placeholder(name);

describe.each(DB_KINDS)('prepared raw statements (%s)', (kind) => {
  let db: Database;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await testDatabase(kind, { logQuery: (q) => statements.push(q) });
    await db.db.execute(sql.raw('create table prep_t (id int primary key, note text)'));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('passes arrays of any text through exactly (quotes, backslashes, braces, NULL, empty)', async () => {
    const echo = prepareRaw<{ s: string | null; n: number | string; ord: number | string }>(
      db.db,
      'prep_echo',
      sql`select s, n, ord from unnest(${ph('s')}::text[], ${ph('n')}::bigint[]) with ordinality as t(s, n, ord)`,
    );
    const s = [
      'plain',
      'a "quoted" word',
      'back\\slash\\',
      '{braces},commas',
      'NULL',
      null,
      '',
      '日本語 ✓',
      ' spaced ',
    ];
    const n = s.map((_, i) => 2 ** 40 + i);
    const rows = await echo({ s, n });
    expect(rows.map((r) => r.s)).toEqual(s);
    expect(rows.map((r) => Number(r.n))).toEqual(n);
    expect(await echo({ s: [], n: [] })).toEqual([]);
    // Each run is one statement through drizzle's logger, like any other.
    expect(statements.filter((q) => q.includes('with ordinality as t(s, n, ord)')).length).toBe(2);
  });

  it('a failing run throws the database error and leaves the statement and the session usable', async () => {
    const put = prepareRaw<{ id: number }>(
      db.db,
      'prep_put',
      sql`insert into prep_t (id, note) select * from unnest(${ph('id')}::int[], ${ph('note')}::text[]) returning id`,
    );
    // The very first run fails after the statement was parsed: a second parse must not follow.
    const dupFirst = put({ id: [1, 1], note: ['a', 'b'] });
    await expect(dupFirst).rejects.toSatisfy((e: unknown) => pgCode(e) === '23505');
    expect((await put({ id: [1], note: ['a'] })).map((r) => Number(r.id))).toEqual([1]);
    await expect(put({ id: [2], note: ['x\u0000'] })).rejects.toBeDefined();
    expect((await put({ id: [3], note: ['c'] })).map((r) => Number(r.id))).toEqual([3]);
  });

  it('never runs inside another caller’s open transaction', async () => {
    const put = prepareRaw<{ id: number }>(
      db.db,
      'prep_put2',
      sql`insert into prep_t (id, note) select * from unnest(${ph('id')}::int[], ${ph('note')}::text[]) returning id`,
    );
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started: () => void = () => undefined;
    const inTx = new Promise<void>((r) => {
      started = r;
    });
    const tx = db.db
      .transaction(async (t) => {
        await t.execute(sql.raw(`insert into prep_t (id, note) values (100, 'rolled back')`));
        started();
        await gate;
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await inTx;
    const ours = put({ id: [101], note: ['kept'] });
    release();
    await tx;
    await ours;
    const res = (await db.db.execute(
      sql.raw('select id from prep_t where id >= 100 order by id'),
    )) as unknown;
    const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as Array<{ id: number }>;
    expect(rows.map((r) => Number(r.id))).toEqual([101]);
  });
});

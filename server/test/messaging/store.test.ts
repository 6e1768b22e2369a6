import { directConv, groupConv } from '@imw/shared';
import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepo } from '../../src/accounts/repo';
import { type Database, type Db, openDatabase, tables } from '../../src/db';
import {
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  MessageStore,
  participants,
  type StoredMessage,
  UNREAD_COUNT_CAP,
} from '../../src/messaging/store';
import { appendStatementForTests } from '../../src/messaging/store/append';
import { DB_KINDS, testDatabase, testDatabaseUrl } from '../support/db';

const DAY_MS = 86_400_000;
let nameSeq = 0;
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}${(nameSeq++).toString(36)}`;

async function newUser(db: Db): Promise<number> {
  const username = uniqueName('s');
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

async function newGroup(db: Db, ownerId: number, memberIds: number[] = []): Promise<number> {
  const [g] = await db
    .insert(tables.groups)
    .values({ name: uniqueName('g'), ownerId })
    .returning();
  if (!g) throw new Error('no group');
  await db
    .insert(tables.groupMembers)
    .values([ownerId, ...memberIds].map((userId) => ({ groupId: g.id, userId })));
  return g.id;
}

const seqs = (ms: Array<{ seq: number }>) => ms.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** What UTF-8 can carry: a lone surrogate becomes U+FFFD (String.prototype.toWellFormed, ES2024). */
const wellFormed = (s: string) => s.replace(/\p{Cs}/gu, '\uFFFD');
/** Lets the event loop turn (the batcher flushes on setImmediate). */
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe.each(DB_KINDS)('message store (%s)', (kind) => {
  let db: Database;
  let store: MessageStore;
  let now = Date.UTC(2026, 11, 1);
  /** Statements sent through drizzle since the last reset. */
  let statements: string[] = [];

  beforeAll(async () => {
    db = await testDatabase(kind, { logQuery: (q) => statements.push(q) });
    store = new MessageStore(db.db, () => now);
  });
  afterAll(async () => {
    await db?.close();
  });

  const tick = () => (now += 1000);

  it('numbers each conversation 1, 2, 3… in call order, one sequence for both people of a 1:1', async () => {
    const [a, b, c] = [await newUser(db.db), await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    const ac = directConv(c, a);
    const sent: Array<Promise<StoredMessage>> = [];
    for (let i = 0; i < 30; i++) {
      // Both people of ab write; ac interleaves; some turns end between calls.
      sent.push(store.append({ conv: ab, senderId: i % 2 ? a : b, text: `ab${i}`, atMs: tick() }));
      if (i % 3 === 0) sent.push(store.append({ conv: ac, senderId: c, text: `ac${i}`, atMs: tick() }));
      if (i % 7 === 0) await nextTurn();
    }
    const acks = await Promise.all(sent);
    const abAcks = acks.filter((m) => m.conv === ab);
    const acAcks = acks.filter((m) => m.conv === ac);
    expect(seqs(abAcks)).toEqual(range(1, 30));
    expect(seqs(acAcks)).toEqual(range(1, 10));
    expect(new Set(acks.map((m) => m.messageId)).size).toBe(acks.length);
    expect(acks.every((m) => !m.duplicate && /^[1-9][0-9]*$/.test(m.messageId))).toBe(true);

    const page = await store.history(ab, { afterSeq: 0, limit: 200 });
    expect(page.messages.map((m) => m.text)).toEqual(range(0, 29).map((i) => `ab${i}`));
    expect(page.messages.map((m) => m.atMs)).toEqual(abAcks.map((m) => m.atMs));
    expect(page.messages.map((m) => m.messageId)).toEqual(abAcks.map((m) => m.messageId));
    expect(page.messages[1]?.senderId).toBe(a);
  });

  it('sends every append of one event-loop turn in ONE statement', async () => {
    const [a, b, c] = [await newUser(db.db), await newUser(db.db), await newUser(db.db)];
    const g = await newGroup(db.db, a, [b, c]);
    const convs = [directConv(a, b), directConv(a, c), groupConv(g)];
    await nextTurn();
    statements = [];
    const turn1 = range(0, 59).map((i) =>
      store.append({ conv: convs[i % 3]!, senderId: a, clientId: `t1-${i}`, text: `m${i}`, atMs: tick() }),
    );
    const acks = await Promise.all(turn1);
    expect(statements).toHaveLength(1);
    expect(seqs(acks.filter((m) => m.conv === convs[2]))).toEqual(range(1, 20));

    statements = [];
    const turn2 = range(0, 9).map((i) =>
      store.append({ conv: convs[0]!, senderId: b, text: `n${i}`, atMs: tick() }),
    );
    expect(seqs(await Promise.all(turn2))).toEqual(range(21, 30));
    expect(statements).toHaveLength(1);
  });

  it('group commit: appends of several turns within the append window go in ONE statement, each acked after it', async () => {
    const windowed = new MessageStore(db.db, () => now, { appendWindowMs: 300 });
    const [a, b] = [await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    await nextTurn();
    statements = [];
    const acked: string[] = [];
    const first = windowed.append({ conv: ab, senderId: a, clientId: 'w-1', text: 'w1', atMs: tick() });
    void first.then(() => acked.push('w1'));
    await nextTurn();
    await nextTurn();
    const second = windowed.append({ conv: ab, senderId: b, text: 'w2', atMs: tick() });
    void second.then(() => acked.push('w2'));
    await nextTurn();
    // Both wait for the window: nothing sent, nothing acknowledged.
    expect(statements).toHaveLength(0);
    expect(acked).toEqual([]);
    const acks = await Promise.all([first, second]);
    expect(statements).toHaveLength(1);
    expect(seqs(acks)).toEqual([1, 2]);
    // Acknowledged means stored; a resend within a later window is answered from the store.
    expect((await windowed.history(ab)).messages.map((m) => m.text)).toEqual(['w1', 'w2']);
    const again = await windowed.append({ conv: ab, senderId: a, clientId: 'w-1', text: 'w1', atMs: tick() });
    expect(again).toEqual({ ...acks[0], duplicate: true });
    expect(() => new MessageStore(db.db, () => now, { appendWindowMs: -1 })).toThrow(RangeError);
  });

  it("moves each sender's own read position to their newest message in the append statement itself", async () => {
    const [a, b, c] = [await newUser(db.db), await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    const ac = directConv(a, c);
    await nextTurn();
    statements = [];
    const acks = await Promise.all([
      store.append({ conv: ab, senderId: a, text: 'a1', atMs: tick() }),
      store.append({ conv: ab, senderId: b, text: 'b1', atMs: tick() }),
      store.append({ conv: ab, senderId: a, text: 'a2', atMs: tick() }),
      store.append({ conv: ab, senderId: b, text: 'b2', atMs: tick() }),
      store.append({ conv: ac, senderId: a, text: 'a3', atMs: tick() }),
    ]);
    expect(seqs(acks)).toEqual([1, 2, 3, 4, 1]);
    // No second statement for the read positions: they are in the append.
    expect(statements).toHaveLength(1);
    // setRead(…, 0) changes nothing (forward only) and answers the stored position.
    expect(await store.setRead(a, ab, 0)).toBe(3);
    expect(await store.setRead(b, ab, 0)).toBe(4);
    expect(await store.setRead(a, ac, 0)).toBe(1);
    expect(await store.setRead(c, ac, 0)).toBe(0);
    // A position the user already moved past their own message stays where it is.
    await store.setRead(a, ab, 4);
    await store.append({ conv: ab, senderId: b, text: 'b3', atMs: tick() });
    expect(await store.setRead(a, ab, 0)).toBe(4);
  });

  it('the duplicate check of the append statement probes the (sender, client id) index, whatever the batch', async () => {
    // A generic plan (what a prepared statement settles on) for the exact text the store runs.
    const text = new PgDialect().sqlToQuery(appendStatementForTests).sql;
    const plan = await db.db.transaction(async (tx) => {
      await tx.execute(sql.raw("set local plan_cache_mode = 'force_generic_plan'"));
      await tx.execute(
        sql.raw(
          `prepare explain_append(text[], int[], text[], text[], bigint[], text[], text[], bigint[]) as ${text}`,
        ),
      );
      const res = (await tx.execute(
        sql.raw("explain execute explain_append('{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')"),
      )) as unknown;
      const rowsOf = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as Array<
        Record<string, string>
      >;
      await tx.execute(sql.raw('deallocate explain_append'));
      return rowsOf.map((r) => Object.values(r)[0]).join('\n');
    });
    expect(plan).toMatch(/Index Scan using messages_sender_client_idx on messages d/);
    expect(plan).not.toMatch(/Seq Scan on messages/);
  });

  it('a client id makes a send idempotent: in the same turn and in a later one', async () => {
    const [a, b] = [await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    const [first, again] = await Promise.all([
      store.append({ conv: ab, senderId: a, clientId: 'c-1', text: 'hello', atMs: tick() }),
      store.append({ conv: ab, senderId: a, clientId: 'c-1', text: 'hello', atMs: tick() }),
    ]);
    expect(first?.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });

    // A resend after a reconnect, even with other text or time: the original ack.
    const later = await store.append({
      conv: ab,
      senderId: a,
      clientId: 'c-1',
      text: 'changed',
      atMs: tick(),
    });
    expect(later).toEqual({ ...first, duplicate: true });
    // The same client id from the other person, or no client id, is a new message.
    const other = await store.append({ conv: ab, senderId: b, clientId: 'c-1', text: 'hi', atMs: tick() });
    const [n1, n2] = await Promise.all([
      store.append({ conv: ab, senderId: a, text: 'same', atMs: tick() }),
      store.append({ conv: ab, senderId: a, text: 'same', atMs: tick() }),
    ]);
    expect([other.seq, n1?.seq, n2?.seq]).toEqual([2, 3, 4]);
    const page = await store.history(ab);
    expect(page.messages.map((m) => [m.text, m.clientId])).toEqual([
      ['hello', 'c-1'],
      ['hi', 'c-1'],
      ['same', null],
      ['same', null],
    ]);
  });

  it('one failing message (a deleted group) fails alone; its turn-mates are stored', async () => {
    const [a, b] = [await newUser(db.db), await newUser(db.db)];
    const g = await newGroup(db.db, a, [b]);
    const gone = await newGroup(db.db, a, [b]);
    await db.db.delete(tables.groups).where(eq(tables.groups.id, gone));
    const results = await Promise.allSettled([
      store.append({ conv: groupConv(g), senderId: a, text: 'ok1', atMs: tick() }),
      store.append({ conv: groupConv(gone), senderId: a, text: 'lost', atMs: tick() }),
      store.append({ conv: groupConv(g), senderId: b, text: 'ok2', atMs: tick() }),
      store.append({ conv: groupConv(g), senderId: a, text: 'nul\u0000', atMs: tick() }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect(seqs((await store.history(groupConv(g))).messages)).toEqual([1, 2]);
  });

  it('refuses malformed conversation ids and senders outside a 1:1 before touching the database', async () => {
    const [a, b, c] = [await newUser(db.db), await newUser(db.db), await newUser(db.db)];
    statements = [];
    await expect(store.append({ conv: 'd:2:1', senderId: a, text: 'x', atMs: now })).rejects.toThrow(
      RangeError,
    );
    await expect(store.append({ conv: directConv(a, b), senderId: c, text: 'x', atMs: now })).rejects.toThrow(
      RangeError,
    );
    await expect(
      store.append({ conv: directConv(a, b), senderId: a, clientId: 'x\u0000', text: 'x', atMs: now }),
    ).rejects.toThrow(RangeError);
    expect(statements).toHaveLength(0);
    expect(participants(directConv(b, a))).toEqual([Math.min(a, b), Math.max(a, b)]);
    expect(participants(groupConv(3))).toBeNull();
  });

  it('stores any string without U+0000 exactly (lone surrogates as U+FFFD, as UTF-8 must)', async () => {
    const [a, b] = [await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    const texts = [
      '',
      'NULL',
      '"quoted" \\ back,slash {braces} (parens)',
      "it's",
      '😀 e\u0301 中文 \u202e rtl',
      '\uD800 lone high',
      'lone low \uDC00',
      ' '.repeat(5000),
      ...fc.sample(
        fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !s.includes('\u0000')),
        { numRuns: 60, seed: 13 },
      ),
    ];
    const acks = await Promise.all(
      texts.map((text) => store.append({ conv: ab, senderId: a, text, atMs: tick() })),
    );
    expect(seqs(acks)).toEqual(range(1, texts.length));
    const page = await store.history(ab, { afterSeq: 0, limit: HISTORY_PAGE_MAX });
    expect(page.messages.map((m) => m.text)).toEqual(texts.map(wellFormed));
  });

  it('pages history backwards (scroll up) and forwards (sync, gap fill), capped', async () => {
    const [a, b] = [await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    await Promise.all(
      range(1, 120).map((i) => store.append({ conv: ab, senderId: a, text: `${i}`, atMs: tick() })),
    );

    const newest = await store.history(ab);
    expect(seqs(newest.messages)).toEqual(range(120 - HISTORY_PAGE_DEFAULT + 1, 120));
    expect(newest.more).toBe(true);
    const up1 = await store.history(ab, { beforeSeq: 71, limit: 50 });
    expect([seqs(up1.messages), up1.more]).toEqual([range(21, 70), true]);
    const up2 = await store.history(ab, { beforeSeq: 21, limit: 50 });
    expect([seqs(up2.messages), up2.more]).toEqual([range(1, 20), false]);

    const fwd1 = await store.history(ab, { afterSeq: 0, limit: 100 });
    expect([seqs(fwd1.messages), fwd1.more]).toEqual([range(1, 100), true]);
    const fwd2 = await store.history(ab, { afterSeq: 100, limit: 100 });
    expect([seqs(fwd2.messages), fwd2.more]).toEqual([range(101, 120), false]);
    // A gap: after 10, before 15.
    const gap = await store.history(ab, { afterSeq: 10, beforeSeq: 15 });
    expect([seqs(gap.messages), gap.more]).toEqual([range(11, 14), false]);
    const exact = await store.history(ab, { afterSeq: 120 });
    expect(exact).toEqual({ messages: [], more: false });
    const all = await store.history(ab, { afterSeq: 0, limit: HISTORY_PAGE_MAX });
    expect(all.messages).toHaveLength(120);

    for (const bad of [
      { limit: 0 },
      { limit: HISTORY_PAGE_MAX + 1 },
      { limit: 1.5 },
      { afterSeq: -1 },
      { beforeSeq: 0.5 },
    ])
      await expect(store.history(ab, bad)).rejects.toThrow(RangeError);
    expect(await store.history(directConv(a, 2 ** 31 - 1))).toEqual({ messages: [], more: false });
  });

  it('summaries: the user’s conversations newest first, with read positions and unread from others', async () => {
    const [u, x, y, z] = [
      await newUser(db.db),
      await newUser(db.db),
      await newUser(db.db),
      await newUser(db.db),
    ];
    const g = await newGroup(db.db, x, [u]);
    const notMine = await newGroup(db.db, x, [z]);
    const ux = directConv(u, x);
    const uy = directConv(u, y);
    // u's own message moves u's read position to it (R-HIST-5); x's after it are unread.
    await store.append({ conv: ux, senderId: u, text: 'mine', atMs: tick() });
    for (const text of ['1', '2', '3']) await store.append({ conv: ux, senderId: x, text, atMs: tick() });
    await store.append({ conv: groupConv(g), senderId: x, text: 'g', atMs: tick() });
    await store.append({ conv: groupConv(notMine), senderId: x, text: 'other', atMs: tick() });
    await store.append({ conv: directConv(x, z), senderId: x, text: 'not u', atMs: tick() });
    const lastUy = await store.append({ conv: uy, senderId: y, text: 'newest', atMs: tick() });

    const page = await store.summaries(u, [g], 500);
    expect(page.more).toBe(false);
    expect(page.conversations).toEqual([
      { conv: uy, lastSeq: 1, lastAtMs: lastUy.atMs, readSeq: 0, unread: 1 },
      { conv: groupConv(g), lastSeq: 1, lastAtMs: expect.any(Number), readSeq: 0, unread: 1 },
      { conv: ux, lastSeq: 4, lastAtMs: expect.any(Number), readSeq: 1, unread: 3 },
    ]);
    expect(await store.setRead(u, ux, 2)).toBe(2);
    const after = await store.summaries(u, [g], 2);
    expect(after.more).toBe(true);
    expect(after.conversations.map((c) => c.conv)).toEqual([uy, groupConv(g)]);
    const uxNow = (await store.summaries(u, [g], 3)).conversations[2];
    expect(uxNow).toMatchObject({ conv: ux, readSeq: 2, unread: 2 });
    // The other side sees the same conversation, with its own read state: x wrote the last three.
    expect((await store.summaries(x, [], 10)).conversations.find((c) => c.conv === ux)).toMatchObject({
      readSeq: 4,
      unread: 0,
    });
    await expect(store.summaries(u, [], 0)).rejects.toThrow(RangeError);
    await expect(store.summaries(u, [], 501)).rejects.toThrow(RangeError);
  });

  it(`unread counts stop at ${UNREAD_COUNT_CAP}`, async () => {
    const [u, x] = [await newUser(db.db), await newUser(db.db)];
    const ux = directConv(u, x);
    const n = UNREAD_COUNT_CAP + 5;
    const acks = await Promise.all(
      range(1, n).map((i) => store.append({ conv: ux, senderId: x, text: `${i}`, atMs: tick() })),
    );
    expect(seqs(acks)).toEqual(range(1, n));
    const [s] = (await store.summaries(u, [], 10)).conversations;
    expect(s).toMatchObject({ conv: ux, lastSeq: n, unread: UNREAD_COUNT_CAP });
    await store.setRead(u, ux, 10);
    expect((await store.summaries(u, [], 10)).conversations[0]?.unread).toBe(n - 10);
  });

  it('read positions only move forward and never past the last message', async () => {
    const [u, x] = [await newUser(db.db), await newUser(db.db)];
    const ux = directConv(u, x);
    expect(await store.setRead(u, ux, 1)).toBeNull(); // no messages yet
    for (let i = 0; i < 6; i++) await store.append({ conv: ux, senderId: x, text: `${i}`, atMs: tick() });
    expect(await store.setRead(u, ux, 5)).toBe(5);
    expect(await store.setRead(u, ux, 3)).toBe(5);
    expect(await store.setRead(u, ux, 999)).toBe(6);
    expect(await store.setRead(x, ux, 0)).toBe(6); // x wrote them all: read up to its own last
    await expect(store.setRead(u, ux, -1)).rejects.toThrow(RangeError);
  });

  it('the retention sweep deletes messages older than the cutoff; numbering continues', async () => {
    const [a, b] = [await newUser(db.db), await newUser(db.db)];
    const ab = directConv(a, b);
    await store.append({ conv: ab, senderId: a, text: 'old1', atMs: now - 40 * DAY_MS });
    await store.append({ conv: ab, senderId: b, text: 'old2', atMs: now - 31 * DAY_MS });
    await store.append({ conv: ab, senderId: a, text: 'recent', atMs: now - 29 * DAY_MS });
    expect(await store.sweep(0)).toBe(0);
    expect((await store.history(ab)).messages).toHaveLength(3);
    // Other tests' messages are all within the last days, so exactly these two go.
    expect(await store.sweep(30)).toBe(2);
    expect((await store.history(ab)).messages.map((m) => [m.seq, m.text])).toEqual([[3, 'recent']]);
    expect((await store.append({ conv: ab, senderId: b, text: 'next', atMs: tick() })).seq).toBe(4);
  });

  it('deleting an account deletes its 1:1 conversations; its group messages stay, from nobody', async () => {
    const [a, b, o] = [await newUser(db.db), await newUser(db.db), await newUser(db.db)];
    const g = await newGroup(db.db, o, [a, b]);
    const ab = directConv(a, b);
    await store.append({ conv: ab, senderId: a, text: 'to b', atMs: tick() });
    await store.append({ conv: ab, senderId: b, text: 'to a', atMs: tick() });
    await store.setRead(b, ab, 2);
    await store.append({ conv: groupConv(g), senderId: a, clientId: 'k', text: 'from a', atMs: tick() });
    await store.append({ conv: groupConv(g), senderId: b, text: 'from b', atMs: tick() });

    expect(await new UserRepo(db.db).delete(a)).toBe(true);

    expect(await store.history(ab)).toEqual({ messages: [], more: false });
    expect((await store.summaries(b, [g], 10)).conversations.map((c) => c.conv)).toEqual([groupConv(g)]);
    const rp = await db.db.select().from(tables.readPositions).where(eq(tables.readPositions.conv, ab));
    expect(rp).toEqual([]);
    const group = await store.history(groupConv(g));
    expect(group.messages.map((m) => [m.senderId, m.text])).toEqual([
      [null, 'from a'],
      [b, 'from b'],
    ]);

    // Deleting the group deletes its conversation.
    await db.db.delete(tables.groups).where(eq(tables.groups.id, g));
    expect(await store.history(groupConv(g))).toEqual({ messages: [], more: false });
  });

  if (kind === 'postgres') {
    it('two nodes on one database appending to one conversation at once: 1..N, no gaps, no duplicates', async () => {
      const { url, drop } = await testDatabaseUrl();
      const nodes = [await openDatabase({ url }), await openDatabase({ url })];
      try {
        const [d1, d2] = nodes as [Database, Database];
        const [a, b, c] = [await newUser(d1.db), await newUser(d1.db), await newUser(d1.db)];
        const g = await newGroup(d1.db, a, [b, c]);
        const conv = groupConv(g);
        const stores = [new MessageStore(d1.db), new MessageStore(d2.db)];
        const perNode = 300;
        const run = async (s: MessageStore, sender: number, tag: string) => {
          const out: Array<Promise<StoredMessage>> = [];
          for (let i = 0; i < perNode; i++) {
            out.push(s.append({ conv, senderId: sender, text: `${tag}${i}`, atMs: Date.now() }));
            // Also a 1:1 conversation on both nodes, so statements lock several heads.
            if (i % 10 === 0)
              out.push(s.append({ conv: directConv(b, c), senderId: sender, text: tag, atMs: Date.now() }));
            if (i % 5 === 0) await nextTurn();
          }
          return Promise.all(out);
        };
        const [r1, r2] = await Promise.all([run(stores[0]!, b, 'x'), run(stores[1]!, c, 'y')]);
        const inConv = [...r1, ...r2].filter((m) => m.conv === conv);
        expect(seqs(inConv).sort((p, q) => p - q)).toEqual(range(1, 2 * perNode));
        const direct = [...r1, ...r2].filter((m) => m.conv !== conv);
        expect(seqs(direct).sort((p, q) => p - q)).toEqual(range(1, direct.length));
        // Each node's messages keep their call order.
        for (const r of [r1, r2]) {
          const mine = seqs(r.filter((m) => m.conv === conv));
          expect(mine).toEqual([...mine].sort((p, q) => p - q));
        }

        // The same (sender, client id) from both nodes at once: one message, the same ack twice.
        const both = await Promise.all(
          range(1, 20).flatMap((i) =>
            stores.map((s) =>
              s.append({ conv, senderId: a, clientId: `race-${i}`, text: `r${i}`, atMs: Date.now() }),
            ),
          ),
        );
        for (let i = 0; i < both.length; i += 2) {
          const [p, q] = [both[i]!, both[i + 1]!];
          expect({ ...p, duplicate: false }).toEqual({ ...q, duplicate: false });
          expect([p.duplicate, q.duplicate].sort()).toEqual([false, true]);
        }
        // Paging forward from 0 until `more` is false reads every seq once.
        const read: number[] = [];
        for (let page = { messages: [{ seq: 0 }], more: true }; page.more; ) {
          const after = page.messages.at(-1)?.seq ?? 0;
          page = await stores[1]!.history(conv, { afterSeq: after, limit: HISTORY_PAGE_MAX });
          read.push(...seqs(page.messages));
        }
        expect(read).toEqual(range(1, 2 * perNode + 20));
      } finally {
        for (const n of nodes) await n.close();
        await drop();
      }
    });
  }
});

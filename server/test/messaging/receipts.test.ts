import { directConv, ErrorCode, type EventName, groupConv } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer } from '../support/server';
import { befriend, errorCode, type TestUser, testUser } from '../support/users';

const EVENTS = [
  'chat.message',
  'chat.groupMessage',
  'chat.receipt',
  'chat.typing',
  'friends.removed',
  'groups.memberJoined',
] as const satisfies readonly EventName[];

/**
 * R-RCP-*: delivered and read receipts; R-TYP-*: typing. Negative checks ("nothing arrived") rely
 * on order: the server routes to a local session while it handles the request, so once the
 * request is answered and the recipient's own later request is answered too, anything routed to
 * the recipient has arrived before that answer.
 */
describe('receipts and typing', () => {
  let db: Database;
  let server: ImServer;
  const user = (prefix: string, autoDelivered = true) =>
    testUser(server, prefix, EVENTS, { heartbeat: true, autoDelivered });
  const users: TestUser[] = [];
  const fresh = async (prefix: string, autoDelivered = true) => {
    const u = await user(prefix, autoDelivered);
    users.push(u);
    return u;
  };
  /** Every routed record for these users has arrived (see the describe's note). */
  const settle = async (...us: TestUser[]) => {
    for (const u of us) await u.client.request('sys.heartbeat', {});
  };

  beforeAll(async () => {
    db = await testDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    server = await startTestServer(db, { RESUME_GRACE_MS: 0 });
  });
  afterAll(async () => {
    for (const u of users) u.client.close();
    await server?.close();
    await db?.close();
  });

  async function friends(prefix: string, autoDelivered = true) {
    const a = await fresh(`${prefix}a`, autoDelivered);
    const b = await fresh(`${prefix}b`, autoDelivered);
    await befriend(a, b);
    return { a, b, conv: directConv(a.userId, b.userId) };
  }

  async function group(owner: TestUser, ...members: TestUser[]) {
    const g = await owner.client.request('groups.create', { name: `rcp ${owner.username}`.slice(0, 60) });
    for (const m of members) await m.client.request('groups.join', { groupId: g.groupId });
    return { groupId: g.groupId, conv: groupConv(g.groupId) };
  }

  it('R-RCP-1: a message that reaches one of the friend’s devices comes back as delivered, live and in the receipts list', async () => {
    const { a, b, conv } = await friends('rd');
    const ack = await a.client.send(b.userId, 'hi');
    await b.log.wait('chat.message', (m) => m.seq === ack.seq);
    const r = await a.log.wait('chat.receipt', (e) => e.conv === conv && e.delivered >= ack.seq);
    expect(r).toEqual({ conv, userId: b.userId, delivered: ack.seq });
    expect(await a.client.receipts.list(conv)).toEqual({
      receipts: [{ userId: b.userId, delivered: ack.seq }],
    });
    // Forward only, clamped to the last message; a repeat tells nobody anything.
    a.log.clear();
    expect(await b.client.request('chat.delivered', { conv, seq: 999 })).toEqual({});
    expect(await b.client.request('chat.delivered', { conv, seq: 0 })).toEqual({});
    await settle(b, a);
    expect(a.log.of('chat.receipt')).toEqual([]);
    expect((await a.client.receipts.list(conv)).receipts[0]?.delivered).toBe(ack.seq);
  });

  it('R-RCP-1: a friend who was offline sends the delivered receipt when their device catches up', async () => {
    const a = await fresh('roa');
    const b = await fresh('rob');
    await befriend(a, b);
    const conv = directConv(a.userId, b.userId);
    b.client.close();
    const ack = await a.client.send(b.userId, 'while you were away');
    await settle(a);
    expect(a.log.of('chat.receipt')).toEqual([]);
    // A new device of b logs in: its catch-up (chat.sync, history) emits the message, and the SDK
    // tells the server it arrived.
    await testUserAs(b.username, b.password);
    await a.log.wait('chat.receipt', (e) => e.conv === conv && e.delivered === ack.seq);
  });

  /** Logs an existing account in with catch-up and delivered receipts on. */
  async function testUserAs(username: string, password: string): Promise<TestUser> {
    const client = newClient(server, { heartbeat: true, chatSync: true, autoDelivered: true });
    const log = new EventLog(client, [...EVENTS]);
    await client.connect();
    const profile = await client.login(username, password);
    const u = { client, username, password, userId: profile.userId, log };
    users.push(u);
    return u;
  }

  it('R-RCP-2: reading moves the friend’s ticks to read; only forward; the reader’s other sessions are unaffected', async () => {
    const { a, b, conv } = await friends('rr');
    const m1 = await a.client.send(b.userId, 'one');
    const m2 = await a.client.send(b.userId, 'two');
    await b.log.wait('chat.message', (m) => m.seq === m2.seq);
    await b.client.markRead(conv, m1.seq);
    const r1 = await a.log.wait('chat.receipt', (e) => e.read === m1.seq);
    expect(r1).toEqual({ conv, userId: b.userId, delivered: expect.any(Number), read: m1.seq });
    await b.client.markRead(conv, m2.seq);
    await a.log.wait('chat.receipt', (e) => e.read === m2.seq);
    expect(await a.client.receipts.list(conv)).toEqual({
      receipts: [{ userId: b.userId, delivered: m2.seq, read: m2.seq }],
    });
    // Backwards is a no-op: no receipt.
    a.log.clear();
    await b.client.markRead(conv, m1.seq);
    await settle(b, a);
    expect(a.log.of('chat.receipt')).toEqual([]);
    // b sees a's position too (a read its own messages by sending them, but never published one).
    expect(await b.client.receipts.list(conv)).toEqual({ receipts: [] });
  });

  it('R-RCP-3: an invisible friend sends no delivered or read receipt, exactly like an offline one; reads after becoming visible are told', async () => {
    const { a, b, conv } = await friends('ri');
    await b.client.request('presence.setStatus', { status: 'invisible' });
    const m1 = await a.client.send(b.userId, 'are you there?');
    await b.log.wait('chat.message', (m) => m.seq === m1.seq);
    await b.client.request('chat.delivered', { conv, seq: m1.seq });
    await b.client.markRead(conv, m1.seq);
    await b.client.request('chat.typing', { conv, active: true });
    await settle(b, a);
    expect(a.log.of('chat.receipt')).toEqual([]);
    expect(a.log.of('chat.typing')).toEqual([]);
    const whileInvisible = await a.client.receipts.list(conv);
    // The control: an offline friend.
    const c = await friends('rio');
    c.b.client.close();
    await c.a.client.send(c.b.userId, 'are you there?');
    await settle(c.a);
    expect(whileInvisible).toEqual(await c.a.client.receipts.list(c.conv));
    expect(whileInvisible).toEqual({ receipts: [] });
    // Visible again: what was read while invisible is never told by itself…
    await b.client.request('presence.setStatus', { status: 'online' });
    await settle(b, a);
    expect(a.log.of('chat.receipt')).toEqual([]);
    // …but the next read covers it.
    const m2 = await a.client.send(b.userId, 'hello again');
    await b.log.wait('chat.message', (m) => m.seq === m2.seq);
    await b.client.markRead(conv, m2.seq);
    await a.log.wait('chat.receipt', (e) => e.read === m2.seq);
  });

  it('R-RCP-4: with read receipts off a user sends no read receipts and sees nobody’s read state; delivered still flows', async () => {
    const { a, b, conv } = await friends('rp');
    await b.client.settings.set({ readReceipts: false });
    const m1 = await a.client.send(b.userId, 'read me');
    await a.log.wait('chat.receipt', (e) => e.delivered === m1.seq);
    await b.client.markRead(conv, m1.seq);
    await settle(b, a);
    expect(a.log.of('chat.receipt').some((e) => e.read !== undefined)).toBe(false);
    expect(await a.client.receipts.list(conv)).toEqual({
      receipts: [{ userId: b.userId, delivered: m1.seq }],
    });
    // b sees no read state of a either, live or listed.
    const m2 = await b.client.send(a.userId, 'reply');
    await a.log.wait('chat.message', (m) => m.seq === m2.seq);
    await a.client.markRead(conv, m2.seq);
    const r = await b.log.wait('chat.receipt', (e) => e.delivered === m2.seq);
    expect(r.read).toBeUndefined();
    await settle(a, b);
    expect(b.log.of('chat.receipt').some((e) => e.read !== undefined)).toBe(false);
    expect((await b.client.receipts.list(conv)).receipts.every((e) => e.read === undefined)).toBe(true);
    // Switched back on: read receipts flow again.
    await b.client.settings.set({ readReceipts: null });
    const m3 = await a.client.send(b.userId, 'again');
    await b.log.wait('chat.message', (m) => m.seq === m3.seq);
    await b.client.markRead(conv, m3.seq);
    await a.log.wait('chat.receipt', (e) => e.read === m3.seq);
  });

  it('R-RCP-5: in a group, members’ reads reach the others and the list says who read how far; outsiders get FORBIDDEN alike', async () => {
    const a = await fresh('rga');
    const b = await fresh('rgb');
    const c = await fresh('rgc');
    const { conv } = await group(a, b, c);
    const { groupId } = await a.client.request('groups.list', {}).then((l) => l.groups[0] ?? { groupId: 0 });
    expect(groupConv(groupId)).toBe(conv);
    const m = await a.client.sendGroup(groupId, 'team');
    await b.log.wait('chat.groupMessage', (e) => e.seq === m.seq);
    await b.client.markRead(conv, m.seq);
    await a.log.wait('chat.receipt', (e) => e.userId === b.userId && e.read === m.seq);
    await c.log.wait('chat.receipt', (e) => e.userId === b.userId && e.read === m.seq);
    await c.client.markRead(conv, m.seq);
    await a.log.wait('chat.receipt', (e) => e.userId === c.userId && e.read === m.seq);
    const list = await a.client.receipts.list(conv);
    expect(list.receipts.map((r) => [r.userId, r.read]).sort()).toEqual(
      [
        [b.userId, m.seq],
        [c.userId, m.seq],
      ].sort(),
    );
    // Groups keep no delivered receipts: accepted, nothing told.
    expect(await b.client.request('chat.delivered', { conv, seq: m.seq })).toEqual({});
    const outsider = await fresh('rgo');
    expect(await errorCode(outsider.client.receipts.list(conv))).toBe(ErrorCode.FORBIDDEN);
    expect(await errorCode(outsider.client.receipts.list('g:99999999'))).toBe(ErrorCode.FORBIDDEN);
    expect(await errorCode(outsider.client.request('chat.typing', { conv, active: true }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(
      await errorCode(
        outsider.client.request('chat.delivered', { conv: directConv(a.userId, b.userId), seq: 1 }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
  });

  it('R-RCP-6: a blocked user gets no receipts and sends none, and cannot tell: the answers are a removed friend’s', async () => {
    const { a, b, conv } = await friends('rb');
    const m1 = await b.client.send(a.userId, 'before');
    await a.log.wait('chat.message', (m) => m.seq === m1.seq);
    await a.client.request('blocks.add', { userId: b.userId });
    await b.log.wait('friends.removed');
    a.log.clear();
    b.log.clear();
    // The blocker reads b's message: b hears nothing.
    await a.client.markRead(conv, m1.seq);
    await a.client.request('chat.delivered', { conv, seq: m1.seq });
    // b reads and delivers what it has: a hears nothing.
    await b.client.markRead(conv, m1.seq);
    await b.client.request('chat.delivered', { conv, seq: m1.seq });
    await settle(a, b, a);
    expect(a.log.of('chat.receipt')).toEqual([]);
    expect(b.log.of('chat.receipt')).toEqual([]);
    const blocked = await b.client.receipts.list(conv);
    // The control: a friend removed without a block, after the same exchange.
    const c = await friends('rbc');
    const n1 = await c.b.client.send(c.a.userId, 'before');
    await c.a.log.wait('chat.message', (m) => m.seq === n1.seq);
    await c.a.client.request('friends.remove', { userId: c.b.userId });
    await c.b.log.wait('friends.removed');
    await c.a.client.markRead(c.conv, n1.seq);
    expect(blocked).toEqual(await c.b.client.receipts.list(c.conv));
    expect(blocked).toEqual({ receipts: [] });
  });

  it('R-RCP-6: in a shared group a blocker and the blocked see none of each other’s reads, like a member who shares none', async () => {
    const a = await fresh('rbga');
    const b = await fresh('rbgb');
    const c = await fresh('rbgc');
    const quiet = await fresh('rbgq');
    await quiet.client.settings.set({ readReceipts: false });
    const { groupId, conv } = await group(c, a, b, quiet);
    await a.client.request('blocks.add', { userId: b.userId });
    const m = await c.client.sendGroup(groupId, 'all hands');
    for (const u of [a, b, quiet]) await u.log.wait('chat.groupMessage', (e) => e.seq === m.seq);
    await a.client.markRead(conv, m.seq);
    await quiet.client.markRead(conv, m.seq);
    await c.log.wait('chat.receipt', (e) => e.userId === a.userId && e.read === m.seq);
    await settle(a, quiet, b);
    expect(b.log.of('chat.receipt').map((e) => e.userId)).toEqual([]);
    const seenByB = (await b.client.receipts.list(conv)).receipts.map((r) => r.userId);
    expect(seenByB).not.toContain(a.userId);
    expect(seenByB).not.toContain(quiet.userId);
    await b.client.markRead(conv, m.seq);
    await c.log.wait('chat.receipt', (e) => e.userId === b.userId);
    await settle(b, a);
    expect(a.log.of('chat.receipt').map((e) => e.userId)).not.toContain(b.userId);
    expect((await a.client.receipts.list(conv)).receipts.map((r) => r.userId)).not.toContain(b.userId);
  });

  it('R-TYP-1: typing reaches the friend (start and stop) and the other group members, never the typist’s own sessions or strangers', async () => {
    const { a, b, conv } = await friends('ty');
    expect(await a.client.request('chat.typing', { conv, active: true })).toEqual({});
    expect(await b.log.wait('chat.typing', (t) => t.active)).toEqual({ conv, from: a.userId, active: true });
    await a.client.request('chat.typing', { conv, active: false });
    await b.log.wait('chat.typing', (t) => !t.active);
    const c = await fresh('tyc');
    const g = await group(a, b, c);
    await c.client.request('chat.typing', { conv: g.conv, active: true });
    await a.log.wait('chat.typing', (t) => t.conv === g.conv && t.from === c.userId);
    await b.log.wait('chat.typing', (t) => t.conv === g.conv && t.from === c.userId);
    await settle(c);
    expect(c.log.of('chat.typing')).toEqual([]);
    // A stranger's direct conversation with a: answered like any typing, heard by nobody.
    const s = await fresh('tys');
    expect(
      await s.client.request('chat.typing', { conv: directConv(s.userId, a.userId), active: true }),
    ).toEqual({});
    await settle(s, a);
    expect(a.log.of('chat.typing').filter((t) => t.from === s.userId)).toEqual([]);
  });

  it('R-TYP-2: typing is rate limited per connection with RATE_LIMITED and a wait', async () => {
    const { a, conv } = await friends('tr', false);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => errorCode(a.client.request('chat.typing', { conv, active: true }))),
    );
    expect(answers.filter((x) => x === 'ok').length).toBeLessThanOrEqual(7);
    expect(answers).toContain(ErrorCode.RATE_LIMITED);
  });

  it('R-TYP-4: an invisible user’s typing reaches nobody; typing between a blocker and the blocked reaches neither, direct or in a group', async () => {
    const { a, b, conv } = await friends('ti');
    const c = await fresh('tic');
    const g = await group(a, b, c);
    await b.client.request('presence.setStatus', { status: 'invisible' });
    expect(await b.client.request('chat.typing', { conv, active: true })).toEqual({});
    expect(await b.client.request('chat.typing', { conv: g.conv, active: true })).toEqual({});
    await settle(b, a, c);
    expect(a.log.of('chat.typing')).toEqual([]);
    expect(c.log.of('chat.typing')).toEqual([]);
    await b.client.request('presence.setStatus', { status: 'online' });
    await a.client.request('blocks.add', { userId: b.userId });
    await b.log.wait('friends.removed');
    for (const u of [a, b]) {
      expect(await u.client.request('chat.typing', { conv, active: true })).toEqual({});
      expect(await u.client.request('chat.typing', { conv: g.conv, active: true })).toEqual({});
    }
    await c.log.wait('chat.typing', (t) => t.from === a.userId);
    await c.log.wait('chat.typing', (t) => t.from === b.userId);
    await settle(a, b, a);
    expect(a.log.of('chat.typing')).toEqual([]);
    expect(b.log.of('chat.typing')).toEqual([]);
  });
});

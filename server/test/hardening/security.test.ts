import { createHash } from 'node:crypto';
import type { VisibleStatus } from '@imw/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { healthStatus } from '../support/measure';
import { newClient, startTestServer } from '../support/server';
import { befriend, type TestUser, user } from '../support/users';

/**
 * Security checks as tests. Covered elsewhere and not repeated: the admin API refuses missing or
 * wrong tokens R-MSG-6 and is absent without ADMIN_TOKEN R-NET-5 (messaging/messaging.test.ts);
 * strangers can neither message nor signal R-MSG-3 (messaging/messaging.test.ts); failed logins
 * are throttled R-AUTH-6 (accounts/login.test.ts).
 */

const ADMIN = 'hardening-admin-token-0123456789abcdef';
const DECOY = { username: 'decoy', password: 'decoy-password-123' };

/** Every form in which a password might have been stored by mistake. */
function needles(username: string, password: string): Map<string, string> {
  const out = new Map<string, string>();
  const put = (label: string, value: string) => out.set(label, value.toLowerCase());
  put('password', password);
  put('password as hex', Buffer.from(password).toString('hex'));
  out.set('password as base64', Buffer.from(password).toString('base64'));
  for (const alg of ['md5', 'sha1', 'sha256', 'sha512']) {
    for (const [form, input] of [
      ['', password],
      [' (username+password)', username + password],
      [' (password+username)', password + username],
    ] as const) {
      const digest = createHash(alg).update(input).digest();
      put(`${alg}${form} hex`, digest.toString('hex'));
      out.set(`${alg}${form} base64`, digest.toString('base64'));
    }
  }
  return out;
}

/** Every row of every table, as PostgreSQL prints it (bytea as \x hex), from both drivers. */
async function dumpDatabase(db: Database): Promise<string[]> {
  const rowsOf = (r: unknown): Array<Record<string, unknown>> =>
    (Array.isArray(r) ? r : (r as { rows: Array<Record<string, unknown>> }).rows) ?? [];
  const tables = rowsOf(
    await db.db.execute(
      sql`select table_schema as s, table_name as t from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    ),
  );
  const out: string[] = [];
  for (const { s, t } of tables) {
    const q = `select x::text as row from "${String(s)}"."${String(t)}" x`;
    for (const r of rowsOf(await db.db.execute(sql.raw(q))))
      out.push(`${String(s)}.${String(t)}: ${String(r.row)}`);
  }
  return out;
}

describe.each(DB_KINDS)('no password at rest (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase(kind);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-HARD-12: after registering, logging in and changing passwords, no table holds a password or an unsalted hash of one', async () => {
    const secrets: Array<{ username: string; password: string }> = [];
    for (let i = 0; i < 3; i++) {
      const u = await user(server, 'vault');
      secrets.push({ username: u.username, password: u.password });
      if (i === 0) {
        const next = `new-${u.password}-Ω`;
        await u.client.changePassword(u.password, next);
        secrets.push({ username: u.username, password: next });
      }
      // A decoy's hashes, planted where a user may write, prove that the scan would see them.
      if (i === 1) {
        await u.client.request('account.updateProfile', {
          bio: createHash('sha256').update(DECOY.password).digest('hex'),
          displayName: createHash('md5').update(DECOY.password).digest('base64'),
        });
      }
      await u.client.logout();
    }
    const dump = await dumpDatabase(db);
    const lower = dump.map((row) => row.toLowerCase());
    const scan = (s: { username: string; password: string }) => {
      const found: string[] = [];
      for (const [label, needle] of needles(s.username, s.password)) {
        const hay = label.endsWith('base64') ? dump : lower;
        const hit = hay.find((row) => row.includes(needle));
        if (hit) found.push(`${label} of ${s.username} in ${hit.slice(0, 80)}`);
      }
      return found;
    };
    expect(scan(DECOY).map((f) => f.split(' of ')[0])).toEqual(['md5 base64', 'sha256 hex']);
    for (const s of secrets) expect(dump.some((row) => row.includes(s.username))).toBe(true);
    expect(secrets.flatMap(scan)).toEqual([]);
  });
});

describe('invisible users and the admin API', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { RESUME_GRACE_MS: 0, ADMIN_TOKEN: ADMIN });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-HARD-13: nothing A can ask or receive tells that invisible friend B is online', async () => {
    const a = await user(server, 'va');
    const b = await user(server, 'vb'); // goes invisible
    const c = await user(server, 'vc'); // really offline, for comparison
    const d = await user(server, 'vd'); // befriends B while B is invisible
    await befriend(a, b);
    await befriend(a, c);
    const g = await a.client.request('groups.create', { name: 'seen or not' });
    await b.client.request('groups.join', { groupId: g.groupId });
    await c.client.request('groups.join', { groupId: g.groupId });
    await b.client.request('presence.setStatus', { status: 'invisible' });
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    c.client.close();
    await a.log.wait('presence.changed', (e) => e.userId === c.userId && e.status === 'offline');

    // friends.list and groups.members: B is offline, exactly like C.
    const friends = (await a.client.request('friends.list', {})).friends;
    const fb = friends.find((f) => f.userId === b.userId)!;
    const fc = friends.find((f) => f.userId === c.userId)!;
    expect(fb.status).toBe('offline');
    expect(Object.keys(fb).sort()).toEqual(Object.keys(fc).sort());
    const members = (await a.client.request('groups.members', { groupId: g.groupId })).members;
    expect(members.find((m) => m.userId === b.userId)?.status).toBe('offline');
    // account.getUser: the same fields as for anyone, none about presence.
    const pb = await a.client.request('account.getUser', { userId: b.userId });
    const pc = await a.client.request('account.getUser', { username: c.username });
    expect(Object.keys(pb).sort()).toEqual(Object.keys(pc).sort());
    expect(JSON.stringify(pb)).not.toMatch(/online|away|busy|invisible|status/);
    // chat.send and rtc.signal: the same acknowledgement as to an offline friend.
    const shape = (x: object) => Object.entries(x).map(([k, v]) => [k, typeof v]);
    const ackB = await a.client.request('chat.send', { to: b.userId, text: 'there?' });
    const ackC = await a.client.request('chat.send', { to: c.userId, text: 'there?' });
    expect(shape(ackB)).toEqual(shape(ackC));
    const sigB = await a.client.request('rtc.signal', {
      to: b.userId,
      callId: 'k',
      kind: 'offer',
      sdp: 'v=0',
    });
    const sigC = await a.client.request('rtc.signal', {
      to: c.userId,
      callId: 'k',
      kind: 'offer',
      sdp: 'v=0',
    });
    expect(sigB).toEqual(sigC);
    await b.log.wait('chat.message', (m) => m.text === 'there?'); // invisible still hears
    // Notices while invisible: joining a group of A's, befriending D, logging out and back in.
    const g2 = await a.client.request('groups.create', { name: 'second' });
    await b.client.request('groups.join', { groupId: g2.groupId });
    const joined = await a.log.wait('groups.memberJoined', (e) => e.groupId === g2.groupId);
    expect(joined.member.status).toBe('offline');
    await d.client.request('friends.request', { username: b.username });
    await b.log.wait('friends.requestReceived', (e) => e.from.userId === d.userId);
    const accepted = await b.client.request('friends.accept', { userId: d.userId });
    expect(accepted.friend.userId).toBe(d.userId);
    expect((await d.log.wait('friends.added', (e) => e.friend.userId === b.userId)).friend.status).toBe(
      'offline',
    );
    await b.client.logout();
    // Everything A was told about B, in order: only ever offline.
    await a.client.request('account.getProfile', {});
    const told: VisibleStatus[] = a.log
      .of('presence.changed')
      .filter((e) => e.userId === b.userId)
      .map((e) => e.status);
    expect(told.every((s) => s === 'offline')).toBe(true);
    for (const u of [a, d]) u.client.close();
  });

  it('R-HARD-14: /admin/drain refuses a missing, wrong or malformed token and moves nobody', async () => {
    const u: TestUser = await user(server, 'dr');
    const drain = (authorization?: string) =>
      fetch(`${server.httpUrl}/admin/drain`, {
        method: 'POST',
        headers: authorization === undefined ? {} : { authorization },
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer wrong',
      `Bearer ${ADMIN}x`,
      `bearer ${ADMIN}`,
      ADMIN,
    ]) {
      expect(await drain(header)).toBe(401);
    }
    expect(await healthStatus(server.httpUrl)).toBe(200);
    expect((await u.client.request('account.getProfile', {})).userId).toBe(u.userId);
    expect(u.client.state.status).toBe('authenticated');
    u.client.close();
    // A connection without any login still gets nowhere near the admin side.
    const c = newClient(server);
    await c.connect();
    c.close();
  });
});

import { ErrorCode } from '@imw/shared';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src';
import { tables } from '../../src/db';
import { Revocations } from '../../src/presence';
import { DB_KINDS, testDatabase } from '../support/db';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { errorCode } from '../support/users';

const TTL = 24 * 3600_000;

/**
 * R-SEC-34 (security review L7): ended-session records cannot be made to pile up. Successful
 * logins per account are capped, a record lives only as long as the session's newest ticket, and
 * this node's memory of them is bounded (the database stays authoritative).
 */
describe.each(DB_KINDS)('ended-session records stay bounded (%s)', (kind) => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const x of open.reverse()) await x.close();
  });

  it('R-SEC-34: more than LOGINS_PER_USER_PER_MINUTE logins of one account get RATE_LIMITED; others are not held back', async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const server = await startTestServer(db, { LOGINS_PER_USER_PER_MINUTE: 3 });
    open.push(server);
    const login = async (name: string) => {
      const c = newClient(server);
      await c.connect();
      const code = await errorCode(c.login(name, `pw-${name}`));
      c.close();
      return code;
    };
    const [a, b] = [uniqueName('l7a'), uniqueName('l7b')];
    const setup = newClient(server);
    await setup.connect();
    await setup.register(a, `pw-${a}`);
    await setup.register(b, `pw-${b}`);
    setup.close();
    for (let i = 0; i < 3; i++) expect(await login(a)).toBe('ok');
    expect(await login(a)).toBe(ErrorCode.RATE_LIMITED);
    expect(await login(b)).toBe('ok');
  });

  it("R-SEC-34: an ended session's record expires with its newest ticket, not a full TTL after the end", async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const clock = new ManualClock(Date.now());
    const server = await startTestServer(db, {}, clock);
    open.push(server);
    const name = uniqueName('l7e');
    const c = newClient(server);
    await c.connect();
    await c.register(name, `pw-${name}`);
    const loginAt = clock.now();
    await c.login(name, `pw-${name}`);
    const sessionId = c.credentials!.sessionId;
    clock.advance(3600_000);
    await c.logout();
    const [row] = await db.db
      .select()
      .from(tables.endedSessions)
      .where(eq(tables.endedSessions.sessionId, sessionId));
    expect(row?.expiresAt.getTime()).toBe(loginAt + TTL);
  });

  it('R-SEC-34: the memory of ended sessions is bounded; the database still knows the ones it forgot', async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const clock = new ManualClock(Date.now());
    const r = new Revocations(db.db, clock, TTL, pino({ level: 'silent' }), 60_000, 3);
    for (const id of ['s1', 's2', 's3', 's4', 's5']) await r.revoke(id);
    expect(['s1', 's2', 's3', 's4', 's5'].map((id) => r.revokedHere(id))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(await r.isRevoked('s1')).toBe(true);
    expect(r.localSize).toBe(3);
  });
});

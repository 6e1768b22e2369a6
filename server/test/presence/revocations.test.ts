import { randomBytes } from 'node:crypto';
import { CloseCode, ErrorCode } from '@imw/shared';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { closed, newClient, startTestServer } from '../support/server';
import { errorCode, testUser } from '../support/users';

/**
 * R-RES-4: the end of a session is kept in the database, not in one node's memory, so a stolen
 * or stale ticket of a session that ended stays void after a restart and on every other node.
 */
describe.each(DB_KINDS)('ended sessions stay ended (%s)', (kind) => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const x of open.reverse()) await x.close();
  });
  const server = async (db: Database, extra: Parameters<typeof startTestServer>[1] = {}) => {
    const s = await startTestServer(db, extra);
    open.push(s);
    return s;
  };
  const resumeOn = async (node: ImServer, creds: NonNullable<ReturnType<typeof credsOf>>) => {
    const c = newClient(node);
    await c.connect();
    const outcome = await c.resume(creds).then(
      (r) => ({ ok: true as const, seamless: r.seamless }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    c.close();
    return outcome;
  };
  const credsOf = (u: Awaited<ReturnType<typeof testUser>>) => u.client.credentials;

  it('R-RES-4: after a restart, a logged-out session cannot be resumed; a merely dropped one still can', async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const first = await server(db);
    const out = await testUser(first, 'rvo', []);
    const dropped = await testUser(first, 'rvd', []);
    const outCreds = credsOf(out)!;
    const droppedCreds = credsOf(dropped)!;
    await out.client.logout();
    dropped.client.close(4999, 'network gone');
    await first.close();

    const second = await server(db);
    const loggedOut = newClient(second);
    await loggedOut.connect();
    expect(await errorCode(loggedOut.resume(outCreds))).toBe(ErrorCode.AUTH_FAILED);
    loggedOut.close();
    // The control: a session that never ended comes back (re-created, so not seamless).
    expect(await resumeOn(second, droppedCreds)).toEqual({ ok: true, seamless: false });
  });

  it.runIf(process.env.TEST_REDIS_URL)(
    'R-RES-4: a session logged out on one node cannot be resumed on another',
    async () => {
      const db = await testDatabase(kind);
      open.push(db);
      const cluster = {
        REDIS_URL: process.env.TEST_REDIS_URL,
        REDIS_KEY_PREFIX: `imwt:${randomBytes(4).toString('hex')}:`,
      };
      const n1 = await server(db, cluster);
      const n2 = await server(db, cluster);
      const u = await testUser(n1, 'rvc', []);
      const creds = credsOf(u)!;
      await u.client.logout();
      const c = newClient(n2);
      await c.connect();
      expect(await errorCode(c.resume(creds))).toBe(ErrorCode.AUTH_FAILED);
      c.close();
      // R-DEV-4: ended by the user's session on n2 (session.end): void on n1 as well.
      const v = await testUser(n1, 'rvt', []);
      const old = credsOf(v)!;
      const again = newClient(n2);
      await again.connect();
      await again.login(v.username, v.password);
      await again.endSession(old.sessionId);
      expect(await closed(v.client)).toBe(CloseCode.SESSION_ENDED);
      const back = newClient(n1);
      await back.connect();
      expect(await errorCode(back.resume(old))).toBe(ErrorCode.AUTH_FAILED);
      back.close();
      again.close();
    },
  );
});

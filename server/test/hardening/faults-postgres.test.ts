import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@imw/shared';
import { ImError } from '@imw/shared/sdk';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import { type Database, openDatabase } from '../../src/db';
import { healthStatus } from '../support/measure';
import { hostPort, TcpProxy } from '../support/proxy';
import { startTestServer } from '../support/server';
import { befriend, type TestUser, user } from '../support/users';
import { waitFor } from '../support/wait';

const BASE_URL = process.env.TEST_DATABASE_URL;
const REQUEST_TIMEOUT_MS = 600;

/** The error a request fails with, and how long it took to fail. */
async function failure(p: Promise<unknown>): Promise<{ code: string; ms: number }> {
  const t0 = Date.now();
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  return { code: err instanceof ImError ? err.code : String(err), ms: Date.now() - t0 };
}

/**
 * R-HARD-8, R-HARD-9: PostgreSQL lost and back. The server reaches PostgreSQL through a TCP proxy
 * the test cuts (every connection reset, new ones reset on arrival) or silences (a blackhole: a
 * dead host that answers nothing), then restores.
 */
describe.runIf(BASE_URL)('PostgreSQL lost and back (through a TCP proxy)', () => {
  let proxy: TcpProxy;
  let db: Database;
  let server: ImServer;
  let admin: postgres.Sql;
  const name = `imw_t_${randomBytes(6).toString('hex')}`;
  let a: TestUser;
  let b: TestUser;

  beforeAll(async () => {
    admin = postgres(BASE_URL!, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    proxy = await TcpProxy.start(hostPort(BASE_URL!));
    const url = new URL(proxy.rewrite(BASE_URL!));
    url.pathname = `/${name}`;
    db = await openDatabase({ url: url.toString() });
    server = await startTestServer(db, { RESUME_GRACE_MS: 0, REQUEST_TIMEOUT_MS: REQUEST_TIMEOUT_MS });
    a = await user(server, 'pa');
    b = await user(server, 'pb');
    await befriend(a, b);
  });
  afterAll(async () => {
    a?.client.close();
    b?.client.close();
    proxy?.restore();
    await server?.close();
    await db?.close();
    await proxy?.close();
    await admin?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  it('R-HARD-8: while PostgreSQL is cut, sends and account operations fail fast with UNAVAILABLE, presence goes on, and all recovers by itself; a resend is stored once', async () => {
    // Warm the friendship cache both ways (SocialService keeps friend-id sets for 60 s).
    await a.client.request('chat.send', { to: b.userId, text: 'warm' });
    await b.client.request('chat.send', { to: a.userId, text: 'warm' });
    await b.log.wait('chat.message', (m) => m.text === 'warm');

    proxy.cut();
    const cutAt = Date.now();
    // Friend messages are stored before they are acknowledged (R-MSG-8), so without the database
    // a send gets a quick, retryable UNAVAILABLE rather than an ack for a message that is lost.
    const send = await failure(
      a.client.request('chat.send', { to: b.userId, text: 'during', clientId: 'outage-1' }),
    );
    // Presence lives in memory (or Redis): a status change still reaches the friend.
    await a.client.request('presence.setStatus', { status: 'away' });
    await b.log.wait('presence.changed', (e) => e.userId === a.userId && e.status === 'away');
    // Account operations fail with a clear, retryable error, quickly (not INTERNAL, not a hang).
    const update = await failure(a.client.request('account.updateProfile', { bio: 'offline edit' }));
    const profile = await failure(b.client.request('account.getProfile', {}));
    const list = await failure(a.client.request('friends.list', {}));
    for (const f of [send, update, profile, list]) {
      expect(f.code).toBe(ErrorCode.UNAVAILABLE);
      expect(f.ms).toBeLessThan(2000);
    }
    expect(b.log.of('chat.message').some((m) => m.text === 'during')).toBe(false);
    expect(await healthStatus(server.httpUrl)).toBe(200);
    const outageMs = Date.now() - cutAt;

    proxy.restore();
    const restoredAt = Date.now();
    // No restart, no reconnect by hand: the next queries open fresh connections.
    await waitFor(
      'a profile update to succeed',
      async () =>
        (await a.client.request('account.updateProfile', { bio: 'back online' }).then(
          () => true,
          () => false,
        )) === true,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    const recoveryMs = Date.now() - restoredAt;
    // The client's retry (same clientId, as the SDK does) is stored and delivered exactly once.
    const ack = await a.client.request('chat.send', { to: b.userId, text: 'during', clientId: 'outage-1' });
    const again = await a.client.request('chat.send', { to: b.userId, text: 'during', clientId: 'outage-1' });
    expect(again).toEqual(ack);
    await b.log.wait('chat.message', (m) => m.text === 'during');
    expect(b.log.of('chat.message').filter((m) => m.text === 'during')).toHaveLength(1);
    expect((await b.client.request('account.getUser', { userId: a.userId })).bio).toBe('back online');
    expect((await a.client.request('friends.list', {})).friends.map((f) => f.userId)).toEqual([b.userId]);
    console.info(
      `R-HARD-8: outage ${outageMs} ms; failures in ${update.ms}/${profile.ms}/${list.ms} ms; ` +
        `recovered ${recoveryMs} ms after restore`,
    );
  });

  it('R-HARD-9: while PostgreSQL is silent, a request that needs it is answered UNAVAILABLE at REQUEST_TIMEOUT_MS and the next requests on the same connection go on', async () => {
    await a.client.request('chat.send', { to: b.userId, text: 'warm again' });
    await b.log.wait('chat.message', (m) => m.text === 'warm again');
    proxy.blackhole();
    // Without the deadline this would hang until TCP gave up (minutes), and every later request
    // on A's connection would queue behind it.
    const hung = a.client.request('account.updateProfile', { bio: 'into the void' });
    const next = a.client.request('rtc.iceServers', {});
    const update = await failure(hung);
    expect(update.code).toBe(ErrorCode.UNAVAILABLE);
    expect(update.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(update.ms).toBeLessThan(REQUEST_TIMEOUT_MS + 1500);
    expect((await next).iceServers).toBeDefined();
    // Presence, which needs no database, still reaches the friend.
    await a.client.request('presence.setStatus', { status: 'busy' });
    await b.log.wait('presence.changed', (e) => e.userId === a.userId && e.status === 'busy');
    expect(await healthStatus(server.httpUrl)).toBe(200);
    proxy.restore();
    const restoredAt = Date.now();
    await waitFor(
      'a profile update to succeed',
      async () =>
        (await a.client.request('account.updateProfile', { bio: 'heard again' }).then(
          () => true,
          () => false,
        )) === true,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    console.info(
      `R-HARD-9: silent database answered UNAVAILABLE in ${update.ms} ms; ` +
        `recovered ${Date.now() - restoredAt} ms after restore`,
    );
  });
});

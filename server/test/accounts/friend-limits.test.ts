import { ErrorCode } from '@imw/shared';
import { ImError } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { errorCode, type TestUser, testUser } from '../support/users';

const HOUR_MS = 3_600_000;
const COOLDOWN_MS = 2 * HOUR_MS;

/** The error a request failed with (code, details, retryAfterMs), or a failure if it succeeded. */
async function failure(p: Promise<unknown>): Promise<ImError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ImError) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

/** R-FRD-30..33: friend-request limits, on a clock that moves only when a test says so. */
describe('friend request limits', () => {
  let db: Database;
  let server: ImServer;
  const clock = new ManualClock();
  const user = (prefix: string) =>
    testUser(server, prefix, ['friends.requestReceived', 'friends.requestAnswered', 'friends.added']);

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(
      db,
      {
        FRIEND_REQUESTS_PER_HOUR: 3,
        FRIEND_DECLINE_COOLDOWN_MS: COOLDOWN_MS,
        // The clock stands still between steps; keep the time-based connection limits away.
        HEARTBEAT_TIMEOUT_MS: 100 * HOUR_MS,
        PRE_LOGIN_DEADLINE_MS: 100 * HOUR_MS,
      },
      clock,
    );
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
  const close = (...us: TestUser[]) => {
    for (const u of us) u.client.close();
  };

  it('R-FRD-30: past FRIEND_REQUESTS_PER_HOUR new requests in an hour, RATE_LIMITED with the wait; an hour later it works again', async () => {
    const a = await user('fla');
    const targets = await Promise.all([1, 2, 3, 4].map(() => user('flt')));
    for (const t of targets.slice(0, 3)) await a.client.request('friends.request', { username: t.username });
    clock.advance(10 * 60_000);
    const e = await failure(a.client.request('friends.request', { username: targets[3]!.username }));
    expect(e.code).toBe(ErrorCode.RATE_LIMITED);
    expect(e.details).toEqual(['hourly']);
    // The oldest of the three leaves the window 50 minutes from now.
    expect(e.retryAfterMs).toBe(50 * 60_000);
    // Refused requests are not stored and do not count.
    expect((await a.client.request('friends.list', {})).outgoing).toHaveLength(3);
    clock.advance(50 * 60_000);
    expect(await a.client.request('friends.request', { username: targets[3]!.username })).toEqual({
      becameFriends: false,
    });
    close(a, ...targets);
  });

  it('R-FRD-31: accepting (also by a crossing request) is not a new request and is never limited', async () => {
    const a = await user('fca');
    const others = await Promise.all([1, 2, 3, 4].map(() => user('fco')));
    for (const o of others.slice(0, 3)) await a.client.request('friends.request', { username: o.username });
    // a is at its limit; d asks a, and a's crossing request makes them friends at once.
    const d = others[3]!;
    await d.client.request('friends.request', { username: a.username });
    expect(await a.client.request('friends.request', { username: d.username })).toEqual({
      becameFriends: true,
    });
    clock.advance(HOUR_MS);
    close(a, ...others);
  });

  it('R-FRD-32: after a decline the same request waits FRIEND_DECLINE_COOLDOWN_MS: RATE_LIMITED, details declined, then it works', async () => {
    const a = await user('fda');
    const b = await user('fdb');
    const c = await user('fdc');
    await a.client.request('friends.request', { username: b.username });
    await b.log.wait('friends.requestReceived');
    await b.client.request('friends.decline', { userId: a.userId });
    await a.log.wait('friends.requestAnswered', (e) => e.userId === b.userId && !e.accepted);
    clock.advance(HOUR_MS);
    const e = await failure(a.client.request('friends.request', { username: b.username }));
    expect(e.code).toBe(ErrorCode.RATE_LIMITED);
    expect(e.details).toEqual(['declined']);
    expect(e.retryAfterMs).toBe(COOLDOWN_MS - HOUR_MS);
    // Only that pair waits: a may ask others, and b may ask a (the decliner changed their mind).
    expect(await errorCode(a.client.request('friends.request', { username: c.username }))).toBe('ok');
    clock.advance(COOLDOWN_MS - HOUR_MS);
    expect(await a.client.request('friends.request', { username: b.username })).toEqual({
      becameFriends: false,
    });
    clock.advance(HOUR_MS);
    close(a, b, c);
  });

  it('R-FRD-33: the decliner asking back makes friends at once, and a friendship clears the cooldown', async () => {
    const a = await user('fea');
    const b = await user('feb');
    await a.client.request('friends.request', { username: b.username });
    await b.log.wait('friends.requestReceived');
    await b.client.request('friends.decline', { userId: a.userId });
    await b.client.request('friends.request', { username: a.username });
    await a.log.wait('friends.requestReceived', (e) => e.from.userId === b.userId);
    // a's answer by request is an accept: no cooldown applies to it.
    expect(await a.client.request('friends.request', { username: b.username })).toEqual({
      becameFriends: true,
    });
    await a.client.request('friends.remove', { userId: b.userId });
    expect(await errorCode(a.client.request('friends.request', { username: b.username }))).toBe('ok');
    clock.advance(HOUR_MS);
    close(a, b);
  });

  it('R-FRD-34: a blocked user meets the same limits with the same answers (R-BLK-3)', async () => {
    const a = await user('fba');
    const b = await user('fbb');
    await a.client.request('friends.request', { username: b.username });
    await b.log.wait('friends.requestReceived');
    await b.client.request('friends.decline', { userId: a.userId });
    await b.client.request('blocks.add', { userId: a.userId });
    const e = await failure(a.client.request('friends.request', { username: b.username }));
    expect([e.code, e.details]).toEqual([ErrorCode.RATE_LIMITED, ['declined']]);
    clock.advance(COOLDOWN_MS);
    expect(await a.client.request('friends.request', { username: b.username })).toEqual({
      becameFriends: false,
    });
    clock.advance(HOUR_MS);
    close(a, b);
  });
});

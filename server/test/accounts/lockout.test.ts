import { ErrorCode } from '@imw/shared';
import type { SocketFactory, SocketLike } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { errorCode } from '../support/users';

/** An SDK client that the (trusted) proxy in front of the server says comes from `ip`. */
const from = (server: ImServer, ip: string) => {
  const factory: SocketFactory = (url) =>
    new WebSocket(url, { headers: { 'x-forwarded-for': ip } }) as unknown as SocketLike;
  return newClient(server, { socketFactory: factory });
};

/**
 * R-SEC-32 (security review M4): failed logins are counted per (username, address), so nobody
 * can lock a user out by failing on purpose; a slower username-wide back-off still holds back
 * the addresses that keep failing.
 */
describe('failed logins do not lock the real user out', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase();
    server = await startTestServer(db, {
      TRUSTED_PROXIES: '127.0.0.1',
      LOGIN_FAILURES_PER_USERNAME: 5,
      LOGIN_FAILURES_PER_USERNAME_ALL_ADDRESSES: 8,
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('R-SEC-32: an attacker failing from one address throttles itself; the victim elsewhere logs in', async () => {
    const name = uniqueName('m4');
    const password = `pw-${name}`;
    const victim = from(server, '198.51.100.7');
    await victim.connect();
    await victim.register(name, password);
    const attacker = from(server, '203.0.113.9');
    await attacker.connect();
    for (let i = 0; i < 5; i++)
      expect(await errorCode(attacker.login(name, 'guess'))).toBe(ErrorCode.AUTH_FAILED);
    // The attacker's own address is held back, even with the right password.
    expect(await errorCode(attacker.login(name, 'guess'))).toBe(ErrorCode.RATE_LIMITED);
    expect(await errorCode(victim.login(name, password))).toBe('ok');
    victim.close();
    attacker.close();
  });

  it('R-SEC-32: past the username-wide ceiling an address that failed gets no more guesses; a clean one is still checked', async () => {
    const name = uniqueName('m4g');
    const password = `pw-${name}`;
    const owner = from(server, '198.51.100.20');
    await owner.connect();
    await owner.register(name, password);
    // Four addresses, two failures each: 8 username-wide, no address near its own limit.
    const bots = ['203.0.113.21', '203.0.113.22', '203.0.113.23', '203.0.113.24'].map((ip) =>
      from(server, ip),
    );
    for (const b of bots) {
      await b.connect();
      for (let i = 0; i < 2; i++) expect(await errorCode(b.login(name, 'guess'))).toBe(ErrorCode.AUTH_FAILED);
    }
    expect(await errorCode(bots[0]!.login(name, 'guess'))).toBe(ErrorCode.RATE_LIMITED);
    expect(await errorCode(owner.login(name, password))).toBe('ok');
    owner.close();
    for (const b of bots) b.close();
  });
});

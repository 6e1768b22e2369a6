import { afterEach, describe, expect, it } from 'vitest';
import { ImClient, ImError } from '../src/sdk';
import { nodeSocketFactory } from '../src/sdk/node';
import { type FakeServer, startFakeServer } from './support/fake-server';

const PASSWORD = 'hunter2';

const client = (url: string, extra: Partial<ConstructorParameters<typeof ImClient>[0]> = {}) =>
  new ImClient({
    url,
    socketFactory: nodeSocketFactory,
    reconnect: { enabled: false },
    heartbeat: false,
    requestTimeoutMs: 3000,
    ...extra,
  });

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ImError ? e.code : String(e)),
  );

/**
 * R-SEC-1 (review M5): a server that has not proven anything yet picks the PBKDF2 salt and
 * iteration count. A fake server on a real socket answers with weak or absurd ones: the stock SDK
 * must not derive or send a proof (with one, a password falls to offline guessing at one HMAC per guess).
 */
describe('R-SEC-1: the SDK bounds the SCRAM parameters a server asks for', () => {
  let fake: FakeServer | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  const loginAgainst = async (opts: Parameters<typeof startFakeServer>[0], extra = {}) => {
    fake = await startFakeServer(opts);
    const c = client(fake.url, extra);
    await c.connect();
    const code = await codeOf(c.login('victim', PASSWORD));
    c.close();
    return { code, types: fake.received.map((p) => p.type) };
  };

  it('R-SEC-1: a challenge with 1 iteration (the review probe) gets no proof', async () => {
    const r = await loginAgainst({ iterations: 1 });
    expect(r.code).toBe('SERVER_AUTH_FAILED');
    expect(r.types).toEqual(['auth.challenge']);
  });

  it('R-SEC-1: 4095 iterations are refused, 4096 (the default floor) are accepted', async () => {
    expect((await loginAgainst({ iterations: 4095 })).types).toEqual(['auth.challenge']);
    await fake?.close();
    const ok = await loginAgainst({ iterations: 4096, password: PASSWORD });
    expect(ok).toEqual({ code: 'ok', types: ['auth.challenge', 'auth.login'] });
  });

  it('R-SEC-1: the floor is configurable (scramMinIterations)', async () => {
    const r = await loginAgainst({ iterations: 50_000 }, { scramMinIterations: 100_000 });
    expect(r).toEqual({ code: 'SERVER_AUTH_FAILED', types: ['auth.challenge'] });
  });

  it('R-SEC-1: more than 10,000,000 iterations (a stall) are refused without deriving', async () => {
    const started = Date.now();
    const r = await loginAgainst({ iterations: 2_000_000_000 });
    expect(r).toEqual({ code: 'SERVER_AUTH_FAILED', types: ['auth.challenge'] });
    // Deriving 2e9 iterations would take minutes; refusing takes a round trip.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('R-SEC-1: a salt shorter than 16 bytes gets no proof', async () => {
    const r = await loginAgainst({ salt: new Uint8Array(8).fill(1) });
    expect(r.code).not.toBe('ok');
    expect(r.types).toEqual(['auth.challenge']);
  });

  it('R-SEC-1: reauth (change password, delete account) applies the same bounds', async () => {
    fake = await startFakeServer({ password: PASSWORD, reauthIterations: 1 });
    const c = client(fake.url);
    await c.connect();
    await c.login('victim', PASSWORD);
    expect(await codeOf(c.changePassword(PASSWORD, 'new password 123'))).toBe('SERVER_AUTH_FAILED');
    expect(await codeOf(c.deleteAccount(PASSWORD))).toBe('SERVER_AUTH_FAILED');
    // A request after the refusals: the server saw both challenges but never a proof.
    await c.request('sys.heartbeat', {});
    // chat.sync is the SDK's own catch-up after login (R-SDK-3), not part of the handshake.
    expect(fake.received.map((p) => p.type).filter((t) => t !== 'chat.sync')).toEqual([
      'auth.challenge',
      'auth.login',
      'account.reauthChallenge',
      'account.reauthChallenge',
      'sys.heartbeat',
    ]);
    c.close();
  });
});

import {
  authMessage,
  CloseCode,
  clientProof,
  clientSecrets,
  ErrorCode,
  encodePlainFrame,
  encodeRequest,
  generateEphemeral,
  PROTOCOL_VERSION,
  randomNonce,
} from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { RawSocket } from '../support/raw';
import {
  closed,
  loggedInUser,
  newClient,
  startTestServer,
  tappedSocketFactory,
  uniqueName,
} from '../support/server';

const expectCode = async (p: Promise<unknown>, code: string) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImError);
  expect((err as ImError).code).toBe(code);
};

describe.each(DB_KINDS)('login and the encrypted session (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  const clock = new ManualClock(Date.now());
  /** A logged-in client that every test checks is still served after someone else misbehaves. */
  let bystander: ImClient;

  beforeAll(async () => {
    db = await testDatabase(kind);
    // The clock jumps minutes ahead in some tests: liveness limits must not fire on that.
    server = await startTestServer(
      db,
      { MAX_PAYLOAD_BYTES: 4096, HEARTBEAT_TIMEOUT_MS: 3_600_000, PRE_LOGIN_DEADLINE_MS: 3_600_000 },
      clock,
    );
    bystander = (await loggedInUser(server, 'by')).client;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const bystanderServed = async () => {
    const p = await bystander.request('account.getProfile', {});
    expect(p.userId).toBeGreaterThan(0);
  };

  /** Challenge by hand, so tests can act between the two SCRAM steps. */
  async function challenge(c: ImClient, username: string) {
    const eph = await generateEphemeral();
    const clientNonce = randomNonce();
    const ch = await c.request('auth.challenge', { username, clientNonce, clientPublicKey: eph.publicKey });
    return { eph, clientNonce, ch };
  }

  async function proofFor(username: string, password: string, s: Awaited<ReturnType<typeof challenge>>) {
    const secrets = await clientSecrets(password, s.ch.salt, s.ch.iterations);
    const am = authMessage({
      username,
      clientNonce: s.clientNonce,
      nonce: s.ch.nonce,
      salt: s.ch.salt,
      iterations: s.ch.iterations,
      clientPublicKey: s.eph.publicKey,
      serverPublicKey: s.ch.serverPublicKey,
    });
    return clientProof(secrets, am);
  }

  it('R-AUTH-1..3: register, challenge, login, encrypted profile edit, logout', async () => {
    const { client, username, profile } = await loggedInUser(server, 'alice');
    expect(profile.username).toBe(username);
    expect(client.state.status).toBe('authenticated');
    const edited = await client.request('account.updateProfile', {
      displayName: 'Alice A.',
      bio: 'hi',
      avatar: 'owl',
    });
    expect(edited).toMatchObject({ displayName: 'Alice A.', bio: 'hi', avatar: 'owl' });
    expect(await client.request('account.getProfile', {})).toMatchObject({ displayName: 'Alice A.' });
    const other = await bystander.request('account.getUser', { username });
    expect(other).toMatchObject({ username, displayName: 'Alice A.', bio: 'hi' });
    expect(other).not.toHaveProperty('createdAtMs');
    await client.logout();
    expect(await closed(client)).toBe(CloseCode.NORMAL);
    await bystanderServed();
  });

  it('R-AUTH-1: the database holds SCRAM verifiers only, never the password', async () => {
    const { username, password, client } = await loggedInUser(server, 'vault');
    client.close();
    const rows = await db.db.execute(sql`select * from users where username = ${username}`);
    const text = JSON.stringify(rows, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    expect(text).not.toContain(password);
    expect(text).toContain('scram_stored_key');
  });

  it('R-AUTH-1: a taken username is refused and leaves no partial account', async () => {
    const c = newClient(server);
    await c.connect();
    const name = uniqueName('dup');
    await c.register(name, 'first-password');
    await expectCode(c.register(name, 'second-password'), ErrorCode.USERNAME_TAKEN);
    await c.login(name, 'first-password');
    c.close();
  });

  it('R-AUTH-4: a wrong password gets AUTH_FAILED, the same as an unknown user', async () => {
    const { username, client } = await loggedInUser(server, 'bob');
    client.close();
    const c = newClient(server);
    await c.connect();
    await expectCode(c.login(username, 'not-the-password'), ErrorCode.AUTH_FAILED);
    await expectCode(c.login(uniqueName('ghost'), 'whatever'), ErrorCode.AUTH_FAILED);
    c.close();
    await bystanderServed();
  });

  it('R-AUTH-2: an unknown username gets a challenge of the same shape, stable across asks', async () => {
    const c = newClient(server);
    await c.connect();
    const { username, client } = await loggedInUser(server, 'known');
    client.close();
    const ghost = uniqueName('ghost');
    const known = await challenge(c, username);
    const unknown1 = await challenge(c, ghost);
    const unknown2 = await challenge(c, ghost);
    expect(Object.keys(unknown1.ch).sort()).toEqual(Object.keys(known.ch).sort());
    expect(unknown1.ch.salt.byteLength).toBe(known.ch.salt.byteLength);
    expect(unknown1.ch.iterations).toBe(known.ch.iterations);
    expect(Buffer.from(unknown1.ch.salt)).toEqual(Buffer.from(unknown2.ch.salt));
    c.close();
  });

  it('R-AUTH-5: an expired challenge is refused (injected clock)', async () => {
    const { username, password, client } = await loggedInUser(server, 'late');
    client.close();
    const c = newClient(server);
    await c.connect();
    const s = await challenge(c, username);
    clock.advance(60_001);
    const clientProofBytes = await proofFor(username, password, s);
    await expectCode(
      c.request('auth.login', { nonce: s.ch.nonce, clientProof: clientProofBytes }),
      ErrorCode.CHALLENGE_INVALID,
    );
    c.close();
    await bystanderServed();
  });

  it('R-AUTH-5: a challenge is single-use, even after a failed attempt', async () => {
    const { username, password, client } = await loggedInUser(server, 'once');
    client.close();
    const c = newClient(server);
    await c.connect();
    const s = await challenge(c, username);
    await expectCode(
      c.request('auth.login', { nonce: s.ch.nonce, clientProof: new Uint8Array(32) }),
      ErrorCode.AUTH_FAILED,
    );
    const good = await proofFor(username, password, s);
    await expectCode(
      c.request('auth.login', { nonce: s.ch.nonce, clientProof: good }),
      ErrorCode.CHALLENGE_INVALID,
    );
    c.close();
  });

  it('R-AUTH-5: a challenge presented from another socket is refused', async () => {
    const { username, password, client } = await loggedInUser(server, 'thief');
    client.close();
    const a = newClient(server);
    const b = newClient(server);
    await a.connect();
    await b.connect();
    const s = await challenge(a, username);
    const good = await proofFor(username, password, s);
    await expectCode(
      b.request('auth.login', { nonce: s.ch.nonce, clientProof: good }),
      ErrorCode.CHALLENGE_INVALID,
    );
    // …and it is burnt for its own socket too: a leaked nonce is useless to everyone.
    await expectCode(
      a.request('auth.login', { nonce: s.ch.nonce, clientProof: good }),
      ErrorCode.CHALLENGE_INVALID,
    );
    a.close();
    b.close();
  });

  it('R-AUTH-6: failed logins are throttled per username', async () => {
    const { username, password, client } = await loggedInUser(server, 'brute');
    client.close();
    const c = newClient(server);
    await c.connect();
    for (let i = 0; i < 5; i++) await expectCode(c.login(username, `wrong${i}`), ErrorCode.AUTH_FAILED);
    const err = await c.login(username, password).catch((e: unknown) => e as ImError);
    expect(err).toBeInstanceOf(ImError);
    expect((err as ImError).code).toBe(ErrorCode.RATE_LIMITED);
    expect((err as ImError).retryAfterMs).toBeGreaterThan(0);
    clock.advance(60_001);
    await c.login(username, password);
    c.close();
  });

  it('R-NET-1: a command before login gets NOT_LOGGED_IN and the socket stays usable', async () => {
    const c = newClient(server);
    await c.connect();
    await expectCode(c.request('account.getProfile', {}), ErrorCode.NOT_LOGGED_IN);
    const { username, password, client } = await loggedInUser(server, 'early');
    client.close();
    await c.login(username, password);
    c.close();
    await bystanderServed();
  });

  it('R-NET-2: login commands after login get ALREADY_LOGGED_IN', async () => {
    const { client, username } = await loggedInUser(server, 'twice');
    await expectCode(
      client.request('auth.challenge', {
        username,
        clientNonce: randomNonce(),
        clientPublicKey: new Uint8Array(32),
      }),
      ErrorCode.ALREADY_LOGGED_IN,
    );
    client.close();
  });

  it('R-VER-1, R-VER-2: too new and too old protocol versions close with different codes', async () => {
    const tooNew = await RawSocket.open(server.wsUrl);
    tooNew.request('account.getProfile', 1, {}, PROTOCOL_VERSION + 1);
    expect(await tooNew.closed()).toBe(CloseCode.VERSION_TOO_NEW);
    const tooOld = await RawSocket.open(server.wsUrl);
    tooOld.request('account.getProfile', 1, {}, 0);
    expect(await tooOld.closed()).toBe(CloseCode.VERSION_TOO_OLD);
    await bystanderServed();
  });

  it('R-NET-3: random bytes and text frames get BAD_FRAME; too many malformed frames close', async () => {
    const s = await RawSocket.open(server.wsUrl);
    s.send(new Uint8Array([PROTOCOL_VERSION, 0, 0xde, 0xad]));
    const e = await s.errorEvent();
    expect(e.kind === 'event' && e.event.type === 'sys.error' && e.event.body.code).toBe(ErrorCode.BAD_FRAME);
    s.send('hello');
    await s.until(
      () => s.packets.filter((p) => p.kind === 'event' && p.event.type === 'sys.error').length >= 2,
    );
    for (let i = 0; i < 20 && s.closeCode === null; i++) s.send(new Uint8Array([PROTOCOL_VERSION, 0, 1]));
    expect(await s.closed()).toBe(CloseCode.PROTOCOL_ERROR);
    await bystanderServed();
  });

  it('R-NET-4: an unknown packet type and an invalid payload get UNKNOWN_TYPE and BAD_REQUEST', async () => {
    const s = await RawSocket.open(server.wsUrl);
    s.send(
      encodePlainFrame(PROTOCOL_VERSION, [{ typeId: 999, requestId: 7, payload: new Uint8Array([0x80]) }]),
    );
    const r = await s.response(7);
    expect(r.kind === 'error' && r.error.code).toBe(ErrorCode.UNKNOWN_TYPE);
    s.send(
      encodePlainFrame(PROTOCOL_VERSION, [encodeRequest('auth.register', 8, { username: 'X!', salt: 5 })]),
    );
    const r2 = await s.response(8);
    expect(r2.kind === 'error' && r2.error.code).toBe(ErrorCode.BAD_REQUEST);
    expect(r2.kind === 'error' && r2.error.details?.length).toBeGreaterThan(0);
    s.close();
  });

  it('R-LIM-1: a frame over the size limit closes with FRAME_TOO_LARGE', async () => {
    const s = await RawSocket.open(server.wsUrl);
    s.send(new Uint8Array(4097));
    expect(await s.closed()).toBe(CloseCode.FRAME_TOO_LARGE);
    await bystanderServed();
  });

  it('R-ENC-1: a tampered encrypted frame closes with DECRYPT_FAILED', async () => {
    const { factory, tap } = tappedSocketFactory();
    const c = newClient(server, { socketFactory: factory });
    await c.connect();
    const name = uniqueName('tamper');
    await c.register(name, 'pw-tamper');
    await c.login(name, 'pw-tamper');
    tap.mutateNext = (f) => {
      const copy = f.slice();
      copy[copy.length - 1]! ^= 0x01;
      return copy;
    };
    c.request('account.getProfile', {}).catch(() => undefined);
    expect(await closed(c)).toBe(CloseCode.DECRYPT_FAILED);
    await bystanderServed();
  });

  it('R-ENC-2: a replayed encrypted frame closes with REPLAY', async () => {
    const { factory, tap } = tappedSocketFactory();
    const c = newClient(server, { socketFactory: factory });
    await c.connect();
    const name = uniqueName('replay');
    await c.register(name, 'pw-replay');
    await c.login(name, 'pw-replay');
    await c.request('account.getProfile', {});
    tap.sendRaw(tap.sent.at(-1)!);
    expect(await closed(c)).toBe(CloseCode.REPLAY);
    await bystanderServed();
  });

  it('R-ENC-3: a plaintext frame after login closes with PROTOCOL_ERROR', async () => {
    const { factory, tap } = tappedSocketFactory();
    const c = newClient(server, { socketFactory: factory });
    await c.connect();
    const name = uniqueName('plain');
    await c.register(name, 'pw-plain');
    await c.login(name, 'pw-plain');
    tap.sendRaw(encodePlainFrame(PROTOCOL_VERSION, [encodeRequest('account.getProfile', 99, {})]));
    expect(await closed(c)).toBe(CloseCode.PROTOCOL_ERROR);
  });

  it('R-ACC-2: change password proves the current one; the new one works, the old does not', async () => {
    const { client, username, password } = await loggedInUser(server, 'chpw');
    await expectCode(client.changePassword('not-current', 'new-password-1'), ErrorCode.AUTH_FAILED);
    await client.changePassword(password, 'new-password-1');
    await client.logout();
    const c = newClient(server);
    await c.connect();
    await expectCode(c.login(username, password), ErrorCode.AUTH_FAILED);
    await c.login(username, 'new-password-1');
    c.close();
  });

  it('R-ACC-3: delete account proves the password, closes the session, and the name is gone', async () => {
    const { client, username, password } = await loggedInUser(server, 'del');
    await expectCode(client.deleteAccount('wrong'), ErrorCode.AUTH_FAILED);
    await client.deleteAccount(password);
    expect(await closed(client)).toBe(CloseCode.ACCOUNT_DELETED);
    await expectCode(bystander.request('account.getUser', { username }), ErrorCode.NOT_FOUND);
    const c = newClient(server);
    await c.connect();
    await expectCode(c.login(username, password), ErrorCode.AUTH_FAILED);
    c.close();
  });

  it('R-SES-1: a second login adds a session; the first stays open', async () => {
    const { client, username, password } = await loggedInUser(server, 'dual');
    const second = newClient(server);
    await second.connect();
    await second.login(username, password);
    expect((await second.request('account.getProfile', {})).username).toBe(username);
    expect((await client.request('account.getProfile', {})).username).toBe(username);
    client.close();
    second.close();
  });
});

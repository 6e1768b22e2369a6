import { CloseCode, ErrorCode, encodeRequest, randomNonce, type ServerPacket } from '@imw/shared';
import { ImClient } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { RawSocket } from '../support/raw';
import { capturingSocketFactory, pauseReading, SecureSession } from '../support/secure';
import { closed, newClient, startTestServer, tappedSocketFactory, uniqueName } from '../support/server';
import { befriend, errorCode, user } from '../support/users';
import { waitFor } from '../support/wait';

/**
 * R-LIM-*: every configured bound, crossed over real sockets, with the documented answer.
 * Covered elsewhere (not repeated here): payload size R-LIM-1 (accounts/login.test.ts), malformed
 * frames R-NET-3 (accounts/login.test.ts), chat text length R-MSG-5 and chat rate R-MSG-7
 * (messaging/messaging.test.ts), heartbeat timeout R-HB-2 and resume grace R-RES-2
 * (presence/friends-presence.test.ts), challenge lifetime R-AUTH-5 and failed logins per
 * username R-AUTH-6 (accounts/login.test.ts), sessions per node R-CLU-33 (cluster/multinode.test.ts).
 */

/** The error code of a raw answer packet (or its kind when it is not an error). */
const answerCode = (p: ServerPacket | undefined) => (p?.kind === 'error' ? p.error.code : p?.kind);
const results = (packets: readonly ServerPacket[], ids: readonly number[]) =>
  ids.map((id) => packets.find((p) => p.kind !== 'event' && p.requestId === id));

let db: Database;
beforeAll(async () => {
  db = await testDatabase('pglite');
});
afterAll(async () => {
  await db?.close();
});

/** A bystander must keep being served while others cross limits. */
async function bystanderServed(by: SecureSession) {
  expect((await by.request('rtc.iceServers', {})).kind).toBe('result');
}

describe('per-connection request rate, pre-login frames, failed logins per address (injected clock)', () => {
  let server: ImServer;
  const clock = new ManualClock(Date.now());
  let bystander: SecureSession;

  beforeAll(async () => {
    server = await startTestServer(
      db,
      {
        REQUESTS_PER_SEC: 20,
        REQUESTS_BURST: 40,
        DB_REQUEST_COST: 10,
        RATE_STRIKES_TO_CLOSE: 30,
        PRE_LOGIN_MAX_FRAMES: 10,
        LOGIN_FAILURES_PER_ADDRESS: 3,
        HEARTBEAT_TIMEOUT_MS: 3_600_000,
        PRE_LOGIN_DEADLINE_MS: 3_600_000,
      },
      clock,
    );
    bystander = await SecureSession.open(server.wsUrl, undefined, 'by');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-2: over REQUESTS_BURST a request gets RATE_LIMITED; RATE_STRIKES_TO_CLOSE refusals close with 4009', async () => {
    const s = await SecureSession.open(server.wsUrl, undefined, 'rate');
    // The clock stands still, so the bucket holds REQUESTS_BURST tokens and never refills; the
    // login spent three (register, challenge, login: pre-login requests count too).
    const left = 40 - 3;
    const ids = Array.from({ length: 60 }, (_, i) => 1_000_000 + i);
    s.sendRecords(ids.map((id) => encodeRequest('rtc.iceServers', id, {})));
    await s.until(() => results(s.packets, ids).every(Boolean));
    const answers = results(s.packets, ids);
    expect(answers.slice(0, left).every((p) => p?.kind === 'result')).toBe(true);
    for (const p of answers.slice(left)) {
      expect(answerCode(p)).toBe(ErrorCode.RATE_LIMITED);
      expect(p?.kind === 'error' && p.error.retryAfterMs).toBe(50); // one token at 20 per second
    }
    // Heartbeats only prove liveness: they are answered even while the bucket is empty.
    expect((await s.request('sys.heartbeat', {})).kind).toBe('result');
    // Refilled after the wait it was told.
    clock.advance(50);
    expect((await s.request('rtc.iceServers', {})).kind).toBe('result');
    // 23 strikes so far (of 30): the 30th refusal within the strike window closes the connection.
    const more = Array.from({ length: 20 }, (_, i) => 2_000_000 + i);
    s.sendRecords(more.map((id) => encodeRequest('rtc.iceServers', id, {})));
    expect(await s.closed()).toBe(CloseCode.RATE_LIMITED);
    // Refusals 24..29 were answered; the 30th closed, and the rest of the frame was dropped.
    const refused = results(s.packets, more).filter((p) => answerCode(p) === ErrorCode.RATE_LIMITED);
    expect(refused.length).toBe(6);
    expect(results(s.packets, more).filter(Boolean).length).toBe(6);
    await bystanderServed(bystander);
  });

  it('R-LIM-16: a request that may touch the database costs DB_REQUEST_COST tokens; memory-served ones cost one', async () => {
    const s = await SecureSession.open(server.wsUrl, undefined, 'dbcost');
    // 40 tokens, 3 spent on the login; account.getProfile costs DB_REQUEST_COST = 10.
    const ids = Array.from({ length: 5 }, (_, i) => 3_000_000 + i);
    s.sendRecords(ids.map((id) => encodeRequest('account.getProfile', id, {})));
    await s.until(() => results(s.packets, ids).every(Boolean));
    const answers = results(s.packets, ids);
    expect(answers.slice(0, 3).every((p) => p?.kind === 'result')).toBe(true);
    for (const p of answers.slice(3)) {
      expect(answerCode(p)).toBe(ErrorCode.RATE_LIMITED);
      expect(p?.kind === 'error' && p.error.retryAfterMs).toBe(150); // 3 more tokens at 20 per second
    }
    // The seven tokens left still buy seven requests served from memory, and no eighth.
    const cheap = Array.from({ length: 8 }, (_, i) => 3_100_000 + i);
    s.sendRecords(cheap.map((id) => encodeRequest('rtc.iceServers', id, {})));
    await s.until(() => results(s.packets, cheap).every(Boolean));
    expect(results(s.packets, cheap).map((p) => answerCode(p))).toEqual([
      ...Array.from({ length: 7 }, () => 'result'),
      ErrorCode.RATE_LIMITED,
    ]);
    await bystanderServed(bystander);
    s.close();
  });

  it('R-LIM-5: more than PRE_LOGIN_MAX_FRAMES frames before login close with 4015', async () => {
    const s = await RawSocket.open(server.wsUrl);
    for (let i = 1; i <= 11; i++) s.request('sys.heartbeat', i, {});
    expect(await s.closed()).toBe(CloseCode.PRE_LOGIN_FLOOD);
    // The first ten were answered (a command before login: NOT_LOGGED_IN), the eleventh was not.
    const answered = s.packets.filter((p) => p.kind === 'error' && p.error.code === ErrorCode.NOT_LOGGED_IN);
    expect(answered.map((p) => p.kind !== 'event' && p.requestId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A normal login needs three frames (register, challenge, login) and is well under the bound.
    const c = newClient(server);
    await c.connect();
    const name = uniqueName('pre');
    await c.register(name, `pw-${name}`);
    await c.login(name, `pw-${name}`);
    c.close();
    await bystanderServed(bystander);
  });

  it('R-LIM-9: after LOGIN_FAILURES_PER_ADDRESS failures, logins from that address are throttled', async () => {
    const victim = newClient(server);
    await victim.connect();
    const name = uniqueName('addr');
    await victim.register(name, `pw-${name}`);
    const c = newClient(server);
    await c.connect();
    // Three different (unknown) usernames: the per-username limit never trips, the address one does.
    for (let i = 0; i < 3; i++)
      expect(await errorCode(c.login(uniqueName('nobody'), 'x'))).toBe('AUTH_FAILED');
    expect(await errorCode(victim.login(name, `pw-${name}`))).toBe(ErrorCode.RATE_LIMITED);
    clock.advance(60_001); // LOGIN_FAILURE_WINDOW_MS
    await victim.login(name, `pw-${name}`);
    c.close();
    victim.close();
  });
});

describe('friends and group caps over real sockets', () => {
  let server: ImServer;
  beforeAll(async () => {
    server = await startTestServer(db, { MAX_FRIENDS: 2, MAX_GROUP_MEMBERS: 3 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-6: MAX_FRIENDS: requesting, being requested and accepting past the cap get LIMIT_EXCEEDED', async () => {
    const [a, b, c, d, e] = await Promise.all(['fa', 'fb', 'fc', 'fd', 'fe'].map((p) => user(server, p)));
    // e asks a while a still has room; the request waits.
    await e!.client.request('friends.request', { username: a!.username });
    await befriend(a!, b!);
    await befriend(a!, c!);
    expect(await errorCode(a!.client.request('friends.request', { username: d!.username }))).toBe(
      ErrorCode.LIMIT_EXCEEDED,
    );
    expect(await errorCode(d!.client.request('friends.request', { username: a!.username }))).toBe(
      ErrorCode.LIMIT_EXCEEDED,
    );
    expect(await errorCode(a!.client.request('friends.accept', { userId: e!.userId }))).toBe(
      ErrorCode.LIMIT_EXCEEDED,
    );
    const list = await a!.client.request('friends.list', {});
    expect(list.friends.map((f) => f.userId).sort()).toEqual([b!.userId, c!.userId].sort());
    expect(list.incoming.map((u) => u.userId)).toEqual([e!.userId]); // the refused accept kept it
    // A slot freed is a slot usable.
    await a!.client.request('friends.remove', { userId: c!.userId });
    expect((await a!.client.request('friends.accept', { userId: e!.userId })).friend.userId).toBe(e!.userId);
    for (const u of [a, b, c, d, e]) u!.client.close();
  });

  it('R-LIM-7: MAX_GROUP_MEMBERS: a join past the cap gets LIMIT_EXCEEDED until someone leaves', async () => {
    const [owner, m1, m2, m3] = await Promise.all(['go', 'g1', 'g2', 'g3'].map((p) => user(server, p)));
    const g = await owner!.client.request('groups.create', { name: uniqueName('cap') });
    await m1!.client.request('groups.join', { groupId: g.groupId });
    await m2!.client.request('groups.join', { groupId: g.groupId });
    expect(await errorCode(m3!.client.request('groups.join', { groupId: g.groupId }))).toBe(
      ErrorCode.LIMIT_EXCEEDED,
    );
    await m1!.client.request('groups.leave', { groupId: g.groupId });
    expect((await m3!.client.request('groups.join', { groupId: g.groupId })).memberCount).toBe(3);
    for (const u of [owner, m1, m2, m3]) u!.client.close();
  });
});

describe('connections per address', () => {
  let server: ImServer;
  beforeAll(async () => {
    server = await startTestServer(db, { MAX_CONNECTIONS_PER_ADDRESS: 3 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-3: the connection past MAX_CONNECTIONS_PER_ADDRESS is closed with 4014; a freed slot is reusable', async () => {
    const open = await Promise.all([0, 1, 2].map(() => RawSocket.open(server.wsUrl)));
    const extra = await RawSocket.open(server.wsUrl);
    expect(await extra.closed()).toBe(CloseCode.TOO_MANY_CONNECTIONS);
    // The three inside are untouched.
    open[0]!.request('sys.heartbeat', 1, {});
    expect((await open[0]!.response(1)).kind).toBe('error'); // NOT_LOGGED_IN: served, not closed
    open[2]!.close();
    await open[2]!.closed();
    await waitFor('two connections', () => server.gateway.connectionCount === 2);
    const again = await RawSocket.open(server.wsUrl);
    again.request('sys.heartbeat', 1, {});
    await again.response(1);
    expect(again.closeCode).toBeNull();
    for (const s of [open[0]!, open[1]!, again]) s.close();
  });
});

describe('pre-login deadline (real clock)', () => {
  let server: ImServer;
  const DEADLINE_MS = 800;
  beforeAll(async () => {
    server = await startTestServer(db, { PRE_LOGIN_DEADLINE_MS: DEADLINE_MS });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-4: a client that keeps sending valid pre-login frames is still closed with 4006 at the deadline', async () => {
    // app.ts sweeps once a second; a 25 ms sweep here makes the deadline measurable to the frame.
    const sweeper = setInterval(() => server.gateway.sweep(), 25);
    try {
      const openedAt = Date.now();
      const s = await RawSocket.open(server.wsUrl);
      const early = newClient(server); // logs in well before the deadline: never affected
      await early.connect();
      const name = uniqueName('early');
      await early.register(name, `pw-${name}`);
      await early.login(name, `pw-${name}`);
      let id = 0;
      const ticker = setInterval(() => {
        if (s.closeCode !== null) return;
        s.request('auth.challenge', ++id, {
          username: name,
          clientNonce: randomNonce(),
          clientPublicKey: new Uint8Array(32),
        });
      }, 50);
      const code = await s.closed().finally(() => clearInterval(ticker));
      const elapsedMs = Date.now() - openedAt;
      expect(code).toBe(CloseCode.LOGIN_TIMEOUT);
      expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS);
      expect(elapsedMs).toBeLessThan(DEADLINE_MS + 1000);
      // It was busy all along: challenges kept being answered until the deadline.
      const answered = s.packets.filter((p) => p.kind === 'result').length;
      expect(answered).toBeGreaterThanOrEqual(5);
      expect((await early.request('rtc.iceServers', {})).iceServers).toBeDefined();
      early.close();
    } finally {
      clearInterval(sweeper);
    }
  });
});

describe('slow readers and requests in flight', () => {
  let server: ImServer;
  beforeAll(async () => {
    server = await startTestServer(db, {
      MAX_BACKPRESSURE_BYTES: 64 * 1024,
      REQUESTS_PER_SEC: 0,
      CHAT_RATE_PER_SEC: 0,
      CHAT_MAX_TEXT_CHARS: 10_000,
      RESUME_GRACE_MS: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-10: a client that stops reading is closed with 4013 once MAX_BACKPRESSURE_BYTES is queued; others are served', async () => {
    const cap = capturingSocketFactory();
    const slow = await user(server, 'slow', { socketFactory: cap.factory });
    const bystander = await user(server, 'bys');
    const flooder = await SecureSession.open(server.wsUrl, undefined, 'flood');
    await flooder.request('friends.request', { username: slow.username });
    await slow.log.wait('friends.requestReceived');
    await slow.client.request('friends.accept', { userId: flooder.userId });
    await befriend(bystander, slow);
    const socketId = slow.client.state.status === 'authenticated' ? slow.client.state.socketId : '';
    pauseReading(cap.sockets[0]!);
    const text = 'x'.repeat(10_000);
    let id = 1_000_000;
    let sent = 0;
    // Several frames per round, so one event-loop turn coalesces far more than the bound into a
    // single frame for the slow reader: its close frame must still get through (4013, not 1006).
    while (server.gateway.connection(socketId) && sent < 2000) {
      for (let f = 0; f < 5; f++) {
        flooder.sendRecords(
          Array.from({ length: 6 }, () => encodeRequest('chat.send', id++, { to: slow.userId, text })),
        );
      }
      await flooder.response(id - 1);
      sent += 30;
    }
    expect(server.gateway.connection(socketId)).toBeUndefined();
    // The server let go of it; everyone else goes on being served.
    await bystander.log.wait('presence.changed', (e) => e.userId === slow.userId && e.status === 'offline');
    expect((await bystander.client.request('account.getProfile', {})).userId).toBe(bystander.userId);
    expect((await flooder.request('rtc.iceServers', {})).kind).toBe('result');
    // When it reads again it finds what was queued, then the documented close.
    pauseReading(cap.sockets[0]!, false);
    expect(await closed(slow.client, 10_000)).toBe(CloseCode.SLOW_READER);
    bystander.client.close();
    flooder.close();
  });

  it('R-LIM-12: a frame more than 4x over MAX_PAYLOAD_BYTES is cut by the transport before it is buffered', async () => {
    // R-LIM-1 (accounts/login.test.ts): up to 4x the limit, the frame is read and refused with 4005.
    // Beyond that uWS drops the TCP connection as soon as it reads the frame header, without
    // buffering the frame or sending a close frame: the client sees 1006.
    const s = await RawSocket.open(server.wsUrl);
    s.send(new Uint8Array(4 * 64 * 1024 + 1));
    expect(await s.closed()).toBe(1006);
    const other = await RawSocket.open(server.wsUrl);
    other.request('sys.heartbeat', 1, {});
    expect((await other.response(1)).kind).toBe('error');
    other.close();
  });

  it('R-LIM-8: more than 128 requests waiting on one connection get RATE_LIMITED, the rest are answered', async () => {
    const s = await SecureSession.open(server.wsUrl, undefined, 'infl');
    const ids = Array.from({ length: 200 }, (_, i) => 1_000_000 + i);
    s.sendRecords(ids.map((id) => encodeRequest('account.getProfile', id, {})));
    await s.until(() => results(s.packets, ids).every(Boolean));
    const answers = results(s.packets, ids);
    expect(answers.slice(0, 128).every((p) => p?.kind === 'result')).toBe(true);
    expect(answers.slice(128).every((p) => answerCode(p) === ErrorCode.RATE_LIMITED)).toBe(true);
    s.close();
  });

  it('R-LIM-11: a registration with fewer than SCRAM_MIN_ITERATIONS iterations is refused with BAD_REQUEST', async () => {
    const weak = new ImClient({
      url: server.wsUrl,
      socketFactory: nodeSocketFactory,
      scramIterations: 1000,
      heartbeat: false,
      reconnect: { enabled: false },
    });
    await weak.connect();
    expect(await errorCode(weak.register(uniqueName('weak'), 'pw-weak'))).toBe(ErrorCode.BAD_REQUEST);
    weak.close();
  });
});

describe('resume queue', () => {
  let server: ImServer;
  beforeAll(async () => {
    server = await startTestServer(db, { RESUME_GRACE_MS: 60_000, RESUME_QUEUE_MAX: 5 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-13: a dropped session whose held packets pass RESUME_QUEUE_MAX ends at once; friends see it go offline', async () => {
    const { factory, tap } = tappedSocketFactory();
    const b = await user(server, 'qb', { socketFactory: factory });
    const a = await user(server, 'qa');
    await befriend(a, b);
    const socketId = b.client.state.status === 'authenticated' ? b.client.state.socketId : '';
    tap.terminate(); // a network failure: the session waits for a resume, holding B's packets
    await waitFor('the connection to be gone', () => server.gateway.connection(socketId) === undefined);
    for (let i = 0; i < 5; i++) await a.client.request('chat.send', { to: b.userId, text: `held ${i}` });
    expect(a.log.of('presence.changed').filter((e) => e.userId === b.userId)).toEqual([]);
    // The sixth would overflow the queue: the session ends rather than drop packets silently.
    await a.client.request('chat.send', { to: b.userId, text: 'one too many' });
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    a.client.close();
  });
});

describe('pre-login requests per address (injected clock)', () => {
  let server: ImServer;
  const clock = new ManualClock(Date.now());
  let bystander: SecureSession;

  beforeAll(async () => {
    // The bystander logs in first (register, challenge, login: 3 of the address's 6 tokens).
    server = await startTestServer(
      db,
      { PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: 2, PRE_LOGIN_REQUESTS_PER_ADDRESS_BURST: 6 },
      clock,
    );
    bystander = await SecureSession.open(server.wsUrl, undefined, 'pa');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('R-LIM-14: pre-login requests from one address share one budget across connections; sessions are not charged', async () => {
    const sockets = await Promise.all([0, 1, 2].map(() => RawSocket.open(server.wsUrl)));
    const challenge = (s: RawSocket, id: number) =>
      s.request('auth.challenge', id, {
        username: 'nobody-here',
        clientNonce: randomNonce(),
        clientPublicKey: new Uint8Array(32),
      });
    // Two per socket: each socket alone is far under its own limits; together they are over.
    for (const s of sockets) {
      challenge(s, 1);
      challenge(s, 2);
    }
    const answers = (
      await Promise.all(sockets.map(async (s) => [await s.response(1), await s.response(2)]))
    ).flat();
    const ok = answers.filter((p) => p.kind === 'result');
    const limited = answers.filter((p) => answerCode(p) === ErrorCode.RATE_LIMITED);
    expect(ok).toHaveLength(3);
    expect(limited).toHaveLength(3);
    for (const p of limited) expect(p.kind === 'error' && p.error.retryAfterMs).toBe(500); // 2 per second
    // A logged-in session from the same address goes on as before.
    await bystanderServed(bystander);
    // Refilled after the wait it was told: the next one passes, on any connection.
    clock.advance(500);
    challenge(sockets[2]!, 3);
    expect((await sockets[2]!.response(3)).kind).toBe('result');
    for (const s of sockets) {
      expect(s.closeCode).toBeNull();
      s.close();
    }
  });
});

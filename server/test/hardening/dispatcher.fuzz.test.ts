import { ErrorCode } from '@imw/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { type FuzzTargets, mutate, mutationArb, plainFrameArb, plaintextArb } from '../support/frames';
import { healthStatus, metricSum } from '../support/measure';
import { expectPlainFrame, expectRecords, expectSecureFrame, judge } from '../support/oracle';
import { RawSocket } from '../support/raw';
import { SecureSession } from '../support/secure';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { errorCode, type TestUser, user } from '../support/users';

/**
 * R-HARD-5..6: the dispatcher over real sockets, before and after login. Every fuzzed frame gets
 * the answer the gateway documents (an error per request, a sys.error per undecodable frame or
 * id-less record, or a documented close code), worked out independently from the bytes
 * (support/oracle.ts); the process survives, /healthz stays 200, another user is still served, and
 * no request is answered INTERNAL. `scripts/fuzz/run.ts` runs the same frames for minutes over
 * 50 sockets against a server in a child process.
 */
const NUM_RUNS = 300;

/** Pre-login sentinel: chained behind everything the frame dispatched, answered CHALLENGE_INVALID. */
const SENTINEL_LOGIN = { nonce: 'a'.repeat(24), clientProof: new Uint8Array(32) };

describe('dispatcher fuzzing over real sockets', () => {
  let db: Database;
  let server: ImServer;
  let bystander: TestUser;
  const targets: FuzzTargets = { userIds: [], usernames: [], groupIds: [] };

  beforeAll(async () => {
    db = await testDatabase('pglite');
    // Limits are tested in limits.test.ts; here they are opened up so that each connection lives
    // long enough to reach the handlers.
    server = await startTestServer(db, {
      REQUESTS_PER_SEC: 0,
      CHAT_RATE_PER_SEC: 0,
      MAX_MALFORMED_FRAMES: 1_000_000,
      PRE_LOGIN_MAX_FRAMES: 1_000_000,
      RESUME_GRACE_MS: 0,
    });
    bystander = await user(server, 'by');
    const g = await bystander.client.request('groups.create', { name: 'fuzz targets' });
    targets.userIds.push(bystander.userId, 2 ** 31 - 1);
    targets.usernames.push(bystander.username);
    targets.groupIds.push(g.groupId);
  });
  afterAll(async () => {
    bystander?.client.close();
    await server?.close();
    await db?.close();
  });

  async function stillHealthy(): Promise<void> {
    expect(await healthStatus(server.httpUrl)).toBe(200);
    expect((await bystander.client.request('account.getProfile', {})).userId).toBe(bystander.userId);
  }

  it('R-HARD-5: random and mutated frames before login get their documented answers', async () => {
    let raw = await RawSocket.open(server.wsUrl);
    let sentinel = 0;
    const cases = plainFrameArb(targets).filter((f) => !expectPlainFrame(f).ownIds);
    await fc.assert(
      fc.asyncProperty(cases, async (frame) => {
        if (raw.closeCode !== null) raw = await RawSocket.open(server.wsUrl);
        const e = expectPlainFrame(frame);
        const from = raw.packets.length;
        const sid = ++sentinel;
        raw.send(frame);
        if (e.close === null) raw.request('auth.login', sid, SENTINEL_LOGIN);
        const answered = () => raw.packets.some((p) => p.kind !== 'event' && p.requestId === sid);
        await raw.until(() => raw.closeCode !== null || answered());
        expect(judge(e, raw.packets.slice(from), sid, raw.closeCode)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
    raw.close();
    await stillHealthy();
  });

  it('R-HARD-6: random and mutated frames after login (properly encrypted, or tampered) get their documented answers', async () => {
    const open = async () => {
      const s = await SecureSession.open(server.wsUrl, undefined, 'fz');
      await s.request('groups.join', { groupId: targets.groupIds[0] });
      return s;
    };
    let s = await open();
    const internalBefore = await metricSum(server.httpUrl, 'imw_errors_total', 'code="INTERNAL"');
    const sealedCase = fc.record({ kind: fc.constant('sealed' as const), plaintext: plaintextArb(targets) });
    const tamperedCase = fc.record({
      kind: fc.constant('tampered' as const),
      plaintext: plaintextArb(targets),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
    });
    const cases = fc
      .oneof({ arbitrary: sealedCase, weight: 9 }, { arbitrary: tamperedCase, weight: 1 })
      .filter((c) => !expectRecords(c.plaintext, 'secure').ownIds);
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        if (!s.open) s = await open();
        const from = s.packets.length;
        let e: ReturnType<typeof expectRecords>;
        if (c.kind === 'sealed') {
          e = expectRecords(c.plaintext, 'secure');
          s.sendPlaintext(c.plaintext);
        } else {
          const counter = s.nextCounter;
          const frame = mutate(s.seal(c.plaintext), c.mutations);
          const x = expectSecureFrame(frame, counter, (n, aad, body) => s.openSent(n, aad, body));
          // Not sent, or not accepted as a frame by the server: that counter is still the next.
          if (x.e.ownIds || !x.consumed) s.rewind();
          if (x.e.ownIds) return;
          e = x.e;
          s.sendRaw(frame);
        }
        let sid = -1;
        if (e.close === null) sid = s.post('rtc.iceServers', {});
        await s.until(() => !s.open || (sid > 0 && s.findResponse(sid) !== undefined));
        expect(judge(e, s.packets.slice(from), sid, s.closeCode)).toEqual([]);
        expect(s.badFrames).toBe(0);
      }),
      { numRuns: NUM_RUNS },
    );
    s.close();
    await stillHealthy();
    expect(await metricSum(server.httpUrl, 'imw_errors_total', 'code="INTERNAL"')).toBe(internalBefore);
  });

  it('R-HARD-16: text the server stores or searches with (names, bios, group names, queries) containing U+0000 gets BAD_REQUEST, never INTERNAL', async () => {
    const u = await user(server, 'nul');
    const fresh = newClient(server);
    await fresh.connect();
    expect(await errorCode(fresh.register(uniqueName('nul'), 'pw-nul', 'a\u0000b'))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    fresh.close();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.constantFrom('displayName', 'bio', 'groupName', 'search'),
        async (before, after, field) => {
          const text = `${before}\u0000${after}`.slice(0, 60);
          const answer =
            field === 'groupName'
              ? u.client.request('groups.create', { name: text })
              : field === 'search'
                ? u.client.request('groups.search', { query: text })
                : u.client.request('account.updateProfile', { [field]: text });
          expect(await errorCode(answer)).toBe(ErrorCode.BAD_REQUEST);
        },
      ),
      { numRuns: 60 },
    );
    u.client.close();
  });
});

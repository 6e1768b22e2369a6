import { CloseCode, ErrorCode, encodeRequest, PROTOCOL_VERSION } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { healthStatus } from '../support/measure';
import { RawSocket } from '../support/raw';
import { SecureSession } from '../support/secure';
import { startTestServer } from '../support/server';
import { befriend, type TestUser, user } from '../support/users';

/**
 * R-HARD-7: floods. With the default limits, one client far over them is throttled, then closed,
 * while other clients' requests keep being answered. Behaviour only; the latency figures (others'
 * p99, calm vs under attack) come from `node --import tsx scripts/soak/flood.ts`.
 */
describe('floods', () => {
  let db: Database;
  let server: ImServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { RESUME_GRACE_MS: 0 });
    alice = await user(server, 'al');
    bob = await user(server, 'bo');
    await befriend(alice, bob);
  });
  afterAll(async () => {
    alice?.client.close();
    bob?.client.close();
    await server?.close();
    await db?.close();
  });

  it('R-HARD-7: a client far over its limits is throttled then closed (4009) while others are answered throughout', async () => {
    const attacker = await SecureSession.open(server.wsUrl, undefined, 'atk');
    // A garbage flood before login and a flood of frames run alongside.
    const garbage = await RawSocket.open(server.wsUrl);
    let id = 1_000_000;
    const frames = 200;
    const burst = () => {
      for (let f = 0; f < 10 && attacker.open; f++) {
        // 50 database-backed requests a frame: 20 frames are 1,000 requests, five times the burst.
        attacker.sendRecords(Array.from({ length: 50 }, () => encodeRequest('account.getProfile', id++, {})));
      }
      for (let f = 0; f < 10 && garbage.closeCode === null; f++) {
        garbage.send(new Uint8Array([PROTOCOL_VERSION, 0, 0xff, 0xff, 0xff]));
      }
    };
    let sentFrames = 0;
    const pump = setInterval(() => {
      if (sentFrames >= frames) return clearInterval(pump);
      burst();
      sentFrames += 10;
    }, 5);
    // Meanwhile the others go on: every request answered, none refused.
    let served = 0;
    // (Paced at 20 rounds a second, a chat every fourth: well within their own limits.)
    const others = (async () => {
      while (attacker.open || served < 20) {
        const chat = served % 4 === 0;
        const [p, ack] = await Promise.all([
          alice.client.request('account.getProfile', {}),
          chat ? bob.client.request('chat.send', { to: alice.userId, text: `msg ${served}` }) : null,
          new Promise((r) => setTimeout(r, 50)),
        ]);
        expect(p.userId).toBe(alice.userId);
        if (chat) expect(ack?.messageId).toBeTruthy();
        served++;
      }
    })();
    others.catch(() => undefined); // awaited below; a failure there fails the test
    expect(await attacker.closed(10_000)).toBe(CloseCode.RATE_LIMITED);
    clearInterval(pump);
    await others;
    // Throttled before it was closed: refused with RATE_LIMITED (and a wait), then cut off.
    const refusals = attacker.packets.filter(
      (p) => p.kind === 'error' && p.error.code === ErrorCode.RATE_LIMITED,
    );
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((p) => p.kind === 'error' && (p.error.retryAfterMs ?? 0) > 0)).toBe(true);
    expect(attacker.badFrames).toBe(0);
    expect(await garbage.closed()).toBe(CloseCode.PROTOCOL_ERROR);
    expect(served).toBeGreaterThanOrEqual(20);
    const lastChat = Math.floor((served - 1) / 4) * 4;
    await alice.log.wait('chat.message', (m) => m.text === `msg ${lastChat}`);
    expect(await healthStatus(server.httpUrl)).toBe(200);
  });
});

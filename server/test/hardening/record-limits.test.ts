import {
  CloseCode,
  ErrorCode,
  encodePlainFrame,
  PRE_LOGIN_MAX_RECORDS_PER_FRAME,
  PROTOCOL_VERSION,
  type ServerPacket,
  type WireRecord,
} from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { RawSocket } from '../support/raw';
import { SecureSession } from '../support/secure';
import { startTestServer } from '../support/server';

/**
 * L1 of the December review: records that do not parse, and heartbeats, were answered without
 * ever touching the rate limiter (102,400 bad records answered, never closed). And the version
 * check came after the header's flags (R-VER-3).
 */

/** A record of a type id no one defines: parseRequest answers UNKNOWN_TYPE. */
const unknown = (requestId: number): WireRecord => ({
  typeId: 0xfff0,
  requestId,
  payload: new Uint8Array(0),
});
const errors = (packets: readonly ServerPacket[], code: string) =>
  packets.filter((p) => p.kind === 'error' && p.error.code === code).length;

let db: Database;
let server: ImServer;
beforeAll(async () => {
  db = await testDatabase('pglite');
  server = await startTestServer(db);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('every record is charged (L1)', () => {
  it('R-SEC-21: a flood of unparseable records after login gets RATE_LIMITED, then the close 4009', async () => {
    const s = await SecureSession.open(server.wsUrl, undefined, 'l1');
    // The review's probe: 400 frames of 256 unknown records each (102,400); it was never closed.
    let id = 1_000_000;
    for (let f = 0; f < 400 && s.open; f++) s.sendRecords(Array.from({ length: 256 }, () => unknown(id++)));
    expect(await s.closed(10_000)).toBe(CloseCode.RATE_LIMITED);
    // Each parse failure is a strike: the 50th (RATE_STRIKES_TO_CLOSE) closes, in the first frame.
    expect(errors(s.packets, ErrorCode.UNKNOWN_TYPE)).toBe(49);
  });

  it('R-SEC-21: a few unparseable records are answered one by one, and each is a strike', async () => {
    const s = await SecureSession.open(server.wsUrl, undefined, 'l1s');
    s.sendRecords([unknown(1_000_001), unknown(1_000_002)]);
    await s.until(() => errors(s.packets, ErrorCode.UNKNOWN_TYPE) === 2);
    expect(s.open).toBe(true);
    // Parse failures alone, within the rate, reach RATE_STRIKES_TO_CLOSE (50) and close.
    for (let i = 0; i < 60 && s.open; i++) s.sendRecords([unknown(1_000_100 + i)]);
    expect(await s.closed()).toBe(CloseCode.RATE_LIMITED);
    expect(errors(s.packets, ErrorCode.RATE_LIMITED)).toBe(0);
  });

  it('R-SEC-21: heartbeats beyond a few per interval are refused, and a flood of them closes', async () => {
    const s = await SecureSession.open(server.wsUrl, undefined, 'l1h');
    const ids = Array.from({ length: 10 }, (_, i) => s.post('sys.heartbeat', {}) + i * 0);
    await s.until(() => ids.every((id) => s.findResponse(id) !== undefined));
    const answers = ids.map((id) => s.findResponse(id)!);
    expect(answers.filter((p) => p.kind === 'result')).toHaveLength(4);
    expect(answers.filter((p) => p.kind === 'error' && p.error.code === ErrorCode.RATE_LIMITED)).toHaveLength(
      6,
    );
    for (let i = 0; i < 100 && s.open; i++) s.post('sys.heartbeat', {});
    expect(await s.closed()).toBe(CloseCode.RATE_LIMITED);
  });

  it('R-SEC-21: before login a frame carries at most 4 records; more is a malformed frame', async () => {
    const s = await RawSocket.open(server.wsUrl);
    const n = PRE_LOGIN_MAX_RECORDS_PER_FRAME + 1;
    s.send(
      encodePlainFrame(
        PROTOCOL_VERSION,
        Array.from({ length: n }, (_, i) => unknown(i + 1)),
      ),
    );
    const e = await s.errorEvent();
    expect(e.kind === 'event' && e.event.type === 'sys.error' && e.event.body.code).toBe(ErrorCode.BAD_FRAME);
    expect(s.packets.filter((p) => p.kind === 'error')).toHaveLength(0);
    s.close();
  });
});

describe('the pre-login address budget (L1)', () => {
  let budgeted: ImServer;
  beforeAll(async () => {
    budgeted = await startTestServer(db, {
      PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: 1,
      PRE_LOGIN_REQUESTS_PER_ADDRESS_BURST: 6,
    });
  });
  afterAll(async () => {
    await budgeted?.close();
  });

  it('R-SEC-21: before login every record, unparseable ones too, is charged to the address budget', async () => {
    // Budget: burst 6, one more a second.
    const s = await RawSocket.open(budgeted.wsUrl);
    for (let f = 0; f < 3; f++) {
      s.send(
        encodePlainFrame(PROTOCOL_VERSION, [
          unknown(f * 4 + 1),
          unknown(f * 4 + 2),
          unknown(f * 4 + 3),
          unknown(f * 4 + 4),
        ]),
      );
    }
    await s.until(() => s.packets.filter((p) => p.kind === 'error').length === 12);
    expect(errors(s.packets, ErrorCode.RATE_LIMITED)).toBeGreaterThanOrEqual(5);
    // A real sign-in request from the same address is refused too: the budget is spent.
    s.request('auth.challenge', 99, {
      username: 'x',
      clientNonce: 'n'.repeat(24),
      clientPublicKey: new Uint8Array(32),
    });
    const r = await s.response(99);
    expect(r.kind === 'error' && r.error.code).toBe(ErrorCode.RATE_LIMITED);
    s.close();
  });
});

describe('the version byte first (R-VER-3)', () => {
  it('R-VER-3: a newer version with unknown flags closes with 4002, not BAD_FRAME', async () => {
    const s = await RawSocket.open(server.wsUrl);
    s.send(new Uint8Array([PROTOCOL_VERSION + 1, 0x02, 0, 0, 0, 0]));
    expect(await s.closed()).toBe(CloseCode.VERSION_TOO_NEW);
    expect(s.packets.some((p) => p.kind === 'event' && p.event.type === 'sys.error')).toBe(false);
  });

  it('R-VER-3: a one-byte frame of version 0 closes with 4001; an empty frame is BAD_FRAME', async () => {
    const s = await RawSocket.open(server.wsUrl);
    s.send(new Uint8Array([0]));
    expect(await s.closed()).toBe(CloseCode.VERSION_TOO_OLD);
    const e = await RawSocket.open(server.wsUrl);
    e.send(new Uint8Array(0));
    const err = await e.errorEvent();
    expect(err.kind === 'event' && err.event.type === 'sys.error' && err.event.body.code).toBe(
      ErrorCode.BAD_FRAME,
    );
    e.close();
  });
});

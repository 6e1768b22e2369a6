import {
  decodeRecords,
  ErrorCode,
  encodePlainFrame,
  encodeRequest,
  MAX_RECORDS_PER_FRAME,
  PRE_LOGIN_MAX_RECORDS_PER_FRAME,
  PROTOCOL_VERSION,
  parseServerRecord,
  type RequestPacket,
  randomNonce,
  readHeader,
  type ServerPacket,
} from '@imw/shared';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { makeConfig, type RequestContext, systemClock } from '../../src';
import { createMetrics } from '../../src/core';
import { Gateway } from '../../src/net';
import { waitFor } from '../support/wait';

/** A socket port that records what the gateway sends (plain frames: this connection never logs in). */
function fakePort() {
  const packets: ServerPacket[] = [];
  const frames: Uint8Array[] = [];
  let closedWith: number | null = null;
  return {
    packets,
    frames,
    closed: () => closedWith,
    port: {
      send(frame: Uint8Array) {
        frames.push(frame);
        for (const r of decodeRecords(readHeader(frame).body)) {
          const p = parseServerRecord(r);
          if (p.ok) packets.push(p.value);
        }
      },
      close(code: number) {
        closedWith = code;
      },
      bufferedAmount: () => 0,
      cork: (fn: () => void) => fn(),
    },
  };
}

const data = (f: Uint8Array) => f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength) as ArrayBuffer;

const quiet = () => pino({ level: 'silent' });

const challenge = (id: number) =>
  encodePlainFrame(PROTOCOL_VERSION, [
    encodeRequest('auth.challenge', id, {
      username: 'someone',
      clientNonce: randomNonce(),
      clientPublicKey: new Uint8Array(32),
    }),
  ]);

/** Gateway-level checks, with a fake socket: what over real sockets would depend on timing. */
describe('gateway', () => {
  it('R-HARD-10: a handler that never answers gets UNAVAILABLE at REQUEST_TIMEOUT_MS; the connection goes on; the late handler can no longer act', async () => {
    let hung: { ctx: RequestContext; resolve: (v: unknown) => void } | null = null;
    const dispatch = (ctx: RequestContext, packet: RequestPacket): Promise<unknown> => {
      if (packet.requestId === 1) return new Promise((resolve) => (hung = { ctx, resolve }));
      return Promise.resolve({
        nonce: 'n'.repeat(24),
        salt: new Uint8Array(16),
        iterations: 1,
        serverPublicKey: new Uint8Array(32),
      });
    };
    const gw = new Gateway(
      makeConfig({ REQUEST_TIMEOUT_MS: 100 }),
      systemClock,
      quiet(),
      createMetrics(),
      'n1',
      dispatch,
      { onClosed: () => undefined },
    );
    const { port, packets, closed } = fakePort();
    const conn = gw.open(port, '127.0.0.1');
    const started = Date.now();
    gw.message(conn, data(challenge(1)), true);
    gw.message(conn, data(challenge(2)), true);
    const answer = (id: number) => packets.find((p) => p.kind !== 'event' && p.requestId === id);
    await waitFor('the answer to request 2', () => answer(2) !== undefined, {
      timeoutMs: 3000,
      intervalMs: 5,
    });
    const first = answer(1);
    expect(first?.kind === 'error' && first.error.code).toBe(ErrorCode.UNAVAILABLE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(answer(2)?.kind).toBe('result'); // queued behind the hung one, answered after the deadline
    // The hung handler wakes up late: it may not switch the connection's keys or close it.
    const late = hung!;
    expect(() =>
      late.ctx.connection.secure(
        { c2s: new Uint8Array(32), s2c: new Uint8Array(32) },
        { sessionId: 's', userId: 1, username: 'someone' },
      ),
    ).toThrow(/deadline/);
    expect(() => late.ctx.connection.closeAfterResponse(1000, 'late')).toThrow(/deadline/);
    late.resolve({});
    await new Promise((r) => setImmediate(r));
    expect(packets.filter((p) => p.kind !== 'event' && p.requestId === 1)).toHaveLength(1);
    expect(closed()).toBeNull();
    expect(conn.state.phase).toBe('anonymous');
  });

  it('R-HARD-15: more records due to one socket in one turn than a frame may carry leave in several frames, each decodable', async () => {
    // Limits out of the way: this is about the outgoing side (R-SEC-21 caps what comes in).
    const gw = new Gateway(
      makeConfig({
        PRE_LOGIN_MAX_FRAMES: 1000,
        REQUESTS_PER_SEC: 0,
        PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: 0,
      }),
      systemClock,
      quiet(),
      createMetrics(),
      'n1',
      () => Promise.resolve({}),
      {
        onClosed: () => undefined,
      },
    );
    const { port, packets, frames } = fakePort();
    const conn = gw.open(port, '127.0.0.1');
    // Frames read in one turn: 356 requests (at most PRE_LOGIN_MAX_RECORDS_PER_FRAME a frame
    // before login), each answered at once (NOT_LOGGED_IN).
    const heartbeats = (from: number, n: number) =>
      encodePlainFrame(
        PROTOCOL_VERSION,
        Array.from({ length: n }, (_, i) => encodeRequest('sys.heartbeat', from + i, {})),
      );
    const total = MAX_RECORDS_PER_FRAME + 100;
    for (let i = 0; i < total; i += PRE_LOGIN_MAX_RECORDS_PER_FRAME) {
      gw.message(conn, data(heartbeats(1 + i, Math.min(PRE_LOGIN_MAX_RECORDS_PER_FRAME, total - i))), true);
    }
    await new Promise((r) => setImmediate(r));
    // fakePort decodes with the receivers' bound: a frame over it would have thrown in send().
    expect(frames.length).toBe(2);
    expect(packets.filter((p) => p.kind === 'error')).toHaveLength(356);
    expect(packets[0]?.kind === 'event' && packets[0].event.type).toBe('sys.hello');
  });
});

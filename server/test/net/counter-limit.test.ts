import {
  CloseCode,
  encodeEvent,
  encodePlainFrame,
  encodeRequest,
  FRAME_COUNTER_LIMIT,
  PROTOCOL_VERSION,
  randomNonce,
  readHeader,
  writeHeader,
} from '@imw/shared';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { makeConfig, type RequestContext, systemClock } from '../../src';
import { createMetrics } from '../../src/core';
import { Gateway } from '../../src/net';
import type { Connection } from '../../src/net/connection';
import { waitFor } from '../support/wait';

const data = (f: Uint8Array) => f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength) as ArrayBuffer;

/** A gateway whose first request secures the connection, as a login would. */
async function securedConnection() {
  const frames: Uint8Array[] = [];
  let closedWith: number | null = null;
  const dispatch = async (ctx: RequestContext) => {
    ctx.connection.secure(
      { c2s: new Uint8Array(32).fill(1), s2c: new Uint8Array(32).fill(2) },
      { sessionId: 's1', userId: 1, username: 'someone' },
    );
    return {};
  };
  const gw = new Gateway(
    makeConfig({}),
    systemClock,
    pino({ level: 'silent' }),
    createMetrics(),
    'n1',
    dispatch,
    {
      onClosed: () => undefined,
    },
  );
  const conn: Connection = gw.open(
    {
      send: (f) => frames.push(f),
      close: (code) => {
        closedWith = code;
      },
      bufferedAmount: () => 0,
      cork: (fn) => fn(),
    },
    '127.0.0.1',
  );
  gw.message(
    conn,
    data(
      encodePlainFrame(PROTOCOL_VERSION, [
        encodeRequest('auth.challenge', 1, {
          username: 'someone',
          clientNonce: randomNonce(),
          clientPublicKey: new Uint8Array(32),
        }),
      ]),
    ),
    true,
  );
  await waitFor('the connection to be secured', () => conn.state.phase === 'secure' && frames.length >= 1, {
    timeoutMs: 2000,
    intervalMs: 2,
  });
  return { gw, conn, frames, closed: () => closedWith };
}

/** L9 of the December review: counters stop short of the u32 limit, in both directions. */
describe('frame counter limit (R-SEC-22)', () => {
  it('R-SEC-22: the server sends its last frame below the limit, then closes with KEYS_EXHAUSTED', async () => {
    const { gw, conn, frames, closed } = await securedConnection();
    if (conn.state.phase !== 'secure') throw new Error('not secured');
    conn.state.txCounter = FRAME_COUNTER_LIMIT - 1; // injected: 4 billion frames later
    const before = frames.length;
    gw.send(conn.socketId, encodeEvent('sys.nodes', { nodes: [] }));
    gw.flushAll();
    expect(frames.slice(before).map((f) => readHeader(f).counter)).toEqual([FRAME_COUNTER_LIMIT - 1]);
    expect(closed()).toBe(CloseCode.KEYS_EXHAUSTED);
    // Nothing is ever sealed under a counter at the limit (the u32 would wrap next).
    expect(frames.every((f) => !readHeader(f).encrypted || readHeader(f).counter < FRAME_COUNTER_LIMIT)).toBe(
      true,
    );
  });

  it('R-SEC-22: a frame that arrives with the receive counter at the limit closes with KEYS_EXHAUSTED, unopened', async () => {
    const { gw, conn, closed } = await securedConnection();
    if (conn.state.phase !== 'secure') throw new Error('not secured');
    conn.state.rx.counter = FRAME_COUNTER_LIMIT;
    const frame = new Uint8Array([
      ...writeHeader(PROTOCOL_VERSION, true, FRAME_COUNTER_LIMIT),
      ...new Uint8Array(32),
    ]);
    gw.message(conn, data(frame), true);
    expect(closed()).toBe(CloseCode.KEYS_EXHAUSTED);
  });
});

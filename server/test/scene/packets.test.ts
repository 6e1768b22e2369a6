import {
  MOVE_RECORD_BYTES,
  pack,
  packMoves,
  SCENE_ACTIONS,
  sceneEvents,
  sceneRequests,
  unpack,
  unpackMoves,
} from '@imw/shared';
import { describe, expect, test } from 'vitest';

describe('R-SCN-18: scene packet ids are unique, requests in 150–199, events in 1500–1599', () => {
  test('ranges', () => {
    const requestIds = Object.values(sceneRequests).map((r) => r.id);
    const eventIds = Object.values(sceneEvents).map((e) => e.id);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    for (const requestId of requestIds) expect(requestId >= 150 && requestId <= 199).toBe(true);
    for (const eventId of eventIds) expect(eventId >= 1500 && eventId <= 1599).toBe(true);
    expect(Object.values(sceneRequests).every((r) => !r.public)).toBe(true);
  });
});

describe('R-SCN-19: scene packets reject non-finite numbers, unknown actions and out-of-range text', () => {
  const move = sceneRequests['scene.move'].params;

  test.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 2 ** 21])(
    'scene.move x = %d is rejected',
    (x) => {
      expect(move.safeParse({ x, y: 10, seq: 1 }).success).toBe(false);
      expect(move.safeParse({ x: 10, y: x, seq: 1 }).success).toBe(false);
    },
  );

  test('a valid move passes; extra keys and a fractional seq do not', () => {
    expect(move.safeParse({ x: 10.5, y: 0, seq: 0 }).success).toBe(true);
    expect(move.safeParse({ x: 10, y: 0, seq: 1, teleport: true }).success).toBe(false);
    expect(move.safeParse({ x: 10, y: 0, seq: 1.5 }).success).toBe(false);
  });

  test('actions come from the fixed list', () => {
    const action = sceneRequests['scene.action'].params;
    expect(SCENE_ACTIONS).toEqual(['wave', 'dance', 'sit', 'jump', 'clap', 'think']);
    for (const a of SCENE_ACTIONS) expect(action.safeParse({ action: a }).success).toBe(true);
    expect(action.safeParse({ action: 'fly' }).success).toBe(false);
  });

  test('chat text is 1..500 chars after trimming', () => {
    const chat = sceneRequests['scene.chat'].params;
    expect(chat.safeParse({ text: 'hi' }).success).toBe(true);
    expect(chat.safeParse({ text: 'x'.repeat(500) }).success).toBe(true);
    expect(chat.safeParse({ text: 'x'.repeat(501) }).success).toBe(false);
    expect(chat.safeParse({ text: '' }).success).toBe(false);
    expect(chat.safeParse({ text: '   ' }).success).toBe(false);
  });

  test('scene ids are lower-case slugs', () => {
    const join = sceneRequests['scene.join'].params;
    expect(join.safeParse({ sceneId: 'plaza' }).success).toBe(true);
    expect(join.safeParse({ sceneId: 'plaza', spawn: 'fromPark' }).success).toBe(true);
    expect(join.safeParse({ sceneId: '../etc' }).success).toBe(false);
    expect(join.safeParse({ sceneId: 'Plaza' }).success).toBe(false);
  });

  test('a scene.view batch with a NaN coordinate is rejected', () => {
    const view = sceneEvents['scene.view'].body;
    const enter = { id: 1, displayName: 'A', x: 1, y: 2, facing: 'up', area: null, action: null };
    expect(view.safeParse({ enters: [enter], moves: packMoves([]), leaves: [2], actions: [] }).success).toBe(
      true,
    );
    expect(
      view.safeParse({ enters: [{ ...enter, x: Number.NaN }], moves: packMoves([]), leaves: [], actions: [] })
        .success,
    ).toBe(false);
  });
});

describe('R-SCN-32: scene.view moves are packed 21-byte records; a malformed record invalidates the event', () => {
  const view = sceneEvents['scene.view'].body;
  const moves = [
    { id: 1, x: 0, y: 0, facing: 'up' as const },
    { id: 2 ** 31 - 1, x: 1234.5678, y: 2 ** 20, facing: 'right' as const },
    { id: 77, x: 0.000123, y: 99.75, facing: 'left' as const },
  ];
  const wire = (m: Uint8Array) => unpack(pack({ enters: [], moves: m, leaves: [], actions: [] }));

  test('moves survive msgpack and parsing exactly, sub-pixel included, in order', () => {
    const packed = packMoves(moves);
    expect(packed.byteLength).toBe(3 * MOVE_RECORD_BYTES);
    const parsed = view.parse(wire(packed));
    expect(parsed.moves).toEqual(moves);
    expect(view.parse(wire(packMoves([]))).moves).toEqual([]);
  });

  test('a record read from the middle of a larger buffer (byteOffset ≠ 0) decodes', () => {
    const big = new Uint8Array(5 + 3 * MOVE_RECORD_BYTES);
    big.set(packMoves(moves), 5);
    expect(unpackMoves(big.subarray(5))).toEqual(moves);
  });

  const corrupt = (offset: number, write: (dv: DataView) => void) => {
    const b = packMoves(moves);
    write(new DataView(b.buffer, offset));
    return b;
  };
  test.each([
    ['a length that is not a multiple of 21', packMoves(moves).subarray(0, 40)],
    ['user id 0', corrupt(MOVE_RECORD_BYTES, (dv) => dv.setUint32(0, 0))],
    ['user id over 2^31-1', corrupt(0, (dv) => dv.setUint32(0, 2 ** 31))],
    ['x = NaN', corrupt(0, (dv) => dv.setFloat64(4, Number.NaN))],
    ['x negative', corrupt(0, (dv) => dv.setFloat64(4, -0.5))],
    ['y = Infinity', corrupt(0, (dv) => dv.setFloat64(12, Number.POSITIVE_INFINITY))],
    ['y over 2^20', corrupt(0, (dv) => dv.setFloat64(12, 2 ** 20 + 1))],
    ['facing 4', corrupt(2 * MOVE_RECORD_BYTES, (dv) => dv.setUint8(20, 4))],
  ])('%s is refused', (_name, bytes) => {
    const r = view.safeParse(wire(bytes));
    expect(r.success).toBe(false);
  });

  test('moves as objects (the old shape) are refused', () => {
    expect(view.safeParse({ enters: [], moves, leaves: [], actions: [] }).success).toBe(false);
  });
});

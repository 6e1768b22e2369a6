import { z } from 'zod';

/**
 * `scene.view` moves travel packed: the one hot stream (a crowded scene sends hundreds of
 * thousands of moves a second) skips msgpack maps and per-field schema checks. One record per
 * move, big-endian, fixed size:
 *
 *   offset 0  u32  user id (1..2^31-1)
 *   offset 4  f64  x, pixels (0..MAX_COORD_PX)
 *   offset 12 f64  y, pixels (0..MAX_COORD_PX)
 *   offset 20 u8   facing, an index into FACINGS
 *
 * Half the bytes of the msgpack map and several times cheaper to build and to check
 * (bench/README.md, "scene"). x and y stay f64: sub-pixel positions are legal moves.
 */
export const MOVE_RECORD_BYTES = 21;

/** The four ways an avatar faces; a packed move stores the index. */
export const FACINGS = ['up', 'down', 'left', 'right'] as const;
export type Facing = (typeof FACINGS)[number];
const MAX_COORD = 1 << 20;
const MAX_ID = 2 ** 31 - 1;

export interface PackedMove {
  id: number;
  x: number;
  y: number;
  facing: Facing;
}

export function packMoves(moves: readonly PackedMove[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(moves.length * MOVE_RECORD_BYTES);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const m of moves) {
    dv.setUint32(o, m.id);
    dv.setFloat64(o + 4, m.x);
    dv.setFloat64(o + 12, m.y);
    out[o + 20] = FACINGS.indexOf(m.facing);
    o += MOVE_RECORD_BYTES;
  }
  return out;
}

/** Decodes and checks every record; a bad one is an error naming its index, never a NaN move. */
export function unpackMoves(b: Uint8Array): PackedMove[] | string {
  if (b.byteLength % MOVE_RECORD_BYTES !== 0) {
    return `moves: ${b.byteLength} bytes is not a whole number of ${MOVE_RECORD_BYTES}-byte records`;
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: PackedMove[] = new Array(b.byteLength / MOVE_RECORD_BYTES);
  for (let i = 0, o = 0; o < b.byteLength; i++, o += MOVE_RECORD_BYTES) {
    const id = dv.getUint32(o);
    const x = dv.getFloat64(o + 4);
    const y = dv.getFloat64(o + 12);
    const facing = FACINGS[b[o + 20] as number];
    // Written as "not inside" so that NaN fails too.
    if (!(id >= 1 && id <= MAX_ID) || !(x >= 0 && x <= MAX_COORD) || !(y >= 0 && y <= MAX_COORD) || !facing) {
      return `moves[${i}]: not a valid move record`;
    }
    out[i] = { id, x, y, facing };
  }
  return out;
}

/** On the wire: bytes; after parsing: the moves. */
export const packedMoves = z.instanceof(Uint8Array).transform((b, ctx) => {
  const r = unpackMoves(b);
  if (typeof r === 'string') {
    ctx.addIssue({ code: 'custom', message: r });
    return z.NEVER;
  }
  return r;
});

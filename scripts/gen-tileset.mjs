#!/usr/bin/env node
/**
 * Draws our own tileset, server/maps/tiles.png: 8 tiles of 32×32 in one row, in gid order
 * (firstgid 1): grass, path, wall, water, wood floor, carpet, door, flowers.
 * Pure Node: a minimal PNG encoder (RGBA, no filtering, zlib deflate, CRC-32 from node:zlib).
 * Deterministic: the same script writes the same bytes, so the committed PNG can be checked.
 *
 *   node scripts/gen-tileset.mjs [out.png]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export const TILE_PX = 32;
export const TILE_NAMES = ['grass', 'path', 'wall', 'water', 'wood', 'carpet', 'door', 'flowers'];

/** mulberry32: a tiny seeded PRNG, so the texture noise is the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shade = ([r, g, b], k) => [r, g, b].map((c) => Math.max(0, Math.min(255, Math.round(c * k))));

/** Each painter returns [r, g, b] for the pixel (x, y) of its tile; `rnd` is that tile's PRNG. */
const painters = {
  grass: (_x, _y, rnd) => shade([76, 153, 60], 0.9 + rnd() * 0.2),
  path: (x, y, rnd) => {
    const joint = x % 16 === 0 || y % 16 === 0;
    return shade(joint ? [150, 140, 120] : [196, 184, 156], 0.95 + rnd() * 0.1);
  },
  wall: (x, y, rnd) => {
    const row = Math.floor(y / 8);
    const mortar = y % 8 === 0 || (x + (row % 2) * 8) % 16 === 0;
    return shade(mortar ? [90, 90, 96] : [150, 70, 56], 0.9 + rnd() * 0.15);
  },
  water: (x, y, rnd) => {
    const wave = Math.sin((x + y * 0.5) / 3) > 0.85;
    return shade(wave ? [150, 200, 240] : [48, 110, 190], 0.95 + rnd() * 0.1);
  },
  wood: (x, y, rnd) => {
    const seam = y % 8 === 0 || (x + Math.floor(y / 8) * 11) % 32 === 0;
    return shade(seam ? [100, 62, 30] : [170, 112, 60], 0.92 + rnd() * 0.12);
  },
  carpet: (x, y) => {
    const border = x < 3 || y < 3 || x > 28 || y > 28;
    const diamond = (Math.abs((x % 8) - 4) + Math.abs((y % 8) - 4)) % 4 === 0;
    return border ? [200, 160, 60] : diamond ? [150, 40, 70] : [120, 30, 60];
  },
  door: (x, y) => {
    if (x < 4 || x > 27) return [150, 70, 56];
    if (x === 22 && y === 16) return [230, 200, 80];
    return (x - 4) % 8 === 0 ? [90, 52, 24] : [130, 80, 40];
  },
  flowers: (x, y, rnd) => {
    const cx = (x + 4) % 10;
    const cy = (y + 2 * Math.floor(x / 10)) % 10;
    if (cx >= 3 && cx <= 5 && cy >= 3 && cy <= 5)
      return cx === 4 && cy === 4 ? [250, 220, 60] : [235, 90, 140];
    return shade([76, 153, 60], 0.9 + rnd() * 0.2);
  },
};

/** RGBA pixels, row-major, of the whole strip. */
export function drawTileset() {
  const width = TILE_PX * TILE_NAMES.length;
  const rgba = Buffer.alloc(width * TILE_PX * 4);
  TILE_NAMES.forEach((name, t) => {
    const rnd = prng(1000 + t);
    for (let y = 0; y < TILE_PX; y++) {
      for (let x = 0; x < TILE_PX; x++) {
        const [r, g, b] = painters[name](x, y, rnd);
        const i = (y * width + t * TILE_PX + x) * 4;
        rgba[i] = r;
        rgba[i + 1] = g;
        rgba[i + 2] = b;
        rgba[i + 3] = 255;
      }
    }
  });
  return { width, height: TILE_PX, rgba };
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** PNG (RFC 2083): signature, IHDR, one IDAT, IEND. Colour type 6 = RGBA, 8 bits per channel. */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering (we use filter 0 on every row)
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const out = process.argv[2] ?? join(root, 'server', 'maps', 'tiles.png');
  const { width, height, rgba } = drawTileset();
  writeFileSync(out, encodePng(width, height, rgba));
  console.log(`wrote ${out} (${width}x${height}, ${TILE_NAMES.length} tiles)`);
}

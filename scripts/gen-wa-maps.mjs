#!/usr/bin/env node
/**
 * Writes two maps in WorkAdventure's convention, server/maps/office.tmj and server/maps/annex.tmj,
 * and their own tileset server/maps/office-tiles.png (drawn here: no WorkAdventure image is in
 * this repository). They exercise what the loader reads (docs/OPERATIONS.md, "Maps"): a `start`
 * layer and `startLayer` entries, a start object, `collides` tileset tiles, group layers, a
 * `floorLayer` with a canopy above it, `area` objects (class and legacy type) for rooms, a silent
 * corner inside a room, a meeting room, an exit each way and a website, a legacy silent tile
 * layer, and one layer in base64. Deterministic: the same script writes the same bytes.
 *
 *   node scripts/gen-wa-maps.mjs [outDir]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './gen-tileset.mjs';

const TILE = 32;
const TILES = ['floor', 'wall', 'carpet', 'desk', 'quiet', 'mat', 'canopy', 'marker'];
/** gids (firstgid 1) in the order above. */
const G = Object.fromEntries(TILES.map((name, i) => [name, i + 1]));
/** Painted solid, so a test can tell a canopy pixel from an avatar's. */
export const CANOPY_RGB = [200, 40, 150];

const painters = {
  floor: (x, y) => ((x + y) % 16 === 0 ? [176, 150, 112] : [214, 190, 150]),
  wall: (x, y) => (y % 8 === 0 || (x + Math.floor(y / 8) * 8) % 16 === 0 ? [70, 72, 80] : [110, 114, 126]),
  carpet: (x, y) => ((Math.floor(x / 4) + Math.floor(y / 4)) % 2 === 0 ? [60, 90, 150] : [70, 104, 170]),
  desk: (x, y) => (x < 2 || y < 2 || x > 29 || y > 29 ? [90, 60, 30] : [150, 104, 60]),
  quiet: (x, y) => ((x * 3 + y) % 12 === 0 ? [90, 170, 160] : [120, 200, 190]),
  mat: (x) => (x % 6 < 3 ? [140, 40, 40] : [170, 60, 50]),
  canopy: () => CANOPY_RGB,
  marker: () => [255, 255, 255],
};

export function drawTiles() {
  const width = TILE * TILES.length;
  const rgba = Buffer.alloc(width * TILE * 4);
  TILES.forEach((name, t) => {
    for (let y = 0; y < TILE; y++) {
      for (let x = 0; x < TILE; x++) {
        const i = (y * width + t * TILE + x) * 4;
        const [r, g, b] = painters[name](x, y);
        rgba.set([r, g, b, 255], i);
      }
    }
  });
  return { width, height: TILE, rgba };
}

const prop = (name, value) => ({
  name,
  type: typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'int' : 'string',
  value,
});

function tileset() {
  return {
    firstgid: 1,
    name: 'office-tiles',
    image: 'office-tiles.png',
    imagewidth: TILE * TILES.length,
    imageheight: TILE,
    tilewidth: TILE,
    tileheight: TILE,
    tilecount: TILES.length,
    columns: TILES.length,
    margin: 0,
    spacing: 0,
    tiles: [G.wall, G.desk].map((gid) => ({ id: gid - 1, properties: [prop('collides', true)] })),
  };
}

/** A tile layer builder: `fill` rectangles of tiles (inclusive tile coordinates). */
function grid(width, height) {
  const data = new Array(width * height).fill(0);
  return {
    data,
    fill(x0, y0, x1, y1, gid) {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * width + x] = gid;
      return this;
    },
  };
}

function tileLayer(id, name, width, height, data, extra = {}) {
  return {
    id,
    name,
    type: 'tilelayer',
    width,
    height,
    x: 0,
    y: 0,
    opacity: 1,
    visible: true,
    data,
    ...extra,
  };
}

const rect = (x0, y0, x1, y1) => ({
  x: x0 * TILE,
  y: y0 * TILE,
  width: (x1 - x0 + 1) * TILE,
  height: (y1 - y0 + 1) * TILE,
});

function mapDoc(width, height, properties, layers) {
  return {
    type: 'map',
    version: '1.10',
    tiledversion: '1.10.2',
    orientation: 'orthogonal',
    renderorder: 'right-down',
    infinite: false,
    compressionlevel: -1,
    width,
    height,
    tilewidth: TILE,
    tileheight: TILE,
    nextlayerid: layers.length + 1,
    nextobjectid: 100,
    properties,
    tilesets: [tileset()],
    layers,
  };
}

/**
 * Office, 30x20: a meeting room (top left, door at tile 5,8), an L-shaped open space with a
 * silent quiet corner (tiles 2-7, 13-17) inside it, desks, a canopy (tiles 12-16, 12) drawn over
 * the players, a notice board that offers a website, and an exit (tile 28, 9-10) to the annex.
 * Default start: tile (14, 15); entry "from-annex" at tile (26, 9); start object "lobby" at (14, 12).
 */
function office() {
  const W = 30;
  const H = 20;
  const ground = grid(W, H)
    .fill(0, 0, W - 1, H - 1, G.floor)
    .fill(1, 1, 9, 7, G.carpet)
    .fill(2, 13, 7, 17, G.quiet)
    .fill(28, 9, 28, 10, G.mat);
  const walls = grid(W, H)
    .fill(0, 0, W - 1, 0, G.wall)
    .fill(0, H - 1, W - 1, H - 1, G.wall)
    .fill(0, 0, 0, H - 1, G.wall)
    .fill(W - 1, 0, W - 1, H - 1, G.wall)
    .fill(0, 8, 10, 8, G.wall)
    .fill(10, 0, 10, 8, G.wall)
    .fill(20, 5, 22, 5, G.desk)
    .fill(20, 14, 22, 14, G.desk);
  walls.data[8 * W + 5] = 0; // the meeting room's door
  const start = grid(W, H).fill(14, 15, 15, 15, G.marker);
  const fromAnnex = grid(W, H).fill(26, 9, 26, 10, G.marker);
  const canopy = grid(W, H).fill(12, 12, 16, 12, G.canopy);
  let id = 1;
  const obj = (name, fields, properties) => ({
    id: id++,
    name,
    class: 'area',
    rotation: 0,
    visible: true,
    ...fields,
    ...(properties ? { properties } : {}),
  });
  const objects = [
    obj('Meeting Room', rect(1, 1, 9, 7), [prop('jitsiRoom', 'office-meeting')]),
    obj('Open Space', {
      x: 1 * TILE,
      y: 1 * TILE,
      polygon: [
        [10, 0],
        [28, 0],
        [28, 18],
        [0, 18],
        [0, 8],
        [10, 8],
      ].map(([x, y]) => ({ x: x * TILE, y: y * TILE })),
    }),
    obj('Quiet Corner', rect(2, 13, 7, 17), [prop('silent', true)]),
    obj('to annex', rect(28, 9, 28, 10), [prop('exitUrl', 'annex.tmj#from-office')]),
    obj('Notice board', rect(15, 1, 17, 2), [prop('openWebsite', 'https://example.com/notices')]),
    {
      ...obj('lobby', { x: 14 * TILE + 16, y: 12 * TILE + 16, point: true }, [prop('start', true)]),
      class: '',
    },
  ];
  return mapDoc(
    W,
    H,
    [
      prop('mapName', 'Office'),
      prop(
        'mapDescription',
        'An office drawn in WorkAdventure’s convention: open space, quiet corner, meeting room.',
      ),
      prop('mapCopyright', 'Tiles drawn by scripts/gen-wa-maps.mjs for IM World.'),
      prop('conversationDistance', 96),
      prop('bubbleRadius', 64),
    ],
    [
      {
        id: 1,
        name: 'floor',
        type: 'group',
        opacity: 1,
        visible: true,
        layers: [
          tileLayer(2, 'start', W, H, start.data),
          tileLayer(3, 'ground', W, H, ground.data),
          tileLayer(4, 'from-annex', W, H, fromAnnex.data, {
            visible: false,
            properties: [prop('startLayer', true)],
          }),
        ],
      },
      tileLayer(5, 'walls', W, H, walls.data),
      {
        id: 6,
        name: 'floorLayer',
        type: 'objectgroup',
        draworder: 'topdown',
        opacity: 1,
        visible: true,
        objects,
      },
      tileLayer(7, 'canopy', W, H, canopy.data),
    ],
  );
}

/** Little-endian u32 gids in base64, as Tiled writes an uncompressed base64 layer. */
function base64Gids(data) {
  const buf = Buffer.alloc(data.length * 4);
  for (const [i, g] of data.entries()) buf.writeUInt32LE(g, i * 4);
  return buf.toString('base64');
}

/**
 * Annex, 16x12 (older Tiled: `type: "area"`, no floorLayer): a library, a legacy silent tile
 * layer (tiles 10-14, 1-3), an exit (tile 1, 5-6) back to the office, entry "from-office" at tile
 * (3, 5), default start at tile (8, 6). Layers sit in nested groups; walls are base64.
 */
function annex() {
  const W = 16;
  const H = 12;
  const ground = grid(W, H)
    .fill(0, 0, W - 1, H - 1, G.floor)
    .fill(10, 1, 14, 3, G.quiet)
    .fill(1, 5, 1, 6, G.mat);
  const walls = grid(W, H)
    .fill(0, 0, W - 1, 0, G.wall)
    .fill(0, H - 1, W - 1, H - 1, G.wall)
    .fill(0, 0, 0, H - 1, G.wall)
    .fill(W - 1, 0, W - 1, H - 1, G.wall)
    .fill(5, 8, 9, 8, G.desk);
  const quiet = grid(W, H).fill(10, 1, 14, 3, G.marker);
  let id = 1;
  const obj = (name, fields, properties) => ({
    id: id++,
    name,
    type: 'area',
    rotation: 0,
    visible: true,
    ...fields,
    ...(properties ? { properties } : {}),
  });
  return mapDoc(
    W,
    H,
    [prop('mapName', 'Annex'), prop('mapDescription', 'A small library next to the office.')],
    [
      {
        id: 1,
        name: 'building',
        type: 'group',
        opacity: 1,
        visible: true,
        layers: [
          tileLayer(2, 'ground', W, H, ground.data),
          {
            id: 3,
            name: 'inner',
            type: 'group',
            opacity: 1,
            visible: true,
            layers: [
              tileLayer(4, 'walls', W, H, base64Gids(walls.data), { encoding: 'base64' }),
              tileLayer(5, 'start', W, H, grid(W, H).fill(8, 6, 8, 6, G.marker).data, { visible: false }),
              tileLayer(6, 'from-office', W, H, grid(W, H).fill(3, 5, 3, 6, G.marker).data, {
                visible: false,
                properties: [prop('startLayer', true)],
              }),
            ],
          },
        ],
      },
      tileLayer(7, 'quiet-tiles', W, H, quiet.data, { visible: false, properties: [prop('silent', true)] }),
      {
        id: 8,
        name: 'zones',
        type: 'objectgroup',
        draworder: 'topdown',
        opacity: 1,
        visible: true,
        objects: [
          obj('Library', rect(5, 1, 14, 6)),
          obj('to office', rect(1, 5, 1, 6), [prop('exitUrl', 'office.tmj#from-annex')]),
        ],
      },
    ],
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const out = process.argv[2] ?? join(root, 'server', 'maps');
  const { width, height, rgba } = drawTiles();
  writeFileSync(join(out, 'office-tiles.png'), encodePng(width, height, rgba));
  writeFileSync(join(out, 'office.tmj'), `${JSON.stringify(office(), null, 1)}\n`);
  writeFileSync(join(out, 'annex.tmj'), `${JSON.stringify(annex(), null, 1)}\n`);
  console.log(`wrote office.tmj, annex.tmj and office-tiles.png to ${out}`);
}

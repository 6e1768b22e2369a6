import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  areaAt,
  checkPortalLinks,
  isBlocked,
  loadMap,
  loadMapsFromDir,
  portalAt,
  type SceneMap,
  SceneMapError,
} from '../../src/scene/index';
import { makeMap, open, tmj } from './fixtures';

const ROOT = join(import.meta.dirname, '../../..');
const MAPS_DIR = join(ROOT, 'server/maps');

describe('R-SCN-1: the shipped maps load and have every required part', async () => {
  const maps = await loadMapsFromDir(MAPS_DIR);
  const plaza = maps.get('plaza')!;
  const park = maps.get('park')!;

  test('plaza and park are loaded, keyed by file name (next to the WorkAdventure examples)', () => {
    expect([...maps.keys()].sort()).toEqual(['annex', 'office', 'park', 'plaza']);
    expect(plaza.widthPx).toBe(60 * 32);
    expect(plaza.heightPx).toBe(40 * 32);
    expect(plaza.tileSizePx).toBe(32);
  });

  test.each(['plaza', 'park'])(
    '%s has ground, collision, spawns, areas (rect and polygon), portals',
    (id) => {
      const json = JSON.parse(readFileSync(join(MAPS_DIR, `${id}.tmj`), 'utf8')) as {
        layers: Array<{ name: string; type: string }>;
      };
      const layers = Object.fromEntries(json.layers.map((l) => [l.name, l.type]));
      expect(layers).toMatchObject({
        ground: 'tilelayer',
        collision: 'tilelayer',
        spawns: 'objectgroup',
        areas: 'objectgroup',
        portals: 'objectgroup',
      });
      const map = maps.get(id)!;
      expect(map.spawns.length).toBeGreaterThan(0);
      expect(map.areas.some((a) => a.shape.kind === 'rect')).toBe(true);
      expect(map.areas.some((a) => a.shape.kind === 'polygon')).toBe(true);
      expect(map.portals.length).toBeGreaterThan(0);
      expect(map.viewRadiusPx).toBeGreaterThan(map.hearingRadiusPx);
      expect(map.maxSpeedPxPerSec).toBe(240);
    },
  );

  test('plaza has the named rooms, with walls around them and a free doorway', () => {
    expect(plaza.areas.map((a) => a.name)).toEqual(
      expect.arrayContaining(['Cafe', 'Library', 'Meeting Room', 'Garden']),
    );
    const cafe = plaza.spawns.find((s) => s.name === 'cafe')!;
    expect(areaAt(plaza, cafe.x, cafe.y)).toBe('Cafe');
    const tile = (tx: number, ty: number) => [tx * 32 + 16, ty * 32 + 16] as const;
    expect(isBlocked(plaza, ...tile(3, 8))).toBe(true); // Cafe's west wall
    expect(isBlocked(plaza, ...tile(9, 14))).toBe(false); // Cafe's doorway
    expect(areaAt(plaza, ...tile(9, 14))).toBe(null); // a doorway belongs to no room
    expect(areaAt(plaza, ...tile(9, 13))).toBe('Cafe');
    expect(areaAt(plaza, ...tile(46, 24))).toBe('Garden');
  });

  test('portals link the two maps both ways, and each lands on a free spawn outside any portal', () => {
    for (const [from, to] of [
      [plaza, park],
      [park, plaza],
    ] as const) {
      const portal = from.portals.find((p) => p.targetScene === to.id)!;
      const spawn = to.spawns.find((s) => s.name === portal.targetSpawn)!;
      expect(isBlocked(to, spawn.x, spawn.y)).toBe(false);
      expect(portalAt(to, spawn.x, spawn.y)).toBeUndefined();
    }
  });

  test('tiles.png is a valid 256x32 RGBA PNG (8 tiles of 32 px)', () => {
    const png = readFileSync(join(MAPS_DIR, 'tiles.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    let offset = 8;
    const idat: Buffer[] = [];
    let ihdr: Buffer | undefined;
    while (offset < png.length) {
      const len = png.readUInt32BE(offset);
      const body = png.subarray(offset + 4, offset + 8 + len);
      expect(png.readUInt32BE(offset + 8 + len)).toBe(crc32(body));
      const type = body.subarray(0, 4).toString('ascii');
      if (type === 'IHDR') ihdr = body.subarray(4);
      if (type === 'IDAT') idat.push(body.subarray(4));
      offset += 12 + len;
    }
    expect(ihdr!.readUInt32BE(0)).toBe(256);
    expect(ihdr!.readUInt32BE(4)).toBe(32);
    expect([ihdr![8], ihdr![9]]).toEqual([8, 6]);
    expect(inflateSync(Buffer.concat(idat)).length).toBe(32 * (1 + 256 * 4));
  });
});

test('R-SCN-1: the committed maps and tileset are exactly what the generator scripts write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scene-maps-'));
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/gen-tileset.mjs'), join(dir, 'tiles.png')]);
    execFileSync(process.execPath, [join(ROOT, 'scripts/gen-maps.mjs'), dir]);
    execFileSync(process.execPath, [join(ROOT, 'scripts/gen-wa-maps.mjs'), dir]);
    for (const file of [
      'tiles.png',
      'plaza.tmj',
      'park.tmj',
      'office-tiles.png',
      'office.tmj',
      'annex.tmj',
    ]) {
      expect(readFileSync(join(dir, file)).equals(readFileSync(join(MAPS_DIR, file))), file).toBe(true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('R-SCN-2: a bad map fails at start-up with an error that names the map and the problem', () => {
  const good = () => tmj({ rows: open(4, 3) });
  type Json = ReturnType<typeof good> & { layers: Array<Record<string, unknown>> };
  const broken = (edit: (json: Json) => void) => {
    const json = good() as Json;
    edit(json);
    return () => loadMap(json, 'bad');
  };

  test.each<[string, (json: Json) => void, RegExp]>([
    ['not a map', (j) => Object.assign(j, { type: 'tileset' }), /not a usable Tiled map: type/],
    ['no collision layer', (j) => j.layers.splice(1, 1), /missing tilelayer layer "collision"/],
    ['short layer data', (j) => (j.layers[1]!.data as number[]).pop(), /layer "collision" must be 4x3/],
    ['unknown gid', (j) => ((j.layers[0]!.data as number[])[0] = 99), /gid 99, which no tileset defines/],
    ['non-square tiles', (j) => Object.assign(j, { tileheight: 16 }), /tiles must be square/],
    [
      'missing property',
      (j) => Object.assign(j, { properties: [] }),
      /property viewRadiusPx must be a number/,
    ],
    [
      'ellipse area',
      (j) => (j.layers[3]!.objects = [{ id: 9, x: 0, y: 0, ellipse: true }]),
      /layer "areas" objects.0.ellipse/,
    ],
    [
      'rotated object',
      (j) => (j.layers[2]!.objects = [{ id: 9, x: 1, y: 1, rotation: 45 }]),
      /layer "spawns" objects.0.rotation/,
    ],
  ])('%s', (_name, edit, message) => {
    const load = broken(edit);
    expect(load).toThrow(SceneMapError);
    expect(load).toThrow(/^map "bad": /);
    expect(load).toThrow(message);
  });

  test.each<[string, Parameters<typeof makeMap>[0], RegExp]>([
    [
      'spawn in a wall',
      { rows: ['#..'], spawns: [{ name: 'default', x: 5, y: 5 }] },
      /spawn "default" is outside/,
    ],
    ['spawn outside', { rows: ['...'], spawns: [{ name: 'a', x: 96, y: 5 }] }, /spawn "a" is outside/],
    [
      'duplicate spawn names',
      {
        rows: ['...'],
        spawns: [
          { name: 'a', x: 5, y: 5 },
          { name: 'a', x: 40, y: 5 },
        ],
      },
      /two spawns are named "a"/,
    ],
    [
      'overlapping areas',
      {
        rows: open(4, 4),
        areas: [
          { name: 'A', rect: [0, 0, 64, 64] },
          { name: 'B', rect: [32, 32, 64, 64] },
        ],
      },
      /areas "A" and "B" overlap/,
    ],
    [
      'spawn inside a portal',
      {
        rows: open(3, 1),
        portals: [{ name: 'p', rect: [0, 0, 32, 32], targetScene: 'x', targetSpawn: 'y' }],
      },
      /spawn "default" is inside portal "p"/,
    ],
    [
      'portal on walls only',
      { rows: ['..#'], portals: [{ name: 'p', rect: [64, 0, 32, 32], targetScene: 'x', targetSpawn: 'y' }] },
      /portal "p" has no free tile/,
    ],
  ])('%s', (_name, spec, message) => {
    expect(() => makeMap(spec, 'bad')).toThrow(message);
  });

  test('a portal to a missing scene or spawn is caught when the maps are linked', () => {
    const portal = { name: 'p', rect: [64, 0, 32, 32] as const, targetScene: 'b', targetSpawn: 'nowhere' };
    const a = makeMap({ rows: open(3, 1), portals: [portal] }, 'a');
    const b = makeMap({ rows: open(3, 1) }, 'b');
    expect(() => checkPortalLinks(new Map([['a', a]]))).toThrow(/unknown scene "b"/);
    expect(() =>
      checkPortalLinks(
        new Map<string, SceneMap>([
          ['a', a],
          ['b', b],
        ]),
      ),
    ).toThrow(/spawn "nowhere", which scene "b" lacks/);
  });

  test('not even JSON of the right kind', () => {
    expect(() => loadMap(null, 'bad')).toThrow(/^map "bad": not a usable Tiled map: \(root\)/);
    expect(() => loadMap([], 'bad')).toThrow(SceneMapError);
  });

  test('the scene id must be a valid id', () => {
    expect(() => loadMap(good(), 'Bad Name')).toThrow(/scene id/);
  });
});

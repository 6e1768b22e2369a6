import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conventionOf, MAP_DEFAULTS, parseMap, zoneAt } from '@imw/shared';
import { describe, expect, test } from 'vitest';
import { areaAt, isBlocked, loadMap, loadMapsFromDir, portalAt, SceneMapError } from '../../src/scene/index';
import { area, type Json, objects, tmj, wa } from './fixtures';

const MAPS_DIR = join(import.meta.dirname, '../../maps');
const readJson = (id: string): unknown => JSON.parse(readFileSync(join(MAPS_DIR, `${id}.tmj`), 'utf8'));
const centre = (tx: number, ty: number) => [tx * 32 + 16, ty * 32 + 16] as const;

describe('R-MAP-1: maps in WorkAdventure’s convention load as they are, next to ours', async () => {
  const maps = await loadMapsFromDir(MAPS_DIR);
  const office = maps.get('office')!;
  const annex = maps.get('annex')!;

  test('both conventions are told apart and load from one folder', () => {
    expect([...maps.keys()].sort()).toEqual(['annex', 'office', 'park', 'plaza']);
    expect(conventionOf(readJson('office'))).toBe('workadventure');
    expect(conventionOf(readJson('plaza'))).toBe('imw');
    expect(office.convention).toBe('workadventure');
    expect(maps.get('plaza')!.convention).toBe('imw');
  });

  test('start positions: the "start" layer first (the default), startLayer layers, start objects', () => {
    expect(office.spawns).toEqual([
      { name: 'start', x: 464, y: 496 },
      { name: 'from-annex', x: 848, y: 304 },
      { name: 'lobby', x: 464, y: 400 },
    ]);
    // Annex keeps its layers in nested groups; the start layer comes first whatever its place.
    expect(annex.spawns.map((s) => s.name)).toEqual(['start', 'from-office']);
  });

  test('walls from tileset tiles with collides: true, on any layer, base64 layers too', () => {
    expect(isBlocked(office, ...centre(0, 5))).toBe(true); // outer wall
    expect(isBlocked(office, ...centre(21, 5))).toBe(true); // a desk
    expect(isBlocked(office, ...centre(5, 8))).toBe(false); // the meeting room's door
    expect(isBlocked(office, ...centre(4, 8))).toBe(true);
    expect(isBlocked(annex, ...centre(7, 8))).toBe(true); // base64 "walls", two groups deep
    expect(isBlocked(annex, ...centre(7, 7))).toBe(false);
  });

  test('rooms, a silent corner inside a room, a meeting room (class "area" and legacy type "area")', () => {
    expect(areaAt(office, ...centre(14, 15))).toBe('Open Space');
    expect(areaAt(office, ...centre(4, 15))).toBe('Quiet Corner');
    expect(zoneAt(office.areas, ...centre(4, 15)).silent).toBe(true);
    expect(zoneAt(office.areas, ...centre(14, 15)).silent).toBe(false);
    expect(zoneAt(office.areas, ...centre(3, 3))).toMatchObject({ meeting: 'office-meeting', silent: false });
    expect(areaAt(annex, ...centre(6, 4))).toBe('Library');
    // Annex's legacy silent tile layer is a silent zone of its own inside the library.
    expect(zoneAt(annex.areas, ...centre(12, 2))).toMatchObject({ silent: true });
    expect(areaAt(annex, ...centre(12, 2))).toBe('quiet-tiles');
  });

  test('map properties, and the defaults a map without them gets', () => {
    expect(office).toMatchObject({
      name: 'Office',
      copyright: expect.stringContaining('gen-wa-maps.mjs'),
      conversationDistancePx: 96,
      bubbleRadiusPx: 64,
      viewRadiusPx: MAP_DEFAULTS.viewRadiusPx,
      hearingRadiusPx: MAP_DEFAULTS.hearingRadiusPx,
      maxSpeedPxPerSec: MAP_DEFAULTS.maxSpeedPxPerSec,
    });
    expect(annex).toMatchObject({
      name: 'Annex',
      copyright: '',
      conversationDistancePx: MAP_DEFAULTS.conversationDistancePx,
      bubbleRadiusPx: MAP_DEFAULTS.bubbleRadiusPx,
    });
    expect(MAP_DEFAULTS).toMatchObject({ conversationDistancePx: 64, bubbleRadiusPx: 48 });
    expect(maps.get('plaza')!.name).toBe('Plaza');
    expect(loadMap(tmj({ rows: ['..'] }), 'bare').name).toBe('bare');
  });
});

describe('R-MAP-3: what cannot be read is refused with a reason a map maker can act on', () => {
  test.each<[string, (j: Json) => void, RegExp]>([
    [
      'external tileset',
      (j) => (j.tilesets = [{ firstgid: 1, source: 'office.tsx' }]),
      /external tileset office\.tsx: embed it/,
    ],
    [
      'compressed layer',
      (j) => Object.assign(j.layers[1]!, { encoding: 'base64', compression: 'zlib', data: 'eJw=' }),
      /layer "ground" is compressed \(zlib\)/,
    ],
    ['infinite map', (j) => Object.assign(j, { infinite: true }), /infinite maps are not supported/],
    [
      'isometric map',
      (j) => Object.assign(j, { orientation: 'isometric' }),
      /isometric maps are not supported/,
    ],
    [
      'image collection',
      (j) => (j.tilesets = [{ firstgid: 1, name: 'pics', tiles: [{ id: 0, image: 'a.png' }] }]),
      /collection of images/,
    ],
    [
      'tiles of another size',
      (j) => Object.assign(j.tilesets[0]!, { tilewidth: 16, tileheight: 16 }),
      /tileset "t" has 16x16 tiles; the map's are 32x32/,
    ],
    ['no start', (j) => j.layers.splice(0, 1), /no start position/],
  ])('%s', (_name, edit, reason) => {
    const json = wa(['S..', '...']);
    edit(json);
    expect(() => loadMap(json, 'bad')).toThrow(SceneMapError);
    expect(() => loadMap(json, 'bad')).toThrow(reason);
  });

  test('the same refusals hold for a map in our convention', () => {
    const json = tmj({ rows: ['..'] }) as Json;
    json.tilesets = [{ firstgid: 1, source: 'x.tsx' }];
    expect(() => loadMap(json, 'ours')).toThrow(/external tileset x\.tsx/);
  });
});

describe('R-MAP-4: drawing order', () => {
  test('tile layers after the object group floorLayer are drawn over the players; hidden ones not at all', () => {
    const { drawing } = parseMap(readJson('office'), 'office');
    expect(drawing.layers.map((l) => [l.name, l.above])).toEqual([
      ['start', false],
      ['ground', false],
      ['walls', false],
      ['canopy', true],
    ]);
  });

  test('without a floorLayer every layer is under the players', () => {
    const { drawing } = parseMap(readJson('annex'), 'annex');
    expect(drawing.layers.every((l) => !l.above)).toBe(true);
    expect(drawing.layers.map((l) => l.name)).toEqual(['ground', 'walls']);
  });
});

describe('R-MAP-5: exitUrl is a portal to another map of this node', () => {
  const exits = (url: string) =>
    loadMap(wa(['S...'], { layers: [objects(area(1, 'door', [96, 0, 32, 32], { exitUrl: url }))] }), 'here')
      .portals;

  test.each([
    ['other.tmj#entry', { targetScene: 'other', targetSpawn: 'entry' }],
    ['./other.json', { targetScene: 'other', targetSpawn: null }],
    ['#side', { targetScene: 'here', targetSpawn: 'side' }],
  ])('%s', (url, target) => {
    expect(exits(url)).toEqual([
      { name: 'door', rect: { x: 96, y: 0, widthPx: 32, heightPx: 32 }, ...target },
    ]);
  });

  test.each(['https://play.workadventu.re/_/global/x.json', '../elsewhere/map.tmj', '/maps/x.tmj'])(
    'an exit this node cannot follow is ignored: %s',
    (url) => {
      expect(exits(url)).toEqual([]);
    },
  );

  test('the office and the annex lead to each other’s entries', async () => {
    const maps = await loadMapsFromDir(MAPS_DIR);
    const office = maps.get('office')!;
    const annex = maps.get('annex')!;
    expect(portalAt(office, ...centre(28, 9))).toMatchObject({
      targetScene: 'annex',
      targetSpawn: 'from-office',
    });
    expect(portalAt(annex, ...centre(1, 6))).toMatchObject({
      targetScene: 'office',
      targetSpawn: 'from-annex',
    });
  });
});

describe('R-MAP-6: openWebsite is a link the client may offer, http and https only', () => {
  const links = (url: string) =>
    loadMap(wa(['S...'], { layers: [objects(area(1, 'Board', [64, 0, 64, 32], { openWebsite: url }))] }), 'w')
      .links;

  test('an https website becomes a link, and not a room', () => {
    const map = loadMap(
      wa(['S...'], {
        layers: [objects(area(1, 'Board', [64, 0, 64, 32], { openWebsite: 'https://example.com/a' }))],
      }),
      'w',
    );
    expect(map.links).toEqual([
      {
        name: 'Board',
        url: 'https://example.com/a',
        shape: { kind: 'rect', x: 64, y: 0, widthPx: 64, heightPx: 32 },
      },
    ]);
    expect(map.areas).toEqual([]);
  });

  test.each(['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'notes.html'])(
    '%s is ignored',
    (url) => {
      expect(links(url)).toEqual([]);
    },
  );
});

describe('R-MAP-7: overlapping areas: the smallest holding a point wins, silent is inherited', () => {
  const map = loadMap(
    wa(['S.......', '........', '........', '........'], {
      layers: [
        objects(
          area(1, 'Hall', [0, 0, 256, 128], { silent: true }),
          area(2, 'Booth', [128, 32, 64, 64]),
          area(3, 'Pod', [160, 32, 32, 32], { jitsiRoom: 'pod-call' }),
          area(4, '', [0, 96, 32, 32]), // unnamed and without a flag: not a room
        ),
      ],
    }),
    'overlap',
  );

  test('the smallest area names the point', () => {
    expect(areaAt(map, 10, 10)).toBe('Hall');
    expect(areaAt(map, 140, 40)).toBe('Booth');
    expect(areaAt(map, 170, 40)).toBe('Pod');
    expect(areaAt(map, 10, 100)).toBe('Hall');
  });

  test('a silent area silences every area inside it; a meeting belongs to its own area', () => {
    expect(zoneAt(map.areas, 140, 40)).toMatchObject({ silent: true, meeting: null });
    expect(zoneAt(map.areas, 170, 40)).toMatchObject({ silent: true, meeting: 'pod-call' });
  });

  test('our convention keeps refusing overlaps (its rooms are disjoint by rule)', () => {
    const ours = tmj({
      rows: ['....', '....'],
      areas: [
        { name: 'A', rect: [0, 0, 64, 64] },
        { name: 'B', rect: [32, 0, 64, 64] },
      ],
    });
    expect(() => loadMap(ours, 'ours')).toThrow(/overlap/);
  });
});

import { loadMap, type SceneMap } from '../../src/scene/index';

/** A small map described in ASCII: one string per row, '#' = wall, anything else = free. */
export interface MapSpec {
  readonly rows: readonly string[];
  readonly tileSizePx?: number;
  readonly spawns?: ReadonlyArray<{ name: string; x: number; y: number }>;
  readonly areas?: ReadonlyArray<
    | { name: string; rect: readonly [x: number, y: number, w: number, h: number] }
    | { name: string; polygon: ReadonlyArray<readonly [number, number]> }
  >;
  readonly portals?: ReadonlyArray<{
    name: string;
    rect: readonly [x: number, y: number, w: number, h: number];
    targetScene: string;
    targetSpawn: string;
  }>;
  readonly viewRadiusPx?: number;
  readonly hearingRadiusPx?: number;
  readonly maxSpeedPxPerSec?: number;
}

/** The Tiled JSON for a spec, as Tiled would write it (so loadMap is exercised for real). */
export function tmj(spec: MapSpec): Record<string, unknown> {
  const size = spec.tileSizePx ?? 32;
  const height = spec.rows.length;
  const width = spec.rows[0]?.length ?? 0;
  const collision = spec.rows.flatMap((row) => [...row].map((c) => (c === '#' ? 3 : 0)));
  let id = 1;
  const obj = (name: string, fields: Record<string, unknown>) => ({
    id: id++,
    name,
    type: '',
    rotation: 0,
    ...fields,
  });
  const spawns = spec.spawns ?? [{ name: 'default', x: size / 2, y: size / 2 }];
  return {
    type: 'map',
    orientation: 'orthogonal',
    infinite: false,
    width,
    height,
    tilewidth: size,
    tileheight: size,
    properties: [
      { name: 'viewRadiusPx', type: 'int', value: spec.viewRadiusPx ?? 100 },
      { name: 'hearingRadiusPx', type: 'int', value: spec.hearingRadiusPx ?? 50 },
      { name: 'maxSpeedPxPerSec', type: 'int', value: spec.maxSpeedPxPerSec ?? 200 },
    ],
    tilesets: [
      {
        firstgid: 1,
        name: 'tiles',
        image: 'tiles.png',
        tilewidth: size,
        tileheight: size,
        tilecount: 8,
        columns: 8,
        imagewidth: 8 * size,
        imageheight: size,
      },
    ],
    layers: [
      { type: 'tilelayer', name: 'ground', width, height, data: collision.map((c) => (c ? 3 : 1)) },
      { type: 'tilelayer', name: 'collision', width, height, data: collision },
      {
        type: 'objectgroup',
        name: 'spawns',
        objects: spawns.map((s) => obj(s.name, { x: s.x, y: s.y, point: true })),
      },
      {
        type: 'objectgroup',
        name: 'areas',
        objects: (spec.areas ?? []).map((a) =>
          'rect' in a
            ? obj(a.name, { x: a.rect[0], y: a.rect[1], width: a.rect[2], height: a.rect[3] })
            : obj(a.name, { x: 0, y: 0, polygon: a.polygon.map(([x, y]) => ({ x, y })) }),
        ),
      },
      {
        type: 'objectgroup',
        name: 'portals',
        objects: (spec.portals ?? []).map((p) =>
          obj(p.name, {
            x: p.rect[0],
            y: p.rect[1],
            width: p.rect[2],
            height: p.rect[3],
            properties: [
              { name: 'targetScene', type: 'string', value: p.targetScene },
              { name: 'targetSpawn', type: 'string', value: p.targetSpawn },
            ],
          }),
        ),
      },
    ],
  };
}

export function makeMap(spec: MapSpec, id = 'test'): SceneMap {
  return loadMap(tmj(spec), id);
}

/** n rows of w free tiles. */
export function open(w: number, h: number): string[] {
  return Array.from({ length: h }, () => '.'.repeat(w));
}

// ---- WorkAdventure's convention ----

export type Json = Record<string, unknown> & {
  layers: Record<string, unknown>[];
  tilesets: Record<string, unknown>[];
};

/** A small WorkAdventure map: `rows` of '.', '#' (a tile whose tileset tile collides) and 'S' (start). */
export function wa(
  rows: string[],
  extra: { layers?: Record<string, unknown>[]; properties?: unknown[] } = {},
): Json {
  const width = rows[0]!.length;
  const height = rows.length;
  const cells = rows.join('');
  return {
    type: 'map',
    orientation: 'orthogonal',
    infinite: false,
    width,
    height,
    tilewidth: 32,
    tileheight: 32,
    properties: extra.properties ?? [],
    tilesets: [
      {
        firstgid: 1,
        name: 't',
        image: 'office-tiles.png',
        tilewidth: 32,
        tileheight: 32,
        tilecount: 8,
        columns: 8,
        imagewidth: 256,
        imageheight: 32,
        tiles: [{ id: 1, properties: [{ name: 'collides', type: 'bool', value: true }] }],
      },
    ],
    layers: [
      { type: 'tilelayer', name: 'start', width, height, data: [...cells].map((c) => (c === 'S' ? 8 : 0)) },
      { type: 'tilelayer', name: 'ground', width, height, data: [...cells].map((c) => (c === '#' ? 2 : 1)) },
      ...(extra.layers ?? []),
    ],
  };
}

export const area = (
  id: number,
  name: string,
  r: [number, number, number, number],
  props: Record<string, unknown> = {},
) => ({
  id,
  name,
  class: 'area',
  x: r[0],
  y: r[1],
  width: r[2],
  height: r[3],
  properties: Object.entries(props).map(([n, value]) => ({ name: n, value })),
});
export const objects = (...objs: unknown[]) => ({ type: 'objectgroup', name: 'floorLayer', objects: objs });

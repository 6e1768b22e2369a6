import { isBlocked } from '../geometry';
import { tileCentres, tileRects } from './cells';
import { type ParsedMap, someFreeTileCentre } from './imw';
import { MAP_DEFAULTS, positiveNumber, readMeta } from './meta';
import { boundsOf, pointInRect, shapeSizePx2 } from './shapes';
import {
  classOf,
  decodeGids,
  type Fail,
  flattenLayers,
  type LooseMap,
  type LooseObject,
  looseMap,
  type PropertyValue,
  propertyMap,
} from './tmj';
import type {
  AreaShape,
  DrawLayer,
  DrawTileset,
  MapLink,
  Point,
  Portal,
  Rect,
  SceneArea,
  SceneMap,
  Spawn,
} from './types';

/**
 * WorkAdventure's convention for a Tiled map, read as it is (docs/OPERATIONS.md, "Maps", has the
 * table of what is supported, ignored and refused):
 * - start positions: a tile layer named `start`, or any tile layer with `startLayer: true` (the
 *   entry is named after the layer), and objects with `start: true` (named after the object);
 * - walls: tiles whose tileset tile has `collides: true`, on any layer (or a layer with `collides`);
 * - group layers flattened in order, a group's properties inherited by its layers; tile layers
 *   after the object group `floorLayer` are drawn over the players;
 * - zones: objects of class `area` (or legacy tile layers with the same properties): `silent`,
 *   `jitsiRoom`/`bbbMeeting`/`meeting` (a meeting room), `exitUrl` (a portal), `openWebsite` (a
 *   link the client may offer); named areas are sub-areas (rooms), overlapping by R-MAP-7.
 */

/** `other.tmj#entry`, `./other.json`, or `#entry` (this map): the only exits a node can follow. */
const EXIT_RE = /^(?:(?:\.\/)?([a-z0-9][a-z0-9_-]{0,63})\.(?:tmj|json))?(?:#([^#]{1,64}))?$/;

interface Zoned {
  readonly name: string;
  readonly props: ReadonlyMap<string, PropertyValue>;
}

export function parseWorkAdventureMap(json: unknown, id: string, fail: Fail): ParsedMap {
  const parsed = looseMap.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 4)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    fail(`not a usable Tiled map: ${issues.join('; ')}`);
  }
  const tmj = parsed.data;
  if (tmj.tilewidth !== tmj.tileheight) fail(`tiles must be square, got ${tmj.tilewidth}x${tmj.tileheight}`);
  const tileSizePx = tmj.tilewidth;
  const { tilesets, collides } = readTilesets(tmj, fail);
  const read = readLayers(tmj, tilesets, collides, fail);

  const props = propertyMap(tmj.properties);
  const base = {
    id,
    widthTiles: tmj.width,
    heightTiles: tmj.height,
    tileSizePx,
    widthPx: tmj.width * tileSizePx,
    heightPx: tmj.height * tileSizePx,
    collision: read.collision,
    viewRadiusPx: positiveNumber(props, 'viewRadiusPx', MAP_DEFAULTS.viewRadiusPx, fail),
    hearingRadiusPx: positiveNumber(props, 'hearingRadiusPx', MAP_DEFAULTS.hearingRadiusPx, fail),
    maxSpeedPxPerSec: positiveNumber(props, 'maxSpeedPxPerSec', MAP_DEFAULTS.maxSpeedPxPerSec, fail),
    ...readMeta(props, id, fail),
    convention: 'workadventure' as const,
  };
  const { areas, portals, links } = readZones(read.zones, id);
  const map: SceneMap = { ...base, spawns: [], areas, portals, links };
  for (const p of portals) {
    if (!someFreeTileCentre(map, p.rect)) fail(`exit "${p.name}" has no free tile to step on`);
  }
  const spawns = readSpawns(map, read.startLayers, read.startObjects, fail);
  return { map: { ...map, spawns }, drawing: { layers: read.layers, tilesets } };
}

/** Embedded tilesets as drawing needs them, and the gids whose tileset tile has `collides: true`. */
function readTilesets(tmj: LooseMap, fail: Fail): { tilesets: DrawTileset[]; collides: Set<number> } {
  const size = tmj.tilewidth;
  const tilesets = tmj.tilesets.map((t): DrawTileset => {
    if (t.tilewidth !== size || t.tileheight !== size) {
      fail(`tileset "${t.name}" has ${t.tilewidth}x${t.tileheight} tiles; the map's are ${size}x${size}`);
    }
    return {
      firstGid: t.firstgid,
      tileCount: t.tilecount,
      columns: t.columns,
      tileSizePx: size,
      marginPx: t.margin,
      spacingPx: t.spacing,
      image: t.image,
    };
  });
  const collides = new Set<number>();
  for (const t of tmj.tilesets) {
    for (const tile of t.tiles ?? []) {
      if (propertyMap(tile.properties).get('collides') === true) collides.add(t.firstgid + tile.id);
    }
  }
  return { tilesets, collides };
}

interface ReadLayers {
  readonly collision: Uint8Array;
  readonly layers: DrawLayer[];
  readonly startLayers: { name: string; gids: Uint32Array }[];
  readonly startObjects: { name: string; at: Point }[];
  readonly zones: { zone: Zoned; shapes: AreaShape[] }[];
}

/** Every layer, groups flattened in order: walls, what to draw (and whether over the players), starts, zones. */
function readLayers(
  tmj: LooseMap,
  tilesets: readonly DrawTileset[],
  collides: ReadonlySet<number>,
  fail: Fail,
): ReadLayers {
  const cells = tmj.width * tmj.height;
  const known = (g: number) => tilesets.some((t) => g >= t.firstGid && g < t.firstGid + t.tileCount);
  const flat = flattenLayers(tmj.layers);
  const hasFloor = flat.some((f) => f.layer.type === 'objectgroup' && f.layer.name === 'floorLayer');
  let aboveFloor = false;
  const out: ReadLayers = {
    collision: new Uint8Array(cells),
    layers: [],
    startLayers: [],
    startObjects: [],
    zones: [],
  };
  for (const { layer: l, props, hidden } of flat) {
    if (l.type === 'objectgroup') {
      if (l.name === 'floorLayer') aboveFloor = true;
      for (const o of l.objects) readObject(o, out.startObjects, out.zones);
      continue;
    }
    if (l.type !== 'tilelayer') continue;
    const gids = decodeGids(l, cells, fail);
    const layerCollides = props.get('collides') === true;
    gids.forEach((g, i) => {
      if (g === 0) return;
      if (!known(g)) fail(`layer "${l.name}" uses gid ${g}, which no tileset defines`);
      if (layerCollides || collides.has(g)) out.collision[i] = 1;
    });
    if (!hidden) out.layers.push({ name: l.name, gids, above: hasFloor && aboveFloor });
    if (l.name === 'start' || props.get('startLayer') === true) out.startLayers.push({ name: l.name, gids });
    if (ZONE_KEYS.some((k) => props.has(k))) {
      const shapes = tileRects(gids, tmj.width, tmj.tilewidth).map(
        (r): AreaShape => ({ kind: 'rect', ...r }),
      );
      if (shapes.length > 0) out.zones.push({ zone: { name: l.name, props }, shapes });
    }
  }
  return out;
}

const ZONE_KEYS = ['silent', 'jitsiRoom', 'bbbMeeting', 'meeting', 'exitUrl', 'openWebsite'] as const;

/** An area object's shape: a rectangle or a polygon; anything else makes no zone. */
function shapeOf(o: LooseObject): AreaShape | null {
  if ((o.rotation ?? 0) !== 0 || o.ellipse || o.point || o.gid !== undefined || o.text !== undefined)
    return null;
  if (o.polygon !== undefined) {
    if (o.polygon.length < 3) return null;
    const points = o.polygon.map((p) => ({ x: o.x + p.x, y: o.y + p.y }));
    const bounds = boundsOf(points);
    return bounds.widthPx > 0 && bounds.heightPx > 0 ? { kind: 'polygon', points, bounds } : null;
  }
  if (o.polyline !== undefined || o.width <= 0 || o.height <= 0) return null;
  return { kind: 'rect', x: o.x, y: o.y, widthPx: o.width, heightPx: o.height };
}

function readObject(
  o: LooseObject,
  starts: { name: string; at: Point }[],
  zones: { zone: Zoned; shapes: AreaShape[] }[],
): void {
  const props = propertyMap(o.properties);
  const shape = shapeOf(o);
  if (props.get('start') === true) {
    const at =
      o.point === true
        ? { x: o.x, y: o.y }
        : shape
          ? centreOf(shape)
          : { x: o.x + o.width / 2, y: o.y + o.height / 2 };
    starts.push({ name: o.name || 'start', at });
  }
  if (classOf(o) !== 'area' || shape === null) return;
  zones.push({ zone: { name: o.name || `#${o.id}`, props }, shapes: [shape] });
}

function centreOf(shape: AreaShape): Point {
  const b = shape.kind === 'rect' ? shape : shape.bounds;
  return { x: b.x + b.widthPx / 2, y: b.y + b.heightPx / 2 };
}

function rectOf(shape: AreaShape): Rect {
  const { x, y, widthPx, heightPx } = shape.kind === 'rect' ? shape : shape.bounds;
  return { x, y, widthPx, heightPx };
}

/**
 * Zones into sub-areas, portals and links. A zone is a sub-area (room) when it is silent or a
 * meeting room, or when it is named and is not only an exit, an entry or a website.
 */
function readZones(
  zones: readonly { zone: Zoned; shapes: AreaShape[] }[],
  mapId: string,
): { areas: SceneArea[]; portals: Portal[]; links: MapLink[] } {
  const areas: SceneArea[] = [];
  const portals: Portal[] = [];
  const links: MapLink[] = [];
  for (const { zone, shapes } of zones) {
    const { name, props } = zone;
    const silent = props.get('silent') === true;
    const meeting = meetingOf(name, props);
    const exit = exitOf(props.get('exitUrl'), mapId);
    const url = websiteOf(props.get('openWebsite'));
    const isStart = props.get('start') === true || props.get('startLayer') === true;
    const unnamed = name.startsWith('#');
    const room = silent || meeting !== null || (!unnamed && !exit && !url && !isStart);
    shapes.forEach((shape, i) => {
      const partName = shapes.length > 1 ? `${name} ${i + 1}` : name;
      if (room) areas.push({ name, shape, silent, meeting, sizePx2: shapeSizePx2(shape) });
      if (exit) portals.push({ name: partName, rect: rectOf(shape), ...exit });
      if (url) links.push({ name: unnamed ? new URL(url).host : name, shape, url });
    });
  }
  return { areas, portals, links };
}

function meetingOf(name: string, props: ReadonlyMap<string, PropertyValue>): string | null {
  for (const key of ['jitsiRoom', 'bbbMeeting', 'meeting']) {
    const v = props.get(key);
    if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 64);
    if (v === true) return name;
  }
  return null;
}

/** R-MAP-5: an exit this node can follow (a map file next to this one), else null (ignored). */
function exitOf(
  v: PropertyValue | undefined,
  mapId: string,
): Pick<Portal, 'targetScene' | 'targetSpawn'> | null {
  if (typeof v !== 'string') return null;
  const m = EXIT_RE.exec(v.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  return { targetScene: m[1] ?? mapId, targetSpawn: m[2] ?? null };
}

/** R-MAP-6: http: and https: only; anything else (javascript:, relative paths) is ignored. */
function websiteOf(v: PropertyValue | undefined): string | null {
  if (typeof v !== 'string') return null;
  try {
    const url = new URL(v.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null; // not an absolute URL: nothing the client could open
  }
}

/**
 * Start layers give their first free tile outside every exit (row by row, so every client and
 * node agrees; WorkAdventure picks a random one); start objects their point or centre. The layer
 * named `start` comes first: it is the default entry.
 */
function readSpawns(
  map: SceneMap,
  startLayers: readonly { name: string; gids: Uint32Array }[],
  startObjects: readonly { name: string; at: Point }[],
  fail: Fail,
): Spawn[] {
  const inExit = (p: Point) => map.portals.find((e) => pointInRect(p.x, p.y, e.rect));
  const spawns: Spawn[] = [];
  const add = (s: Spawn) => {
    if (!spawns.some((t) => t.name === s.name)) spawns.push(s);
  };
  const ordered = [...startLayers].sort((a, b) => Number(b.name === 'start') - Number(a.name === 'start'));
  for (const l of ordered) {
    const free = tileCentres(l.gids, map.widthTiles, map.tileSizePx).find(
      (c) => !isBlocked(map, c.x, c.y) && !inExit(c),
    );
    if (!free) fail(`start layer "${l.name}" has no free tile outside the exits`);
    add({ name: l.name, ...free });
  }
  for (const o of startObjects) {
    if (isBlocked(map, o.at.x, o.at.y)) fail(`start "${o.name}" is outside the map or in a wall`);
    const exit = inExit(o.at);
    if (exit) fail(`start "${o.name}" is inside exit "${exit.name}"`);
    add({ name: o.name, ...o.at });
  }
  if (spawns.length === 0) {
    fail('no start position: add a tile layer named "start", or an object with the property start: true');
  }
  return spawns;
}

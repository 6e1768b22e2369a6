import { isBlocked } from '../geometry';
import {
  SCENE_ID_RE,
  type TiledMap,
  type TiledObject,
  type TiledProperty,
  tiledMap,
} from '../protocol/packets/scene';
import { boundsOf, pointInRect, pointInShape } from './shapes';
import type { Point, Portal, Rect, SceneArea, SceneMap, Spawn } from './types';

/**
 * How a Tiled map (.tmj) is read: one parser and one set of rules for the server, which refuses
 * a bad map at start-up, and the web client, which draws and walks the same map. Required layers
 * "ground", "collision" (tile layers) and "spawns" (points); optional "areas" (rooms: rectangles
 * or polygons, disjoint) and "portals" (rectangles with targetScene/targetSpawn). The map's
 * viewRadiusPx, hearingRadiusPx and maxSpeedPxPerSec properties are required: no side guesses.
 */

/** A map that cannot be used. Thrown at start-up so a bad map never reaches a player. */
export class SceneMapError extends Error {
  constructor(
    readonly mapId: string,
    message: string,
  ) {
    super(`map "${mapId}": ${message}`);
    this.name = 'SceneMapError';
  }
}

/** Tiled keeps flip/rotation flags in the top bits of a gid. */
const GID_MASK = 0x1fff_ffff;

type TileLayer = Extract<TiledMap['layers'][number], { type: 'tilelayer' }>;
type ObjectLayer = Extract<TiledMap['layers'][number], { type: 'objectgroup' }>;

/** Parse and validate one .tmj document. `id` is the scene id (the file name without `.tmj`). */
export function loadMap(json: unknown, id: string): SceneMap {
  return parseMap(json, id).map;
}

/** Like loadMap, and hands back the validated document too (its tilesets and tile layers). */
export function parseMap(json: unknown, id: string): { map: SceneMap; tmj: TiledMap } {
  const fail: Fail = (message) => {
    throw new SceneMapError(id, message);
  };
  if (!SCENE_ID_RE.test(id)) fail('the scene id must be 1-64 chars of a-z 0-9 _ -');
  const parsed = tiledMap.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 8).map((i) => `${describePath(json, i.path)}: ${i.message}`);
    fail(`not a usable Tiled map: ${issues.join('; ')}`);
  }
  const tmj = parsed.data;
  if (tmj.tilewidth !== tmj.tileheight) fail(`tiles must be square, got ${tmj.tilewidth}x${tmj.tileheight}`);

  const layer = <K extends 'tilelayer' | 'objectgroup'>(name: string, type: K, required: boolean) => {
    const found = tmj.layers.filter((l) => l.name === name);
    if (found.length > 1) fail(`more than one layer named "${name}"`);
    const l = found[0];
    if (l === undefined) return required ? fail(`missing ${type} layer "${name}"`) : undefined;
    if (l.type !== type) fail(`layer "${name}" must be a ${type}, got ${l.type}`);
    return l as Extract<TiledMap['layers'][number], { type: K }>;
  };
  const checkTileLayer = (l: TileLayer): TileLayer => {
    if (l.width !== tmj.width || l.height !== tmj.height || l.data.length !== tmj.width * tmj.height) {
      fail(`layer "${l.name}" must be ${tmj.width}x${tmj.height} with ${tmj.width * tmj.height} gids`);
    }
    for (const raw of l.data) {
      const g = raw & GID_MASK;
      if (g !== 0 && !tmj.tilesets.some((t) => g >= t.firstgid && g < t.firstgid + t.tilecount)) {
        fail(`layer "${l.name}" uses gid ${g}, which no tileset defines`);
      }
    }
    return l;
  };
  checkTileLayer(layer('ground', 'tilelayer', true)!);
  const collisionLayer = checkTileLayer(layer('collision', 'tilelayer', true)!);

  const tileSizePx = tmj.tilewidth;
  const collision = new Uint8Array(tmj.width * tmj.height);
  collisionLayer.data.forEach((g, i) => {
    collision[i] = (g & GID_MASK) === 0 ? 0 : 1;
  });

  const props = propertyMap(tmj.properties);
  const positiveNumber = (name: string): number => {
    const v = props.get(name);
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      return fail(`map property ${name} must be a number > 0`);
    }
    return v;
  };

  const base = {
    id,
    widthTiles: tmj.width,
    heightTiles: tmj.height,
    tileSizePx,
    widthPx: tmj.width * tileSizePx,
    heightPx: tmj.height * tileSizePx,
    collision,
    viewRadiusPx: positiveNumber('viewRadiusPx'),
    hearingRadiusPx: positiveNumber('hearingRadiusPx'),
    maxSpeedPxPerSec: positiveNumber('maxSpeedPxPerSec'),
  };
  const areas = readAreas(layer('areas', 'objectgroup', false), fail);
  const portals = readPortals(layer('portals', 'objectgroup', false), fail);
  const map: SceneMap = { ...base, spawns: [], areas, portals };
  checkAreasDisjoint(map, fail);
  for (const p of portals) {
    if (!someFreeTileCentre(map, p.rect)) fail(`portal "${p.name}" has no free tile to step on`);
  }
  const spawns = readSpawns(layer('spawns', 'objectgroup', true)!, fail);
  for (const s of spawns) {
    if (isBlocked(map, s.x, s.y)) fail(`spawn "${s.name}" is outside the map or in a wall`);
    const portal = portals.find((p) => pointInRect(s.x, s.y, p.rect));
    if (portal) fail(`spawn "${s.name}" is inside portal "${portal.name}"`);
  }
  return { map: { ...map, spawns }, tmj };
}

type Fail = (message: string) => never;

/** `layers.3.objects.0.ellipse` reads better as `layer "areas" objects.0.ellipse`. */
function describePath(json: unknown, path: readonly PropertyKey[]): string {
  const plain = path.map(String).join('.') || '(root)';
  if (path[0] !== 'layers' || path.length < 2 || typeof json !== 'object' || json === null) return plain;
  const layers = (json as { layers?: unknown }).layers;
  const layer: unknown = Array.isArray(layers) ? layers[Number(path[1])] : undefined;
  const name = typeof layer === 'object' && layer !== null ? (layer as { name?: unknown }).name : undefined;
  if (typeof name !== 'string') return plain;
  const rest = path.slice(2).map(String).join('.');
  return rest === '' ? `layer "${name}"` : `layer "${name}" ${rest}`;
}

function propertyMap(props: readonly TiledProperty[] | undefined): Map<string, TiledProperty['value']> {
  return new Map((props ?? []).map((p) => [p.name, p.value]));
}

function rectOf(o: TiledObject): Rect {
  return { x: o.x, y: o.y, widthPx: o.width, heightPx: o.height };
}

function isPlainRect(o: TiledObject): boolean {
  return !o.point && o.polygon === undefined && o.width > 0 && o.height > 0;
}

function requireUniqueNames(kind: string, objects: readonly { name: string }[], fail: Fail): void {
  const seen = new Set<string>();
  for (const o of objects) {
    if (o.name === '') fail(`every ${kind} needs a name`);
    if (seen.has(o.name)) fail(`two ${kind}s are named "${o.name}"`);
    seen.add(o.name);
  }
}

function readSpawns(layer: ObjectLayer, fail: Fail): Spawn[] {
  if (layer.objects.length === 0) fail('layer "spawns" needs at least one point');
  requireUniqueNames('spawn', layer.objects, fail);
  return layer.objects.map((o) => {
    if (o.point !== true) fail(`spawn "${o.name}" must be a point object`);
    return { name: o.name, x: o.x, y: o.y };
  });
}

function readAreas(layer: ObjectLayer | undefined, fail: Fail): SceneArea[] {
  const objects = layer?.objects ?? [];
  requireUniqueNames('area', objects, fail);
  return objects.map((o): SceneArea => {
    if (o.polygon !== undefined) {
      const points: Point[] = o.polygon.map((p) => ({ x: o.x + p.x, y: o.y + p.y }));
      const bounds = boundsOf(points);
      if (bounds.widthPx <= 0 || bounds.heightPx <= 0) fail(`area "${o.name}" is a flat polygon`);
      return { name: o.name, shape: { kind: 'polygon', points, bounds } };
    }
    if (!isPlainRect(o)) fail(`area "${o.name}" must be a rectangle or a polygon`);
    return { name: o.name, shape: { kind: 'rect', ...rectOf(o) } };
  });
}

function readPortals(layer: ObjectLayer | undefined, fail: Fail): Portal[] {
  const objects = layer?.objects ?? [];
  requireUniqueNames('portal', objects, fail);
  return objects.map((o) => {
    if (!isPlainRect(o)) fail(`portal "${o.name}" must be a rectangle`);
    const props = propertyMap(o.properties);
    const targetScene = props.get('targetScene');
    const targetSpawn = props.get('targetSpawn');
    if (typeof targetScene !== 'string' || !SCENE_ID_RE.test(targetScene)) {
      return fail(`portal "${o.name}" needs a string property targetScene that is a scene id`);
    }
    if (typeof targetSpawn !== 'string' || targetSpawn === '') {
      return fail(`portal "${o.name}" needs a string property targetSpawn`);
    }
    return { name: o.name, rect: rectOf(o), targetScene, targetSpawn };
  });
}

/**
 * Sub-areas must not overlap, or "the same sub-area" would be ambiguous. Checked at every tile
 * centre, which catches any overlap larger than a tile (all a map author can draw by mistake).
 */
function checkAreasDisjoint(map: SceneMap, fail: Fail): void {
  if (map.areas.length < 2) return;
  const half = map.tileSizePx / 2;
  for (let ty = 0; ty < map.heightTiles; ty++) {
    for (let tx = 0; tx < map.widthTiles; tx++) {
      const x = tx * map.tileSizePx + half;
      const y = ty * map.tileSizePx + half;
      const holders = map.areas.filter((a) => pointInShape(x, y, a.shape));
      if (holders.length > 1) {
        fail(`areas "${holders[0]!.name}" and "${holders[1]!.name}" overlap at (${x}, ${y})`);
      }
    }
  }
}

function someFreeTileCentre(map: SceneMap, rect: Rect): boolean {
  const half = map.tileSizePx / 2;
  for (let ty = 0; ty < map.heightTiles; ty++) {
    for (let tx = 0; tx < map.widthTiles; tx++) {
      const x = tx * map.tileSizePx + half;
      const y = ty * map.tileSizePx + half;
      if (pointInRect(x, y, rect) && !isBlocked(map, x, y)) return true;
    }
  }
  return false;
}

/** Every portal must lead to a scene that exists and to a spawn that scene has. */
export function checkPortalLinks(maps: ReadonlyMap<string, SceneMap>): void {
  for (const map of maps.values()) {
    for (const p of map.portals) {
      const target = maps.get(p.targetScene);
      if (!target)
        throw new SceneMapError(map.id, `portal "${p.name}" leads to unknown scene "${p.targetScene}"`);
      if (!target.spawns.some((s) => s.name === p.targetSpawn)) {
        throw new SceneMapError(
          map.id,
          `portal "${p.name}" leads to spawn "${p.targetSpawn}", which scene "${p.targetScene}" lacks`,
        );
      }
    }
  }
}

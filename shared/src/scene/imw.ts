import { isBlocked } from '../geometry';
import { SCENE_ID_RE, type TiledMap, type TiledObject, tiledMap } from '../protocol/packets/scene';
import { positiveNumber, readMeta } from './meta';
import { boundsOf, pointInRect, pointInShape, shapeSizePx2 } from './shapes';
import { type Fail, GID_MASK, propertyMap } from './tmj';
import type {
  AreaShape,
  DrawLayer,
  DrawTileset,
  MapDrawing,
  Point,
  Portal,
  Rect,
  SceneArea,
  SceneMap,
  Spawn,
} from './types';

/**
 * Our own convention for a Tiled map (.tmj). Required layers "ground", "collision" (tile
 * layers) and "spawns" (points); optional "areas" (rooms: rectangles or polygons, disjoint; the
 * boolean property `silent` and the string property `meeting` flag them) and "portals"
 * (rectangles with targetScene/targetSpawn). The map's viewRadiusPx, hearingRadiusPx and
 * maxSpeedPxPerSec properties are required: no side guesses.
 */

export interface ParsedMap {
  readonly map: SceneMap;
  readonly drawing: MapDrawing;
}

type TileLayer = Extract<TiledMap['layers'][number], { type: 'tilelayer' }>;
type ObjectLayer = Extract<TiledMap['layers'][number], { type: 'objectgroup' }>;

/** Our own convention (see the header); `fail` throws. */
export function parseImwMap(json: unknown, id: string, fail: Fail): ParsedMap {
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

  const base = {
    id,
    widthTiles: tmj.width,
    heightTiles: tmj.height,
    tileSizePx,
    widthPx: tmj.width * tileSizePx,
    heightPx: tmj.height * tileSizePx,
    collision,
    viewRadiusPx: positiveNumber(props, 'viewRadiusPx', undefined, fail),
    hearingRadiusPx: positiveNumber(props, 'hearingRadiusPx', undefined, fail),
    maxSpeedPxPerSec: positiveNumber(props, 'maxSpeedPxPerSec', undefined, fail),
    ...readMeta(props, id, fail),
    convention: 'imw' as const,
    links: [],
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
  return { map: { ...map, spawns }, drawing: drawingOf(tmj) };
}

/** Every full-size tile layer, in drawing order, under the players. */
function drawingOf(tmj: TiledMap): MapDrawing {
  const size = tmj.width * tmj.height;
  const layers: DrawLayer[] = [];
  for (const l of tmj.layers) {
    if (l.type !== 'tilelayer' || l.data.length !== size) continue;
    layers.push({ name: l.name, gids: Uint32Array.from(l.data, (g) => g & GID_MASK), above: false });
  }
  const tilesets = tmj.tilesets.map(
    (t): DrawTileset => ({
      firstGid: t.firstgid,
      tileCount: t.tilecount,
      columns: t.columns,
      tileSizePx: t.tilewidth,
      marginPx: 0,
      spacingPx: 0,
      image: t.image,
    }),
  );
  return { layers, tilesets };
}

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
    const props = propertyMap(o.properties);
    let shape: AreaShape;
    if (o.polygon !== undefined) {
      const points: Point[] = o.polygon.map((p) => ({ x: o.x + p.x, y: o.y + p.y }));
      const bounds = boundsOf(points);
      if (bounds.widthPx <= 0 || bounds.heightPx <= 0) fail(`area "${o.name}" is a flat polygon`);
      shape = { kind: 'polygon', points, bounds };
    } else {
      if (!isPlainRect(o)) fail(`area "${o.name}" must be a rectangle or a polygon`);
      shape = { kind: 'rect', ...rectOf(o) };
    }
    const meeting = props.get('meeting');
    return {
      name: o.name,
      shape,
      silent: props.get('silent') === true,
      meeting: typeof meeting === 'string' && meeting !== '' ? meeting : null,
      sizePx2: shapeSizePx2(shape),
    };
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

export function someFreeTileCentre(map: SceneMap, rect: Rect): boolean {
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

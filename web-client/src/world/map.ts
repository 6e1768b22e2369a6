import { type MapDrawing, type ParsedMap, parseMap, type SceneMap, SceneMapError } from '@imw/shared';

/**
 * The client's view of a Tiled map (.tmj): the map exactly as the server reads it (one parser,
 * shared/src/scene/map.ts: walls, rooms, spawns, portals, radii and speed), plus what only
 * drawing needs: the tile layers and the tileset images.
 */

export type { Point } from '@imw/shared';

export interface Tileset {
  readonly firstGid: number;
  readonly tileCount: number;
  readonly columns: number;
  readonly tileSizePx: number;
  readonly marginPx: number;
  readonly spacingPx: number;
  readonly image: HTMLImageElement;
}

export interface ClientMap extends SceneMap {
  readonly url: string;
  /** Tile layers drawn under the players, in drawing order (ground first). */
  readonly layers: readonly Uint32Array[];
  /** Tile layers drawn over the players (WorkAdventure: above the object group floorLayer). */
  readonly layersAbove: readonly Uint32Array[];
  readonly tilesets: readonly Tileset[];
}

export class MapLoadError extends Error {
  override readonly name = 'MapLoadError';
}

const cache = new Map<string, Promise<ClientMap>>();

/** Loads a map and its tileset images once per page (maps do not change while it runs). */
export function loadClientMap(url: string, sceneId: string): Promise<ClientMap> {
  let p = cache.get(url);
  if (!p) {
    p = fetchMap(url, sceneId);
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

async function fetchMap(url: string, sceneId: string): Promise<ClientMap> {
  const res = await fetch(url);
  if (!res.ok) throw new MapLoadError(`could not load the map (${res.status})`);
  const json: unknown = await res.json();
  const { map, drawing } = readMap(json, sceneId);
  const base = new URL(url, window.location.href);
  const tilesets = await Promise.all(
    drawing.tilesets.map(async (t) => ({ ...t, image: await loadImage(new URL(t.image, base).href) })),
  );
  return withLayers(map, drawing, url, tilesets);
}

function loadImage(src: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = src;
  return img.decode().then(
    () => img,
    () => {
      throw new MapLoadError(`could not load the tileset image ${src}`);
    },
  );
}

/** The shared parser's verdict, as the client's error type. */
function readMap(json: unknown, sceneId: string): ParsedMap {
  try {
    return parseMap(json, sceneId);
  } catch (e) {
    if (e instanceof SceneMapError)
      throw new MapLoadError(`the map file is not a map this app can read: ${e.message}`);
    throw e;
  }
}

/** The map as the server reads it, plus the tile layers to draw. */
export function buildMap(
  json: unknown,
  sceneId: string,
  url: string,
  tilesets: readonly Tileset[],
): ClientMap {
  const { map, drawing } = readMap(json, sceneId);
  return withLayers(map, drawing, url, tilesets);
}

/** The shared parser's tile layers, split into those under and those over the players. */
function withLayers(
  map: SceneMap,
  drawing: MapDrawing,
  url: string,
  tilesets: readonly Tileset[],
): ClientMap {
  const layers = drawing.layers.filter((l) => !l.above).map((l) => l.gids);
  const layersAbove = drawing.layers.filter((l) => l.above).map((l) => l.gids);
  return { ...map, url, layers, layersAbove, tilesets };
}

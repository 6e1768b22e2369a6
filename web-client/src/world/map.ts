import { parseMap, type SceneMap, SceneMapError, type TiledMap } from '@imw/shared';

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
  readonly image: HTMLImageElement;
}

export interface ClientMap extends SceneMap {
  readonly url: string;
  /** Tile layers in drawing order (ground first), gids with Tiled's flip bits cleared. */
  readonly layers: readonly Uint32Array[];
  readonly tilesets: readonly Tileset[];
}

const GID_MASK = 0x1fff_ffff;

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
  const { map, tmj } = readMap(json, sceneId);
  const base = new URL(url, window.location.href);
  const tilesets = await Promise.all(
    tmj.tilesets.map(async (t) => ({
      firstGid: t.firstgid,
      tileCount: t.tilecount,
      columns: t.columns,
      tileSizePx: t.tilewidth,
      image: await loadImage(new URL(t.image, base).href),
    })),
  );
  return withLayers(map, tmj, url, tilesets);
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
function readMap(json: unknown, sceneId: string): { map: SceneMap; tmj: TiledMap } {
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
  const { map, tmj } = readMap(json, sceneId);
  return withLayers(map, tmj, url, tilesets);
}

/** Every full-size tile layer, in drawing order. */
function withLayers(map: SceneMap, tmj: TiledMap, url: string, tilesets: readonly Tileset[]): ClientMap {
  const size = tmj.width * tmj.height;
  const layers: Uint32Array[] = [];
  for (const layer of tmj.layers) {
    if (layer.type !== 'tilelayer' || layer.data.length !== size) continue;
    layers.push(Uint32Array.from(layer.data, (g) => g & GID_MASK));
  }
  return { ...map, url, layers, tilesets };
}

import { type TiledMap, type TiledProperty, tiledMap } from '@imw/shared';

/**
 * The client's view of a Tiled map (.tmj): the tile layers to draw, the collision grid the
 * server enforces, the named sub-areas (rooms) and the radii and speed the server uses. Parsed
 * with the same schema the server validates maps with.
 */

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type AreaShape =
  | { readonly kind: 'rect'; readonly bounds: Bounds }
  | { readonly kind: 'polygon'; readonly bounds: Bounds; readonly points: readonly Point[] };

export interface Area {
  readonly name: string;
  readonly shape: AreaShape;
}

export interface Tileset {
  readonly firstGid: number;
  readonly tileCount: number;
  readonly columns: number;
  readonly tileSizePx: number;
  readonly image: HTMLImageElement;
}

export interface ClientMap {
  readonly url: string;
  readonly widthTiles: number;
  readonly heightTiles: number;
  readonly tileSizePx: number;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Tile layers in drawing order (ground first), gids with Tiled's flip bits cleared. */
  readonly layers: readonly Uint32Array[];
  /** Row-major, 1 = wall. */
  readonly collision: Uint8Array;
  readonly areas: readonly Area[];
  readonly tilesets: readonly Tileset[];
  readonly viewRadiusPx: number;
  readonly hearingRadiusPx: number;
  readonly maxSpeedPxPerSec: number;
}

const GID_MASK = 0x1fff_ffff;

export class MapLoadError extends Error {
  override readonly name = 'MapLoadError';
}

const cache = new Map<string, Promise<ClientMap>>();

/** Loads a map and its tileset images once per page (maps do not change while it runs). */
export function loadClientMap(url: string): Promise<ClientMap> {
  let p = cache.get(url);
  if (!p) {
    p = fetchMap(url);
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}

async function fetchMap(url: string): Promise<ClientMap> {
  const res = await fetch(url);
  if (!res.ok) throw new MapLoadError(`could not load the map (${res.status})`);
  const parsed = tiledMap.safeParse(await res.json());
  if (!parsed.success) throw new MapLoadError('the map file is not a map this app can read');
  const tmj = parsed.data;
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
  return buildMap(tmj, url, tilesets);
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

export function buildMap(tmj: TiledMap, url: string, tilesets: readonly Tileset[]): ClientMap {
  const size = tmj.width * tmj.height;
  const layers: Uint32Array[] = [];
  let collision = new Uint8Array(size);
  for (const layer of tmj.layers) {
    if (layer.type !== 'tilelayer' || layer.data.length !== size) continue;
    const data = Uint32Array.from(layer.data, (g) => g & GID_MASK);
    layers.push(data);
    if (layer.name === 'collision') collision = Uint8Array.from(data, (g) => (g === 0 ? 0 : 1));
  }
  const props = new Map((tmj.properties ?? []).map((p: TiledProperty) => [p.name, p.value]));
  const num = (name: string, fallback: number) => {
    const v = props.get(name);
    return typeof v === 'number' && v > 0 ? v : fallback;
  };
  return {
    url,
    widthTiles: tmj.width,
    heightTiles: tmj.height,
    tileSizePx: tmj.tilewidth,
    widthPx: tmj.width * tmj.tilewidth,
    heightPx: tmj.height * tmj.tileheight,
    layers,
    collision,
    areas: readAreas(tmj),
    tilesets,
    viewRadiusPx: num('viewRadiusPx', 320),
    hearingRadiusPx: num('hearingRadiusPx', 192),
    maxSpeedPxPerSec: num('maxSpeedPxPerSec', 200),
  };
}

function readAreas(tmj: TiledMap): Area[] {
  const layer = tmj.layers.find((l) => l.type === 'objectgroup' && l.name === 'areas');
  if (layer?.type !== 'objectgroup') return [];
  const out: Area[] = [];
  for (const o of layer.objects) {
    if (o.polygon) {
      const points = o.polygon.map((p) => ({ x: o.x + p.x, y: o.y + p.y }));
      out.push({ name: o.name, shape: { kind: 'polygon', points, bounds: boundsOf(points) } });
    } else if (o.width > 0 && o.height > 0 && !o.point) {
      out.push({
        name: o.name,
        shape: { kind: 'rect', bounds: { x: o.x, y: o.y, width: o.width, height: o.height } },
      });
    }
  }
  return out;
}

function boundsOf(points: readonly Point[]): Bounds {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

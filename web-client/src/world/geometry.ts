import { findArea, isBlocked, isTileBlocked, type SceneArea, segmentBlocked } from '@imw/shared';
import type { ClientMap, Point } from './map';

/**
 * The server's movement rules, mirrored so that the client only sends moves the server accepts
 * (server/src/scene/geometry.ts is the authority): the avatar is a point, a wall tile or the
 * map's edge blocks it, and a move's straight line may not cross a wall or squeeze between two
 * walls that touch at a corner. Rectangles are half-open, as on the server.
 */

/** The room holding the point, or null outside every room (the server's rule, shared). */
export function areaAt(map: ClientMap, x: number, y: number): SceneArea | null {
  return findArea(map.areas, x, y) ?? null;
}

export { isBlocked, isTileBlocked, segmentBlocked } from '@imw/shared';

/** The avatar's drawn body is this wide around its point: keeping it off walls looks right. */
export const BODY_RADIUS_PX = 10;

/** Stricter than the server (which checks the point only): the whole body must be on free tiles. */
export function bodyFits(map: ClientMap, x: number, y: number, r = BODY_RADIUS_PX): boolean {
  return (
    !isBlocked(map, x, y) &&
    !isBlocked(map, x - r, y - r) &&
    !isBlocked(map, x + r, y - r) &&
    !isBlocked(map, x - r, y + r) &&
    !isBlocked(map, x + r, y + r)
  );
}

/** A segment wide enough for the body: the centre line and two lines offset by the radius. */
function wideSegmentBlocked(map: ClientMap, a: Point, b: Point, r = BODY_RADIUS_PX): boolean {
  if (segmentBlocked(map, a.x, a.y, b.x, b.y)) return true;
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  if (len === 0) return false;
  const nx = (-(b.y - a.y) / len) * r;
  const ny = ((b.x - a.x) / len) * r;
  return (
    segmentBlocked(map, a.x + nx, a.y + ny, b.x + nx, b.y + ny) ||
    segmentBlocked(map, a.x - nx, a.y - ny, b.x - nx, b.y - ny)
  );
}

/**
 * A walkable path from `from` to `to` (A* over free tiles, 8 directions without cutting
 * corners), shortened by string pulling to the fewest straight legs the body fits along.
 * Null when `to` cannot be reached.
 */
export function findPath(map: ClientMap, from: Point, to: Point, maxNodes = 20_000): Point[] | null {
  const size = map.tileSizePx;
  const w = map.widthTiles;
  const sx = Math.floor(from.x / size);
  const sy = Math.floor(from.y / size);
  const gx = Math.floor(to.x / size);
  const gy = Math.floor(to.y / size);
  if (isTileBlocked(map, gx, gy) || isTileBlocked(map, sx, sy)) return null;
  const start = sy * w + sx;
  const goal = gy * w + gx;
  const g = new Map<number, number>([[start, 0]]);
  const came = new Map<number, number>();
  const open = new MinHeap();
  const h = (i: number) => {
    const dx = Math.abs((i % w) - gx);
    const dy = Math.abs(Math.floor(i / w) - gy);
    return Math.max(dx, dy) + (Math.SQRT2 - 1) * Math.min(dx, dy);
  };
  open.push(start, h(start));
  let expanded = 0;
  while (open.size > 0 && expanded++ < maxNodes) {
    const cur = open.pop();
    if (cur === goal) break;
    const cx = cur % w;
    const cy = Math.floor(cur / w);
    const gc = g.get(cur) ?? 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dx === 0 && dy === 0) continue;
        const nx = cx + dx;
        const ny = cy + dy;
        if (isTileBlocked(map, nx, ny)) continue;
        if (dx !== 0 && dy !== 0 && (isTileBlocked(map, cx + dx, cy) || isTileBlocked(map, cx, cy + dy)))
          continue;
        const n = ny * w + nx;
        const cost = gc + (dx !== 0 && dy !== 0 ? Math.SQRT2 : 1);
        if (cost < (g.get(n) ?? Number.POSITIVE_INFINITY)) {
          g.set(n, cost);
          came.set(n, cur);
          open.push(n, cost + h(n));
        }
      }
    }
  }
  if (!g.has(goal)) return null;
  const tiles: Point[] = [];
  for (let i: number | undefined = goal; i !== undefined && i !== start; i = came.get(i)) {
    tiles.push({ x: (i % w) * size + size / 2, y: Math.floor(i / w) * size + size / 2 });
  }
  tiles.reverse();
  if (tiles.length > 0) tiles[tiles.length - 1] = to;
  else tiles.push(to);
  return pull(map, from, tiles);
}

/** String pulling: from each corner, head for the farthest waypoint in a clear straight line. */
function pull(map: ClientMap, from: Point, points: Point[]): Point[] {
  const out: Point[] = [];
  let cur = from;
  let i = 0;
  while (i < points.length) {
    let j = points.length - 1;
    while (j > i && wideSegmentBlocked(map, cur, points[j]!)) j--;
    cur = points[j]!;
    out.push(cur);
    i = j + 1;
  }
  return out;
}

class MinHeap {
  private readonly items: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: number, key: number): void {
    this.items.push(item);
    this.keys.push(key);
    let i = this.items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): number {
    const top = this.items[0]!;
    const lastItem = this.items.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.items.length > 0) {
      this.items[0] = lastItem;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.keys[l]! < this.keys[m]!) m = l;
        if (r < this.keys.length && this.keys[r]! < this.keys[m]!) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private swap(a: number, b: number): void {
    [this.items[a], this.items[b]] = [this.items[b]!, this.items[a]!];
    [this.keys[a], this.keys[b]] = [this.keys[b]!, this.keys[a]!];
  }
}

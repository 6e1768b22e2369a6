import type { AreaShape, Polygon, Portal, Rect, SceneArea, SceneMap } from './types';

/**
 * Boundary conventions, chosen so that shapes sharing an edge never both claim a point:
 * - rectangles are half-open: the left and top edges are inside, the right and bottom edges are not;
 * - polygons use the crossing-number (even-odd) test with half-open comparisons, which gives the
 *   same answer: a polygon drawn as a rectangle contains exactly what the rectangle contains, and
 *   of two polygons sharing an edge, exactly one contains a point on that edge;
 * - radii are closed: within radius means distance <= radius (exactly on it counts as in).
 */

export function pointInRect(x: number, y: number, rect: Rect): boolean {
  return x >= rect.x && x < rect.x + rect.widthPx && y >= rect.y && y < rect.y + rect.heightPx;
}

export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  if (!pointInRect(x, y, polygon.bounds)) return false;
  const pts = polygon.points;
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const p = pts[i]!;
    const q = pts[j]!;
    // Half-open in y: an edge counts when y is in [min, max), so a vertex is never counted twice
    // and horizontal edges never count. Strict `<` in x puts points on right edges outside.
    if (p.y > y === q.y > y) continue;
    // Evaluate every edge from its upper end, so that two polygons sharing an edge compute the
    // same crossing to the last bit whichever way round they list it.
    const a = p.y < q.y ? p : q;
    const b = a === p ? q : p;
    if (x < a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y)) inside = !inside;
  }
  return inside;
}

export function pointInShape(x: number, y: number, shape: AreaShape): boolean {
  return shape.kind === 'rect' ? pointInRect(x, y, shape) : pointInPolygon(x, y, shape);
}

/** The sub-area holding the point, or null when it is outside every sub-area. */
export function areaAt(map: SceneMap, x: number, y: number): string | null {
  return findArea(map.areas, x, y)?.name ?? null;
}

export function findArea(areas: readonly SceneArea[], x: number, y: number): SceneArea | undefined {
  for (const area of areas) if (pointInShape(x, y, area.shape)) return area;
  return undefined;
}

/** The portal holding the point, if any. */
export function portalAt(map: SceneMap, x: number, y: number): Portal | undefined {
  for (const portal of map.portals) if (pointInRect(x, y, portal.rect)) return portal;
  return undefined;
}

/** Closed disc: exactly on the radius counts as within. */
export function withinRadius(ax: number, ay: number, bx: number, by: number, radiusPx: number): boolean {
  const dx = ax - bx;
  const dy = ay - by;
  return dx * dx + dy * dy <= radiusPx * radiusPx;
}

export function isInsideMap(map: SceneMap, x: number, y: number): boolean {
  // Written so that NaN fails every comparison and lands outside.
  return x >= 0 && x < map.widthPx && y >= 0 && y < map.heightPx;
}

/** True for a wall tile, and for any tile outside the map (the map's edge is a wall). */
export function isTileBlocked(map: SceneMap, tx: number, ty: number): boolean {
  if (tx < 0 || ty < 0 || tx >= map.widthTiles || ty >= map.heightTiles) return true;
  return map.collision[ty * map.widthTiles + tx] !== 0;
}

/** The avatar is a point: it is blocked when its tile is a wall or it is outside the map. */
export function isBlocked(map: SceneMap, x: number, y: number): boolean {
  if (!isInsideMap(map, x, y)) return true;
  return isTileBlocked(map, Math.floor(x / map.tileSizePx), Math.floor(y / map.tileSizePx));
}

/**
 * Whether the straight move from (x0, y0) to (x1, y1) touches a wall. It walks every tile the
 * segment crosses (Amanatides & Woo grid traversal), so no move tunnels through a wall however
 * long it is. Where the segment passes exactly through a tile corner, both side tiles must be
 * free: an avatar may not squeeze diagonally between two walls that touch at a corner.
 */
export function segmentBlocked(map: SceneMap, x0: number, y0: number, x1: number, y1: number): boolean {
  if (isBlocked(map, x0, y0) || isBlocked(map, x1, y1)) return true;
  const size = map.tileSizePx;
  let tx = Math.floor(x0 / size);
  let ty = Math.floor(y0 / size);
  const endTx = Math.floor(x1 / size);
  const endTy = Math.floor(y1 / size);
  const dx = x1 - x0;
  const dy = y1 - y0;
  const stepX = Math.sign(dx);
  const stepY = Math.sign(dy);
  // t (0..1 along the segment) at which the next vertical / horizontal tile boundary is crossed.
  const tDeltaX = stepX === 0 ? Number.POSITIVE_INFINITY : size / Math.abs(dx);
  const tDeltaY = stepY === 0 ? Number.POSITIVE_INFINITY : size / Math.abs(dy);
  let tMaxX = stepX === 0 ? Number.POSITIVE_INFINITY : ((stepX > 0 ? tx + 1 : tx) * size - x0) / dx;
  let tMaxY = stepY === 0 ? Number.POSITIVE_INFINITY : ((stepY > 0 ? ty + 1 : ty) * size - y0) / dy;

  // Count steps instead of trusting float comparisons to land exactly on the end tile.
  while (tx !== endTx || ty !== endTy) {
    const mustStepX = ty === endTy;
    const mustStepY = tx === endTx;
    if (mustStepX || (!mustStepY && tMaxX < tMaxY)) {
      tx += stepX;
      tMaxX += tDeltaX;
    } else if (mustStepY || tMaxY < tMaxX) {
      ty += stepY;
      tMaxY += tDeltaY;
    } else {
      if (isTileBlocked(map, tx + stepX, ty) || isTileBlocked(map, tx, ty + stepY)) return true;
      tx += stepX;
      ty += stepY;
      tMaxX += tDeltaX;
      tMaxY += tDeltaY;
    }
    if (isTileBlocked(map, tx, ty)) return true;
  }
  return false;
}

/** Bounding box of a list of points (for polygons). */
export function boundsOf(points: readonly { x: number; y: number }[]): Rect {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  // Half-open rects would drop the max edge; polygons never contain it either (strict `<`),
  // so the bounds stay exact for every point a polygon can contain.
  return { x: minX, y: minY, widthPx: maxX - minX, heightPx: maxY - minY };
}

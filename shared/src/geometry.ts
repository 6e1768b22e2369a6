/**
 * Tile-grid geometry shared by the server (the authority on moves) and the web client (which only
 * sends moves the server will accept). Conventions, chosen so that shapes sharing an edge never
 * both claim a point: the avatar is a point; a wall tile or the map's edge blocks it; polygons use
 * the even-odd rule with half-open comparisons.
 */
export interface TileGrid {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly widthTiles: number;
  readonly heightTiles: number;
  readonly tileSizePx: number;
  /** One entry per tile, row by row; non-zero is a wall. */
  readonly collision: ArrayLike<number>;
}

export function isInsideGrid(g: TileGrid, x: number, y: number): boolean {
  // Written so that NaN fails every comparison and lands outside.
  return x >= 0 && x < g.widthPx && y >= 0 && y < g.heightPx;
}

/** True for a wall tile, and for any tile outside the map (the map's edge is a wall). */
export function isTileBlocked(g: TileGrid, tx: number, ty: number): boolean {
  if (tx < 0 || ty < 0 || tx >= g.widthTiles || ty >= g.heightTiles) return true;
  return g.collision[ty * g.widthTiles + tx] !== 0;
}

/** The avatar is a point: it is blocked when its tile is a wall or it is outside the map. */
export function isBlocked(g: TileGrid, x: number, y: number): boolean {
  if (!isInsideGrid(g, x, y)) return true;
  return isTileBlocked(g, Math.floor(x / g.tileSizePx), Math.floor(y / g.tileSizePx));
}

/**
 * Whether the straight move from (x0, y0) to (x1, y1) touches a wall. It walks every tile the
 * segment crosses (Amanatides & Woo grid traversal), so no move tunnels through a wall however
 * long it is. Where the segment passes exactly through a tile corner, both side tiles must be
 * free: an avatar may not squeeze diagonally between two walls that touch at a corner.
 */
export function segmentBlocked(g: TileGrid, x0: number, y0: number, x1: number, y1: number): boolean {
  if (isBlocked(g, x0, y0) || isBlocked(g, x1, y1)) return true;
  const size = g.tileSizePx;
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
      if (isTileBlocked(g, tx + stepX, ty) || isTileBlocked(g, tx, ty + stepY)) return true;
      tx += stepX;
      ty += stepY;
      tMaxX += tDeltaX;
      tMaxY += tDeltaY;
    }
    if (isTileBlocked(g, tx, ty)) return true;
  }
  return false;
}

/**
 * Even-odd test, half-open in y: an edge counts when y is in [min, max), so a vertex is never
 * counted twice and horizontal edges never count; strict `<` in x puts points on right edges
 * outside. Every edge is evaluated from its upper end, so two polygons sharing an edge compute
 * the same crossing to the last bit whichever way round they list it. (No bounds check: callers
 * test their bounding box first.)
 */
export function polygonContains(x: number, y: number, pts: readonly { x: number; y: number }[]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const p = pts[i]!;
    const q = pts[j]!;
    if (p.y > y === q.y > y) continue;
    const a = p.y < q.y ? p : q;
    const b = a === p ? q : p;
    if (x < a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y)) inside = !inside;
  }
  return inside;
}

/** Closed disc: exactly on the radius counts as within. */
export function withinRadius(ax: number, ay: number, bx: number, by: number, radiusPx: number): boolean {
  const dx = ax - bx;
  const dy = ay - by;
  return dx * dx + dy * dy <= radiusPx * radiusPx;
}

import type { Rect } from './types';

/**
 * Tile layers used as zones (WorkAdventure's legacy convention: a layer's tiles are the zone):
 * the tiles set in a layer as rectangles, and their centres.
 */

/**
 * The non-empty tiles of a layer as rectangles: runs along each row, merged downwards when the
 * row below has a run of the same span. Exact (covers those tiles and nothing else) and small
 * for the rectangular zones map makers draw.
 */
export function tileRects(gids: ArrayLike<number>, widthTiles: number, tileSizePx: number): Rect[] {
  const heightTiles = Math.floor(gids.length / widthTiles);
  const open = new Map<string, { x0: number; x1: number; y0: number; y1: number }>();
  const done: { x0: number; x1: number; y0: number; y1: number }[] = [];
  for (let ty = 0; ty < heightTiles; ty++) {
    const seen = new Set<string>();
    let tx = 0;
    while (tx < widthTiles) {
      if (gids[ty * widthTiles + tx] === 0) {
        tx++;
        continue;
      }
      const x0 = tx;
      while (tx < widthTiles && gids[ty * widthTiles + tx] !== 0) tx++;
      const key = `${x0}:${tx}`;
      const run = open.get(key);
      if (run) run.y1 = ty + 1;
      else open.set(key, { x0, x1: tx, y0: ty, y1: ty + 1 });
      seen.add(key);
    }
    for (const [key, run] of open) {
      if (!seen.has(key)) {
        done.push(run);
        open.delete(key);
      }
    }
  }
  done.push(...open.values());
  return done.map((r) => ({
    x: r.x0 * tileSizePx,
    y: r.y0 * tileSizePx,
    widthPx: (r.x1 - r.x0) * tileSizePx,
    heightPx: (r.y1 - r.y0) * tileSizePx,
  }));
}

/** Centres of the non-empty tiles of a layer, row by row. */
export function tileCentres(
  gids: ArrayLike<number>,
  widthTiles: number,
  tileSizePx: number,
): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < gids.length; i++) {
    if (gids[i] === 0) continue;
    out.push({
      x: (i % widthTiles) * tileSizePx + tileSizePx / 2,
      y: Math.floor(i / widthTiles) * tileSizePx + tileSizePx / 2,
    });
  }
  return out;
}

import { polygonContains } from '../geometry';
import type { AreaShape, Polygon, Rect, SceneArea } from './types';

/**
 * Boundary conventions, chosen so that shapes sharing an edge never both claim a point:
 * - rectangles are half-open: the left and top edges are inside, the right and bottom edges are not;
 * - polygons use the crossing-number (even-odd) test with half-open comparisons, which gives the
 *   same answer: a polygon drawn as a rectangle contains exactly what the rectangle contains, and
 *   of two polygons sharing an edge, exactly one contains a point on that edge.
 * The server decides rooms with these; the web client names the room the same way.
 */

export function pointInRect(x: number, y: number, rect: Rect): boolean {
  return x >= rect.x && x < rect.x + rect.widthPx && y >= rect.y && y < rect.y + rect.heightPx;
}

export function pointInPolygon(x: number, y: number, polygon: Polygon): boolean {
  return pointInRect(x, y, polygon.bounds) && polygonContains(x, y, polygon.points);
}

export function pointInShape(x: number, y: number, shape: AreaShape): boolean {
  return shape.kind === 'rect' ? pointInRect(x, y, shape) : pointInPolygon(x, y, shape);
}

/** The bounding box of a shape (a rectangle is its own). */
export function shapeBounds(shape: AreaShape): Rect {
  return shape.kind === 'rect' ? shape : shape.bounds;
}

/**
 * R-MAP-7: the sub-area holding a point is the smallest area that holds it (on equal size, the
 * one listed last, as Tiled draws it on top). Our convention's areas never overlap, so there it
 * is simply the one area holding the point.
 */
export function findArea(areas: readonly SceneArea[], x: number, y: number): SceneArea | undefined {
  let best: SceneArea | undefined;
  for (const area of areas) {
    if (pointInShape(x, y, area.shape) && (best === undefined || area.sizePx2 <= best.sizePx2)) best = area;
  }
  return best;
}

/** What the areas say about a point: its sub-area, and whether it is silent or a meeting room. */
export interface Zone {
  readonly area: SceneArea | undefined;
  /** R-MAP-7: silent when any area holding the point is silent (a silent room silences its corners). */
  readonly silent: boolean;
  /** The meeting of the smallest area holding the point that has one. */
  readonly meeting: string | null;
}

export function zoneAt(areas: readonly SceneArea[], x: number, y: number): Zone {
  let area: SceneArea | undefined;
  let meetingArea: SceneArea | undefined;
  let silent = false;
  for (const a of areas) {
    if (!pointInShape(x, y, a.shape)) continue;
    if (a.silent) silent = true;
    if (area === undefined || a.sizePx2 <= area.sizePx2) area = a;
    if (a.meeting !== null && (meetingArea === undefined || a.sizePx2 <= meetingArea.sizePx2))
      meetingArea = a;
  }
  return { area, silent, meeting: meetingArea?.meeting ?? null };
}

/** Square pixels inside a shape (shoelace formula for polygons). */
export function shapeSizePx2(shape: AreaShape): number {
  if (shape.kind === 'rect') return shape.widthPx * shape.heightPx;
  let twice = 0;
  const pts = shape.points;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
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

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

export function findArea(areas: readonly SceneArea[], x: number, y: number): SceneArea | undefined {
  for (const area of areas) if (pointInShape(x, y, area.shape)) return area;
  return undefined;
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

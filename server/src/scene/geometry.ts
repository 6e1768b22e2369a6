import type { Portal, SceneMap } from './types';

/**
 * Shapes (rectangles half-open, polygons even-odd) and the tile-grid rules are shared with the
 * web client (shared/src/scene/shapes.ts, shared/src/geometry.ts); radii are closed: within
 * radius means distance <= radius (exactly on it counts as in).
 */
export {
  boundsOf,
  findArea,
  isBlocked,
  isInsideGrid as isInsideMap,
  isTileBlocked,
  pointInPolygon,
  pointInRect,
  pointInShape,
  segmentBlocked,
  withinRadius,
  zoneAt,
} from '@imw/shared';

import { findArea, pointInRect } from '@imw/shared';

/** The sub-area holding the point (the smallest, R-MAP-7), or null when it is outside every sub-area. */
export function areaAt(map: SceneMap, x: number, y: number): string | null {
  return findArea(map.areas, x, y)?.name ?? null;
}

/** The portal holding the point, if any. */
export function portalAt(map: SceneMap, x: number, y: number): Portal | undefined {
  for (const portal of map.portals) if (pointInRect(x, y, portal.rect)) return portal;
  return undefined;
}

/** Map shapes and the parsed map: one definition for the server (authority) and the web client. */

/** A point in map pixels: (0, 0) is the top-left corner of the map. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** An axis-aligned rectangle, half-open: it holds x in [x, x + widthPx) and y in [y, y + heightPx). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

export interface Polygon {
  /** Absolute vertices, in order (either winding). */
  readonly points: readonly Point[];
  /** Bounding box, for a cheap reject before the crossing test. */
  readonly bounds: Rect;
}

export type AreaShape = ({ readonly kind: 'rect' } & Rect) | ({ readonly kind: 'polygon' } & Polygon);

/** A named sub-area (room). Sub-areas never overlap (checked when the map loads). */
export interface SceneArea {
  readonly name: string;
  readonly shape: AreaShape;
}

export interface Spawn extends Point {
  readonly name: string;
}

export interface Portal {
  readonly name: string;
  readonly rect: Rect;
  readonly targetScene: string;
  readonly targetSpawn: string;
}

/** A parsed, validated map: everything the scene logic needs and nothing it does not. */
export interface SceneMap {
  readonly id: string;
  readonly widthTiles: number;
  readonly heightTiles: number;
  readonly tileSizePx: number;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Row-major, one byte per tile: 1 = wall, 0 = free. */
  readonly collision: Uint8Array;
  /** At least one; the one named "default" (else the first) is used when no spawn is asked for. */
  readonly spawns: readonly Spawn[];
  readonly areas: readonly SceneArea[];
  readonly portals: readonly Portal[];
  readonly viewRadiusPx: number;
  readonly hearingRadiusPx: number;
  readonly maxSpeedPxPerSec: number;
}

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

/**
 * A named sub-area (room). In our convention sub-areas never overlap (checked when the map
 * loads); in WorkAdventure's they may, and the rule of `findArea` decides (R-MAP-7): the
 * smallest area holding the point is the user's sub-area, and `silent` holds when any area
 * holding the point is silent.
 */
export interface SceneArea {
  readonly name: string;
  readonly shape: AreaShape;
  /** No scene chat is heard here (and no proximity bubbles once they exist). */
  readonly silent: boolean;
  /** A meeting room (WorkAdventure's jitsiRoom/bbbMeeting/meeting): its room name, else null. */
  readonly meeting: string | null;
  /** Size in square pixels, for the smallest-area rule. */
  readonly sizePx2: number;
}

/** A website the client may offer (never opens by itself) while the user stands in `shape`. */
export interface MapLink {
  readonly name: string;
  readonly shape: AreaShape;
  /** http: or https: only (checked when the map loads). */
  readonly url: string;
}

/** Which map-making convention a file follows (docs/OPERATIONS.md, "Maps"). */
export type MapConvention = 'imw' | 'workadventure';

export interface Spawn extends Point {
  readonly name: string;
}

export interface Portal {
  readonly name: string;
  readonly rect: Rect;
  readonly targetScene: string;
  /** A spawn of the target scene, or null for its default one. */
  readonly targetSpawn: string | null;
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
  /** How far apart two users may stand to be in one conversation (proximity bubbles, #19). */
  readonly conversationDistancePx: number;
  /** The radius of a proximity bubble around its members (#19). */
  readonly bubbleRadiusPx: number;
  readonly convention: MapConvention;
  /** The map's own name (mapName), else its id. */
  readonly name: string;
  /** mapDescription and mapCopyright, or '' when the map has none. */
  readonly description: string;
  readonly copyright: string;
  readonly links: readonly MapLink[];
}

/** One tile layer to draw, gids with Tiled's flip bits cleared, in drawing order. */
export interface DrawLayer {
  readonly name: string;
  readonly gids: Uint32Array;
  /** Drawn over the players (WorkAdventure: tile layers above the object group floorLayer). */
  readonly above: boolean;
}

/** An embedded tileset as the client needs it to draw. */
export interface DrawTileset {
  readonly firstGid: number;
  readonly tileCount: number;
  readonly columns: number;
  readonly tileSizePx: number;
  readonly marginPx: number;
  readonly spacingPx: number;
  /** Relative to the map file. */
  readonly image: string;
}

export interface MapDrawing {
  readonly layers: readonly DrawLayer[];
  readonly tilesets: readonly DrawTileset[];
}

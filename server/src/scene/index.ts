/**
 * Scene module (seed module 5, "actions"): maps, positions, sub-areas, area of interest, actions
 * and movement validation. The worlds are pure logic (the caller passes a clock and sends the
 * events they return); SceneService is the stateful part that runs them on this node: requests,
 * sessions, delivery and the tick.
 */

export {
  Bubble,
  type BubbleChanges,
  type BubbleState,
  type BubbleSubject,
  Bubbles,
  type JoinError,
  type RefuseReason,
} from './bubbles';
export { type EnterInfo, type EnterInfoLookup, ViewBatcher, type ViewEvent } from './events';
export {
  areaAt,
  isBlocked,
  pointInPolygon,
  pointInRect,
  portalAt,
  segmentBlocked,
  withinRadius,
} from './geometry';
export { type GridItem, SpatialGrid } from './grid';
export { sceneCosts, sceneHandlers } from './handlers';
export { DEFAULT_SPEED_OPTIONS, type MoveRejectReason, type SpeedOptions } from './movement';
export { mapListRoutes } from './routes';
export { type AfterResponse, type MoveAnswer, type SceneDeps, SceneService } from './service';
export {
  checkPortalLinks,
  loadMap,
  loadMapsFromDir,
  type MapLoadLog,
  NoUsableMapError,
  SceneMapError,
} from './tiled';
export type { AreaShape, Point, Polygon, Portal, Rect, SceneArea, SceneMap, Spawn } from './types';
export { canPerceive, type Perceivable } from './visibility';
export {
  type ActResult,
  DEFAULT_BUBBLE_CAP,
  type JoinResult,
  type MoveResult,
  SceneWorld,
  type SelfState,
  type WorldOptions,
} from './world';

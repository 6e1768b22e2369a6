/**
 * Scene module (seed module 5, "actions"): maps, positions, sub-areas, area of interest, actions
 * and movement validation. Pure logic: the network layer feeds it requests and a clock, and
 * sends the events it returns.
 */
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
export { DEFAULT_SPEED_OPTIONS, type MoveRejectReason, type SpeedOptions } from './movement';
export { checkPortalLinks, loadMap, loadMapsFromDir, SceneMapError } from './tiled';
export type { AreaShape, Point, Polygon, Portal, Rect, SceneArea, SceneMap, Spawn } from './types';
export { canPerceive, type Perceivable } from './visibility';
export { type ActResult, type JoinResult, type MoveResult, SceneWorld, type SelfState } from './world';

/** The map's shapes and the parsed map are shared with the web client (shared/src/scene). */
export type { AreaShape, Point, Polygon, Portal, Rect, SceneArea, SceneMap, Spawn } from '@imw/shared';

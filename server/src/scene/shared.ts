/** The scene module's one door to the shared protocol. */
export {
  FACINGS,
  type Facing,
  SCENE_ACTIONS,
  SCENE_ID_RE,
  type SceneAction,
  type SceneView,
  type TiledMap,
  type TiledObject,
  type TiledProperty,
  tiledMap,
} from '@imw/shared';

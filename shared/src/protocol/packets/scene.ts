import { z } from 'zod';
import { displayName, empty, event, request, userId } from '../schema';
import { signal } from './messaging';
import { FACINGS, packedMoves } from './scene-moves';

export { FACINGS, type Facing } from './scene-moves';

/**
 * Scene (seed module 5, "actions"): joining a 2D map, moving, actions and proximity chat.
 * Requests use ids 150–199, events 1500–1599.
 */

/** The fixed list of avatar actions. Anything else is rejected at the edge. */
export const SCENE_ACTIONS = ['wave', 'dance', 'sit', 'jump', 'clap', 'think'] as const;
export type SceneAction = (typeof SCENE_ACTIONS)[number];
export const sceneAction = z.enum(SCENE_ACTIONS);

export const sceneFacing = z.enum(FACINGS);

/** Scene ids are map file names without `.tmj`. */
export const SCENE_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const sceneId = z.string().regex(SCENE_ID_RE, 'sceneId: 1-64 chars of a-z 0-9 _ - (lower case)');

/**
 * A coordinate in pixels. zod 4's `z.number()` already rejects NaN and ±Infinity (tested in
 * R-SCN-19); the upper bound keeps absurd values out before the map's own bounds are checked.
 */
export const MAX_COORD_PX = 1 << 20;
export const sceneCoordPx = z.number().min(0).max(MAX_COORD_PX);

/** Sub-area (room) name, or null when outside every sub-area. */
export const sceneAreaName = z.string().max(64).nullable();

export const MAX_SCENE_CHAT_CHARS = 500;

/** The user's own state after a join or a change of scene. */
export const sceneSelf = z.object({
  x: sceneCoordPx,
  y: sceneCoordPx,
  facing: sceneFacing,
  area: sceneAreaName,
});
export type SceneSelf = z.infer<typeof sceneSelf>;

/** Someone came into view: everything needed to draw them. */
export const sceneEnter = z.object({
  id: userId,
  displayName: z.string(),
  x: sceneCoordPx,
  y: sceneCoordPx,
  facing: sceneFacing,
  area: sceneAreaName,
  action: sceneAction.nullable(),
});
export type SceneEnter = z.infer<typeof sceneEnter>;

/**
 * Where the user now is: the answer to `scene.join`, and the body of `scene.changed`. `mapUrl` is
 * the map's Tiled JSON on the server's HTTP side (`/maps/<sceneId>.tmj`); `view` is everyone the
 * user sees at that moment, so the client draws the scene without waiting for a `scene.view`
 * (which from then on carries only changes).
 */
export const sceneJoined = z.object({
  sceneId,
  self: sceneSelf,
  mapUrl: z.string().max(256),
  view: z.array(sceneEnter),
});
export type SceneJoined = z.infer<typeof sceneJoined>;

export const sceneMove = z.object({ id: userId, x: sceneCoordPx, y: sceneCoordPx, facing: sceneFacing });
export type SceneMove = z.infer<typeof sceneMove>;

export const sceneActionEvent = z.object({ id: userId, action: sceneAction });
export type SceneActionEvent = z.infer<typeof sceneActionEvent>;

/**
 * One batch per tick per recipient. An id appears at most once across enters, moves and leaves;
 * the client applies leaves, then enters, then moves, then actions. `moves` travels packed
 * (scene-moves.ts); parsing turns it into `SceneMove` objects.
 */
export const sceneView = z.object({
  enters: z.array(sceneEnter),
  moves: packedMoves,
  leaves: z.array(userId),
  actions: z.array(sceneActionEvent),
});
export type SceneView = z.infer<typeof sceneView>;
/** What the server encodes: moves already packed. */
export type SceneViewWire = z.input<typeof sceneView>;

/** Bubble ids: `b<n>` for a proximity bubble, `m:<meeting>` for a meeting area's call. */
export const bubbleId = z.string().min(1).max(64);

/**
 * A bubble as its members and their viewers see it (#19, R-BUB-*): sent whenever its members or
 * its lock change, and to a viewer when a member comes into view. `members` is empty once the
 * bubble has dissolved; a user not in `members` is not in it (any more).
 */
export const sceneBubble = z.object({
  bubbleId,
  members: z.array(userId).max(64),
  locked: z.boolean(),
  /** The meeting's name for a meeting area's call, else null. */
  meeting: z.string().max(64).nullable(),
  /** The most members a bubble may have (BUBBLE_CAP). */
  cap: z.number().int().min(1),
});
export type SceneBubble = z.infer<typeof sceneBubble>;

/**
 * Bubble call signalling: the 1:1 kinds, and `ready`, which a member that has just learned of
 * the bubble sends to the member that makes the offer (the lower user id), which then (re)sends
 * its offer: an offer that arrived before the recipient knew of the bubble is not lost.
 */
export const bubbleSignal = { ...signal, kind: z.enum(['offer', 'answer', 'candidate', 'hangup', 'ready']) };

export const BUBBLE_REFUSALS = ['full', 'locked'] as const;
export type BubbleRefusal = (typeof BUBBLE_REFUSALS)[number];

export const sceneRequests = {
  /**
   * Enter a scene (at a named spawn point, or the map's default one), leaving the current one.
   * Joining the scene the user is already in without naming a spawn changes nothing and answers
   * with the current state (a client resynchronising after a reconnect).
   */
  'scene.join': request(
    150,
    z.object({ sceneId, spawn: z.string().min(1).max(64).optional() }).strict(),
    sceneJoined,
  ),
  /** Leave the current scene (the session stays in scene mode and may join again). */
  'scene.leave': request(151, empty, empty),
  /**
   * The client's new position; `seq` increases per move so a correction can name the move it
   * answers. The result is the authoritative position: when `accepted` is false the client snaps
   * back to (x, y), which a `scene.correction` event also says (for clients that do not wait for
   * each result). A move into a portal is accepted, and `scene.changed` follows the result.
   */
  'scene.move': request(
    152,
    z.object({ x: sceneCoordPx, y: sceneCoordPx, seq: z.number().int().min(0).max(0xffff_ffff) }).strict(),
    z.object({ accepted: z.boolean(), x: sceneCoordPx, y: sceneCoordPx }),
  ),
  'scene.action': request(153, z.object({ action: sceneAction }).strict(), empty),
  /** Proximity chat: heard within the hearing radius, same sub-area only. Length in UTF-16 units. */
  'scene.chat': request(
    154,
    z.object({ text: z.string().trim().min(1).max(MAX_SCENE_CHAT_CHARS) }).strict(),
    z.object({ messageId: z.string().max(64) }),
  ),
  /**
   * R-BUB-3: join a proximity bubble by id (as settling next to it would). A full bubble answers
   * LIMIT_EXCEEDED, a locked one FORBIDDEN, an unknown one NOT_FOUND, one out of reach or in
   * another sub-area CONFLICT.
   */
  'scene.bubbleJoin': request(155, z.object({ bubbleId }).strict(), empty),
  /** R-BUB-3: a member locks (or unlocks) its proximity bubble; meetings cannot be locked. */
  'scene.bubbleLock': request(156, z.object({ locked: z.boolean() }).strict(), empty),
  /** R-BUB-4: "do not disturb": never pulled into a bubble or a meeting (leaves the current one). */
  'scene.bubblePrefs': request(157, z.object({ dnd: z.boolean() }).strict(), empty),
  /**
   * R-BUB-5: one signalling message to a member of the sender's bubble (the mesh call). Anything
   * to a non-member is dropped with the same empty answer.
   */
  'scene.signal': request(158, z.object({ to: userId, ...bubbleSignal }).strict(), empty),
} as const;

export const sceneEvents = {
  'scene.view': event(1500, sceneView),
  'scene.chat': event(
    1501,
    z.object({
      messageId: z.string().max(64),
      from: userId,
      displayName,
      text: z.string().max(MAX_SCENE_CHAT_CHARS),
      x: sceneCoordPx,
      y: sceneCoordPx,
      atMs: z.number().int().min(0),
    }),
  ),
  /** The server put the user somewhere other than where the client thinks it is. */
  'scene.correction': event(
    1502,
    z.object({ x: sceneCoordPx, y: sceneCoordPx, seq: z.number().int().min(0).max(0xffff_ffff) }),
  ),
  /**
   * The server put the user in a scene without a `scene.join`: right after a scene-mode login that
   * named a scene, or when the user stepped into a portal. Same shape as the join result.
   */
  'scene.changed': event(1503, sceneJoined),
  /**
   * R-DEV-6: another device of the same user entered the world and took the avatar over. This
   * session is out of the world (as after `scene.leave`) and keeps everything else; a
   * `scene.join` takes the avatar back.
   */
  'scene.takenOver': event(1504, z.object({ reason: z.string().max(200) })),
  /** R-BUB-1: a bubble changed (members, lock); to its members, those it lost, and their viewers. */
  'scene.bubble': event(1505, sceneBubble),
  /** R-BUB-3: the user stopped next to a bubble (or walked into a meeting) it may not join. */
  'scene.bubbleRefused': event(1506, z.object({ bubbleId, reason: z.enum(BUBBLE_REFUSALS) })),
  /** R-BUB-5: a signalling message from a member of the user's bubble. */
  'scene.signal': event(1507, z.object({ from: userId, ...bubbleSignal })),
} as const;

// ---------------------------------------------------------------------------------------------
// Maps: the subset of the Tiled editor's JSON format (.tmj) that we use. It lives here because
// the client parses the same file (served at `mapUrl`) to draw the scene.

const tiledProperty = z.object({
  name: z.string(),
  type: z.string().optional(),
  value: z.union([z.string(), z.number(), z.boolean()]),
});
export type TiledProperty = z.infer<typeof tiledProperty>;
const tiledProperties = z.array(tiledProperty).optional();

/** Gids are u32: the top bits are Tiled's flip flags. */
const gid = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);

const noOffset = {
  offsetx: z.literal(0).optional(),
  offsety: z.literal(0).optional(),
};

export const tiledTileLayer = z.object({
  type: z.literal('tilelayer'),
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  encoding: z.literal('csv').optional(),
  compression: z.literal('').optional(),
  data: z.array(gid),
  ...noOffset,
});

const tiledPoint = z.object({ x: z.number(), y: z.number() });

/** Rectangles, points and polygons; ellipses, text, tiles and rotation are not supported. */
export const tiledObject = z.object({
  id: z.number().int(),
  name: z.string().default(''),
  type: z.string().optional(),
  x: z.number(),
  y: z.number(),
  width: z.number().min(0).default(0),
  height: z.number().min(0).default(0),
  rotation: z.literal(0).optional(),
  point: z.boolean().optional(),
  polygon: z.array(tiledPoint).min(3).optional(),
  ellipse: z.literal(false).optional(),
  gid: z.undefined().optional(),
  text: z.undefined().optional(),
  properties: tiledProperties,
});
export type TiledObject = z.infer<typeof tiledObject>;

export const tiledObjectGroup = z.object({
  type: z.literal('objectgroup'),
  name: z.string(),
  objects: z.array(tiledObject),
  ...noOffset,
});

/** Layers we do not read (images, groups) are allowed and ignored. */
const tiledOtherLayer = z.object({ type: z.enum(['imagelayer', 'group']), name: z.string() });

export const tiledTileset = z.object({
  firstgid: z.number().int().positive(),
  name: z.string(),
  image: z.string().min(1),
  tilewidth: z.number().int().positive(),
  tileheight: z.number().int().positive(),
  tilecount: z.number().int().positive(),
  columns: z.number().int().positive(),
  imagewidth: z.number().int().positive(),
  imageheight: z.number().int().positive(),
});

export const tiledMap = z.object({
  type: z.literal('map'),
  orientation: z.literal('orthogonal'),
  infinite: z.literal(false).optional(),
  width: z.number().int().positive().max(1024),
  height: z.number().int().positive().max(1024),
  tilewidth: z.number().int().positive().max(256),
  tileheight: z.number().int().positive().max(256),
  layers: z.array(z.discriminatedUnion('type', [tiledTileLayer, tiledObjectGroup, tiledOtherLayer])),
  tilesets: z.array(tiledTileset).min(1),
  properties: tiledProperties,
});
export type TiledMap = z.infer<typeof tiledMap>;

/**
 * `GET /maps` (R-MAP-9): the maps a user can enter, for the login form. Public: names and
 * descriptions only, as the map files themselves are (they are served at /maps/<id>.tmj).
 */
export const mapList = z.object({
  maps: z.array(z.object({ id: sceneId, name: z.string().max(64), description: z.string().max(500) })),
});
export type MapList = z.infer<typeof mapList>;

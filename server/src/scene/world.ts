import {
  type Bubble,
  type BubbleChanges,
  type BubbleState,
  type BubbleSubject,
  Bubbles,
  type JoinError,
  newChanges,
} from './bubbles';
import type { EnterInfo, ViewEvent } from './events';
import { portalAt, zoneAt } from './geometry';
import { type GridItem, SpatialGrid } from './grid';
import {
  checkMove,
  DEFAULT_SPEED_OPTIONS,
  facingOf,
  type MoveRejectReason,
  newSpeedState,
  type SpeedOptions,
  type SpeedState,
} from './movement';
import { type Facing, SCENE_ACTIONS, type SceneAction } from './shared';
import type { Point, Portal, SceneMap } from './types';
import type { Perceivable } from './visibility';

/** The user's own state, as `scene.join` reports it. */
export interface SelfState {
  readonly x: number;
  readonly y: number;
  readonly facing: Facing;
  readonly area: string | null;
}

export type JoinResult =
  | { readonly ok: true; readonly self: SelfState; readonly events: ViewEvent[] }
  | { readonly ok: false; readonly reason: 'alreadyJoined' | 'unknownSpawn' };

export type MoveResult =
  | {
      readonly ok: true;
      readonly self: SelfState;
      /** Set when this move stepped into a portal: the caller moves the user to that scene. */
      readonly portal: { readonly targetScene: string; readonly targetSpawn: string | null } | null;
      readonly events: ViewEvent[];
    }
  | {
      readonly ok: false;
      readonly reason: MoveRejectReason;
      /** Where the user really is (null when not in this scene): the client snaps back there. */
      readonly correction: Point | null;
    };

export type ActResult =
  | { readonly ok: true; readonly events: ViewEvent[] }
  | { readonly ok: false; readonly reason: 'notJoined' | 'unknownAction' };

/** What the world needs beyond the map: speed limits and the bubble cap (BUBBLE_CAP). */
export interface WorldOptions extends Partial<SpeedOptions> {
  readonly bubbleCap?: number;
}

export const DEFAULT_BUBBLE_CAP = 4;

/**
 * A user counts as stopped (R-BUB-2) once this long has passed since its last move. Walking
 * clients send a move every 100 ms; 400 ms without one is a pause, not a step.
 */
export const SETTLE_MS = 400;

class Player implements GridItem, Perceivable, BubbleSubject {
  gridCell = -1;
  gridSlot = -1;
  facing: Facing = 'down';
  action: SceneAction | null = null;
  /** Everyone this user sees. Kept symmetric: q ∈ p.view ⇔ p ∈ q.view. */
  readonly view = new Set<Player>();
  readonly speed: SpeedState = newSpeedState();
  /** The portal the user stands in, so that only stepping into one reports it. */
  portal: Portal | undefined = undefined;
  /** Scratch mark for the area-of-interest diff; equals the world's stamp when seen this pass. */
  seenStamp = 0;
  /** R-MAP-8: standing in a silent zone (no scene chat heard or said). */
  silent = false;
  /** The meeting of the meeting area the user stands in (#19), else null. */
  meeting: string | null = null;
  /** "Do not disturb": never pulled into a bubble or a meeting (R-BUB-4). */
  dnd = false;
  bubble: Bubble | null = null;
  refusedMeeting: string | null = null;
  /** Moving: not yet SETTLE_MS since the last move (a walker is not pulled into a bubble). */
  movedSinceSettle = false;
  lastMoveMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly userId: number,
    readonly displayName: string,
    readonly sceneId: string,
    public x: number,
    public y: number,
    public area: string | null,
  ) {}

  enterInfo(): EnterInfo {
    const { userId: id, displayName, x, y, facing, area, action } = this;
    return { id, displayName, x, y, facing, area, action };
  }

  self(): SelfState {
    return { x: this.x, y: this.y, facing: this.facing, area: this.area };
  }
}

const isSceneAction = (a: string): a is SceneAction => (SCENE_ACTIONS as readonly string[]).includes(a);

/**
 * One scene's users, positions and views: pure logic, no I/O and no timers (the caller passes
 * nowMs). Each user's view is the set of users it can perceive within the map's view radius
 * (see canPerceive); every join, move and leave returns the view events that keep each client's
 * copy of its view exact. Updates cost O(users near the mover), never O(users in the scene).
 */
export class SceneWorld {
  private readonly players = new Map<number, Player>();
  private readonly grid: SpatialGrid<Player>;
  private readonly speedOptions: SpeedOptions;
  /** Reused query buffer: a move allocates nothing per candidate. */
  private readonly nearby: Player[] = [];
  private stamp = 0;
  private readonly bubbles: Bubbles;
  /** Bubble changes since the caller last took them (takeBubbleChanges). */
  private bubbleChanges: BubbleChanges = newChanges();
  /** Users who moved or arrived and have not yet been settled into a bubble. */
  private readonly restless = new Set<Player>();

  constructor(
    readonly map: SceneMap,
    options: WorldOptions = {},
  ) {
    this.grid = new SpatialGrid(map.widthPx, map.heightPx, map.viewRadiusPx);
    const { bubbleCap, ...speed } = options;
    this.speedOptions = { ...DEFAULT_SPEED_OPTIONS, ...speed };
    this.bubbles = new Bubbles(
      {
        conversationDistancePx: map.conversationDistancePx,
        bubbleRadiusPx: map.bubbleRadiusPx,
        cap: bubbleCap ?? DEFAULT_BUBBLE_CAP,
      },
      (x, y, r) => this.grid.queryRadius(x, y, r, []),
    );
  }

  get bubbleCap(): number {
    return this.bubbles.cap;
  }

  /** Every bubble change (and refusal) since the last call; the caller tells the clients. */
  takeBubbleChanges(): BubbleChanges {
    const out = this.bubbleChanges;
    if (out.changed.size > 0 || out.refused.length > 0) this.bubbleChanges = newChanges();
    return out;
  }

  /**
   * Settle pass, once per tick: users who arrived, or whose last move is SETTLE_MS old, have
   * stopped; they join a bubble if they can (R-BUB-2).
   */
  settleIdle(nowMs: number): void {
    const still: Player[] = [];
    for (const p of this.restless) {
      if (nowMs - p.lastMoveMs < SETTLE_MS) continue;
      p.movedSinceSettle = false;
      this.restless.delete(p);
      still.push(p);
    }
    for (const p of still) this.bubbles.settle(p, this.bubbleChanges);
  }

  /** R-BUB-4: "do not disturb" takes the user out of its bubble and keeps it out of any. */
  setDnd(userId: number, dnd: boolean): boolean {
    const p = this.players.get(userId);
    if (p === undefined) return false;
    p.dnd = dnd;
    this.bubbles.afterChange(p, this.bubbleChanges);
    if (!dnd) this.restless.add(p);
    return true;
  }

  lockBubble(userId: number, locked: boolean): 'notJoined' | 'notInBubble' | 'meeting' | null {
    const p = this.players.get(userId);
    if (p === undefined) return 'notJoined';
    return this.bubbles.lock(p, locked, this.bubbleChanges);
  }

  joinBubble(userId: number, bubbleId: string): JoinError | 'notJoined' | null {
    const p = this.players.get(userId);
    if (p === undefined) return 'notJoined';
    return this.bubbles.join(p, bubbleId, this.bubbleChanges);
  }

  /** The user's bubble as clients see it, or null. */
  bubbleOf(userId: number): BubbleState | null {
    const b = this.players.get(userId)?.bubble;
    return b ? Bubbles.state(b) : null;
  }

  /** R-BUB-5: whether two users are in one bubble (signalling goes between them only then). */
  sameBubble(a: number, b: number): boolean {
    const pa = this.players.get(a);
    return pa?.bubble != null && pa.bubble === this.players.get(b)?.bubble;
  }

  /** Every bubble, for tests and the bench. */
  allBubbles(): Array<BubbleState & { centre: { x: number; y: number }; area: string | null }> {
    const out = [];
    for (const b of this.bubbles.all()) out.push({ ...Bubbles.state(b), centre: b.centre(), area: b.area });
    return out;
  }

  /**
   * Who hears of a bubble change: its members now, those it lost, and everyone who sees any of
   * them (so bubbles can be drawn).
   */
  bubbleRecipients(b: Bubble, lost: ReadonlySet<BubbleSubject>): Set<number> {
    const out = new Set<number>();
    const addAll = (p: BubbleSubject) => {
      const player = this.players.get(p.userId);
      if (player === undefined) return;
      out.add(player.userId);
      for (const q of player.view) out.add(q.userId);
    };
    for (const m of b.members) addAll(m);
    for (const m of lost) addAll(m);
    return out;
  }

  get size(): number {
    return this.players.size;
  }

  has(userId: number): boolean {
    return this.players.has(userId);
  }

  /** What others see of the user (for chat events and the like), or undefined if not here. */
  get(userId: number): EnterInfo | undefined {
    return this.players.get(userId)?.enterInfo();
  }

  /** Put a user at a spawn point (named, else "default", else the map's first). */
  join(userId: number, displayName: string, spawnName?: string): JoinResult {
    if (this.players.has(userId)) return { ok: false, reason: 'alreadyJoined' };
    const spawns = this.map.spawns;
    const spawn =
      spawnName === undefined
        ? (spawns.find((s) => s.name === 'default') ?? spawns[0])
        : spawns.find((s) => s.name === spawnName);
    if (spawn === undefined) return { ok: false, reason: 'unknownSpawn' };
    const p = new Player(userId, displayName, this.map.id, spawn.x, spawn.y, null);
    this.placeInZone(p);
    p.portal = portalAt(this.map, p.x, p.y);
    this.players.set(userId, p);
    this.grid.insert(p);
    const events: ViewEvent[] = [];
    this.updateView(p, events);
    this.bubbles.afterChange(p, this.bubbleChanges);
    this.restless.add(p);
    return { ok: true, self: p.self(), events };
  }

  move(userId: number, x: number, y: number, nowMs: number): MoveResult {
    const p = this.players.get(userId);
    if (p === undefined) return { ok: false, reason: 'notJoined', correction: null };
    const reason = checkMove(this.map, p.speed, this.speedOptions, p.x, p.y, x, y, nowMs);
    if (reason !== null) return { ok: false, reason, correction: { x: p.x, y: p.y } };

    const events: ViewEvent[] = [];
    if (x !== p.x || y !== p.y) {
      p.facing = facingOf(x - p.x, y - p.y, p.facing);
      p.x = x;
      p.y = y;
      p.action = null;
      this.placeInZone(p);
      this.grid.update(p);
      this.updateView(p, events);
      this.bubbles.afterChange(p, this.bubbleChanges);
      p.movedSinceSettle = true;
      p.lastMoveMs = nowMs;
      this.restless.add(p);
    }
    const portal = portalAt(this.map, x, y);
    const stepped = portal !== undefined && portal !== p.portal;
    p.portal = portal;
    return {
      ok: true,
      self: p.self(),
      portal: stepped ? { targetScene: portal.targetScene, targetSpawn: portal.targetSpawn } : null,
      events,
    };
  }

  /** Record an action and tell everyone who sees the user (not the user itself). */
  act(userId: number, action: string): ActResult {
    const p = this.players.get(userId);
    if (p === undefined) return { ok: false, reason: 'notJoined' };
    if (!isSceneAction(action)) return { ok: false, reason: 'unknownAction' };
    p.action = action;
    const events: ViewEvent[] = [];
    for (const q of p.view) events.push({ kind: 'action', to: q.userId, id: userId, action });
    return { ok: true, events };
  }

  /** Remove the user; everyone who saw it gets a leave. Leaving twice is harmless. */
  leave(userId: number): ViewEvent[] {
    const p = this.players.get(userId);
    if (p === undefined) return [];
    this.bubbles.leave(p, this.bubbleChanges);
    this.restless.delete(p);
    const events: ViewEvent[] = [];
    for (const q of p.view) {
      q.view.delete(p);
      events.push({ kind: 'leave', to: q.userId, id: userId });
    }
    p.view.clear();
    this.grid.remove(p);
    this.players.delete(userId);
    return events;
  }

  /**
   * Who hears the user speak: hearing radius and the sub-area rule, the speaker excluded, and
   * nobody in a silent zone (R-MAP-8; a speaker in one is refused before this).
   */
  chatRecipients(userId: number): number[] {
    const p = this.players.get(userId);
    if (p === undefined || p.silent) return [];
    const out: number[] = [];
    for (const q of this.grid.queryRadius(p.x, p.y, this.map.hearingRadiusPx, this.nearby)) {
      if (q !== p && q.area === p.area && !q.silent) out.push(q.userId);
    }
    return out;
  }

  /** R-MAP-8: whether the user stands in a silent zone. */
  isSilent(userId: number): boolean {
    return this.players.get(userId)?.silent ?? false;
  }

  /** The sub-area and the silent flag of the player's position (R-MAP-7). */
  private placeInZone(p: Player): void {
    const zone = zoneAt(this.map.areas, p.x, p.y);
    p.area = zone.area?.name ?? null;
    p.silent = zone.silent;
    p.meeting = zone.meeting;
  }

  /** Who sees the user's actions: its view (view radius and the sub-area rule), itself excluded. */
  actionRecipients(userId: number): number[] {
    const p = this.players.get(userId);
    if (p === undefined) return [];
    const out: number[] = [];
    for (const q of p.view) out.push(q.userId);
    return out;
  }

  /** The user's whole view as enter records: to resynchronise a client that reconnected. */
  viewOf(userId: number): EnterInfo[] {
    const p = this.players.get(userId);
    if (p === undefined) return [];
    const out: EnterInfo[] = [];
    for (const q of p.view) out.push(q.enterInfo());
    return out;
  }

  /**
   * Bring p's view up to date after p appeared or moved, and everyone's view of p with it.
   * New neighbours are marked with this pass's stamp; anyone in the old view left unmarked has
   * gone out of range.
   */
  private updateView(p: Player, events: ViewEvent[]): void {
    const stamp = ++this.stamp;
    const viewSizeBefore = p.view.size;
    let kept = 0;
    let mine: EnterInfo | undefined;
    for (const q of this.grid.queryRadius(p.x, p.y, this.map.viewRadiusPx, this.nearby)) {
      // The grid has already applied the radius (closed, as in canPerceive) and everyone here is
      // in the same scene, so the sub-area is all that is left of canPerceive. The property test
      // R-SCN-16 holds this to canPerceive itself.
      if (q === p || q.area !== p.area) continue;
      q.seenStamp = stamp;
      if (p.view.has(q)) {
        kept++;
        events.push({ kind: 'move', to: q.userId, id: p.userId, x: p.x, y: p.y, facing: p.facing });
      } else {
        p.view.add(q);
        q.view.add(p);
        mine ??= p.enterInfo();
        events.push({ kind: 'enter', to: p.userId, other: q.enterInfo() });
        events.push({ kind: 'enter', to: q.userId, other: mine });
      }
    }
    // Most moves lose nobody: skip the scan of the view when everyone in it was seen again.
    if (kept === viewSizeBefore) return;
    for (const q of p.view) {
      if (q.seenStamp === stamp) continue;
      p.view.delete(q);
      q.view.delete(p);
      events.push({ kind: 'leave', to: p.userId, id: q.userId });
      events.push({ kind: 'leave', to: q.userId, id: p.userId });
    }
  }
}

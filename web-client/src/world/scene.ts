import {
  type Facing,
  pointInShape,
  type SceneAction,
  type SceneJoined,
  type SceneView,
  zoneAt,
} from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import { type Msg, msg } from '../i18n';
import { Store } from '../state/store';
import { areaAt, bodyFits, findPath, isBlocked, segmentBlocked } from './geometry';
import { type ClientMap, loadClientMap, type Point } from './map';

/**
 * One user's presence in a scene: joins it, moves the avatar from keys or clicks under the same
 * rules the server checks, sends the position at most MOVE_INTERVAL_MS apart, applies the
 * server's view batches (others entering, moving, leaving, acting), and interpolates others so
 * they glide between the positions the server sends. No React and no canvas here: the canvas
 * reads this every frame, and the DOM parts read the HUD snapshot (a Store) that changes rarely.
 */

/** The brief asks for ~10 moves per second at most. */
export const MOVE_INTERVAL_MS = 100;
/** Below the server's limit (maxSpeedPxPerSec plus 10 % tolerance), so clock jitter never trips it. */
const SPEED_SHARE = 0.9;
/** Others farther than this from where they were drawn are placed, not animated (portal, respawn). */
const TELEPORT_PX = 400;
const BUBBLE_MS = 5000;
const BUBBLE_MS_PER_CHAR = 60;
const BUBBLE_MAX_MS = 12_000;
const ACTION_MS = 3000;
const LOG_LINES = 50;

export interface Avatar {
  readonly id: number;
  name: string;
  /** Drawn position. */
  x: number;
  y: number;
  facing: Facing;
  action: SceneAction | null;
  actionAtMs: number;
}

interface Remote extends Avatar {
  area: string | null;
  fromX: number;
  fromY: number;
  toX: number;
  toY: number;
  startMs: number;
  durationMs: number;
  lastUpdateMs: number;
}

export interface Bubble {
  readonly text: string;
  readonly untilMs: number;
}

export interface LogLine {
  readonly id: string;
  readonly from: number;
  readonly name: string;
  readonly text: string;
  readonly atMs: number;
  readonly own: boolean;
}

export interface SceneHud {
  readonly phase: 'joining' | 'ready' | 'error';
  readonly error: Msg | null;
  readonly sceneId: string;
  /** The room the user stands in, or null outside every room. */
  readonly room: string | null;
  readonly nearby: readonly { readonly id: number; readonly name: string }[];
  readonly log: readonly LogLine[];
  readonly note: Msg | null;
  /** What the areas say where the user stands (R-MAP-7), and a website the map offers there. */
  readonly zone: HudZone;
}

export interface HudZone {
  readonly silent: boolean;
  readonly meeting: string | null;
  readonly link: { readonly name: string; readonly url: string } | null;
}

const NO_ZONE: HudZone = { silent: false, meeting: null, link: null };

function zoneOf(map: ClientMap, x: number, y: number): HudZone {
  const z = zoneAt(map.areas, x, y);
  const link = map.links.find((l) => pointInShape(x, y, l.shape));
  if (!z.silent && z.meeting === null && !link) return NO_ZONE;
  return { silent: z.silent, meeting: z.meeting, link: link ? { name: link.name, url: link.url } : null };
}

const sameZone = (a: HudZone, b: HudZone) =>
  a.silent === b.silent &&
  a.meeting === b.meeting &&
  a.link?.url === b.link?.url &&
  a.link?.name === b.link?.name;

const DIRS: Record<string, Point> = {
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  KeyW: { x: 0, y: -1 },
  KeyS: { x: 0, y: 1 },
  KeyA: { x: -1, y: 0 },
  KeyD: { x: 1, y: 0 },
};

export const isMoveKey = (code: string): boolean => code in DIRS;

function facingOf(dx: number, dy: number, previous: Facing): Facing {
  if (dx === 0 && dy === 0) return previous;
  if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? 'right' : 'left';
  return dy > 0 ? 'down' : 'up';
}

export class SceneController extends Store<SceneHud> {
  map: ClientMap | null = null;
  readonly self: Avatar;
  readonly others = new Map<number, Remote>();
  readonly bubbles = new Map<number, Bubble>();
  /** Proximity bubbles (conversations) the server told of, member ids each: drawn as rings (#19). */
  conversations: readonly (readonly number[])[] = [];
  /** Where a click asked to go (drawn as a marker), and the legs left to walk there. */
  target: Point | null = null;
  private path: Point[] = [];
  private readonly keys = new Set<string>();
  private seq = 0;
  /** Results and corrections for moves sent before the last snap are stale. */
  private staleBeforeSeq = 0;
  private lastSent: Point = { x: 0, y: 0 };
  private lastSentAtMs = Number.NEGATIVE_INFINITY;
  private unsubscribe: (() => void)[] = [];
  private generation = 0;
  private logIds = 0;
  /** Frames drawn in the last second, for the FPS readout and tests. */
  fps = 0;

  constructor(
    private readonly client: ImClient,
    private sceneId: string,
    me: { userId: number; displayName: string },
  ) {
    super({
      phase: 'joining',
      error: null,
      sceneId,
      room: null,
      nearby: [],
      log: [],
      note: null,
      zone: NO_ZONE,
    });
    this.self = {
      id: me.userId,
      name: me.displayName,
      x: 0,
      y: 0,
      facing: 'down',
      action: null,
      actionAtMs: 0,
    };
  }

  get ready(): boolean {
    return this.map !== null && this.current.phase === 'ready';
  }

  // ---- lifecycle ----

  start(): void {
    if (this.unsubscribe.length > 0) return;
    const on = this.client.on.bind(this.client);
    this.unsubscribe = [
      on('scene.view', (v) => this.applyView(v)),
      on('scene.chat', (c) => {
        if (c.from === this.self.id) return;
        this.addChat(c.from, c.displayName, c.text, c.atMs, false);
      }),
      on('scene.correction', (c) => {
        if (c.seq >= this.staleBeforeSeq) this.snap(c.x, c.y);
      }),
      on('scene.changed', (j) => {
        this.clearView();
        void this.enter(j, ++this.generation);
      }),
      // A session the server had to re-create is no longer in the scene: join again.
      on('resumed', ({ seamless }) => {
        if (!seamless) void this.join();
      }),
    ];
    void this.join();
  }

  /**
   * Stops listening. The avatar stays in the scene (as when a user steps away from the keyboard):
   * the profile page is a detour, and coming back joins the same scene again, which answers with
   * the current position and view. Logging out ends the session, and the server removes the avatar.
   */
  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.generation++;
    this.keys.clear();
  }

  async join(): Promise<void> {
    const gen = ++this.generation;
    this.clearView();
    this.update((h) => ({ ...h, phase: 'joining', error: null }));
    let joined: SceneJoined;
    try {
      joined = await this.requestJoin();
    } catch (e) {
      if (gen !== this.generation) return;
      const text = msg(
        e instanceof ImError && e.code === 'NOT_FOUND'
          ? 'world:error.noSuchMap'
          : e instanceof ImError && e.code === 'UNKNOWN_TYPE'
            ? 'world:error.noWorld'
            : 'world:error.enter',
      );
      this.update((h) => ({ ...h, phase: 'error', error: text }));
      return;
    }
    await this.enter(joined, gen);
  }

  /**
   * A scene-mode login already put the user in the scene (its scene.changed may have arrived
   * before this screen listened); joining the current scene again answers with the current
   * state and view, so this is also how the screen catches up.
   */
  private requestJoin(): Promise<SceneJoined> {
    return this.client.request('scene.join', { sceneId: this.sceneId });
  }

  private async enter(j: SceneJoined, gen: number): Promise<void> {
    this.sceneId = j.sceneId;
    Object.assign(this.self, { x: j.self.x, y: j.self.y, facing: j.self.facing, action: null });
    this.lastSent = { x: j.self.x, y: j.self.y };
    this.staleBeforeSeq = this.seq;
    this.path = [];
    this.target = null;
    this.applyView({ enters: j.view, moves: [], leaves: [], actions: [] });
    // Not 'ready' until this scene's map is here: the old map's walls must not steer the avatar.
    this.update((h) => ({ ...h, phase: 'joining', sceneId: j.sceneId, room: j.self.area }));
    try {
      const map = await loadClientMap(j.mapUrl, j.sceneId);
      if (gen !== this.generation) return;
      this.map = map;
      this.update((h) => ({
        ...h,
        phase: 'ready',
        error: null,
        room: areaAt(map, this.self.x, this.self.y)?.name ?? null,
        zone: zoneOf(map, this.self.x, this.self.y),
      }));
    } catch (e) {
      if (gen !== this.generation) return;
      console.error(e);
      this.update((h) => ({ ...h, phase: 'error', error: msg('world:error.mapLoad') }));
    }
  }

  private clearView(): void {
    this.others.clear();
    this.bubbles.clear();
    this.update((h) => (h.nearby.length === 0 ? h : { ...h, nearby: [] }));
  }

  // ---- input ----

  keyDown(code: string): void {
    if (!isMoveKey(code)) return;
    this.keys.add(code);
    this.path = [];
    this.target = null;
  }

  keyUp(code: string): void {
    this.keys.delete(code);
  }

  releaseKeys(): void {
    this.keys.clear();
  }

  /** Walk to a point on the map (a click or a tap). */
  walkTo(p: Point): void {
    const map = this.map;
    if (!map) return;
    const path = findPath(map, this.self, p);
    if (!path) {
      this.note(msg('world:note.blocked'));
      return;
    }
    this.path = path;
    this.target = p;
  }

  async act(action: SceneAction): Promise<void> {
    this.self.action = action;
    this.self.actionAtMs = performance.now();
    try {
      await this.client.request('scene.action', { action });
    } catch {
      this.note(msg('world:note.actionFailed'));
    }
  }

  async say(text: string): Promise<boolean> {
    try {
      await this.client.request('scene.chat', { text });
    } catch (e) {
      this.note(
        msg(
          e instanceof ImError && e.code === 'RATE_LIMITED'
            ? 'world:note.slowDown'
            : e instanceof ImError && e.code === 'FORBIDDEN' && this.current.zone.silent
              ? 'world:note.silent'
              : 'world:note.notSent',
        ),
      );
      return false;
    }
    this.addChat(this.self.id, this.self.name, text, Date.now(), true);
    // Nobody in hearing range (and the same room) as far as this view knows: say so, so a user
    // talking to an empty square is not left waiting for an answer.
    if (!this.anyoneHears()) this.note(msg('world:note.nobodyHeard'));
    return true;
  }

  private anyoneHears(): boolean {
    const map = this.map;
    if (!map) return true;
    const room = this.current.room;
    for (const o of this.others.values()) {
      if (o.area === room && Math.hypot(o.x - this.self.x, o.y - this.self.y) <= map.hearingRadiusPx)
        return true;
    }
    return false;
  }

  // ---- per frame ----

  /** Advances movement, sends the position when due, moves others along; `now` is performance.now(). */
  tick(now: number, dtMs: number): void {
    const map = this.map;
    if (map && this.ready) {
      this.stepSelf(map, now, Math.min(dtMs, 100) / 1000);
      this.maybeSend(now);
      const room = areaAt(map, this.self.x, this.self.y)?.name ?? null;
      const zone = zoneOf(map, this.self.x, this.self.y);
      if (room !== this.current.room || !sameZone(zone, this.current.zone)) {
        this.update((h) => ({ ...h, room, zone: sameZone(zone, h.zone) ? h.zone : zone }));
      }
    }
    for (const r of this.others.values()) {
      const t = Math.min(1, (now - r.startMs) / r.durationMs);
      r.x = r.fromX + (r.toX - r.fromX) * t;
      r.y = r.fromY + (r.toY - r.fromY) * t;
    }
    const wall = Date.now();
    for (const [id, b] of this.bubbles) if (b.untilMs < wall) this.bubbles.delete(id);
  }

  /** The action to draw for an avatar now (sitting lasts until the avatar moves). */
  shownAction(a: Avatar, now: number): SceneAction | null {
    if (!a.action) return null;
    return a.action === 'sit' || now - a.actionAtMs < ACTION_MS ? a.action : null;
  }

  private stepSelf(map: ClientMap, now: number, dt: number): void {
    const speed = map.maxSpeedPxPerSec * SPEED_SHARE;
    let budget = speed * dt;
    const s = this.self;
    if (this.keys.size > 0) {
      let dx = 0;
      let dy = 0;
      for (const k of this.keys) {
        dx += DIRS[k]?.x ?? 0;
        dy += DIRS[k]?.y ?? 0;
      }
      const len = Math.hypot(dx, dy);
      if (len === 0) return;
      const step = { x: (dx / len) * budget, y: (dy / len) * budget };
      // Slide along walls: try the full step, then each axis alone.
      const tries = [step, { x: step.x, y: 0 }, { x: 0, y: step.y }];
      const strict = bodyFits(map, s.x, s.y);
      for (const t of tries) {
        if (t.x === 0 && t.y === 0) continue;
        const nx = s.x + t.x;
        const ny = s.y + t.y;
        const fits = strict ? bodyFits(map, nx, ny) : !isBlocked(map, nx, ny);
        if (fits && this.tryMoveTo(map, now, nx, ny)) return;
      }
      if (strict && (dx === 0 || dy === 0)) this.cornerAssist(map, now, dx / len, dy / len, budget);
      return;
    }
    while (budget > 0 && this.path.length > 0) {
      const next = this.path[0]!;
      const d = Math.hypot(next.x - s.x, next.y - s.y);
      const go = Math.min(d, budget);
      const nx = d === 0 ? next.x : s.x + ((next.x - s.x) / d) * go;
      const ny = d === 0 ? next.y : s.y + ((next.y - s.y) / d) * go;
      if (!this.tryMoveTo(map, now, nx, ny)) return;
      budget -= go;
      if (go >= d) this.path.shift();
    }
    if (this.path.length === 0) this.target = null;
  }

  /**
   * Walking straight at a doorway a little off centre: the body's edge catches the door frame
   * although the way ahead is open a few pixels to one side. Slide sideways towards the opening,
   * as most games do, instead of stopping dead.
   */
  private cornerAssist(map: ClientMap, now: number, ux: number, uy: number, budget: number): void {
    const s = this.self;
    const px = uy === 0 ? 0 : 1;
    const py = ux === 0 ? 0 : 1;
    // Up to a tile aside: a doorway a little to the left or right still catches the avatar.
    const reach = map.tileSizePx;
    let best: { side: number; d: number } | null = null;
    for (const side of [-1, 1]) {
      for (let d = 1; d <= reach && (!best || d < best.d); d++) {
        const x = s.x + px * side * d + ux * budget;
        const y = s.y + py * side * d + uy * budget;
        if (bodyFits(map, x, y)) {
          best = { side, d };
          break;
        }
      }
    }
    if (!best) return;
    const shift = Math.min(budget, best.d);
    const nx = s.x + px * best.side * shift;
    const ny = s.y + py * best.side * shift;
    if (bodyFits(map, nx, ny)) this.tryMoveTo(map, now, nx, ny);
  }

  /**
   * Moves the avatar if the server will accept the straight line from the last position it was
   * sent. When that line would clip a wall (a turn round a corner), the corner is sent first; if
   * the rate limit does not allow that yet, the avatar waits a frame or two.
   */
  private tryMoveTo(map: ClientMap, now: number, x: number, y: number): boolean {
    const s = this.self;
    if (segmentBlocked(map, s.x, s.y, x, y)) return false;
    if (segmentBlocked(map, this.lastSent.x, this.lastSent.y, x, y)) {
      if (!this.maybeSend(now)) return false;
    }
    s.facing = facingOf(x - s.x, y - s.y, s.facing);
    s.x = x;
    s.y = y;
    if (s.action) s.action = null;
    return true;
  }

  /** Sends the current position if it changed and the interval allows; true when the server has it (or will). */
  private maybeSend(now: number): boolean {
    const s = this.self;
    // Nothing new to send: the last sent position is the current one.
    if (s.x === this.lastSent.x && s.y === this.lastSent.y) return true;
    if (now - this.lastSentAtMs < MOVE_INTERVAL_MS) return false;
    const seq = this.seq++;
    const x = s.x;
    const y = s.y;
    this.lastSent = { x, y };
    this.lastSentAtMs = now;
    this.client.request('scene.move', { x, y, seq }).then(
      (r) => {
        if (!r.accepted && seq >= this.staleBeforeSeq) this.snap(r.x, r.y);
      },
      (e: unknown) => {
        if (!(e instanceof ImError)) console.error(e);
      },
    );
    return true;
  }

  /** The server put us somewhere else: go there and drop what was planned. */
  private snap(x: number, y: number): void {
    this.self.x = x;
    this.self.y = y;
    this.lastSent = { x, y };
    this.path = [];
    this.target = null;
    this.staleBeforeSeq = this.seq;
  }

  // ---- server events ----

  private applyView(v: SceneView): void {
    const now = performance.now();
    let namesChanged = false;
    for (const id of v.leaves) {
      if (this.others.delete(id)) namesChanged = true;
      this.bubbles.delete(id);
    }
    for (const e of v.enters) {
      const known = this.others.get(e.id);
      if (!known || known.name !== e.displayName) namesChanged = true;
      this.others.set(e.id, {
        id: e.id,
        name: e.displayName,
        x: e.x,
        y: e.y,
        facing: e.facing,
        area: e.area,
        action: e.action,
        actionAtMs: e.action ? now : 0,
        fromX: e.x,
        fromY: e.y,
        toX: e.x,
        toY: e.y,
        startMs: now,
        durationMs: 1,
        lastUpdateMs: now,
      });
    }
    for (const m of v.moves) {
      const r = this.others.get(m.id);
      if (!r) continue;
      const far = Math.hypot(m.x - r.x, m.y - r.y) > TELEPORT_PX;
      r.fromX = far ? m.x : r.x;
      r.fromY = far ? m.y : r.y;
      r.toX = m.x;
      r.toY = m.y;
      r.startMs = now;
      // Glide over about the time the next position takes to arrive.
      r.durationMs = Math.min(250, Math.max(60, now - r.lastUpdateMs));
      r.lastUpdateMs = now;
      r.facing = m.facing;
      r.action = null;
    }
    for (const a of v.actions) {
      const r = this.others.get(a.id);
      if (!r) continue;
      r.action = a.action;
      r.actionAtMs = now;
    }
    if (namesChanged) {
      const nearby = [...this.others.values()]
        .map((r) => ({ id: r.id, name: r.name }))
        .sort((a, b) => a.name.localeCompare(b.name));
      this.update((h) => ({ ...h, nearby }));
    }
  }

  private addChat(from: number, name: string, text: string, atMs: number, own: boolean): void {
    const ms = Math.min(BUBBLE_MAX_MS, BUBBLE_MS + text.length * BUBBLE_MS_PER_CHAR);
    this.bubbles.set(from, { text, untilMs: Date.now() + ms });
    const line: LogLine = { id: `l${++this.logIds}`, from, name, text, atMs, own };
    this.update((h) => ({ ...h, log: [...h.log, line].slice(-LOG_LINES) }));
  }

  private noteTimer: ReturnType<typeof setTimeout> | null = null;

  private note(text: Msg): void {
    if (this.noteTimer) clearTimeout(this.noteTimer);
    this.update((h) => ({ ...h, note: text }));
    this.noteTimer = setTimeout(() => this.update((h) => ({ ...h, note: null })), 3000);
  }
}

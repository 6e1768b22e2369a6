import {
  ErrorCode,
  type EventBody,
  encodeEvent,
  MAX_SCENE_CHAT_CHARS,
  packMoves,
  type SceneAction,
  type SceneJoined,
  type WireRecord,
} from '@imw/shared';
import { type Clock, type Config, fail, type Logger, RateLimiter, type SessionRef } from '../core';
import type { AfterOpen, LocalSession, Opening, PresenceService, SessionHook } from '../presence';
import { Bubbles, type JoinError } from './bubbles';
import { ViewBatcher, type ViewEvent } from './events';
import type { SpeedOptions } from './movement';
import type { SceneMap } from './types';
import { SceneWorld } from './world';

/** R-SEC-24: the one answer to every way into a world while invisible. */
export const INVISIBLE_IN_WORLD =
  'invisible users cannot be in the world: set status online, away or busy first';

/** R-MAP-8: the answer to scene chat said in a silent zone. */
export const SILENT_ZONE = 'this is a silent zone: nobody hears scene chat here';

/** R-BUB-3: the answers to `scene.bubbleJoin` and `scene.bubbleLock` that refuse. */
export const BUBBLE_ERRORS = {
  full: 'the bubble is full',
  locked: 'the bubble is locked',
  notFound: 'no such bubble',
  tooFar: 'the bubble is out of reach: walk up to it first',
  notEligible: 'you cannot join a bubble here (silent zone, meeting area, other room or do not disturb)',
  notInBubble: 'not in a bubble',
  meeting: 'a meeting area cannot be locked',
} as const;

const JOIN_ERRORS: Record<JoinError | 'notJoined', readonly [ErrorCode, string]> = {
  full: [ErrorCode.LIMIT_EXCEEDED, BUBBLE_ERRORS.full],
  locked: [ErrorCode.FORBIDDEN, BUBBLE_ERRORS.locked],
  notFound: [ErrorCode.NOT_FOUND, BUBBLE_ERRORS.notFound],
  notJoined: [ErrorCode.NOT_FOUND, BUBBLE_ERRORS.notFound],
  tooFar: [ErrorCode.CONFLICT, BUBBLE_ERRORS.tooFar],
  notEligible: [ErrorCode.CONFLICT, BUBBLE_ERRORS.notEligible],
};

type SceneConfig = Pick<
  Config,
  | 'SCENE_TICK_MS'
  | 'CHAT_RATE_PER_SEC'
  | 'CHAT_BURST'
  | 'SCENE_HOLD_BACKPRESSURE_BYTES'
  | 'BUBBLE_CAP'
  | 'SIGNAL_RATE_PER_SEC'
  | 'SIGNAL_BURST'
>;

export interface SceneDeps {
  nodeId: string;
  clock: Clock;
  config: SceneConfig;
  /** Sessions (mode, scene) and delivery to users on this node. */
  presence: Pick<PresenceService, 'table' | 'setMode' | 'deliverToSession' | 'congested' | 'announceAvatar'>;
  /** The name a user shows others (presence: the session's, else the account's). */
  names: { displayNameOf(userId: number): Promise<string> };
  /**
   * R-BLK-5: who blocks a user (accounts' cached set). Scene chat and actions of a user never reach
   * those who block them; the world (avatar, moves) stays shared.
   */
  blocks: { blockerIds(userId: number): Promise<ReadonlySet<number>> };
  /** The chat text rules (messaging's checkText, R-MSG-3): a problem, or null when the text is fine. */
  checkText(text: string, maxChars: number): string | null;
  log: Logger;
  speed?: Partial<SpeedOptions>;
  /**
   * The server's part of move-to-view latency in seconds, per mover per tick: from its last
   * accepted move to the tick that queued it for its viewers (imw_scene_view_delay_seconds).
   */
  viewDelay?: { observe(seconds: number): void };
  /** Bubble figures for the bench and the metrics: CPU per bubble change, signals relayed. */
  bubbleStats?: { changed(count: number, cpuMs: number): void; signalled(): void };
}

/** One scene on this node: its world, and the view changes waiting for the next tick. */
interface Scene {
  readonly id: string;
  readonly map: SceneMap;
  readonly mapUrl: string;
  readonly world: SceneWorld;
  readonly batcher: ViewBatcher;
}

/** A user in a scene, tied to the session that put it there. */
interface Member {
  readonly userId: number;
  readonly sessionId: string;
  readonly displayName: string;
  readonly scene: Scene;
  /** When this session took the avatar (clock ms): across nodes the later entry keeps it. */
  readonly enteredAtMs: number;
}

/** The move result, as `scene.move` answers it. */
export interface MoveAnswer {
  accepted: boolean;
  x: number;
  y: number;
}

/** Runs a function once the current request's response is queued (RequestContext.connection). */
export type AfterResponse = (fn: () => void) => void;

/**
 * Scenes on this node, end to end: the worlds (one SceneWorld per map), who is in which, the
 * scene requests, and the tick that sends each recipient one `scene.view` per tick.
 *
 * Rules kept here (the worlds keep the geometry):
 * - only a session logged in with mode 'scene' may use scene packets (FORBIDDEN otherwise), and
 *   only such sessions are ever put in a world, so nobody else receives scene traffic;
 * - scenes are local to this node (a scene lease puts all users of a scene on one node), so
 *   everything is delivered with `deliverLocal`;
 * - a session stays in scene mode for its whole life: `scene.leave` takes the user out of the
 *   world and clears the session's sceneId, and a later `scene.join` enters again. Logout and the
 *   end of the session (timeout, eviction, redirect) take the user out too (`sessionEnded`);
 * - one avatar per user (R-DEV-6): the user's newest session to enter takes it over.
 *
 * The world changes synchronously inside each request, and its view events go to the scene's
 * batcher at once; the tick only flushes. A joiner gets its whole view in the answer (or in
 * `scene.changed`), so its own pending batch is dropped: what follows is exactly the changes.
 */
export class SceneService implements SessionHook {
  private readonly scenes = new Map<string, Scene>();
  private readonly members = new Map<number, Member>();
  private readonly chatLimiter: RateLimiter;
  /** R-RTC-4 for bubble calls: signalling has its own bucket, as for 1:1 calls. */
  private readonly signalLimiter: RateLimiter;
  private timer: ReturnType<typeof setInterval> | null = null;
  private chatSeq = 0;
  /** When each mover's latest accepted move arrived, until the tick that sends it (viewDelay). */
  private readonly movedAtMs = new Map<number, number>();

  constructor(
    maps: ReadonlyMap<string, SceneMap>,
    private readonly d: SceneDeps,
  ) {
    for (const map of maps.values()) {
      const world = new SceneWorld(map, { ...d.speed, bubbleCap: d.config.BUBBLE_CAP });
      this.scenes.set(map.id, {
        id: map.id,
        map,
        mapUrl: `/maps/${map.id}.tmj`,
        world,
        batcher: new ViewBatcher((id) => world.get(id)),
      });
    }
    this.chatLimiter = new RateLimiter(d.clock, d.config.CHAT_RATE_PER_SEC, d.config.CHAT_BURST);
    this.signalLimiter = new RateLimiter(d.clock, d.config.SIGNAL_RATE_PER_SEC, d.config.SIGNAL_BURST);
  }

  get sceneIds(): string[] {
    return [...this.scenes.keys()];
  }

  /** Scenes with at least one user on this node (what the scene lease must cover). */
  hostedSceneIds(): string[] {
    const out: string[] = [];
    for (const s of this.scenes.values()) if (s.world.size > 0) out.push(s.id);
    return out;
  }

  /** NOT_FOUND unless this node has the scene. */
  requireScene(sceneId: string): SceneMap {
    const scene = this.scenes.get(sceneId);
    if (!scene) fail(ErrorCode.NOT_FOUND, `no scene "${sceneId}"`);
    return scene.map;
  }

  /**
   * A scene-mode login that names a scene, in two steps: this one runs before the session opens
   * (an unknown scene fails the login with NOT_FOUND and no session is created) and returns the
   * second, to run once the login response is queued: it puts the user in the scene and sends
   * `scene.changed` (position, map, everyone in view), so the client needs no `scene.join`.
   */
  async prepareLoginEntry(userId: number, sceneId: string): Promise<(sessionId: string) => void> {
    const scene = this.scene(sceneId);
    const displayName = await this.d.names.displayNameOf(userId);
    return (sessionId) => {
      const s = this.d.presence.table.bySessionId(sessionId);
      // The session may have ended (or never opened) before the response left.
      if (!s || s.userId !== userId || s.mode !== 'scene' || s.status === 'invisible') return;
      const entered = this.enter(s, scene, displayName);
      this.deliver(userId, [encodeEvent('scene.changed', entered.joined)]);
      entered.announce();
    };
  }

  /**
   * A scene-mode session that resumed on this node without being in a world here (it was
   * redirected by a drain, or its node restarted): put it back in its scene, as a login would.
   */
  /**
   * Session hook: a scene-mode login that names a scene must name one this node has (NOT_FOUND,
   * before the session opens) and enters it right after the login response, with `scene.changed`;
   * a resumed scene session re-enters its scene if it is not in it. A normal-mode login never
   * carries a scene id.
   */
  async onOpen(o: Opening): Promise<AfterOpen | null> {
    if (o.mode !== 'scene') return null;
    // R-SEC-24: an invisible session never enters a world. A resume does not re-enter (the
    // session comes back without a scene); a login that names a scene is refused.
    if (o.kind === 'resume')
      return o.status === 'invisible' ? null : this.prepareResumeEntry(o.userId, o.sceneId);
    if (o.sceneId === null) return null;
    if (o.status === 'invisible') fail(ErrorCode.FORBIDDEN, INVISIBLE_IN_WORLD);
    return this.prepareLoginEntry(o.userId, o.sceneId);
  }

  /**
   * R-SEC-24: `presence.setStatus` to invisible while in a world is refused: everyone in view
   * would go on seeing the user's name and position. Leave the world first.
   */
  checkStatusChange(ref: SessionRef, status: string): void {
    if (status === 'invisible' && this.member(ref)) fail(ErrorCode.FORBIDDEN, INVISIBLE_IN_WORLD);
  }

  async prepareResumeEntry(
    userId: number,
    sceneId: string | null,
  ): Promise<((sessionId: string) => void) | null> {
    if (sceneId === null || this.members.has(userId) || !this.scenes.has(sceneId)) return null;
    return this.prepareLoginEntry(userId, sceneId);
  }

  /** `scene.join`: enter a scene at a spawn (leaving the current one), or resynchronise. */
  async join(
    ref: SessionRef,
    sceneId: string,
    spawn: string | undefined,
    after: AfterResponse,
  ): Promise<SceneJoined> {
    if (this.sceneSession(ref).status === 'invisible') fail(ErrorCode.FORBIDDEN, INVISIBLE_IN_WORLD);
    const scene = this.scene(sceneId);
    if (spawn !== undefined && !scene.map.spawns.some((s) => s.name === spawn)) {
      fail(ErrorCode.NOT_FOUND, `scene "${sceneId}" has no spawn "${spawn}"`);
    }
    const current = this.member(ref);
    if (current?.scene === scene && spawn === undefined) {
      // Already there: the answer is the current state, and it replaces anything pending.
      scene.batcher.forget(ref.userId);
      after(() => this.resendBubbles(current));
      return this.joined(current);
    }
    const displayName = current?.displayName ?? (await this.d.names.displayNameOf(ref.userId));
    // Checked again after the await: the session may have ended (or turned invisible) meanwhile.
    const s = this.sceneSession(ref);
    if (s.status === 'invisible') fail(ErrorCode.FORBIDDEN, INVISIBLE_IN_WORLD);
    const entered = this.enter(s, scene, displayName, spawn);
    // The bubbles around the joiner follow the answer that tells it where it is.
    after(entered.announce);
    return entered.joined;
  }

  /** `scene.leave`: out of the world; the session stays in scene mode with no scene. */
  leave(ref: SessionRef): void {
    const s = this.sceneSession(ref);
    const m = this.member(ref);
    if (m) this.remove(m);
    this.recordScene(s, null);
  }

  /**
   * `scene.move`. A refused move changes nothing and is answered with the server's position, also
   * sent as `scene.correction` with the client's seq. A move into a portal is accepted; the
   * change of scene happens once the answer is queued, so the client reads the answer (in the old
   * scene) before `scene.changed`.
   */
  move(ref: SessionRef, p: { x: number; y: number; seq: number }, after: AfterResponse): MoveAnswer {
    const m = this.requireMember(ref);
    const r = m.scene.world.move(m.userId, p.x, p.y, this.d.clock.now());
    if (!r.ok) {
      const at = r.correction;
      if (!at) throw new Error('invariant: a member the world does not know');
      this.deliver(m.userId, [encodeEvent('scene.correction', { x: at.x, y: at.y, seq: p.seq })]);
      return { accepted: false, x: at.x, y: at.y };
    }
    m.scene.batcher.add(r.events);
    this.announceBubbles(m.scene, r.events);
    if (this.d.viewDelay && r.events.length > 0) this.movedAtMs.set(m.userId, this.d.clock.now());
    const portal = r.portal;
    if (portal) after(() => this.takePortal(m, portal.targetScene, portal.targetSpawn ?? undefined));
    return { accepted: true, x: r.self.x, y: r.self.y };
  }

  /**
   * `scene.action`: recorded, and shown to everyone who sees the user but those who block them
   * (R-BLK-5). The block set is read first; the world changes in one synchronous step after it.
   */
  async act(ref: SessionRef, action: SceneAction): Promise<void> {
    this.requireMember(ref);
    const blockers = await this.d.blocks.blockerIds(ref.userId);
    const m = this.requireMember(ref);
    const r = m.scene.world.act(m.userId, action);
    if (!r.ok) fail(ErrorCode.BAD_REQUEST, `unknown action "${action}"`);
    m.scene.batcher.add(blockers.size === 0 ? r.events : r.events.filter((e) => !blockers.has(e.to)));
  }

  /**
   * `scene.chat`: to those who hear the user (hearing radius, same sub-area, not in a silent
   * zone), at once, but not to those who block the user (R-BLK-5; the answer is the same either
   * way). R-MAP-8: said from a silent zone, it is refused (FORBIDDEN) and goes nowhere.
   */
  async chat(ref: SessionRef, text: string): Promise<{ messageId: string }> {
    this.requireMember(ref);
    const blockers = await this.d.blocks.blockerIds(ref.userId);
    const m = this.requireMember(ref);
    if (m.scene.world.isSilent(m.userId)) fail(ErrorCode.FORBIDDEN, SILENT_ZONE);
    const problem = this.d.checkText(text, MAX_SCENE_CHAT_CHARS);
    if (problem) fail(ErrorCode.BAD_REQUEST, `text: ${problem}`, { details: [`text: ${problem}`] });
    const rate = this.chatLimiter.check(String(m.userId));
    if (!rate.ok) {
      fail(ErrorCode.RATE_LIMITED, 'too many messages; slow down', { retryAfterMs: rate.retryAfterMs });
    }
    const me = m.scene.world.get(m.userId)!;
    const atMs = this.d.clock.now();
    // Like messaging's ids (time, counter, node), with an "s" so the two never collide.
    this.chatSeq = (this.chatSeq + 1) % 1_679_616;
    const messageId = `${atMs.toString(36)}-s${this.chatSeq.toString(36).padStart(4, '0')}-${this.d.nodeId}`;
    const record = encodeEvent('scene.chat', {
      messageId,
      from: m.userId,
      displayName: me.displayName,
      text,
      x: me.x,
      y: me.y,
      atMs,
    });
    for (const to of m.scene.world.chatRecipients(m.userId)) {
      if (!blockers.has(to)) this.deliver(to, [record]);
    }
    return { messageId };
  }

  /** `scene.bubbleJoin` (R-BUB-3): the same rules as stopping next to the bubble, or an error. */
  bubbleJoin(ref: SessionRef, bubbleId: string): void {
    const m = this.requireMember(ref);
    const err = m.scene.world.joinBubble(m.userId, bubbleId);
    this.announceBubbles(m.scene);
    if (err === null) return;
    const [code, message] = JOIN_ERRORS[err];
    fail(code, message);
  }

  /** `scene.bubbleLock` (R-BUB-3). */
  bubbleLock(ref: SessionRef, locked: boolean): void {
    const m = this.requireMember(ref);
    const err = m.scene.world.lockBubble(m.userId, locked);
    this.announceBubbles(m.scene);
    if (err === 'meeting') fail(ErrorCode.FORBIDDEN, BUBBLE_ERRORS.meeting);
    if (err !== null) fail(ErrorCode.CONFLICT, BUBBLE_ERRORS.notInBubble);
  }

  /** `scene.bubblePrefs` (R-BUB-4): do not disturb. */
  bubblePrefs(ref: SessionRef, dnd: boolean): void {
    const m = this.requireMember(ref);
    m.scene.world.setDnd(m.userId, dnd);
    this.announceBubbles(m.scene);
  }

  /**
   * `scene.signal` (R-BUB-5): relayed to a member of the sender's bubble only, and never from a
   * user the recipient blocks (R-BLK-2); anything else is dropped with the same empty answer.
   */
  async signal(ref: SessionRef, p: Omit<EventBody<'scene.signal'>, 'from'> & { to: number }): Promise<void> {
    this.requireMember(ref);
    const rate = this.signalLimiter.check(String(ref.userId));
    if (!rate.ok) {
      fail(ErrorCode.RATE_LIMITED, 'too many signals; slow down', { retryAfterMs: rate.retryAfterMs });
    }
    const blockers = await this.d.blocks.blockerIds(ref.userId);
    const m = this.requireMember(ref);
    const { to, ...sig } = p;
    if (blockers.has(to) || !m.scene.world.sameBubble(m.userId, to)) return;
    this.deliver(to, [encodeEvent('scene.signal', { from: m.userId, ...sig })]);
    this.d.bubbleStats?.signalled();
  }

  /**
   * R-DEV-6 across nodes: the user's session `sessionId` entered a world on another node at
   * `atMs`. The user's avatar here gives way if it entered earlier (ties: the larger session id
   * wins, so two nodes that hear of each other's entry agree on one avatar).
   */
  avatarEnteredElsewhere(userId: number, sessionId: string, atMs: number): void {
    const m = this.members.get(userId);
    if (!m || m.sessionId === sessionId) return;
    if (m.enteredAtMs > atMs || (m.enteredAtMs === atMs && m.sessionId > sessionId)) return;
    this.remove(m);
    this.takenOver(m.sessionId);
  }

  /** Presence's onSessionEnded: the user leaves its scene; viewers get a leave on the next tick. */
  sessionEnded(s: { userId: number; sessionId: string }): void {
    const m = this.members.get(s.userId);
    if (m && m.sessionId === s.sessionId) this.remove(m);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * R-LIM-15: the user's socket has more queued than SCENE_HOLD_BACKPRESSURE_BYTES. Its view
   * updates wait in the batcher, where later ones supersede earlier ones, until it catches up.
   */
  private readonly congested = (userId: number): boolean => {
    const m = this.members.get(userId);
    return (
      m !== undefined && this.d.presence.congested(m.sessionId, this.d.config.SCENE_HOLD_BACKPRESSURE_BYTES)
    );
  };

  /**
   * Tells everyone concerned of the scene's bubble changes (R-BUB-1): each changed bubble to its
   * members, those it lost and their viewers; refusals to the refused. With `viewEvents`, also
   * the bubble of each user who just came into someone's view, to that viewer.
   */
  private announceBubbles(scene: Scene, viewEvents?: readonly ViewEvent[]): void {
    const { world } = scene;
    const startedAt = this.d.bubbleStats ? performance.now() : 0;
    const { changed, refused } = world.takeBubbleChanges();
    if (viewEvents !== undefined) {
      for (const e of viewEvents) {
        if (e.kind !== 'enter') continue;
        const b = world.bubbleOf(e.other.id);
        if (b) this.deliver(e.to, [encodeEvent('scene.bubble', { ...b, cap: world.bubbleCap })]);
      }
    }
    if (changed.size === 0 && refused.length === 0) return;
    for (const [b, lost] of changed) {
      const record = encodeEvent('scene.bubble', { ...Bubbles.state(b), cap: world.bubbleCap });
      for (const to of world.bubbleRecipients(b, lost)) this.deliver(to, [record]);
    }
    for (const r of refused) {
      this.deliver(r.userId, [
        encodeEvent('scene.bubbleRefused', { bubbleId: r.bubbleId, reason: r.reason }),
      ]);
    }
    this.d.bubbleStats?.changed(changed.size, performance.now() - startedAt);
  }

  /** Sends every scene's pending view changes, one `scene.view` per recipient. */
  private tick(): void {
    for (const scene of this.scenes.values()) {
      if (scene.world.size > 0) {
        scene.world.settleIdle(this.d.clock.now());
        this.announceBubbles(scene);
      }
      for (const [to, view] of scene.batcher.flush(this.congested)) {
        this.deliver(to, [encodeEvent('scene.view', { ...view, moves: packMoves(view.moves) })]);
      }
    }
    if (this.movedAtMs.size > 0) {
      const now = this.d.clock.now();
      for (const at of this.movedAtMs.values()) this.d.viewDelay?.observe((now - at) / 1000);
      this.movedAtMs.clear();
    }
    // The last leave has been sent: nothing to tick for until someone joins.
    if (this.members.size === 0) this.close();
  }

  private scene(sceneId: string): Scene {
    this.requireScene(sceneId);
    return this.scenes.get(sceneId)!;
  }

  /** The live session behind a request, which must be a scene-mode one. */
  private sceneSession(ref: SessionRef): LocalSession {
    const s = this.d.presence.table.bySessionId(ref.sessionId);
    if (!s) fail(ErrorCode.NOT_LOGGED_IN, 'the session has ended');
    if (s.mode !== 'scene') fail(ErrorCode.FORBIDDEN, 'scene packets need a scene-mode login');
    return s;
  }

  private member(ref: SessionRef): Member | undefined {
    const m = this.members.get(ref.userId);
    return m?.sessionId === ref.sessionId ? m : undefined;
  }

  private requireMember(ref: SessionRef): Member {
    this.sceneSession(ref);
    const m = this.member(ref);
    if (!m) fail(ErrorCode.CONFLICT, 'not in a scene: send scene.join first');
    return m;
  }

  /**
   * Puts the session's user in `scene` (out of any other first); synchronous from here on. One
   * avatar per user (R-DEV-6): when another session of the user holds it, that session is taken
   * out of the world, told with `scene.takenOver`, and keeps the rest of its session.
   */
  private enter(
    s: LocalSession,
    scene: Scene,
    displayName: string,
    spawn?: string,
  ): { joined: SceneJoined; announce: () => void } {
    const old = this.members.get(s.userId);
    if (old) this.remove(old);
    if (old && old.sessionId !== s.sessionId) this.takenOver(old.sessionId);
    const r = scene.world.join(s.userId, displayName, spawn);
    if (!r.ok) throw new Error(`invariant: join ${scene.id} failed (${r.reason}) after the checks`);
    scene.batcher.add(r.events);
    // The answer carries the whole view; the batch starts from there.
    scene.batcher.forget(s.userId);
    const enteredAtMs = this.d.clock.now();
    const m: Member = { userId: s.userId, sessionId: s.sessionId, displayName, scene, enteredAtMs };
    this.members.set(s.userId, m);
    this.recordScene(s, scene.id);
    // A session that moves between scenes here keeps the avatar it has; anything else is news
    // for the user's sessions in worlds on other nodes.
    if (old?.sessionId !== s.sessionId) this.d.presence.announceAvatar(s.userId, s.sessionId, enteredAtMs);
    this.startTicking();
    // Sent after the answer or `scene.changed` that puts the user in this scene (the caller).
    const announce = () => {
      if (this.members.get(m.userId) === m) this.announceBubbles(scene, r.events);
    };
    return { joined: this.joined(m), announce };
  }

  /** A resynchronising client gets the bubbles of everyone it sees (and its own) again. */
  private resendBubbles(m: Member): void {
    const { world } = m.scene;
    const sent = new Set<string>();
    for (const id of [m.userId, ...world.viewOf(m.userId).map((e) => e.id)]) {
      const b = world.bubbleOf(id);
      if (b === null || sent.has(b.bubbleId)) continue;
      sent.add(b.bubbleId);
      this.deliver(m.userId, [encodeEvent('scene.bubble', { ...b, cap: world.bubbleCap })]);
    }
  }

  private joined(m: Member): SceneJoined {
    const self = m.scene.world.get(m.userId)!;
    return {
      sceneId: m.scene.id,
      self: { x: self.x, y: self.y, facing: self.facing, area: self.area },
      mapUrl: m.scene.mapUrl,
      view: m.scene.world.viewOf(m.userId),
    };
  }

  private remove(m: Member): void {
    m.scene.batcher.add(m.scene.world.leave(m.userId));
    this.announceBubbles(m.scene);
    m.scene.batcher.forget(m.userId);
    this.members.delete(m.userId);
    this.chatLimiter.forget(String(m.userId));
    this.signalLimiter.forget(String(m.userId));
  }

  private takenOver(sessionId: string): void {
    const other = this.d.presence.table.bySessionId(sessionId);
    if (!other) return;
    this.d.presence.deliverToSession(sessionId, [
      encodeEvent('scene.takenOver', { reason: 'your avatar moved to another device' }),
    ]);
    this.recordScene(other, null);
  }

  private takePortal(m: Member, targetScene: string, targetSpawn: string | undefined): void {
    // The user may have left (or the session ended) between the move and its answer.
    if (this.members.get(m.userId) !== m) return;
    const s = this.d.presence.table.bySessionId(m.sessionId);
    // checkPortalLinks guarantees the target scene and spawn when the maps load.
    const target = this.scenes.get(targetScene);
    if (!s || !target) return;
    const entered = this.enter(s, target, m.displayName, targetSpawn);
    this.deliver(m.userId, [encodeEvent('scene.changed', entered.joined)]);
    entered.announce();
  }

  /**
   * The session's scene in the presence record. The local copy changes at once; the store write
   * is not awaited, so that a join stays one synchronous step (no tick can fall between the
   * world change and the answer that describes it).
   */
  private recordScene(s: LocalSession, sceneId: string | null): void {
    this.d.presence.setMode(s, 'scene', sceneId).catch((err: unknown) => {
      this.d.log.warn({ err, userId: s.userId }, 'presence scene update failed');
    });
  }

  /** Scene traffic goes to the session that holds the user's avatar, not the user's others. */
  private deliver(userId: number, records: readonly WireRecord[]): void {
    const m = this.members.get(userId);
    if (m) this.d.presence.deliverToSession(m.sessionId, records);
  }

  private startTicking(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.d.config.SCENE_TICK_MS);
    this.timer.unref?.();
  }
}

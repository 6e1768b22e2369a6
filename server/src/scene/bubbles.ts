/**
 * Proximity bubbles and meeting areas (#19): who is in a conversation with whom. Pure logic, like
 * the world that owns it: no I/O and no timers. The server alone decides membership (R-BUB-1);
 * clients are told with `scene.bubble`.
 *
 * Rules (docs/PROTOCOL.md, R-BUB-*):
 * - A player may be in a bubble only when eligible: not in a silent zone and not "do not disturb".
 * - Proximity bubbles: every member is in the bubble's sub-area and within the bubble radius of the
 *   bubble's centre (the mean of the members); a bubble has 2..cap members. A member who moves
 *   farther than the radius leaves; so does anyone the moved centre leaves behind (farthest first);
 *   a bubble of one dissolves.
 * - A player who stops moving (`settle`) joins the nearest of: a free eligible player of the same
 *   sub-area within the conversation distance (a new bubble of two), or a bubble of its sub-area
 *   whose centre is within the bubble radius and that keeps every member within the radius with
 *   the newcomer in it. Full or locked bubbles are skipped; when one of them was the nearest
 *   candidate and nothing else could be joined, the player is told it was refused.
 * - Meeting areas: everyone eligible inside a sub-area with a `meeting` property is in that
 *   meeting's one bubble, up to the cap; past it the player is refused ("full"). Players in a
 *   meeting area are never in a proximity bubble. A meeting bubble exists while it has a member.
 */

export interface BubbleSubject {
  readonly userId: number;
  readonly x: number;
  readonly y: number;
  readonly area: string | null;
  readonly silent: boolean;
  /** The meeting of the smallest meeting area holding the player, else null. */
  readonly meeting: string | null;
  readonly dnd: boolean;
  /** Still walking (moved less than SETTLE_MS ago): not pulled into a new bubble. */
  readonly movedSinceSettle: boolean;
  bubble: Bubble | null;
  /** The meeting that last refused the player (told once per refusal, not on every step). */
  refusedMeeting: string | null;
}

export type RefuseReason = 'full' | 'locked';

export class Bubble {
  readonly members = new Set<BubbleSubject>();
  locked = false;

  constructor(
    readonly id: string,
    /** The sub-area every member stands in. */
    readonly area: string | null,
    /** Set for a meeting area's bubble (its meeting name); null for a proximity bubble. */
    readonly meeting: string | null,
  ) {}

  centre(): { x: number; y: number } {
    let x = 0;
    let y = 0;
    for (const m of this.members) {
      x += m.x;
      y += m.y;
    }
    const n = this.members.size || 1;
    return { x: x / n, y: y / n };
  }
}

/** What clients are told about a bubble; `members` is empty once it has dissolved. */
export interface BubbleState {
  readonly bubbleId: string;
  readonly members: number[];
  readonly locked: boolean;
  readonly meeting: string | null;
}

/** The outcome of one step: bubbles whose membership or lock changed, with who was in them before. */
export interface BubbleChanges {
  /** Changed bubbles, each with the members it lost in this step (they must hear of it too). */
  readonly changed: Map<Bubble, Set<BubbleSubject>>;
  readonly refused: Array<{
    readonly userId: number;
    readonly bubbleId: string;
    readonly reason: RefuseReason;
  }>;
}

export const newChanges = (): BubbleChanges => ({ changed: new Map(), refused: [] });

export interface BubbleOptions {
  readonly conversationDistancePx: number;
  readonly bubbleRadiusPx: number;
  readonly cap: number;
}

/** Players near a point (a radius query on the world's grid; may include more, never fewer). */
export type NearQuery = (x: number, y: number, radiusPx: number) => Iterable<BubbleSubject>;

const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

export const eligible = (p: BubbleSubject): boolean => !p.silent && !p.dnd;

export type JoinError = 'notFound' | 'notEligible' | 'tooFar' | 'full' | 'locked';

export class Bubbles {
  private readonly byId = new Map<string, Bubble>();
  private readonly meetings = new Map<string, Bubble>();
  private nextId = 1;

  constructor(
    private readonly o: BubbleOptions,
    private readonly near: NearQuery,
  ) {}

  get(bubbleId: string): Bubble | undefined {
    return this.byId.get(bubbleId);
  }

  all(): IterableIterator<Bubble> {
    return this.byId.values();
  }

  get cap(): number {
    return this.o.cap;
  }

  /** After the player moved, changed zone or changed its do-not-disturb flag. */
  afterChange(p: BubbleSubject, out: BubbleChanges): void {
    const b = p.bubble;
    if (b !== null) {
      if (b.meeting !== null) {
        if (p.meeting !== b.meeting || !eligible(p)) this.remove(p, out);
      } else if (!eligible(p) || p.area !== b.area || p.meeting !== null) {
        this.remove(p, out);
      } else {
        this.evictStragglers(b, out);
      }
    }
    if (p.meeting !== p.refusedMeeting) p.refusedMeeting = null;
    if (p.bubble === null && p.meeting !== null && eligible(p)) this.joinMeeting(p, out);
  }

  /** The player stopped moving: join the nearest player or bubble it may join (see the header). */
  settle(p: BubbleSubject, out: BubbleChanges): void {
    if (p.bubble !== null || !eligible(p)) return;
    if (p.meeting !== null) return this.joinMeeting(p, out);
    // A member of a bubble whose centre is within the radius stands at most twice the radius away.
    const reach = Math.max(this.o.conversationDistancePx, 2 * this.o.bubbleRadiusPx);
    let best: { d: number; q?: BubbleSubject; b?: Bubble } | null = null;
    let refused: { d: number; b: Bubble; reason: RefuseReason } | null = null;
    const seen = new Set<Bubble>();
    for (const q of this.near(p.x, p.y, reach)) {
      if (q === p || q.area !== p.area || q.meeting !== null || !eligible(q)) continue;
      const b = q.bubble;
      if (b === null) {
        if (q.movedSinceSettle) continue;
        const d = dist(p, q);
        if (d <= this.o.conversationDistancePx && d / 2 <= this.o.bubbleRadiusPx && (!best || d < best.d)) {
          best = { d, q };
        }
        continue;
      }
      if (seen.has(b) || b.meeting !== null) continue;
      seen.add(b);
      const d = dist(p, b.centre());
      if (d > this.o.bubbleRadiusPx) continue;
      const reason = this.refusal(b);
      if (reason !== null) {
        if (!refused || d < refused.d) refused = { d, b, reason };
        continue;
      }
      if (this.keepsEveryone(b, p) && (!best || d < best.d)) best = { d, b };
    }
    if (best?.b) return this.add(best.b, p, out);
    if (best?.q) {
      const b = new Bubble(`b${this.nextId++}`, p.area, null);
      this.byId.set(b.id, b);
      this.add(b, best.q, out);
      this.add(b, p, out);
      return;
    }
    if (refused) out.refused.push({ userId: p.userId, bubbleId: refused.b.id, reason: refused.reason });
  }

  /** `scene.bubbleJoin`: the same rules as settling, for one named bubble, with the reason when not. */
  join(p: BubbleSubject, bubbleId: string, out: BubbleChanges): JoinError | null {
    const b = this.byId.get(bubbleId);
    if (b === undefined || b.meeting !== null) return 'notFound';
    if (p.bubble === b) return null;
    if (!eligible(p) || p.meeting !== null || p.area !== b.area) return 'notEligible';
    if (dist(p, b.centre()) > this.o.bubbleRadiusPx || !this.keepsEveryone(b, p)) return 'tooFar';
    const reason = this.refusal(b);
    if (reason !== null) return reason;
    if (p.bubble !== null) this.remove(p, out);
    this.add(b, p, out);
    return null;
  }

  /** `scene.bubbleLock`: members of a proximity bubble may lock it against newcomers. */
  lock(p: BubbleSubject, locked: boolean, out: BubbleChanges): 'notInBubble' | 'meeting' | null {
    const b = p.bubble;
    if (b === null) return 'notInBubble';
    if (b.meeting !== null) return 'meeting';
    if (b.locked !== locked) {
      b.locked = locked;
      this.touch(b, out);
    }
    return null;
  }

  /** The player leaves the world. */
  leave(p: BubbleSubject, out: BubbleChanges): void {
    if (p.bubble !== null) this.remove(p, out);
  }

  static state(b: Bubble): BubbleState {
    const members: number[] = [];
    for (const m of b.members) members.push(m.userId);
    return { bubbleId: b.id, members, locked: b.locked, meeting: b.meeting };
  }

  private refusal(b: Bubble): RefuseReason | null {
    if (b.members.size >= this.o.cap) return 'full';
    if (b.locked) return 'locked';
    return null;
  }

  /** Whether every member (and the newcomer) stays within the radius of the centre with it in. */
  private keepsEveryone(b: Bubble, p: BubbleSubject): boolean {
    const n = b.members.size + 1;
    const c0 = b.centre();
    const c = { x: (c0.x * (n - 1) + p.x) / n, y: (c0.y * (n - 1) + p.y) / n };
    if (dist(p, c) > this.o.bubbleRadiusPx) return false;
    for (const m of b.members) if (dist(m, c) > this.o.bubbleRadiusPx) return false;
    return true;
  }

  private joinMeeting(p: BubbleSubject, out: BubbleChanges): void {
    const key = p.meeting!;
    let b = this.meetings.get(key);
    if (b !== undefined && b.members.size >= this.o.cap) {
      if (p.refusedMeeting !== key) out.refused.push({ userId: p.userId, bubbleId: b.id, reason: 'full' });
      p.refusedMeeting = key;
      return;
    }
    p.refusedMeeting = null;
    if (b === undefined) {
      b = new Bubble(`m:${key}`.slice(0, 64), p.area, key);
      this.meetings.set(key, b);
      this.byId.set(b.id, b);
    }
    this.add(b, p, out);
  }

  /** Members the centre left behind leave, farthest first, until everyone is within the radius. */
  private evictStragglers(b: Bubble, out: BubbleChanges): void {
    while (b.members.size > 1) {
      const c = b.centre();
      let far: BubbleSubject | null = null;
      let farD = this.o.bubbleRadiusPx;
      for (const m of b.members) {
        const d = dist(m, c);
        if (d > farD) {
          far = m;
          farD = d;
        }
      }
      if (far === null) return;
      this.remove(far, out);
      if (b.members.size === 0) return;
    }
  }

  private add(b: Bubble, p: BubbleSubject, out: BubbleChanges): void {
    b.members.add(p);
    p.bubble = b;
    this.touch(b, out);
  }

  private remove(p: BubbleSubject, out: BubbleChanges): void {
    const b = p.bubble;
    if (b === null) return;
    b.members.delete(p);
    p.bubble = null;
    this.touch(b, out).add(p);
    if (b.meeting === null && b.members.size === 1) {
      // A bubble of one dissolves.
      const last = b.members.values().next().value!;
      b.members.delete(last);
      last.bubble = null;
      this.touch(b, out).add(last);
    }
    if (b.members.size === 0) {
      this.byId.delete(b.id);
      if (b.meeting !== null) this.meetings.delete(b.meeting);
    }
  }

  private touch(b: Bubble, out: BubbleChanges): Set<BubbleSubject> {
    let lost = out.changed.get(b);
    if (lost === undefined) {
      lost = new Set();
      out.changed.set(b, lost);
    }
    return lost;
  }
}

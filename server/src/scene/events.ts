import type { Facing, SceneAction, SceneView } from './shared';

/** Everything a client needs to draw someone who came into its view. */
export interface EnterInfo {
  readonly id: number;
  readonly displayName: string;
  readonly x: number;
  readonly y: number;
  readonly facing: Facing;
  readonly area: string | null;
  readonly action: SceneAction | null;
}

/**
 * One change to one recipient's view. `to` is the recipient's user id.
 * - enter: `other` is now in view (a client that already knows the id replaces its record);
 * - move: someone in view moved (which also ends their action: walking stops a dance);
 * - leave: the id is no longer in view;
 * - action: someone in view did an action.
 */
export type ViewEvent =
  | { readonly kind: 'enter'; readonly to: number; readonly other: EnterInfo }
  | {
      readonly kind: 'move';
      readonly to: number;
      readonly id: number;
      readonly x: number;
      readonly y: number;
      readonly facing: Facing;
    }
  | { readonly kind: 'leave'; readonly to: number; readonly id: number }
  | { readonly kind: 'action'; readonly to: number; readonly id: number; readonly action: SceneAction };

/** Per (recipient, id) state for one tick, packed in a small integer: no allocation per event. */
const STARTED_IN_VIEW = 1;
const IN_VIEW = 2;
/** Entered (again) since the last leave: the client needs a full record. */
const ENTERED = 4;
const MOVED = 8;
/** Did an action since the last move. */
const ACTED = 16;

/** Where the batcher reads users' current state at flush time (SceneWorld.get). */
export type EnterInfoLookup = (userId: number) => EnterInfo | undefined;

/**
 * Folds a tick's worth of view events into one `scene.view` batch per recipient, keeping only
 * the net change per id: entered-then-left is nothing, many moves are the last one, left-then-
 * re-entered is one enter. Applying the batch (leaves, enters, moves, actions) leaves the client
 * with the same view as applying every event in order.
 *
 * Events only set flags; positions, names and actions are read from the world when the batch is
 * built. That is exact: whenever a user's state changes, everyone who has it in view afterwards
 * gets an event, so at the end of the tick the world's state is what each such client must see.
 * Flush before the world changes further, and in the same turn as the last `add`. A recipient
 * held back at a flush (a slow reader, R-LIM-15) keeps accumulating flags, so its next batch is
 * the net change since the last batch it was sent: "in view when the tick began" then means "in
 * view in the last batch sent".
 */
export class ViewBatcher {
  private readonly pending = new Map<number, Map<number, number>>();

  constructor(private readonly lookup: EnterInfoLookup) {}

  add(events: readonly ViewEvent[]): void {
    for (const e of events) this.addOne(e);
  }

  addOne(e: ViewEvent): void {
    let byId = this.pending.get(e.to);
    if (byId === undefined) {
      byId = new Map();
      this.pending.set(e.to, byId);
    }
    const id = e.kind === 'enter' ? e.other.id : e.id;
    // Only an enter can concern an id the recipient did not have in view when the tick began.
    let flags = byId.get(id) ?? (e.kind === 'enter' ? 0 : STARTED_IN_VIEW | IN_VIEW);
    switch (e.kind) {
      case 'enter':
        flags = (flags & STARTED_IN_VIEW) | IN_VIEW | ENTERED;
        break;
      case 'move':
        // An action before the move is over: the client applies actions after moves.
        flags = (flags | MOVED) & ~ACTED;
        break;
      case 'leave':
        flags &= STARTED_IN_VIEW;
        break;
      case 'action':
        flags |= ACTED;
        break;
      default:
        e satisfies never;
    }
    byId.set(id, flags);
  }

  /** Drop everything queued for a recipient that is gone (left the scene, disconnected). */
  forget(recipientId: number): void {
    this.pending.delete(recipientId);
  }

  /**
   * One batch per recipient with something to say. Recipients for which `hold` answers true keep
   * their changes for a later flush (merged with what comes meanwhile, so superseded moves are
   * dropped and the view stays exact); everyone else's are emptied.
   */
  flush(hold?: (recipientId: number) => boolean): Array<[recipientId: number, view: SceneView]> {
    const out: Array<[number, SceneView]> = [];
    // One record per user, shared by every batch that mentions it.
    const records = new Map<number, EnterInfo | undefined>();
    const moves = new Map<number, SceneView['moves'][number]>();
    const record = (id: number): EnterInfo => {
      if (!records.has(id)) records.set(id, this.lookup(id));
      const r = records.get(id);
      if (r === undefined) throw new Error(`user ${id} is in someone's view but not in the world`);
      return r;
    };
    const move = (id: number) => {
      let m = moves.get(id);
      if (m === undefined) {
        const { x, y, facing } = record(id);
        m = { id, x, y, facing };
        moves.set(id, m);
      }
      return m;
    };
    for (const [to, byId] of this.pending) {
      if (hold?.(to)) continue;
      this.pending.delete(to);
      const view: SceneView = { enters: [], moves: [], leaves: [], actions: [] };
      for (const [id, flags] of byId) {
        if ((flags & IN_VIEW) === 0) {
          if (flags & STARTED_IN_VIEW) view.leaves.push(id);
          continue;
        }
        if (flags & ENTERED) view.enters.push(record(id));
        else if (flags & MOVED) view.moves.push(move(id));
        const action = flags & ACTED ? record(id).action : null;
        if (action !== null) view.actions.push({ id, action });
      }
      if (view.enters.length + view.moves.length + view.leaves.length + view.actions.length > 0) {
        out.push([to, view]);
      }
    }
    return out;
  }
}

import { isBlocked, isInsideMap, segmentBlocked } from './geometry';
import type { Facing } from './shared';
import type { SceneMap } from './types';

/** Why a move was refused. Every refusal leaves the user where the server last put it. */
export type MoveRejectReason =
  /** The user is not in this scene. */
  | 'notJoined'
  /** x or y is NaN or ±Infinity. */
  | 'notFinite'
  /** The target is outside the map. */
  | 'outsideMap'
  /** The target is in a wall. */
  | 'wall'
  /** The straight line to the target crosses a wall (no tunnelling). */
  | 'throughWall'
  /** Farther than the speed budget allows. */
  | 'tooFast';

export interface SpeedOptions {
  /** Extra speed allowed over the map's maxSpeedPxPerSec, for clock jitter: 0.1 = 10 %. */
  readonly speedTolerance: number;
  /**
   * The most time a user can bank by standing still. Distance is a token bucket refilled at
   * maxSpeed × (1 + tolerance) and capped at maxSpeed × maxBankedMs, so moves that arrive
   * bunched up by the network are accepted, while over any window T the user covers at most
   * maxSpeed × (1 + tolerance) × T + maxSpeed × maxBankedMs.
   */
  readonly maxBankedMs: number;
}

export const DEFAULT_SPEED_OPTIONS: SpeedOptions = { speedTolerance: 0.1, maxBankedMs: 500 };

/** Rounding slack so that a move of exactly the allowed distance is never refused. */
const EPSILON_PX = 1e-6;

/** The per-user part of the speed rule. */
export interface SpeedState {
  budgetPx: number;
  /** Server time of the last refill; NaN before the first move (the bucket then starts full). */
  refilledAtMs: number;
}

export function newSpeedState(): SpeedState {
  return { budgetPx: 0, refilledAtMs: Number.NaN };
}

/** Refill the bucket up to nowMs. Time going backwards (a clock step) refills nothing. */
export function refill(state: SpeedState, map: SceneMap, options: SpeedOptions, nowMs: number): void {
  const capPx = (map.maxSpeedPxPerSec * options.maxBankedMs) / 1000;
  if (Number.isNaN(state.refilledAtMs)) {
    state.budgetPx = capPx;
    state.refilledAtMs = nowMs;
    return;
  }
  if (nowMs <= state.refilledAtMs) return;
  const ratePxPerMs = (map.maxSpeedPxPerSec * (1 + options.speedTolerance)) / 1000;
  state.budgetPx = Math.min(capPx, state.budgetPx + ratePxPerMs * (nowMs - state.refilledAtMs));
  state.refilledAtMs = nowMs;
}

/**
 * Check a move from (fromX, fromY) to (x, y). Cheap checks come first, and the grid traversal
 * last, after the speed check has bounded how many tiles it can walk. On success the distance is
 * taken from the budget; on failure the state is untouched (apart from the refill).
 */
export function checkMove(
  map: SceneMap,
  speed: SpeedState,
  options: SpeedOptions,
  fromX: number,
  fromY: number,
  x: number,
  y: number,
  nowMs: number,
): MoveRejectReason | null {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return 'notFinite';
  if (!isInsideMap(map, x, y)) return 'outsideMap';
  if (isBlocked(map, x, y)) return 'wall';
  refill(speed, map, options, nowMs);
  const distancePx = Math.hypot(x - fromX, y - fromY);
  if (distancePx > speed.budgetPx + EPSILON_PX) return 'tooFast';
  if (segmentBlocked(map, fromX, fromY, x, y)) return 'throughWall';
  speed.budgetPx = Math.max(0, speed.budgetPx - distancePx);
  return null;
}

/**
 * Facing follows the dominant axis of the movement; an exact diagonal faces sideways, and no
 * movement keeps the previous facing. y grows downwards, as on screen.
 */
export function facingOf(dx: number, dy: number, previous: Facing): Facing {
  if (dx === 0 && dy === 0) return previous;
  if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? 'right' : 'left';
  return dy > 0 ? 'down' : 'up';
}

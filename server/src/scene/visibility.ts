import { withinRadius } from './geometry';

/** What the perception rule needs to know about one user. */
export interface Perceivable {
  readonly sceneId: string;
  readonly x: number;
  readonly y: number;
  /** The sub-area (room) the user stands in, or null when outside every sub-area. */
  readonly area: string | null;
}

/**
 * "A sees (or hears) B": same scene, distance <= radiusPx, and the sub-area rule — inside a room
 * you perceive only that room; outside, you perceive nobody inside a room. Both halves of the
 * sub-area rule reduce to "same area, where null (outside) is an area of its own". Walls do not
 * block perception: rooms are what separate people. The rule is symmetric in A and B, which is
 * what lets the area of interest keep symmetric views.
 */
export function canPerceive(a: Perceivable, b: Perceivable, radiusPx: number): boolean {
  return a.sceneId === b.sceneId && a.area === b.area && withinRadius(a.x, a.y, b.x, b.y, radiusPx);
}

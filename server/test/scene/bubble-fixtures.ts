import { expect } from 'vitest';
import { loadMap, SceneWorld } from '../../src/scene/index';
import { SETTLE_MS } from '../../src/scene/world';
import { area, objects, wa } from './fixtures';

/**
 * 16 × 8 tiles of 32 px (512 × 256). West room x 0–256; East room x 256–512, y 0–128; a meeting
 * room "Meet" (meeting "standup") x 256–512, y 128–256; a silent corner "Quiet" x 0–64, y 192–256.
 * Conversation distance 64 px and bubble radius 48 px (the map defaults).
 */
export const bubbleMap = loadMap(
  wa(
    Array.from({ length: 8 }, (_, i) => (i === 0 ? `S${'.'.repeat(15)}` : '.'.repeat(16))),
    {
      layers: [
        objects(
          area(1, 'West', [0, 0, 256, 256]),
          area(2, 'East', [256, 0, 256, 128]),
          area(3, 'Meet', [256, 128, 256, 128], { meeting: 'standup' }),
          area(4, 'Quiet', [0, 192, 64, 64], { silent: true }),
        ),
      ],
    },
  ),
  'bubbles',
);

/** A world with a clock: `put` walks a user to a point in legal steps; `settle` runs two passes. */
export function bubbleWorld(cap = 4) {
  const w = new SceneWorld(bubbleMap, { bubbleCap: cap });
  let now = 0;
  const put = (id: number, x: number, y: number) => {
    if (!w.has(id)) expect(w.join(id, `u${id}`).ok).toBe(true);
    for (;;) {
      const at = w.get(id)!;
      const dx = x - at.x;
      const dy = y - at.y;
      const d = Math.hypot(dx, dy);
      if (d === 0) return;
      const k = Math.min(1, 60 / d);
      now += 10_000;
      const r = w.move(id, at.x + dx * k, at.y + dy * k, now);
      if (!r.ok) throw new Error(`move of ${id} refused: ${r.reason}`);
    }
  };
  /** Time passes with nobody moving: everyone who arrived or moved has stopped. */
  const settle = () => {
    now += SETTLE_MS;
    w.settleIdle(now);
  };
  /** A settle pass right after the last move: the last mover is still walking. */
  const settleNow = () => w.settleIdle(now);
  const bubbleOf = (id: number) =>
    w
      .bubbleOf(id)
      ?.members.slice()
      .sort((a, b) => a - b) ?? null;
  return { w, put, settle, settleNow, bubbleOf };
}

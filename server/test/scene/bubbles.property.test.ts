import { zoneAt } from '@imw/shared';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { bubbleMap, bubbleWorld } from './bubble-fixtures';

type Op =
  | { kind: 'put'; id: number; x: number; y: number }
  | { kind: 'settle' }
  | { kind: 'dnd'; id: number; on: boolean }
  | { kind: 'lock'; id: number; on: boolean }
  | { kind: 'join'; id: number; other: number }
  | { kind: 'leave'; id: number };

const ID = fc.integer({ min: 1, max: 7 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('put'),
      id: ID,
      x: fc.integer({ min: 1, max: 511 }),
      y: fc.integer({ min: 1, max: 255 }),
    }),
  },
  // Small steps keep players close, so that bubbles form often.
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('put'),
      id: ID,
      x: fc.integer({ min: 90, max: 170 }),
      y: fc.integer({ min: 60, max: 140 }),
    }),
  },
  { weight: 5, arbitrary: fc.constant({ kind: 'settle' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dnd'), id: ID, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lock'), id: ID, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('join'), id: ID, other: ID }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave'), id: ID }) },
) as fc.Arbitrary<Op>;

/**
 * R-BUB-1: whatever players do, every bubble satisfies the rules after every step: 2..cap members
 * (1..cap for a meeting), each member eligible (not silent, not do-not-disturb), a proximity
 * bubble's members in its sub-area, outside meeting areas and within the radius of its centre, a
 * meeting's members inside that meeting's area; nobody in two bubbles.
 */
test('R-BUB-1: bubble membership always satisfies the distance and area rules', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 2, max: 4 }), (ops, cap) => {
      const { w, put, settle } = bubbleWorld(cap);
      const dnd = new Set<number>();
      for (const o of ops) {
        switch (o.kind) {
          case 'put':
            put(o.id, o.x, o.y);
            break;
          case 'settle':
            settle();
            break;
          case 'dnd':
            if (w.setDnd(o.id, o.on)) {
              if (o.on) dnd.add(o.id);
              else dnd.delete(o.id);
            }
            break;
          case 'lock':
            w.lockBubble(o.id, o.on);
            break;
          case 'join': {
            const b = w.bubbleOf(o.other);
            if (b) w.joinBubble(o.id, b.bubbleId);
            break;
          }
          case 'leave':
            w.leave(o.id);
            dnd.delete(o.id);
            break;
        }
        const seen = new Set<number>();
        for (const b of w.allBubbles()) {
          expect(b.members.length).toBeLessThanOrEqual(cap);
          expect(b.members.length).toBeGreaterThanOrEqual(b.meeting === null ? 2 : 1);
          for (const id of b.members) {
            expect(seen.has(id)).toBe(false);
            seen.add(id);
            expect(w.bubbleOf(id)?.bubbleId).toBe(b.bubbleId);
            const me = w.get(id)!;
            const zone = zoneAt(bubbleMap.areas, me.x, me.y);
            expect(zone.silent).toBe(false);
            expect(dnd.has(id)).toBe(false);
            if (b.meeting === null) {
              expect(zone.meeting).toBeNull();
              expect(me.area).toBe(b.area);
              expect(Math.hypot(me.x - b.centre.x, me.y - b.centre.y)).toBeLessThanOrEqual(
                bubbleMap.bubbleRadiusPx + 1e-9,
              );
            } else {
              expect(zone.meeting).toBe(b.meeting);
            }
          }
        }
        for (let id = 1; id <= 7; id++) if (!seen.has(id)) expect(w.bubbleOf(id)).toBeNull();
      }
    }),
    { numRuns: 300 },
  );
});

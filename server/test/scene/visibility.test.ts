import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { areaAt, canPerceive, type Perceivable } from '../../src/scene/index';
import { makeMap, open } from './fixtures';

// Two rooms side by side sharing the edge x = 160 (no walls: sub-areas alone must separate).
const map = makeMap({
  rows: open(12, 6),
  areas: [
    { name: 'Cafe', rect: [64, 64, 96, 96] },
    { name: 'Library', rect: [160, 64, 96, 96] },
  ],
});
const at = (x: number, y: number, sceneId = 'test'): Perceivable => ({
  sceneId,
  x,
  y,
  area: areaAt(map, x, y),
});

describe('R-SCN-7: perception needs the same scene, distance <= radius, and the same sub-area', () => {
  test('both outside, close: yes', () => {
    expect(canPerceive(at(10, 10), at(20, 10), 100)).toBe(true);
  });

  test('one inside a room, the other just outside its edge (2 px apart): no, either way round', () => {
    const inside = at(64, 100);
    const outside = at(62, 100);
    expect(inside.area).toBe('Cafe');
    expect(outside.area).toBe(null);
    expect(canPerceive(inside, outside, 100)).toBe(false);
    expect(canPerceive(outside, inside, 100)).toBe(false);
  });

  test('same room: yes within the radius, no beyond it', () => {
    expect(canPerceive(at(70, 70), at(150, 150), 200)).toBe(true);
    expect(canPerceive(at(70, 70), at(150, 150), 100)).toBe(false);
  });

  test('two adjacent rooms, 1 px apart across the shared edge: no', () => {
    const cafe = at(159.5, 100);
    const library = at(160.5, 100);
    expect([cafe.area, library.area]).toEqual(['Cafe', 'Library']);
    expect(canPerceive(cafe, library, 100)).toBe(false);
  });

  test('different scenes at the same spot: no', () => {
    expect(canPerceive(at(10, 10, 'plaza'), at(10, 10, 'park'), 100)).toBe(false);
  });

  test('exactly on the radius: yes; just beyond: no', () => {
    expect(canPerceive(at(10, 10), at(10, 110), 100)).toBe(true);
    expect(canPerceive(at(10, 10), at(10, 110.001), 100)).toBe(false);
  });

  test('property: the rule is symmetric', () => {
    const point = fc.record({
      x: fc.integer({ min: 0, max: map.widthPx - 1 }),
      y: fc.integer({ min: 0, max: map.heightPx - 1 }),
    });
    fc.assert(
      fc.property(point, point, fc.integer({ min: 0, max: 300 }), (a, b, radiusPx) => {
        expect(canPerceive(at(a.x, a.y), at(b.x, b.y), radiusPx)).toBe(
          canPerceive(at(b.x, b.y), at(a.x, a.y), radiusPx),
        );
      }),
      { numRuns: 200 },
    );
  });
});

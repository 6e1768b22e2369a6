import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  areaAt,
  isBlocked,
  type Polygon,
  pointInPolygon,
  pointInRect,
  segmentBlocked,
  withinRadius,
} from '../../src/scene/index';
import { makeMap, open } from './fixtures';

const polygon = (points: Array<[number, number]>): Polygon => {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return {
    points: points.map(([px, py]) => ({ x: px, y: py })),
    bounds: { x, y, widthPx: Math.max(...xs) - x, heightPx: Math.max(...ys) - y },
  };
};

describe('R-SCN-3: within radius means distance <= radius', () => {
  test.each([
    ['exactly on the radius, along an axis', 320, 0, true],
    ['exactly on the radius, 3-4-5 diagonal', 192, 256, true],
    ['one pixel in', 319, 0, true],
    ['one pixel out', 321, 0, false],
    ['one pixel out, diagonal', 193, 256, false],
  ])('%s', (_name, dx, dy, inside) => {
    expect(withinRadius(100, 100, 100 + dx, 100 + dy, 320)).toBe(inside);
    expect(withinRadius(100 + dx, 100 + dy, 100, 100, 320)).toBe(inside);
  });
});

describe('R-SCN-4: shapes are half-open, so shapes sharing an edge never share a point', () => {
  const rect = { x: 10, y: 20, widthPx: 30, heightPx: 40 };

  test.each([
    [10, 20, true, 'top-left corner'],
    [39.999, 59.999, true, 'just inside bottom-right'],
    [40, 30, false, 'right edge'],
    [20, 60, false, 'bottom edge'],
    [9.999, 30, false, 'just left of the left edge'],
  ])('rect (%d, %d) inside = %s (%s)', (x, y, inside) => {
    expect(pointInRect(x, y, rect)).toBe(inside);
  });

  test('a polygon drawn as a rectangle contains exactly what the rectangle contains', () => {
    const asPolygon = polygon([
      [10, 20],
      [40, 20],
      [40, 60],
      [10, 60],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 80 }), (x, y) => {
        expect(pointInPolygon(x, y, asPolygon)).toBe(pointInRect(x, y, rect));
      }),
      { numRuns: 200 },
    );
  });

  test('two polygons sharing a slanted edge: every point on it belongs to exactly one', () => {
    // A square cut along its diagonal from (0, 0) to (64, 64).
    const upper = polygon([
      [0, 0],
      [64, 0],
      [64, 64],
    ]);
    const lower = polygon([
      [0, 0],
      [64, 64],
      [0, 64],
    ]);
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 63.999, noNaN: true }), (t) => {
        expect(Number(pointInPolygon(t, t, upper)) + Number(pointInPolygon(t, t, lower))).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  test('areaAt: two adjacent rooms split their shared edge; outside every room is null', () => {
    const map = makeMap({
      rows: open(6, 2),
      areas: [
        { name: 'West', rect: [0, 0, 96, 64] },
        {
          name: 'East',
          polygon: [
            [96, 0],
            [192, 0],
            [192, 64],
            [96, 64],
          ],
        },
      ],
    });
    expect(areaAt(map, 95.5, 10)).toBe('West');
    expect(areaAt(map, 96, 10)).toBe('East');
    expect(areaAt(map, 191.9, 63.9)).toBe('East');
    const empty = makeMap({ rows: open(2, 2) });
    expect(areaAt(empty, 10, 10)).toBe(null);
  });
});

describe('R-SCN-5: the avatar is a point; wall tiles and everything outside the map are blocked', () => {
  const map = makeMap({ rows: ['..#', '...'], spawns: [{ name: 'default', x: 5, y: 5 }] });

  test.each([
    [0, 0, false, 'top-left corner of the map'],
    [63.999, 10, false, 'last pixel before the wall tile'],
    [64, 10, true, 'first pixel of the wall tile'],
    [95.999, 63.999, false, 'bottom-right corner, inside'],
    [96, 40, true, 'x = width'],
    [40, 64, true, 'y = height'],
    [-0.001, 10, true, 'left of the map'],
    [Number.NaN, 10, true, 'NaN'],
    [Number.POSITIVE_INFINITY, 10, true, 'Infinity'],
  ])('(%d, %d) blocked = %s (%s)', (x, y, blocked) => {
    expect(isBlocked(map, x, y)).toBe(blocked);
  });
});

describe('R-SCN-6: a move cannot pass through a wall', () => {
  // Tile size 16: a 1-tile wall is thinner than many moves, the case a naive check misses.
  const map = makeMap({
    tileSizePx: 16,
    rows: ['....#....', '....#....', '.........', '..#......', '...#.....', '.........'],
    spawns: [{ name: 'default', x: 8, y: 8 }],
  });

  test('straight across a one-tile wall is blocked; around it is not', () => {
    expect(segmentBlocked(map, 60, 8, 90, 8)).toBe(true);
    expect(segmentBlocked(map, 60, 40, 90, 40)).toBe(false);
  });

  test('clipping the corner of a wall tile is blocked', () => {
    // Both ends are free; the line cuts the bottom-left corner of wall tile (4, 1) for ~3 px.
    expect(isBlocked(map, 60, 26) || isBlocked(map, 72, 38)).toBe(false);
    expect(segmentBlocked(map, 60, 26, 72, 38)).toBe(true);
    // The same line shifted 4 px down passes below the corner.
    expect(segmentBlocked(map, 60, 30, 72, 42)).toBe(false);
  });

  test('squeezing diagonally between two walls that touch at a corner is blocked', () => {
    // Walls at tiles (2, 3) and (3, 4) meet at (48, 64); the path (40, 72) -> (56, 56) crosses it.
    expect(segmentBlocked(map, 40, 72, 56, 56)).toBe(true);
  });

  test('a move ending outside the map is blocked', () => {
    expect(segmentBlocked(map, 8, 8, -1, 8)).toBe(true);
  });

  test('property: when a segment is clear, no point along it is blocked (dense sampling)', () => {
    const coord = (maxPx: number) => fc.double({ min: 0, max: maxPx - 1e-6, noNaN: true });
    fc.assert(
      fc.property(
        coord(map.widthPx),
        coord(map.heightPx),
        coord(map.widthPx),
        coord(map.heightPx),
        (x0, y0, x1, y1) => {
          if (segmentBlocked(map, x0, y0, x1, y1)) return;
          const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 4);
          for (let i = 0; i <= steps; i++) {
            const t = steps === 0 ? 0 : i / steps;
            expect(isBlocked(map, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test('property: a straight move inside one free tile is never blocked', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 15.99, noNaN: true }),
        fc.double({ min: 0, max: 15.99, noNaN: true }),
        (a, b) => {
          expect(segmentBlocked(map, a, b, b, a)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

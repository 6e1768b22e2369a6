import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type GridItem, SpatialGrid } from '../../src/scene/index';

class Item implements GridItem {
  gridCell = -1;
  gridSlot = -1;
  constructor(
    readonly id: number,
    public x: number,
    public y: number,
  ) {}
}

type Op =
  | { t: 'insert'; id: number; x: number; y: number }
  | { t: 'move'; id: number; x: number; y: number }
  | { t: 'remove'; id: number }
  | { t: 'query'; x: number; y: number; radiusPx: number };

const W = 200;
const H = 120;
const coord = (max: number) => fc.integer({ min: 0, max: max - 1 });
const id = fc.nat(11);
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('insert' as const), id, x: coord(W), y: coord(H) }),
  fc.record({ t: fc.constant('move' as const), id, x: coord(W), y: coord(H) }),
  fc.record({ t: fc.constant('remove' as const), id }),
  fc.record({
    t: fc.constant('query' as const),
    x: coord(W),
    y: coord(H),
    radiusPx: fc.integer({ min: 0, max: 120 }),
  }),
);

describe('R-SCN-17: the spatial grid answers radius queries exactly as a scan of every item would', () => {
  test('property: random inserts, moves, removes and queries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 7, max: 64 }),
        fc.array(arbOp, { maxLength: 80, size: 'max' }),
        (cellPx, ops) => {
          const grid = new SpatialGrid<Item>(W, H, cellPx);
          const items = new Map<number, Item>();
          const out: Item[] = [];
          for (const op of ops) {
            const item = items.get(op.t === 'query' ? -1 : op.id);
            if (op.t === 'insert' && !item) {
              const added = new Item(op.id, op.x, op.y);
              items.set(op.id, added);
              grid.insert(added);
            } else if (op.t === 'move' && item) {
              item.x = op.x;
              item.y = op.y;
              grid.update(item);
            } else if (op.t === 'remove' && item) {
              grid.remove(item);
              items.delete(op.id);
            } else if (op.t === 'query') {
              const expected = [...items.values()]
                .filter((i) => (i.x - op.x) ** 2 + (i.y - op.y) ** 2 <= op.radiusPx ** 2)
                .map((i) => i.id)
                .sort((a, b) => a - b);
              const got = grid.queryRadius(op.x, op.y, op.radiusPx, out).map((i) => i.id);
              expect(got.sort((a, b) => a - b)).toEqual(expected);
            }
            expect(grid.size).toBe(items.size);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('inserting an item twice is a bug and throws; removing twice is harmless', () => {
    const grid = new SpatialGrid<Item>(100, 100, 10);
    const item = new Item(1, 5, 5);
    grid.insert(item);
    expect(() => grid.insert(item)).toThrow(/already/);
    grid.remove(item);
    grid.remove(item);
    expect(grid.size).toBe(0);
  });
});

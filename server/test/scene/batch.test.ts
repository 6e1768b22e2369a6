import { describe, expect, test } from 'vitest';
import {
  type ActResult,
  type MoveResult,
  SceneWorld,
  ViewBatcher,
  type ViewEvent,
} from '../../src/scene/index';
import { makeMap, open } from './fixtures';

const map = makeMap({ rows: open(20, 4), viewRadiusPx: 100, maxSpeedPxPerSec: 1e6 });

/** Ann (1) and Bob (2) side by side at the default spawn (16, 16). */
function setup() {
  const world = new SceneWorld(map);
  const batcher = new ViewBatcher((id) => world.get(id));
  world.join(1, 'Ann');
  world.join(2, 'Bob');
  let nowMs = 0;
  return { world, batcher, now: () => (nowMs += 1000) };
}
const events = (r: MoveResult | ActResult): ViewEvent[] => (r.ok ? r.events : []);

describe('R-SCN-20: scene.view batches carry the net change per tick, one batch per recipient', () => {
  test('three moves in a tick: one move with the last position', () => {
    const { world, batcher, now } = setup();
    for (const x of [20, 30, 40]) batcher.add(events(world.move(1, x, 16, now())));
    expect(batcher.flush()).toEqual([
      [2, { enters: [], moves: [{ id: 1, x: 40, y: 16, facing: 'right' }], leaves: [], actions: [] }],
    ]);
    expect(batcher.flush()).toEqual([]);
  });

  test('out of view and back within a tick: one enter; in and out again: nothing', () => {
    const { world, batcher, now } = setup();
    batcher.add(events(world.move(1, 300, 16, now())));
    batcher.add(events(world.move(1, 50, 16, now())));
    const views = new Map(batcher.flush());
    expect(views.get(2)?.enters).toMatchObject([{ id: 1, x: 50 }]);
    expect(views.get(2)?.leaves).toEqual([]);
    // Ann goes far away; then, within one tick, comes into Bob's view and leaves it again.
    batcher.add(events(world.move(1, 400, 16, now())));
    batcher.flush();
    batcher.add(events(world.move(1, 60, 16, now())));
    batcher.add(events(world.move(1, 400, 16, now())));
    expect(batcher.flush()).toEqual([]);
  });

  test('an action then a move: the move wins, the action is over', () => {
    const { world, batcher, now } = setup();
    batcher.add(events(world.act(1, 'dance')));
    batcher.add(events(world.move(1, 20, 16, now())));
    expect(batcher.flush()).toEqual([
      [2, { enters: [], moves: [{ id: 1, x: 20, y: 16, facing: 'right' }], leaves: [], actions: [] }],
    ]);
    batcher.add(events(world.act(1, 'wave')));
    expect(batcher.flush()).toEqual([
      [2, { enters: [], moves: [], leaves: [], actions: [{ id: 1, action: 'wave' }] }],
    ]);
  });

  test('forget drops what was queued for a recipient that is gone', () => {
    const { world, batcher, now } = setup();
    batcher.add(events(world.move(1, 20, 16, now())));
    batcher.add(world.leave(2));
    batcher.forget(2);
    expect(batcher.flush()).toEqual([[1, { enters: [], moves: [], leaves: [2], actions: [] }]]);
  });
});

describe('R-LIM-15: a held recipient keeps its changes, merged, until a later flush', () => {
  test('held over several ticks: one batch with the net change; others are not held', () => {
    const { world, batcher, now } = setup();
    world.join(3, 'Cy');
    batcher.flush();
    const held = new Set([2]);
    // Ann walks; Bob (held) gets nothing, Cy gets every tick.
    for (const x of [20, 30, 40]) {
      batcher.add(events(world.move(1, x, 16, now())));
      const out = new Map(batcher.flush((to) => held.has(to)));
      expect(out.has(2)).toBe(false);
      expect(out.get(3)?.moves).toEqual([{ id: 1, x, y: 16, facing: 'right' }]);
    }
    // Ann leaves Bob's view and comes back while he is held: the view stays exact.
    batcher.add(events(world.move(1, 400, 16, now())));
    batcher.flush((to) => held.has(to));
    batcher.add(events(world.move(1, 50, 16, now())));
    batcher.flush((to) => held.has(to));
    held.clear();
    const late = new Map(batcher.flush((to) => held.has(to)));
    // Bob saw Ann at 16 before; now one enter at 50 (she left and re-entered), no stale moves.
    expect(late.get(2)).toMatchObject({ enters: [{ id: 1, x: 50 }], moves: [], leaves: [] });
    expect(batcher.flush()).toEqual([]);
  });
});

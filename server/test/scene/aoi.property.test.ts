import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  canPerceive,
  type EnterInfo,
  type SceneMap,
  SceneWorld,
  ViewBatcher,
  type ViewEvent,
} from '../../src/scene/index';
import { SCENE_ACTIONS } from '../../src/scene/shared';
import { type MapSpec, makeMap } from './fixtures';

/** What one client believes about the others in its view. */
type ClientView = Map<number, { -readonly [K in keyof EnterInfo]: EnterInfo[K] }>;
type Clients = Map<number, ClientView>;

const USERS = [1, 2, 3, 4, 5];

const arbMapSpec: fc.Arbitrary<MapSpec> = fc
  .record({
    w: fc.integer({ min: 3, max: 9 }),
    h: fc.integer({ min: 2, max: 7 }),
    size: fc.constantFrom(8, 16),
  })
  .chain(({ w, h, size }) =>
    fc.record({
      rows: fc.array(fc.array(fc.nat(5), { minLength: w, maxLength: w }), { minLength: h, maxLength: h }),
      spawnPicks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      rect: fc.option(fc.tuple(fc.nat(w * size), fc.nat(h * size), fc.nat(w * size), fc.nat(h * size))),
      triangle: fc.option(fc.tuple(fc.nat(w * size), fc.nat(h * size))),
      viewRadiusPx: fc.integer({ min: 1, max: w * size }),
      hearingRadiusPx: fc.integer({ min: 1, max: w * size }),
      size: fc.constant(size),
    }),
  )
  .map(({ rows, spawnPicks, rect, triangle, viewRadiusPx, hearingRadiusPx, size }) => {
    // One wall in six; tile (0, 0) is always free so that there is somewhere to spawn.
    const ascii = rows.map((r, y) => r.map((n, x) => (n === 0 && x + y > 0 ? '#' : '.')).join(''));
    const w = ascii[0]!.length;
    const free: Array<{ x: number; y: number }> = [];
    ascii.forEach((r, y) => {
      [...r].forEach((c, x) => {
        if (c === '.') free.push({ x: x * size + size / 2, y: y * size + size / 2 });
      });
    });
    const spawns = [...new Set(spawnPicks.map((i) => i % free.length))].map((i, n) => ({
      name: n === 0 ? 'default' : `s${n}`,
      ...free[i]!,
    }));
    // A rectangle in the left half and a triangle in the right half: sub-areas never overlap.
    const split = Math.floor(w / 2) * size;
    const areas: NonNullable<MapSpec['areas']>[number][] = [];
    if (rect && split > 0) {
      const x = rect[0] % split;
      areas.push({ name: 'Rect', rect: [x, rect[1], 1 + (rect[2] % (split - x)), 1 + rect[3]] });
    }
    if (triangle) {
      const right = w * size;
      const apexX = split + (triangle[0] % (right - split + 1));
      const apexY = triangle[1] % (rows.length * size);
      areas.push({
        name: 'Tri',
        polygon: [
          [split, rows.length * size],
          [apexX, apexY],
          [right, rows.length * size],
        ],
      });
    }
    return {
      rows: ascii,
      tileSizePx: size,
      spawns,
      areas,
      viewRadiusPx,
      hearingRadiusPx,
      maxSpeedPxPerSec: 1e6,
    };
  });

type Op =
  | { t: 'join'; user: number; spawn: number }
  | { t: 'moveTo'; user: number; x: number; y: number }
  | { t: 'step'; user: number; dx: number; dy: number }
  /** To exactly (or 1 px off) the view radius from another user, along an axis. */
  | { t: 'toRadius'; user: number; other: number; axis: number; offsetPx: number }
  /** To (or 1 px off) a corner of a sub-area: where the boundary conventions matter. */
  | { t: 'toArea'; user: number; pick: number; dx: number; dy: number }
  | { t: 'act'; user: number; action: number }
  | { t: 'leave'; user: number }
  | { t: 'tick' };

const user = fc.constantFrom(...USERS);
const offset = fc.constantFrom(-1, 0, 1);
const tag = <T extends Op['t']>(t: T) => fc.constant(t);
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ t: tag('join'), user, spawn: fc.nat(3) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      t: tag('step'),
      user,
      dx: fc.integer({ min: -24, max: 24 }),
      dy: fc.integer({ min: -24, max: 24 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: tag('moveTo'),
      user,
      x: fc.integer({ min: -4, max: 150 }),
      y: fc.integer({ min: -4, max: 115 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: tag('toRadius'), user, other: user, axis: fc.nat(3), offsetPx: offset }),
  },
  { weight: 2, arbitrary: fc.record({ t: tag('toArea'), user, pick: fc.nat(), dx: offset, dy: offset }) },
  { weight: 2, arbitrary: fc.record({ t: tag('act'), user, action: fc.nat(SCENE_ACTIONS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: tag('leave'), user }) },
  { weight: 2, arbitrary: fc.record({ t: tag('tick') }) },
);

/** Most users join first, so that the walk has people to see. */
const arbOps = fc
  .tuple(
    fc.subarray(USERS, { minLength: 3 }).map((us) => us.map((u): Op => ({ t: 'join', user: u, spawn: u }))),
    fc.array(arbOp, { minLength: 5, maxLength: 40, size: 'max' }),
  )
  .map(([joins, rest]) => [...joins, ...rest]);

/** Apply one event exactly as a client would, insisting that it makes sense in the client's state. */
function applyEvent(clients: Clients, e: ViewEvent): void {
  const view = clients.get(e.to);
  expect(view, `event for ${e.to}, who is not in the scene`).toBeDefined();
  if (e.kind === 'enter') {
    expect(view!.has(e.other.id), `enter of ${e.other.id} already in view of ${e.to}`).toBe(false);
    view!.set(e.other.id, { ...e.other });
    return;
  }
  const rec = view!.get(e.id);
  expect(rec, `${e.kind} of ${e.id}, not in view of ${e.to}`).toBeDefined();
  if (e.kind === 'leave') view!.delete(e.id);
  else if (e.kind === 'move') Object.assign(rec!, { x: e.x, y: e.y, facing: e.facing, action: null });
  else rec!.action = e.action;
}

/** Apply a scene.view batch: leaves, then enters (which replace), then moves, then actions. */
function applyBatch(clients: Clients, to: number, batch: ReturnType<ViewBatcher['flush']>[number][1]): void {
  const view = clients.get(to)!;
  for (const id of batch.leaves) expect(view.delete(id), `batch leave of unknown ${id}`).toBe(true);
  for (const e of batch.enters) view.set(e.id, { ...e });
  for (const m of batch.moves) {
    expect(view.has(m.id), `batch move of unknown ${m.id}`).toBe(true);
    Object.assign(view.get(m.id)!, { x: m.x, y: m.y, facing: m.facing, action: null });
  }
  for (const a of batch.actions) view.get(a.id)!.action = a.action;
}

/** The brute-force truth: every client's view holds exactly who canPerceive says, as they are now. */
function expectViewsExact(world: SceneWorld, map: SceneMap, clients: Clients): void {
  const joined = USERS.filter((u) => world.has(u));
  expect([...clients.keys()].sort()).toEqual(joined);
  const perceivable = (u: number) => ({ sceneId: map.id, ...world.get(u)! });
  for (const a of joined) {
    const seen = joined.filter(
      (b) => b !== a && canPerceive(perceivable(a), perceivable(b), map.viewRadiusPx),
    );
    const heard = joined.filter(
      (b) => b !== a && canPerceive(perceivable(a), perceivable(b), map.hearingRadiusPx),
    );
    expect([...clients.get(a)!.keys()].sort(), `view of ${a}`).toEqual(seen);
    for (const b of seen) expect(clients.get(a)!.get(b), `${a}'s record of ${b}`).toEqual(world.get(b));
    expect(world.actionRecipients(a).sort()).toEqual(seen);
    expect(world.chatRecipients(a).sort()).toEqual(heard);
  }
}

const AXES = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

function target(map: SceneMap, world: SceneWorld, op: Op, me: EnterInfo | undefined): [number, number] {
  const x = me?.x ?? 0;
  const y = me?.y ?? 0;
  switch (op.t) {
    case 'moveTo':
      return [op.x, op.y];
    case 'step':
      return [x + op.dx, y + op.dy];
    case 'toRadius': {
      const other = world.get(op.other) ?? { x, y };
      const [ax, ay] = AXES[op.axis]!;
      const r = map.viewRadiusPx + op.offsetPx;
      return [other.x + ax * r, other.y + ay * r];
    }
    case 'toArea': {
      const corners = map.areas.flatMap((a) =>
        a.shape.kind === 'polygon'
          ? a.shape.points
          : [
              { x: a.shape.x, y: a.shape.y },
              { x: a.shape.x + a.shape.widthPx, y: a.shape.y + a.shape.heightPx },
            ],
      );
      const c = corners[op.pick % Math.max(1, corners.length)] ?? { x, y };
      return [c.x + op.dx, c.y + op.dy];
    }
    default:
      throw new Error(`not a move: ${op.t}`);
  }
}

function run(spec: MapSpec, ops: Op[]): void {
  const map = makeMap(spec);
  const world = new SceneWorld(map);
  const eventwise: Clients = new Map();
  const batched: Clients = new Map();
  const batcher = new ViewBatcher((id) => world.get(id));
  let nowMs = 0;
  const deliver = (events: ViewEvent[]) => {
    for (const e of events) applyEvent(eventwise, e);
    batcher.add(events);
  };
  const flush = () => {
    for (const [to, batch] of batcher.flush()) applyBatch(batched, to, batch);
    expectViewsExact(world, map, batched);
  };
  for (const op of ops) {
    nowMs += 100;
    if (op.t === 'tick') {
      flush();
      continue;
    }
    if (op.t === 'join') {
      const r = world.join(op.user, `user ${op.user}`, map.spawns[op.spawn % map.spawns.length]!.name);
      if (r.ok) {
        eventwise.set(op.user, new Map());
        batched.set(op.user, new Map());
        deliver(r.events);
      }
    } else if (op.t === 'leave') {
      deliver(world.leave(op.user));
      eventwise.delete(op.user);
      batched.delete(op.user);
      batcher.forget(op.user);
    } else if (op.t === 'act') {
      const r = world.act(op.user, SCENE_ACTIONS[op.action]!);
      if (r.ok) deliver(r.events);
    } else {
      const me = world.get(op.user);
      const [x, y] = target(map, world, op, me);
      const r = world.move(op.user, x, y, nowMs);
      if (r.ok) deliver(r.events);
      else if (me) expect(r.correction).toEqual({ x: me.x, y: me.y });
    }
    expectViewsExact(world, map, eventwise);
  }
  flush();
}

describe('R-SCN-16: each client’s view, built only from the events it receives, is exactly who it can perceive', () => {
  test('property: random maps, sub-areas, radii and walks (event by event, and in per-tick batches)', () => {
    fc.assert(
      fc.property(arbMapSpec, arbOps, (spec, ops) => run(spec, ops)),
      { numRuns: 150 },
    );
  });
});

import { describe, expect, test } from 'vitest';
import { SceneWorld, type ViewEvent } from '../../src/scene/index';
import { makeMap } from './fixtures';

// 10×6 tiles of 32 px. A two-tile wall at x = 128..160, y = 64..128; a room in the top-right
// corner; a portal on the bottom-left tile.
const map = makeMap({
  rows: ['..........', '..........', '....#.....', '....#.....', '..........', '..........'],
  spawns: [
    { name: 'default', x: 48, y: 48 },
    { name: 'east', x: 176, y: 112 },
    { name: 'room', x: 272, y: 48 },
  ],
  areas: [{ name: 'Room', rect: [224, 0, 96, 96] }],
  portals: [{ name: 'to park', rect: [0, 160, 32, 32], targetScene: 'park', targetSpawn: 'x' }],
  viewRadiusPx: 100,
  hearingRadiusPx: 50,
  maxSpeedPxPerSec: 200,
});

/** A world where speed never gets in the way (for tests about something else). */
const relaxed = () => new SceneWorld(map, { maxBankedMs: 1e9 });
const sorted = (events: ViewEvent[]) =>
  [...events].sort((a, b) => a.to - b.to || a.kind.localeCompare(b.kind));

describe('R-SCN-8: join places the user at a spawn and introduces it to everyone in view, both ways', () => {
  test('default spawn, named spawn, unknown spawn, twice', () => {
    const w = relaxed();
    const one = w.join(1, 'Ann');
    expect(one).toEqual({ ok: true, self: { x: 48, y: 48, facing: 'down', area: null }, events: [] });
    const two = w.join(2, 'Bob');
    expect(two.ok && sorted(two.events)).toEqual([
      {
        kind: 'enter',
        to: 1,
        other: { id: 2, displayName: 'Bob', x: 48, y: 48, facing: 'down', area: null, action: null },
      },
      {
        kind: 'enter',
        to: 2,
        other: { id: 1, displayName: 'Ann', x: 48, y: 48, facing: 'down', area: null, action: null },
      },
    ]);
    const three = w.join(3, 'Cy', 'room');
    expect(three.ok && three.self.area).toBe('Room');
    expect(three.ok && three.events).toEqual([]);
    expect(w.join(4, 'Di', 'nowhere')).toEqual({ ok: false, reason: 'unknownSpawn' });
    expect(w.join(1, 'Ann')).toEqual({ ok: false, reason: 'alreadyJoined' });
    expect(w.size).toBe(3);
  });
});

describe('R-SCN-9: a move is refused, with a correction, unless valid', () => {
  const rejected = (w: SceneWorld, x: number, y: number, nowMs: number) => w.move(1, x, y, nowMs);

  test.each([
    ['NaN', Number.NaN, 48, 'notFinite'],
    ['Infinity', Number.POSITIVE_INFINITY, 48, 'notFinite'],
    ['-Infinity', 48, Number.NEGATIVE_INFINITY, 'notFinite'],
    ['left of the map', -1, 48, 'outsideMap'],
    ['x = map width', 320, 48, 'outsideMap'],
    ['y = map height', 48, 192, 'outsideMap'],
    ['into a wall', 140, 80, 'wall'],
  ])('%s', (_name, x, y, reason) => {
    const w = relaxed();
    w.join(1, 'Ann');
    w.join(2, 'Bob');
    expect(rejected(w, x, y, 1000)).toEqual({ ok: false, reason, correction: { x: 48, y: 48 } });
    expect(w.get(1)).toMatchObject({ x: 48, y: 48 });
  });

  test('through a wall: refused even though both ends are free', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    expect(w.move(1, 112, 80, 1000).ok).toBe(true);
    expect(w.move(1, 176, 80, 2000)).toEqual({
      ok: false,
      reason: 'throughWall',
      correction: { x: 112, y: 80 },
    });
    expect(w.move(1, 112, 150, 3000).ok).toBe(true);
    expect(w.move(1, 176, 150, 4000).ok).toBe(true);
  });

  test('not in the scene: refused without a correction', () => {
    expect(relaxed().move(9, 50, 50, 0)).toEqual({ ok: false, reason: 'notJoined', correction: null });
  });

  test('speed: the budget refills at maxSpeed × 1.1 and banks at most 500 ms of it', () => {
    const w = new SceneWorld(map); // 200 px/s, 10 % tolerance, 500 ms bank = 100 px
    w.join(1, 'Ann');
    // The bucket starts full: 100 px at once is fine, then nothing is left.
    expect(w.move(1, 148, 48, 0).ok).toBe(true);
    expect(w.move(1, 149, 48, 0)).toMatchObject({
      ok: false,
      reason: 'tooFast',
      correction: { x: 148, y: 48 },
    });
    // 100 ms later: 200 × 1.1 × 0.1 = 22 px.
    expect(w.move(1, 170, 48, 100).ok).toBe(true);
    expect(w.move(1, 170.5, 48, 100).ok).toBe(false);
    // A minute standing still banks only 100 px.
    expect(w.move(1, 271, 48, 60_100)).toMatchObject({ ok: false, reason: 'tooFast' });
    expect(w.move(1, 270, 48, 60_100).ok).toBe(true);
  });

  test('speed: moves bunched by the network are accepted if the average speed is legal', () => {
    const w = new SceneWorld(map);
    w.join(1, 'Ann');
    w.move(1, 48, 48, 0);
    // The client sends 10 px every 50 ms (200 px/s); the server receives them in pairs.
    let x = 48;
    for (let tick = 1; tick <= 20; tick++) {
      const arrivalMs = Math.ceil(tick / 2) * 100;
      x += 10;
      expect(w.move(1, x, 48, arrivalMs).ok).toBe(true);
    }
  });

  test('speed: a clock that steps backwards refills nothing', () => {
    const w = new SceneWorld(map);
    w.join(1, 'Ann');
    expect(w.move(1, 148, 48, 10_000).ok).toBe(true);
    expect(w.move(1, 150, 48, 5_000).ok).toBe(false);
  });

  test('a refused move tells nobody anything and changes nothing', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    w.join(2, 'Bob');
    const before = w.get(1);
    expect(w.move(1, 140, 80, 1000).ok).toBe(false);
    expect(w.get(1)).toEqual(before);
    expect(w.viewOf(2).map((e) => e.id)).toEqual([1]);
  });
});

describe('R-SCN-10: facing follows the dominant axis of the last move', () => {
  test.each([
    [58, 48, 'right'],
    [38, 48, 'left'],
    [48, 38, 'up'],
    [48, 58, 'down'],
    [58, 58, 'right'],
    [40, 60, 'down'],
  ])('to (%d, %d): %s', (x, y, facing) => {
    const w = relaxed();
    w.join(1, 'Ann');
    expect(w.move(1, x, y, 1000)).toMatchObject({ ok: true, self: { facing } });
  });

  test('a move to the same spot keeps the facing and sends nothing', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    w.join(2, 'Bob');
    w.move(1, 40, 48, 1000);
    expect(w.move(1, 40, 48, 2000)).toMatchObject({ ok: true, self: { facing: 'left' }, events: [] });
  });
});

describe('R-SCN-11: moves and views are symmetric and follow the sub-area rule', () => {
  test('a move in view reaches the others; out of range, both sides get a leave; back, both an enter', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    w.join(2, 'Bob');
    const near = w.move(1, 60, 48, 1000);
    expect(near.ok && near.events).toEqual([{ kind: 'move', to: 2, id: 1, x: 60, y: 48, facing: 'right' }]);
    const far = w.move(1, 60, 176, 2000); // 128 px from Bob: out of the 100 px view
    expect(far.ok && sorted(far.events)).toEqual([
      { kind: 'leave', to: 1, id: 2 },
      { kind: 'leave', to: 2, id: 1 },
    ]);
    const back = w.move(1, 48, 148, 3000); // exactly 100 px: in view again
    expect(back.ok && sorted(back.events).map((e) => [e.kind, e.to])).toEqual([
      ['enter', 1],
      ['enter', 2],
    ]);
  });

  test('stepping into a room swaps the outside view for the room view', () => {
    const w = relaxed();
    w.join(1, 'Ann', 'east'); // (176, 112), outside
    w.join(2, 'Bob', 'room'); // (272, 48), in Room, 113 px away
    w.join(3, 'Cy', 'east');
    expect(w.move(3, 200, 112, 1000).ok).toBe(true); // Cy next to Ann, outside
    const inRoom = w.move(1, 230, 80, 2000); // Ann steps into Room: 53 px from Bob, 44 px from Cy
    expect(inRoom.ok && inRoom.self.area).toBe('Room');
    expect(inRoom.ok && sorted(inRoom.events).map((e) => [e.kind, e.to])).toEqual([
      ['enter', 1],
      ['leave', 1],
      ['enter', 2],
      ['leave', 3],
    ]);
    expect(w.actionRecipients(1)).toEqual([2]);
  });
});

describe('R-SCN-12: actions come from the fixed list, go to the actor’s view only, and stop when it moves', () => {
  test('act', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    w.join(2, 'Bob');
    w.join(3, 'Cy', 'room');
    expect(w.act(1, 'dance')).toEqual({
      ok: true,
      events: [{ kind: 'action', to: 2, id: 1, action: 'dance' }],
    });
    expect(w.act(1, 'fly')).toEqual({ ok: false, reason: 'unknownAction' });
    expect(w.act(9, 'wave')).toEqual({ ok: false, reason: 'notJoined' });
    // A newcomer sees the action in its enter; after a move it is over.
    const four = w.join(4, 'Di');
    expect(
      four.ok && four.events.find((e) => e.to === 4 && e.kind === 'enter' && e.other.id === 1),
    ).toMatchObject({
      other: { action: 'dance' },
    });
    w.move(1, 50, 48, 1000);
    expect(w.get(1)?.action).toBe(null);
  });
});

describe('R-SCN-13: chat reaches the hearing radius, actions the view radius; same sub-area; never the sender', () => {
  test('recipients', () => {
    const w = relaxed();
    w.join(1, 'Ann', 'east'); // (176, 112)
    w.join(2, 'Bob', 'east');
    w.move(2, 176, 162, 1000); // 50 px: hears and sees
    w.join(3, 'Cy', 'east');
    w.move(3, 176, 50, 1000); // 62 px: sees, does not hear
    w.join(4, 'Di', 'room');
    w.move(4, 230, 94, 1000); // 57 px but inside Room: neither
    expect(w.chatRecipients(1)).toEqual([2]);
    expect(w.actionRecipients(1).sort()).toEqual([2, 3]);
    expect(w.chatRecipients(4)).toEqual([]);
    expect(w.chatRecipients(9)).toEqual([]);
  });
});

describe('R-SCN-14: stepping into a portal is reported once, with its target', () => {
  test('portal', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    expect(w.move(1, 16, 150, 1000)).toMatchObject({ ok: true, portal: null });
    expect(w.move(1, 16, 170, 2000)).toMatchObject({
      ok: true,
      portal: { targetScene: 'park', targetSpawn: 'x' },
    });
    expect(w.move(1, 20, 180, 3000)).toMatchObject({ ok: true, portal: null });
    w.move(1, 40, 180, 4000);
    expect(w.move(1, 20, 180, 5000)).toMatchObject({ ok: true, portal: { targetScene: 'park' } });
  });
});

describe('R-SCN-15: leave tells everyone who saw the user, once', () => {
  test('leave', () => {
    const w = relaxed();
    w.join(1, 'Ann');
    w.join(2, 'Bob');
    w.join(3, 'Cy', 'room');
    expect(w.leave(1)).toEqual([{ kind: 'leave', to: 2, id: 1 }]);
    expect(w.leave(1)).toEqual([]);
    expect(w.viewOf(2)).toEqual([]);
    expect(w.has(1)).toBe(false);
    expect(w.join(1, 'Ann').ok).toBe(true);
  });
});

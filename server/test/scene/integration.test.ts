import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode, type SceneEnter, type SceneJoined } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { areaAt, DEFAULT_SPEED_OPTIONS, isBlocked, loadMapsFromDir, type SceneMap } from '../../src/scene';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { loggedInUser, newClient, startTestServer, uniqueName } from '../support/server';

/**
 * Scenes end to end over real sockets, on the shipped maps (server/maps). Coordinates come from
 * the maps themselves (spawns, areas, portals, radii); where a test needs a free spot, the
 * comment names the tiles of plaza.tmj's collision layer it relies on (32 px tiles).
 */

const MAPS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../maps');
const SCENE_EVENTS = ['scene.view', 'scene.chat', 'scene.correction', 'scene.changed'] as const;

interface Point {
  x: number;
  y: number;
}

interface Player {
  client: ImClient;
  userId: number;
  displayName: string;
  log: EventLog;
  /** The server's idea of where the player is (join answers and accepted moves). */
  pos: Point;
  seq: number;
  /** The client's copy of its view, kept from join answers, scene.changed and scene.view. */
  view: Map<number, SceneEnter>;
  /** The first scene.changed (a scene-mode login's entry). */
  entry: SceneJoined | null;
}

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ImError ? e.code : String(e)),
  );
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
/** The x of the centre of tile column `tx` (the shipped maps have 32 px tiles). */
const column = (tx: number): number => tx * 32 + 16;

describe('scenes over real sockets', () => {
  let db: Database;
  let server: ImServer;
  let plaza: SceneMap;
  let park: SceneMap;
  /** The server's clock: walking advances it as far as the map's speed limit needs. */
  const clock = new ManualClock();
  /** Players made by the running test; logged out after it so the next test starts alone. */
  let made: ImClient[] = [];
  /** Two players in the park who see each other: their traffic proves a tick went by. */
  let witness: { a: Player; b: Player };

  beforeAll(async () => {
    const maps = await loadMapsFromDir(MAPS_DIR);
    plaza = maps.get('plaza')!;
    park = maps.get('park')!;
    db = await testDatabase('pglite');
    server = await startTestServer(
      db,
      {
        // The manual clock moves only when a test walks; keep the time-based limits out of the way.
        HEARTBEAT_TIMEOUT_MS: 3_600_000,
        PRE_LOGIN_DEADLINE_MS: 3_600_000,
        // A dropped socket ends its session at once (no resume grace): R-SCN-29 drops one.
        RESUME_GRACE_MS: 0,
      },
      clock,
    );
    witness = { a: await enterScene('wa', 'park'), b: await enterScene('wb', 'park') };
    made = [];
  });
  afterEach(async () => {
    await Promise.all(made.map((c) => c.logout().catch(() => undefined)));
    made = [];
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  function track(client: ImClient, p: Omit<Player, 'view' | 'seq' | 'entry' | 'log'>): Player {
    const player: Player = {
      ...p,
      log: new EventLog(client, SCENE_EVENTS),
      seq: 0,
      view: new Map(),
      entry: null,
    };
    client.on('scene.changed', (c) => {
      player.entry ??= c;
      snapshot(player, c);
    });
    client.on('scene.view', (v) => {
      for (const id of v.leaves) player.view.delete(id);
      for (const e of v.enters) player.view.set(e.id, e);
      for (const m of v.moves) {
        const e = player.view.get(m.id);
        if (e) player.view.set(m.id, { ...e, ...m, action: null });
      }
      for (const a of v.actions) {
        const e = player.view.get(a.id);
        if (e) player.view.set(a.id, { ...e, action: a.action });
      }
    });
    return player;
  }

  function snapshot(p: Player, j: SceneJoined): void {
    p.pos = { x: j.self.x, y: j.self.y };
    p.view = new Map(j.view.map((e) => [e.id, e]));
  }

  /** A fresh user logged in with mode 'scene' (entering `sceneId` at its default spawn). */
  async function enterScene(prefix: string, sceneId = 'plaza'): Promise<Player> {
    const username = uniqueName(prefix);
    const client = newClient(server);
    made.push(client);
    await client.connect();
    await client.register(username, `pw-${username}`);
    const p = track(client, { client, userId: 0, displayName: '', pos: { x: -1, y: -1 } });
    const profile = await client.login(username, `pw-${username}`, { mode: 'scene', sceneId });
    p.userId = profile.userId;
    p.displayName = profile.displayName;
    await p.log.wait('scene.changed');
    return p;
  }

  async function join(p: Player, sceneId: string, spawn?: string): Promise<SceneJoined> {
    const j = await p.client.request('scene.join', { sceneId, ...(spawn ? { spawn } : {}) });
    snapshot(p, j);
    return j;
  }

  async function move(p: Player, to: Point) {
    const r = await p.client.request('scene.move', { ...to, seq: ++p.seq });
    if (r.accepted) p.pos = { x: r.x, y: r.y };
    return r;
  }

  /**
   * Walks in straight legs, in steps of at most STEP_PX, advancing the server clock by the time
   * the map's top speed needs for each step: a steady walk at exactly the speed limit.
   */
  async function walk(p: Player, map: SceneMap, ...legs: Point[]): Promise<void> {
    const STEP_PX = 48;
    for (const to of legs) {
      while (p.pos.x !== to.x || p.pos.y !== to.y) {
        const d = dist(p.pos, to);
        const f = Math.min(1, STEP_PX / d);
        const next = f === 1 ? to : { x: p.pos.x + (to.x - p.pos.x) * f, y: p.pos.y + (to.y - p.pos.y) * f };
        clock.advance(Math.ceil((1000 * Math.min(d, STEP_PX)) / map.maxSpeedPxPerSec));
        const r = await move(p, next);
        expect(r, `step to (${next.x}, ${next.y})`).toMatchObject({ accepted: true });
      }
    }
  }

  /**
   * Every scene.view the server produced before this call has reached `players`: the witnesses'
   * action is flushed by a later tick than anything already pending (every scene flushes in the
   * same tick), and a heartbeat round trip then drains each player's socket, which is ordered.
   */
  async function settle(...players: Player[]): Promise<void> {
    const { a, b } = witness;
    b.log.clear();
    await a.client.request('scene.action', { action: 'wave' });
    await b.log.wait('scene.view', (v) => v.actions.some((x) => x.id === a.userId));
    await Promise.all(players.map((p) => p.client.request('sys.heartbeat', {})));
  }

  /** Delivery of scene.chat is immediate: a heartbeat round trip is enough to drain it. */
  const drained = (...clients: ImClient[]) => Promise.all(clients.map((c) => c.request('sys.heartbeat', {})));

  const spawn = (map: SceneMap, name: string): Point => {
    const s = map.spawns.find((x) => x.name === name)!;
    return { x: s.x, y: s.y };
  };

  it('R-SCN-21: a scene-mode login enters the scene at once: scene.changed has the spawn, the map URL and the view', async () => {
    const a = await enterScene('ja');
    expect(a.entry).toEqual({
      sceneId: 'plaza',
      self: { ...spawn(plaza, 'default'), facing: 'down', area: null },
      mapUrl: '/maps/plaza.tmj',
      view: [],
    });
    const b = await enterScene('jb');
    // Everyone already in view, with position, facing, area, action and display name.
    expect(b.entry?.view).toEqual([
      {
        id: a.userId,
        displayName: a.displayName,
        ...spawn(plaza, 'default'),
        facing: 'down',
        area: null,
        action: null,
      },
    ]);
    const seen = await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId));
    expect(seen).toEqual({
      enters: [
        {
          id: b.userId,
          displayName: b.displayName,
          ...spawn(plaza, 'default'),
          facing: 'down',
          area: null,
          action: null,
        },
      ],
      moves: [],
      leaves: [],
      actions: [],
    });
    // The map URL is served by the same server.
    const res = await fetch(new URL(a.entry!.mapUrl, server.httpUrl));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe('map');
  });

  it('R-SCN-22: an unknown scene is NOT_FOUND, at login (no session opens) and at scene.join (the user stays put)', async () => {
    const username = uniqueName('nf');
    const c = newClient(server);
    made.push(c);
    await c.connect();
    await c.register(username, `pw-${username}`);
    expect(await code(c.login(username, `pw-${username}`, { mode: 'scene', sceneId: 'atlantis' }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(await code(c.request('account.getProfile', {}))).toBe(ErrorCode.NOT_LOGGED_IN);

    const a = await enterScene('nfa');
    const before = await join(a, 'plaza'); // already there: answers with the current state
    expect(await code(a.client.request('scene.join', { sceneId: 'atlantis' }))).toBe(ErrorCode.NOT_FOUND);
    expect(await code(a.client.request('scene.join', { sceneId: 'plaza', spawn: 'nowhere' }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(await code(a.client.request('scene.join', { sceneId: '../plaza' }))).toBe(ErrorCode.BAD_REQUEST);
    expect(await join(a, 'plaza')).toEqual(before);
  });

  it('R-SCN-23: walking toward each other gives an enter exactly at the view radius, and a leave just beyond it', async () => {
    const a = await enterScene('ra');
    const b = await enterScene('rb');
    await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId));
    await join(b, 'plaza', 'fromPark');
    expect(dist(a.pos, b.pos)).toBeGreaterThan(plaza.viewRadiusPx);
    await a.log.wait('scene.view', (v) => v.leaves.includes(b.userId));
    // The fromPark spawn's row (y = 624, tile row 19) is free from tile 1 to 58 and in no area.
    const y = b.pos.y;
    const R = plaza.viewRadiusPx;
    await walk(a, plaza, { x: a.pos.x, y });
    await walk(b, plaza, { x: a.pos.x + R + 1, y });
    await settle(a, b);
    expect(a.view.has(b.userId)).toBe(false);
    expect(b.view.has(a.userId)).toBe(false);
    a.log.clear();
    b.log.clear();

    await walk(b, plaza, { x: a.pos.x + R, y }); // exactly on the radius: in view (radii are closed)
    const enterA = await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId));
    expect(enterA.enters).toEqual([
      {
        id: b.userId,
        displayName: b.displayName,
        x: a.pos.x + R,
        y,
        facing: 'left',
        area: null,
        action: null,
      },
    ]);
    await b.log.wait('scene.view', (v) => v.enters.some((e) => e.id === a.userId));
    expect(b.view.get(a.userId)).toMatchObject({ x: a.pos.x, y });

    await walk(b, plaza, { x: a.pos.x + R + 1, y });
    await a.log.wait('scene.view', (v) => v.leaves.includes(b.userId));
    await b.log.wait('scene.view', (v) => v.leaves.includes(a.userId));
    expect(a.view.size + b.view.size).toBe(0);
  });

  it('R-SCN-24: scene chat is heard within the hearing radius and only inside the same room', async () => {
    const H = plaza.hearingRadiusPx;
    const cafe = plaza.areas.find((x) => x.name === 'Cafe')!.shape;
    if (cafe.kind !== 'rect') throw new Error('the Cafe is a rectangle in plaza.tmj');
    const cafeBottom = cafe.y + cafe.heightPx;
    // Inside, on the Cafe's last floor row (tile row 13); below it, tile row 14 is the wall
    // (column 12 has no doorway: the Cafe's door is columns 9-10).
    const inside = { x: column(12), y: cafeBottom - 16 };
    // Just outside that wall (tile row 15, free all along).
    const outside = { x: inside.x, y: cafeBottom + 32 + 16 };
    const near = { x: outside.x + 160, y: outside.y };
    const far = { x: outside.x + H + 32, y: outside.y };
    const a = await enterScene('ca');
    const e = await enterScene('ce');
    const b = await enterScene('cb');
    const c = await enterScene('cc');
    const d = await enterScene('cd');
    await join(a, 'plaza', 'cafe');
    await join(e, 'plaza', 'cafe');
    // Out of the default spawn by its column (tile column 30, free from row 15 to 24), then along row 15.
    const up = { x: b.pos.x, y: outside.y };
    await walk(a, plaza, inside);
    await Promise.all([walk(b, plaza, up, outside), walk(c, plaza, up, near), walk(d, plaza, up, far)]);

    expect([areaAt(plaza, a.pos.x, a.pos.y), areaAt(plaza, e.pos.x, e.pos.y)]).toEqual(['Cafe', 'Cafe']);
    expect([b, c, d].map((p) => areaAt(plaza, p.pos.x, p.pos.y))).toEqual([null, null, null]);
    expect(dist(a.pos, e.pos)).toBeLessThanOrEqual(H);
    expect(dist(a.pos, b.pos)).toBeLessThanOrEqual(H); // close, but a wall and a room apart
    expect(dist(a.pos, c.pos)).toBeLessThanOrEqual(H);
    expect(dist(b.pos, c.pos)).toBeLessThanOrEqual(H);
    expect(dist(b.pos, d.pos)).toBeGreaterThan(H);

    const said = await a.client.request('scene.chat', { text: 'inside voice' });
    const heard = await e.log.wait('scene.chat');
    expect(heard).toMatchObject({
      messageId: said.messageId,
      from: a.userId,
      displayName: a.displayName,
      text: 'inside voice',
      ...inside,
    });
    await b.client.request('scene.chat', { text: 'outside voice' });
    expect(await c.log.wait('scene.chat')).toMatchObject({
      from: b.userId,
      text: 'outside voice',
      ...outside,
    });
    await drained(a.client, b.client, c.client, d.client, e.client);
    const chats = (p: Player) => p.log.of('scene.chat').map((m) => m.text);
    expect([a, e, b, c, d].map(chats)).toEqual([[], ['inside voice'], [], ['outside voice'], []]);

    // Over the length limit (500 UTF-16 units after trimming): refused by the schema.
    expect(await code(a.client.request('scene.chat', { text: 'x'.repeat(501) }))).toBe(ErrorCode.BAD_REQUEST);
  });

  it('R-SCN-25: an action reaches exactly the users who see the actor, and stays on its record', async () => {
    const a = await enterScene('aa');
    const b = await enterScene('ab');
    const c = await enterScene('ac');
    await join(c, 'plaza', 'fromPark');
    expect(dist(a.pos, c.pos)).toBeGreaterThan(plaza.viewRadiusPx);
    await settle(c);
    c.log.clear();

    await a.client.request('scene.action', { action: 'dance' });
    await b.log.wait('scene.view', (v) => v.actions.some((x) => x.id === a.userId && x.action === 'dance'));
    await settle(a, c);
    expect(c.log.of('scene.view')).toEqual([]);
    expect(a.log.of('scene.view').some((v) => v.actions.length > 0)).toBe(false);

    // A newcomer sees the dance in the enter record.
    const d = await enterScene('ad');
    expect(d.entry?.view.find((x) => x.id === a.userId)?.action).toBe('dance');
    expect(await code(a.client.request('scene.action', { action: 'fly' } as never))).toBe(
      ErrorCode.BAD_REQUEST,
    );
  });

  it('R-SCN-26: a normal-mode session gets FORBIDDEN for every scene packet and never receives scene traffic', async () => {
    const n = await loggedInUser(server, 'nm');
    made.push(n.client);
    const log = new EventLog(n.client, SCENE_EVENTS);
    // A normal login that names a scene is still a normal login.
    const m = newClient(server);
    made.push(m);
    const mName = uniqueName('nm');
    await m.connect();
    await m.register(mName, `pw-${mName}`);
    await m.login(mName, `pw-${mName}`, { sceneId: 'plaza' });
    const mLog = new EventLog(m, SCENE_EVENTS);

    for (const client of [n.client, m]) {
      const attempts = [
        client.request('scene.join', { sceneId: 'plaza' }),
        client.request('scene.leave', {}),
        client.request('scene.move', { x: 100, y: 100, seq: 1 }),
        client.request('scene.action', { action: 'wave' }),
        client.request('scene.chat', { text: 'hello?' }),
      ];
      for (const attempt of attempts) {
        const err = await attempt.then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ImError);
        expect(err).toMatchObject({
          code: ErrorCode.FORBIDDEN,
          message: 'scene packets need a scene-mode login',
        });
      }
    }

    const s1 = await enterScene('ns');
    const s2 = await enterScene('ns');
    await s1.client.request('scene.action', { action: 'wave' });
    await s1.client.request('scene.chat', { text: 'anyone?' });
    await s2.log.wait('scene.chat');
    await s2.log.wait('scene.view', (v) => v.actions.length > 0);
    await settle(s1);
    await drained(n.client, m);
    expect([...log.seen, ...mLog.seen]).toEqual([]);
    expect([...s1.view.keys()]).toEqual([s2.userId]);
  });

  it('R-SCN-27: a move into a wall, through a wall or too fast is corrected with the seq; the world does not change', async () => {
    const p = await enterScene('wp');
    const q = await enterScene('wq');
    await join(p, 'plaza', 'cafe');
    await join(q, 'plaza', 'cafe');
    // The Cafe's west wall is tile column 3 (x 96..128); column 4 is floor, column 2 free outside.
    const westFloor = { x: column(4), y: p.pos.y };
    await walk(p, plaza, westFloor);
    await q.log.wait('scene.view', (v) => v.moves.some((m) => m.id === p.userId && m.x === westFloor.x));
    clock.advance(DEFAULT_SPEED_OPTIONS.maxBankedMs); // a full speed budget: only the wall can refuse

    const wall = { x: column(3), y: p.pos.y };
    expect(isBlocked(plaza, wall.x, wall.y)).toBe(true);
    expect(await move(p, wall)).toEqual({ accepted: false, ...westFloor });
    expect(await p.log.wait('scene.correction', (c) => c.seq === p.seq)).toEqual({
      ...westFloor,
      seq: p.seq,
    });

    const beyond = { x: column(2), y: p.pos.y };
    expect(isBlocked(plaza, beyond.x, beyond.y)).toBe(false);
    expect(await move(p, beyond)).toEqual({ accepted: false, ...westFloor });
    expect(await p.log.wait('scene.correction', (c) => c.seq === p.seq)).toEqual({
      ...westFloor,
      seq: p.seq,
    });

    // Farther than the most a user can bank (maxSpeed × maxBankedMs), on free floor of the same room.
    const bankPx = (plaza.maxSpeedPxPerSec * DEFAULT_SPEED_OPTIONS.maxBankedMs) / 1000;
    const tooFar = { x: westFloor.x + bankPx + 32, y: p.pos.y };
    expect(areaAt(plaza, tooFar.x, tooFar.y)).toBe('Cafe');
    expect(isBlocked(plaza, tooFar.x, tooFar.y)).toBe(false);
    expect(await move(p, tooFar)).toEqual({ accepted: false, ...westFloor });
    expect(await p.log.wait('scene.correction', (c) => c.seq === p.seq)).toEqual({
      ...westFloor,
      seq: p.seq,
    });

    // Nobody saw a refused position, and the next honest step starts from where the server kept p.
    await settle(q);
    expect(q.view.get(p.userId)).toMatchObject(westFloor);
    const seenXs = q.log
      .of('scene.view')
      .flatMap((v) => v.moves.filter((m) => m.id === p.userId).map((m) => m.x));
    expect(seenXs).not.toContain(wall.x);
    expect(seenXs).not.toContain(tooFar.x);
    await walk(p, plaza, { x: westFloor.x + 32, y: p.pos.y });
  });

  it('R-SCN-28: NaN, infinite or negative coordinates are BAD_REQUEST; a finite one off the map is corrected', async () => {
    const p = await enterScene('np');
    const at = { ...p.pos };
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1]) {
      expect(await code(p.client.request('scene.move', { x: bad, y: at.y, seq: 1 }))).toBe(
        ErrorCode.BAD_REQUEST,
      );
      expect(await code(p.client.request('scene.move', { x: at.x, y: bad, seq: 1 }))).toBe(
        ErrorCode.BAD_REQUEST,
      );
    }
    expect(p.log.of('scene.correction')).toEqual([]);
    for (const off of [
      { x: plaza.widthPx + 10, y: at.y },
      { x: at.x, y: 1_000_000 },
    ]) {
      expect(await move(p, off)).toEqual({ accepted: false, ...at });
      expect(await p.log.wait('scene.correction', (c) => c.seq === p.seq)).toEqual({ ...at, seq: p.seq });
    }
    expect((await join(p, 'plaza')).self).toMatchObject(at);
  });

  it('R-SCN-29: logout and a dropped socket take the user out of everyone’s view', async () => {
    const a = await enterScene('la');
    const b = await enterScene('lb');
    const c = await enterScene('lc');
    await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === c.userId));
    await b.client.logout();
    await a.log.wait('scene.view', (v) => v.leaves.includes(b.userId));
    await c.log.wait('scene.view', (v) => v.leaves.includes(b.userId));
    c.client.close(); // with no resume grace (test config), the session ends with the socket
    await a.log.wait('scene.view', (v) => v.leaves.includes(c.userId));
    expect(a.view.size).toBe(0);
  });

  it('R-SCN-30: stepping into a portal moves the user to the target scene and spawn: scene.changed, leave and enter', async () => {
    const a = await enterScene('pa');
    const b = await enterScene('pb');
    const c = await enterScene('pc', 'park');
    await join(a, 'plaza', 'fromPark');
    await join(b, 'plaza', 'fromPark');
    await join(c, 'park', 'fromPlaza');
    // An enter at the new spot (a saw b at the default spawn too, before either joined).
    const atSpawn = spawn(plaza, 'fromPark');
    await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId && e.x === atSpawn.x));
    const portal = plaza.portals.find((x) => x.name === 'to park')!;
    // The portal's first tile column (57), on the spawn's row: free floor inside the portal.
    const door = { x: portal.rect.x + 16, y: b.pos.y };
    expect(door.y).toBeGreaterThanOrEqual(portal.rect.y);
    expect(door.y).toBeLessThan(portal.rect.y + portal.rect.heightPx);

    await walk(b, plaza, door);
    const changed = await b.log.wait('scene.changed', (x) => x.sceneId === 'park');
    // The move's answer (in plaza) came first, but its await resumed after the event was applied.
    snapshot(b, changed);
    expect(changed).toEqual({
      sceneId: portal.targetScene,
      self: { ...spawn(park, portal.targetSpawn!), facing: 'down', area: null },
      mapUrl: '/maps/park.tmj',
      view: [
        expect.objectContaining({ id: c.userId, displayName: c.displayName, ...spawn(park, 'fromPlaza') }),
      ],
    });
    await a.log.wait('scene.view', (v) => v.leaves.includes(b.userId));
    expect(a.view.has(b.userId)).toBe(false);
    a.log.clear();
    const entered = await c.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId));
    expect(entered.enters[0]).toMatchObject({ id: b.userId, ...spawn(park, 'fromPlaza') });
    // b walks on in the park, where c sees it and a does not.
    await walk(b, park, { x: b.pos.x + 32, y: b.pos.y });
    await c.log.wait('scene.view', (v) => v.moves.some((m) => m.id === b.userId));
    await settle(a);
    expect(a.log.of('scene.view').some((v) => v.moves.some((m) => m.id === b.userId))).toBe(false);
  });

  it('R-SCN-31: scene.leave takes the user out of every view; scene requests are then CONFLICT until scene.join', async () => {
    const a = await enterScene('sa');
    const b = await enterScene('sb');
    await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId));
    await b.client.request('scene.leave', {});
    await a.log.wait('scene.view', (v) => v.leaves.includes(b.userId));
    expect(await code(move(b, b.pos))).toBe(ErrorCode.CONFLICT);
    expect(await code(b.client.request('scene.action', { action: 'wave' }))).toBe(ErrorCode.CONFLICT);
    expect(await code(b.client.request('scene.chat', { text: 'hi' }))).toBe(ErrorCode.CONFLICT);
    b.log.clear();
    await a.client.request('scene.action', { action: 'clap' });
    await a.client.request('scene.chat', { text: 'still there?' });
    await settle(b);
    expect(b.log.seen).toEqual([]);

    a.log.clear();
    const back = await join(b, 'plaza');
    expect(back.view.map((e) => e.id)).toEqual([a.userId]);
    expect(back.view[0]?.action).toBe('clap');
    await a.log.wait('scene.view', (v) => v.enters.some((e) => e.id === b.userId));
  });
});

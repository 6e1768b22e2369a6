import { ErrorCode } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { BUBBLE_ERRORS } from '../../src/scene/service';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer, uniqueName } from '../support/server';

/**
 * Bubbles over real sockets on the plaza (default spawn (976, 656) on the east-west road), with a
 * cap of three: everyone spawns on one spot, so the first three form a bubble and the fourth is
 * refused.
 */
describe('R-BUB-1, R-BUB-3, R-BUB-5: bubbles and their signalling over real sockets', () => {
  let db: Database;
  let server: ImServer;
  const clock = new ManualClock();
  const clients: ImClient[] = [];

  interface Walker {
    client: ImClient;
    log: EventLog;
    id: number;
    pos: { x: number; y: number };
    seq: number;
  }

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(
      db,
      { HEARTBEAT_TIMEOUT_MS: 3_600_000, PRE_LOGIN_DEADLINE_MS: 3_600_000, BUBBLE_CAP: 3 },
      clock,
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.logout().catch(() => undefined)));
    await server?.close();
    await db?.close();
  });

  async function enter(prefix: string): Promise<Walker> {
    const username = uniqueName(prefix);
    const client = newClient(server);
    clients.push(client);
    await client.connect();
    await client.register(username, `pw-${username}`);
    const log = new EventLog(client, [
      'scene.changed',
      'scene.bubble',
      'scene.bubbleRefused',
      'scene.signal',
    ]);
    const { userId } = await client.login(username, `pw-${username}`, { mode: 'scene', sceneId: 'plaza' });
    const entry = await log.wait('scene.changed');
    return { client, log, id: userId, pos: { x: entry.self.x, y: entry.self.y }, seq: 0 };
  }

  async function walkX(w: Walker, x: number): Promise<void> {
    while (w.pos.x !== x) {
      const next = w.pos.x + Math.sign(x - w.pos.x) * Math.min(32, Math.abs(x - w.pos.x));
      clock.advance(200);
      const r = await w.client.request('scene.move', { x: next, y: w.pos.y, seq: ++w.seq });
      expect(r.accepted, `step to ${next}`).toBe(true);
      w.pos = { x: next, y: w.pos.y };
    }
  }

  const has = (w: Walker, members: number[]) =>
    w.log.wait('scene.bubble', (b) => [...b.members].sort().join() === [...members].sort().join(), 5000);
  const error = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e as ImError,
    );

  it('forms a bubble, refuses a fourth, relays signals between members only, locks and lets go', async () => {
    const a = await enter('buba');
    const b = await enter('bubb');
    const c = await enter('bubc');
    const all = [a.id, b.id, c.id];
    const formed = await Promise.all([a, b, c].map((w) => has(w, all)));
    const bubbleId = formed[0]!.bubbleId;
    expect(formed.every((f) => f.bubbleId === bubbleId && f.cap === 3 && !f.locked)).toBe(true);

    // The fourth stands on the same spot: refused ("full"), and asking answers LIMIT_EXCEEDED.
    const d = await enter('bubd');
    expect(await d.log.wait('scene.bubbleRefused', undefined, 5000)).toEqual({ bubbleId, reason: 'full' });
    // A viewer is told of the bubble so it can draw it.
    expect((await d.log.wait('scene.bubble', (x) => x.bubbleId === bubbleId)).members.sort()).toEqual(
      all.sort(),
    );
    const full = await error(d.client.request('scene.bubbleJoin', { bubbleId }));
    expect(full).toBeInstanceOf(ImError);
    expect(full!.code).toBe(ErrorCode.LIMIT_EXCEEDED);
    expect(full!.message).toContain(BUBBLE_ERRORS.full);

    // Signals go between members; to or from a non-member they are dropped with the same answer.
    const offer = { callId: 'bubble-1', kind: 'offer' as const, sdp: 'v=0 test' };
    await a.client.request('scene.signal', { to: b.id, ...offer });
    expect(await b.log.wait('scene.signal')).toEqual({ from: a.id, ...offer });
    await d.client.request('scene.signal', { to: a.id, ...offer, callId: 'intruder' });
    await a.client.request('scene.signal', { to: d.id, ...offer, callId: 'leak' });
    await c.client.request('scene.signal', { to: a.id, ...offer, callId: 'member' });
    await a.log.wait('scene.signal', (s) => s.callId === 'member');
    await d.client.request('sys.heartbeat', {});
    expect(a.log.of('scene.signal').map((s) => s.callId)).toEqual(['member']);
    expect(d.log.of('scene.signal')).toEqual([]);

    // Locking: everyone hears of it; a non-member cannot lock; unlocking still leaves it full.
    await a.client.request('scene.bubbleLock', { locked: true });
    await d.log.wait('scene.bubble', (x) => x.bubbleId === bubbleId && x.locked);
    const notIn = await error(d.client.request('scene.bubbleLock', { locked: true }));
    expect(notIn!.code).toBe(ErrorCode.CONFLICT);

    // B walks away (beyond the radius): out of the bubble at once; its signals are dropped now.
    await walkX(b, b.pos.x + 96);
    await has(a, [a.id, c.id]);
    await has(b, [a.id, c.id]);
    await b.client.request('scene.signal', { to: a.id, ...offer, callId: 'gone' });
    // A locked bubble refuses D even with room; unlocked, D may ask and get in.
    const locked = await error(d.client.request('scene.bubbleJoin', { bubbleId }));
    expect(locked!.code).toBe(ErrorCode.FORBIDDEN);
    await c.client.request('scene.bubbleLock', { locked: false });
    await d.client.request('scene.bubbleJoin', { bubbleId });
    await has(a, [a.id, c.id, d.id]);
    await a.client.request('sys.heartbeat', {});
    expect(a.log.of('scene.signal').map((s) => s.callId)).toEqual(['member']);

    // Do not disturb takes C out; leaving the world takes D out; a bubble of one dissolves.
    await c.client.request('scene.bubblePrefs', { dnd: true });
    await has(a, [a.id, d.id]);
    await d.client.request('scene.leave', {});
    await a.log.wait('scene.bubble', (x) => x.bubbleId === bubbleId && x.members.length === 0);
  });
});

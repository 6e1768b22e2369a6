import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { metricSum } from '../support/measure';
import { startTestServer } from '../support/server';
import { sceneUser } from '../support/users';

/**
 * R-SCN-33: the server measures its own part of move-to-view latency (accepted move → the tick
 * that queues it for the viewers) as imw_scene_view_delay_seconds, so a slow scene can be split
 * into server and client time (the bench reports both).
 */
describe('scene view delay metric', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { SCENE_TICK_MS: 50 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-SCN-33: every tick that sends a move observes how long it waited', async () => {
    const mover = await sceneUser(server, 'vm', ['scene.view']);
    const viewer = await sceneUser(server, 'vv', ['scene.view']);
    const name = 'imw_scene_view_delay_seconds';
    const before = await metricSum(server.httpUrl, `${name}_count`);
    for (let i = 1; i <= 5; i++) {
      const x = mover.entered.self.x + i;
      expect(
        (await mover.client.request('scene.move', { x, y: mover.entered.self.y, seq: i })).accepted,
      ).toBe(true);
      await viewer.log.wait('scene.view', (v) => v.moves.some((m) => m.id === mover.userId && m.x === x));
    }
    const count = (await metricSum(server.httpUrl, `${name}_count`)) - before;
    expect(count).toBe(5);
    // Each waited for at most a tick and some event-loop lag, far under a second.
    const withinOneSecond = await metricSum(server.httpUrl, `${name}_bucket`, 'le="1"');
    expect(withinOneSecond).toBe(before + count);
    mover.client.close();
    viewer.client.close();
  });
});

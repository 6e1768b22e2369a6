import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer } from '../support/server';
import { errorCode, sceneUser } from '../support/users';
import { waitFor } from '../support/wait';

/**
 * R-DEV-6 across nodes: scenes are per node (a scene lease puts each scene on one host), so a
 * user's second device may enter a scene hosted on another node than the first device's. Two
 * nodes of their own here, so that each hosts one of the two maps (park, plaza).
 */
describe.runIf(process.env.TEST_REDIS_URL)('one avatar per user across nodes', () => {
  let db: Database;
  const nodes: ImServer[] = [];
  const open: ImClient[] = [];
  const prefix = `imwt:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    db = await testDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await startTestServer(db, {
          REDIS_URL: process.env.TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          NODE_ANNOUNCE_MS: 100,
          NODE_TTL_MS: 1000,
        }),
      );
    }
    for (const n of nodes)
      await waitFor('each node to see the other', async () => (await n.cluster.nodes()).length >= 2, {
        timeoutMs: 5000,
        intervalMs: 20,
      });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    for (const n of nodes) await n.close();
    await db?.close();
  });

  it('R-DEV-6: a second device entering a world on another node takes the avatar over; the newer entry wins both ways', async () => {
    const [n1, n2] = nodes as [ImServer, ImServer];
    // Device 1 enters park on node 1 (which takes park's lease).
    const first = await sceneUser(n1, 'av', ['scene.takenOver'], { sceneId: 'park' });
    open.push(first.client);
    expect(first.client.currentUrl).toBe(n1.wsUrl);
    // Device 2 of the same user enters plaza on node 2 (plaza's host): two nodes, one user.
    const second = newClient(n2);
    open.push(second);
    const secondLog = new EventLog(second, ['scene.changed', 'scene.takenOver']);
    await second.connect();
    await second.login(first.username, first.password, { mode: 'scene', sceneId: 'plaza' });
    await secondLog.wait('scene.changed');
    expect(second.currentUrl).toBe(n2.wsUrl);

    // Node 1 heard it over the bus: device 1 is out of its world and keeps its session.
    expect((await first.log.wait('scene.takenOver', () => true, 5000)).reason).toMatch(/another device/);
    expect(await errorCode(first.client.request('scene.move', { x: 10, y: 10, seq: 1 }))).toBe(
      ErrorCode.CONFLICT,
    );
    const sessions = await first.client.listSessions();
    expect(sessions).toHaveLength(2);

    // Device 1 joins again: now it holds the avatar and device 2 is told, on node 2.
    const back = await first.client.request('scene.join', { sceneId: 'park' });
    await secondLog.wait('scene.takenOver', () => true, 5000);
    expect(await errorCode(second.request('scene.move', { x: 10, y: 10, seq: 1 }))).toBe(ErrorCode.CONFLICT);
    // The older entry's notice did not take the newer one out: device 1 is still in park.
    const moved = await first.client.request('scene.move', { x: back.self.x, y: back.self.y, seq: 2 });
    expect(moved.accepted).toBe(true);
    expect(secondLog.of('scene.takenOver')).toHaveLength(1);
    expect(first.log.of('scene.takenOver')).toHaveLength(1);
  });
});

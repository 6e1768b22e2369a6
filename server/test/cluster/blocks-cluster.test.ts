import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { answerClass, watch } from '../accounts/observe';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer } from '../support/server';
import { befriend, sceneUser } from '../support/users';
import { waitFor } from '../support/wait';

const EVENTS = [
  'friends.requestReceived',
  'friends.added',
  'friends.removed',
  'chat.message',
  'blocks.added',
  'scene.chat',
] as const;

/**
 * R-BLK-6: a block made on one node holds on the others. Each node caches friend and block sets;
 * the blocking node publishes the invalidation on the bus before it routes any notice, and a node
 * handles bus messages in order, so a notice that arrived on a node means its caches are fresh.
 */
describe.runIf(process.env.TEST_REDIS_URL)('blocking across nodes', () => {
  let db: Database;
  const nodes: ImServer[] = [];
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
    for (const n of nodes) {
      await waitFor('the cluster to settle', async () => (await n.cluster.nodes()).length >= 2, {
        timeoutMs: 5000,
        intervalMs: 20,
      });
    }
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await db?.close();
  });

  it('R-BLK-6: blocked on node 2, the user’s scene chat on node 1 no longer reaches the blocker, and messages through node 2 are silent', async () => {
    const [n1, n2] = nodes as [ImServer, ImServer];
    // The scene lives on node 1 (its first visitor's node); the blocker also has a device on node 2.
    const a = await sceneUser(n1, 'cba', EVENTS);
    const b = await sceneUser(n1, 'cbb', EVENTS);
    const w = await sceneUser(n1, 'cbw', EVENTS);
    const bOn2 = newClient(n2);
    const bLog2 = new EventLog(bOn2, ['friends.removed']);
    await bOn2.connect();
    await bOn2.login(b.username, b.password);
    const aOn2 = newClient(n2);
    await aOn2.connect();
    await aOn2.login(a.username, a.password);
    await befriend(a, b);
    // Warm both nodes' caches: node 1 hears b in the scene, node 2 relays b's message to a.
    await b.client.request('scene.chat', { text: 'warm' });
    await a.log.wait('scene.chat', (m) => m.text === 'warm');
    await bOn2.request('chat.send', { to: a.userId, text: 'warm dm' });
    await a.log.wait('chat.message', (m) => m.text === 'warm dm');

    await aOn2.request('blocks.add', { userId: b.userId });
    await a.log.wait('blocks.added', (e) => e.user.userId === b.userId);
    await bLog2.wait('friends.removed', (e) => e.userId === a.userId);

    await b.client.request('scene.chat', { text: 'after block' });
    await w.log.wait('scene.chat', (m) => m.text === 'after block');
    const dm = watch(bOn2.request('chat.send', { to: a.userId, text: 'after block dm' }));
    await bOn2.request('sys.heartbeat', {});
    await a.client.request('sys.heartbeat', {});
    expect(a.log.of('scene.chat').map((m) => m.text)).toEqual(['warm']);
    expect(answerClass(dm)).toBe('silent');
    expect(a.log.of('chat.message').map((m) => m.text)).toEqual(['warm dm']);
    for (const c of [a.client, b.client, w.client, aOn2, bOn2]) c.close();
  });
});

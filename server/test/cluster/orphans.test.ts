import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { RedisPresenceStore } from '../../src/presence/store';
import { testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, testUser } from '../support/users';

const url = process.env.TEST_REDIS_URL;

/**
 * R-CLU-37: a node that died while no other node was watching (say the whole cluster restarted
 * after it) leaves sessions in the shared presence table. Nodes that never saw it alive find it
 * through those sessions and reap them after the grace, so friends do not see a ghost online.
 */
describe.runIf(url)('sessions left by a node nobody saw alive', () => {
  const opened: Array<{ close(): Promise<unknown> }> = [];
  afterAll(async () => {
    for (const x of opened.reverse()) await x.close();
  });

  it('R-CLU-37: a node that starts later finds and reaps them after the grace; friends see the user go offline', async () => {
    const db: Database = await testDatabase('pglite');
    opened.push(db);
    const prefix = `imwt:${randomBytes(4).toString('hex')}:`;
    const cluster = {
      REDIS_URL: url,
      REDIS_KEY_PREFIX: prefix,
      NODE_ANNOUNCE_MS: 50,
      NODE_TTL_MS: 500,
      RESUME_GRACE_MS: 300,
    };
    const start = async () => {
      const s: ImServer = await startTestServer(db, cluster);
      opened.push(s);
      return s;
    };
    const first = await start();
    const watcher = await testUser(first, 'ow', ['presence.changed']);
    const ghost = await testUser(first, 'og', ['presence.changed']);
    await befriend(watcher, ghost);
    await ghost.client.logout();
    await watcher.log.wait('presence.changed', (e) => e.userId === ghost.userId && e.status === 'offline');
    watcher.log.clear();

    // The record a crashed node "n-gone" left behind, written straight into the shared table.
    const redis = new Redis(url!, { lazyConnect: false });
    opened.push({ close: () => redis.quit() });
    const table = new RedisPresenceStore({ client: redis, keyPrefix: prefix });
    await table.put({
      userId: ghost.userId,
      sessionId: 'left-behind',
      nodeId: 'n-gone',
      status: 'online',
      mode: 'normal',
      sceneId: null,
      device: 'test',
      loginAtMs: Date.now(),
    });
    const listed = await watcher.client.request('friends.list', {});
    expect(listed.friends.find((f) => f.userId === ghost.userId)?.status).toBe('online');

    // `first` never saw n-gone alive and looks at the table only every few seconds; a node that
    // starts now looks at once, waits out the grace, and reaps.
    await start();
    await watcher.log.wait(
      'presence.changed',
      (e) => e.userId === ghost.userId && e.status === 'offline',
      5000,
    );
    expect(await table.get(ghost.userId)).toEqual([]);
    expect(await table.nodesWithSessions()).not.toContain('n-gone');
    watcher.client.close();
  });
});

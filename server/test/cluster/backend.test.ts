import { createServer } from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type ClusterBackend, createClusterBackend } from '../../src/cluster';
import { createPresenceStore } from '../../src/presence';
import { record } from '../presence/store.contract';
import { bytes, Collector } from '../support/bus';
import { RedisFixture, testPrefix } from '../support/redis';
import { waitFor } from '../support/wait';
import { nodeInfo } from './registry.contract';

const url = process.env.TEST_REDIS_URL;

/** Exercises all four parts once, as a node would at start-up. */
async function smoke(backend: ClusterBackend): Promise<void> {
  const got = new Collector();
  await backend.bus.subscribe('hello', got.handler);
  await backend.bus.publish('hello', bytes('world'));
  await got.waitForCount(1);
  await backend.registry.announce(nodeInfo('n1'), 60_000);
  expect((await backend.registry.list()).map((n) => n.nodeId)).toEqual(['n1']);
  expect(await backend.lease.acquire('janitor', 'n1', 60_000)).toBe(true);
  const presence = createPresenceStore(backend);
  expect(await presence.put(record(1, { nodeId: 'n1' }))).toEqual([]);
  expect(await presence.countByNode('n1')).toBe(1);
}

/** A port on which nothing listens: bind port 0, note the port, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('createClusterBackend', () => {
  it('R-CLU-13: without a Redis URL it runs as one node in memory, with the injected clock', async () => {
    let t = 0;
    const backend = await createClusterBackend({ now: () => t });
    expect(backend.kind).toBe('memory');
    await smoke(backend);
    t += 60_000;
    expect(await backend.registry.list()).toEqual([]);
    expect(await backend.lease.owner('janitor')).toBeNull();
    await backend.close();
    await expect(backend.bus.publish('hello', bytes('x'))).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('R-CLU-14: an unreachable Redis fails start-up with UNAVAILABLE instead of hanging', async () => {
    const port = await closedPort();
    const reported: string[] = [];
    await expect(
      createClusterBackend({
        redisUrl: `redis://:secret@127.0.0.1:${port}`,
        log: pino({ level: 'warn' }, { write: (line: string) => reported.push(line) }),
      }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.not.stringContaining('secret') });
    expect(reported.join()).toMatch(/redis error.*ECONNREFUSED|ECONNREFUSED.*redis error/);
  });

  describe.runIf(url)('with Redis', () => {
    it('R-CLU-13: with a Redis URL every part is shared through Redis, and close() closes its connections', async () => {
      const keyPrefix = testPrefix();
      const [one, two] = await Promise.all([
        createClusterBackend({ redisUrl: url, keyPrefix, connectionName: `${keyPrefix}one` }),
        createClusterBackend({ redisUrl: url, keyPrefix, connectionName: `${keyPrefix}two` }),
      ]);
      expect(one.kind).toBe('redis');
      await smoke(one);
      // The second node sees what the first wrote, and hears what it publishes.
      expect((await two.registry.list()).map((n) => n.nodeId)).toEqual(['n1']);
      expect(await two.lease.owner('janitor')).toBe('n1');
      expect(await createPresenceStore(two).get(1)).toEqual([record(1, { nodeId: 'n1' })]);
      const heard = new Collector();
      await two.bus.subscribe('hello', heard.handler);
      await one.bus.publish('hello', bytes('across'));
      await heard.waitForCount(1);

      await Promise.all([one.close(), two.close()]);
      const fx = new RedisFixture(url!, keyPrefix);
      try {
        const admin = await fx.open('admin');
        // The server drops a connection just after answering its QUIT, so poll briefly.
        await waitFor('the backends’ connections to be gone from CLIENT LIST', async () => {
          const clients = String(await admin.client('LIST'));
          return !clients.includes(`name=${keyPrefix}one`) && !clients.includes(`name=${keyPrefix}two`);
        });
      } finally {
        await fx.cleanup();
      }
    });
  });
});

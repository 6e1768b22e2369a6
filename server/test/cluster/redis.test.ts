import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Bus, RedisBus, RedisLease, RedisNodeRegistry } from '../../src/cluster';
import { bytes, Collector } from '../support/bus';
import { RedisFixture } from '../support/redis';
import { waitFor } from '../support/wait';
import { busContract } from './bus.contract';
import { leaseContract } from './lease.contract';
import { registryContract } from './registry.contract';

const url = process.env.TEST_REDIS_URL;

/** Real time passes in Redis; keep the TTLs under test short so the suite stays fast. */
const SHORT_TTL_MS = 100;
const elapse = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.runIf(url)('Redis cluster backend', () => {
  let fx: RedisFixture;
  /** Shared by registry and lease envs; each env gets its own key prefix. */
  let cmdA: Redis;
  let cmdB: Redis;

  beforeAll(async () => {
    fx = new RedisFixture(url!);
    [cmdA, cmdB] = await Promise.all([fx.open('cmd-a'), fx.open('cmd-b')]);
  });

  afterAll(async () => {
    await fx.cleanup();
  });

  // Each bus is a node with its own publisher and subscriber connections: nothing is shared
  // between "nodes" but the Redis server.
  busContract('RedisBus', async () => {
    const keyPrefix = fx.subPrefix();
    const buses: Bus[] = [];
    return {
      async node(opts = {}) {
        const [publisher, subscriber] = await Promise.all([fx.open('pub'), fx.open('sub')]);
        const bus = new RedisBus({ publisher, subscriber, keyPrefix, ...opts });
        buses.push(bus);
        return bus;
      },
      async cleanup() {
        await Promise.all(buses.map((b) => b.close()));
      },
    };
  });

  registryContract('RedisNodeRegistry', async () => {
    const keyPrefix = fx.subPrefix();
    return {
      a: new RedisNodeRegistry({ client: cmdA, keyPrefix }),
      b: new RedisNodeRegistry({ client: cmdB, keyPrefix }),
      shortTtlMs: SHORT_TTL_MS,
      elapse,
      cleanup: async () => {},
    };
  });

  leaseContract('RedisLease', async () => {
    const keyPrefix = fx.subPrefix();
    return {
      a: new RedisLease({ client: cmdA, keyPrefix }),
      b: new RedisLease({ client: cmdB, keyPrefix }),
      shortTtlMs: SHORT_TTL_MS,
      elapse,
      cleanup: async () => {},
    };
  });

  describe('connection loss', () => {
    let keyPrefix: string;
    let pubA: Redis;
    let subB: Redis;
    let a: RedisBus;
    let b: RedisBus;

    beforeEach(async () => {
      keyPrefix = fx.subPrefix();
      const [pa, sa, pb, sb] = await Promise.all([
        fx.open('pub'),
        fx.open('sub'),
        fx.open('pub'),
        fx.open('sub'),
      ]);
      pubA = pa;
      subB = sb;
      a = new RedisBus({ publisher: pa, subscriber: sa, keyPrefix });
      b = new RedisBus({ publisher: pb, subscriber: sb, keyPrefix });
    });

    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('R-CLU-10: subscriptions are restored after the subscriber connection drops (ioredis autoResubscribe)', async () => {
      const first = new Collector();
      const second = new Collector();
      await b.subscribe('survives', first.handler);
      await b.subscribe('survives-too', second.handler);
      const reconnected = new Promise<void>((resolve) => subB.once('ready', () => resolve()));
      await fx.kill(subB);
      await reconnected;
      // 'ready' fires before the resubscription is confirmed, and anything published before
      // that is lost (pub/sub is at most once), so probe until a message gets through.
      let sent = 0;
      await waitFor('a message to reach the resubscribed node', async () => {
        await a.publish('survives', bytes(`probe-${sent++}`));
        return first.received.length > 0;
      });
      // Every channel came back, not just the first.
      await a.publish('survives-too', bytes('second channel'));
      await second.waitForCount(1);
      expect(second.texts()).toEqual(['second channel']);
    });

    it('R-CLU-11: publish while the connection is down rejects at once with UNAVAILABLE; it works again after reconnect', async () => {
      const got = new Collector();
      await b.subscribe('outage', got.handler);
      const closed = new Promise<void>((resolve) => pubA.once('close', () => resolve()));
      const reconnected = new Promise<void>((resolve) => pubA.once('ready', () => resolve()));
      await fx.kill(pubA);
      await closed;
      await expect(a.publish('outage', bytes('lost'))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      await reconnected;
      await a.publish('outage', bytes('after'));
      await got.waitForCount(1);
      expect(got.texts()).toEqual(['after']);
    });
  });
});

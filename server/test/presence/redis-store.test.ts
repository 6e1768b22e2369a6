import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore } from '../../src/presence/store';
import { RedisFixture } from '../support/redis';
import { presenceStoreContract, record } from './store.contract';

const url = process.env.TEST_REDIS_URL;

describe.runIf(url)('Redis presence store', () => {
  let fx: RedisFixture;
  let client: Redis;

  beforeAll(async () => {
    fx = new RedisFixture(url!);
    client = await fx.open('presence');
  });

  afterAll(async () => {
    await fx.cleanup();
  });

  // A fresh key prefix per store gives every test (and every model run) an empty table.
  presenceStoreContract(
    'RedisPresenceStore',
    () => new RedisPresenceStore({ client, keyPrefix: fx.subPrefix() }),
    {
      modelRuns: 30,
    },
  );

  it('R-PST-12: two nodes with their own connections see one table', async () => {
    const keyPrefix = fx.subPrefix();
    const nodeA = new RedisPresenceStore({ client, keyPrefix });
    const nodeB = new RedisPresenceStore({ client: await fx.open('presence-b'), keyPrefix });
    await nodeA.put(record(1, { nodeId: 'A', sessionId: 'on-a' }));
    // R-DEV-1: a second device on another node sees the first one.
    expect(await nodeB.put(record(1, { nodeId: 'B', sessionId: 'on-b', loginAtMs: 2e12 }))).toEqual([
      record(1, { nodeId: 'A', sessionId: 'on-a' }),
    ]);
    expect(await nodeB.remove(1, 'on-a')).toBe(true);
    // The node that lost the session can no longer touch it.
    expect(await nodeA.remove(1, 'on-a')).toBe(false);
    expect(await nodeA.update(1, 'on-a', { status: 'away' })).toBe(false);
    expect(await nodeA.get(1)).toEqual([record(1, { nodeId: 'B', sessionId: 'on-b', loginAtMs: 2e12 })]);
    expect(await nodeA.countByNode('A')).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The one script runner both Redis stores (cluster and presence) depend on for their fallback,
// which the contract suites only exercise by accident.
import { LuaScript } from '../../src/cluster';
import { RedisFixture } from '../support/redis';

const url = process.env.TEST_REDIS_URL;

describe.runIf(url)('Lua script runner', () => {
  let fx: RedisFixture;
  let client: Redis;

  beforeAll(async () => {
    fx = new RedisFixture(url!);
    client = await fx.open('lua');
  });

  afterAll(async () => {
    await fx.cleanup();
  });

  it('R-CLU-12: a script the server has never seen runs (EVALSHA falls back to EVAL), then from cache', async () => {
    // A source no server has cached, without SCRIPT FLUSH, which would disturb other users
    // of a shared Redis.
    const script = new LuaScript(`-- ${randomUUID()}\nreturn {KEYS[1], ARGV[1]}`);
    expect(await script.run(client, ['k'], ['v'])).toEqual(['k', 'v']);
    expect(await script.run(client, ['k2'], [3])).toEqual(['k2', '3']);
  });

  it('R-CLU-12: script errors other than NOSCRIPT are thrown, not retried', async () => {
    const script = new LuaScript(`-- ${randomUUID()}\nreturn redis.call('INCR', KEYS[1])`);
    const key = `${fx.prefix}not-a-number`;
    await client.set(key, 'abc');
    await expect(script.run(client, [key], [])).rejects.toThrow(/not an integer/);
  });
});

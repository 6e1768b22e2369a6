import type { Redis } from 'ioredis';
import { assertOwner, assertPositiveTtl } from './errors';
import { LuaScript } from './redis/lua';
import type { Lease } from './types';

// SET NX PX takes a free lease; the same owner acquiring again extends it. Checking the owner
// and changing the key happen in one script, so a holder whose lease just expired and was
// taken by another node cannot extend or delete the newcomer's lease.
const ACQUIRE = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

const RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export interface RedisLeaseOptions {
  client: Redis;
  keyPrefix?: string;
}

/** Leases as keys holding the owner's id, expiring by Redis' clock (PX), not the nodes'. */
export class RedisLease implements Lease {
  private readonly client: Redis;
  private readonly prefix: string;

  constructor(opts: RedisLeaseOptions) {
    this.client = opts.client;
    this.prefix = `${opts.keyPrefix ?? ''}lease:`;
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    assertOwner(owner);
    assertPositiveTtl(ttlMs);
    return (await ACQUIRE.run(this.client, [this.prefix + key], [owner, ttlMs])) === 1;
  }

  async renew(key: string, owner: string, ttlMs: number): Promise<boolean> {
    assertPositiveTtl(ttlMs);
    return (await RENEW.run(this.client, [this.prefix + key], [owner, ttlMs])) === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await RELEASE.run(this.client, [this.prefix + key], [owner]);
  }

  async owner(key: string): Promise<string | null> {
    return await this.client.get(this.prefix + key);
  }
}

import type { Redis } from 'ioredis';
import { assertPositiveTtl } from './errors';
import { assertNodeInfo, byNodeId, parseNodeInfo } from './node-info';
import { LuaScript } from './redis/lua';
import type { NodeInfo, NodeRegistry } from './types';

/**
 * Each node's entry is its own key with a PX TTL, so liveness is decided by Redis' clock alone
 * (no skew between nodes' clocks) and a node that dies simply stops renewing. Keys are
 * enumerated through a sorted-set index (all scores 0, so members sort by nodeId) rather than
 * SCAN of the prefix: SCAN walks the whole keyspace, which here holds one presence key per
 * online user, to find a handful of node keys. The index can hold ids whose key has expired;
 * list() drops those from the index in the same script that reads the keys, so a node that
 * re-announces between the read and the cleanup cannot be removed from the index by mistake.
 *
 * The script derives node keys from index members instead of declaring them, which is fine on
 * a standalone Redis (what DESIGN.md uses) but not on Redis Cluster.
 */
const LIST = new LuaScript(`
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('GET', ARGV[1] .. id)
  if v then out[#out + 1] = v else redis.call('ZREM', KEYS[1], id) end
end
return out
`);

export interface RedisNodeRegistryOptions {
  client: Redis;
  keyPrefix?: string;
}

export class RedisNodeRegistry implements NodeRegistry {
  private readonly client: Redis;
  private readonly indexKey: string;
  private readonly nodeKeyPrefix: string;

  constructor(opts: RedisNodeRegistryOptions) {
    this.client = opts.client;
    const prefix = opts.keyPrefix ?? '';
    this.indexKey = `${prefix}nodes`;
    this.nodeKeyPrefix = `${prefix}node:`;
  }

  async announce(info: NodeInfo, ttlMs: number): Promise<void> {
    assertNodeInfo(info);
    assertPositiveTtl(ttlMs);
    // JSON rather than msgpack: operators read these with redis-cli, and there are few.
    const value = JSON.stringify(info);
    await execOrThrow(
      this.client
        .multi()
        .set(this.nodeKeyPrefix + info.nodeId, value, 'PX', ttlMs)
        .zadd(this.indexKey, 0, info.nodeId),
    );
  }

  async list(): Promise<NodeInfo[]> {
    const raw = await LIST.run(this.client, [this.indexKey], [this.nodeKeyPrefix]);
    if (!Array.isArray(raw)) throw new TypeError('node registry script returned a non-array');
    const nodes: NodeInfo[] = [];
    for (const item of raw) {
      const info = parseNodeInfo(safeJson(String(item)));
      if (info) nodes.push(info);
    }
    return nodes.sort(byNodeId);
  }

  async remove(nodeId: string): Promise<void> {
    await execOrThrow(
      this.client
        .multi()
        .del(this.nodeKeyPrefix + nodeId)
        .zrem(this.indexKey, nodeId),
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Unparseable means "not a NodeInfo": parseNodeInfo(undefined) skips it.
    return undefined;
  }
}

/** MULTI/EXEC resolves with per-command errors instead of rejecting; surface the first one. */
async function execOrThrow(multi: ReturnType<Redis['multi']>): Promise<void> {
  const results = await multi.exec();
  if (results === null) throw new Error('transaction aborted');
  for (const [err] of results) if (err) throw err;
}

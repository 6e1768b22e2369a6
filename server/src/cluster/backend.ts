import type { Redis } from 'ioredis';
import type { Logger } from '../core';
import type { BusErrorReporter } from './errors';
import { MemoryBus } from './memory-bus';
import { MemoryLease } from './memory-lease';
import { MemoryNodeRegistry } from './memory-registry';
import { RedisBus } from './redis-bus';
import { openRedis } from './redis-connection';
import { RedisLease } from './redis-lease';
import { RedisNodeRegistry } from './redis-registry';
import type { Bus, Clock, Lease, NodeRegistry } from './types';

export interface ClusterBackendOptions {
  /** Absent: one node with in-process implementations. Present: shared state in Redis. */
  redisUrl?: string;
  /** Prepended to every Redis key and channel. Default `imw:`. */
  keyPrefix?: string;
  /** Clock for the in-memory TTLs (registry, lease). Redis uses its own clock. */
  now?: Clock;
  /** Prefix of the Redis connections' CLIENT SETNAME, e.g. the node id. */
  connectionName?: string;
  onBusError?: BusErrorReporter;
  /** Where Redis connection errors are reported (they are retried, not fatal). */
  log?: Pick<Logger, 'warn'>;
}

export interface ClusterBackend {
  readonly kind: 'memory' | 'redis';
  readonly bus: Bus;
  readonly registry: NodeRegistry;
  readonly lease: Lease;
  /**
   * The command connection for other modules' shared state (presence builds its store on it), or
   * null on the in-process backend. Owned by the backend: close() quits it.
   */
  readonly redis: Redis | null;
  /** Prepended to every Redis key and channel. */
  readonly keyPrefix: string;
  /** Closes the bus, then the Redis connections the backend opened. */
  close(): Promise<void>;
}

export const DEFAULT_KEY_PREFIX = 'imw:';

/**
 * The one place that decides between one node and many. Async because the Redis variant
 * connects before it returns: its connections reject commands while disconnected instead of
 * queueing them (see openRedis), so they must be ready before anyone uses them.
 */
export async function createClusterBackend(opts: ClusterBackendOptions = {}): Promise<ClusterBackend> {
  if (opts.redisUrl === undefined || opts.redisUrl === '') return createMemoryBackend(opts);
  return await createRedisBackend(opts.redisUrl, opts);
}

function createMemoryBackend(opts: ClusterBackendOptions): ClusterBackend {
  const now = opts.now ?? Date.now;
  const bus = new MemoryBus(opts.onBusError ? { onError: opts.onBusError } : {});
  return {
    kind: 'memory',
    bus,
    registry: new MemoryNodeRegistry(now),
    lease: new MemoryLease(now),
    redis: null,
    keyPrefix: opts.keyPrefix ?? DEFAULT_KEY_PREFIX,
    async close() {
      await bus.close();
    },
  };
}

async function createRedisBackend(url: string, opts: ClusterBackendOptions): Promise<ClusterBackend> {
  const keyPrefix = opts.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const name = opts.connectionName ?? 'imw';
  const connect = (role: string) =>
    openRedis(url, {
      connectionName: `${name}:${role}`,
      ...(opts.log ? { onError: (err: Error) => opts.log?.warn({ err }, 'redis error') } : {}),
    });
  // Commands (presence store, registry, lease, PUBLISH) share one connection; subscriptions need their
  // own, because a subscribed connection is reserved for (UN)SUBSCRIBE.
  const command = await connect('cmd');
  let subscriber: Redis;
  try {
    subscriber = await connect('sub');
  } catch (err) {
    command.disconnect();
    throw err;
  }
  const bus = new RedisBus({
    publisher: command,
    subscriber,
    keyPrefix,
    ...(opts.onBusError ? { onError: opts.onBusError } : {}),
  });
  return {
    kind: 'redis',
    bus,
    registry: new RedisNodeRegistry({ client: command, keyPrefix }),
    lease: new RedisLease({ client: command, keyPrefix }),
    redis: command,
    keyPrefix,
    async close() {
      await bus.close();
      await Promise.all([quit(subscriber), quit(command)]);
    },
  };
}

/** QUIT waits for replies still due; if Redis is gone it cannot answer, so just drop the socket. */
async function quit(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  try {
    await client.quit();
  } catch {
    // The connection died during QUIT: the outcome (closed) is the one we wanted.
    client.disconnect();
  }
}

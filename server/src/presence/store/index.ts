/** Public face of the presence store: the online table, in memory (one node) or in Redis. */
import type { Redis } from 'ioredis';
import { MemoryPresenceStore } from './memory';
import { RedisPresenceStore } from './redis';
import type { PresenceStore } from './types';

export { MemoryPresenceStore } from './memory';
export { RedisPresenceStore, type RedisPresenceStoreOptions } from './redis';
export {
  oldestFirst,
  PRESENCE_STATUSES,
  type PresencePatch,
  type PresenceRecord,
  type PresenceStatus,
  type PresenceStore,
  SESSION_MODES,
  type SessionMode,
} from './types';

/**
 * Presence decides where the online table lives: in this process, or in Redis on the cluster
 * backend's command connection (borrowed: the store's close() leaves it open).
 */
export function createPresenceStore(backend: { redis: Redis | null; keyPrefix: string }): PresenceStore {
  return backend.redis
    ? new RedisPresenceStore({ client: backend.redis, keyPrefix: backend.keyPrefix })
    : new MemoryPresenceStore();
}

/** Public face of the presence store: the online table, in memory (one node) or in Redis. */
export { MemoryPresenceStore } from './memory';
export { RedisPresenceStore, type RedisPresenceStoreOptions } from './redis';
export {
  PRESENCE_STATUSES,
  type PresencePatch,
  type PresenceRecord,
  type PresenceStatus,
  type PresenceStore,
  SESSION_MODES,
  type SessionMode,
} from './types';

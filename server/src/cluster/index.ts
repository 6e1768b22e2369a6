/**
 * Public face of the cluster module: the bus between nodes, the node registry, leases, this
 * node's entry and placement (drain, redirects, where a login belongs), and the factory that
 * picks in-process or Redis implementations (DESIGN.md, "Load balancing"). It carries packets;
 * who is online and where is presence's.
 */
export {
  type ClusterBackend,
  type ClusterBackendOptions,
  createClusterBackend,
  DEFAULT_KEY_PREFIX,
} from './backend';
export { type BusErrorReporter, ClusterError, ClusterErrorCode, logBusError } from './errors';
export { MemoryBroker, MemoryBus, type MemoryBusOptions } from './memory-bus';
export { MemoryLease } from './memory-lease';
export { MemoryNodeRegistry } from './memory-registry';
export { type ClusterHooks, ClusterNode, type ClusterNodeOptions, wsUrlOf } from './node';
export { type MovableSessions, Placement } from './placement';
export { LuaScript } from './redis/lua';
export { RedisBus, type RedisBusOptions } from './redis-bus';
export { type OpenRedisOptions, openRedis } from './redis-connection';
export { RedisLease, type RedisLeaseOptions } from './redis-lease';
export { RedisNodeRegistry, type RedisNodeRegistryOptions } from './redis-registry';
export type { Bus, BusHandler, Clock, Lease, NodeInfo, NodeRegistry, Unsubscribe } from './types';

/**
 * The cluster's contracts: a message bus between nodes, a registry of live nodes, and leases
 * (one holder at a time, e.g. for a janitor that sweeps a dead node's sessions). Each has an
 * in-process implementation (one node, no Redis) and a Redis one; the same contract suites
 * in server/test/cluster run against both, so module code never knows which it has.
 */

/** Milliseconds since the epoch. Injectable so TTL expiry is testable without waiting. */
export type Clock = () => number;

export type BusHandler = (payload: Uint8Array) => void;

/**
 * Detaches a handler. From the moment it is called the handler receives nothing more, not even
 * a message whose delivery to its node is already under way. Idempotent.
 */
export type Unsubscribe = () => Promise<void>;

export interface Bus {
  /**
   * Deliver `payload` (bytes) to every subscriber of `channel` on every node, in publish order
   * per publisher. Delivery is at most once and always asynchronous (never inside this call).
   * The bytes are captured during the call, so the caller may reuse its buffer at once; handlers
   * must treat what they receive as read-only (all handlers of one node share it).
   */
  publish(channel: string, payload: Uint8Array): Promise<void>;
  /** Resolves once messages published after it are guaranteed to reach `handler`. */
  subscribe(channel: string, handler: BusHandler): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export interface NodeInfo {
  nodeId: string;
  /** Where clients connect to this node (what a redirect sends them to). */
  url: string;
  sessions: number;
  /** Load in [0, 1]; a placement hint, not a measurement anybody should sum. */
  cpu: number;
  /** A draining node takes no new sessions and is redirecting its current ones away. */
  draining: boolean;
  updatedAtMs: number;
}

export interface NodeRegistry {
  /** Insert or replace this node's entry; it disappears `ttlMs` after the last announce. */
  announce(info: NodeInfo, ttlMs: number): Promise<void>;
  /** Live nodes only, ordered by nodeId. */
  list(): Promise<NodeInfo[]>;
  remove(nodeId: string): Promise<void>;
}

export interface Lease {
  /** True if `owner` now holds `key` (also when it already did: acquiring again renews). */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease only if `owner` still holds it. */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease only if `owner` holds it; a former holder cannot free a successor's lease. */
  release(key: string, owner: string): Promise<void>;
  owner(key: string): Promise<string | null>;
}

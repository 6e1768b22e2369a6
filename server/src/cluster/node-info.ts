import type { NodeInfo } from './types';

/**
 * Entries are written by other nodes (possibly another version of this code), so what comes
 * back from Redis is parsed, not cast. A malformed entry is skipped by the registry rather
 * than allowed to make every node's list() throw.
 */
export function parseNodeInfo(value: unknown): NodeInfo | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { nodeId, url, sessions, cpu, draining, updatedAtMs } = v;
  if (typeof nodeId !== 'string' || nodeId === '') return undefined;
  if (typeof url !== 'string') return undefined;
  if (typeof sessions !== 'number' || !Number.isSafeInteger(sessions) || sessions < 0) return undefined;
  if (typeof cpu !== 'number' || !Number.isFinite(cpu)) return undefined;
  if (typeof draining !== 'boolean') return undefined;
  if (typeof updatedAtMs !== 'number' || !Number.isFinite(updatedAtMs)) return undefined;
  return { nodeId, url, sessions, cpu, draining, updatedAtMs };
}

/** Rejects what would be unreadable by the other nodes before it is written. */
export function assertNodeInfo(info: NodeInfo): void {
  if (parseNodeInfo(info) === undefined) {
    throw new TypeError(`invalid NodeInfo: ${JSON.stringify(info)}`);
  }
}

/** One order for both implementations: by nodeId, compared as strings. */
export function byNodeId(a: NodeInfo, b: NodeInfo): number {
  return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
}

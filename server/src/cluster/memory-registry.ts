import { assertPositiveTtl } from './errors';
import { assertNodeInfo, byNodeId } from './node-info';
import type { Clock, NodeInfo, NodeRegistry } from './types';

interface Entry {
  info: NodeInfo;
  expiresAtMs: number;
}

/** The single-node registry. Expiry is evaluated lazily against the injected clock. */
export class MemoryNodeRegistry implements NodeRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: Clock = Date.now) {}

  async announce(info: NodeInfo, ttlMs: number): Promise<void> {
    assertNodeInfo(info);
    assertPositiveTtl(ttlMs);
    // Store a copy, as Redis stores a serialisation: later edits by the caller change nothing.
    this.entries.set(info.nodeId, { info: { ...info }, expiresAtMs: this.now() + ttlMs });
  }

  async list(): Promise<NodeInfo[]> {
    const now = this.now();
    const live: NodeInfo[] = [];
    for (const [nodeId, entry] of this.entries) {
      if (now >= entry.expiresAtMs) this.entries.delete(nodeId);
      else live.push({ ...entry.info });
    }
    return live.sort(byNodeId);
  }

  async remove(nodeId: string): Promise<void> {
    this.entries.delete(nodeId);
  }
}

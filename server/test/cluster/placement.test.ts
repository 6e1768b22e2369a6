import { describe, expect, it } from 'vitest';
import {
  ClusterNode,
  MemoryLease,
  MemoryNodeRegistry,
  type MovableSessions,
  type NodeInfo,
  Placement,
} from '../../src/cluster';
import { createLogger } from '../../src/core';

const peer = (nodeId: string, sessions: number): NodeInfo => ({
  nodeId,
  url: `http://${nodeId}.test`,
  sessions,
  cpu: 0,
  draining: false,
  updatedAtMs: Date.now(),
});

/** A node with `count` sessions and three peers whose registry entries are not refreshed meanwhile. */
async function drainingNode(count: number, peerCounts: Record<string, number>) {
  const registry = new MemoryNodeRegistry();
  for (const [id, n] of Object.entries(peerCounts)) await registry.announce(peer(id, n), 60_000);
  const node = new ClusterNode(
    // A long announce interval: every pick of the drain reads the same stale counts.
    { nodeId: 'a', url: 'http://a.test', ttlMs: 60_000, announceMs: 60_000, graceMs: 1_000, maxSessions: 0 },
    registry,
    new MemoryLease(),
    {
      localSessions: () => sessions.length,
      reapDeadNode: async () => 0,
      hostedScenes: () => [],
      nodesWithSessions: async () => [],
    },
    createLogger('silent'),
  );
  const sessions = Array.from({ length: count }, (_, i) => i);
  const movedTo = new Map<string, number>();
  const movable: MovableSessions<number> = {
    localSessions: () => [...sessions],
    get localCount() {
      return sessions.length;
    },
    moveTo: async (s, target) => {
      sessions.splice(sessions.indexOf(s), 1);
      movedTo.set(target.nodeId, (movedTo.get(target.nodeId) ?? 0) + 1);
    },
  };
  return { placement: new Placement(node, movable, 5_000), movedTo };
}

describe('drain placement (R-CLU-39)', () => {
  it('R-CLU-39: a drain of 1,000 sessions onto three peers spreads them although the peers announce no new counts meanwhile', async () => {
    const { placement, movedTo } = await drainingNode(1000, { b: 0, c: 0, d: 0 });
    expect(await placement.drain()).toEqual({ moved: 1000, remaining: 0 });
    const counts = ['b', 'c', 'd'].map((id) => movedTo.get(id) ?? 0);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(1000);
    // Even to one session: each pick goes to the peer with the fewest sessions counted so far.
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('R-CLU-39: peers that start unequal end level: the less loaded get more until they catch up', async () => {
    const start = { b: 300, c: 0, d: 100 };
    const { placement, movedTo } = await drainingNode(800, start);
    await placement.drain();
    const totals = Object.entries(start).map(([id, n]) => n + (movedTo.get(id) ?? 0));
    expect(totals.reduce((x, y) => x + y, 0)).toBe(1200);
    expect(Math.max(...totals) / Math.min(...totals)).toBeLessThanOrEqual(1.5);
    expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(1);
  });
});

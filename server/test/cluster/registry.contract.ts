import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NodeInfo, NodeRegistry } from '../../src/cluster';
import { waitFor } from '../support/wait';

/**
 * `a` and `b` are two nodes' handles on one registry (the same object for the in-memory one).
 * `elapse` lets time pass: the injected clock in memory, the real clock for Redis.
 */
export interface RegistryEnv {
  a: NodeRegistry;
  b: NodeRegistry;
  /** A TTL that runs out quickly with `elapse`. */
  shortTtlMs: number;
  elapse(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

const LONG_TTL_MS = 60_000;

export function nodeInfo(nodeId: string, overrides: Partial<NodeInfo> = {}): NodeInfo {
  return {
    nodeId,
    url: `wss://${nodeId}.example.test/ws`,
    sessions: 0,
    cpu: 0.25,
    draining: false,
    updatedAtMs: 1_700_000_000_000,
    ...overrides,
  };
}

export function registryContract(name: string, makeEnv: () => Promise<RegistryEnv>): void {
  describe(`NodeRegistry contract: ${name}`, () => {
    let env: RegistryEnv;

    beforeEach(async () => {
      env = await makeEnv();
    });

    afterEach(async () => {
      await env.cleanup();
    });

    const ids = async (r: NodeRegistry) => (await r.list()).map((n) => n.nodeId);

    it('R-REG-1: an announced node is listed, exactly as announced, by every node, ordered by nodeId', async () => {
      const n2 = nodeInfo('node-2', { sessions: 17, cpu: 0.5, draining: true });
      const n1 = nodeInfo('node-1', { sessions: 3 });
      await env.a.announce(n2, LONG_TTL_MS);
      await env.b.announce(n1, LONG_TTL_MS);
      expect(await env.a.list()).toEqual([n1, n2]);
      expect(await env.b.list()).toEqual([n1, n2]);
    });

    it('R-REG-2: announcing again replaces the entry', async () => {
      await env.a.announce(nodeInfo('node-1', { sessions: 1 }), LONG_TTL_MS);
      await env.a.announce(nodeInfo('node-1', { sessions: 9, draining: true }), LONG_TTL_MS);
      expect(await env.b.list()).toEqual([nodeInfo('node-1', { sessions: 9, draining: true })]);
    });

    it('R-REG-3: a node that stops announcing disappears once its TTL has run out', async () => {
      await env.a.announce(nodeInfo('mortal'), env.shortTtlMs);
      await env.a.announce(nodeInfo('immortal'), LONG_TTL_MS);
      await env.elapse(env.shortTtlMs);
      await waitFor('the expired node to leave the list', async () => !(await ids(env.b)).includes('mortal'));
      expect(await ids(env.a)).toEqual(['immortal']);
    });

    it('R-REG-4: each announce restarts the TTL', async () => {
      await env.a.announce(nodeInfo('renewed'), env.shortTtlMs);
      await env.a.announce(nodeInfo('renewed'), LONG_TTL_MS);
      await env.elapse(env.shortTtlMs * 2);
      expect(await ids(env.b)).toEqual(['renewed']);
    });

    it('R-REG-5: remove takes a node out at once and leaves the others', async () => {
      await env.a.announce(nodeInfo('leaving'), LONG_TTL_MS);
      await env.a.announce(nodeInfo('staying'), LONG_TTL_MS);
      await env.b.remove('leaving');
      await env.b.remove('never-existed');
      expect(await ids(env.a)).toEqual(['staying']);
    });

    it('R-REG-6: invalid entries and TTLs are refused before anything is written', async () => {
      await expect(env.a.announce(nodeInfo('bad', { sessions: -1 }), LONG_TTL_MS)).rejects.toThrow(TypeError);
      await expect(env.a.announce(nodeInfo(''), LONG_TTL_MS)).rejects.toThrow(TypeError);
      await expect(env.a.announce(nodeInfo('zero-ttl'), 0)).rejects.toThrow(RangeError);
      await expect(env.a.announce(nodeInfo('frac-ttl'), 1.5)).rejects.toThrow(RangeError);
      expect(await env.a.list()).toEqual([]);
    });

    it('R-REG-7: the list holds a copy: editing a returned or announced object changes nothing', async () => {
      const info = nodeInfo('node-1');
      await env.a.announce(info, LONG_TTL_MS);
      info.sessions = 999;
      const [listed] = await env.a.list();
      listed!.draining = true;
      expect(await env.b.list()).toEqual([nodeInfo('node-1')]);
    });
  });
}

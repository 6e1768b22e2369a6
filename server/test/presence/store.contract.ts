import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  oldestFirst,
  PRESENCE_STATUSES,
  type PresencePatch,
  type PresenceRecord,
  type PresenceStore,
  SESSION_MODES,
} from '../../src/presence/store';

export function record(userId: number, overrides: Partial<PresenceRecord> = {}): PresenceRecord {
  return {
    userId,
    sessionId: `s-${userId}`,
    nodeId: 'node-1',
    status: 'online',
    mode: 'normal',
    sceneId: null,
    loginAtMs: 1_700_000_000_000 + userId,
    device: 'test',
    ...overrides,
  };
}

const byUser = (a: PresenceRecord, b: PresenceRecord) => a.userId - b.userId;

export interface ContractOptions {
  /** Runs of the model-based property; fewer for backends with a network round trip per op. */
  modelRuns?: number;
}

/**
 * The behaviour every PresenceStore promises (rule IDs R-PST-*). `makeStore` returns an empty
 * store; the suite closes it after each test.
 */
export function presenceStoreContract(
  name: string,
  makeStore: () => PresenceStore | Promise<PresenceStore>,
  opts: ContractOptions = {},
): void {
  describe(`PresenceStore contract: ${name}`, () => {
    let store: PresenceStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    afterEach(async () => {
      await store.close();
    });

    it('R-PST-1: put then get returns the record field for field; an unknown user has none', async () => {
      expect(await store.get(1)).toEqual([]);
      const variants: PresenceRecord[] = [];
      let userId = 1;
      for (const status of PRESENCE_STATUSES) {
        for (const mode of SESSION_MODES) {
          for (const sceneId of [null, 'plaza', '']) {
            variants.push(
              record(userId++, {
                status,
                mode,
                sceneId,
                nodeId: `node:${userId % 3}`,
                device: `d/${userId}é`,
              }),
            );
          }
        }
      }
      variants.push(record(0), record(Number.MAX_SAFE_INTEGER), record(-7, { loginAtMs: 0, device: '' }));
      for (const rec of variants) expect(await store.put(rec)).toEqual([]);
      for (const rec of variants) expect(await store.get(rec.userId)).toEqual([rec]);
      expect(await store.get(999_999)).toEqual([]);
    });

    it('R-PST-2: a user has several sessions (R-DEV-1); put returns the others, oldest first; same id replaces', async () => {
      const first = record(1, { sessionId: 'old', nodeId: 'node-a', status: 'busy', sceneId: 'plaza' });
      const second = record(1, { sessionId: 'new', nodeId: 'node-b', mode: 'scene', loginAtMs: 2e12 });
      const third = record(1, { sessionId: 'a-third', loginAtMs: 2e12 });
      expect(await store.put(first)).toEqual([]);
      expect(await store.put(second)).toEqual([first]);
      expect(await store.put(third)).toEqual([first, second]);
      expect(await store.get(1)).toEqual([first, third, second]);
      const moved = { ...second, nodeId: 'node-c' };
      expect(await store.put(moved)).toEqual([first, third]);
      expect(await store.get(1)).toEqual([first, third, moved]);
      expect(await store.countByNode('node-b')).toBe(0);
    });

    it('R-PST-3: getMany returns exactly the online users among those asked for, with all their sessions', async () => {
      await store.put(record(1));
      await store.put(record(3, { status: 'away' }));
      await store.put(record(3, { status: 'away', sessionId: 'tab-2', loginAtMs: 2e12 }));
      await store.put(record(5, { nodeId: 'node-2' }));
      const found = await store.getMany([1, 2, 3, 4, 3, 1]);
      expect([...found.keys()].sort()).toEqual([1, 3]);
      expect(found.get(3)).toEqual([
        record(3, { status: 'away' }),
        record(3, { status: 'away', sessionId: 'tab-2', loginAtMs: 2e12 }),
      ]);
      expect((await store.getMany([])).size).toBe(0);
      expect((await store.getMany([7, 8])).size).toBe(0);
    });

    it('R-PST-4: update of a stored session patches only the given fields of that session', async () => {
      await store.put(record(1, { sceneId: 'plaza' }));
      await store.put(record(1, { sessionId: 'other', loginAtMs: 2e12 }));
      expect(await store.update(1, 's-1', { status: 'away' })).toBe(true);
      expect((await store.get(1))[0]).toEqual(record(1, { sceneId: 'plaza', status: 'away' }));
      expect(await store.update(1, 's-1', { mode: 'scene', sceneId: 'hall', nodeId: 'node-9' })).toBe(true);
      expect((await store.get(1))[0]).toEqual(
        record(1, { status: 'away', mode: 'scene', sceneId: 'hall', nodeId: 'node-9' }),
      );
      expect(await store.update(1, 's-1', { sceneId: null, status: undefined })).toBe(true);
      expect((await store.get(1))[0]).toEqual(record(1, { status: 'away', mode: 'scene', nodeId: 'node-9' }));
      expect(await store.update(1, 's-1', {})).toBe(true);
      expect((await store.get(1))[1]).toEqual(record(1, { sessionId: 'other', loginAtMs: 2e12 }));
    });

    it('R-PST-5: update of a session that is not stored (or of an offline user) is refused and changes nothing', async () => {
      const current = record(1, { sessionId: 'new', nodeId: 'node-b' });
      await store.put(current);
      expect(await store.update(1, 'old', { status: 'invisible', nodeId: 'node-a' })).toBe(false);
      expect(await store.get(1)).toEqual([current]);
      expect(await store.countByNode('node-a')).toBe(0);
      expect(await store.update(2, 's-2', { status: 'away' })).toBe(false);
      expect(await store.get(2)).toEqual([]);
    });

    it('R-PST-6: remove takes one session; an unknown one is refused', async () => {
      await store.put(record(1, { sessionId: 'old' }));
      await store.put(record(1, { sessionId: 'new', loginAtMs: 2e12 }));
      expect(await store.remove(1, 'gone')).toBe(false);
      expect(await store.remove(1, 'old')).toBe(true);
      expect(await store.get(1)).toEqual([record(1, { sessionId: 'new', loginAtMs: 2e12 })]);
      expect(await store.remove(1, 'new')).toBe(true);
      expect(await store.get(1)).toEqual([]);
      expect(await store.remove(1, 'new')).toBe(false);
      expect(await store.countByNode('node-1')).toBe(0);
    });

    it('R-PST-7: listByNode and countByNode follow put, node change and remove, per session', async () => {
      await store.put(record(1, { nodeId: 'A' }));
      await store.put(record(2, { nodeId: 'A' }));
      await store.put(record(3, { nodeId: 'B' }));
      expect((await store.listByNode('A')).sort(byUser)).toEqual([
        record(1, { nodeId: 'A' }),
        record(2, { nodeId: 'A' }),
      ]);
      expect(await store.countByNode('A')).toBe(2);

      await store.put(record(2, { nodeId: 'B', sessionId: 'second' })); // a second device elsewhere
      await store.put(record(2, { nodeId: 'B' })); // the first one moved
      await store.update(1, 's-1', { nodeId: 'C' });
      expect(await store.listByNode('A')).toEqual([]);
      expect(await store.countByNode('A')).toBe(0);
      expect((await store.listByNode('B')).map((r) => `${r.userId}/${r.sessionId}`).sort()).toEqual([
        '2/s-2',
        '2/second',
        '3/s-3',
      ]);
      expect(await store.countByNode('B')).toBe(3);
      expect(await store.countByNode('C')).toBe(1);

      expect((await store.nodesWithSessions()).sort()).toEqual(['B', 'C']);

      await store.remove(3, 's-3');
      await store.remove(2, 's-2');
      expect(await store.listByNode('B')).toEqual([record(2, { nodeId: 'B', sessionId: 'second' })]);
      expect(await store.countByNode('nowhere')).toBe(0);
      await store.remove(2, 'second');
      expect(await store.nodesWithSessions()).toEqual(['C']);
    });

    it('R-PST-8: records are snapshots: editing what put() took or get() returned changes nothing', async () => {
      const rec = record(1);
      await store.put(rec);
      rec.status = 'busy';
      const got = await store.get(1);
      got[0]!.nodeId = 'elsewhere';
      (await store.getMany([1])).get(1)![0]!.sessionId = 'forged';
      (await store.listByNode('node-1'))[0]!.mode = 'scene';
      (await store.put(record(1, { sessionId: 'b', loginAtMs: 2e12 })))[0]!.status = 'away';
      expect((await store.get(1))[0]).toEqual(record(1));
      expect(await store.countByNode('elsewhere')).toBe(0);
    });

    it('R-PST-9: concurrent puts for one user keep every session and one index entry each', async () => {
      const sessions = Array.from({ length: 10 }, (_, i) => `s${i}`);
      const others = await Promise.all(
        sessions.map((sessionId, i) => store.put(record(1, { sessionId, nodeId: `node-${i % 3}` }))),
      );
      // Serialised: the answers are 0, 1, ..., 9 other sessions in some order.
      expect(others.map((o) => o.length).sort((a, b) => a - b)).toEqual(sessions.map((_, i) => i));
      expect((await store.get(1)).map((r) => r.sessionId).sort()).toEqual([...sessions].sort());
      const counts = await Promise.all([0, 1, 2].map((n) => store.countByNode(`node-${n}`)));
      expect(counts.reduce((x, y) => x + y)).toBe(10);
    });

    it('R-PST-10: invalid records and patches are refused before anything is stored', async () => {
      const bad = [
        record(1.5),
        record(Number.NaN),
        record(1, { sessionId: '' }),
        record(1, { nodeId: '' }),
        record(1, { status: 'gone' as PresenceRecord['status'] }),
        record(1, { mode: 'ghost' as PresenceRecord['mode'] }),
        record(1, { loginAtMs: Number.POSITIVE_INFINITY }),
        record(1, { device: 'x'.repeat(65) }),
      ];
      for (const rec of bad) await expect(store.put(rec)).rejects.toThrow(TypeError);
      expect(await store.get(1)).toEqual([]);
      await store.put(record(2));
      await expect(store.update(2, 's-2', { status: 'gone' as PresenceRecord['status'] })).rejects.toThrow(
        TypeError,
      );
      await expect(store.update(2, 's-2', { nodeId: '' })).rejects.toThrow(TypeError);
      await expect(store.setStatus(2, 'gone' as PresenceRecord['status'])).rejects.toThrow(TypeError);
      expect(await store.get(2)).toEqual([record(2)]);
    });

    it('R-PST-13: setStatus sets one status on every session of the user, and only theirs', async () => {
      await store.put(record(1));
      await store.put(record(1, { sessionId: 'tab', nodeId: 'node-2', loginAtMs: 2e12 }));
      await store.put(record(2));
      expect(await store.setStatus(1, 'invisible')).toBe(2);
      expect((await store.get(1)).map((r) => r.status)).toEqual(['invisible', 'invisible']);
      expect((await store.get(2))[0]!.status).toBe('online');
      expect(await store.setStatus(3, 'away')).toBe(0);
      expect(await store.get(3)).toEqual([]);
    });

    it('R-PST-11: any sequence of operations gives the same answers as a reference model', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 30 }), async (ops) => {
          const s = await makeStore();
          try {
            const model = new ReferenceModel();
            for (const op of ops) expect(await apply(s, op)).toEqual(await apply(model, op));
          } finally {
            await s.close();
          }
        }),
        { numRuns: opts.modelRuns ?? 100 },
      );
    });
  });
}

// ---- model-based testing -------------------------------------------------------------------

const userId = fc.integer({ min: 1, max: 4 });
const sessionId = fc.constantFrom('s1', 's2', 's3');
const nodeId = fc.constantFrom('n1', 'n2', 'n3');
const status = fc.constantFrom(...PRESENCE_STATUSES);
const mode = fc.constantFrom(...SESSION_MODES);
const sceneId = fc.option(fc.constantFrom('plaza', 'hall', ''), { nil: null });
const patch: fc.Arbitrary<PresencePatch> = fc.record({ status, mode, sceneId, nodeId }, { requiredKeys: [] });

type Op =
  | { op: 'put'; rec: PresenceRecord }
  | { op: 'setStatus'; userId: number; status: PresenceRecord['status'] }
  | { op: 'update'; userId: number; sessionId: string; patch: PresencePatch }
  | { op: 'remove'; userId: number; sessionId: string }
  | { op: 'get'; userId: number }
  | { op: 'getMany' }
  | { op: 'listByNode'; nodeId: string }
  | { op: 'countByNode'; nodeId: string }
  | { op: 'nodesWithSessions' };

const operation: fc.Arbitrary<Op> = fc.oneof(
  fc
    .record({
      userId,
      sessionId,
      nodeId,
      status,
      mode,
      sceneId,
      loginAtMs: fc.nat(),
      device: fc.constantFrom('', 'tab'),
    })
    .map((rec) => ({ op: 'put' as const, rec })),
  fc.record({ op: fc.constant('setStatus' as const), userId, status }),
  fc.record({ op: fc.constant('update' as const), userId, sessionId, patch }),
  fc.record({ op: fc.constant('remove' as const), userId, sessionId }),
  fc.record({ op: fc.constant('get' as const), userId }),
  fc.constant({ op: 'getMany' as const }),
  fc.record({ op: fc.constant('listByNode' as const), nodeId }),
  fc.record({ op: fc.constant('countByNode' as const), nodeId }),
  fc.constant({ op: 'nodesWithSessions' as const }),
);

/**
 * Obviously-correct semantics: a Map of records, the node index derived on demand. Async only
 * to share the PresenceStore interface; it does nothing concurrently.
 */
class ReferenceModel implements PresenceStore {
  private readonly records = new Map<string, PresenceRecord>();
  private readonly key = (id: number, sid: string) => `${id}/${sid}`;
  private ofUser(id: number): PresenceRecord[] {
    return [...this.records.values()]
      .filter((r) => r.userId === id)
      .map((r) => ({ ...r }))
      .sort(oldestFirst);
  }

  async put(rec: PresenceRecord): Promise<PresenceRecord[]> {
    this.records.set(this.key(rec.userId, rec.sessionId), { ...rec });
    return this.ofUser(rec.userId).filter((r) => r.sessionId !== rec.sessionId);
  }
  async get(id: number): Promise<PresenceRecord[]> {
    return this.ofUser(id);
  }
  async getMany(ids: readonly number[]): Promise<Map<number, PresenceRecord[]>> {
    const out = new Map<number, PresenceRecord[]>();
    for (const id of ids) {
      const recs = this.ofUser(id);
      if (recs.length) out.set(id, recs);
    }
    return out;
  }
  async update(id: number, sid: string, p: PresencePatch): Promise<boolean> {
    const rec = this.records.get(this.key(id, sid));
    if (!rec) return false;
    for (const [k, v] of Object.entries(p)) if (v !== undefined) Object.assign(rec, { [k]: v });
    return true;
  }
  async setStatus(id: number, st: PresenceRecord['status']): Promise<number> {
    let n = 0;
    for (const r of this.records.values()) {
      if (r.userId !== id) continue;
      r.status = st;
      n++;
    }
    return n;
  }
  async remove(id: number, sid: string): Promise<boolean> {
    return this.records.delete(this.key(id, sid));
  }
  async listByNode(node: string): Promise<PresenceRecord[]> {
    return [...this.records.values()].filter((r) => r.nodeId === node).map((r) => ({ ...r }));
  }
  async countByNode(node: string): Promise<number> {
    return (await this.listByNode(node)).length;
  }
  async nodesWithSessions(): Promise<string[]> {
    return [...new Set([...this.records.values()].map((r) => r.nodeId))];
  }
  async close(): Promise<void> {}
}

/** Runs `op` and normalises the answer (Maps to sorted entries, lists sorted by user). */
async function apply(target: PresenceStore, op: Op): Promise<unknown> {
  switch (op.op) {
    case 'put':
      return await target.put(op.rec);
    case 'setStatus':
      return await target.setStatus(op.userId, op.status);
    case 'update':
      return await target.update(op.userId, op.sessionId, op.patch);
    case 'remove':
      return await target.remove(op.userId, op.sessionId);
    case 'get':
      return await target.get(op.userId);
    case 'getMany':
      return [...(await target.getMany([1, 2, 3, 4, 5])).entries()].sort((a, b) => a[0] - b[0]);
    case 'listByNode':
      return (await target.listByNode(op.nodeId)).sort((a, b) => byUser(a, b) || oldestFirst(a, b));
    case 'countByNode':
      return await target.countByNode(op.nodeId);
    case 'nodesWithSessions':
      return (await target.nodesWithSessions()).sort();
  }
}

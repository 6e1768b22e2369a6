import { describe, expect, it } from 'vitest';
import { BatchLoader } from '../../src/db';

/** A fetch whose answers the test releases by hand, so interleavings are exact, not timed. */
function manualFetch() {
  const calls: Array<{ keys: string[]; answer: (m: Map<string, number>) => void; fail: (e: Error) => void }> =
    [];
  const fetchMany = (keys: string[]) =>
    new Promise<ReadonlyMap<string, number>>((resolve, reject) => {
      calls.push({ keys, answer: resolve, fail: reject });
    });
  return { calls, fetchMany };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('BatchLoader (point reads coalesced per event-loop turn)', () => {
  it('reads asked in one turn go out as one fetch of distinct keys; a missing key is undefined', async () => {
    const { calls, fetchMany } = manualFetch();
    const loader = new BatchLoader(fetchMany);
    const a = loader.load('alice');
    const b = loader.load('bob');
    const a2 = loader.load('alice');
    expect(calls).toHaveLength(0); // nothing is read before the turn ends
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['alice', 'bob']]);
    calls[0]!.answer(new Map([['alice', 1]]));
    expect(await a).toBe(1);
    expect(await a2).toBe(1);
    expect(await b).toBeUndefined();
  });

  it('a read asked after a fetch went out is not answered from it', async () => {
    const { calls, fetchMany } = manualFetch();
    const loader = new BatchLoader(fetchMany);
    const early = loader.load('alice');
    await turn();
    const late = loader.load('alice');
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['alice'], ['alice']]);
    calls[0]!.answer(new Map([['alice', 1]]));
    calls[1]!.answer(new Map([['alice', 2]]));
    expect(await early).toBe(1);
    expect(await late).toBe(2);
  });

  it('splits a turn into fetches of at most maxBatch keys', async () => {
    const { calls, fetchMany } = manualFetch();
    const loader = new BatchLoader(fetchMany, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((k) => loader.load(k));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    for (const c of calls) c.answer(new Map(c.keys.map((k) => [k, k.charCodeAt(0)])));
    expect(await Promise.all(all)).toEqual([97, 98, 99, 100, 101]);
  });

  it('a failed fetch rejects every caller of that batch, and only those', async () => {
    const { calls, fetchMany } = manualFetch();
    const loader = new BatchLoader(fetchMany, 1);
    const a = loader.load('a');
    const b = loader.load('b');
    await turn();
    calls[0]!.fail(new Error('database away'));
    calls[1]!.answer(new Map([['b', 2]]));
    await expect(a).rejects.toThrow('database away');
    expect(await b).toBe(2);
  });

  it('a fetch that throws synchronously rejects its callers instead of escaping', async () => {
    const loader = new BatchLoader<string, number>(() => {
      throw new Error('bad query');
    });
    await expect(loader.load('a')).rejects.toThrow('bad query');
  });
});

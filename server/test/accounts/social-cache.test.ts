import { describe, expect, it } from 'vitest';
import { IdSetCache } from '../../src/accounts/social/cache';

/** A loader whose answers the test releases by hand, so interleavings are exact, not timed. */
function manualLoader() {
  const calls: Array<{ key: number; resolve: (ids: number[]) => void }> = [];
  const load = (key: number) =>
    new Promise<ReadonlySet<number>>((resolve) => {
      calls.push({ key, resolve: (ids) => resolve(new Set(ids)) });
    });
  return { calls, load };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('IdSetCache (the social hot-path cache)', () => {
  it('R-FRD-12/R-GRP-9: concurrent misses share one load, and the result is kept', async () => {
    const { calls, load } = manualLoader();
    const cache = new IdSetCache<number>(10, load);
    const a = cache.get(1);
    const b = cache.get(1);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve([7]);
    expect([...(await a)]).toEqual([7]);
    expect([...(await b)]).toEqual([7]);
    expect([...(await cache.get(1))]).toEqual([7]);
    expect(calls).toHaveLength(1);
  });

  it('R-FRD-12/R-GRP-9: a load that raced an invalidation answers its callers but is never stored', async () => {
    const { calls, load } = manualLoader();
    const cache = new IdSetCache<number>(10, load);
    const early = cache.get(1); // reads the rows before the write commits
    cache.invalidate(1); // the write committed and invalidated
    const late = cache.get(1); // must not share the old load
    expect(calls).toHaveLength(2);
    calls[0]!.resolve([7]);
    expect([...(await early)]).toEqual([7]);
    calls[1]!.resolve([]);
    expect([...(await late)]).toEqual([]);
    expect([...(await cache.get(1))]).toEqual([]);
    expect(calls).toHaveLength(2);
  });

  it('R-FRD-12/R-GRP-9: a stale load finishing after a fresh one does not overwrite it', async () => {
    const { calls, load } = manualLoader();
    const cache = new IdSetCache<number>(10, load);
    const early = cache.get(1);
    cache.invalidate(1);
    const late = cache.get(1);
    calls[1]!.resolve([]);
    await late;
    calls[0]!.resolve([7]);
    await early;
    await flush();
    expect([...(await cache.get(1))]).toEqual([]);
  });

  it('R-FRD-12/R-GRP-9: invalidateContaining drops sets holding the id and every load in flight', async () => {
    const { calls, load } = manualLoader();
    const cache = new IdSetCache<number>(10, load);
    const one = cache.get(1);
    calls[0]!.resolve([5, 6]);
    await one;
    const two = cache.get(2);
    calls[1]!.resolve([6]);
    await two;
    const three = cache.get(3);
    const four = cache.get(4);
    cache.invalidateContaining(5);
    calls[2]!.resolve([5]);
    calls[3]!.resolve([8]);
    await Promise.all([three, four]);
    expect(cache.size).toBe(1); // only key 2 survives
    void cache.get(1);
    expect(calls).toHaveLength(5);
  });

  it('R-FRD-12/R-GRP-9: the cache holds at most maxEntries sets, dropping the least recently used', async () => {
    let loads = 0;
    const cache = new IdSetCache<number>(2, async (k) => {
      loads++;
      return new Set([k]);
    });
    await cache.get(1);
    await cache.get(2);
    await cache.get(1); // 1 is now the most recently used
    await cache.get(3); // evicts 2
    expect(cache.size).toBe(2);
    expect(loads).toBe(3);
    await cache.get(1);
    expect(loads).toBe(3);
    await cache.get(2);
    expect(loads).toBe(4);
  });

  it('R-FRD-12/R-GRP-9: a failed load is not cached and the next read tries again', async () => {
    let fail = true;
    const cache = new IdSetCache<number>(2, async () => {
      if (fail) throw new Error('db down');
      return new Set([1]);
    });
    await expect(cache.get(1)).rejects.toThrow('db down');
    fail = false;
    expect([...(await cache.get(1))]).toEqual([1]);
  });

  it('R-FRD-12/R-GRP-9: an entry older than maxAgeMs is loaded again (lost cross-node invalidations heal)', async () => {
    let nowMs = 1_000;
    let loads = 0;
    const cache = new IdSetCache<number>(10, async () => new Set([++loads]), {
      maxAgeMs: 500,
      now: () => nowMs,
    });
    expect([...(await cache.get(1))]).toEqual([1]);
    nowMs += 499;
    expect([...(await cache.get(1))]).toEqual([1]);
    nowMs += 1;
    expect([...(await cache.get(1))]).toEqual([2]);
    expect(loads).toBe(2);
  });
});

/**
 * A bounded, least-recently-used cache of id sets (a user's friend ids, a group's member ids) for
 * the message-delivery hot path.
 *
 * Correctness rule: after `invalidate(key)` returns, no read can be answered from data loaded
 * before the call. Concurrent misses of one key share one load; `invalidate` deletes the entry and
 * marks that load stale, so a load that raced a write (it read the old rows, the write committed and
 * invalidated, then the load finished) is handed to the callers already waiting on it but never
 * stored. Writers invalidate after their transaction ends, committed or not.
 *
 * `maxAgeMs` bounds how long an entry may be trusted without an invalidation: a safety net for
 * cross-node invalidations that get lost (Redis pub/sub delivers at most once).
 */
export class IdSetCache<K> {
  private readonly entries = new Map<K, { ids: ReadonlySet<number>; loadedAtMs: number }>();
  private readonly loads = new Map<K, { promise: Promise<ReadonlySet<number>>; stale: boolean }>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly maxEntries: number,
    private readonly load: (key: K) => Promise<ReadonlySet<number>>,
    opts: { maxAgeMs?: number; now?: () => number } = {},
  ) {
    if (!(maxEntries >= 0)) throw new RangeError('maxEntries must be >= 0');
    this.maxAgeMs = opts.maxAgeMs ?? Number.POSITIVE_INFINITY;
    this.now = opts.now ?? Date.now;
  }

  async get(key: K): Promise<ReadonlySet<number>> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      if (this.now() - hit.loadedAtMs < this.maxAgeMs) {
        // Re-inserted: the most recently used (Map iterates in insertion order).
        this.entries.set(key, hit);
        return hit.ids;
      }
    }
    const pending = this.loads.get(key);
    if (pending) return pending.promise;
    const loadedAtMs = this.now();
    const flight = { promise: this.load(key), stale: false };
    this.loads.set(key, flight);
    try {
      const value = await flight.promise;
      if (!flight.stale) this.store(key, value, loadedAtMs);
      return value;
    } finally {
      if (this.loads.get(key) === flight) this.loads.delete(key);
    }
  }

  invalidate(key: K): void {
    this.entries.delete(key);
    const flight = this.loads.get(key);
    if (flight) {
      flight.stale = true;
      this.loads.delete(key);
    }
  }

  /** Drops every entry whose set contains `id`, and every load in flight (it might contain `id`). */
  invalidateContaining(id: number): void {
    for (const [key, e] of this.entries) if (e.ids.has(id)) this.entries.delete(key);
    for (const flight of this.loads.values()) flight.stale = true;
    this.loads.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** `loadedAtMs` is when the load started: the age counts from the read, not from its answer. */
  private store(key: K, ids: ReadonlySet<number>, loadedAtMs: number): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { ids, loadedAtMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

import type { Clock } from './clock';

/**
 * A token bucket: `ratePerSec` tokens refill continuously up to `burst`. `take()` answers 0 when
 * allowed, else the milliseconds until one token is back (the retryAfterMs we report).
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSec: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.lastMs = clock.now();
  }

  take(cost = 1): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) * this.ratePerSec) / 1000);
    this.lastMs = now;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return Math.ceil(((cost - this.tokens) * 1000) / this.ratePerSec);
  }

  /** Back to a full bucket: forgetting it now changes nothing. */
  isFull(): boolean {
    const refill = ((this.clock.now() - this.lastMs) * this.ratePerSec) / 1000;
    return this.tokens + refill >= this.burst;
  }
}

/**
 * Per-key buckets plus an abuse counter: a key that keeps hitting the limit (`strikesToClose`
 * refusals within `strikeWindowMs`) is reported as abusive so the caller can close it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; strikes: number[] }>();

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly strikesToClose = 50,
    private readonly strikeWindowMs = 10_000,
  ) {}

  /** 'ok', or the wait in ms, or 'abusive' when the key should be disconnected. */
  check(key: string, cost = 1): { ok: true } | { ok: false; retryAfterMs: number; abusive: boolean } {
    if (this.ratePerSec <= 0) return { ok: true };
    let e = this.buckets.get(key);
    if (!e) {
      e = { bucket: new TokenBucket(this.clock, this.ratePerSec, this.burst), strikes: [] };
      this.buckets.set(key, e);
    }
    const wait = e.bucket.take(cost);
    if (wait === 0) return { ok: true };
    const now = this.clock.now();
    e.strikes.push(now);
    while (e.strikes.length && e.strikes[0]! < now - this.strikeWindowMs) e.strikes.shift();
    return { ok: false, retryAfterMs: wait, abusive: e.strikes.length >= this.strikesToClose };
  }

  /**
   * A strike without a refusal: the caller saw abuse the bucket cannot (a record that failed to
   * parse). True when the key is now abusive.
   */
  strike(key: string): boolean {
    if (this.ratePerSec <= 0) return false;
    const now = this.clock.now();
    let e = this.buckets.get(key);
    if (!e) {
      e = { bucket: new TokenBucket(this.clock, this.ratePerSec, this.burst), strikes: [] };
      this.buckets.set(key, e);
    }
    e.strikes.push(now);
    while (e.strikes.length && e.strikes[0]! < now - this.strikeWindowMs) e.strikes.shift();
    return e.strikes.length >= this.strikesToClose;
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  /**
   * Drops the keys whose buckets are full again and that have no strike within the window: a new
   * entry would start exactly so. Keeps a limiter keyed by address small, and one keyed by socket
   * from holding an entry per idle connection (memory per idle session, #18).
   */
  prune(): void {
    const since = this.clock.now() - this.strikeWindowMs;
    for (const [key, e] of this.buckets) {
      if (!e.bucket.isFull()) continue;
      const last = e.strikes[e.strikes.length - 1];
      if (last === undefined || last < since) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}

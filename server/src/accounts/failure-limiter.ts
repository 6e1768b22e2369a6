import type { Clock } from '../core';

/**
 * Counts failed logins per key (username, address) in a fixed window. Past the limit the key is
 * refused until the window that holds its oldest counted failure ends.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the key may try again, or 0. */
  blockedForMs(key: string): number {
    const list = this.prune(key);
    if (!list || list.length < this.limit) return 0;
    return Math.max(1, list[0]! + this.windowMs - this.clock.now());
  }

  /** Failures of the key still in the window. */
  count(key: string): number {
    return this.prune(key)?.length ?? 0;
  }

  record(key: string): void {
    const list = this.prune(key) ?? [];
    list.push(this.clock.now());
    this.failures.set(key, list);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  sweep(): void {
    for (const key of [...this.failures.keys()]) this.prune(key);
  }

  private prune(key: string): number[] | undefined {
    const list = this.failures.get(key);
    if (!list) return undefined;
    const cutoff = this.clock.now() - this.windowMs;
    while (list.length > 0 && list[0]! <= cutoff) list.shift();
    if (list.length === 0) {
      this.failures.delete(key);
      return undefined;
    }
    return list;
  }
}

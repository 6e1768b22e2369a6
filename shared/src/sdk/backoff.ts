/**
 * Reconnect backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * the n-th failed attempt in a row waits a uniform random time below min(max, base · 2^(n-1)),
 * which spreads a crowd of clients reconnecting after one server restart. One copy for the SDK's
 * session resume and the web client's logged-out socket.
 */
export interface BackoffOptions {
  /** The first ceiling; it doubles per failure up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injectable for tests; Math.random by default. */
  random?: () => number;
}

export function fullJitterDelayMs(failures: number, o: BackoffOptions): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(Math.max(failures, 1) - 1, 20));
  return Math.floor((o.random ?? Math.random)() * ceiling);
}

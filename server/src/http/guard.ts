import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core';
import { type HttpRoute, json } from '../core';

/** Constant-time token check: both sides are hashed first so lengths leak nothing either. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m?.[1]) return false;
  const a = createHash('sha256').update(m[1]).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

/** Failed bearer attempts per address in a sliding minute (R-SEC-25). */
export const HTTP_AUTH_FAILURES_PER_MIN = 10;
const WINDOW_MS = 60_000;
/** Addresses remembered at most; past it the oldest entries go (an address flood cannot grow it). */
const MAX_ADDRESSES = 10_000;

/**
 * R-SEC-25: wrong or missing tokens, counted per address over a minute, for every guarded route
 * (admin API, metrics, cluster list). An address past the limit gets 429 for every guarded
 * request, the right token included, until its oldest failure is a minute old: otherwise the
 * limit would still answer "right" or "wrong" to each guess.
 */
export class AuthFailures {
  private readonly byAddress = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly perMinute = HTTP_AUTH_FAILURES_PER_MIN,
  ) {}

  /** 0 when the address may try, else the milliseconds until it may. */
  retryAfterMs(ip: string): number {
    const times = this.recent(ip);
    if (times.length < this.perMinute) return 0;
    return Math.max(1, times[0]! + WINDOW_MS - this.clock.now());
  }

  fail(ip: string): void {
    const times = this.recent(ip);
    times.push(this.clock.now());
    this.byAddress.delete(ip); // re-insert: the map's order is the age of the last failure
    this.byAddress.set(ip, times);
    if (this.byAddress.size > MAX_ADDRESSES) {
      const oldest = this.byAddress.keys().next().value;
      if (oldest !== undefined) this.byAddress.delete(oldest);
    }
  }

  private recent(ip: string): number[] {
    const times = this.byAddress.get(ip) ?? [];
    const from = this.clock.now() - WINDOW_MS;
    while (times.length > 0 && times[0]! <= from) times.shift();
    if (times.length === 0) this.byAddress.delete(ip);
    return times;
  }
}

type Handle = HttpRoute['handle'];

/**
 * A bearer guard: off (404, as if the route did not exist) without a token, 429 for an address
 * with too many failures, 401 without `Authorization: Bearer <token>`.
 */
export function bearerGuard(
  token: string | undefined,
  failures: AuthFailures,
  disabled: string,
): (fn: Handle) => Handle {
  return (fn) => (req) => {
    if (!token) return json(404, { error: disabled });
    const wait = failures.retryAfterMs(req.ip);
    if (wait > 0) {
      return {
        ...json(429, { error: 'too many failed attempts from this address' }),
        headers: { 'content-type': 'application/json', 'retry-after': String(Math.ceil(wait / 1000)) },
      };
    }
    if (!tokenMatches(req.headers.authorization, token)) {
      failures.fail(req.ip);
      return json(401, { error: 'bad or missing token' });
    }
    return fn(req);
  };
}

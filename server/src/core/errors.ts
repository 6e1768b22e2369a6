import { type ErrorBody, ErrorCode } from '@imw/shared';

/**
 * The one error class of the server. Handlers throw it for expected failures; anything else that
 * escapes a handler is normalised to INTERNAL here (and logged by the caller).
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: string[]; retryAfterMs?: number; redirectUrl?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
  }
}

export function fail(code: ErrorCode, message: string, extra?: AppError['extra']): never {
  throw new AppError(code, message, extra);
}

/** Postgres error codes that mean "the database is not reachable right now". */
const UNAVAILABLE_PG = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
const UNAVAILABLE_NET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECT_TIMEOUT',
]);

/**
 * ioredis' own "not connected" errors carry no code: with `enableOfflineQueue: false` and
 * `maxRetriesPerRequest: 0` (cluster/redis-connection.ts) a command sent while Redis is away
 * fails with one of these messages, or a MaxRetriesPerRequestError.
 */
const REDIS_NOT_CONNECTED = /^(Stream isn't writeable|Connection is closed|Command timed out)/;

function dependency(err: unknown): 'database' | 'cluster' | null {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_PG.has(code) || UNAVAILABLE_NET.has(code)))
      return 'database';
    // The cluster layer's own error (cluster/errors.ts), matched by shape: core imports no module.
    if (name === 'ClusterError' && code === 'UNAVAILABLE') return 'cluster';
    if (name === 'MaxRetriesPerRequestError') return 'cluster';
    if (typeof message === 'string' && REDIS_NOT_CONNECTED.test(message)) return 'cluster';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** The single mapping from anything thrown to a wire error body. */
export function toErrorBody(err: unknown): { body: ErrorBody; internal: boolean } {
  if (err instanceof AppError) {
    const body: ErrorBody = { code: err.code, message: err.message };
    if (err.extra.details) body.details = err.extra.details;
    if (err.extra.retryAfterMs !== undefined) body.retryAfterMs = err.extra.retryAfterMs;
    if (err.extra.redirectUrl !== undefined) body.redirectUrl = err.extra.redirectUrl;
    return { body, internal: false };
  }
  const down = dependency(err);
  if (down) {
    const what = down === 'database' ? 'the database is' : 'the cluster store (Redis) is';
    return {
      body: { code: ErrorCode.UNAVAILABLE, message: `${what} unavailable; try again` },
      internal: true,
    };
  }
  return { body: { code: ErrorCode.INTERNAL, message: 'internal error' }, internal: true };
}

/** Postgres unique violation, as drizzle wraps it (err.cause.code). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

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

function dbUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_PG.has(code) || UNAVAILABLE_NET.has(code))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
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
  if (dbUnavailable(err)) {
    return {
      body: { code: ErrorCode.UNAVAILABLE, message: 'the database is unavailable; try again' },
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

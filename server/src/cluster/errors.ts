/**
 * Failures the cluster layer reports. Callers map UNAVAILABLE to the wire's UNAVAILABLE error
 * (the request changed nothing and may be retried); CLOSED means this node is shutting down.
 * A class of its own rather than core's AppError: it also travels through the bus and stores,
 * which know no wire codes. core/errors.ts maps it to UNAVAILABLE by its name and code.
 */
export const ClusterErrorCode = {
  /** Redis is unreachable (or refused the command); nothing was sent. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** The bus or store was closed by this process. */
  CLOSED: 'CLOSED',
} as const;
export type ClusterErrorCode = (typeof ClusterErrorCode)[keyof typeof ClusterErrorCode];

export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Invariant checks on arguments that end up in Redis keys or TTLs. */
export function assertPositiveTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}

/** An empty owner would make "held by nobody" and "held by ''" indistinguishable. */
export function assertOwner(owner: string): void {
  if (owner === '') throw new RangeError('lease owner must be a non-empty string');
}

/**
 * Where a bus reports what no caller can be told: a handler that threw (it must neither stop
 * delivery to the other handlers nor, on Redis, tear down the subscriber connection) and a
 * background UNSUBSCRIBE that failed. Wire a logger here in production.
 */
export type BusErrorReporter = (err: unknown, channel: string) => void;

export const logBusError: BusErrorReporter = (err, channel) => {
  console.error(`[cluster] bus error on channel "${channel}"`, err);
};

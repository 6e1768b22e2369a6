import { Redis } from 'ioredis';
import { ClusterError } from './errors';

export interface OpenRedisOptions {
  /** Shown by CLIENT LIST, so operators (and tests) can tell which connection is which. */
  connectionName?: string;
  /** ioredis reports every failed reconnect attempt here; without a listener it prints them. */
  onError?: (err: Error) => void;
  /** Reject a command whose reply takes longer (a hung Redis must not hang logins forever). */
  commandTimeoutMs?: number;
}

/**
 * Opens a connection with the failure semantics the cluster layer documents, and resolves
 * once it is ready. The caller owns the connection and must `quit()` it; the Redis* classes
 * only borrow connections, so one can serve several of them.
 *
 * While Redis is unreachable, commands REJECT rather than queue:
 * - `enableOfflineQueue: false`: a command issued while disconnected fails at once instead
 *   of waiting in ioredis' offline queue for a reconnect that may take minutes;
 * - `maxRetriesPerRequest: 0`: a command in flight when the connection drops fails instead of
 *   being resent after reconnect, which could deliver a bus message twice or late.
 * ioredis keeps reconnecting in the background (its default capped, jittered backoff), and a
 * subscriber connection resubscribes its channels once ready again (`autoResubscribe`).
 *
 * Prefixing is done by our code, not ioredis' `keyPrefix`, because that option applies neither
 * to pub/sub channel names nor to keys built inside Lua scripts.
 */
export async function openRedis(url: string, opts: OpenRedisOptions = {}): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: true,
    ...(opts.connectionName === undefined ? {} : { connectionName: opts.connectionName }),
    ...(opts.commandTimeoutMs === undefined ? {} : { commandTimeout: opts.commandTimeoutMs }),
  });
  client.on('error', opts.onError ?? logRedisError);
  try {
    await client.connect();
  } catch (err) {
    // connect() rejects on the first failure but ioredis would keep retrying in the background.
    client.disconnect();
    throw new ClusterError('UNAVAILABLE', `cannot connect to Redis at ${redactUrl(url)}`, { cause: err });
  }
  return client;
}

function logRedisError(err: Error): void {
  console.warn(`[cluster] redis: ${err.message}`);
}

/** Keep passwords out of error messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable redis url>';
  }
}

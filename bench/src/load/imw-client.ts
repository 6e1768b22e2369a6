import { deriveScramKeys, randomBytes, type ScramKeys } from '@imw/shared';
import { ImClient } from '@imw/shared/sdk';
import { nodeCipherFactory, nodeSocketFactory } from '@imw/shared/sdk/node';

export const BENCH_PASSWORD = 'bench-password-1';
export const BENCH_ITERATIONS = 4096;

/**
 * AES-256-GCM on node:crypto (the SDK's Node path, shared with the server): ~10x cheaper per frame
 * than WebCrypto in Node, so the load generator spends its CPU on load, not on promise overhead.
 */
export { nodeCipherFactory };

export function newClient(url: string): ImClient {
  return new ImClient({
    url,
    socketFactory: nodeSocketFactory,
    cipherFactory: nodeCipherFactory,
    scramIterations: BENCH_ITERATIONS,
    // A bench client that drops must show up as a disconnect, not be hidden by a resume.
    reconnect: { enabled: false },
    requestTimeoutMs: 30_000,
    // #18: the generator should cost less than the server it measures. The fan-out's and chat's
    // hot records skip the SDK's schema check (the SDK's load-generator option); everything else,
    // scene views included (packed moves are decoded by their schema), is checked as in an app.
    unchecked: {
      events: ['chat.groupMessage', 'chat.message'],
      results: ['chat.sendGroup', 'chat.send', 'sys.heartbeat'],
    },
  });
}

export const usernameOf = (index: number) => `bu${index}`;

let keys: Promise<ScramKeys> | null = null;
/**
 * Every bench account has the same password and salt, so the PBKDF2 work of registration is done
 * once per process; each login still does its own, as a real client would.
 */
function benchKeys(): Promise<ScramKeys> {
  keys ??= deriveScramKeys(BENCH_PASSWORD, randomBytes(16), BENCH_ITERATIONS);
  return keys;
}

/** Registers accounts over one pre-login connection (setup, not measured). Returns user ids. */
export async function registerRange(url: string, indices: readonly number[]): Promise<number[]> {
  const k = await benchKeys();
  const c = newClient(url);
  await c.connect();
  const ids: number[] = [];
  try {
    for (const i of indices) {
      const r = await c.request('auth.register', { username: usernameOf(i), ...k });
      ids.push(r.userId);
    }
  } finally {
    c.close();
  }
  return ids;
}

/** A connected, logged-in client. */
export async function loggedIn(
  url: string,
  index: number,
  opts: { mode?: 'normal' | 'scene'; sceneId?: string } = {},
): Promise<{ client: ImClient; userId: number }> {
  const client = newClient(url);
  await client.connect();
  const profile = await client.login(usernameOf(index), BENCH_PASSWORD, opts);
  return { client, userId: profile.userId };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

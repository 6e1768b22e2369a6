import { type ImClient as Client, ImClient } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { TEST_ITERATIONS, uniqueName } from './server';

/** SDK users for the scripts, which talk to a server by URL (a child process), not an ImServer. */
export interface ScriptUser {
  client: Client;
  username: string;
  userId: number;
}

export async function connectUser(
  wsUrl: string,
  prefix: string,
  opts: { heartbeat?: boolean; reconnect?: boolean; requestTimeoutMs?: number } = {},
): Promise<ScriptUser> {
  const client = new ImClient({
    url: wsUrl,
    socketFactory: nodeSocketFactory,
    scramIterations: TEST_ITERATIONS,
    heartbeat: opts.heartbeat ?? true,
    reconnect: { enabled: opts.reconnect ?? false, baseDelayMs: 100, maxDelayMs: 2000 },
    requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
  });
  await client.connect();
  const username = uniqueName(prefix);
  await client.register(username, `pw-${username}`);
  const profile = await client.login(username, `pw-${username}`);
  return { client, username, userId: profile.userId };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T, i: number) => Promise<R>,
) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

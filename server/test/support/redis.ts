import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedis } from '../../src/cluster';

/** A key prefix no other test run uses, so runs in parallel never see each other's keys. */
export function testPrefix(): string {
  return `imwtest:${randomUUID()}:`;
}

/**
 * Polls until `check` holds, failing with `what` after `timeoutMs`. For conditions that have no
 * event to wait for (a TTL running out in Redis, a reconnect finishing).
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 5_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Records what a bus handler receives and lets a test await the n-th message. */
export class Collector {
  readonly received: Uint8Array[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  readonly handler = (payload: Uint8Array): void => {
    this.received.push(payload);
    for (const w of [...this.waiters]) {
      if (this.received.length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  /** Resolves once `count` messages have arrived in total; rejects after `timeoutMs`. */
  waitForCount(count: number, timeoutMs = 5_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out: ${this.received.length} of ${count} messages after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  texts(): string[] {
    return this.received.map((p) => new TextDecoder().decode(p));
  }
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Every connection a test opens, so afterAll can close them all (and delete the test's keys). */
export class RedisFixture {
  readonly errors: Error[] = [];
  private readonly clients: Redis[] = [];
  private counter = 0;

  /** `prefix`: the keys cleanup() deletes, and the start of every connection name. */
  constructor(
    private readonly url: string,
    readonly prefix = testPrefix(),
  ) {}

  /** Opens a connection named `<prefix><role>-<n>` so a test can find it in CLIENT LIST. */
  async open(role = 'conn'): Promise<Redis> {
    const connectionName = `${this.prefix}${role}-${this.counter++}`;
    // Reconnect attempts after a deliberate kill report errors; keep them for assertions.
    const client = await openRedis(this.url, { connectionName, onError: (err) => this.errors.push(err) });
    this.clients.push(client);
    return client;
  }

  /** A sub-prefix under this fixture's prefix, for tests that each want an empty keyspace. */
  subPrefix(): string {
    return `${this.prefix}${this.counter++}:`;
  }

  /** Closes the connection CLIENT LIST shows under `client`'s name, as a network fault would. */
  async kill(client: Redis): Promise<void> {
    const name = await client.client('GETNAME');
    const admin = await this.open('admin');
    const list = String(await admin.client('LIST'));
    const line = list.split('\n').find((l) => l.includes(` name=${String(name)} `));
    const id = line?.match(/^id=(\d+) /)?.[1];
    if (id === undefined) throw new Error(`connection ${String(name)} not found in CLIENT LIST`);
    await admin.client('KILL', 'ID', id);
  }

  async cleanup(): Promise<void> {
    const admin = await this.open('cleanup');
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await admin.unlink(...keys);
    } while (cursor !== '0');
    await Promise.all(
      this.clients.map(async (c) => {
        if (c.status === 'ready') await c.quit();
        else c.disconnect();
      }),
    );
  }
}

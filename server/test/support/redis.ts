import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openRedis } from '../../src/cluster';

/** A key prefix no other test run uses, so runs in parallel never see each other's keys. */
export function testPrefix(): string {
  return `imwtest:${randomUUID()}:`;
}

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

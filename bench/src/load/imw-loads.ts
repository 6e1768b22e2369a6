import type { ImClient } from '@imw/shared/sdk';
import { loggedIn, pool, usernameOf } from './imw-client';
import { MessageLoad, readStamp, stampText } from './message-load';

export interface ImwSetup {
  url: string;
  /** Account indices this worker drives. */
  indices: number[];
  /** Text size of each message, characters. */
  size: number;
  /** Members per group (fan-out only). */
  groupSize?: number;
}

const errorCode = (e: unknown) => (e as { code?: string }).code ?? 'ERROR';

/** Logged-in SDK clients with disconnect accounting; the base of our server's scenarios. */
export abstract class ImwLoad extends MessageLoad {
  protected clients: ImClient[] = [];
  protected userIds: number[] = [];
  protected size = 64;
  private closing = false;
  private reported = false;

  protected get actorCount(): number {
    return this.clients.length;
  }

  protected async loginAll(
    url: string,
    indices: readonly number[],
    opts: { mode?: 'normal' | 'scene' } = {},
  ): Promise<void> {
    const done = await pool(indices, 16, (i) => loggedIn(url, i, opts));
    this.clients = done.map((d) => d.client);
    this.userIds = done.map((d) => d.userId);
    for (const c of this.clients) {
      c.on('state', (s) => {
        if (s.status !== 'closed' || this.closing) return;
        this.counters.disconnects++;
        this.error(`close ${s.code}`);
      });
      c.on('protocolError', (e) => {
        this.error(`protocol ${e.kind}`);
        if (!this.reported) console.error(`client protocol error: ${e.message}`);
        this.reported = true;
      });
    }
  }

  /**
   * Sends a request and counts it under the epoch it was sent in. The server owes `recipients`
   * deliveries from the moment it is sent (as on the baselines), unless it answers with an error.
   */
  protected track(epoch: number, p: Promise<unknown>, recipients: number): void {
    this.counters.expected += recipients;
    p.then(
      () => {
        if (epoch === this.epoch) this.counters.acked++;
      },
      (e: unknown) => {
        if (epoch !== this.epoch) return;
        this.error(errorCode(e));
        this.counters.expected -= recipients;
      },
    );
  }

  async teardown(): Promise<void> {
    this.stop();
    this.closing = true;
    for (const c of this.clients) c.close(1000, 'bench done');
    this.clients = [];
    // Let the close frames leave before the next scenario starts.
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** 1:1 chat: consecutive accounts are friends; each sends to the other. */
export class ImwChatLoad extends ImwLoad {
  private partner: number[] = [];

  async setup(args: unknown): Promise<unknown> {
    const a = args as ImwSetup;
    this.size = a.size;
    const indices = a.indices.slice(0, a.indices.length - (a.indices.length % 2));
    await this.loginAll(a.url, indices);
    const pairs = Array.from({ length: indices.length / 2 }, (_, k) => 2 * k);
    await pool(pairs, 8, async (k) => {
      const [x, y] = [this.clients[k]!, this.clients[k + 1]!];
      await x.request('friends.request', { username: usernameOf(indices[k + 1]!) });
      const r = await y.request('friends.request', { username: usernameOf(indices[k]!) });
      if (!r.becameFriends) throw new Error('friendship did not form');
    });
    this.partner = indices.map((_, k) => this.userIds[k ^ 1]!);
    for (const c of this.clients) {
      c.on('chat.message', (m) => {
        const s = readStamp(m.text);
        if (s) this.delivered(s.epoch, s.sentMs);
      });
    }
    return { clients: this.clients.length };
  }

  protected sendOne(i: number, epoch: number, sentMs: number): void {
    const text = stampText(epoch, sentMs, this.size);
    // The SDK's send path (clientId, own message into the cursor), as an app sends: a raw request
    // would leave the sender's cursor behind and every later push would look like a gap to fill.
    this.track(epoch, this.clients[i]!.send(this.partner[i]!, text), 1);
  }
}

/** Group fan-out: groups of M consecutive accounts; every member sends to its group. */
export class ImwFanoutLoad extends ImwLoad {
  private groupOf: number[] = [];
  private groupSize = 0;

  async setup(args: unknown): Promise<unknown> {
    const a = args as ImwSetup;
    this.size = a.size;
    const m = a.groupSize ?? 20;
    const indices = a.indices.slice(0, a.indices.length - (a.indices.length % m));
    this.groupSize = m;
    await this.loginAll(a.url, indices);
    const owners = Array.from({ length: indices.length / m }, (_, g) => g * m);
    await pool(owners, 4, async (first) => {
      const info = await this.clients[first]!.request('groups.create', { name: `bench ${indices[first]}` });
      for (let k = first; k < first + m; k++) this.groupOf[k] = info.groupId;
      await Promise.all(
        this.clients
          .slice(first + 1, first + m)
          .map((c) => c.request('groups.join', { groupId: info.groupId })),
      );
    });
    for (const c of this.clients) {
      c.on('chat.groupMessage', (msg) => {
        const s = readStamp(msg.text);
        if (s) this.delivered(s.epoch, s.sentMs);
      });
    }
    return { clients: this.clients.length, groups: owners.length };
  }

  protected sendOne(i: number, epoch: number, sentMs: number): void {
    const text = stampText(epoch, sentMs, this.size);
    // As an app sends (see ImwChatLoad.sendOne): no spurious gap fills from the sender's own cursor.
    const p = this.clients[i]!.sendGroup(this.groupOf[i]!, text);
    this.track(epoch, p, this.groupSize - 1);
  }
}

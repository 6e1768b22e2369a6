import { directConv, groupConv } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { type HistData, Histogram } from '../util/hist';
import { BENCH_PASSWORD, loggedIn, newClient, pool, usernameOf } from './imw-client';
import { nowMs } from './message-load';

/**
 * The history scenario's client side (#13): offline messages seeded through the protocol, one
 * user's login catch-up through the SDK, and backward history pages under a closed-loop load.
 */

export interface SeedArgs {
  url: string;
  /** The reader, who is offline while the others write. */
  reader: number;
  friends: number[];
  /** Direct messages from each friend, and group messages from each friend. */
  perFriendDirect: number;
  perFriendGroup: number;
}

export interface Seeded {
  groupId: number;
  groupConv: string;
  directConvs: string[];
  total: number;
  seedSec: number;
}

/** Sends in flight at once while seeding (setup, not measured; the store batches them per turn). */
const SEED_CONCURRENCY = 100;

export async function seedHistory(a: SeedArgs): Promise<Seeded> {
  const t0 = nowMs();
  const reader = await loggedIn(a.url, a.reader);
  const friends = await pool(a.friends, 8, (i) => loggedIn(a.url, i));
  try {
    const pairs = friends.map((f, j) => ({ f, index: a.friends[j]! }));
    await pool(pairs, 4, async ({ f, index }) => {
      await f.client.request('friends.request', { username: usernameOf(a.reader) });
      const r = await reader.client.request('friends.request', { username: usernameOf(index) });
      if (!r.becameFriends) throw new Error('friendship did not form');
    });
    const group = await reader.client.request('groups.create', { name: `history ${a.reader}` });
    await Promise.all(friends.map((f) => f.client.request('groups.join', { groupId: group.groupId })));
    // The reader goes offline: everything below is stored for it, nothing is pushed to it.
    reader.client.close(1000, 'offline');
    const sends: Array<() => Promise<unknown>> = [];
    for (let n = 0; n < Math.max(a.perFriendDirect, a.perFriendGroup); n++) {
      for (const f of friends) {
        const text = `offline message ${n} from ${f.userId}: some ordinary chat text of a usual length`;
        if (n < a.perFriendDirect)
          sends.push(() => f.client.request('chat.send', { to: reader.userId, text }));
        if (n < a.perFriendGroup)
          sends.push(() => f.client.request('chat.sendGroup', { groupId: group.groupId, text }));
      }
    }
    await pool(sends, SEED_CONCURRENCY, (s) => s());
    return {
      groupId: group.groupId,
      groupConv: groupConv(group.groupId),
      directConvs: friends.map((f) => directConv(f.userId, reader.userId)),
      total: sends.length,
      seedSec: (nowMs() - t0) / 1000,
    };
  } finally {
    reader.client.close();
    for (const f of friends) f.client.close(1000, 'seeded');
  }
}

export interface SyncResult {
  loginMs: number;
  syncedMs: number;
  messages: number;
  conversations: number;
}

/**
 * A fresh SDK client (no cursors) logs in as the reader; the SDK's login catch-up (R-SDK-1)
 * emits every unread message. Done when the `sync` summary's unread total has been emitted.
 */
export async function syncOnce(a: { url: string; reader: number; timeoutMs?: number }): Promise<SyncResult> {
  const c: ImClient = newClient(a.url);
  await c.connect();
  let got = 0;
  let owed = -1;
  let conversations = 0;
  let done: () => void = () => undefined;
  const synced = new Promise<void>((r) => {
    done = r;
  });
  const check = () => {
    if (owed >= 0 && got >= owed) done();
  };
  c.on('message', () => {
    got++;
    check();
  });
  c.on('sync', (s) => {
    conversations = s.conversations.length;
    owed = s.conversations.reduce((n, x) => n + (x.lastSeq - x.readSeq), 0);
    check();
  });
  try {
    const t0 = nowMs();
    await c.login(usernameOf(a.reader), BENCH_PASSWORD);
    const loginMs = nowMs() - t0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`sync timed out: ${got} of ${owed} messages`)),
        a.timeoutMs ?? 60_000,
      );
    });
    await Promise.race([synced, timeout]).finally(() => clearTimeout(timer));
    return { loginMs, syncedMs: nowMs() - t0, messages: got, conversations };
  } finally {
    c.close(1000, 'synced');
  }
}

export interface PagesArgs {
  url: string;
  /** Accounts that page (members of the conversation). */
  indices: number[];
  conv: string;
  /** Highest seq of the conversation; pages end at a random beforeSeq in (limit, lastSeq + 1]. */
  lastSeq: number;
  limit: number;
  concurrency: number;
}

export interface PagesResult {
  pages: number;
  messages: number;
  errors: Record<string, number>;
  hist: HistData;
}

/** Clients paging backwards through one conversation (scrolling up), closed loop. */
export class PageLoad {
  private clients: ImClient[] = [];
  private args: PagesArgs | null = null;

  async setup(a: PagesArgs): Promise<number> {
    this.args = a;
    this.clients = (await pool(a.indices, 8, (i) => loggedIn(a.url, i))).map((d) => d.client);
    return this.clients.length;
  }

  /** `concurrency` lanes, each awaiting its page before the next, for `durationMs`. */
  async run(durationMs: number): Promise<PagesResult> {
    const a = this.args;
    if (!a || this.clients.length === 0) throw new Error('no page load set up');
    const hist = new Histogram();
    const errors: Record<string, number> = {};
    let pages = 0;
    let messages = 0;
    const end = nowMs() + durationMs;
    const span = a.lastSeq + 1 - a.limit;
    const lane = async (k: number) => {
      const c = this.clients[k % this.clients.length]!;
      while (nowMs() < end) {
        const beforeSeq = a.limit + 1 + Math.floor(Math.random() * span);
        const t0 = nowMs();
        try {
          const page = await c.history(a.conv, { beforeSeq, limit: a.limit });
          hist.recordMs(nowMs() - t0);
          pages++;
          messages += page.messages.length;
        } catch (e) {
          const code = (e as { code?: string }).code ?? 'ERROR';
          errors[code] = (errors[code] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: a.concurrency }, (_, k) => lane(k)));
    return { pages, messages, errors, hist: hist.toData() };
  }

  teardown(): void {
    for (const c of this.clients) c.close(1000, 'bench done');
    this.clients = [];
  }
}

import { directConv, groupConv } from '@imw/shared';
import { type ChatMessage, ImClient } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db';
import { EventLog } from '../support/events';
import { opsFetch } from '../support/measure';
import { fastFailoverEnv, type ServerProcess, spawnServer } from '../support/process';
import { TEST_ITERATIONS, uniqueName } from '../support/server';
import { befriend } from '../support/users';
import { waitFor } from '../support/wait';

const EVENTS = ['friends.requestReceived', 'friends.added'] as const;

interface Acked {
  conv: string;
  seq: number;
  text: string;
}

/**
 * R-HIST-7: three nodes on one PostgreSQL and one Redis; one is killed with SIGKILL while every
 * user is sending. Every message that was acknowledged, before or after the kill, must reach
 * every participant of its conversation once they have resumed on the surviving nodes and
 * synced: through pushes, gap fills or the resume's catch-up — exactly once each, in seq order.
 */
describe.runIf(process.env.TEST_REDIS_URL && process.env.TEST_DATABASE_URL)(
  'durable messages when a node is killed mid-traffic',
  () => {
    let db: Awaited<ReturnType<typeof testDatabaseUrl>>;
    const nodes: ServerProcess[] = [];
    const clients: ImClient[] = [];

    beforeAll(async () => {
      db = await testDatabaseUrl();
      const env = fastFailoverEnv(db.url, 'imwm', { RESUME_GRACE_MS: '5000', CHAT_RATE_PER_SEC: '0' });
      // One after the other: the first migrates the database, the others find it ready.
      for (let i = 0; i < 3; i++) nodes.push(await spawnServer({ env }));
      await until(async () => {
        const r = (await (await opsFetch(`${nodes[0]!.httpUrl}/cluster/nodes`)).json()) as {
          nodes: unknown[];
        };
        return r.nodes.length >= 3;
      });
    }, 120_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      await nodes[0]?.kill('SIGKILL');
      await Promise.all(nodes.slice(1).map((n) => n.kill('SIGTERM')));
      await db?.drop();
    });

    const until = (cond: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> =>
      waitFor('the cluster to settle', cond, { timeoutMs, intervalMs: 25 });

    async function user(node: ServerProcess) {
      const client = new ImClient({
        url: node.wsUrl,
        socketFactory: nodeSocketFactory,
        scramIterations: TEST_ITERATIONS,
        reconnect: { enabled: true, baseDelayMs: 50, maxDelayMs: 300 },
      });
      clients.push(client);
      const log = new EventLog(client, EVENTS);
      const seen: ChatMessage[] = [];
      client.on('message', (m) => seen.push(m));

      await client.connect();
      const username = uniqueName('km');
      await client.register(username, `pw-${username}`);
      const profile = await client.login(username, `pw-${username}`);
      return { client, log, seen, username, userId: profile.userId };
    }
    type User = Awaited<ReturnType<typeof user>>;

    it('R-HIST-7 R-SDK-1 R-SDK-2 R-SDK-3: every acknowledged message reaches every participant after the kill', async () => {
      const [n1, n2, n3] = nodes as [ServerProcess, ServerProcess, ServerProcess];
      const a1 = await user(n1);
      const a2 = await user(n1);
      const r1 = await user(n1);
      const b1 = await user(n2);
      const b2 = await user(n2);
      const c1 = await user(n3);
      const c2 = await user(n3);
      const everyone = [a1, a2, r1, b1, b2, c1, c2];
      await befriend(a1, b1);
      await befriend(a2, c1);
      await befriend(b2, r1);
      const g = await b1.client.request('groups.create', { name: `Kill ${b1.userId}` });
      for (const u of everyone) if (u !== b1) await u.client.request('groups.join', { groupId: g.groupId });
      // Users of n1 must know where else to go (their hello or a later sys.nodes).
      await until(() => [a1, a2, r1].every((u) => u.client.fallbacks.length >= 2));

      const acked: Acked[] = [];
      let stop = false;
      let failed = 0;
      const loop = async (from: User, send: (text: string) => Promise<{ conv: string; seq: number }>) => {
        for (let i = 0; !stop; i++) {
          const text = `${from.username}#${i}`;
          try {
            const ack = await send(text);
            acked.push({ conv: ack.conv, seq: ack.seq, text });
          } catch {
            failed++; // not acknowledged: nothing is promised about it
          }
        }
      };
      const loops = [
        loop(a1, (t) => a1.client.send(b1.userId, t)),
        loop(a2, (t) => a2.client.send(c1.userId, t)),
        loop(b2, (t) => b2.client.send(r1.userId, t)),
        loop(r1, (t) => r1.client.sendGroup(g.groupId, t)),
        loop(c2, (t) => c2.client.sendGroup(g.groupId, t)),
      ];
      await until(() => acked.length >= 60);
      const resumed = Promise.all([a1, a2, r1].map((u) => new Promise((r) => u.client.on('resumed', r))));
      await n1.kill('SIGKILL');
      const atKill = acked.length;
      await resumed;
      await until(() => acked.length >= atKill + 60);
      stop = true;
      await Promise.all(loops);

      // Participants of each conversation.
      const members = new Map<string, User[]>([
        [directConv(a1.userId, b1.userId), [a1, b1]],
        [directConv(a2.userId, c1.userId), [a2, c1]],
        [directConv(b2.userId, r1.userId), [b2, r1]],
        [groupConv(g.groupId), everyone],
      ]);
      // A last sync, as every client does at its next resume or login.
      await Promise.all(everyone.map((u) => u.client.chat.catchUp()));
      for (const [conv, users] of members) {
        const want = acked
          .filter((m) => m.conv === conv)
          .sort((x, y) => x.seq - y.seq)
          .map((m) => `${m.seq}:${m.text}`);
        expect(want.length).toBeGreaterThan(0);
        for (const u of users) {
          await until(() => u.seen.filter((m) => m.conv === conv).length >= want.length);
          const got = u.seen.filter((m) => m.conv === conv);
          // In seq order, once each; gap-free unless a message was stored but never acknowledged.
          const seqs = got.map((m) => m.seq);
          expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
          const have = new Set(got.map((m) => `${m.seq}:${m.text}`));
          expect(want.filter((w) => !have.has(w))).toEqual([]);
        }
        // The store itself: seqs without gaps or duplicates, each text once (idempotent resends).
        const history = await users[0]!.client.history(conv, { afterSeq: 0, limit: 200 });
        let all = history.messages;
        for (let more = history.more; more; ) {
          const next = await users[0]!.client.history(conv, { afterSeq: all.at(-1)!.seq, limit: 200 });
          all = [...all, ...next.messages];
          more = next.more;
        }
        expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
        // Join lines (R-GRP-32) are stored too, all with empty text: only messages are compared.
        const texts = all.filter((m) => !m.event).map((m) => m.text);
        expect(new Set(texts).size).toBe(texts.length);
      }
      expect(acked.length).toBeGreaterThan(atKill);
      expect(failed).toBeLessThan(acked.length);
    }, 120_000);
  },
);

import { ImClient } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db';
import { EventLog } from '../support/events';
import { opsFetch } from '../support/measure';
import { fastFailoverEnv, type ServerProcess, spawnServer } from '../support/process';
import { TEST_ITERATIONS, uniqueName } from '../support/server';
import { waitFor } from '../support/wait';

const EVENTS = ['friends.requestReceived', 'friends.added', 'presence.changed', 'chat.message'] as const;
const GRACE_MS = 2500;

describe.runIf(process.env.TEST_REDIS_URL && process.env.TEST_DATABASE_URL)(
  'a node killed with SIGKILL',
  () => {
    let db: Awaited<ReturnType<typeof testDatabaseUrl>>;
    let n1: ServerProcess;
    let n2: ServerProcess;
    const clients: ImClient[] = [];

    beforeAll(async () => {
      db = await testDatabaseUrl();
      const env = fastFailoverEnv(db.url, 'imwk', { RESUME_GRACE_MS: String(GRACE_MS) });
      // One after the other: the first migrates the database, the second finds it ready.
      n1 = await spawnServer({ env });
      n2 = await spawnServer({ env });
      await until(async () => {
        const r = (await (await opsFetch(`${n1.httpUrl}/cluster/nodes`)).json()) as { nodes: unknown[] };
        return r.nodes.length >= 2;
      });
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await n1?.kill('SIGKILL');
      await n2?.kill('SIGTERM');
      await db?.drop();
    });

    const until = (cond: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> =>
      waitFor('the cluster to settle', cond, { timeoutMs, intervalMs: 25 });

    async function user(node: ServerProcess, reconnect: boolean) {
      const client = new ImClient({
        url: node.wsUrl,
        socketFactory: nodeSocketFactory,
        scramIterations: TEST_ITERATIONS,
        reconnect: { enabled: reconnect, baseDelayMs: 50, maxDelayMs: 300 },
      });
      clients.push(client);
      const log = new EventLog(client, EVENTS);
      await client.connect();
      const username = uniqueName('k');
      await client.register(username, `pw-${username}`);
      const profile = await client.login(username, `pw-${username}`);
      return { client, log, username, userId: profile.userId };
    }

    it('R-CLU-34: its users reconnect to another node; friends see them offline only if they do not come back', async () => {
      const friend = await user(n2, false);
      const comesBack = await user(n1, true);
      const staysAway = await user(n1, false);
      for (const u of [comesBack, staysAway]) {
        await u.client.request('friends.request', { username: friend.username });
        await friend.log.wait('friends.requestReceived', (e) => e.from.userId === u.userId);
        await friend.client.request('friends.accept', { userId: u.userId });
      }
      // It must know where to go: from the encrypted sys.nodes after its login (R-CLU-38, R-SEC-3).
      await until(() => comesBack.client.fallbacks.includes(n2.wsUrl));
      const sessionBefore = comesBack.client.credentials!.sessionId;
      const resumed = new Promise<{ seamless: boolean }>((r) => comesBack.client.on('resumed', r));
      await n1.kill('SIGKILL');
      const back = await resumed;
      expect(back.seamless).toBe(true);
      expect(comesBack.client.currentUrl).toBe(n2.wsUrl);
      expect(comesBack.client.credentials!.sessionId).toBe(sessionBefore);
      await comesBack.client.request('chat.send', { to: friend.userId, text: 'still here' });
      await friend.log.wait('chat.message', (m) => m.text === 'still here');
      // The one who did not come back is reported offline once the grace is over; the other never is.
      await friend.log.wait(
        'presence.changed',
        (e) => e.userId === staysAway.userId && e.status === 'offline',
        15_000,
      );
      expect(friend.log.of('presence.changed').filter((e) => e.userId === comesBack.userId)).toEqual([]);
    });
  },
);

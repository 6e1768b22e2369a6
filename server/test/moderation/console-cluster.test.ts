import { randomBytes } from 'node:crypto';
import { CloseCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { closed, startTestServer } from '../support/server';
import { befriend, testUser } from '../support/users';
import { waitFor } from '../support/wait';
import { ADMIN, adminCall } from './admin';

describe.runIf(process.env.TEST_REDIS_URL)('the operator console across nodes (Redis)', () => {
  let db: Database;
  const nodes: ImServer[] = [];
  const prefix = `imwt:${randomBytes(4).toString('hex')}:`;
  const user = (n: ImServer, p: string) => testUser(n, p, ['presence.changed']);

  beforeAll(async () => {
    db = await testDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await startTestServer(db, {
          REDIS_URL: process.env.TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          NODE_ANNOUNCE_MS: 100,
          NODE_TTL_MS: 1000,
          ADMIN_TOKEN: ADMIN,
        }),
      );
    }
    for (const n of nodes) {
      await waitFor('both nodes listed', async () => (await n.cluster.nodes()).length >= 2);
    }
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await db?.close();
  });

  it('R-ADM-1, R-ADM-2, R-ADM-5, R-MOD-2: one node’s console sees both nodes, counts users on both, and kicks and suspends on the other', async () => {
    const [n1, n2] = nodes as [ImServer, ImServer];
    const a = await user(n1, 'xa');
    const b = await user(n2, 'xb');
    await befriend(a, b);
    const listed = await adminCall(n1.httpUrl, 'GET', '/admin/nodes');
    expect(listed.body.nodes?.map((n) => n.nodeId).sort()).toEqual([n1.nodeId, n2.nodeId].sort());
    expect((await adminCall(n1.httpUrl, 'GET', '/admin/online')).body.users).toBeGreaterThanOrEqual(2);

    const kicked = closed(b.client);
    expect((await adminCall(n1.httpUrl, 'POST', '/admin/users/kick', { userId: b.userId })).status).toBe(200);
    expect(await kicked).toBe(CloseCode.KICKED);
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');

    const b2 = await testUser(n2, 'xc', []);
    const suspended = closed(b2.client);
    const until = Date.now() + 3_600_000;
    expect(
      (await adminCall(n1.httpUrl, 'POST', '/admin/users/suspend', { userId: b2.userId, until })).status,
    ).toBe(200);
    expect(await suspended).toBe(CloseCode.SUSPENDED);
    a.client.close();
  });

  it('R-ADM-6: draining another node goes over the cluster bus', async () => {
    const [n1, n2] = nodes as [ImServer, ImServer];
    expect((await adminCall(n1.httpUrl, 'POST', '/admin/nodes/drain', { nodeId: n2.nodeId })).status).toBe(
      202,
    );
    await waitFor('node 2 to drain', async () => {
      const nodes = (await adminCall(n1.httpUrl, 'GET', '/admin/nodes')).body.nodes ?? [];
      return nodes.find((n) => n.nodeId === n2.nodeId)?.draining === true;
    });
    expect(n1.cluster.draining).toBe(false);
  });
});

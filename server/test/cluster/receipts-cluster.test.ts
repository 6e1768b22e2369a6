import { randomBytes } from 'node:crypto';
import { directConv } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, testUser } from '../support/users';
import { waitFor } from '../support/wait';

const EVENTS = ['chat.message', 'chat.receipt', 'chat.typing'] as const;

/** R-RCP-7: receipts and typing go through presence's delivery, so they cross nodes like messages. */
describe.runIf(process.env.TEST_REDIS_URL)('receipts and typing across nodes', () => {
  let db: Database;
  const nodes: ImServer[] = [];
  const prefix = `imwt:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    db = await testDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    for (let i = 0; i < 2; i++) {
      nodes.push(
        await startTestServer(db, {
          REDIS_URL: process.env.TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          NODE_ANNOUNCE_MS: 100,
          NODE_TTL_MS: 1000,
        }),
      );
    }
    for (const n of nodes) {
      await waitFor('the cluster to settle', async () => (await n.cluster.nodes()).length >= 2, {
        timeoutMs: 5000,
        intervalMs: 20,
      });
    }
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await db?.close();
  });

  it('R-RCP-7: delivered and read receipts and typing reach a friend on another node', async () => {
    const [n1, n2] = nodes as [ImServer, ImServer];
    const a = await testUser(n1, 'rca', EVENTS, { autoDelivered: true });
    const b = await testUser(n2, 'rcb', EVENTS, { autoDelivered: true });
    await befriend(a, b);
    const conv = directConv(a.userId, b.userId);
    const ack = await a.client.send(b.userId, 'across');
    await b.log.wait('chat.message', (m) => m.seq === ack.seq);
    expect(await a.log.wait('chat.receipt', (e) => e.delivered === ack.seq)).toEqual({
      conv,
      userId: b.userId,
      delivered: ack.seq,
    });
    await b.client.markRead(conv, ack.seq);
    await a.log.wait('chat.receipt', (e) => e.read === ack.seq);
    await b.client.request('chat.typing', { conv, active: true });
    expect(await a.log.wait('chat.typing')).toEqual({ conv, from: b.userId, active: true });
    a.client.close();
    b.client.close();
  });
});

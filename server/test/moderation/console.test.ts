import { randomBytes } from 'node:crypto';
import { CloseCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { closed, startTestServer } from '../support/server';
import { befriend, errorCode, testUser } from '../support/users';
import { waitFor } from '../support/wait';
import { ADMIN, adminCall } from './admin';

const EVENTS = ['presence.changed', 'chat.system'] as const;

type Found = { userId: number; username: string; displayName: string; status: string };

describe('the operator console API', () => {
  let db: Database;
  let server: ImServer;
  const user = (p: string) => testUser(server, p, EVENTS);
  const admin = (method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null) =>
    adminCall(server.httpUrl, method, path, body, token);

  beforeAll(async () => {
    db = await testDatabase('pglite');
    // No resume grace: a closed client is offline at once, as the count and the search expect.
    server = await startTestServer(db, { ADMIN_TOKEN: ADMIN, RESUME_GRACE_MS: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-ADM-1: nodes with their sessions, load and drain state, only with the token', async () => {
    const a = await user('na');
    const r = await admin('GET', '/admin/nodes');
    expect(r.status).toBe(200);
    expect(r.body.self).toBe(server.nodeId);
    const self = r.body.nodes?.find((n) => n.nodeId === server.nodeId);
    expect(self).toMatchObject({ draining: false, url: server.httpUrl });
    expect(self?.sessions).toBeGreaterThanOrEqual(1);
    expect(typeof self?.cpu).toBe('number');
    for (const path of ['/admin/nodes', '/admin/online', '/admin/users?q=x', '/admin/stats']) {
      expect((await admin('GET', path, undefined, null)).status).toBe(401);
      expect((await admin('GET', path, undefined, 'wrong-token')).status).toBe(401);
    }
    a.client.close();
  });

  it('R-ADM-2, R-ADM-3: an invisible user is counted but searched exactly like an offline one', async () => {
    const tag = randomBytes(3).toString('hex');
    const visible = await user(`v${tag}`);
    const invisible = await user(`i${tag}`);
    const offline = await user(`o${tag}`);
    offline.client.close();
    const count = async () => (await admin('GET', '/admin/online')).body.users as number;
    await waitFor('the offline user to be gone', async () => {
      const found = (await admin('GET', `/admin/users?q=o${tag}`)).body.users as Found[];
      return found[0]?.status === 'offline';
    });
    const before = await count();
    await invisible.client.request('presence.setStatus', { status: 'invisible' });
    // Still counted: the count is of sessions, and names nobody.
    expect(await count()).toBe(before);
    invisible.client.close();
    await waitFor('the invisible user to log out', async () => (await count()) === before - 1);

    const again = await user(`i${tag}x`);
    await again.client.request('presence.setStatus', { status: 'invisible' });
    const found = (await admin('GET', `/admin/users?q=${tag}`)).body.users as Found[];
    const byName = new Map(found.map((u) => [u.username, u]));
    expect(byName.get(visible.username)?.status).toBe('online');
    const inv = byName.get(again.username);
    const off = byName.get(offline.username);
    expect(inv && off && Object.keys(inv)).toEqual(Object.keys(off ?? {}));
    expect(inv?.status).toBe('offline');
    expect(off?.status).toBe('offline');
    expect(JSON.stringify(found)).not.toContain('invisible');
    // Display names are searched too, case-insensitively; LIKE wildcards are plain characters.
    expect(
      ((await admin('GET', `/admin/users?q=${visible.username.toUpperCase()}`)).body.users as Found[]).length,
    ).toBe(1);
    expect(((await admin('GET', '/admin/users?q=%25')).body.users as Found[]).length).toBe(0);
    expect((await admin('GET', '/admin/users')).status).toBe(400);
    visible.client.close();
    again.client.close();
  });

  it('R-ADM-4: a system notice to one user reaches only that user', async () => {
    const a = await user('ta');
    const b = await user('tb');
    expect((await admin('POST', '/admin/system', { text: 'just for you', userId: a.userId })).status).toBe(
      200,
    );
    await a.log.wait('chat.system', (e) => e.text === 'just for you');
    expect((await admin('POST', '/admin/system', { text: 'for all' })).status).toBe(200);
    await b.log.wait('chat.system', (e) => e.text === 'for all');
    expect(b.log.of('chat.system').map((e) => e.text)).not.toContain('just for you');
    a.client.close();
    b.client.close();
  });

  it('R-ADM-5: a kick ends every session with 4019; friends see the user go; logging in again works', async () => {
    const a = await user('ka');
    const b = await user('kb');
    await befriend(a, b);
    const { newClient } = await import('../support/server');
    const second = newClient(server);
    await second.connect();
    await second.login(b.username, b.password);
    const first = closed(b.client);
    const other = closed(second);
    expect((await admin('POST', '/admin/users/kick', { userId: b.userId })).status).toBe(200);
    expect(await first).toBe(CloseCode.KICKED);
    expect(await other).toBe(CloseCode.KICKED);
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    const back = newClient(server);
    await back.connect();
    expect(await errorCode(back.login(b.username, b.password))).toBe('ok');
    expect((await admin('POST', '/admin/users/kick', { userId: 2 ** 31 - 2 })).status).toBe(404);
    expect((await admin('POST', '/admin/users/kick', { userId: 'x' })).status).toBe(400);
    back.close();
    a.client.close();
  });

  it('R-ADM-7: stats count sessions, chat messages and request durations for the charts', async () => {
    const a = await user('ma');
    const b = await user('mb');
    await befriend(a, b);
    const before = (await admin('GET', '/admin/stats')).body as Record<string, unknown>;
    for (let i = 0; i < 3; i++) await a.client.request('chat.send', { to: b.userId, text: `m${i}` });
    const after = (await admin('GET', '/admin/stats')).body as {
      messagesTotal: number;
      requestsTotal: number;
      sessions: number;
      onlineUsers: number;
      requestDurationBuckets: { le: number | null; count: number }[];
    };
    expect(after.messagesTotal - (before.messagesTotal as number)).toBe(3);
    expect(after.requestsTotal).toBeGreaterThan(before.requestsTotal as number);
    expect(after.sessions).toBeGreaterThanOrEqual(2);
    expect(after.onlineUsers).toBeGreaterThanOrEqual(2);
    const inf = after.requestDurationBuckets.find((x) => x.le === null);
    expect(inf?.count).toBeGreaterThanOrEqual(3);
    a.client.close();
    b.client.close();
  });

  it('R-ADM-6: draining this node from the console; an unknown node is 404', async () => {
    expect((await admin('POST', '/admin/nodes/drain', { nodeId: 'no-such-node' })).status).toBe(404);
    expect((await admin('POST', '/admin/nodes/drain', { nodeId: server.nodeId })).status).toBe(202);
    await waitFor('the node to drain', async () => {
      const nodes = (await admin('GET', '/admin/nodes')).body.nodes ?? [];
      return nodes.find((n) => n.nodeId === server.nodeId)?.draining === true;
    });
  });
});

import { decodeRecords, ErrorCode, encodePlainFrame, pack, readHeader, requests, unpack } from '@imw/shared';
import type { SocketFactory } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { befriend, errorCode, testUser } from '../support/users';

const EVENTS = ['presence.changed'] as const;

/**
 * R-PRS-3: the own status survives what the user does not see: a login can arrive invisible, a
 * reload shows the status the session has, and a session the server had to re-create (restart,
 * move) keeps it, so an invisible user never flashes online. The asked-for status is bound into
 * the login and resume proofs: nobody on the way can turn an invisible login visible.
 */
describe('R-PRS-3: own status across logins, reloads and restarts', () => {
  let db: Database;
  const servers: ImServer[] = [];
  const start = async () => {
    const s = await startTestServer(db, { RESUME_GRACE_MS: 60_000 });
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    db = await testDatabase('pglite');
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await db?.close();
  });

  it('R-PRS-3: logging in invisible tells friends nothing and lists the user offline', async () => {
    const server = await start();
    const a = await testUser(server, 'isa', EVENTS);
    const b = await testUser(server, 'isb', EVENTS);
    await befriend(a, b);
    await b.client.logout();
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    a.log.clear();

    const again = newClient(server);
    await again.connect();
    await again.login(b.username, b.password, { status: 'invisible' });
    expect(again.credentials?.status).toBe('invisible');
    // A status change after the login is the next thing a would hear; nothing comes before it.
    await again.request('presence.setStatus', { status: 'busy' });
    const first = await a.log.wait('presence.changed', (e) => e.userId === b.userId);
    expect(first.status).toBe('busy');
    expect(a.log.of('presence.changed').filter((e) => e.userId === b.userId)).toHaveLength(1);
    expect(again.credentials?.status).toBe('busy');
    again.close();
    a.client.close();
  });

  it('R-PRS-3: a resume reports the session status; a re-created session keeps the invisible status', async () => {
    const first = await start();
    const a = await testUser(first, 'rsa', EVENTS);
    const b = await testUser(first, 'rsb', EVENTS);
    await befriend(a, b);
    await b.client.request('presence.setStatus', { status: 'invisible' });
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    const creds = b.client.credentials!;
    expect(creds.status).toBe('invisible');

    // A reload on the same server: seamless, and the page learns it is invisible.
    b.client.close(4999, 'reload');
    const reloaded = newClient(first);
    await reloaded.connect();
    const r = await reloaded.resume(creds);
    expect(r.seamless).toBe(true);
    expect(reloaded.credentials?.status).toBe('invisible');
    const latest = reloaded.credentials!;

    // The server restarts: the session is re-created from the ticket, still invisible.
    a.client.close();
    reloaded.close(4999, 'server going away');
    await first.close();
    const second = await start();
    const watcher = newClient(second);
    const log = new EventLog(watcher, EVENTS);
    await watcher.connect();
    await watcher.login(a.username, a.password);
    const back = newClient(second);
    await back.connect();
    const r2 = await back.resume(latest);
    expect(r2.seamless).toBe(false);
    expect(back.credentials?.status).toBe('invisible');
    const list = await watcher.request('friends.list', {});
    expect(list.friends.find((f) => f.userId === b.userId)?.status).toBe('offline');
    await back.request('presence.setStatus', { status: 'away' });
    const seen = await log.wait('presence.changed', (e) => e.userId === b.userId);
    expect(seen.status).toBe('away');
    expect(log.of('presence.changed').filter((e) => e.userId === b.userId)).toHaveLength(1);
    back.close();
    watcher.close();
  });

  it('R-PRS-3: an invisible login changed to online on the way fails the proof (AUTH_FAILED)', async () => {
    const server = await start();
    const username = uniqueName('tamper');
    const password = `pw-${username}`;
    const setup = newClient(server);
    await setup.connect();
    await setup.register(username, password);
    setup.close();

    const loginId = requests['auth.login'].id;
    let rewrote = false;
    // Rewrites the one plaintext auth.login record on its way out: same request, status online.
    const rewrite = (frame: Uint8Array): Uint8Array => {
      const { version, encrypted, body } = readHeader(frame);
      if (encrypted) return frame;
      const records = decodeRecords(body);
      if (!records.some((r) => r.typeId === loginId)) return frame;
      rewrote = true;
      return encodePlainFrame(
        version,
        records.map((r) =>
          r.typeId === loginId
            ? { ...r, payload: pack({ ...(unpack(r.payload) as object), status: 'online' }) }
            : r,
        ),
      );
    };
    const factory: SocketFactory = (url) => {
      const ws = nodeSocketFactory(url);
      const send = ws.send.bind(ws);
      ws.send = (frame: Uint8Array) => send(rewrite(frame));
      return ws;
    };
    const c = newClient(server, { socketFactory: factory });
    await c.connect();
    const outcome = await errorCode(c.login(username, password, { status: 'invisible' }));
    expect(rewrote).toBe(true);
    expect(outcome).toBe(ErrorCode.AUTH_FAILED);
    c.close();
  });
});

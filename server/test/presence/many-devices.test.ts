import { CloseCode, ErrorCode, type EventName } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { closed, newClient, startTestServer } from '../support/server';
import { befriend, errorCode, sceneUser, type TestUser, testUser } from '../support/users';

const EVENTS = [
  'presence.changed',
  'presence.self',
  'chat.message',
  'scene.takenOver',
  'session.closing',
] as const satisfies readonly EventName[];

/** Another device of `u`: a second client logged in with the same password. */
async function device(server: ImServer, u: TestUser, opts: { device?: string; status?: 'invisible' } = {}) {
  const client = newClient(server);
  const log = new EventLog(client, EVENTS);
  await client.connect();
  await client.login(u.username, u.password, opts);
  return { client, log };
}

describe.each(DB_KINDS)('many devices (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  const open: ImClient[] = [];
  const user = async (prefix: string) => {
    const u = await testUser(server, prefix, EVENTS);
    open.push(u.client);
    return u;
  };

  beforeAll(async () => {
    db = await testDatabase(kind);
    server = await startTestServer(db, { MAX_SESSIONS_PER_USER: 3, RESUME_GRACE_MS: 60_000 });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.close();
    await db?.close();
  });

  it('R-DEV-1, R-DEV-3: both sessions of a user get a friend message; the friend saw one login', async () => {
    const a = await user('ma');
    const b = await user('mb');
    await befriend(a, b);
    a.log.clear();
    const b2 = await device(server, b);
    open.push(b2.client);
    await a.client.request('chat.send', { to: b.userId, text: 'to every device' });
    await b.log.wait('chat.message', (m) => m.text === 'to every device');
    await b2.log.wait('chat.message', (m) => m.text === 'to every device');
    expect(a.log.of('presence.changed')).toEqual([]);
  });

  it('R-DEV-3: friends see offline only after the last session ends', async () => {
    const a = await user('pa');
    const b = await user('pb');
    await befriend(a, b);
    const b2 = await device(server, b);
    a.log.clear();
    await b.client.logout();
    // The logout is answered after the record is gone; a's next answer follows any notice.
    expect((await a.client.request('friends.list', {})).friends[0]?.status).toBe('online');
    expect(a.log.of('presence.changed')).toEqual([]);
    await b2.client.logout();
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    expect(a.log.of('presence.changed')).toHaveLength(1);
  });

  it('R-DEV-2: past the cap the oldest session ends with 4017 and its ticket is void', async () => {
    const b = await user('cb');
    const creds = b.client.credentials!;
    const more = [await device(server, b), await device(server, b)];
    expect(b.client.state.status).toBe('authenticated');
    const closing = b.log.wait('session.closing');
    const fourth = await device(server, b);
    open.push(fourth.client, ...more.map((m) => m.client));
    expect((await closing).closeCode).toBe(CloseCode.SESSION_LIMIT);
    expect(await closed(b.client)).toBe(CloseCode.SESSION_LIMIT);
    const sessions = await fourth.client.listSessions();
    expect(sessions).toHaveLength(3);
    expect(sessions.map((s) => s.sessionId)).not.toContain(creds.sessionId);
    const late = newClient(server);
    await late.connect();
    expect(await errorCode(late.resume(creds))).toBe(ErrorCode.AUTH_FAILED);
    late.close();
  });

  it('R-DEV-4: session.list shows every session; session.end ends another one, never someone else’s', async () => {
    const b = await user('lb');
    const other = await user('lo');
    const phone = await device(server, b, { device: 'Phone' });
    open.push(phone.client);
    const list = await phone.client.listSessions();
    expect(list.map((s) => [s.device, s.current, s.mode])).toEqual([
      ['unknown', false, 'normal'],
      ['Phone', true, 'normal'],
    ]);
    expect(list[0]!.sinceMs).toBeLessThanOrEqual(list[1]!.sinceMs);
    const mine = list[1]!.sessionId;
    const theirs = (await other.client.listSessions())[0]!.sessionId;
    // Someone else's, unknown, and the own session: the same answer.
    expect(await errorCode(phone.client.endSession(theirs))).toBe(ErrorCode.NOT_FOUND);
    expect(await errorCode(phone.client.endSession('no-such-session'))).toBe(ErrorCode.NOT_FOUND);
    expect(await errorCode(phone.client.endSession(mine))).toBe(ErrorCode.NOT_FOUND);
    expect(other.client.state.status).toBe('authenticated');
    const creds = b.client.credentials!;
    await phone.client.endSession(list[0]!.sessionId);
    expect(await closed(b.client)).toBe(CloseCode.SESSION_ENDED);
    expect((await phone.client.listSessions()).map((s) => s.sessionId)).toEqual([mine]);
    const late = newClient(server);
    await late.connect();
    expect(await errorCode(late.resume(creds))).toBe(ErrorCode.AUTH_FAILED);
    late.close();
  });

  it('R-SEC-36: a password change ends the account’s other sessions; their tickets are void, this one goes on', async () => {
    const b = await user('pc');
    const phone = await device(server, b, { device: 'Phone' });
    open.push(phone.client);
    const creds = b.client.credentials!;
    await phone.client.changePassword(b.password, 'a brand new password 1');
    expect(await closed(b.client)).toBe(CloseCode.SESSION_ENDED);
    expect((await phone.client.listSessions()).map((s) => s.device)).toEqual(['Phone']);
    const late = newClient(server);
    await late.connect();
    expect(await errorCode(late.resume(creds))).toBe(ErrorCode.AUTH_FAILED);
    late.close();
    expect(phone.client.state.status).toBe('authenticated');
    await phone.client.request('account.getProfile', {});
  });

  it('R-DEV-5: one status per user: invisible on one device is invisible on all, friends hear it once', async () => {
    const a = await user('sa');
    const b = await user('sb');
    await befriend(a, b);
    const b2 = await device(server, b);
    open.push(b2.client);
    a.log.clear();
    await b2.client.request('presence.setStatus', { status: 'invisible' });
    expect((await b.log.wait('presence.self')).status).toBe('invisible');
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    // The SDK keeps the status a resume must restore.
    expect(b.client.credentials?.status).toBe('invisible');
    // A third device without a status arrives invisible too; nobody hears of it.
    const b3 = await device(server, b);
    open.push(b3.client);
    expect(b3.client.state.status === 'authenticated' && b3.client.credentials?.status).toBe('invisible');
    await b.client.logout();
    await b2.client.logout();
    expect((await a.client.request('friends.list', {})).friends[0]?.status).toBe('offline');
    expect(a.log.of('presence.changed')).toHaveLength(1);
  });

  it('R-DEV-1: each session resumes on its own, with its own ticket', async () => {
    const b = await user('rb');
    const b2 = await device(server, b);
    const c1 = b.client.credentials!;
    const c2 = b2.client.credentials!;
    expect(c1.sessionId).not.toBe(c2.sessionId);
    b.client.close(4999, 'blip');
    b2.client.close(4999, 'blip');
    for (const creds of [c1, c2]) {
      const back = newClient(server);
      open.push(back);
      await back.connect();
      expect((await back.resume(creds)).seamless).toBe(true);
      expect(back.state.status === 'authenticated' && back.state.sessionId).toBe(creds.sessionId);
    }
    const list = await open.at(-1)!.listSessions();
    expect(list.map((s) => s.sessionId).sort()).toEqual([c1.sessionId, c2.sessionId].sort());
  });

  it('R-DEV-6: a second device entering the world takes the avatar over; the first keeps chat', async () => {
    const a = await user('wa');
    const first = await sceneUser(server, 'wb', EVENTS);
    open.push(first.client);
    await befriend(a, first);
    const second = newClient(server);
    open.push(second);
    await second.connect();
    await second.login(first.username, first.password, { mode: 'scene', sceneId: 'plaza' });
    expect((await first.log.wait('scene.takenOver')).reason).toMatch(/another device/);
    // Out of the world, still logged in: scene packets need a join, chat goes on.
    expect(await errorCode(first.client.request('scene.move', { x: 10, y: 10, seq: 1 }))).toBe(
      ErrorCode.CONFLICT,
    );
    await a.client.request('chat.send', { to: first.userId, text: 'still here?' });
    await first.log.wait('chat.message', (m) => m.text === 'still here?');
  });
});

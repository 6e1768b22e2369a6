import { ErrorCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer } from '../support/server';
import { befriend, errorCode, sceneUser, type TestUser, testUser } from '../support/users';
import { answerClass, watch } from './observe';

const EVENTS = [
  'friends.requestReceived',
  'friends.requestAnswered',
  'friends.requestCancelled',
  'friends.added',
  'friends.removed',
  'presence.changed',
  'chat.message',
  'chat.groupMessage',
  'rtc.signal',
  'blocks.added',
  'blocks.removed',
  'scene.chat',
  'scene.view',
] as const;

/**
 * R-BLK-*: blocking, over real sockets. The privacy tests compare what the blocked user observes
 * with what a user observes doing the same to an offline stranger (or to someone who simply does
 * not answer a friend request): the same answers, and the same timing class (answered at once, or
 * never answered).
 */
describe('blocking', () => {
  let db: Database;
  let server: ImServer;
  const user = (prefix: string) => testUser(server, prefix, EVENTS);

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { RESUME_GRACE_MS: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const close = (...us: TestUser[]) => {
    for (const u of us) u.client.close();
  };

  it('R-BLK-1: blocking a friend ends the friendship; the blocked user sees a plain removal, the blocker’s devices see the block', async () => {
    const a = await user('bka');
    const b = await user('bkb');
    await befriend(a, b);
    // A second device of the blocker.
    const other = newClient(server);
    const otherLog = new EventLog(other, ['blocks.added', 'friends.removed']);
    await other.connect();
    await other.login(a.username, a.password);

    expect(await a.client.request('blocks.add', { userId: b.userId })).toEqual({});
    await b.log.wait('friends.removed', (e) => e.userId === a.userId);
    await otherLog.wait('blocks.added', (e) => e.user.userId === b.userId);
    await otherLog.wait('friends.removed', (e) => e.userId === b.userId);
    // Nothing in what b received names a block: the events b got are those a plain remove sends.
    expect(b.log.seen.map((e) => e.type).filter((t) => t.startsWith('blocks.'))).toEqual([]);
    expect((await b.client.request('friends.list', {})).friends).toEqual([]);
    expect((await a.client.request('friends.list', {})).friends).toEqual([]);
    const list = await a.client.request('blocks.list', {});
    expect(list.blocked).toEqual([
      {
        userId: b.userId,
        username: b.username,
        displayName: expect.any(String),
        avatar: expect.any(String),
        sinceMs: expect.any(Number),
      },
    ]);
    // Idempotent: blocking again changes nothing.
    expect(await a.client.request('blocks.add', { userId: b.userId })).toEqual({});
    expect((await a.client.request('blocks.list', {})).blocked).toHaveLength(1);
    other.close();
    close(a, b);
  });

  it('R-BLK-2: the blocked user’s messages and signals get exactly what an offline stranger’s get: no answer, nothing delivered, nothing stored', async () => {
    const a = await user('bma');
    const b = await user('bmb');
    await befriend(a, b);
    await a.client.request('blocks.add', { userId: b.userId });
    await b.log.wait('friends.removed');
    // The control: c writes to d, a stranger who is offline.
    const c = await user('bmc');
    const d = await user('bmd');
    close(d);

    const blocked = {
      msg: watch(b.client.request('chat.send', { to: a.userId, text: 'hello?' })),
      sig: watch(b.client.request('rtc.signal', { to: a.userId, callId: 'k1', kind: 'offer', sdp: 'v=0' })),
    };
    const stranger = {
      msg: watch(c.client.request('chat.send', { to: d.userId, text: 'hello?' })),
      sig: watch(c.client.request('rtc.signal', { to: d.userId, callId: 'k1', kind: 'offer', sdp: 'v=0' })),
    };
    // A connection's requests run in order: once these are answered, the ones above were handled.
    await Promise.all([b.client.request('sys.heartbeat', {}), c.client.request('sys.heartbeat', {})]);
    await a.client.request('sys.heartbeat', {});
    expect(answerClass(blocked.msg)).toBe('silent');
    expect(answerClass(blocked.sig)).toBe('silent');
    expect(answerClass(blocked.msg)).toBe(answerClass(stranger.msg));
    expect(answerClass(blocked.sig)).toBe(answerClass(stranger.sig));
    expect(a.log.of('chat.message')).toEqual([]);
    expect(a.log.of('rtc.signal')).toEqual([]);
    // Nothing stored: a's conversations are empty.
    expect((await a.client.request('chat.sync', {})).conversations).toEqual([]);
    close(a, b, c);
  });

  it('R-BLK-3: a friend request to the blocker is answered like any request, listed by the sender, never shown to the blocker', async () => {
    const a = await user('bra');
    const b = await user('brb');
    await a.client.request('blocks.add', { userId: b.userId });
    // The control: e asks f, who is offline and never answers.
    const e = await user('bre');
    const f = await user('brf');
    close(f);

    const t0 = performance.now();
    const toBlocker = await b.client.request('friends.request', { username: a.username });
    const blockedMs = performance.now() - t0;
    const t1 = performance.now();
    const toStranger = await e.client.request('friends.request', { username: f.username });
    const controlMs = performance.now() - t1;
    expect(toBlocker).toEqual(toStranger);
    // Both are one transaction with the same statements; on a loaded machine only a gross
    // difference (a missing database round trip would be a factor) could tell them apart.
    expect(blockedMs).toBeLessThan(Math.max(controlMs * 20, 2000));
    expect((await b.client.request('friends.list', {})).outgoing.map((u) => u.userId)).toEqual([a.userId]);
    // Asking again: the same CONFLICT as anyone asking twice.
    expect(await errorCode(b.client.request('friends.request', { username: a.username }))).toBe(
      await errorCode(e.client.request('friends.request', { username: f.username })),
    );
    // The blocker hears nothing and lists nothing; accept and decline find no request.
    await a.client.request('sys.heartbeat', {});
    expect(a.log.of('friends.requestReceived')).toEqual([]);
    expect((await a.client.request('friends.list', {})).incoming).toEqual([]);
    expect(await errorCode(a.client.request('friends.accept', { userId: b.userId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(await errorCode(a.client.request('friends.decline', { userId: b.userId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    // The sender may withdraw it as any request.
    expect(await b.client.request('friends.cancel', { userId: a.userId })).toEqual({});
    close(a, b, e);
  });

  it('R-BLK-4: blocking withdraws the blocker’s own pending request (the other side sees a plain cancel); the blocker cannot ask a user they block', async () => {
    const a = await user('bqa');
    const b = await user('bqb');
    await a.client.request('friends.request', { username: b.username });
    await b.log.wait('friends.requestReceived');
    await a.client.request('blocks.add', { userId: b.userId });
    await b.log.wait('friends.requestCancelled', (e) => e.userId === a.userId);
    expect((await b.client.request('friends.list', {})).incoming).toEqual([]);
    expect(await errorCode(a.client.request('friends.request', { username: b.username }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    close(a, b);
  });

  it('R-BLK-5: scene chat and actions of a blocked user do not reach the blocker; others still get them; the sender’s answer is unchanged', async () => {
    const a = await sceneUser(server, 'bsa', EVENTS);
    const b = await sceneUser(server, 'bsb', EVENTS);
    const w = await sceneUser(server, 'bsw', EVENTS);
    // All three stand on the spawn point, in each other's hearing.
    const before = await b.client.request('scene.chat', { text: 'before' });
    await a.log.wait('scene.chat', (m) => m.text === 'before');
    await a.client.request('blocks.add', { userId: b.userId });
    const after = await b.client.request('scene.chat', { text: 'after' });
    expect(Object.keys(after)).toEqual(Object.keys(before));
    await w.log.wait('scene.chat', (m) => m.text === 'after');
    await b.client.request('scene.action', { action: 'dance' });
    await w.log.wait('scene.view', (v) => v.actions.some((x) => x.id === b.userId && x.action === 'dance'));
    // Every scene flushes in one tick: once w has it, a's view of that tick has been sent too.
    await a.client.request('sys.heartbeat', {});
    expect(a.log.of('scene.chat').map((m) => m.text)).toEqual(['before']);
    expect(a.log.of('scene.view').some((v) => v.actions.some((x) => x.id === b.userId))).toBe(false);
    // The blocker's own chat still reaches the blocked user (blocking is not revealed by silence).
    await a.client.request('scene.chat', { text: 'from a' });
    await b.log.wait('scene.chat', (m) => m.text === 'from a');
    close(a, b, w);
  });

  it('R-BLK-7: in a shared group the blocked user’s messages are still delivered (the client hides them)', async () => {
    const a = await user('bga');
    const b = await user('bgb');
    const g = await a.client.request('groups.create', { name: `blk ${a.username}` });
    await b.client.request('groups.join', { groupId: g.groupId });
    await a.client.request('blocks.add', { userId: b.userId });
    await b.client.request('chat.sendGroup', { groupId: g.groupId, text: 'still here' });
    await a.log.wait('chat.groupMessage', (m) => m.text === 'still here' && m.from === b.userId);
    close(a, b);
  });

  it('R-BLK-8: unblocking lets friend requests through again; the ended friendship does not come back', async () => {
    const a = await user('bua');
    const b = await user('bub');
    await befriend(a, b);
    await a.client.request('blocks.add', { userId: b.userId });
    await a.log.wait('blocks.added');
    await a.client.request('blocks.remove', { userId: b.userId });
    await a.log.wait('blocks.removed', (e) => e.userId === b.userId);
    expect((await a.client.request('blocks.list', {})).blocked).toEqual([]);
    expect((await a.client.request('friends.list', {})).friends).toEqual([]);
    expect(await errorCode(a.client.request('blocks.remove', { userId: b.userId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    await b.client.request('friends.request', { username: a.username });
    await a.log.wait('friends.requestReceived', (e) => e.from.userId === b.userId);
    close(a, b);
  });

  it('R-BLK-10: blocking yourself is BAD_REQUEST, an unknown user NOT_FOUND', async () => {
    const a = await user('bxa');
    expect(await errorCode(a.client.request('blocks.add', { userId: a.userId }))).toBe(ErrorCode.BAD_REQUEST);
    expect(await errorCode(a.client.request('blocks.add', { userId: 2_000_000_000 }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect((await a.client.request('blocks.list', {})).blocked).toEqual([]);
    close(a);
  });
});

import { ErrorCode, groupConv } from '@imw/shared';
import { ImError } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, type TestUser, testUser } from '../support/users';

const EVENTS = ['chat.groupMessage', 'groups.memberJoined', 'groups.memberLeft', 'profile.changed'] as const;

/** #15's rough edges on the server: same-named groups, join and leave lines, live profile changes. */
describe('groups and profiles', () => {
  let db: Database;
  let server: ImServer;
  const user = (prefix: string) => testUser(server, prefix, EVENTS);

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
  const close = (...us: TestUser[]) => {
    for (const u of us) u.client.close();
  };

  it('R-GRP-30: create, search and list carry the owner’s name next to member count and creation time', async () => {
    const a = await user('goa');
    await a.client.request('account.updateProfile', { displayName: 'Owner Ann' });
    const name = `Lunch ${a.username}`;
    const g = await a.client.request('groups.create', { name });
    expect(g).toMatchObject({ name, ownerId: a.userId, ownerName: 'Owner Ann', memberCount: 1 });
    const found = await a.client.request('groups.search', { query: name });
    expect(found.groups).toEqual([g]);
    expect((await a.client.request('groups.list', {})).groups).toEqual([g]);
    close(a);
  });

  it('R-GRP-31: a second group with a name the creator already owns is CONFLICT (sameName) unless allowSameName; others may reuse it', async () => {
    const a = await user('gsa');
    const b = await user('gsb');
    const name = `Book club ${a.username}`;
    const first = await a.client.request('groups.create', { name });
    let err: unknown;
    try {
      await a.client.request('groups.create', { name: ` ${name.toUpperCase()} ` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImError);
    expect([(err as ImError).code, (err as ImError).details]).toEqual([ErrorCode.CONFLICT, ['sameName']]);
    const second = await a.client.request('groups.create', { name, allowSameName: true });
    expect(second.groupId).not.toBe(first.groupId);
    // Another owner needs no confirmation.
    const third = await b.client.request('groups.create', { name });
    const found = await b.client.request('groups.search', { query: name });
    expect(found.groups.map((g) => [g.groupId, g.ownerId])).toEqual([
      [first.groupId, a.userId],
      [second.groupId, a.userId],
      [third.groupId, b.userId],
    ]);
    close(a, b);
  });

  it('R-GRP-32: join and leave lines are stored in the group’s history, pushed live, and not counted unread', async () => {
    const a = await user('gla');
    const b = await user('glb');
    const g = await a.client.request('groups.create', { name: `Lines ${a.username}` });
    // The SDK hands event lines to the app as messages with `event` (R-SDK-1's one message stream).
    const sdkEvents: Array<string | undefined> = [];
    a.client.on('message', (m) => sdkEvents.push(m.event));
    await b.client.request('groups.join', { groupId: g.groupId });
    const joined = await a.log.wait('chat.groupMessage', (m) => m.event === 'joined');
    expect(joined).toMatchObject({ groupId: g.groupId, from: b.userId, text: '', event: 'joined' });
    // The joiner's own devices see it too.
    await b.log.wait('chat.groupMessage', (m) => m.event === 'joined' && m.from === b.userId);
    await b.client.request('groups.leave', { groupId: g.groupId });
    await a.log.wait('chat.groupMessage', (m) => m.event === 'left' && m.from === b.userId);
    const page = await a.client.request('chat.history', { conv: groupConv(g.groupId) });
    expect(page.messages.map((m) => [m.seq, m.from, m.event, m.text])).toEqual([
      [1, b.userId, 'joined', ''],
      [2, b.userId, 'left', ''],
    ]);
    expect(sdkEvents).toEqual(['joined', 'left']);
    const sync = await a.client.request('chat.sync', {});
    expect(sync.conversations.find((c) => c.conv === groupConv(g.groupId))).toMatchObject({
      lastSeq: 2,
      unread: 0,
    });
    close(a, b);
  });

  it('R-PRO-1: a new display name or avatar reaches friends, fellow group members and the user’s other sessions live, not strangers', async () => {
    const a = await user('ppa');
    const friend = await user('ppf');
    const member = await user('ppm');
    const stranger = await user('pps');
    await befriend(a, friend);
    const g = await a.client.request('groups.create', { name: `Profile ${a.username}` });
    await member.client.request('groups.join', { groupId: g.groupId });
    await a.client.request('account.updateProfile', { displayName: 'Alice W. 爱丽丝', avatar: 'owl' });
    const want = { userId: a.userId, displayName: 'Alice W. 爱丽丝', avatar: 'owl' };
    expect(await friend.log.wait('profile.changed')).toEqual(want);
    expect(await member.log.wait('profile.changed')).toEqual(want);
    expect(await a.log.wait('profile.changed')).toEqual(want);
    await stranger.client.request('sys.heartbeat', {});
    expect(stranger.log.of('profile.changed')).toEqual([]);
    close(a, friend, member, stranger);
  });
});

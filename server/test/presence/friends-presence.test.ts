import { CloseCode, ErrorCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { type ClientOpts, closed, newClient, startTestServer, tappedSocketFactory } from '../support/server';
import { befriend, errorCode, testUser } from '../support/users';

const EVENTS = [
  'friends.requestReceived',
  'friends.requestAnswered',
  'friends.requestCancelled',
  'friends.added',
  'friends.removed',
  'presence.changed',
  'groups.memberJoined',
  'groups.memberLeft',
] as const;

describe('client state: friends, presence, groups, heartbeats, resume', () => {
  let db: Database;
  let server: ImServer;

  const user = (prefix: string, opts?: ClientOpts) => testUser(server, prefix, EVENTS, opts);

  // Heartbeats keep their defaults (seconds) here: a short timeout on the real clock closes live
  // sockets whenever this 2-core machine stalls the process (PGlite runs in it). R-HB-1 has a
  // server of its own whose time moves only when the test moves it. The short grace is what the
  // tests below wait for (a closed socket's session ends); resuming within a grace has its own.
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { RESUME_GRACE_MS: 600 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-FRD-20: a friend request reaches the online user at once; accepting makes both friends, online', async () => {
    const a = await user('fa');
    const b = await user('fb');
    expect(await a.client.request('friends.request', { username: b.username })).toEqual({
      becameFriends: false,
    });
    const got = await b.log.wait('friends.requestReceived');
    expect(got.from).toMatchObject({ userId: a.userId, username: a.username });
    const listB = await b.client.request('friends.list', {});
    expect(listB.incoming.map((u) => u.userId)).toEqual([a.userId]);
    const accepted = await b.client.request('friends.accept', { userId: a.userId });
    expect(accepted.friend).toMatchObject({ userId: a.userId, status: 'online' });
    await a.log.wait('friends.requestAnswered', (e) => e.userId === b.userId && e.accepted);
    const added = await a.log.wait('friends.added');
    expect(added.friend).toMatchObject({ userId: b.userId, status: 'online' });
    const listA = await a.client.request('friends.list', {});
    expect(listA.friends).toEqual([expect.objectContaining({ userId: b.userId, status: 'online' })]);
    expect(listA.outgoing).toEqual([]);
    // R-FRD-2: accepting twice changes nothing.
    expect(await errorCode(b.client.request('friends.accept', { userId: a.userId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    a.client.close();
    b.client.close();
  });

  it('R-FRD-21: a request waits in the database for an offline user', async () => {
    const a = await user('wa');
    const b = await user('wb');
    b.client.close();
    await a.client.request('friends.request', { username: b.username });
    const again = newClient(server);
    await again.connect();
    await again.login(b.username, b.password);
    const list = await again.request('friends.list', {});
    expect(list.incoming.map((u) => u.userId)).toEqual([a.userId]);
    a.client.close();
    again.close();
  });

  it('R-FRD-22: decline, cancel and remove notify the other side and leave no friendship', async () => {
    const a = await user('da');
    const b = await user('db');
    await a.client.request('friends.request', { username: b.username });
    await b.log.wait('friends.requestReceived');
    await b.client.request('friends.decline', { userId: a.userId });
    await a.log.wait('friends.requestAnswered', (e) => !e.accepted);
    expect((await a.client.request('friends.list', {})).outgoing).toEqual([]);

    // a waits out a cooldown now (R-FRD-32); b, who declined, may ask.
    await b.client.request('friends.request', { username: a.username });
    await b.client.request('friends.cancel', { userId: a.userId });
    await a.log.wait('friends.requestCancelled', (e) => e.userId === b.userId);
    expect((await a.client.request('friends.list', {})).incoming).toEqual([]);

    await befriend(b, a);
    await b.client.request('friends.remove', { userId: a.userId });
    await a.log.wait('friends.removed', (e) => e.userId === b.userId);
    expect((await a.client.request('friends.list', {})).friends).toEqual([]);
    a.client.close();
    b.client.close();
  });

  it('R-FRD-23: bad friend requests get documented errors and change nothing', async () => {
    const a = await user('ea');
    const b = await user('eb');
    expect(await errorCode(a.client.request('friends.request', { username: 'nobody-here-xyz' }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(await errorCode(a.client.request('friends.request', { username: a.username }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    expect(await errorCode(a.client.request('friends.remove', { userId: b.userId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(await errorCode(a.client.request('friends.accept', { userId: b.userId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    await a.client.request('friends.request', { username: b.username });
    expect(await errorCode(a.client.request('friends.request', { username: b.username }))).toBe(
      ErrorCode.CONFLICT,
    );
    const list = await a.client.request('friends.list', {});
    expect(list.friends).toEqual([]);
    expect(list.outgoing.map((u) => u.userId)).toEqual([b.userId]);
    a.client.close();
    b.client.close();
  });

  it('R-PRS-1: friends see each other log in and out; away and busy are announced', async () => {
    const a = await user('pa');
    const b = await user('pb');
    await befriend(a, b);
    b.client.close();
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    const b2 = newClient(server);
    await b2.connect();
    await b2.login(b.username, b.password);
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'online');
    await b2.request('presence.setStatus', { status: 'away' });
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'away');
    await b2.request('presence.setStatus', { status: 'busy' });
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'busy');
    expect((await a.client.request('friends.list', {})).friends[0]?.status).toBe('busy');
    await b2.logout();
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    a.client.close();
  });

  it('R-PRS-2: invisible looks exactly like offline: notices, friend list, member list, logout', async () => {
    const a = await user('ia');
    const b = await user('ib');
    await befriend(a, b);
    const g = await b.client.request('groups.create', { name: 'Invisible club' });
    await a.client.request('groups.join', { groupId: g.groupId });
    await b.client.request('presence.setStatus', { status: 'invisible' });
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');
    expect((await a.client.request('friends.list', {})).friends[0]?.status).toBe('offline');
    const members = await a.client.request('groups.members', { groupId: g.groupId });
    expect(members.members.find((m) => m.userId === b.userId)?.status).toBe('offline');
    a.log.clear();
    // Logging out while invisible says nothing: there was nothing to see.
    await b.client.logout();
    await a.client.request('friends.list', {}); // a round trip, so any notice would have arrived
    expect(a.log.of('presence.changed')).toEqual([]);
    a.client.close();
  });

  it('R-GRP-20: create, find, join, leave; members with presence; ownership passes to the oldest member', async () => {
    const owner = await user('go');
    const m1 = await user('gm');
    const m2 = await user('gn');
    const name = `Hikers ${owner.userId}`;
    const g = await owner.client.request('groups.create', { name });
    expect(g).toMatchObject({ name, ownerId: owner.userId, memberCount: 1 });
    const found = await m1.client.request('groups.search', { query: `hikers ${owner.userId}` });
    expect(found.groups.map((x) => x.groupId)).toContain(g.groupId);
    await m1.client.request('groups.join', { groupId: g.groupId });
    await owner.log.wait('groups.memberJoined', (e) => e.member.userId === m1.userId);
    await m2.client.request('groups.join', { groupId: g.groupId });
    expect(await errorCode(m2.client.request('groups.join', { groupId: g.groupId }))).toBe(
      ErrorCode.CONFLICT,
    );
    const members = await m2.client.request('groups.members', { groupId: g.groupId });
    expect(members.members.map((m) => [m.userId, m.status, m.isOwner])).toEqual(
      expect.arrayContaining([
        [owner.userId, 'online', true],
        [m1.userId, 'online', false],
        [m2.userId, 'online', false],
      ]),
    );
    await owner.client.request('groups.leave', { groupId: g.groupId });
    const left = await m1.log.wait('groups.memberLeft', (e) => e.userId === owner.userId);
    expect(left.newOwnerId).toBe(m1.userId);
    expect((await m2.client.request('groups.list', {})).groups[0]).toMatchObject({
      ownerId: m1.userId,
      memberCount: 2,
    });
    expect(await errorCode(owner.client.request('groups.members', { groupId: g.groupId }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(await errorCode(owner.client.request('groups.leave', { groupId: g.groupId }))).toBe(
      ErrorCode.NOT_FOUND,
    );
    for (const u of [owner, m1, m2]) u.client.close();
  });

  it('R-ACC-4: deleting an account removes it from friends and hands its groups over', async () => {
    const owner = await user('xo');
    const friend = await user('xf');
    const member = await user('xm');
    await befriend(owner, friend);
    const g = await owner.client.request('groups.create', { name: 'Soon orphaned' });
    await member.client.request('groups.join', { groupId: g.groupId });
    await owner.client.deleteAccount(owner.password);
    expect(await closed(owner.client)).toBe(CloseCode.ACCOUNT_DELETED);
    await friend.log.wait('friends.removed', (e) => e.userId === owner.userId);
    const left = await member.log.wait('groups.memberLeft', (e) => e.userId === owner.userId);
    expect(left.newOwnerId).toBe(member.userId);
    expect((await friend.client.request('friends.list', {})).friends).toEqual([]);
    expect((await member.client.request('groups.list', {})).groups[0]).toMatchObject({
      ownerId: member.userId,
    });
    friend.client.close();
    member.client.close();
  });

  it('R-RES-2: after the grace, friends see the logout and the ticket no longer works', async () => {
    const a = await user('ta');
    const b = await user('tb', { heartbeat: true });
    await befriend(a, b);
    const creds = b.client.credentials!;
    const { factory, tap } = tappedSocketFactory();
    // A second client on b's credentials stands in for b's tab after a long outage.
    b.client.close(4999, 'gone');
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline', 3000);
    const late = newClient(server, { socketFactory: factory });
    await late.connect();
    expect(await errorCode(late.resume(creds))).toBe(ErrorCode.AUTH_FAILED);
    tap.terminate();
    a.client.close();
  });

  it('R-SES-1, R-DEV-1: a second login adds a session: both keep working, friends see no blip', async () => {
    const a = await user('oa');
    const b = await user('ob');
    await befriend(a, b);
    a.log.clear();
    const b2 = newClient(server);
    await b2.connect();
    await b2.login(b.username, b.password);
    // The first session still answers; the friend heard nothing.
    expect((await b.client.request('account.getProfile', {})).username).toBe(b.username);
    expect(b.client.state.status).toBe('authenticated');
    await a.client.request('friends.list', {});
    expect(a.log.of('presence.changed')).toEqual([]);
    expect((await a.client.request('friends.list', {})).friends[0]?.status).toBe('online');
    a.client.close();
    b2.close();
  });

  describe('heartbeats, on a clock the test moves', () => {
    const HEARTBEAT_TIMEOUT_MS = 400;
    const clock = new ManualClock(Date.now());
    let hbServer: ImServer;
    beforeAll(async () => {
      hbServer = await startTestServer(db, { HEARTBEAT_INTERVAL_MS: 100, HEARTBEAT_TIMEOUT_MS }, clock);
    });
    afterAll(() => hbServer?.close());

    it('R-HB-1, R-HB-2: a session that stops sending heartbeats is logged out and friends see it', async () => {
      const a = await testUser(hbServer, 'ha', EVENTS);
      const quiet = await testUser(hbServer, 'hq', EVENTS, { heartbeat: false });
      await befriend(a, quiet);
      // Time passes in steps shorter than the timeout; a's heartbeat is heard after each one.
      for (let i = 0; i < 3; i++) {
        clock.advance(HEARTBEAT_TIMEOUT_MS - 100);
        await a.client.request('sys.heartbeat', {});
      }
      expect(await closed(quiet.client, 5000)).toBe(CloseCode.HEARTBEAT_TIMEOUT);
      await a.log.wait('presence.changed', (e) => e.userId === quiet.userId && e.status === 'offline', 5000);
      // The heartbeating client outlived several timeouts.
      expect(a.client.state.status).toBe('authenticated');
      a.client.close();
    });
  });

  describe('resume within the grace', () => {
    let resumeServer: ImServer;
    // Long enough that a loaded machine cannot outrun it; R-RES-2 covers the grace running out.
    beforeAll(async () => {
      resumeServer = await startTestServer(db, { RESUME_GRACE_MS: 60_000 });
    });
    afterAll(() => resumeServer?.close());
    const resumeUser = (prefix: string, opts?: ClientOpts) => testUser(resumeServer, prefix, EVENTS, opts);

    it('R-RES-1: a dropped socket resumes within the grace: same session, no notice, queued packets delivered', async () => {
      const a = await resumeUser('ra');
      const b = await resumeUser('rb');
      await befriend(a, b);
      const creds = b.client.credentials!;
      a.log.clear();
      // b's socket goes away without a logout; the session waits for a resume.
      b.client.close(4999, 'network blip');
      const c = await resumeUser('rc');
      await c.client.request('friends.request', { username: b.username });
      const back = newClient(resumeServer);
      const log = new EventLog(back, EVENTS);
      await back.connect();
      const r = await back.resume(creds);
      expect(r.seamless).toBe(true);
      expect(back.state.status === 'authenticated' && back.state.sessionId).toBe(creds.sessionId);
      await log.wait('friends.requestReceived', (e) => e.from.userId === c.userId);
      await a.client.request('friends.list', {});
      expect(a.log.of('presence.changed').filter((e) => e.userId === b.userId)).toEqual([]);
      // The encrypted session on the new socket works both ways.
      expect((await back.request('account.getProfile', {})).userId).toBe(b.userId);
      for (const x of [a.client, c.client, back]) x.close();
    });

    it('R-RES-3: the SDK reconnects by itself after a network drop and resumes the same session', async () => {
      const { factory, tap } = tappedSocketFactory();
      const b = await resumeUser('rs', { heartbeat: true, socketFactory: factory, reconnect: true });
      const before = b.client.credentials!.sessionId;
      const resumed = new Promise<{ seamless: boolean }>((res) => b.client.on('resumed', res));
      tap.terminate();
      expect((await resumed).seamless).toBe(true);
      expect(b.client.state.status === 'authenticated' && b.client.state.sessionId).toBe(before);
      expect((await b.client.request('account.getProfile', {})).userId).toBe(b.userId);
      b.client.close();
    });
  });
});

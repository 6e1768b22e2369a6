import { ErrorCode } from '@imw/shared';
import { and, count, eq, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepo } from '../../src/accounts/repo';
import { SocialService } from '../../src/accounts/social';
import { AppError } from '../../src/core';
import { type Database, tables } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';

const LIMITS = { maxFriends: 50, maxGroupMembers: 50 };

async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

let seq = 0;
/** Usernames unique per run, so tests share one database without seeing each other's rows. */
const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`;

describe.each(DB_KINDS)('social service: friends and groups (%s)', (kind) => {
  let db: Database;
  let social: SocialService;

  beforeAll(async () => {
    db = await testDatabase(kind);
    social = new SocialService(db.db, LIMITS);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function user(prefix = 'u'): Promise<{ id: number; username: string }> {
    const username = uniqueName(prefix);
    const row = await new UserRepo(db.db).insert({
      username,
      displayName: username.toUpperCase(),
      scramSalt: new Uint8Array(16),
      scramIterations: 4096,
      scramStoredKey: new Uint8Array(32),
      scramServerKey: new Uint8Array(32),
    });
    return { id: row.id, username };
  }

  async function users(n: number, prefix = 'u') {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await user(prefix));
    return out;
  }

  const names = (list: Array<{ username: string }>) => list.map((u) => u.username);
  const snapshot = (...ids: number[]) => Promise.all(ids.map((id) => social.listFriends(id)));

  /** Every friendship row has its mirror (the invariant the mirror foreign key enforces). */
  async function unpairedRows(): Promise<number> {
    const f = tables.friendships;
    const m = alias(tables.friendships, 'm');
    const mirror = db.db
      .select({ one: sql`1` })
      .from(m)
      .where(and(eq(m.userId, f.friendId), eq(m.friendId, f.userId)));
    const [row] = await db.db.select({ n: count() }).from(f).where(notExists(mirror));
    return row?.n ?? -1;
  }

  async function befriend(a: { id: number }, b: { id: number; username: string }) {
    await social.requestFriend(a.id, b.username);
    return social.acceptFriend(b.id, a.id);
  }

  describe('friends', () => {
    it('R-FRD-1: request then accept; both sides list each other with the same sinceMs', async () => {
      const [a, b] = await users(2);
      const before = Date.now();
      const r = await social.requestFriend(a!.id, b!.username);
      expect(r).toEqual({
        kind: 'requested',
        to: { userId: b!.id, username: b!.username, displayName: b!.username.toUpperCase(), avatar: 'fox' },
        hidden: false,
      });
      expect(names((await social.listFriends(a!.id)).outgoing)).toEqual([b!.username]);
      expect(names((await social.listFriends(b!.id)).incoming)).toEqual([a!.username]);
      expect(await social.areFriends(a!.id, b!.id)).toBe(false);

      const acc = await social.acceptFriend(b!.id, a!.id);
      expect(acc.friend).toMatchObject({ userId: a!.id, username: a!.username });
      expect(Math.abs(acc.sinceMs - before)).toBeLessThan(60_000);
      const [la, lb] = await snapshot(a!.id, b!.id);
      const summary = (u: { id: number; username: string }) => ({
        userId: u.id,
        username: u.username,
        displayName: u.username.toUpperCase(),
        avatar: 'fox',
      });
      expect(la).toEqual({ friends: [{ ...summary(b!), sinceMs: acc.sinceMs }], incoming: [], outgoing: [] });
      expect(lb).toEqual({ friends: [{ ...summary(a!), sinceMs: acc.sinceMs }], incoming: [], outgoing: [] });
      expect(await social.areFriends(a!.id, b!.id)).toBe(true);
      expect(await social.areFriends(b!.id, a!.id)).toBe(true);
      expect(await social.friendIds(a!.id)).toEqual([b!.id]);
      expect(await unpairedRows()).toBe(0);
    });

    it('R-FRD-2: accepting twice, or without a request, is NOT_FOUND and changes nothing', async () => {
      const [a, b, c] = await users(3);
      await befriend(a!, b!);
      const before = await snapshot(a!.id, b!.id, c!.id);
      await expectCode(social.acceptFriend(b!.id, a!.id), ErrorCode.NOT_FOUND);
      await expectCode(social.acceptFriend(c!.id, a!.id), ErrorCode.NOT_FOUND);
      await expectCode(social.acceptFriend(a!.id, 2 ** 31 - 1), ErrorCode.NOT_FOUND);
      expect(await snapshot(a!.id, b!.id, c!.id)).toEqual(before);
    });

    it('R-FRD-3: decline drops the request; declining again is NOT_FOUND; asking again works', async () => {
      const [a, b] = await users(2);
      await social.requestFriend(a!.id, b!.username);
      await social.declineFriend(b!.id, a!.id);
      const after = await snapshot(a!.id, b!.id);
      expect(after.map((l) => [l.friends, l.incoming, l.outgoing])).toEqual([
        [[], [], []],
        [[], [], []],
      ]);
      await expectCode(social.declineFriend(b!.id, a!.id), ErrorCode.NOT_FOUND);
      await expectCode(social.acceptFriend(b!.id, a!.id), ErrorCode.NOT_FOUND);
      expect(await snapshot(a!.id, b!.id)).toEqual(after);
      expect((await social.requestFriend(a!.id, b!.username)).kind).toBe('requested');
    });

    it('R-FRD-4: cancel withdraws a sent request; the other side can no longer accept it', async () => {
      const [a, b] = await users(2);
      await social.requestFriend(a!.id, b!.username);
      await social.cancelRequest(a!.id, b!.id);
      expect((await social.listFriends(b!.id)).incoming).toEqual([]);
      expect((await social.listFriends(a!.id)).outgoing).toEqual([]);
      const before = await snapshot(a!.id, b!.id);
      await expectCode(social.cancelRequest(a!.id, b!.id), ErrorCode.NOT_FOUND);
      await expectCode(social.acceptFriend(b!.id, a!.id), ErrorCode.NOT_FOUND);
      await expectCode(social.cancelRequest(b!.id, a!.id), ErrorCode.NOT_FOUND);
      expect(await snapshot(a!.id, b!.id)).toEqual(before);
    });

    it('R-FRD-5: a crossing request makes friends at once and consumes the first request', async () => {
      const [a, b] = await users(2);
      await social.requestFriend(a!.id, b!.username);
      const r = await social.requestFriend(b!.id, a!.username);
      expect(r.kind).toBe('becameFriends');
      if (r.kind !== 'becameFriends') return;
      expect(r.friend.userId).toBe(a!.id);
      const [la, lb] = await snapshot(a!.id, b!.id);
      expect(la!.friends.map((f) => [f.userId, f.sinceMs])).toEqual([[b!.id, r.sinceMs]]);
      expect(lb!.friends.map((f) => f.userId)).toEqual([a!.id]);
      expect([la!.incoming, la!.outgoing, lb!.incoming, lb!.outgoing]).toEqual([[], [], [], []]);
      await expectCode(social.acceptFriend(b!.id, a!.id), ErrorCode.NOT_FOUND);
    });

    it('R-FRD-6: remove ends the friendship for both; removing a non-friend is NOT_FOUND', async () => {
      const [a, b, c] = await users(3);
      await befriend(a!, b!);
      await befriend(a!, c!);
      await social.removeFriend(b!.id, a!.id);
      expect((await social.listFriends(a!.id)).friends.map((f) => f.userId)).toEqual([c!.id]);
      expect((await social.listFriends(b!.id)).friends).toEqual([]);
      expect(await social.areFriends(a!.id, b!.id)).toBe(false);
      const before = await snapshot(a!.id, b!.id, c!.id);
      await expectCode(social.removeFriend(a!.id, b!.id), ErrorCode.NOT_FOUND);
      await expectCode(social.removeFriend(b!.id, c!.id), ErrorCode.NOT_FOUND);
      expect(await snapshot(a!.id, b!.id, c!.id)).toEqual(before);
      expect(await unpairedRows()).toBe(0);
    });

    it('R-FRD-7: unknown user NOT_FOUND, yourself BAD_REQUEST, already friends or asked CONFLICT', async () => {
      const [a, b, c] = await users(3);
      await befriend(a!, b!);
      await social.requestFriend(a!.id, c!.username);
      const before = await snapshot(a!.id, b!.id, c!.id);
      await expectCode(social.requestFriend(a!.id, uniqueName('ghost')), ErrorCode.NOT_FOUND);
      await expectCode(social.requestFriend(a!.id, a!.username), ErrorCode.BAD_REQUEST);
      await expectCode(social.requestFriend(a!.id, b!.username), ErrorCode.CONFLICT);
      await expectCode(social.requestFriend(b!.id, a!.username), ErrorCode.CONFLICT);
      await expectCode(social.requestFriend(a!.id, c!.username), ErrorCode.CONFLICT);
      expect(await snapshot(a!.id, b!.id, c!.id)).toEqual(before);
    });

    it('R-FRD-8: neither side may pass the friends cap; a refused accept keeps the request', async () => {
      const capped = new SocialService(db.db, { ...LIMITS, maxFriends: 1 });
      const [a, b, c, d] = await users(4);
      await capped.requestFriend(a!.id, b!.username);
      await capped.requestFriend(c!.id, a!.username); // pending c → a
      await capped.requestFriend(d!.id, b!.username); // pending d → b
      await capped.acceptFriend(b!.id, a!.id); // a and b are now full
      const before = await snapshot(a!.id, b!.id, c!.id, d!.id);
      await expectCode(capped.acceptFriend(a!.id, c!.id), ErrorCode.LIMIT_EXCEEDED); // accepter full
      await expectCode(capped.acceptFriend(b!.id, d!.id), ErrorCode.LIMIT_EXCEEDED);
      await expectCode(capped.requestFriend(c!.id, b!.username), ErrorCode.LIMIT_EXCEEDED); // target full
      await expectCode(capped.requestFriend(a!.id, c!.username), ErrorCode.LIMIT_EXCEEDED); // crossing, full
      expect(await snapshot(a!.id, b!.id, c!.id, d!.id)).toEqual(before);
      expect(names((await capped.listFriends(a!.id)).incoming)).toEqual([c!.username]);
      // Room again after a removal: the kept request can now be accepted.
      await capped.removeFriend(a!.id, b!.id);
      expect((await capped.acceptFriend(a!.id, c!.id)).friend.userId).toBe(c!.id);
    });

    it('R-FRD-9: outgoing pending requests are capped', async () => {
      const capped = new SocialService(db.db, { ...LIMITS, maxPendingRequests: 2 });
      const [a, b, c, d] = await users(4);
      await capped.requestFriend(a!.id, b!.username);
      await capped.requestFriend(a!.id, c!.username);
      await expectCode(capped.requestFriend(a!.id, d!.username), ErrorCode.LIMIT_EXCEEDED);
      expect(names((await capped.listFriends(a!.id)).outgoing)).toEqual([b!.username, c!.username]);
      // A crossing request is an acceptance, not a new pending request: still allowed.
      await capped.requestFriend(d!.id, a!.username);
      expect((await capped.requestFriend(a!.id, d!.username)).kind).toBe('becameFriends');
    });

    it('R-FRD-10: racing writes leave consistent pairs (crossing, double accept, last slot)', async () => {
      const [a, b] = await users(2);
      const crossing = await Promise.allSettled([
        social.requestFriend(a!.id, b!.username),
        social.requestFriend(b!.id, a!.username),
      ]);
      expect(crossing.every((r) => r.status === 'fulfilled')).toBe(true);
      expect(await social.areFriends(a!.id, b!.id)).toBe(true);
      expect((await social.listFriends(a!.id)).outgoing).toEqual([]);

      const [c, d] = await users(2);
      await social.requestFriend(c!.id, d!.username);
      const accepts = await Promise.allSettled([
        social.acceptFriend(d!.id, c!.id),
        social.acceptFriend(d!.id, c!.id),
      ]);
      expect(accepts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = accepts.find((r) => r.status === 'rejected');
      expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.NOT_FOUND });

      const capped = new SocialService(db.db, { ...LIMITS, maxFriends: 2 });
      const [hub, ...askers] = await users(5, 'hub');
      for (const s of askers) await capped.requestFriend(s.id, hub!.username);
      const results = await Promise.allSettled(askers.map((s) => capped.acceptFriend(hub!.id, s.id)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.LIMIT_EXCEEDED });
      }
      expect((await capped.listFriends(hub!.id)).friends).toHaveLength(2);
      expect((await capped.listFriends(hub!.id)).incoming).toHaveLength(2);
      expect(await unpairedRows()).toBe(0);
    });

    it('R-FRD-11: the database refuses a friendship row without its mirror; deleting one row deletes both', async () => {
      const [a, b, c] = await users(3);
      const lone = db.db.execute(
        sql`insert into friendships (user_id, friend_id) values (${a!.id}, ${b!.id})`,
      );
      await expect(lone).rejects.toThrow();
      await befriend(a!, c!);
      await db.db.execute(sql`delete from friendships where user_id = ${a!.id} and friend_id = ${c!.id}`);
      social.invalidateUser(a!.id);
      social.invalidateUser(c!.id);
      expect(await social.areFriends(c!.id, a!.id)).toBe(false);
      expect(await unpairedRows()).toBe(0);
    });

    it('R-FRD-12: the friend cache follows this node at once and other nodes after invalidateUser', async () => {
      const [a, b, c] = await users(3);
      expect(await social.areFriends(a!.id, b!.id)).toBe(false); // cached now
      await befriend(a!, b!);
      expect(await social.areFriends(a!.id, b!.id)).toBe(true);

      const otherNode = new SocialService(db.db, LIMITS);
      expect(await social.areFriends(a!.id, c!.id)).toBe(false);
      expect(await social.areFriends(c!.id, a!.id)).toBe(false);
      await otherNode.requestFriend(c!.id, a!.username);
      await otherNode.acceptFriend(a!.id, c!.id);
      // Until told, this node answers from its cache; the other node's change arrives as an invalidation.
      expect(await social.areFriends(a!.id, c!.id)).toBe(false);
      social.invalidateUser(a!.id);
      social.invalidateUser(c!.id);
      expect(await social.areFriends(a!.id, c!.id)).toBe(true);
      expect(await social.areFriends(c!.id, a!.id)).toBe(true);

      await otherNode.removeFriend(a!.id, b!.id);
      social.invalidateUser(a!.id); // also drops b's cached set, which contains a
      expect(await social.areFriends(b!.id, a!.id)).toBe(false);

      // A read that starts before a write and ends after it never leaves a stale entry behind.
      const read = social.friendIds(a!.id);
      const write = social.removeFriend(a!.id, c!.id);
      await Promise.all([read, write]);
      expect(await social.areFriends(a!.id, c!.id)).toBe(false);
      expect(await social.friendIds(c!.id)).toEqual([]);
    });
  });

  describe('groups', () => {
    it('R-GRP-1: the creator is owner and first member; names are 1-64 characters', async () => {
      const [o] = await users(1);
      const g = await social.createGroup(o!.id, '  Tea Club  ');
      expect(g).toMatchObject({ name: 'Tea Club', ownerId: o!.id, memberCount: 1 });
      expect(Math.abs(g.createdAtMs - Date.now())).toBeLessThan(60_000);
      expect(await social.groupInfo(g.groupId)).toEqual(g);
      expect(await social.myGroups(o!.id)).toEqual([g]);
      expect(await social.groupIdsOf(o!.id)).toEqual([g.groupId]);
      expect(await social.members(g.groupId)).toEqual([
        expect.objectContaining({ userId: o!.id, username: o!.username, isOwner: true }),
      ]);
      expect(await social.isMember(g.groupId, o!.id)).toBe(true);
      for (const bad of ['', '   ', 'x'.repeat(65)]) {
        await expectCode(social.createGroup(o!.id, bad), ErrorCode.BAD_REQUEST);
      }
      expect(await social.myGroups(o!.id)).toEqual([g]);
    });

    it('R-GRP-2: search is a case-insensitive substring match; LIKE wildcards match literally', async () => {
      const [o] = await users(1);
      const tag = uniqueName('q');
      const exact = await social.createGroup(o!.id, `${tag} Chess`);
      const inner = await social.createGroup(o!.id, `The ${tag.toUpperCase()} chess fans`);
      const pct = await social.createGroup(o!.id, `${tag} 100%_real`);
      const decoy = await social.createGroup(o!.id, `${tag} 100xxreal`);
      const ids = (list: Array<{ groupId: number }>) => list.map((g) => g.groupId);
      expect(ids(await social.searchGroups(`${tag} CHESS`))).toEqual([exact.groupId, inner.groupId]);
      // Names that start with the query first, then by name.
      expect(ids(await social.searchGroups(tag))).toEqual([
        pct.groupId,
        decoy.groupId,
        exact.groupId,
        inner.groupId,
      ]);
      expect(ids(await social.searchGroups('chess fans'))).toContain(inner.groupId);
      expect(ids(await social.searchGroups(`${tag} 100%_`))).toEqual([pct.groupId]);
      expect(ids(await social.searchGroups(`${tag} 100_`))).toEqual([]);
      expect(ids(await social.searchGroups(tag, 2))).toHaveLength(2);
      expect(await social.searchGroups(uniqueName('none'))).toEqual([]);
      expect((await social.searchGroups(`${tag} chess`))[0]).toEqual(exact);
    });

    it('R-GRP-3: join; unknown group NOT_FOUND; joining twice CONFLICT with nothing changed', async () => {
      const [o, m] = await users(2);
      const g = await social.createGroup(o!.id, 'join me');
      expect(await social.isMember(g.groupId, m!.id)).toBe(false); // cached now
      const joined = await social.joinGroup(m!.id, g.groupId);
      expect(joined).toEqual({ ...g, memberCount: 2 });
      expect(await social.isMember(g.groupId, m!.id)).toBe(true);
      expect((await social.memberIds(g.groupId)).sort((x, y) => x - y)).toEqual(
        [o!.id, m!.id].sort((x, y) => x - y),
      );
      const before = await social.members(g.groupId);
      await expectCode(social.joinGroup(m!.id, g.groupId), ErrorCode.CONFLICT);
      await expectCode(social.joinGroup(o!.id, g.groupId), ErrorCode.CONFLICT);
      await expectCode(social.joinGroup(m!.id, 2 ** 31 - 1), ErrorCode.NOT_FOUND);
      await expectCode(social.groupInfo(2 ** 31 - 1), ErrorCode.NOT_FOUND);
      await expectCode(social.members(2 ** 31 - 1), ErrorCode.NOT_FOUND);
      expect(await social.members(g.groupId)).toEqual(before);
      expect(before.map((x) => [x.userId, x.isOwner])).toEqual([
        [o!.id, true],
        [m!.id, false],
      ]);
    });

    it('R-GRP-4: a full group refuses joins, also when several race for the last slot', async () => {
      const capped = new SocialService(db.db, { ...LIMITS, maxGroupMembers: 3 });
      const [o, a, ...racers] = await users(6);
      const g = await capped.createGroup(o!.id, 'small');
      await capped.joinGroup(a!.id, g.groupId);
      const results = await Promise.allSettled(racers.map((r) => capped.joinGroup(r.id, g.groupId)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected')) {
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.LIMIT_EXCEEDED });
      }
      const before = await capped.members(g.groupId);
      expect(before).toHaveLength(3);
      const outsider = racers.find((r) => !before.some((m) => m.userId === r.id))!;
      await expectCode(capped.joinGroup(outsider.id, g.groupId), ErrorCode.LIMIT_EXCEEDED);
      expect(await capped.members(g.groupId)).toEqual(before);
      expect((await capped.groupInfo(g.groupId)).memberCount).toBe(3);
    });

    it('R-GRP-5: a member leaves; leaving again, or a group never joined, is NOT_FOUND', async () => {
      const [o, m, x] = await users(3);
      const g = await social.createGroup(o!.id, 'leavers');
      await social.joinGroup(m!.id, g.groupId);
      expect(await social.isMember(g.groupId, m!.id)).toBe(true);
      expect(await social.leaveGroup(m!.id, g.groupId)).toEqual({ kind: 'left' });
      expect(await social.isMember(g.groupId, m!.id)).toBe(false);
      expect(await social.myGroups(m!.id)).toEqual([]);
      const before = await social.members(g.groupId);
      await expectCode(social.leaveGroup(m!.id, g.groupId), ErrorCode.NOT_FOUND);
      await expectCode(social.leaveGroup(x!.id, g.groupId), ErrorCode.NOT_FOUND);
      await expectCode(social.leaveGroup(x!.id, 2 ** 31 - 1), ErrorCode.NOT_FOUND);
      expect(await social.members(g.groupId)).toEqual(before);
      expect((await social.groupInfo(g.groupId)).ownerId).toBe(o!.id);
    });

    it('R-GRP-6: an owner who leaves hands the group to the oldest member (tie: lowest user id)', async () => {
      const [o, first, second] = await users(3);
      const g = await social.createGroup(o!.id, 'heirs');
      await social.joinGroup(second!.id, g.groupId);
      await social.joinGroup(first!.id, g.groupId);
      // `second` (higher id) joined first: seniority counts, not the id.
      expect(await social.leaveGroup(o!.id, g.groupId)).toEqual({ kind: 'left', newOwnerId: second!.id });
      expect(await social.groupInfo(g.groupId)).toMatchObject({ ownerId: second!.id, memberCount: 2 });
      expect((await social.members(g.groupId)).find((m) => m.isOwner)?.userId).toBe(second!.id);

      const [p, lowId, highId] = await users(3);
      const h = await social.createGroup(p!.id, 'ties');
      await social.joinGroup(highId!.id, h.groupId);
      await social.joinGroup(lowId!.id, h.groupId);
      // Same joined_at for everyone: the lower user id wins although it joined later.
      await db.db.execute(
        sql`update group_members set joined_at = '2020-01-01' where group_id = ${h.groupId}`,
      );
      expect(lowId!.id).toBeLessThan(highId!.id);
      expect(await social.leaveGroup(p!.id, h.groupId)).toEqual({ kind: 'left', newOwnerId: lowId!.id });
    });

    it('R-GRP-7: an owner alone dissolves the group by leaving', async () => {
      const [o] = await users(1);
      const g = await social.createGroup(o!.id, 'solo');
      expect(await social.isMember(g.groupId, o!.id)).toBe(true);
      expect(await social.leaveGroup(o!.id, g.groupId)).toEqual({ kind: 'dissolved' });
      await expectCode(social.groupInfo(g.groupId), ErrorCode.NOT_FOUND);
      await expectCode(social.joinGroup(o!.id, g.groupId), ErrorCode.NOT_FOUND);
      expect(await social.isMember(g.groupId, o!.id)).toBe(false);
      expect(await social.memberIds(g.groupId)).toEqual([]);
      expect(await social.myGroups(o!.id)).toEqual([]);
    });

    it('R-GRP-8: a user may belong to at most maxGroupsPerUser groups', async () => {
      const capped = new SocialService(db.db, { ...LIMITS, maxGroupsPerUser: 2 });
      const [o, m] = await users(2);
      const g1 = await capped.createGroup(o!.id, 'one');
      const g2 = await capped.createGroup(o!.id, 'two');
      await expectCode(capped.createGroup(o!.id, 'three'), ErrorCode.LIMIT_EXCEEDED);
      const g3 = await capped.createGroup(m!.id, 'm1');
      await capped.joinGroup(m!.id, g1.groupId);
      await expectCode(capped.joinGroup(m!.id, g2.groupId), ErrorCode.LIMIT_EXCEEDED);
      expect(await capped.groupIdsOf(m!.id)).toEqual([g3.groupId, g1.groupId]);
      expect(await capped.groupIdsOf(o!.id)).toEqual([g1.groupId, g2.groupId]);
    });

    it('R-GRP-9: the member cache follows this node at once and other nodes after invalidateGroup', async () => {
      const [o, m] = await users(2);
      const g = await social.createGroup(o!.id, 'cached');
      const otherNode = new SocialService(db.db, LIMITS);
      expect(await social.isMember(g.groupId, m!.id)).toBe(false);
      await otherNode.joinGroup(m!.id, g.groupId);
      expect(await social.isMember(g.groupId, m!.id)).toBe(false);
      social.invalidateGroup(g.groupId);
      expect(await social.isMember(g.groupId, m!.id)).toBe(true);
      await social.leaveGroup(m!.id, g.groupId);
      expect(await social.isMember(g.groupId, m!.id)).toBe(false);
    });
  });

  describe('account deletion', () => {
    it('R-FRD-13/R-GRP-10: onUserDeleted drops friendships and requests, hands over or dissolves groups', async () => {
      const [u, f1, f2, asker, asked, heir, other] = await users(7);
      await befriend(u!, f1!);
      await befriend(f2!, u!);
      await social.requestFriend(asker!.id, u!.username);
      await social.requestFriend(u!.id, asked!.username);
      const shared = await social.createGroup(u!.id, 'shared');
      await social.joinGroup(heir!.id, shared.groupId);
      const alone = await social.createGroup(u!.id, 'alone');
      const foreign = await social.createGroup(other!.id, 'foreign');
      await social.joinGroup(u!.id, foreign.groupId);
      expect(await social.areFriends(f1!.id, u!.id)).toBe(true); // cached
      expect(await social.isMember(shared.groupId, u!.id)).toBe(true); // cached

      // The owner of a group cannot simply be deleted: the group would lose its owner.
      await expect(new UserRepo(db.db).delete(u!.id)).rejects.toThrow();

      const res = await social.onUserDeleted(u!.id);
      expect(res.friendIds.sort((a, b) => a - b)).toEqual([f1!.id, f2!.id].sort((a, b) => a - b));
      expect(res.groups).toEqual(
        expect.arrayContaining([
          { groupId: shared.groupId, result: { kind: 'left', newOwnerId: heir!.id } },
          { groupId: alone.groupId, result: { kind: 'dissolved' } },
          { groupId: foreign.groupId, result: { kind: 'left' } },
        ]),
      );
      expect(res.groups).toHaveLength(3);
      expect(await new UserRepo(db.db).delete(u!.id)).toBe(true);

      expect(await social.areFriends(f1!.id, u!.id)).toBe(false);
      expect(await social.isMember(shared.groupId, u!.id)).toBe(false);
      expect((await social.listFriends(f1!.id)).friends).toEqual([]);
      expect((await social.listFriends(f2!.id)).friends).toEqual([]);
      expect((await social.listFriends(asker!.id)).outgoing).toEqual([]);
      expect((await social.listFriends(asked!.id)).incoming).toEqual([]);
      expect(await social.groupInfo(shared.groupId)).toMatchObject({ ownerId: heir!.id, memberCount: 1 });
      await expectCode(social.groupInfo(alone.groupId), ErrorCode.NOT_FOUND);
      expect(await social.groupInfo(foreign.groupId)).toMatchObject({ ownerId: other!.id, memberCount: 1 });
      expect(await unpairedRows()).toBe(0);
      // Once the row is gone there is nothing left to report.
      expect(await social.onUserDeleted(u!.id)).toEqual({ friendIds: [], groups: [] });
    });

    it('R-GRP-11: onUserDeleted with deleteUserRow removes the account in the same transaction', async () => {
      const [u, m, f] = await users(3);
      await befriend(u!, f!);
      const g = await social.createGroup(u!.id, 'handover');
      await social.joinGroup(m!.id, g.groupId);
      const res = await social.onUserDeleted(u!.id, { deleteUserRow: true });
      expect(res).toEqual({
        friendIds: [f!.id],
        groups: [{ groupId: g.groupId, result: { kind: 'left', newOwnerId: m!.id } }],
      });
      expect(await new UserRepo(db.db).byId(u!.id)).toBeUndefined();
      expect(await social.friendIds(f!.id)).toEqual([]);
      expect(await social.memberIds(g.groupId)).toEqual([m!.id]);
    });
  });
});

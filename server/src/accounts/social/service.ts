import { type BlockedEntry, ErrorCode, type GroupInfo, groupName, type UserSummary } from '@imw/shared';
import { fail } from '../../core';
import { BatchLoader, type Db } from '../../db';
import * as blocks from './blocks-repo';
import { IdSetCache } from './cache';
import * as friends from './friends-repo';
import * as groups from './groups-repo';
import * as limits from './request-limits';
import type {
  BlockResult,
  FriendList,
  FriendRequestResult,
  LeaveResult,
  MemberEntry,
  NewFriend,
  SocialCacheOptions,
  SocialLimits,
  UserDeletionResult,
} from './types';
import {
  conflictOnDuplicate,
  deleteUserRow,
  type Exec,
  lockUserIfPresent,
  lockUsers,
  summaryById,
  summaryByUsername,
} from './users';

const MAX_SEARCH_RESULTS = 100;

/**
 * Seed module 1, the database side of friends and groups. No sockets: callers (handlers, presence)
 * turn the results into answers and notices.
 *
 * Concurrency: every change that a cap guards locks the users rows concerned (ascending id), then
 * the group row; counts are taken under those locks, so two accepts or two joins for the last slot
 * run one after the other and the second sees the first. Friendship rows are written and deleted
 * in pairs by single statements, and a mirror foreign key makes an unpaired row impossible.
 *
 * Caching: friend-id sets per user and member-id sets per group feed the per-message checks
 * (`areFriends`, `isMember`, `friendIds`, `memberIds`). This service invalidates them after each of
 * its own writes; changes made by other nodes arrive through `invalidateUser` / `invalidateGroup`.
 */
export class SocialService {
  private readonly friendSets: IdSetCache<number>;
  private readonly memberSets: IdSetCache<number>;
  private readonly maxPendingRequests: number;
  private readonly requestLimits: limits.RequestLimits;
  /** R-BLK-*: whom each user blocks, and who blocks each user (the hot checks). */
  private readonly blockedSets: IdSetCache<number>;
  private readonly blockerSets: IdSetCache<number>;

  constructor(
    private readonly db: Db,
    private readonly limits: SocialLimits,
    cache: SocialCacheOptions = {},
  ) {
    this.maxPendingRequests = limits.maxPendingRequests ?? limits.maxFriends;
    this.requestLimits = {
      perHour: limits.friendRequestsPerHour ?? 0,
      declineCooldownMs: limits.declineCooldownMs ?? 0,
      now: limits.now ?? Date.now,
    };
    const ttl = { maxAgeMs: cache.maxAgeMs ?? 60_000, ...(cache.now ? { now: cache.now } : {}) };
    // A login misses this cache (presence tells the friends): a login storm's misses go out together.
    const friendIdLoads = new BatchLoader<number, number[]>(friends.friendIdsOfMany(db));
    this.friendSets = new IdSetCache(
      cache.maxCachedUsers ?? 10_000,
      async (id) => new Set((await friendIdLoads.load(id)) ?? []),
      ttl,
    );
    this.memberSets = new IdSetCache(
      cache.maxCachedGroups ?? 2_000,
      async (id) => new Set(await groups.memberIdsOf(this.db, id)),
      ttl,
    );
    const maxUsers = cache.maxCachedUsers ?? 10_000;
    this.blockedSets = new IdSetCache(
      maxUsers,
      async (id) => new Set(await blocks.blockedIdsOf(db, id)),
      ttl,
    );
    this.blockerSets = new IdSetCache(
      maxUsers,
      async (id) => new Set(await blocks.blockerIdsOf(db, id)),
      ttl,
    );
  }

  // ---- friends -------------------------------------------------------------------------------

  /**
   * R-FRD-1, 5, 7, 8, 9: a request; if the other side had already asked, the two become friends at
   * once (that request is consumed). R-FRD-30/32: the hourly limit and the decline cooldown.
   * R-BLK-3: a request to someone who blocks the requester goes the same way, step for step (same
   * checks, same answers, same writes), but is marked hidden: the target is not told and does not
   * list it. A user may not ask someone they block (FORBIDDEN: they know they blocked).
   */
  async requestFriend(fromId: number, toUsername: string): Promise<FriendRequestResult> {
    const to = await summaryByUsername(this.db, toUsername);
    if (!to) fail(ErrorCode.NOT_FOUND, 'no such user');
    if (to.userId === fromId) fail(ErrorCode.BAD_REQUEST, 'you cannot befriend yourself');
    const l = this.requestLimits;
    let paired = false;
    try {
      return await this.db.transaction(async (tx): Promise<FriendRequestResult> => {
        await lockUsers(tx, fromId, to.userId);
        if (await blocks.isBlockedRow(tx, fromId, to.userId)) {
          fail(ErrorCode.FORBIDDEN, 'you blocked that user; unblock them first');
        }
        const hidden = await blocks.isBlockedRow(tx, to.userId, fromId);
        if (await friends.areFriendsRow(tx, fromId, to.userId)) fail(ErrorCode.CONFLICT, 'already friends');
        // A blocker's own requests were withdrawn when they blocked: `hidden` never pairs.
        if (!hidden && (await friends.deleteRequest(tx, to.userId, fromId))) {
          await this.checkFriendCaps(tx, fromId, to.userId);
          paired = true;
          const sinceMs = await friends.insertFriendship(tx, fromId, to.userId);
          await limits.clearDeclines(tx, fromId, to.userId);
          return { kind: 'becameFriends', friend: to, sinceMs };
        }
        if (await friends.requestExists(tx, fromId, to.userId)) {
          fail(ErrorCode.CONFLICT, 'you already asked that user');
        }
        await limits.checkDeclineCooldown(tx, fromId, to.userId, l);
        await this.checkFriendCaps(tx, fromId, to.userId);
        if ((await friends.outgoingCount(tx, fromId)) >= this.maxPendingRequests) {
          fail(ErrorCode.LIMIT_EXCEEDED, 'too many pending friend requests');
        }
        await limits.checkHourlyRate(tx, fromId, l);
        await friends.insertRequest(tx, fromId, to.userId);
        await limits.logRequest(tx, fromId, l);
        return { kind: 'requested', to, hidden };
      });
    } catch (err) {
      throw conflictOnDuplicate(err, 'already requested or already friends');
    } finally {
      if (paired) this.forgetFriends(fromId, to.userId);
    }
  }

  /** R-FRD-1, 2, 8: accept a pending request from `fromId`. No such request (or accepted already): NOT_FOUND. */
  async acceptFriend(userId: number, fromId: number): Promise<NewFriend> {
    let paired = false;
    try {
      return await this.db.transaction(async (tx) => {
        await lockUsers(tx, userId, fromId);
        // R-BLK-3: a hidden request (from someone this user blocks) does not exist for them.
        if (
          (await blocks.isBlockedRow(tx, userId, fromId)) ||
          !(await friends.deleteRequest(tx, fromId, userId))
        ) {
          fail(ErrorCode.NOT_FOUND, 'no pending request from that user');
        }
        await this.checkFriendCaps(tx, userId, fromId);
        const friend = await summaryById(tx, fromId);
        if (!friend) fail(ErrorCode.NOT_FOUND, 'no such user');
        paired = true;
        const sinceMs = await friends.insertFriendship(tx, userId, fromId);
        await limits.clearDeclines(tx, userId, fromId);
        return { friend, sinceMs };
      });
    } catch (err) {
      throw conflictOnDuplicate(err, 'already friends');
    } finally {
      if (paired) this.forgetFriends(userId, fromId);
    }
  }

  /**
   * R-FRD-3: refuse a pending request from `fromId` (NOT_FOUND if there is none, or it is hidden).
   * R-FRD-32: the decline starts the requester's cooldown for this user.
   */
  async declineFriend(userId: number, fromId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (
        (await blocks.isBlockedRow(tx, userId, fromId)) ||
        !(await friends.deleteRequest(tx, fromId, userId))
      ) {
        fail(ErrorCode.NOT_FOUND, 'no pending request from that user');
      }
      await limits.recordDecline(tx, fromId, userId, this.requestLimits);
    });
  }

  /** R-FRD-4: withdraw a request this user sent to `toId` (NOT_FOUND if there is none). */
  async cancelRequest(userId: number, toId: number): Promise<void> {
    if (!(await friends.deleteRequest(this.db, userId, toId))) {
      fail(ErrorCode.NOT_FOUND, 'no pending request to that user');
    }
  }

  /** R-FRD-6: ends the friendship for both sides (NOT_FOUND if they are not friends). */
  async removeFriend(userId: number, friendId: number): Promise<void> {
    let removed = false;
    try {
      removed = await friends.deleteFriendship(this.db, userId, friendId);
    } finally {
      this.forgetFriends(userId, friendId);
    }
    if (!removed) fail(ErrorCode.NOT_FOUND, 'not friends');
  }

  async listFriends(userId: number): Promise<FriendList> {
    const [list, incoming, outgoing, blockedIds] = await Promise.all([
      friends.friendsWithSince(this.db, userId),
      friends.incomingRequests(this.db, userId),
      friends.outgoingRequests(this.db, userId),
      blocks.blockedIdsOf(this.db, userId),
    ]);
    // R-BLK-3: requests from users this user blocks stay hidden (the requester still lists theirs).
    const hidden = new Set(blockedIds);
    return { friends: list, incoming: incoming.filter((u) => !hidden.has(u.userId)), outgoing };
  }

  // ---- blocks --------------------------------------------------------------------------------

  /**
   * R-BLK-1, 2: block (idempotent; blocking again keeps the first time). Ends a friendship and
   * withdraws the blocker's own pending request to them; a request from them stays, hidden
   * (R-BLK-3), so their outgoing list does not change in a way a plain wait would not.
   */
  async block(blockerId: number, blockedId: number): Promise<BlockResult> {
    if (blockerId === blockedId) fail(ErrorCode.BAD_REQUEST, 'you cannot block yourself');
    try {
      return await this.db.transaction(async (tx) => {
        await lockUsers(tx, blockerId, blockedId);
        const user = await summaryById(tx, blockedId);
        if (!user) fail(ErrorCode.NOT_FOUND, 'no such user');
        await blocks.insertBlock(tx, blockerId, blockedId, new Date(this.requestLimits.now()));
        const wasFriends = await friends.deleteFriendship(tx, blockerId, blockedId);
        const cancelledRequest = await friends.deleteRequest(tx, blockerId, blockedId);
        const sinceMs = (await blocks.blockedList(tx, blockerId)).find(
          (b) => b.userId === blockedId,
        )?.sinceMs;
        return { user, sinceMs: sinceMs ?? this.requestLimits.now(), wasFriends, cancelledRequest };
      });
    } finally {
      this.forgetFriends(blockerId, blockedId);
      this.forgetBlocks(blockerId, blockedId);
    }
  }

  /** R-BLK-8: NOT_FOUND unless the user blocks them. Nothing that was ended comes back. */
  async unblock(blockerId: number, blockedId: number): Promise<void> {
    let removed = false;
    try {
      removed = await blocks.deleteBlock(this.db, blockerId, blockedId);
    } finally {
      this.forgetBlocks(blockerId, blockedId);
    }
    if (!removed) fail(ErrorCode.NOT_FOUND, 'you have not blocked that user');
  }

  /** R-BLK-9: newest first. */
  async blockedList(blockerId: number): Promise<BlockedEntry[]> {
    return blocks.blockedList(this.db, blockerId);
  }

  /** Hot path (cached): does `blocker` block `other`? */
  async blocks(blocker: number, other: number): Promise<boolean> {
    return (await this.blockedSets.get(blocker)).has(other);
  }

  /** Hot path (cached): everyone who blocks the user (scene chat and actions skip them, R-BLK-5). */
  async blockerIds(userId: number): Promise<ReadonlySet<number>> {
    return this.blockerSets.get(userId);
  }

  /** Hot path (cached). */
  async friendIds(userId: number): Promise<number[]> {
    return [...(await this.friendSets.get(userId))];
  }

  /** Hot path (cached): the stranger rule asks this for every direct message. */
  async areFriends(a: number, b: number): Promise<boolean> {
    if (a === b) return false;
    return (await this.friendSets.get(a)).has(b);
  }

  /** The public face of one user, for notices (undefined when the account is gone). */
  async userSummary(userId: number): Promise<UserSummary | undefined> {
    return summaryById(this.db, userId);
  }

  // ---- groups --------------------------------------------------------------------------------

  /**
   * R-GRP-1, 8: the creator becomes owner and first member. R-GRP-31: a second group of a name the
   * creator already owns (ignoring case) needs `allowSameName` (CONFLICT, details `sameName`).
   */
  async createGroup(ownerId: number, name: string, allowSameName = false): Promise<GroupInfo> {
    const parsed = groupName.safeParse(name);
    if (!parsed.success) fail(ErrorCode.BAD_REQUEST, 'a group name has 1 to 64 characters');
    let groupId: number | undefined;
    try {
      return await this.db.transaction(async (tx) => {
        await lockUsers(tx, ownerId);
        if (!allowSameName && (await groups.ownsGroupNamed(tx, ownerId, parsed.data))) {
          fail(ErrorCode.CONFLICT, 'you already own a group with that name', { details: ['sameName'] });
        }
        await this.checkGroupsPerUser(tx, ownerId);
        const info = await groups.insertGroup(tx, ownerId, parsed.data);
        groupId = info.groupId;
        const owner = await summaryById(tx, ownerId);
        return owner ? { ...info, ownerName: owner.displayName } : info;
      });
    } finally {
      if (groupId !== undefined) this.memberSets.invalidate(groupId);
    }
  }

  /** R-GRP-2: case-insensitive substring of the name (LIKE wildcards in `query` match literally). */
  async searchGroups(query: string, limit = 20): Promise<GroupInfo[]> {
    const n = Math.max(1, Math.min(MAX_SEARCH_RESULTS, Math.floor(limit) || 1));
    return groups.searchByName(this.db, query.trim(), n);
  }

  /** R-GRP-3, 4, 8: unknown group NOT_FOUND, already a member CONFLICT, full LIMIT_EXCEEDED. */
  async joinGroup(userId: number, groupId: number): Promise<GroupInfo> {
    let touched = false;
    try {
      return await this.db.transaction(async (tx) => {
        await lockUsers(tx, userId);
        if (!(await groups.lockGroup(tx, groupId))) fail(ErrorCode.NOT_FOUND, 'no such group');
        if (await groups.isMemberRow(tx, groupId, userId)) {
          fail(ErrorCode.CONFLICT, 'you are already a member of that group');
        }
        if ((await groups.memberCountOf(tx, groupId)) >= this.limits.maxGroupMembers) {
          fail(ErrorCode.LIMIT_EXCEEDED, 'that group is full');
        }
        await this.checkGroupsPerUser(tx, userId);
        touched = true;
        await groups.insertMember(tx, groupId, userId);
        const info = await groups.groupInfoRow(tx, groupId);
        if (!info) throw new Error(`group ${groupId} vanished under its lock`);
        return info;
      });
    } catch (err) {
      throw conflictOnDuplicate(err, 'you are already a member of that group');
    } finally {
      if (touched) this.memberSets.invalidate(groupId);
    }
  }

  /**
   * R-GRP-5..7: leave; an owner hands over to the oldest remaining member, or dissolves the group
   * when alone. Not a member, or no such group: NOT_FOUND (nothing to leave; FORBIDDEN would tell a
   * stranger that the group exists).
   */
  async leaveGroup(userId: number, groupId: number): Promise<LeaveResult> {
    try {
      return await this.db.transaction((tx) => groups.leaveInTx(tx, userId, groupId));
    } finally {
      this.memberSets.invalidate(groupId);
    }
  }

  /** The user's groups, in the order they joined them. */
  async myGroups(userId: number): Promise<GroupInfo[]> {
    return groups.groupsOfUser(this.db, userId);
  }

  async groupInfo(groupId: number): Promise<GroupInfo> {
    const info = await groups.groupInfoRow(this.db, groupId);
    if (!info) fail(ErrorCode.NOT_FOUND, 'no such group');
    return info;
  }

  /** Members in join order. Anyone may ask; restricting it to members is the caller's policy. */
  async members(groupId: number): Promise<MemberEntry[]> {
    const list = await groups.membersOf(this.db, groupId);
    // A group always has its owner as a member, so no rows means no group.
    if (list.length === 0) fail(ErrorCode.NOT_FOUND, 'no such group');
    return list;
  }

  /** Hot path (cached); an unknown group has no members. */
  async memberIds(groupId: number): Promise<number[]> {
    return [...(await this.memberSets.get(groupId))];
  }

  /** Hot path (cached): asked for every group message. */
  async isMember(groupId: number, userId: number): Promise<boolean> {
    return (await this.memberSets.get(groupId)).has(userId);
  }

  async groupIdsOf(userId: number): Promise<number[]> {
    return groups.groupIdsOfUser(this.db, userId);
  }

  // ---- accounts and other nodes --------------------------------------------------------------

  /**
   * R-FRD-13, R-GRP-10, 11: clears the user out of friends and groups, so the users row can go. Call
   * it BEFORE deleting the row (the groups.owner_id foreign key refuses to delete a user who still
   * owns a group), or pass `deleteUserRow` to delete the row in the same transaction, which leaves
   * no window for a concurrent createGroup. Returns what changed, for notices.
   */
  async onUserDeleted(userId: number, opts: { deleteUserRow?: boolean } = {}): Promise<UserDeletionResult> {
    const result: UserDeletionResult = { friendIds: [], groups: [] };
    try {
      await this.db.transaction(async (tx) => {
        // Already gone: the cascades removed everything, there is nothing to report.
        if (!(await lockUserIfPresent(tx, userId))) return;
        result.friendIds = await friends.deleteAllFriendships(tx, userId);
        await friends.deleteAllRequests(tx, userId);
        // Ascending group id: the same lock order as any other multi-group transaction.
        const ids = (await groups.groupIdsOfUser(tx, userId)).sort((a, b) => a - b);
        for (const groupId of ids) {
          result.groups.push({ groupId, result: await groups.leaveInTx(tx, userId, groupId) });
        }
        if (opts.deleteUserRow) await deleteUserRow(tx, userId);
      });
      return result;
    } finally {
      this.invalidateUser(userId);
      for (const id of result.friendIds) this.friendSets.invalidate(id);
      for (const g of result.groups) this.memberSets.invalidate(g.groupId);
    }
  }

  /**
   * Another node changed this user's friendships or memberships: forget the user's friend set and
   * every cached set that contains the user. (For a new friendship, invalidate both users.)
   */
  invalidateUser(userId: number): void {
    this.forgetBlocks(userId);
    this.friendSets.invalidate(userId);
    this.friendSets.invalidateContaining(userId);
    this.memberSets.invalidateContaining(userId);
  }

  /** Another node changed this group's membership (join, leave, dissolve). */
  invalidateGroup(groupId: number): void {
    this.memberSets.invalidate(groupId);
  }

  // ---- internals -----------------------------------------------------------------------------

  private forgetBlocks(...ids: number[]): void {
    for (const id of ids) {
      this.blockedSets.invalidate(id);
      this.blockerSets.invalidate(id);
    }
  }

  private forgetFriends(a: number, b: number): void {
    this.friendSets.invalidate(a);
    this.friendSets.invalidate(b);
  }

  /** R-FRD-8: neither side may pass the friends cap. Runs under both users' row locks. */
  private async checkFriendCaps(tx: Exec, self: number, other: number): Promise<void> {
    const [mine, theirs] = [await friends.friendCount(tx, self), await friends.friendCount(tx, other)];
    if (mine >= this.limits.maxFriends) fail(ErrorCode.LIMIT_EXCEEDED, 'you have reached the friends limit');
    if (theirs >= this.limits.maxFriends) {
      fail(ErrorCode.LIMIT_EXCEEDED, 'that user has reached the friends limit');
    }
  }

  private async checkGroupsPerUser(tx: Exec, userId: number): Promise<void> {
    const max = this.limits.maxGroupsPerUser;
    if (max !== undefined && (await groups.groupCountOf(tx, userId)) >= max) {
      fail(ErrorCode.LIMIT_EXCEEDED, 'you are in too many groups');
    }
  }
}

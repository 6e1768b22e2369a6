import { ErrorCode, type GroupInfo, groupName, type UserSummary } from '@imw/shared';
import { fail } from '../../core';
import { BatchLoader, type Db } from '../../db';
import { IdSetCache } from './cache';
import * as friends from './friends-repo';
import * as groups from './groups-repo';
import type {
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

  constructor(
    private readonly db: Db,
    private readonly limits: SocialLimits,
    cache: SocialCacheOptions = {},
  ) {
    this.maxPendingRequests = limits.maxPendingRequests ?? limits.maxFriends;
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
  }

  // ---- friends -------------------------------------------------------------------------------

  /**
   * R-FRD-1, 5, 7, 8, 9: a request; if the other side had already asked, the two become friends at
   * once (that request is consumed).
   */
  async requestFriend(fromId: number, toUsername: string): Promise<FriendRequestResult> {
    const to = await summaryByUsername(this.db, toUsername);
    if (!to) fail(ErrorCode.NOT_FOUND, 'no such user');
    if (to.userId === fromId) fail(ErrorCode.BAD_REQUEST, 'you cannot befriend yourself');
    let paired = false;
    try {
      return await this.db.transaction(async (tx): Promise<FriendRequestResult> => {
        await lockUsers(tx, fromId, to.userId);
        if (await friends.areFriendsRow(tx, fromId, to.userId)) fail(ErrorCode.CONFLICT, 'already friends');
        if (await friends.deleteRequest(tx, to.userId, fromId)) {
          await this.checkFriendCaps(tx, fromId, to.userId);
          paired = true;
          const sinceMs = await friends.insertFriendship(tx, fromId, to.userId);
          return { kind: 'becameFriends', friend: to, sinceMs };
        }
        if (await friends.requestExists(tx, fromId, to.userId)) {
          fail(ErrorCode.CONFLICT, 'you already asked that user');
        }
        await this.checkFriendCaps(tx, fromId, to.userId);
        if ((await friends.outgoingCount(tx, fromId)) >= this.maxPendingRequests) {
          fail(ErrorCode.LIMIT_EXCEEDED, 'too many pending friend requests');
        }
        await friends.insertRequest(tx, fromId, to.userId);
        return { kind: 'requested', to };
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
        if (!(await friends.deleteRequest(tx, fromId, userId))) {
          fail(ErrorCode.NOT_FOUND, 'no pending request from that user');
        }
        await this.checkFriendCaps(tx, userId, fromId);
        const friend = await summaryById(tx, fromId);
        if (!friend) fail(ErrorCode.NOT_FOUND, 'no such user');
        paired = true;
        const sinceMs = await friends.insertFriendship(tx, userId, fromId);
        return { friend, sinceMs };
      });
    } catch (err) {
      throw conflictOnDuplicate(err, 'already friends');
    } finally {
      if (paired) this.forgetFriends(userId, fromId);
    }
  }

  /** R-FRD-3: refuse a pending request from `fromId` (NOT_FOUND if there is none). */
  async declineFriend(userId: number, fromId: number): Promise<void> {
    if (!(await friends.deleteRequest(this.db, fromId, userId))) {
      fail(ErrorCode.NOT_FOUND, 'no pending request from that user');
    }
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
    const [list, incoming, outgoing] = await Promise.all([
      friends.friendsWithSince(this.db, userId),
      friends.incomingRequests(this.db, userId),
      friends.outgoingRequests(this.db, userId),
    ]);
    return { friends: list, incoming, outgoing };
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

  /** R-GRP-1, 8: the creator becomes owner and first member. */
  async createGroup(ownerId: number, name: string): Promise<GroupInfo> {
    const parsed = groupName.safeParse(name);
    if (!parsed.success) fail(ErrorCode.BAD_REQUEST, 'a group name has 1 to 64 characters');
    let groupId: number | undefined;
    try {
      return await this.db.transaction(async (tx) => {
        await lockUsers(tx, ownerId);
        await this.checkGroupsPerUser(tx, ownerId);
        const info = await groups.insertGroup(tx, ownerId, parsed.data);
        groupId = info.groupId;
        return info;
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
    this.friendSets.invalidate(userId);
    this.friendSets.invalidateContaining(userId);
    this.memberSets.invalidateContaining(userId);
  }

  /** Another node changed this group's membership (join, leave, dissolve). */
  invalidateGroup(groupId: number): void {
    this.memberSets.invalidate(groupId);
  }

  // ---- internals -----------------------------------------------------------------------------

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

import type { UserSummary } from '@imw/shared';

/** Configured caps (DESIGN "bounded everything"). Each is checked inside the transaction that could break it. */
export interface SocialLimits {
  /** Friends per user; a request or accept that would take either side past it fails with LIMIT_EXCEEDED. */
  maxFriends: number;
  /** Members per group, owner included. */
  maxGroupMembers: number;
  /** Groups a user may belong to (created or joined); unlimited when absent. */
  maxGroupsPerUser?: number;
  /** Outgoing friend requests a user may have pending at once; defaults to `maxFriends`. */
  maxPendingRequests?: number;
  /** R-FRD-30: new friend requests per user per rolling hour; 0 or absent = no limit. */
  friendRequestsPerHour?: number;
  /** R-FRD-32: after a decline, the same request waits this long; 0 or absent = no cooldown. */
  declineCooldownMs?: number;
  /** The clock for the limits above and block times (tests inject one). */
  now?: () => number;
}

export interface SocialCacheOptions {
  /** Friend-id sets kept in memory (least recently used are dropped). Default 10,000. */
  maxCachedUsers?: number;
  /** Group member-id sets kept in memory. Default 2,000. */
  maxCachedGroups?: number;
  /**
   * How long a cached set is trusted without an invalidation (default 60 s): bounds the damage of
   * a lost cross-node invalidation. This node's own writes invalidate at once regardless.
   */
  maxAgeMs?: number;
  /** The clock for `maxAgeMs` (tests inject one). */
  now?: () => number;
}

export type FriendRequestResult =
  /** `hidden`: the target blocks the requester; stored, answered as usual, never shown (R-BLK-3). */
  | { kind: 'requested'; to: UserSummary; hidden: boolean }
  | { kind: 'becameFriends'; friend: UserSummary; sinceMs: number };

/** R-BLK-1: what blocking changed, so the caller can send the notices a plain removal would. */
export interface BlockResult {
  user: UserSummary;
  sinceMs: number;
  /** They were friends: the friendship is gone (the blocked user gets friends.removed). */
  wasFriends: boolean;
  /** The blocker's own pending request to them was withdrawn (they get friends.requestCancelled). */
  cancelledRequest: boolean;
}

export interface NewFriend {
  friend: UserSummary;
  sinceMs: number;
}

export interface FriendList {
  friends: Array<UserSummary & { sinceMs: number }>;
  /** Requests others sent to this user, oldest first. */
  incoming: UserSummary[];
  /** Requests this user sent, oldest first. */
  outgoing: UserSummary[];
}

/** What leaving did to the group: it lives on (with a new owner if the owner left) or it is gone. */
export type LeaveResult = { kind: 'left'; newOwnerId?: number } | { kind: 'dissolved' };

export type MemberEntry = UserSummary & { isOwner: boolean; joinedAtMs: number };

/** What `onUserDeleted` changed, so the caller can notify the people concerned. */
export interface UserDeletionResult {
  /** Former friends (each should get friends.removed). */
  friendIds: number[];
  /** Every group the user was in, with what their leaving did to it. */
  groups: Array<{ groupId: number; result: LeaveResult }>;
}

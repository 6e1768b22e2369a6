import { z } from 'zod';
import { empty, event, request, storableText, userId, username } from '../schema';

/**
 * Friends, groups and presence (seed modules 1 and 3). Request ids 50–99, event ids 1100–1199.
 * `visibleStatus` is what others may see: an invisible user is reported as offline everywhere.
 */
export const presenceStatus = z.enum(['online', 'away', 'busy', 'invisible']);
export type PresenceStatus = z.infer<typeof presenceStatus>;
export const visibleStatus = z.enum(['offline', 'online', 'away', 'busy']);
export type VisibleStatus = z.infer<typeof visibleStatus>;

export const userSummary = z.object({
  userId,
  username: z.string(),
  displayName: z.string(),
  avatar: z.string(),
});
export type UserSummary = z.infer<typeof userSummary>;

export const friendEntry = userSummary.extend({ status: visibleStatus, sinceMs: z.number() });
export type FriendEntry = z.infer<typeof friendEntry>;

export const groupId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
export const groupName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain U+0000' });

export const groupInfo = z.object({
  groupId,
  name: z.string(),
  ownerId: userId,
  memberCount: z.number().int(),
  createdAtMs: z.number(),
  /** R-GRP-30: the owner's display name, so groups of the same name can be told apart. */
  ownerName: z.string().optional(),
});
export type GroupInfo = z.infer<typeof groupInfo>;

export const groupMember = userSummary.extend({
  status: visibleStatus,
  isOwner: z.boolean(),
  joinedAtMs: z.number(),
});
export type GroupMember = z.infer<typeof groupMember>;

const byUser = z.object({ userId }).strict();

export const socialRequests = {
  /** R-FRD-20: ask a user (by username) to be friends. If they already asked you, you become friends (R-FRD-5). */
  'friends.request': request(50, z.object({ username }).strict(), z.object({ becameFriends: z.boolean() })),
  'friends.accept': request(51, byUser, z.object({ friend: friendEntry })),
  'friends.decline': request(52, byUser, empty),
  /** Withdraw a request you sent. */
  'friends.cancel': request(53, byUser, empty),
  'friends.remove': request(54, byUser, empty),
  'friends.list': request(
    55,
    empty,
    z.object({
      friends: z.array(friendEntry),
      incoming: z.array(userSummary),
      outgoing: z.array(userSummary),
    }),
  ),
  /** R-PRS-1, R-PRS-2: set your own status; invisible looks offline to everyone else. */
  'presence.setStatus': request(60, z.object({ status: presenceStatus }).strict(), empty),
  /**
   * R-GRP-31: a name the creator already uses for a group they own is CONFLICT (details
   * `sameName`) unless `allowSameName` says the creator was asked and wants a second one.
   */
  'groups.create': request(
    70,
    z.object({ name: groupName, allowSameName: z.boolean().optional() }).strict(),
    groupInfo,
  ),
  'groups.search': request(
    71,
    z.object({ query: storableText(64) }).strict(),
    z.object({ groups: z.array(groupInfo) }),
  ),
  'groups.join': request(72, z.object({ groupId }).strict(), groupInfo),
  'groups.leave': request(73, z.object({ groupId }).strict(), empty),
  'groups.list': request(74, empty, z.object({ groups: z.array(groupInfo) })),
  'groups.members': request(75, z.object({ groupId }).strict(), z.object({ members: z.array(groupMember) })),
} as const;

export const socialEvents = {
  'friends.requestReceived': event(1100, z.object({ from: userSummary })),
  /** To the requester: the other side accepted (a friends.added follows) or declined. */
  'friends.requestAnswered': event(1101, z.object({ userId, accepted: z.boolean() })),
  'friends.requestCancelled': event(1102, z.object({ userId })),
  'friends.added': event(1103, z.object({ friend: friendEntry })),
  'friends.removed': event(1104, z.object({ userId })),
  /** R-PRS-1: a friend's visible status changed (login, logout, away, busy, timeout, invisible→offline). */
  'presence.changed': event(1110, z.object({ userId, status: visibleStatus })),
  'groups.memberJoined': event(1120, z.object({ groupId, member: groupMember })),
  'groups.memberLeft': event(1121, z.object({ groupId, userId, newOwnerId: userId.optional() })),
} as const;

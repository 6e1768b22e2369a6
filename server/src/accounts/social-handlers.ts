import { ErrorCode, encodeEvent, type FriendEntry, type UserSummary, type VisibleStatus } from '@imw/shared';
import type { HandlerMap, RequestCosts } from '../core';
import { fail, requireSession } from '../core';
import type { SocialService } from './social';
import type { SocialDelivery, SocialNotices } from './social-notices';

export interface SocialDeps {
  social: SocialService;
  notices: SocialNotices;
  delivery: SocialDelivery;
  /** What others may see of these users right now (invisible → offline): presence. */
  presence: { statuses(userIds: readonly number[]): Promise<Map<number, VisibleStatus>> };
  /** R-GRP-32: join and leave lines in the group's conversation (messaging). */
  groupLines: {
    postGroupEvent(groupId: number, user: UserSummary, event: 'joined' | 'left'): Promise<void>;
  };
}

type Names = `friends.${string}` | `groups.${string}`;

/** R-LIM-16: friends and groups are transactions on the database. */
export const socialCosts: RequestCosts<Extract<keyof HandlerMap, Names>> = {
  'friends.request': 'db',
  'friends.accept': 'db',
  'friends.decline': 'db',
  'friends.cancel': 'db',
  'friends.remove': 'db',
  'friends.list': 'db',
  'groups.create': 'db',
  'groups.search': 'db',
  'groups.join': 'db',
  'groups.leave': 'db',
  'groups.list': 'db',
  'groups.members': 'db',
};

/** Friends and groups: the database side is SocialService; here the answers and the notices. */
export function socialHandlers(d: SocialDeps): HandlerMap<Extract<keyof HandlerMap, Names>> {
  const { social } = d;
  const entry = async (u: UserSummary, sinceMs: number): Promise<FriendEntry> => ({
    ...u,
    sinceMs,
    status: (await d.presence.statuses([u.userId])).get(u.userId) ?? 'offline',
  });
  /** Both sides learn of a new friendship, each with the other's visible status. */
  const announceFriendship = async (a: number, b: UserSummary, sinceMs: number) => {
    const me = await d.notices.summaryOf(a);
    d.delivery.route([b.userId], [encodeEvent('friends.added', { friend: await entry(me, sinceMs) })]);
  };

  return {
    'friends.request': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      const r = await social.requestFriend(me, p.username);
      if (r.kind === 'becameFriends') d.delivery.invalidate([me, r.friend.userId], []);
      if (r.kind === 'requested') {
        // R-BLK-3: the same work either way (the summary is read), only the delivery differs.
        const from = await d.notices.summaryOf(me);
        if (!r.hidden) d.delivery.route([r.to.userId], [encodeEvent('friends.requestReceived', { from })]);
        return { becameFriends: false };
      }
      await announceFriendship(me, r.friend, r.sinceMs);
      return { becameFriends: true };
    },
    'friends.accept': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      const r = await social.acceptFriend(me, p.userId);
      d.delivery.invalidate([me, p.userId], []);
      d.delivery.route([p.userId], [encodeEvent('friends.requestAnswered', { userId: me, accepted: true })]);
      await announceFriendship(me, r.friend, r.sinceMs);
      return { friend: await entry(r.friend, r.sinceMs) };
    },
    'friends.decline': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      await social.declineFriend(me, p.userId);
      d.delivery.route([p.userId], [encodeEvent('friends.requestAnswered', { userId: me, accepted: false })]);
      return {};
    },
    'friends.cancel': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      await social.cancelRequest(me, p.userId);
      d.delivery.route([p.userId], [encodeEvent('friends.requestCancelled', { userId: me })]);
      return {};
    },
    'friends.remove': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      await social.removeFriend(me, p.userId);
      d.delivery.invalidate([me, p.userId], []);
      d.notices.friendRemoved([p.userId], me);
      return {};
    },
    'friends.list': async (ctx) => {
      const me = requireSession(ctx).userId;
      const l = await social.listFriends(me);
      const st = await d.presence.statuses(l.friends.map((f) => f.userId));
      return {
        friends: l.friends.map((f) => ({ ...f, status: st.get(f.userId) ?? 'offline' })),
        incoming: l.incoming,
        outgoing: l.outgoing,
      };
    },
    'groups.create': async (ctx, p) => {
      const g = await social.createGroup(requireSession(ctx).userId, p.name, p.allowSameName ?? false);
      d.delivery.invalidate([], [g.groupId]);
      return g;
    },
    'groups.search': async (_ctx, p) => ({ groups: await social.searchGroups(p.query) }),
    'groups.join': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      const info = await social.joinGroup(me, p.groupId);
      d.delivery.invalidate([], [p.groupId]);
      const others = (await social.memberIds(p.groupId)).filter((id) => id !== me);
      const summary = await d.notices.summaryOf(me);
      const status = (await d.presence.statuses([me])).get(me) ?? 'offline';
      d.delivery.route(others, [
        encodeEvent('groups.memberJoined', {
          groupId: p.groupId,
          member: { ...summary, status, isOwner: false, joinedAtMs: Date.now() },
        }),
      ]);
      await d.groupLines.postGroupEvent(p.groupId, summary, 'joined');
      return info;
    },
    'groups.leave': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      const r = await social.leaveGroup(me, p.groupId);
      d.delivery.invalidate([], [p.groupId]);
      if (r.kind === 'left') {
        await d.notices.memberLeft(p.groupId, me, r.newOwnerId);
        await d.groupLines.postGroupEvent(p.groupId, await d.notices.summaryOf(me), 'left');
      }
      return {};
    },
    'groups.list': async (ctx) => ({ groups: await social.myGroups(requireSession(ctx).userId) }),
    'groups.members': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      if (!(await social.isMember(p.groupId, me))) {
        // Members of a group are visible to its members only.
        fail(ErrorCode.FORBIDDEN, 'only members can list a group');
      }
      const members = await social.members(p.groupId);
      const st = await d.presence.statuses(members.map((m) => m.userId));
      return { members: members.map((m) => ({ ...m, status: st.get(m.userId) ?? 'offline' })) };
    },
  };
}

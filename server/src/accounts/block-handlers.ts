import { encodeEvent } from '@imw/shared';
import type { HandlerMap, RequestCosts } from '../core';
import { requireSession } from '../core';
import type { SocialService } from './social';
import type { SocialDelivery, SocialNotices } from './social-notices';

type Names = 'blocks.add' | 'blocks.remove' | 'blocks.list';

/** R-LIM-16: each is a database transaction or query. */
export const blockCosts: RequestCosts<Names> = {
  'blocks.add': 'db',
  'blocks.remove': 'db',
  'blocks.list': 'db',
};

/**
 * R-BLK-*: blocking. The blocked user never gets a notice that says "blocked": the friendship ends
 * with the `friends.removed` a plain removal sends, a withdrawn request with the
 * `friends.requestCancelled` a plain cancel sends. The blocker's own sessions hear `blocks.added`
 * and `blocks.removed`, so every device's list follows.
 */
export function blockHandlers(d: {
  social: SocialService;
  notices: SocialNotices;
  delivery: SocialDelivery;
}): HandlerMap<Names> {
  return {
    'blocks.add': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      const r = await d.social.block(me, p.userId);
      // Every node drops its cached friend and block sets of both (scene chat may run elsewhere).
      d.delivery.invalidate([me, p.userId], []);
      if (r.wasFriends) d.notices.friendRemoved([p.userId], me);
      if (r.cancelledRequest) {
        d.delivery.route([p.userId], [encodeEvent('friends.requestCancelled', { userId: me })]);
      }
      d.delivery.route([me], [encodeEvent('blocks.added', { user: { ...r.user, sinceMs: r.sinceMs } })]);
      if (r.wasFriends) d.notices.friendRemoved([me], p.userId);
      return {};
    },
    'blocks.remove': async (ctx, p) => {
      const me = requireSession(ctx).userId;
      await d.social.unblock(me, p.userId);
      d.delivery.invalidate([me, p.userId], []);
      d.delivery.route([me], [encodeEvent('blocks.removed', { userId: p.userId })]);
      return {};
    },
    'blocks.list': async (ctx) => ({ blocked: await d.social.blockedList(requireSession(ctx).userId) }),
  };
}

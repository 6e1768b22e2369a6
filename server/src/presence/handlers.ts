import type { HandlerMap, RequestCosts } from '../core';
import { requireSession } from '../core';
import type { PresenceService } from './service';

type Names = 'presence.setStatus';

/** R-LIM-16: a status change is a session and presence-store write. */
export const presenceCosts: RequestCosts<Names> = {
  'presence.setStatus': 'memory',
};

export function presenceHandlers(presence: PresenceService): HandlerMap<Names> {
  return {
    'presence.setStatus': async (ctx, p) => {
      const s = presence.table.byUserId(requireSession(ctx).userId);
      if (s) await presence.setStatus(s, p.status);
      return {};
    },
  };
}

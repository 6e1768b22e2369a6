import { CloseCode, ErrorCode } from '@imw/shared';
import type { HandlerMap, RequestCosts } from '../core';
import { fail, requireSession } from '../core';
import type { PresenceService } from './service';

type Names = 'presence.setStatus' | 'session.list' | 'session.end';

/** R-LIM-16: a status change, the session list and ending a session all ask the presence store. */
export const presenceCosts: RequestCosts<Names> = {
  'presence.setStatus': 'memory',
  'session.list': 'memory',
  'session.end': 'db',
};

export function presenceHandlers(presence: PresenceService): HandlerMap<Names> {
  return {
    'presence.setStatus': async (ctx, p) => {
      const s = presence.table.bySessionId(requireSession(ctx).sessionId);
      if (s) await presence.setStatus(s, p.status);
      return {};
    },
    /** R-DEV-4: the user's sessions on every node, oldest first. */
    'session.list': async (ctx) => {
      const me = requireSession(ctx);
      const recs = await presence.sessionsOf(me.userId);
      return {
        sessions: recs.map((r) => ({
          sessionId: r.sessionId,
          device: r.device,
          mode: r.mode,
          ...(r.sceneId === null ? {} : { sceneId: r.sceneId }),
          sinceMs: r.loginAtMs,
          current: r.sessionId === me.sessionId,
        })),
      };
    },
    /**
     * R-DEV-4: ends another session of the same user. Someone else's, an unknown one and the
     * asking one get the same NOT_FOUND, so session ids of other users cannot be probed.
     */
    'session.end': async (ctx, p) => {
      const me = requireSession(ctx);
      const target = (await presence.sessionsOf(me.userId)).find(
        (r) => r.sessionId === p.sessionId && r.sessionId !== me.sessionId,
      );
      if (!target) fail(ErrorCode.NOT_FOUND, 'no such session');
      await presence.endSession(target, CloseCode.SESSION_ENDED, 'ended from another session');
      return {};
    },
  };
}

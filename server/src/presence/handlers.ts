import type { HandlerMap, RequestCosts } from '../core';
import { requireSession } from '../core';
import type { SessionOpener } from './opener';
import type { ResumeService } from './resume';
import type { PresenceService } from './service';

type Names = 'presence.setStatus' | 'auth.resumeChallenge' | 'auth.resume';

/** R-LIM-16: a status change is a session and presence-store write; resume reads revocations. */
export const presenceCosts: RequestCosts<Names> = {
  'presence.setStatus': 'memory',
  'auth.resumeChallenge': 'db',
  'auth.resume': 'db',
};

export function presenceHandlers(
  presence: PresenceService,
  resume: ResumeService,
  opener: SessionOpener,
): HandlerMap<Names> {
  return {
    'presence.setStatus': async (ctx, p) => {
      const s = presence.table.byUserId(requireSession(ctx).userId);
      if (s) await presence.setStatus(s, p.status);
      return {};
    },
    'auth.resumeChallenge': (ctx, p) => resume.challenge(ctx.socketId, p),
    'auth.resume': async (ctx, p) => {
      const out = await resume.resume(ctx.socketId, p);
      const s = out.session;
      ctx.connection.secure(out.keys, { sessionId: s.sessionId, userId: s.userId, username: s.username });
      if (out.queued.length) ctx.connection.afterResponse(() => presence.deliverLocal(s.userId, out.queued));
      // A resumed session may need more than its socket back (a scene on this node).
      await opener.resumed(ctx, s);
      return {
        serverProof: out.serverProof,
        sessionId: s.sessionId,
        resumeToken: presence.ticketFor(s),
        profile: out.profile,
        status: s.status,
        resumed: out.resumed,
        mode: s.mode,
        sceneId: s.sceneId,
      };
    },
  };
}

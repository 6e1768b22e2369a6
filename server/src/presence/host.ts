import { randomBytes } from 'node:crypto';
import type { SessionHost } from '../accounts';
import type { PresenceService } from './service';

/** Presence's side of login and logout: it owns the sessions. */
export function createSessionHost(presence: PresenceService): SessionHost {
  return {
    async open(ctx, user, mode, sceneId, resumeKey, status) {
      const s = await presence.login(
        ctx.socketId,
        user,
        mode,
        sceneId,
        resumeKey,
        randomBytes(16).toString('base64url'),
        status,
      );
      return { sessionId: s.sessionId, resumeToken: presence.ticketFor(s), status: s.status };
    },
    async end(ctx, reason) {
      const s = presence.table.bySocketId(ctx.socketId);
      if (s) await presence.end(s, reason);
    },
  };
}

import { createHmac } from 'node:crypto';
import type { SessionHost } from '../accounts';
import type { Metrics } from '../net';
import type { SessionTable } from './sessions';

/** Presence's side of login and logout: it owns the session table. */
export function createSessionHost(table: SessionTable, metrics: Metrics): SessionHost {
  return {
    async open(ctx, user, mode, sceneId, resumeKey) {
      const s = table.open({
        socketId: ctx.socketId,
        userId: user.id,
        username: user.username,
        mode,
        sceneId,
        resumeKey,
      });
      metrics.sessions.set(table.size);
      // The token proves knowledge of this session's key exchange; it is never stored in clear.
      const resumeToken = createHmac('sha256', resumeKey).update(s.sessionId).digest('base64url');
      return { sessionId: s.sessionId, resumeToken };
    },
    async end(ctx) {
      const s = table.bySocketId(ctx.socketId);
      if (s) table.remove(s);
      metrics.sessions.set(table.size);
    },
  };
}

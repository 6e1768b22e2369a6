import { CloseCode } from '@imw/shared';
import type { HandlerMap, RequestCosts, SessionRef } from '../../core';
import { requireSession } from '../../core';
import type { AccountService } from '../service';
import { toOwnProfile } from '../service';
import type { SessionHandshakes } from './handshakes';
import type { LoginGate, OpenedSession, SessionKeeper } from './port';

type Names =
  | 'auth.challenge'
  | 'auth.login'
  | 'auth.resumeChallenge'
  | 'auth.resume'
  | 'auth.logout'
  | 'account.reauthChallenge';

/** R-LIM-16: every handshake may touch the database (users, revocations). */
export const sessionCosts: RequestCosts<Names> = {
  'auth.challenge': 'db',
  'auth.login': 'db',
  'auth.resumeChallenge': 'db',
  'auth.resume': 'db',
  'auth.logout': 'db',
  'account.reauthChallenge': 'db',
};

/**
 * Where sessions begin and end: a handshake proves who is on the socket, the session owner
 * (presence, through the SessionKeeper port) opens or resumes the session, and the connection
 * switches to the keys the handshake derived.
 */
export function sessionHandlers(
  handshakes: SessionHandshakes,
  sessions: SessionKeeper,
  accounts: AccountService,
  /** R-MOD-3: asked after the proof, before a session opens (a suspended account is refused). */
  gate: LoginGate,
): HandlerMap<Names> {
  const { scram, resume } = handshakes;
  return {
    'auth.challenge': (ctx, p) => scram.challenge(ctx.socketId, p),
    'auth.login': async (ctx, p) => {
      const out = scram.login(ctx.socketId, ctx.ip, p);
      await gate.admit(out.user.id);
      const opened = await sessions.open(
        ctx,
        out.user,
        p.mode,
        p.sceneId ?? null,
        out.keys.resume,
        p.status,
        p.device,
      );
      ctx.connection.secure(out.keys, refOf(opened));
      return {
        serverSignature: out.serverSignature,
        sessionId: opened.sessionId,
        resumeToken: opened.resumeToken,
        profile: toOwnProfile(out.user),
        status: opened.status,
      };
    },
    'auth.resumeChallenge': (ctx, p) => resume.challenge(ctx.socketId, p),
    'auth.resume': async (ctx, p) => {
      const out = await resume.prove(ctx.socketId, p);
      await gate.admit(out.user.id);
      const s = await sessions.resume(ctx, out.ticket, out.user, p.status, out.keys.resume);
      ctx.connection.secure(out.keys, refOf(s));
      return {
        serverProof: out.serverProof,
        sessionId: s.sessionId,
        resumeToken: s.resumeToken,
        profile: toOwnProfile(out.user),
        status: s.status,
        resumed: s.resumed,
        mode: s.mode,
        sceneId: s.sceneId,
      };
    },
    'auth.logout': async (ctx) => {
      await sessions.end(ctx, 'logout');
      ctx.connection.closeAfterResponse(CloseCode.NORMAL, 'logout');
      return {};
    },
    'account.reauthChallenge': async (ctx, p) =>
      scram.reauthChallenge(ctx.socketId, await accounts.requireUser(requireSession(ctx).userId), p),
  };
}

/** The connection keeps who is on it, nothing more (not the ticket). */
const refOf = (s: OpenedSession): SessionRef => ({
  sessionId: s.sessionId,
  userId: s.userId,
  username: s.username,
});

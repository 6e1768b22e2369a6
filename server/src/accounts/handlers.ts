import { CloseCode, type LoginMode, type OwnProfile, type PresenceStatus } from '@imw/shared';
import type { HandlerMap, RequestContext, RequestCosts } from '../core';
import { requireSession } from '../core';
import type { AccountService } from './service';
import { toOwnProfile } from './service';

/** What the accounts module needs from the session owner (presence) to open and end sessions. */
export interface SessionHost {
  open(
    ctx: RequestContext,
    user: { id: number; username: string; displayName: string },
    mode: LoginMode,
    sceneId: string | null,
    resumeKey: Uint8Array,
    status: PresenceStatus | undefined,
  ): Promise<{ sessionId: string; resumeToken: string; status: PresenceStatus }>;
  /** Ends the session of this request's connection (logout, account deleted). */
  end(ctx: RequestContext, reason: 'logout' | 'deleted'): Promise<void>;
}

type AuthRequest = `auth.${string}` | `account.${string}`;
/** Resume belongs to presence (it owns sessions); everything else under auth./account. is here. */
type Names = Exclude<Extract<keyof HandlerMap, AuthRequest>, 'auth.resume' | 'auth.resumeChallenge'>;

/** R-LIM-16: every account request may touch the database. */
export const accountCosts: RequestCosts<Names> = {
  'auth.register': 'db',
  'auth.challenge': 'db',
  'auth.login': 'db',
  'auth.logout': 'db',
  'account.getProfile': 'db',
  'account.getUser': 'db',
  'account.updateProfile': 'db',
  'account.reauthChallenge': 'db',
  'account.changePassword': 'db',
  'account.delete': 'db',
};

export function accountHandlers(
  svc: AccountService,
  sessions: SessionHost,
  /** Deletes the account and what hangs on it, and tells whoever should know (social notices). */
  removal: { removeAccount(userId: number): Promise<void> },
  /** The profile changed: sessions keep the display name they show others (presence). */
  profiles: { profileChanged(p: OwnProfile): void },
): HandlerMap<Names> {
  return {
    'auth.register': (_ctx, p) => svc.register(p),
    'auth.challenge': (ctx, p) => svc.challenge(ctx.socketId, p),
    'auth.login': async (ctx, p) => {
      const out = await svc.login(ctx.socketId, ctx.ip, p);
      const opened = await sessions.open(ctx, out.user, p.mode, p.sceneId ?? null, out.keys.resume, p.status);
      ctx.connection.secure(out.keys, {
        sessionId: opened.sessionId,
        userId: out.user.id,
        username: out.user.username,
      });
      return {
        serverSignature: out.serverSignature,
        sessionId: opened.sessionId,
        resumeToken: opened.resumeToken,
        profile: toOwnProfile(out.user),
        status: opened.status,
      };
    },
    'auth.logout': async (ctx) => {
      await sessions.end(ctx, 'logout');
      ctx.connection.closeAfterResponse(CloseCode.NORMAL, 'logout');
      return {};
    },
    'account.getProfile': (ctx) => svc.profile(requireSession(ctx).userId),
    'account.getUser': (_ctx, p) => svc.publicProfile(p),
    'account.updateProfile': async (ctx, p) => {
      const profile = await svc.updateProfile(requireSession(ctx).userId, p);
      profiles.profileChanged(profile);
      return profile;
    },
    'account.reauthChallenge': (ctx, p) => svc.reauthChallenge(ctx.socketId, requireSession(ctx).userId, p),
    'account.changePassword': async (ctx, p) => {
      await svc.changePassword(ctx.socketId, ctx.ip, requireSession(ctx).userId, p);
      return {};
    },
    'account.delete': async (ctx, p) => {
      await svc.deleteAccount(ctx.socketId, ctx.ip, requireSession(ctx).userId, p, (id) =>
        removal.removeAccount(id),
      );
      await sessions.end(ctx, 'deleted');
      ctx.connection.closeAfterResponse(CloseCode.ACCOUNT_DELETED, 'account deleted');
      return {};
    },
  };
}

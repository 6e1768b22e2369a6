import { CloseCode, type OwnProfile } from '@imw/shared';
import type { HandlerMap, RequestContext, RequestCosts } from '../core';
import { requireSession } from '../core';
import type { AccountService } from './service';
import type { SessionKeeper } from './session/port';
import type { ScramHandshake } from './session/scram-handshake';

type Names =
  | 'auth.register'
  | 'account.getProfile'
  | 'account.getUser'
  | 'account.updateProfile'
  | 'account.changePassword'
  | 'account.delete';

/** R-LIM-16: every account request may touch the database. */
export const accountCosts: RequestCosts<Names> = {
  'auth.register': 'db',
  'account.getProfile': 'db',
  'account.getUser': 'db',
  'account.updateProfile': 'db',
  'account.changePassword': 'db',
  'account.delete': 'db',
};

/** Registration and the account's own requests; the sensitive ones prove the password again. */
export function accountHandlers(
  svc: AccountService,
  scram: Pick<ScramHandshake, 'reauth'>,
  sessions: Pick<SessionKeeper, 'end' | 'renewTicket' | 'endOthers'>,
  /** Deletes the account and what hangs on it, and tells whoever should know (social notices). */
  removal: { removeAccount(userId: number): Promise<void> },
  /** The profile changed: sessions keep the display name they show others (presence). */
  profiles: { profileChanged(p: OwnProfile): void },
): HandlerMap<Names> {
  /** Proves the current password with a re-auth challenge's answer (R-ACC-2, R-ACC-3). */
  const reauth = async (ctx: RequestContext, nonce: string, proof: Uint8Array) => {
    const user = await svc.requireUser(requireSession(ctx).userId);
    scram.reauth(ctx.socketId, ctx.ip, user, nonce, proof);
    return user.id;
  };
  return {
    'auth.register': (_ctx, p) => svc.register(p),
    'account.getProfile': (ctx) => svc.profile(requireSession(ctx).userId),
    'account.getUser': (_ctx, p) => svc.publicProfile(p),
    'account.updateProfile': async (ctx, p) => {
      const profile = await svc.updateProfile(requireSession(ctx).userId, p);
      profiles.profileChanged(profile);
      return profile;
    },
    'account.changePassword': async (ctx, p) => {
      await svc.changePassword(await reauth(ctx, p.nonce, p.clientProof), p.newKeys);
      // R-SEC-30: whoever holds a ticket from before the change cannot resume with it.
      await sessions.renewTicket(ctx);
      // R-SEC-36: and every other device of the account is signed out.
      await sessions.endOthers(ctx, 'the password was changed');
      return {};
    },
    /** R-ACC-3: deletes the account with everything that hangs on it (friends, groups). */
    'account.delete': async (ctx, p) => {
      await removal.removeAccount(await reauth(ctx, p.nonce, p.clientProof));
      await sessions.end(ctx, 'deleted');
      ctx.connection.closeAfterResponse(CloseCode.ACCOUNT_DELETED, 'account deleted');
      return {};
    },
  };
}

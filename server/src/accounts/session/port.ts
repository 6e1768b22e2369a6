import type { LoginMode, PresenceStatus } from '@imw/shared';
import type { RequestContext } from '../../core';

/**
 * A resume ticket as the session owner sealed it: who, which session, the key that proves it,
 * and where the session was (mode, scene). `once` is set on redirect tickets: an id that may be
 * redeemed once, cluster-wide.
 */
export interface SessionTicket {
  userId: number;
  sessionId: string;
  resumeKey: Uint8Array;
  expiresAtMs: number;
  mode: LoginMode;
  sceneId: string | null;
  once?: string | undefined;
  /** R-SEC-30: which of the session's tickets this is; only the newest is redeemed, once. */
  generation: number;
}

/** A session as the handshake's answer shows it. */
export interface OpenedSession {
  sessionId: string;
  userId: number;
  username: string;
  resumeToken: string;
  status: PresenceStatus;
}

export interface ResumedSession extends OpenedSession {
  /** False when the session was re-created here and friends may have seen it go (R-RES-1). */
  resumed: boolean;
  mode: LoginMode;
  sceneId: string | null;
}

/**
 * What the handshakes need of the session owner (presence implements it; the composition root
 * passes it in). Accounts proves who the client is; the owner opens, adopts and ends sessions.
 */
export interface SessionKeeper {
  /** Login: a new session on this connection. May refuse by throwing (e.g. REDIRECT). */
  open(
    ctx: RequestContext,
    user: { id: number; username: string; displayName: string },
    mode: LoginMode,
    sceneId: string | null,
    resumeKey: Uint8Array,
    status: PresenceStatus | undefined,
    /** R-DEV-4: the login's device label, if it named one. */
    device?: string,
  ): Promise<OpenedSession>;
  /** A ticket that is sealed by us, unexpired and not ended on this node (no I/O); else null. */
  readTicket(token: string): SessionTicket | null;
  /** The authoritative, cluster-wide checks (revocation, single use); throws AUTH_FAILED. */
  redeem(ticket: SessionTicket): Promise<void>;
  /**
   * Puts a proven ticket's session on this connection (re-attached or adopted); what it queued
   * meanwhile and what else comes back with it (its scene) follow the result.
   */
  resume(
    ctx: RequestContext,
    ticket: SessionTicket,
    profile: { username: string; displayName: string },
    status: PresenceStatus | undefined,
    resumeKey: Uint8Array,
  ): Promise<ResumedSession>;
  /**
   * R-SEC-30: the session of this connection moves to a new ticket generation (sent to it as
   * session.ticket); every ticket it held before is void. After a password change.
   */
  renewTicket(ctx: RequestContext): Promise<void>;
  /**
   * R-SEC-36: ends every other session of this connection's user, on any node (closed with
   * SESSION_ENDED, tickets void). After a password change: whoever else was in is out.
   */
  endOthers(ctx: RequestContext, reason: string): Promise<void>;
  /** Ends the session of this request's connection (logout, account deleted). */
  end(ctx: RequestContext, reason: 'logout' | 'deleted'): Promise<void>;
}

/**
 * Asked once the password (or resume proof) checked out, before a session opens: throws an
 * AppError to refuse (moderation's suspension, R-MOD-3). The root passes it in.
 */
export interface LoginGate {
  admit(userId: number): Promise<void>;
}

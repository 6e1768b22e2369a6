import { randomBytes } from 'node:crypto';
import { CloseCode, ErrorCode, type LoginMode } from '@imw/shared';
import { type Clock, fail, type RequestContext } from '../core';
import { type PresenceService, SOCKET_LOST } from './service';
import type { LocalSession } from './sessions';
import type { PresenceStatus } from './store';
import type { TicketData, TicketSealer } from './tickets';

/** A session being opened, as the hooks see it. */
export interface Opening {
  kind: 'login' | 'resume';
  userId: number;
  mode: LoginMode;
  /** Always null for a normal-mode login. */
  sceneId: string | null;
  /** What the session arrives as (R-SEC-24: an invisible one never enters a world). */
  status: PresenceStatus;
}

/** Runs once the response that opened the session is queued (e.g. entering a scene). */
export type AfterOpen = (sessionId: string) => void;

/**
 * Another module's part in opening a session (scene entry, cluster placement). It runs, in list
 * order, for a login before presence records the session (it may refuse by throwing), and for a
 * resume once the proof has verified. It may return a step for after the response.
 */
export interface SessionHook {
  onOpen(o: Opening): Promise<AfterOpen | null>;
}

/** Redeems a single-use ticket id cluster-wide; false when it was used already (ClusterNode). */
export interface OnceTickets {
  claimTicket(id: string, ttlMs: number): Promise<boolean>;
}

/**
 * The one place sessions open, are resumed and end: the session owner's side of accounts'
 * handshakes (its SessionKeeper port, matched by shape). Login and resume run the same hook list,
 * then presence keeps the session.
 */
export class SessionOpener {
  readonly hooks: SessionHook[] = [];

  constructor(
    private readonly presence: PresenceService,
    private readonly tickets: TicketSealer,
    private readonly clock: Clock,
    private readonly onceTickets: OnceTickets,
  ) {}

  async open(
    ctx: RequestContext,
    user: { id: number; username: string; displayName: string },
    mode: LoginMode,
    sceneId: string | null,
    resumeKey: Uint8Array,
    status: PresenceStatus | undefined,
    device?: string,
  ) {
    const opening: Opening = {
      kind: 'login',
      userId: user.id,
      mode,
      sceneId: mode === 'scene' ? sceneId : null,
      status: status ?? 'online',
    };
    const after = await this.runHooks(opening);
    this.stillOpen(ctx);
    const s = await this.presence.login(
      ctx.socketId,
      user,
      mode,
      opening.sceneId,
      resumeKey,
      randomBytes(16).toString('base64url'),
      status,
      device,
    );
    if (!ctx.connection.isOpen()) {
      // R-SEC-35: the socket went while presence recorded the session; nobody holds its ticket.
      await this.presence.end(s, 'protocol');
      this.stillOpen(ctx);
    }
    this.schedule(ctx, after, s.sessionId);
    return this.view(s);
  }

  /** R-SEC-35: after an await, before anything is bound to the socket. */
  private stillOpen(ctx: RequestContext): void {
    if (!ctx.connection.isOpen()) fail(ErrorCode.UNAVAILABLE, 'the connection closed during the request');
  }

  /** R-RES-1: only what this node knows without I/O; the database is asked once, at redeem. */
  readTicket(token: string): TicketData | null {
    const t = this.tickets.open(token);
    if (!t || t.expiresAtMs < this.clock.now() || this.presence.endedHere(t.sessionId)) return null;
    if (this.presence.generationUsedHere(t.sessionId, t.generation) || !this.newest(t)) return null;
    return t;
  }

  /** R-SEC-30: a session that is here knows its newest ticket generation; no other is good. */
  private newest(t: TicketData): boolean {
    const s = this.presence.table.bySessionId(t.sessionId);
    return !s || s.ticketGeneration === t.generation;
  }

  /** After the proof: every node's revocations (one query per resume), then single use. */
  async redeem(t: TicketData): Promise<void> {
    if (await this.presence.isRevoked(t.sessionId))
      fail(ErrorCode.AUTH_FAILED, 'the session has ended; log in again');
    // R-SEC-30: each generation resumes once, on whichever node comes first.
    if (!(await this.presence.claimGeneration(t.sessionId, t.generation, t.expiresAtMs)))
      fail(ErrorCode.AUTH_FAILED, 'this ticket was used already; log in again');
    // Redirect tickets are single-use across the cluster (R-CLU-32).
    const ttlMs = Math.max(1, t.expiresAtMs - this.clock.now());
    if (t.once && !(await this.onceTickets.claimTicket(t.once, ttlMs))) {
      fail(ErrorCode.AUTH_FAILED, 'this redirect ticket was used already');
    }
  }

  /**
   * A proven ticket's session on this socket: re-attached when it is still here, else adopted
   * (node restart, redirect). What was queued meanwhile follows the result, then the hooks' steps
   * (its scene on this node).
   */
  async resume(
    ctx: RequestContext,
    t: TicketData,
    profile: { username: string; displayName: string },
    status: PresenceStatus | undefined,
    resumeKey: Uint8Array,
  ) {
    if (!this.newest(t)) fail(ErrorCode.AUTH_FAILED, 'this ticket was used already; log in again');
    this.stillOpen(ctx);
    let session = this.presence.table.bySessionId(t.sessionId);
    let resumed = true;
    let queued: import('@imw/shared').WireRecord[];
    if (session) {
      queued = this.presence.reattach(session, ctx.socketId);
    } else {
      // R-DEV-1: other sessions of the user may be here; this one comes back beside them.
      session = this.adopted(ctx.socketId, t, profile, status, resumeKey);
      resumed = await this.presence.adopt(session);
      queued = this.presence.takeArrivals(t.userId);
    }
    session.resumeKey = resumeKey;
    session.ticketGeneration = t.generation + 1;
    const s = session;
    if (queued.length) ctx.connection.afterResponse(() => this.presence.deliverLocal(s.userId, queued));
    const after = await this.runHooks({
      kind: 'resume',
      userId: s.userId,
      mode: s.mode,
      sceneId: s.sceneId,
      status: s.status,
    });
    if (!ctx.connection.isOpen()) {
      // R-SEC-35: the socket went during the waits: the session drops as if it went just now.
      this.presence.socketClosed(ctx.socketId, SOCKET_LOST);
      this.stillOpen(ctx);
    }
    this.schedule(ctx, after, s.sessionId);
    return { ...this.view(s), resumed, mode: s.mode, sceneId: s.sceneId };
  }

  async endOthers(ctx: RequestContext, reason: string): Promise<void> {
    const s = this.presence.table.bySocketId(ctx.socketId);
    if (!s) return;
    for (const r of await this.presence.sessionsOf(s.userId)) {
      if (r.sessionId !== s.sessionId) await this.presence.endSession(r, CloseCode.SESSION_ENDED, reason);
    }
  }

  async renewTicket(ctx: RequestContext): Promise<void> {
    const s = this.presence.table.bySocketId(ctx.socketId);
    if (s) await this.presence.renewTicket(s);
  }

  /** A deleted account's other sessions (any node) end with it, closed with 4011. */
  async end(ctx: RequestContext, reason: 'logout' | 'deleted'): Promise<void> {
    const s = this.presence.table.bySocketId(ctx.socketId);
    if (!s) return;
    if (reason === 'deleted') {
      for (const other of await this.presence.sessionsOf(s.userId)) {
        if (other.sessionId !== s.sessionId)
          await this.presence.endSession(other, CloseCode.ACCOUNT_DELETED, 'account deleted');
      }
    }
    await this.presence.end(s, reason);
  }

  private adopted(
    socketId: string,
    t: TicketData,
    profile: { username: string; displayName: string },
    status: PresenceStatus | undefined,
    resumeKey: Uint8Array,
  ): LocalSession {
    return {
      sessionId: t.sessionId,
      userId: t.userId,
      username: profile.username,
      displayName: profile.displayName,
      mode: t.mode,
      sceneId: t.sceneId,
      status: status ?? 'online',
      loginAtMs: this.clock.now(),
      // The ticket does not carry the label: a re-created session shows as 'resumed'.
      device: 'resumed',
      resumeKey,
      ticketGeneration: t.generation,
      ticketExpiresAtMs: t.expiresAtMs,
      link: { state: 'attached', socketId },
    };
  }

  private view(s: LocalSession) {
    return {
      sessionId: s.sessionId,
      userId: s.userId,
      username: s.username,
      resumeToken: this.presence.ticketFor(s),
      status: s.status,
    };
  }

  private async runHooks(o: Opening): Promise<AfterOpen[]> {
    const after: AfterOpen[] = [];
    for (const h of this.hooks) {
      const step = await h.onOpen(o);
      if (step) after.push(step);
    }
    return after;
  }

  private schedule(ctx: RequestContext, after: AfterOpen[], sessionId: string): void {
    for (const step of after) ctx.connection.afterResponse(() => step(sessionId));
  }
}

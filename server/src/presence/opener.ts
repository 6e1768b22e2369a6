import { randomBytes } from 'node:crypto';
import type { LoginMode } from '@imw/shared';
import type { SessionHost } from '../accounts';
import type { RequestContext } from '../core';
import type { PresenceService } from './service';
import type { LocalSession } from './sessions';
import type { PresenceStatus } from './store';

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

/**
 * The one place sessions open: login (through accounts' SessionHost port) and resume both run the
 * same hook list, then presence keeps the session.
 */
export class SessionOpener implements SessionHost {
  readonly hooks: SessionHook[] = [];

  constructor(private readonly presence: PresenceService) {}

  async open(...[ctx, user, mode, sceneId, resumeKey, status]: Parameters<SessionHost['open']>) {
    const opening: Opening = {
      kind: 'login',
      userId: user.id,
      mode,
      sceneId: mode === 'scene' ? sceneId : null,
      status: status ?? 'online',
    };
    const after = await this.runHooks(opening);
    const s = await this.presence.login(
      ctx.socketId,
      user,
      mode,
      opening.sceneId,
      resumeKey,
      randomBytes(16).toString('base64url'),
      status,
    );
    this.schedule(ctx, after, s.sessionId);
    return { sessionId: s.sessionId, resumeToken: this.presence.ticketFor(s), status: s.status };
  }

  /** A resumed session (re-attached or adopted): the hooks add what else comes back (its scene). */
  async resumed(ctx: RequestContext, s: LocalSession): Promise<void> {
    const after = await this.runHooks({
      kind: 'resume',
      userId: s.userId,
      mode: s.mode,
      sceneId: s.sceneId,
      status: s.status,
    });
    this.schedule(ctx, after, s.sessionId);
  }

  async end(ctx: RequestContext, reason: 'logout' | 'deleted'): Promise<void> {
    const s = this.presence.table.bySocketId(ctx.socketId);
    if (s) await this.presence.end(s, reason);
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

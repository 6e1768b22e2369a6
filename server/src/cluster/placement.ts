import { AppError } from '../core';
import { type ClusterNode, wsUrlOf } from './node';

/** What placement needs of the sessions on this node (presence keeps them). */
export interface MovableSessions<S> {
  /** Sessions on this node, a snapshot. */
  localSessions(): S[];
  readonly localCount: number;
  /** Hands one session to another node with a single-use ticket (R-CLU-32). */
  moveTo(
    s: S,
    target: { nodeId: string; wsUrl: string },
    ticket: { id: string; ttlMs: number },
    reason: string,
  ): Promise<void>;
}

/**
 * Cluster placement policy: where a fresh login belongs (R-CLU-33, R-CLU-35), moving sessions to
 * other nodes (R-CLU-32), and draining this node. Used as a session hook: a draining or full node,
 * or a scene hosted on another node, answers a login with REDIRECT to the node to log in on.
 */
export class Placement<S> {
  constructor(
    private readonly node: ClusterNode,
    private readonly sessions: MovableSessions<S>,
    private readonly redirectTicketTtlMs: number,
  ) {}

  /** Session hook (presence's SessionHook, matched by shape): only logins are placed. */
  async onOpen(o: { kind: 'login' | 'resume'; mode: string; sceneId: string | null }): Promise<null> {
    if (o.kind === 'login') await this.placeLogin(o.mode, o.sceneId);
    return null;
  }

  private async placeLogin(mode: string, sceneId: string | null): Promise<void> {
    let target: { url: string } | null = null;
    let why = '';
    if (this.node.draining) [target, why] = [await this.node.pickOther(), 'this node is draining'];
    if (!target && mode === 'scene' && sceneId) {
      [target, why] = [await this.node.sceneHost(sceneId), `scene ${sceneId} is hosted on another node`];
    }
    if (!target) [target, why] = [await this.node.overCapTarget(), 'this node is full'];
    if (target) throw new AppError('REDIRECT', why, { redirectUrl: wsUrlOf(target.url) });
  }

  /** R-CLU-32: moves one session to another node (drain, session cap, scene host). */
  redirect(s: S, target: { nodeId: string; url: string }, reason: string): Promise<void> {
    const ticket = { id: this.node.newTicketId(), ttlMs: this.redirectTicketTtlMs };
    return this.sessions.moveTo(s, { nodeId: target.nodeId, wsUrl: wsUrlOf(target.url) }, ticket, reason);
  }

  /** Drain (R-CLU-32): stop taking sessions and move every one to the least-loaded other nodes. */
  async drain(): Promise<{ moved: number; remaining: number }> {
    this.node.draining = true;
    await this.node.releaseSceneLeases();
    let moved = 0;
    for (const s of this.sessions.localSessions()) {
      const target = await this.node.pickOther();
      if (!target) break;
      await this.redirect(s, target, 'node draining');
      moved++;
    }
    return { moved, remaining: this.sessions.localCount };
  }
}

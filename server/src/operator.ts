import { CloseCode } from '@imw/shared';
import type { Bus, ClusterNode, Placement, Unsubscribe } from './cluster';
import type { Logger, Metrics } from './core';
import type { OperatorConsole } from './http';
import type { ModerationRepo } from './moderation';
import type { LocalSession, PresenceService } from './presence';

/** The bus channel on which a node hears "drain" from the console on any node (R-ADM-6). */
const drainChannel = (nodeId: string): string => `console:drain:${nodeId}`;

/** The chat requests the console's messages-per-second chart counts. */
const MESSAGE_TYPES = new Set(['chat.send', 'chat.sendGroup', 'scene.chat']);

/**
 * The operator console's API (http/console.ts), built by the composition root from the modules'
 * faces: the cluster's node list and drain, presence's online table, moderation's account search,
 * and this node's metrics. It names no invisible user: the count includes them, the search shows
 * them offline (R-ADM-2, R-ADM-3).
 */
export class Operator implements OperatorConsole {
  private unsubscribe: Unsubscribe | null = null;

  constructor(
    private readonly d: {
      node: ClusterNode;
      placement: Placement<LocalSession>;
      bus: Bus;
      presence: PresenceService;
      users: Pick<ModerationRepo, 'searchUsers' | 'username'>;
      metrics: Metrics;
      log: Logger;
    },
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.d.bus.subscribe(drainChannel(this.d.node.info().nodeId), () => {
      this.drainHere();
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  async nodes(): Promise<{ self: string; nodes: unknown[] }> {
    const self = this.d.node.info();
    const listed = await this.d.node.nodes();
    // This node's own entry is fresh; the registry's may be one announce old.
    const nodes = [self, ...listed.filter((n) => n.nodeId !== self.nodeId)].sort((a, b) =>
      a.nodeId < b.nodeId ? -1 : 1,
    );
    return { self: self.nodeId, nodes };
  }

  async onlineCount(): Promise<number> {
    return (await this.d.presence.onlineUsers()).size;
  }

  async searchUsers(query: string, limit: number): Promise<unknown[]> {
    const found = await this.d.users.searchUsers(query, limit);
    const statuses = await this.d.presence.statuses(found.map((u) => u.userId));
    return found.map((u) => ({ ...u, status: statuses.get(u.userId) ?? 'offline' }));
  }

  async kick(userId: number): Promise<boolean> {
    if ((await this.d.users.username(userId)) === undefined) return false;
    await this.d.presence.endUser(userId, CloseCode.KICKED, 'kicked by an operator');
    return true;
  }

  async drain(nodeId: string): Promise<boolean> {
    const self = this.d.node.info().nodeId;
    if (nodeId === self) {
      this.drainHere();
      return true;
    }
    if (!(await this.d.node.nodes()).some((n) => n.nodeId === nodeId)) return false;
    await this.d.bus.publish(drainChannel(nodeId), new Uint8Array(0));
    return true;
  }

  /** Counters since start; the console turns two samples into rates and a p99 (R-ADM-7). */
  async stats(): Promise<unknown> {
    const m = this.d.metrics;
    const [sessions, connections, packets, duration] = await Promise.all([
      m.sessions.get(),
      m.connections.get(),
      m.packetsIn.get(),
      m.requestDuration.get(),
    ]);
    let messages = 0;
    let requests = 0;
    for (const v of packets.values) {
      requests += v.value;
      if (MESSAGE_TYPES.has(String(v.labels.type))) messages += v.value;
    }
    const buckets = duration.values
      .filter((v) => v.metricName === 'imw_request_duration_seconds_bucket')
      .map((v) => ({ le: v.labels.le === '+Inf' ? null : Number(v.labels.le), count: v.value }));
    return {
      nodeId: this.d.node.info().nodeId,
      atMs: Date.now(),
      sessions: sessions.values[0]?.value ?? 0,
      connections: connections.values[0]?.value ?? 0,
      onlineUsers: await this.onlineCount(),
      messagesTotal: messages,
      requestsTotal: requests,
      requestDurationBuckets: buckets,
    };
  }

  /** Runs in the background: a drain moves every session and may take a while. */
  private drainHere(): void {
    this.d.placement.drain().then(
      (r) => this.d.log.info(r, 'drained at the console’s request'),
      (err: unknown) => this.d.log.warn({ err }, 'console drain failed'),
    );
  }
}

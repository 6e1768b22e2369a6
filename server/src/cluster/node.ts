import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import type { Logger } from '../core';
import type { Lease, NodeInfo, NodeRegistry } from './types';

export interface ClusterNodeOptions {
  nodeId: string;
  /** Public http(s) URL of this node; its WebSocket endpoint is `<url>/ws` with ws(s). */
  url: string;
  ttlMs: number;
  announceMs: number;
  /** How long a vanished node's users have to come back before friends see them offline. */
  graceMs: number;
  maxSessions: number;
}

export interface ClusterHooks {
  localSessions(): number;
  /** Sessions of a dead node that did not come back: remove them and tell friends. */
  reapDeadNode(nodeId: string): Promise<number>;
  /** Scenes this node hosts right now (their leases are renewed while they have users). */
  hostedScenes(): string[];
  /** Node ids the presence store still has sessions for (the janitor's memory after restarts). */
  nodesWithSessions(): Promise<string[]>;
  /** The other live nodes' WebSocket URLs changed: tell this node's clients (R-CLU-38). */
  peersChanged?(urls: string[]): void;
}

/** How often the janitor asks the presence store which nodes hold sessions (a SCAN on Redis). */
const STORE_SCAN_EVERY_MS = 10_000;

export const wsUrlOf = (httpUrl: string): string => `${httpUrl.replace(/^http/, 'ws')}/ws`;
const SCENE_LEASE = (sceneId: string) => `scene:${sceneId}`;
const JANITOR_LEASE = 'janitor';

/**
 * Seed module 6, load balancing: this node's entry in the registry (id, URL, load, draining), the
 * choice of a node for new or moving sessions, scene hosting under leases, and the janitor that
 * notices dead nodes. Works the same on the in-process backend (a cluster of one).
 */
export class ClusterNode {
  draining = false;
  private peers: NodeInfo[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Nodes seen alive or named by sessions in the store, and when each was first seen missing. */
  private readonly known = new Set<string>();
  private readonly missingSince = new Map<string, number>();
  private lastStoreScanMs = Number.NEGATIVE_INFINITY;
  /** The peer list last announced to clients (null before the first tick). */
  private lastPeersKey: string | null = null;
  /**
   * R-CLU-39: when this node sent sessions to each peer (ms, oldest first). Peers announce their
   * counts every announceMs, so a drain that read only the registry sent every user to the one
   * peer that was least loaded at its last announcement; these recent sends count on top.
   */
  private readonly sentTo = new Map<string, number[]>();
  private cpuPrev = process.cpuUsage();
  private cpuPrevAt = Date.now();

  constructor(
    private readonly o: ClusterNodeOptions,
    private readonly registry: NodeRegistry,
    private readonly lease: Lease,
    private readonly hooks: ClusterHooks,
    private readonly log: Logger,
  ) {}

  get nodeId(): string {
    return this.o.nodeId;
  }

  /** The public URL is known only once the node listens (port 0 in tests). */
  setUrl(url: string): void {
    this.o.url = url;
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.log.warn({ err }, 'cluster tick failed'));
    }, this.o.announceMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const sceneId of this.hooks.hostedScenes())
      await this.lease.release(SCENE_LEASE(sceneId), this.o.nodeId);
    await this.registry.remove(this.o.nodeId).catch(() => undefined);
  }

  /** The other live nodes' WebSocket URLs, for clients to fall back on. */
  peerUrls(): string[] {
    return this.peers.filter((p) => p.nodeId !== this.o.nodeId && !p.draining).map((p) => wsUrlOf(p.url));
  }

  /**
   * Least-loaded live node that takes sessions, other than this one (null: none), for a session
   * this node is about to send there: the pick is counted against that node (R-CLU-39) until its
   * own announcements can have caught up (two announce intervals and a second for the client to
   * arrive), so consecutive picks spread over the peers instead of all reading the same stale
   * counts. A send counted twice (it arrived and was announced within that time) weighs on every
   * peer alike, so the spread holds.
   */
  async pickOther(): Promise<NodeInfo | null> {
    const nodes = (await this.registry.list()).filter((n) => n.nodeId !== this.o.nodeId && !n.draining);
    if (nodes.length === 0) return null;
    const now = Date.now();
    const since = now - (2 * this.o.announceMs + 1000);
    const load = new Map<string, number>();
    for (const n of nodes) load.set(n.nodeId, n.sessions + this.recentSends(n.nodeId, since));
    nodes.sort((a, b) => (load.get(a.nodeId) ?? 0) - (load.get(b.nodeId) ?? 0) || a.cpu - b.cpu);
    const pick = nodes[0] as NodeInfo;
    const sends = this.sentTo.get(pick.nodeId);
    if (sends) sends.push(now);
    else this.sentTo.set(pick.nodeId, [now]);
    return pick;
  }

  /** Sends to `nodeId` at or after `since`; older ones are forgotten. */
  private recentSends(nodeId: string, since: number): number {
    const sends = this.sentTo.get(nodeId);
    if (!sends) return 0;
    let old = 0;
    while (old < sends.length && (sends[old] as number) < since) old++;
    if (old > 0) sends.splice(0, old);
    if (sends.length === 0) this.sentTo.delete(nodeId);
    return sends.length;
  }

  /** What /cluster/discover answers: where a new client should connect. */
  async discover(): Promise<NodeInfo> {
    const nodes = (await this.registry.list()).filter((n) => !n.draining);
    const self = this.info();
    if (!nodes.some((n) => n.nodeId === self.nodeId) && !this.draining) nodes.push(self);
    nodes.sort((a, b) => a.sessions - b.sessions || a.cpu - b.cpu);
    return nodes[0] ?? self;
  }

  /** R-CLU-36: where a new client should connect, with its WebSocket URL. */
  async discoverEndpoint(): Promise<{ nodeId: string; url: string; wsUrl: string }> {
    const n = await this.discover();
    return { nodeId: n.nodeId, url: n.url, wsUrl: wsUrlOf(n.url) };
  }

  async nodes(): Promise<NodeInfo[]> {
    return this.registry.list();
  }

  /** Over the session cap: a new login should move to a node with room (R-CLU-33). */
  async overCapTarget(): Promise<NodeInfo | null> {
    if (this.o.maxSessions <= 0 || this.hooks.localSessions() < this.o.maxSessions) return null;
    // Only fresh logins are placed, never resumed sessions, so a full cluster cannot ping-pong.
    return this.pickOther();
  }

  /**
   * Which node hosts a scene: the lease owner if it is alive; else this node takes the lease
   * (R-CLU-35). Returns the host's registry entry, or null when this node is (now) the host.
   */
  async sceneHost(sceneId: string): Promise<NodeInfo | null> {
    const key = SCENE_LEASE(sceneId);
    if (await this.lease.acquire(key, this.o.nodeId, this.o.ttlMs)) return null;
    const owner = await this.lease.owner(key);
    if (owner === null || owner === this.o.nodeId) return null;
    const host = (await this.registry.list()).find((n) => n.nodeId === owner);
    if (host && !host.draining) return host;
    return null; // the owner is gone or draining: serve it here until its lease runs out
  }

  /** A one-time id for a redirect ticket, redeemed through the lease store (cluster-wide). */
  newTicketId(): string {
    return randomBytes(12).toString('base64url');
  }

  claimTicket(id: string, ttlMs: number): Promise<boolean> {
    // A fresh owner per claim: a lease's own holder may re-acquire it, a second claim may not.
    return this.lease.acquire(`ticket:${id}`, randomBytes(9).toString('base64url'), ttlMs);
  }

  info(): NodeInfo {
    return {
      nodeId: this.o.nodeId,
      url: this.o.url,
      sessions: this.hooks.localSessions(),
      cpu: this.cpuLoad(),
      draining: this.draining,
      updatedAtMs: Date.now(),
    };
  }

  private cpuLoad(): number {
    const now = Date.now();
    const used = process.cpuUsage(this.cpuPrev);
    const elapsedMs = Math.max(1, now - this.cpuPrevAt);
    this.cpuPrev = process.cpuUsage();
    this.cpuPrevAt = now;
    const own = (used.user + used.system) / 1000 / elapsedMs;
    const host = (loadavg()[0] ?? 0) / Math.max(1, cpus().length);
    return Math.min(1, Math.max(own, 0.0001 * host));
  }

  /** A draining node gives its scenes up at once, so their users meet again on one new host. */
  async releaseSceneLeases(): Promise<void> {
    for (const sceneId of this.hooks.hostedScenes())
      await this.lease.release(SCENE_LEASE(sceneId), this.o.nodeId);
  }

  private async tick(): Promise<void> {
    await this.registry.announce(this.info(), this.o.ttlMs);
    if (!this.draining) {
      for (const sceneId of this.hooks.hostedScenes()) {
        await this.lease.acquire(SCENE_LEASE(sceneId), this.o.nodeId, this.o.ttlMs);
      }
    }
    this.peers = await this.registry.list();
    const urls = this.peerUrls();
    const key = [...urls].sort().join(' ');
    if (key !== this.lastPeersKey) {
      // The first list is what sys.hello already says; only changes are news.
      if (this.lastPeersKey !== null) this.hooks.peersChanged?.(urls);
      this.lastPeersKey = key;
    }
    await this.janitor();
  }

  /** One node at a time (a lease) reaps the sessions of nodes that vanished more than the grace ago. */
  private async janitor(): Promise<void> {
    const now = Date.now();
    // Nodes that died before this one started are only known from the sessions they left.
    if (now - this.lastStoreScanMs >= STORE_SCAN_EVERY_MS) {
      this.lastStoreScanMs = now;
      for (const id of await this.hooks.nodesWithSessions()) this.known.add(id);
    }
    const alive = new Set(this.peers.map((p) => p.nodeId));
    for (const id of alive) {
      this.known.add(id);
      this.missingSince.delete(id);
    }
    for (const id of this.known) {
      if (alive.has(id) || id === this.o.nodeId) continue;
      const since = this.missingSince.get(id) ?? now;
      this.missingSince.set(id, since);
      if (now - since < this.o.graceMs) continue;
      if (!(await this.lease.acquire(JANITOR_LEASE, this.o.nodeId, this.o.ttlMs))) return;
      const n = await this.hooks.reapDeadNode(id);
      this.log.info({ deadNode: id, sessions: n }, 'reaped the sessions of a dead node');
      this.known.delete(id);
      this.missingSince.delete(id);
    }
  }
}

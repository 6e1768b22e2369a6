import { CloseCode, encodeEvent } from '@imw/shared';
import type { AccountService, SessionHandshakes } from './accounts';
import type { ClusterBackend, ClusterHooks, ClusterNode, Placement } from './cluster';
import type { Config, ModulePacket, Port, RequestCost, RequestCosts, SessionRef } from './core';
import type { Analyzer, Database } from './db';
import type { MessagingService, Receipts, RetentionSweeper } from './messaging';
import type { Gateway, GatewayHooks, UwsServer } from './net';
import type { LocalSession, PresenceService, SocketSink } from './presence';
import type { SceneService } from './scene';

/** The gateway as the modules reach it, bound in the composition root's wire step. */
export type GatewayPort = Port<SocketSink & Pick<Gateway, 'broadcastAll' | 'connectionCount'>>;

/** What the cluster node asks of this node: its sessions and scenes, and who to tell of peers. */
export class NodeHooks implements ClusterHooks {
  constructor(
    private readonly presence: PresenceService,
    private readonly scenes: SceneService,
    private readonly sockets: GatewayPort,
  ) {}

  localSessions(): number {
    return this.presence.table.size;
  }

  reapDeadNode(nodeId: string): Promise<number> {
    return this.presence.reapDeadNode(nodeId);
  }

  hostedScenes(): string[] {
    return this.scenes.hostedSceneIds();
  }

  nodesWithSessions(): Promise<string[]> {
    return this.presence.nodesWithSessions();
  }

  /** Every socket, not only sessions: one between its sys.hello and its login must hear it too. */
  peersChanged(nodes: string[]): void {
    this.sockets.use.broadcastAll(encodeEvent('sys.nodes', { nodes }));
  }

  /** What /healthz reports. */
  health(): { ok: boolean; connections: number; sessions: number } {
    return { ok: true, connections: this.sockets.use.connectionCount, sessions: this.presence.table.size };
  }
}

/** What the gateway asks of the modules: who hears that a socket closed, peers, request costs. */
export class SocketHooks implements GatewayHooks {
  constructor(
    private readonly m: {
      handshakes: SessionHandshakes;
      presence: PresenceService;
      messaging: MessagingService;
      receipts: Receipts;
      node: ClusterNode;
    },
    private readonly costs: RequestCosts,
  ) {}

  onClosed(socketId: string, _session: SessionRef | null, code: number): void {
    this.m.handshakes.dropSocket(socketId);
    this.m.presence.socketClosed(socketId, code);
    this.m.messaging.forgetSocket(socketId);
    this.m.receipts.forgetSocket(socketId);
  }

  peers(): string[] {
    return this.m.node.peerUrls();
  }

  costOf(type: ModulePacket['type']): RequestCost {
    return this.costs[type];
  }
}

/** The node's public URL: PUBLIC_URL, or what it listens on (a wildcard host reads as loopback). */
export function publicUrlOf(
  config: Pick<Config, 'PUBLIC_URL' | 'TLS_CERT_FILE' | 'HOST'>,
  port: number,
): string {
  const scheme = config.TLS_CERT_FILE ? 's' : '';
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return config.PUBLIC_URL ?? `http${scheme}://${host}:${port}`;
}

export interface ImServer {
  readonly nodeId: string;
  readonly port: number;
  /** ws:// URL of the WebSocket endpoint. */
  readonly wsUrl: string;
  /** http:// URL of the web client. */
  readonly httpUrl: string;
  readonly database: Database;
  /** PGlite's ANALYZE runner; null on PostgreSQL (autovacuum analyzes there). */
  readonly analyzer: Analyzer | null;
  readonly gateway: Gateway;
  readonly accounts: AccountService;
  readonly presence: PresenceService;
  readonly cluster: ClusterNode;
  /** Moves every session to other nodes (admin drain, SIGTERM). */
  drain(): Promise<{ moved: number; remaining: number }>;
  close(): Promise<void>;
}

/** The parts of a running node that the sweep and the shutdown touch. */
export interface Running {
  nodeId: string;
  gateway: Gateway;
  accounts: AccountService;
  handshakes: SessionHandshakes;
  presence: PresenceService;
  scenes: SceneService;
  /** Its ring timers stop at shutdown (R-CALL-3). */
  messaging: { close(): void };
  /** The message retention sweep (its own, slower timer). */
  retention: RetentionSweeper;
  node: ClusterNode;
  placement: Placement<LocalSession>;
  uws: UwsServer;
  /** The operator console's bus subscription (drain from any node). */
  operator: { stop(): Promise<void> };
  cluster: ClusterBackend;
  database: Database;
  /** PGlite's ANALYZE runner (null on PostgreSQL): stopped before the database closes. */
  analyzer: Analyzer | null;
  /** The server opened the database, so it closes it on stop (tests pass their own). */
  ownsDatabase: boolean;
}

/** A running node: the periodic sweep, drain, and the shutdown order. */
export class RunningNode implements ImServer {
  readonly wsUrl: string;
  private readonly sweeper: ReturnType<typeof setInterval>;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly r: Running,
    readonly port: number,
    readonly httpUrl: string,
  ) {
    this.wsUrl = `${httpUrl.replace(/^http/, 'ws')}/ws`;
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
    this.r.retention.start();
  }

  get nodeId(): string {
    return this.r.nodeId;
  }
  get database(): Database {
    return this.r.database;
  }
  get analyzer(): Analyzer | null {
    return this.r.analyzer;
  }
  get gateway(): Gateway {
    return this.r.gateway;
  }
  get accounts(): AccountService {
    return this.r.accounts;
  }
  get presence(): PresenceService {
    return this.r.presence;
  }
  get cluster(): ClusterNode {
    return this.r.node;
  }

  drain(): Promise<{ moved: number; remaining: number }> {
    return this.r.placement.drain();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private sweep(): void {
    this.r.gateway.sweep();
    this.r.handshakes.sweep();
    this.r.presence.sweep();
  }

  private async shutdown(): Promise<void> {
    const { r } = this;
    clearInterval(this.sweeper);
    await r.retention.stop();
    r.scenes.close();
    r.messaging.close();
    await r.node.stop();
    r.uws.stopListening();
    r.gateway.closeAll(CloseCode.SHUTDOWN);
    // Give close frames a moment to leave, then cut whatever is left.
    await waitFor(() => r.uws.openSockets === 0, 1000);
    r.uws.terminateAll();
    await r.presence.dropAll();
    await r.presence.stop();
    await r.operator.stop();
    await r.cluster.close();
    await r.analyzer?.stop();
    if (r.ownsDatabase) await r.database.close();
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

import { CloseCode, encodeEvent } from '@imw/shared';
import type { AccountService } from './accounts';
import type { ClusterBackend, ClusterHooks, ClusterNode } from './cluster';
import type { Config, Port } from './core';
import type { Database } from './db';
import type { RetentionSweeper } from './messaging';
import type { Gateway, UwsServer } from './net';
import type { PresenceService, ResumeService, SocketSink } from './presence';
import type { SceneService } from './scene';

/** What the cluster node asks of this node: its sessions and scenes, and who to tell of peers. */
export class NodeHooks implements ClusterHooks {
  constructor(
    private readonly presence: PresenceService,
    private readonly scenes: SceneService,
    private readonly sockets: Port<SocketSink & Pick<Gateway, 'broadcastAll'>>,
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

interface Running {
  gateway: Gateway;
  accounts: AccountService;
  resume: ResumeService;
  presence: PresenceService;
  scenes: SceneService;
  /** The message retention sweep (its own, slower timer). */
  retention: RetentionSweeper;
  node: ClusterNode;
  uws: UwsServer;
  cluster: ClusterBackend;
  /** Closed on stop when the server opened it (tests pass their own). */
  database: Database | null;
}

/** The periodic sweep and the shutdown order of a running node. */
export class Lifecycle {
  private sweeper: ReturnType<typeof setInterval> | null = null;
  private closing: Promise<void> | null = null;

  constructor(private readonly r: Running) {}

  startSweeper(): void {
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
    this.r.retention.start();
  }

  private sweep(): void {
    this.r.gateway.sweep();
    this.r.accounts.sweep();
    this.r.resume.sweep();
    this.r.presence.sweep();
  }

  stop(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const { r } = this;
    if (this.sweeper) clearInterval(this.sweeper);
    await r.retention.stop();
    r.scenes.close();
    await r.node.stop();
    r.uws.stopListening();
    r.gateway.closeAll(CloseCode.SHUTDOWN);
    // Give close frames a moment to leave, then cut whatever is left.
    await waitFor(() => r.uws.openSockets === 0, 1000);
    r.uws.terminateAll();
    await r.presence.dropAll();
    await r.presence.stop();
    await r.cluster.close();
    if (r.database) await r.database.close();
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

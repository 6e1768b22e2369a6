import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * A TCP proxy the test controls, between the server and a dependency (PostgreSQL, Redis).
 * `cut()` resets every open connection and resets each new one on arrival (what a client sees
 * when the network path or the dependency dies); `restore()` forwards again. The listening port
 * never changes, so the server's configured URL stays valid across a cut.
 */
export class TcpProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** Connections accepted during a blackhole, never answered. */
  private readonly held = new Set<Socket>();
  private server: Server | null = null;
  private isCut = false;
  private isBlackhole = false;
  /** Connections accepted while forwarding (how often the client reconnected). */
  accepted = 0;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Listens on 127.0.0.1, port 0, forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const p = new TcpProxy(target.host, target.port);
    await p.listen();
    return p;
  }

  get cutNow(): boolean {
    return this.isCut;
  }

  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  cut(): void {
    this.isCut = true;
    for (const p of [...this.pairs]) this.drop(p);
  }

  /**
   * A silent network (a dead host, a dropped route): open connections stay up but nothing gets
   * through, and new ones are accepted and never answered. `restore()` ends it.
   */
  blackhole(): void {
    this.isBlackhole = true;
    for (const p of this.pairs) {
      p.client.unpipe(p.upstream);
      p.upstream.unpipe(p.client);
      p.client.pause();
      p.upstream.pause();
    }
  }

  restore(): void {
    this.isCut = false;
    if (this.isBlackhole) {
      // What was held back is gone, as it would be on a real network: reset those connections.
      this.isBlackhole = false;
      for (const p of [...this.pairs]) this.drop(p);
      for (const c of this.held) c.resetAndDestroy();
      this.held.clear();
    }
  }

  async close(): Promise<void> {
    this.cut();
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private listen(): Promise<void> {
    const server = createServer((client) => this.onClient(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        resolve();
      });
    });
  }

  private onClient(client: Socket): void {
    client.on('error', () => undefined);
    if (this.isCut) {
      client.resetAndDestroy();
      return;
    }
    if (this.isBlackhole) {
      client.pause();
      this.held.add(client);
      client.once('close', () => this.held.delete(client));
      return;
    }
    this.accepted++;
    const upstream = tcpConnect(this.targetPort, this.targetHost);
    upstream.on('error', () => undefined);
    const pair = { client, upstream };
    this.pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => this.drop(pair);
    client.once('close', end);
    upstream.once('close', end);
  }

  private drop(pair: { client: Socket; upstream: Socket }): void {
    if (!this.pairs.delete(pair)) return;
    // RST, not FIN: the peer learns at once, as when a host or a link dies.
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (!pair.upstream.destroyed) pair.upstream.resetAndDestroy();
  }
}

/** host and port of a postgres:// or redis:// URL. */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  const defaultPort = u.protocol.startsWith('redis') ? 6379 : 5432;
  return { host: u.hostname || '127.0.0.1', port: u.port ? Number(u.port) : defaultPort };
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode, type RequestPacket } from '@imw/shared';
import { AccountService, accountHandlers } from './accounts';
import {
  type Clock,
  type Config,
  createLogger,
  type HandlerMap,
  type Logger,
  type RequestContext,
  systemClock,
} from './core';
import { type Database, openDatabase } from './db';
import { coreRoutes } from './http-routes';
import { createMetrics, Gateway, UwsServer, uwsImplementation } from './net';
import { createSessionHost, SessionTable } from './presence';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** An already-open database (tests share one per file). Otherwise opened from the config. */
  database?: Database;
}

export interface ImServer {
  readonly nodeId: string;
  readonly port: number;
  /** ws:// URL of the WebSocket endpoint. */
  readonly wsUrl: string;
  /** http:// URL of the web client. */
  readonly httpUrl: string;
  readonly database: Database;
  readonly gateway: Gateway;
  readonly accounts: AccountService;
  readonly sessions: SessionTable;
  close(): Promise<void>;
}

/** The composition root: builds the six modules, wires them through their public faces, listens. */
export async function startServer(opts: ServerOptions): Promise<ImServer> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const nodeId = config.NODE_ID ?? `n${randomBytes(3).toString('hex')}`;
  const log = opts.logger ?? createLogger(config.LOG_LEVEL, { nodeId });
  const metrics = createMetrics();
  const database =
    opts.database ??
    (await openDatabase({ url: config.DATABASE_URL, dataDir: resolve(config.DATA_DIR, 'pglite') }));
  const ownsDatabase = !opts.database;

  const accounts = new AccountService(database.db, clock, config);
  await accounts.init();

  // The gateway and the session table refer to each other through small interfaces.
  let sessions: SessionTable | null = null;
  const handlers: HandlerMap = {
    'sys.heartbeat': () => ({ serverTimeMs: clock.now() }),
    ...accountHandlers(accounts, {
      open: (...a) => host.open(...a),
      end: (...a) => host.end(...a),
    }),
  };
  const dispatch = (ctx: RequestContext, packet: RequestPacket): Promise<unknown> =>
    Promise.resolve(
      (handlers[packet.type] as (c: RequestContext, p: unknown) => unknown)(ctx, packet.params),
    );

  const gateway = new Gateway(config, clock, log, metrics, nodeId, dispatch, {
    onClosed: (socketId) => {
      accounts.challenges.dropSocket(socketId);
      const s = sessions?.bySocketId(socketId);
      if (s) sessions?.remove(s);
      metrics.sessions.set(sessions?.size ?? 0);
    },
  });
  sessions = new SessionTable(clock, gateway);
  const host = createSessionHost(sessions, metrics);

  const webDir = config.WEB_DIR ?? resolve(ROOT, 'web-client/dist');
  const mapsDir = config.MAPS_DIR ?? resolve(ROOT, 'server/maps');
  const routes = coreRoutes({
    nodeId,
    metrics,
    metricsEnabled: config.METRICS,
    health: () => ({ ok: true, connections: gateway.connectionCount, sessions: sessions?.size ?? 0 }),
    mapsDir: existsSync(mapsDir) ? mapsDir : null,
    webDir,
  });
  const uws = new UwsServer(
    {
      host: config.HOST,
      port: config.PORT,
      maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
      maxBackpressureBytes: config.MAX_BACKPRESSURE_BYTES,
      maxConnectionsPerAddress: config.MAX_CONNECTIONS_PER_ADDRESS,
      tls:
        config.TLS_CERT_FILE && config.TLS_KEY_FILE
          ? { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE }
          : undefined,
    },
    gateway,
    routes,
    log,
  );
  const port = await uws.listen();
  const sweeper = setInterval(() => {
    gateway.sweep();
    accounts.sweep();
  }, 1000);
  sweeper.unref();
  const scheme = config.TLS_CERT_FILE ? 's' : '';
  const hostForUrl = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const httpUrl = config.PUBLIC_URL ?? `http${scheme}://${hostForUrl}:${port}`;
  log.info({ port, uws: uwsImplementation(), db: database.driver }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    nodeId,
    port,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/ws`,
    httpUrl,
    database,
    gateway,
    accounts,
    sessions,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        uws.stopListening();
        gateway.closeAll(CloseCode.SHUTDOWN);
        // Give close frames a moment to leave, then cut whatever is left.
        await waitFor(() => uws.openSockets === 0, 1000);
        uws.terminateAll();
        if (ownsDatabase) await database.close();
      })();
      return closing;
    },
  };
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

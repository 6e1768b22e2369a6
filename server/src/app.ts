import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode, type RequestPacket } from '@imw/shared';
import { AccountService, accountHandlers, socialHandlers, toPublicProfile } from './accounts';
import { SocialService } from './accounts/social';
import { createClusterBackend, Router } from './cluster';
import {
  AppError,
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
import { adminRoutes, MessagingService, messagingHandlers } from './messaging';
import { createMetrics, Gateway, UwsServer, uwsImplementation } from './net';
import {
  createSessionHost,
  PresenceService,
  presenceHandlers,
  ResumeService,
  TicketSealer,
} from './presence';

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
  readonly presence: PresenceService;
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
  const social = new SocialService(database.db, {
    maxFriends: config.MAX_FRIENDS,
    maxGroupMembers: config.MAX_GROUP_MEMBERS,
  });
  const cluster = await createClusterBackend({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    connectionName: nodeId,
    onRedisError: (err) => log.warn({ err }, 'redis error'),
  });

  // Modules refer to each other through small interfaces; these late-bound closures break the
  // construction cycle (gateway → presence → router → presence).
  let gateway: Gateway | null = null;
  let router: Router | null = null;
  const sink = {
    send: (...a: Parameters<Gateway['send']>) => gateway?.send(...a) ?? false,
    sendMany: (...a: Parameters<Gateway['sendMany']>) => gateway?.sendMany(...a) ?? false,
    closeSocket: (...a: Parameters<Gateway['closeSocket']>) => gateway?.closeSocket(...a),
  };
  const route = (ids: readonly number[], records: Parameters<Router['route']>[1]) =>
    router?.route(ids, records);

  const tickets = new TicketSealer(await accounts.nodeSecret('resume_ticket_key'));
  const presence = new PresenceService({
    nodeId,
    clock,
    config,
    store: cluster.presence,
    sink,
    friends: social,
    route,
    tickets,
    metrics,
    log,
    onRemoteTakeover: (prev) => router?.release(prev.nodeId, prev.userId, prev.sessionId),
  });
  router = new Router(nodeId, cluster.bus, cluster.presence, presence, log);
  await router.start();
  const resume = new ResumeService(presence, tickets, accounts, clock, config.CHALLENGE_TTL_MS);

  const summaryOf = async (userId: number) => {
    const u = await accounts.userById(userId);
    if (!u) throw new AppError('NOT_FOUND', 'no such user');
    const { bio: _bio, ...summary } = toPublicProfile(u);
    return summary;
  };

  const messaging = new MessagingService(nodeId, clock, config, social, {
    route,
    broadcast: (records) => router?.broadcast(records) ?? 0,
  });
  const displayNameOf = async (userId: number) => (await accounts.userById(userId))?.displayName ?? 'unknown';

  const handlers: HandlerMap = {
    'sys.heartbeat': () => ({ serverTimeMs: clock.now() }),
    ...accountHandlers(accounts, createSessionHost(presence)),
    ...presenceHandlers(presence, resume),
    ...socialHandlers({ social, statuses: (ids) => presence.statuses(ids), route, summaryOf }),
    ...messagingHandlers(messaging, displayNameOf),
  };
  const dispatch = (ctx: RequestContext, packet: RequestPacket): Promise<unknown> =>
    Promise.resolve(
      (handlers[packet.type] as (c: RequestContext, p: unknown) => unknown)(ctx, packet.params),
    );

  gateway = new Gateway(config, clock, log, metrics, nodeId, dispatch, {
    onClosed: (socketId, _session, code) => {
      accounts.challenges.dropSocket(socketId);
      resume.dropSocket(socketId);
      presence.socketClosed(socketId, code);
      messaging.forgetSocket(socketId);
    },
  });
  const gw = gateway;

  const webDir = config.WEB_DIR ?? resolve(ROOT, 'web-client/dist');
  const mapsDir = config.MAPS_DIR ?? resolve(ROOT, 'server/maps');
  const routes = [...adminRoutes(messaging, config.ADMIN_TOKEN)];
  routes.push(
    ...coreRoutes({
      nodeId,
      metrics,
      metricsEnabled: config.METRICS,
      health: () => ({ ok: true, connections: gw.connectionCount, sessions: presence.table.size }),
      mapsDir: existsSync(mapsDir) ? mapsDir : null,
      webDir,
    }),
  );
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
    gw,
    routes,
    log,
  );
  const port = await uws.listen();
  const sweeper = setInterval(() => {
    gw.sweep();
    accounts.sweep();
    resume.sweep();
    presence.sweep();
  }, 1000);
  sweeper.unref();
  const scheme = config.TLS_CERT_FILE ? 's' : '';
  const hostForUrl = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const httpUrl = config.PUBLIC_URL ?? `http${scheme}://${hostForUrl}:${port}`;
  log.info({ port, uws: uwsImplementation(), db: database.driver, cluster: cluster.kind }, 'listening');

  let closing: Promise<void> | null = null;
  return {
    nodeId,
    port,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/ws`,
    httpUrl,
    database,
    gateway: gw,
    accounts,
    presence,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        uws.stopListening();
        gw.closeAll(CloseCode.SHUTDOWN);
        // Give close frames a moment to leave, then cut whatever is left.
        await waitFor(() => uws.openSockets === 0, 1000);
        uws.terminateAll();
        await presence.dropAll();
        await router?.stop();
        await cluster.close();
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

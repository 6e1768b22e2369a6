import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccountService,
  accountCosts,
  accountHandlers,
  SocialNotices,
  SocialService,
  socialCosts,
  socialHandlers,
} from './accounts';
import { ClusterNode, createClusterBackend, Placement } from './cluster';
import {
  type Clock,
  type Config,
  createLogger,
  createMetrics,
  dispatchFrom,
  type HandlerMap,
  type Logger,
  Port,
  type RequestCosts,
  systemClock,
} from './core';
import { type Database, openDatabase } from './db';
import { adminRoutes, clusterRoutes, coreRoutes } from './http';
import { Lifecycle, NodeHooks, publicUrlOf } from './lifecycle';
import {
  Conversations,
  checkText,
  MessageStore,
  MessagingService,
  messagingCosts,
  messagingHandlers,
  RetentionSweeper,
} from './messaging';
import { Gateway, UwsServer, uwsImplementation } from './net';
import {
  createPresenceStore,
  PresenceService,
  presenceCosts,
  presenceHandlers,
  ResumeService,
  Revocations,
  SessionOpener,
  type SocketSink,
  TicketSealer,
} from './presence';
import { SceneService, sceneCosts, sceneHandlers } from './scene';

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
  readonly cluster: ClusterNode;
  /** Moves every session to other nodes (admin drain, SIGTERM). */
  drain(): Promise<{ moved: number; remaining: number }>;
  close(): Promise<void>;
}

/** The composition root: creates the modules, wires their ports, starts them; Lifecycle stops them. */
export async function startServer(opts: ServerOptions): Promise<ImServer> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const nodeId = config.NODE_ID ?? `n${randomBytes(3).toString('hex')}`;
  const log = opts.logger ?? createLogger(config.LOG_LEVEL, { nodeId });
  const metrics = createMetrics();
  const database =
    opts.database ??
    (await openDatabase({ url: config.DATABASE_URL, dataDir: resolve(config.DATA_DIR, 'pglite') }));
  const mapsDir = config.MAPS_DIR ?? resolve(ROOT, 'server/maps');
  const maps = existsSync(mapsDir) ? mapsDir : null;

  // Create.
  const accounts = new AccountService(database.db, clock, config);
  await accounts.init();
  const social = new SocialService(database.db, {
    maxFriends: config.MAX_FRIENDS,
    maxGroupMembers: config.MAX_GROUP_MEMBERS,
  });
  const cluster = await createClusterBackend({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    keyPrefix: config.REDIS_KEY_PREFIX,
    connectionName: nodeId,
    onRedisError: (err) => log.warn({ err }, 'redis error'),
  });
  const sink = new Port<SocketSink & Pick<Gateway, 'broadcastAll'>>('gateway');
  const tickets = new TicketSealer(await accounts.nodeSecret('resume_ticket_key'));
  const revocations = new Revocations(database.db, clock, config.RESUME_TICKET_TTL_MS, log);
  const store = createPresenceStore(cluster);
  const presence = new PresenceService({
    nodeId,
    clock,
    config,
    store,
    bus: cluster.bus,
    sink,
    friends: social,
    tickets,
    metrics,
    log,
    revocations,
  });
  const notices = new SocialNotices(social, presence.delivery);
  const messageStore = new MessageStore(database.db, () => clock.now());
  const messaging = new MessagingService(nodeId, clock, config, social, presence.delivery, messageStore);
  const names = { displayNameOf: (id: number) => displayNameOf(presence, accounts, id) };
  const conversations = new Conversations(messageStore, social, presence.delivery, names.displayNameOf);
  const retention = new RetentionSweeper(
    messageStore,
    config.MESSAGE_RETENTION_DAYS,
    config.MESSAGE_SWEEP_INTERVAL_MS,
    log,
  );
  const onViewDelay = (ms: number) => metrics.sceneViewDelay.observe(ms / 1000);
  const scenes = await SceneService.load(maps, {
    nodeId,
    clock,
    config,
    presence,
    ...names,
    checkText,
    log,
    congested: (id) => congested(presence, gateway, config.SCENE_HOLD_BACKPRESSURE_BYTES, id),
    onViewDelay,
  });
  const node = new ClusterNode(
    {
      nodeId,
      url: '',
      ttlMs: config.NODE_TTL_MS,
      announceMs: config.NODE_ANNOUNCE_MS,
      graceMs: config.RESUME_GRACE_MS,
      maxSessions: config.MAX_SESSIONS_PER_NODE,
    },
    cluster.registry,
    cluster.lease,
    new NodeHooks(presence, scenes, sink),
    log,
  );
  const placement = new Placement(node, presence, config.REDIRECT_TICKET_TTL_MS);
  const opener = new SessionOpener(presence);
  const resume = new ResumeService(presence, tickets, accounts, clock, config.CHALLENGE_TTL_MS, node);
  const handlers: HandlerMap = {
    ...accountHandlers(accounts, opener, notices, presence),
    ...presenceHandlers(presence, resume, opener),
    ...socialHandlers({ social, notices, delivery: presence.delivery, presence }),
    ...messagingHandlers(messaging, conversations, names.displayNameOf),
    ...sceneHandlers(scenes),
  };
  const costs: RequestCosts = {
    ...accountCosts,
    ...presenceCosts,
    ...socialCosts,
    ...messagingCosts,
    ...sceneCosts,
  };
  const gateway: Gateway = new Gateway(config, clock, log, metrics, nodeId, dispatchFrom(handlers), {
    onClosed: (socketId, _session, code) => {
      accounts.challenges.dropSocket(socketId);
      resume.dropSocket(socketId);
      presence.socketClosed(socketId, code);
      messaging.forgetSocket(socketId);
    },
    peers: () => node.peerUrls(),
    costOf: (type) => costs[type],
  });

  // Wire: the only place ports are set. A login runs the scene hook, then placement.
  sink.bind(gateway);
  presence.endListeners.push(scenes);
  opener.hooks.push(scenes, placement);

  // Connect and start.
  await presence.start();
  const admin = {
    system: messaging.system.bind(messaging),
    ad: messaging.ad.bind(messaging),
    drain: () => placement.drain(),
  };
  const health = () => ({ ok: true, connections: gateway.connectionCount, sessions: presence.table.size });
  const webDir = config.WEB_DIR ?? resolve(ROOT, 'web-client/dist');
  const routes = [
    ...adminRoutes(admin, config.ADMIN_TOKEN),
    ...clusterRoutes(node),
    ...coreRoutes({ nodeId, metrics, metricsEnabled: config.METRICS, health, mapsDir: maps, webDir }),
  ];
  const tls =
    config.TLS_CERT_FILE && config.TLS_KEY_FILE
      ? { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE }
      : undefined;
  const uws = new UwsServer(
    {
      host: config.HOST,
      port: config.PORT,
      maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
      maxBackpressureBytes: config.MAX_BACKPRESSURE_BYTES,
      maxConnectionsPerAddress: config.MAX_CONNECTIONS_PER_ADDRESS,
      trustedProxies: config.TRUSTED_PROXIES,
      tls,
    },
    gateway,
    routes,
    log,
  );
  const port = await uws.listen();
  const httpUrl = publicUrlOf(config, port);
  node.setUrl(httpUrl);
  await node.start();
  const lifecycle = new Lifecycle({
    gateway,
    accounts,
    resume,
    presence,
    scenes,
    retention,
    node,
    uws,
    cluster,
    database: opts.database ? null : database,
  });
  lifecycle.startSweeper();
  log.info({ port, uws: uwsImplementation(), db: database.driver, cluster: cluster.kind }, 'listening');

  return {
    nodeId,
    port,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/ws`,
    httpUrl,
    database,
    gateway,
    accounts,
    presence,
    cluster: node,
    drain: () => placement.drain(),
    close: () => lifecycle.stop(),
  };
}

/** Senders are usually local sessions: their name is at hand, no database read per message. */
async function displayNameOf(
  presence: PresenceService,
  accounts: AccountService,
  userId: number,
): Promise<string> {
  return presence.localDisplayName(userId) ?? (await accounts.userById(userId))?.displayName ?? 'unknown';
}

/** R-LIM-15: the user's socket holds more than the scene's backpressure threshold. */
function congested(presence: PresenceService, gateway: Gateway, limitBytes: number, userId: number): boolean {
  const s = presence.table.byUserId(userId);
  if (s?.link.state !== 'attached') return false;
  return gateway.bufferedAmount(s.link.socketId) > limitBytes;
}

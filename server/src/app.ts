import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccountService,
  accountCosts,
  accountHandlers,
  blockCosts,
  blockHandlers,
  SessionHandshakes,
  SettingsStore,
  SocialNotices,
  SocialService,
  sessionCosts,
  sessionHandlers,
  settingsCosts,
  settingsHandlers,
  socialCosts,
  socialHandlers,
} from './accounts';
import { type ClusterBackend, ClusterNode, createClusterBackend, Placement } from './cluster';
import {
  type Clock,
  type Config,
  createLogger,
  createMetrics,
  dispatchFrom,
  type HandlerMap,
  type Logger,
  type Metrics,
  Port,
  type RequestCosts,
  requireSession,
  systemClock,
} from './core';
import { Analyzer, type Database, openDatabase } from './db';
import {
  AuthFailures,
  adminGuard,
  adminRoutes,
  bearerGuard,
  clusterRoutes,
  consoleRoutes,
  coreRoutes,
  moderationRoutes,
} from './http';
import {
  type GatewayPort,
  type ImServer,
  NodeHooks,
  publicUrlOf,
  RunningNode,
  SocketHooks,
} from './lifecycle';
import {
  Conversations,
  checkText,
  FileService,
  type FileStorage,
  FileTokens,
  FolderStorage,
  fileRoutes,
  MessageActions,
  MessageStore,
  MessagingService,
  messagingCosts,
  messagingHandlers,
  Receipts,
  RetentionSweeper,
  S3Storage,
} from './messaging';
import { ModerationRepo, ModerationService, reportCosts, reportHandlers } from './moderation';
import { Gateway, UwsServer, uwsImplementation } from './net';
import { Operator } from './operator';
import {
  createPresenceStore,
  type LocalSession,
  loadTicketKeys,
  PresenceService,
  presenceCosts,
  presenceHandlers,
  Revocations,
  SessionOpener,
  TicketSealer,
} from './presence';
import {
  loadMapsFromDir,
  mapListRoutes,
  type SceneMap,
  SceneService,
  sceneCosts,
  sceneHandlers,
} from './scene';

export type { ImServer } from './lifecycle';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** An already-open database (tests share one per file). Otherwise opened from the config. */
  database?: Database;
}

/** What every module is built from: configuration, time, identity, logs, metrics, storage. */
interface Base {
  config: Config;
  clock: Clock;
  nodeId: string;
  log: Logger;
  metrics: Metrics;
  database: Database;
  ownsDatabase: boolean;
  mapsDir: string | null;
  maps: ReadonlyMap<string, SceneMap>;
}

/** The composition root: create the modules, wire their ports, start; RunningNode stops them. */
export async function startServer(opts: ServerOptions): Promise<ImServer> {
  const base = await foundations(opts);
  const m = await createModules(base);
  const gateway = createGateway(base, m);
  wire(m, gateway);
  return start(base, m, gateway);
}

async function foundations(opts: ServerOptions): Promise<Base> {
  const { config } = opts;
  const nodeId = config.NODE_ID ?? `n${randomBytes(3).toString('hex')}`;
  const log = opts.logger ?? createLogger(config.LOG_LEVEL, { nodeId });
  const dir = config.MAPS_DIR ?? resolve(ROOT, 'server/maps');
  const mapsDir = existsSync(dir) ? dir : null;
  // R-MAP-2: maps load before the database opens, so a node that must refuse costs nothing.
  const maps = mapsDir === null ? new Map<string, SceneMap>() : await loadMapsFromDir(mapsDir, log);
  const database =
    opts.database ??
    (await openDatabase({ url: config.DATABASE_URL, dataDir: resolve(config.DATA_DIR, 'pglite') }));
  return {
    config,
    clock: opts.clock ?? systemClock,
    nodeId,
    log,
    metrics: createMetrics(),
    database,
    ownsDatabase: !opts.database,
    mapsDir,
    maps,
  };
}

type Modules = Awaited<ReturnType<typeof createModules>>;

/** Create: each module gets the ports it needs; the gateway's is bound in `wire`. */
async function createModules(base: Base) {
  const { config, clock, nodeId, log, metrics, maps } = base;
  const { db } = base.database;
  const accounts = new AccountService(db, config);
  const social = new SocialService(db, {
    maxFriends: config.MAX_FRIENDS,
    maxGroupMembers: config.MAX_GROUP_MEMBERS,
    friendRequestsPerHour: config.FRIEND_REQUESTS_PER_HOUR,
    declineCooldownMs: config.FRIEND_DECLINE_COOLDOWN_MS,
    now: () => clock.now(),
  });
  const cluster = await createClusterBackend({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    keyPrefix: config.REDIS_KEY_PREFIX,
    connectionName: nodeId,
    log,
  });
  const sockets: GatewayPort = new Port('gateway');
  const { presence, tickets, fileTokenSecret } = await createPresence(base, cluster, {
    accounts,
    social,
    sockets,
  });
  const notices = new SocialNotices(social, presence.delivery);
  const analyzer = analyzerFor(base);
  const messageStore = new MessageStore(db, () => clock.now(), {
    appendWindowMs: config.APPEND_WINDOW_MS,
    ...(analyzer ? { onAppended: () => void analyzer.noteAppended() } : {}),
  });
  const files = new FileService(
    db,
    fileStorageFor(config),
    new FileTokens(fileTokenSecret, config.FILE_TOKEN_TTL_MS, () => clock.now()),
    social,
    {
      maxBytes: config.FILE_MAX_BYTES,
      quotaBytesPerDay: config.FILE_QUOTA_BYTES_PER_DAY,
      unreferencedGraceMs: config.FILE_UNREFERENCED_GRACE_MS,
    },
    () => clock.now(),
  );
  const messaging = new MessagingService(
    nodeId,
    clock,
    config,
    social,
    presence.delivery,
    messageStore,
    files,
  );
  const conversations = new Conversations(messageStore, social, presence.delivery, (id) =>
    presence.displayNameOf(id),
  );
  const actions = new MessageActions(messageStore, social, presence.delivery, files, clock, {
    recallWindowMs: config.RECALL_WINDOW_MS,
  });
  const settings = new SettingsStore(db);
  const receipts = new Receipts(clock, config.RATE_STRIKES_TO_CLOSE, messageStore, presence.delivery, {
    relations: social,
    blocks: (blocker, other) => social.blocks(blocker, other),
    isInvisible: (userId) => presence.isInvisibleHere(userId),
    readReceiptsOff: (userIds) => settings.readReceiptsOff(userIds),
  });
  const retention = new RetentionSweeper(
    messageStore,
    config.MESSAGE_RETENTION_DAYS,
    config.MESSAGE_SWEEP_INTERVAL_MS,
    log,
    files,
  );
  const scenes = new SceneService(maps, {
    nodeId,
    clock,
    config,
    presence,
    names: presence,
    blocks: social,
    checkText,
    log,
    viewDelay: metrics.sceneViewDelay,
    bubbleStats: {
      changed: (count, cpuMs) => {
        metrics.bubbleChanges.inc(count);
        metrics.bubbleSeconds.inc(cpuMs / 1000);
      },
      signalled: () => metrics.bubbleSignals.inc(),
    },
  });
  const hooks = new NodeHooks(presence, scenes, sockets);
  const node = new ClusterNode(nodeInfo(config, nodeId), cluster.registry, cluster.lease, hooks, log);
  const placement = new Placement(node, presence, config.REDIRECT_TICKET_TTL_MS);
  const opener = new SessionOpener(presence, tickets, clock, node);
  const handshakes = new SessionHandshakes(accounts.repo, clock, config, opener);
  await handshakes.init();
  const { moderationRepo, moderation, operator } = createModeration(base, {
    presence,
    notices,
    node,
    placement,
    bus: cluster.bus,
  });
  return {
    accounts,
    social,
    cluster,
    sockets,
    presence,
    notices,
    messaging,
    conversations,
    actions,
    files,
    receipts,
    retention,
    scenes,
    hooks,
    node,
    placement,
    opener,
    handshakes,
    settings,
    moderationRepo,
    moderation,
    operator,
    analyzer,
  };
}

/** An S3-compatible bucket when FILE_S3_BUCKET is set, else the folder. */
function fileStorageFor(config: Config): FileStorage {
  if (!config.FILE_S3_BUCKET) return new FolderStorage(config.FILES_DIR ?? resolve(config.DATA_DIR, 'files'));
  return new S3Storage({
    bucket: config.FILE_S3_BUCKET,
    endpoint: config.FILE_S3_ENDPOINT,
    region: config.FILE_S3_REGION,
    accessKeyId: config.FILE_S3_ACCESS_KEY_ID,
    secretAccessKey: config.FILE_S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.FILE_S3_FORCE_PATH_STYLE,
    prefix: config.FILE_S3_PREFIX,
  });
}

/** PGlite only: its ANALYZE runner (PostgreSQL has autovacuum); null elsewhere. */
function analyzerFor({ config, log, database }: Base): Analyzer | null {
  const { analyze } = database;
  if (!analyze) return null;
  return new Analyzer(
    analyze,
    { intervalMs: config.PGLITE_ANALYZE_INTERVAL_MS, everyMessages: config.PGLITE_ANALYZE_EVERY_MESSAGES },
    (err) => log.warn({ err }, 'pglite analyze failed'),
  );
}

/** Reports and moderation (#15), and the operator console's API (#17) over the modules' faces. */
function createModeration(
  { config, clock, log, metrics, database }: Base,
  m: {
    presence: PresenceService;
    notices: SocialNotices;
    node: ClusterNode;
    placement: Placement<LocalSession>;
    bus: ClusterBackend['bus'];
  },
) {
  const moderationRepo = new ModerationRepo(database.db);
  const moderation = new ModerationService(moderationRepo, {
    clock,
    reportsPerHour: config.REPORTS_PER_USER_PER_HOUR,
    scenes: m.presence,
    sessions: m.presence,
    delivery: m.presence.delivery,
    removal: m.notices,
  });
  const operator = new Operator({
    node: m.node,
    placement: m.placement,
    bus: m.bus,
    presence: m.presence,
    users: moderationRepo,
    metrics,
    log,
  });
  return { moderationRepo, moderation, operator };
}

/** Presence: the online table, its store on the cluster's connection, tickets and revocations. */
async function createPresence(
  { config, clock, nodeId, log, metrics, database }: Base,
  cluster: ClusterBackend,
  m: { accounts: AccountService; social: SocialService; sockets: GatewayPort },
) {
  const ticketKeys = loadTicketKeys(config.TICKET_KEYS, resolve(config.DATA_DIR));
  const tickets = new TicketSealer(ticketKeys);
  const presence = new PresenceService({
    nodeId,
    clock,
    config,
    store: createPresenceStore(cluster),
    bus: cluster.bus,
    singleNode: cluster.kind === 'memory',
    sink: m.sockets,
    friends: m.social,
    users: m.accounts,
    tickets,
    metrics,
    log,
    revocations: new Revocations(database.db, clock, config.RESUME_TICKET_TTL_MS, log),
  });
  // The file token key (#16) derives from the sealing key: every node has it, the database not.
  const fileTokenSecret = (ticketKeys[0] as { key: Uint8Array }).key;
  return { presence, tickets, fileTokenSecret };
}

function nodeInfo(config: Config, nodeId: string) {
  return {
    nodeId,
    url: '',
    ttlMs: config.NODE_TTL_MS,
    announceMs: config.NODE_ANNOUNCE_MS,
    graceMs: config.RESUME_GRACE_MS,
    maxSessions: config.MAX_SESSIONS_PER_NODE,
  };
}

/** Every module's requests, and what each costs (R-LIM-16), for the gateway to dispatch. */
function createGateway({ config, clock, log, metrics, nodeId }: Base, m: Modules): Gateway {
  const presenceH = presenceHandlers(m.presence);
  const handlers: HandlerMap = {
    ...sessionHandlers(m.handshakes, m.opener, m.accounts, m.moderation),
    ...accountHandlers(m.accounts, m.handshakes.scram, m.opener, m.notices, {
      // R-PRO-1: sessions keep the new name, and friends and group members hear of it live.
      profileChanged: (p) => {
        m.presence.profileChanged(p);
        m.notices.profileChanged(p).catch((err: unknown) => log.warn({ err }, 'profile notice failed'));
      },
    }),
    ...presenceH,
    // R-SEC-24: the scene has a say in a status change (no invisible user in a world).
    'presence.setStatus': (ctx, p) => {
      m.scenes.checkStatusChange(requireSession(ctx), p.status);
      return presenceH['presence.setStatus'](ctx, p);
    },
    ...socialHandlers({
      social: m.social,
      notices: m.notices,
      delivery: m.presence.delivery,
      presence: m.presence,
      // A join or leave line that cannot be stored (database down) must not fail the join itself.
      groupLines: {
        postGroupEvent: (groupId, user, event) =>
          m.messaging
            .postGroupEvent(groupId, user, event)
            .catch((err: unknown) => log.warn({ err, groupId }, 'group line not stored')),
      },
    }),
    ...blockHandlers({ social: m.social, notices: m.notices, delivery: m.presence.delivery }),
    ...messagingHandlers(m.messaging, m.conversations, m.receipts, m.presence, m.actions, m.files),
    ...sceneHandlers(m.scenes),
    ...settingsHandlers(m.settings, m.presence.delivery),
    ...reportHandlers(m.moderation),
  };
  const costs: RequestCosts = {
    ...sessionCosts,
    ...accountCosts,
    ...presenceCosts,
    ...socialCosts,
    ...messagingCosts,
    ...sceneCosts,
    ...settingsCosts,
    ...reportCosts,
    ...blockCosts,
  };
  return new Gateway(config, clock, log, metrics, nodeId, dispatchFrom(handlers), new SocketHooks(m, costs));
}

/** Wire: the only place a port is set. A login runs the scene hook, then placement. */
function wire(m: Modules, gateway: Gateway): void {
  m.sockets.bind(gateway);
  m.presence.endListeners.push(m.scenes);
  m.presence.avatarListeners.push(m.scenes);
  m.opener.hooks.push(m.scenes, m.placement);
}

/** Start: presence hears the bus, HTTP and WebSocket listen, the node announces itself. */
async function start(base: Base, m: Modules, gateway: Gateway): Promise<ImServer> {
  const { config, log, database } = base;
  await m.presence.start();
  await m.operator.start();
  // R-SEC-25: one failure count per address for every guarded route.
  const authFailures = new AuthFailures(base.clock);
  const opsGuard = bearerGuard(
    config.METRICS_TOKEN ?? config.ADMIN_TOKEN,
    authFailures,
    'metrics and the node list need METRICS_TOKEN or ADMIN_TOKEN',
  );
  const routes = [
    ...fileRoutes(m.files, config.FILE_MAX_BYTES),
    ...adminRoutes(m.messaging, m.placement, config.ADMIN_TOKEN, authFailures),
    ...moderationRoutes(m.moderation, adminGuard(config.ADMIN_TOKEN, authFailures), () => base.clock.now()),
    ...consoleRoutes(m.operator, adminGuard(config.ADMIN_TOKEN, authFailures)),
    ...clusterRoutes(m.node, opsGuard),
    ...mapListRoutes(base.maps, config.DEFAULT_MAP),
    ...coreRoutes({
      metrics: base.metrics,
      metricsEnabled: config.METRICS,
      guarded: opsGuard,
      health: m.hooks,
      mapsDir: base.mapsDir,
      webDir: config.WEB_DIR ?? resolve(ROOT, 'web-client/dist'),
    }),
  ];
  const uws = new UwsServer(uwsOptions(config), gateway, routes, log);
  const port = await uws.listen();
  const httpUrl = publicUrlOf(config, port);
  m.node.setUrl(httpUrl);
  await m.node.start();
  // Not awaited: the node serves while PGlite gathers its first statistics.
  void m.analyzer?.start();
  log.info({ port, uws: uwsImplementation(), db: database.driver, cluster: m.cluster.kind }, 'listening');
  return new RunningNode({ ...base, ...m, gateway, uws }, port, httpUrl);
}

function uwsOptions(config: Config): ConstructorParameters<typeof UwsServer>[0] {
  const tls =
    config.TLS_CERT_FILE && config.TLS_KEY_FILE
      ? { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE }
      : undefined;
  return {
    host: config.HOST,
    port: config.PORT,
    maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
    maxBackpressureBytes: config.MAX_BACKPRESSURE_BYTES,
    maxConnectionsPerAddress: config.MAX_CONNECTIONS_PER_ADDRESS,
    trustedProxies: config.TRUSTED_PROXIES,
    tls,
  };
}

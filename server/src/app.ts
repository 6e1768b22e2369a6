import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloseCode, encodeEvent, type RequestPacket } from '@imw/shared';
import { AccountService, accountHandlers, socialHandlers } from './accounts';
import { SocialService } from './accounts/social';
import { ClusterNode, clusterRoutes, createClusterBackend, Router, wsUrlOf } from './cluster';
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
import { adminRoutes, checkText, MessagingService, messagingHandlers } from './messaging';
import { createMetrics, Gateway, UwsServer, uwsImplementation } from './net';
import {
  createSessionHost,
  type LocalSession,
  PresenceService,
  presenceHandlers,
  ResumeService,
  Revocations,
  TicketSealer,
} from './presence';
import { SceneService, sceneHandlers, sceneSessionHost } from './scene';

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
    keyPrefix: config.REDIS_KEY_PREFIX,
    connectionName: nodeId,
    onRedisError: (err) => log.warn({ err }, 'redis error'),
  });

  // Modules refer to each other through small interfaces; these late-bound closures break the
  // construction cycles (gateway → presence → router → presence; presence → scenes → presence).
  let gateway: Gateway | null = null;
  let router: Router | null = null;
  let scenes: SceneService | null = null;
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
    revocations: new Revocations(database.db, clock, config.RESUME_TICKET_TTL_MS, log),
    onRemoteTakeover: (prev) => router?.release(prev.nodeId, prev.userId, prev.sessionId),
    onSessionEnded: (s) => scenes?.sessionEnded(s),
  });
  router = new Router(
    nodeId,
    cluster.bus,
    cluster.presence,
    {
      deliverLocal: (id, r) => presence.deliverLocal(id, r),
      deliverAllLocal: (r) => presence.deliverAllLocal(r),
      releaseTakenOver: (id, sid) => presence.releaseTakenOver(id, sid),
      holdForArrival: (id, r) => presence.holdForArrival(id, r),
      invalidate: (users, groups) => {
        for (const u of users) social.invalidateUser(u);
        for (const g of groups) social.invalidateGroup(g);
      },
    },
    log,
  );
  await router.start();
  const rt = router;
  /** Scenes with users on this node (the scene module reports them; none until it is wired). */
  let hostedScenes: () => string[] = () => [];
  // The node's public URL is filled in once it listens.
  const clusterNode: ClusterNode = new ClusterNode(
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
    {
      localSessions: () => presence.table.size,
      reapDeadNode: (id) => presence.reapDeadNode(id),
      nodesWithSessions: () => cluster.presence.nodesWithSessions(),
      // Every socket, not only sessions: one between its sys.hello and its login must hear it too.
      peersChanged: (nodes) => gateway?.broadcastAll(encodeEvent('sys.nodes', { nodes })),
      hostedScenes: () => hostedScenes(),
    },
    log,
  );
  const resume = new ResumeService(presence, tickets, accounts, clock, config.CHALLENGE_TTL_MS, (id, ttlMs) =>
    clusterNode.claimTicket(id, ttlMs),
  );

  /** R-CLU-32: moves one session to another node (drain, session cap, scene host). */
  const redirect = async (s: LocalSession, target: { nodeId: string; url: string }, reason: string) => {
    const ticket = presence.ticketFor(s, {
      id: clusterNode.newTicketId(),
      ttlMs: config.REDIRECT_TICKET_TTL_MS,
    });
    await presence.redirect(
      s,
      { nodeId: target.nodeId, wsUrl: wsUrlOf(target.url) },
      ticket,
      reason,
      (id, r) => rt.forward(id, r),
    );
  };
  /** Drain (R-CLU-32): stop taking sessions and move every one to the least-loaded other nodes. */
  const drain = async () => {
    clusterNode.draining = true;
    await clusterNode.releaseSceneLeases();
    let moved = 0;
    for (const s of [...presence.table.all()]) {
      const target = await clusterNode.pickOther();
      if (!target) break;
      await redirect(s, target, 'node draining');
      moved++;
    }
    return { moved, remaining: presence.table.size };
  };
  /**
   * Where a fresh login belongs (R-CLU-33, R-CLU-35): a draining or full node, or a scene hosted on
   * another node, answers REDIRECT with the node to log in on instead.
   */
  const placeLogin = async (mode: string, sceneId: string | null) => {
    let target: { url: string } | null = null;
    let why = '';
    if (clusterNode.draining) [target, why] = [await clusterNode.pickOther(), 'this node is draining'];
    if (!target && mode === 'scene' && sceneId) {
      [target, why] = [await clusterNode.sceneHost(sceneId), `scene ${sceneId} is hosted on another node`];
    }
    if (!target) [target, why] = [await clusterNode.overCapTarget(), 'this node is full'];
    if (target) throw new AppError('REDIRECT', why, { redirectUrl: wsUrlOf(target.url) });
  };
  const sessionHost = createSessionHost(presence);
  const placingSessionHost: typeof sessionHost = {
    ...sessionHost,
    async open(ctx, user, mode, sceneId, resumeKey, status) {
      await placeLogin(mode, sceneId);
      return sessionHost.open(ctx, user, mode, sceneId, resumeKey, status);
    },
  };
  const summaryOf = async (userId: number) => {
    const u = await social.userSummary(userId);
    if (!u) throw new AppError('NOT_FOUND', 'no such user');
    return u;
  };
  const removeAccount = async (userId: number) => {
    const r = await social.onUserDeleted(userId, { deleteUserRow: true });
    route(r.friendIds, [encodeEvent('friends.removed', { userId })]);
    for (const g of r.groups) {
      if (g.result.kind !== 'left') continue;
      const rest = await social.memberIds(g.groupId);
      const newOwnerId = g.result.newOwnerId;
      route(rest, [
        encodeEvent('groups.memberLeft', {
          groupId: g.groupId,
          userId,
          ...(newOwnerId ? { newOwnerId } : {}),
        }),
      ]);
    }
  };

  const messaging = new MessagingService(nodeId, clock, config, social, {
    route,
    broadcast: (records) => rt.broadcast(records),
  });
  // Senders are local sessions: their name is at hand, no database read per message.
  const displayNameOf = async (userId: number) =>
    presence.table.byUserId(userId)?.displayName ??
    (await accounts.userById(userId))?.displayName ??
    'unknown';
  const mapsDir = config.MAPS_DIR ?? resolve(ROOT, 'server/maps');
  const sc = await SceneService.load(existsSync(mapsDir) ? mapsDir : null, {
    nodeId,
    clock,
    config,
    presence,
    displayNameOf,
    checkText,
    log,
    congested: (userId) => {
      const s = presence.table.byUserId(userId);
      if (s?.link.state !== 'attached') return false;
      return (gateway?.bufferedAmount(s.link.socketId) ?? 0) > config.SCENE_HOLD_BACKPRESSURE_BYTES;
    },
    onViewDelay: (ms) => metrics.sceneViewDelay.observe(ms / 1000),
  });
  scenes = sc;
  hostedScenes = () => sc.hostedSceneIds();

  const handlers: HandlerMap = {
    'sys.heartbeat': () => ({ serverTimeMs: clock.now() }),
    ...accountHandlers(accounts, sceneSessionHost(placingSessionHost, sc), removeAccount, (p) => {
      const s = presence.table.byUserId(p.userId);
      if (s) s.displayName = p.displayName;
    }),
    ...presenceHandlers(presence, resume, async (s) => {
      if (s.mode !== 'scene') return null;
      const enter = await sc.prepareResumeEntry(s.userId, s.sceneId);
      return enter ? () => enter(s.sessionId) : null;
    }),
    ...socialHandlers({
      social,
      statuses: (ids) => presence.statuses(ids),
      route,
      summaryOf,
      changed: (users, groups) => rt.invalidate(users, groups),
    }),
    ...messagingHandlers(messaging, displayNameOf),
    ...sceneHandlers(sc),
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
    peers: () => clusterNode.peerUrls(),
  });
  const gw = gateway;

  const webDir = config.WEB_DIR ?? resolve(ROOT, 'web-client/dist');
  const routes = [
    ...adminRoutes(messaging, config.ADMIN_TOKEN),
    ...clusterRoutes(clusterNode, drain, config.ADMIN_TOKEN),
  ];
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
      trustedProxies: config.TRUSTED_PROXIES,
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
  const scheme0 = config.TLS_CERT_FILE ? 's' : '';
  const host0 = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const publicUrl = config.PUBLIC_URL ?? `http${scheme0}://${host0}:${port}`;
  clusterNode.setUrl(publicUrl);
  await clusterNode.start();
  const cn = clusterNode;
  const sweeper = setInterval(() => {
    gw.sweep();
    accounts.sweep();
    resume.sweep();
    presence.sweep();
  }, 1000);
  sweeper.unref();
  const httpUrl = publicUrl;
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
    cluster: cn,
    drain,
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        sc.close();
        await cn.stop();
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

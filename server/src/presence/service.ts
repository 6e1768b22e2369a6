import {
  CloseCode,
  ClosePolicy,
  encodeEvent,
  type LoginMode,
  type VisibleStatus,
  type WireRecord,
} from '@imw/shared';
import type { Bus } from '../cluster';
import type { Clock, Config, Logger, Metrics, Port } from '../core';
import { Delivery, type RelationCaches } from './delivery';
import { type LocalSession, SessionTable, type SocketSink } from './sessions';
import type { PresenceRecord, PresenceStatus, PresenceStore } from './store';
import type { TicketSealer } from './tickets';
import { visibleOfUser, visibleStatus } from './visibility';

/** Accounts, for the name of a user who has no session here. */
export interface UserDirectory {
  userById(userId: number): Promise<{ displayName: string } | undefined>;
}

export interface FriendDirectory {
  friendIds(userId: number): Promise<number[]>;
}

/** Hears that another node put one of the user's sessions in its world (R-DEV-6; scenes). */
export interface AvatarListener {
  avatarEnteredElsewhere(userId: number, sessionId: string, atMs: number): void;
}

/** Hears that a session ended for good (scenes forget the user). */
export interface SessionEndListener {
  sessionEnded(s: LocalSession, reason: EndReason): void;
}

export type EndReason =
  | 'logout'
  | 'deleted'
  | 'timeout'
  | 'grace'
  | 'overflow'
  | 'evicted'
  | 'ended-elsewhere'
  | 'protocol'
  | 'redirected';

/** WebSocket 1006: the socket is gone without a close frame; the session waits for a resume. */
export const SOCKET_LOST = 1006;

type PresenceConfig = Pick<
  Config,
  'RESUME_GRACE_MS' | 'RESUME_QUEUE_MAX' | 'RESUME_TICKET_TTL_MS' | 'MAX_SESSIONS_PER_USER'
>;

/** What presence needs of revocations.ts (a database-backed set of ended session ids). */
export interface SessionRevocations {
  revoke(sessionId: string, expiresAtMs?: number): Promise<void>;
  /** Records `key` unless it is recorded already: true for the first caller on any node. */
  claim(key: string, expiresAtMs: number): Promise<boolean>;
  isRevoked(sessionId: string): Promise<boolean>;
  /** Revoked by this node: known without I/O. */
  revokedHere(sessionId: string): boolean;
  sweep(): void;
}

export interface PresenceDeps {
  nodeId: string;
  clock: Clock;
  config: PresenceConfig;
  store: PresenceStore;
  /** The cluster's bus: delivery to users on other nodes. */
  bus: Bus;
  /** The in-process cluster backend: no other node exists (delivery skips lookups for local users). */
  singleNode?: boolean;
  /** The gateway, bound in the composition root's wire step. */
  sink: Port<SocketSink>;
  friends: FriendDirectory & RelationCaches;
  users: UserDirectory;
  tickets: TicketSealer;
  metrics: Metrics;
  log: Logger;
  /** Ended sessions, shared by all nodes and kept across restarts (R-RES-4). */
  revocations: SessionRevocations;
}

/**
 * Seed module 3, client state: who is online on this node, their status and mode, the resume
 * grace, and the status notices to friends. The cluster-wide view lives in the PresenceStore.
 */
export class PresenceService {
  readonly table = new SessionTable();
  /**
   * Packets for users on their way here (redirected from another node, not yet resumed): kept
   * for the resume grace and handed over when the session arrives (R-CLU-32).
   */
  private readonly arrivals = new Map<number, { records: WireRecord[]; expiresAtMs: number }>();

  /** Delivery to users wherever they are connected: this node first, else the bus. */
  readonly delivery: Delivery;
  /** Told when a session ends for good (scenes); filled in by the composition root. */
  readonly endListeners: SessionEndListener[] = [];
  /** Told when another node puts one of a user's sessions in its world (scenes); likewise. */
  readonly avatarListeners: AvatarListener[] = [];

  constructor(private readonly d: PresenceDeps) {
    this.delivery = new Delivery(d.nodeId, d.bus, d.store, this, d.friends, d.log, d.singleNode ?? false);
  }

  start(): Promise<void> {
    return this.delivery.start();
  }

  private get sink(): SocketSink {
    return this.d.sink.use;
  }

  private ended(s: LocalSession, reason: EndReason): void {
    for (const l of this.endListeners) l.sessionEnded(s, reason);
  }

  /**
   * R-DEV-1: a login adds a session; the user's others stay. One status per user (R-DEV-5): a
   * login that names a status sets it on every session, one that does not takes the others'.
   * Past MAX_SESSIONS_PER_USER the oldest sessions end with 4017 (R-DEV-2). Friends hear only a
   * change of what they see: a second device of an online user is no news.
   */
  async login(
    socketId: string,
    user: { id: number; username: string; displayName: string },
    mode: LoginMode,
    sceneId: string | null,
    resumeKey: Uint8Array,
    sessionId: string,
    /** R-PRS-3: what the user arrives as; invisible arrives unseen. Absent: as the other sessions. */
    status: PresenceStatus | undefined,
    device = 'unknown',
  ): Promise<LocalSession> {
    const existing = await this.d.store.get(user.id);
    const before = visibleOfUser(existing);
    const s: LocalSession = {
      sessionId,
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      mode,
      sceneId,
      status: status ?? existing[0]?.status ?? 'online',
      loginAtMs: this.d.clock.now(),
      device,
      resumeKey,
      ticketGeneration: 0,
      ticketExpiresAtMs: 0,
      link: { state: 'attached', socketId },
    };
    this.table.add(s);
    this.d.metrics.sessions.set(this.table.size);
    const others = await this.d.store.put(this.record(s));
    if (others.some((o) => o.status !== s.status)) await this.spreadStatus(s, others);
    const excess = others.length + 1 - Math.max(1, this.d.config.MAX_SESSIONS_PER_USER);
    for (const old of others.slice(0, Math.max(0, excess))) {
      await this.endSession(old, CloseCode.SESSION_LIMIT, 'too many sessions: ended by a newer login');
    }
    const after = visibleStatus(s);
    if (before !== after) void this.notifyFriends(s.userId, after);
    return s;
  }

  /** R-DEV-5: the user's status is now `s.status` on every session, here and on other nodes. */
  private async spreadStatus(s: LocalSession, others: readonly PresenceRecord[]): Promise<void> {
    await this.d.store.setStatus(s.userId, s.status);
    this.ownStatusChanged(s.userId, s.status, s.sessionId);
    this.delivery.ownStatus(new Set(others.map((o) => o.nodeId)), s.userId, s.status);
  }

  /** The sessions of the user here take the status; all but `from` are told (presence.self). */
  ownStatusChanged(userId: number, status: PresenceStatus, from?: string): void {
    for (const l of this.table.ofUser(userId)) {
      const changed = l.status !== status;
      l.status = status;
      if (changed && l.sessionId !== from)
        this.deliverToSession(l.sessionId, [encodeEvent('presence.self', { status })]);
    }
  }

  /**
   * Ends one session of a user wherever it lives (session.end, the per-user cap): its ticket is
   * void and its record gone before this returns; its socket closes with `code`. Friends hear
   * nothing here: the user still has the session that asked.
   */
  async endSession(
    rec: Pick<PresenceRecord, 'userId' | 'sessionId' | 'nodeId'>,
    code: number,
    reason: string,
  ): Promise<void> {
    if (rec.nodeId === this.d.nodeId) {
      this.releaseEnded(rec.userId, rec.sessionId, code, reason);
    } else {
      this.delivery.release(rec.nodeId, rec.userId, rec.sessionId, code);
      await this.d.store.remove(rec.userId, rec.sessionId);
    }
    await this.revoke(rec.sessionId);
  }

  /** Ends a session on this node at another session's request: told why, closed, forgotten. */
  releaseEnded(userId: number, sessionId: string, code: number, reason = 'ended from another session'): void {
    const s = this.table.bySessionId(sessionId);
    if (!s || s.userId !== userId) return;
    if (s.link.state === 'attached') {
      this.sink.send(s.link.socketId, encodeEvent('session.closing', { reason, closeCode: code }));
      this.sink.closeSocket(s.link.socketId, code);
    }
    void this.end(s, code === CloseCode.SESSION_LIMIT ? 'evicted' : 'ended-elsewhere');
  }

  ticketFor(s: LocalSession, once?: { id: string; ttlMs: number }): string {
    const expiresAtMs = this.d.clock.now() + (once ? once.ttlMs : this.d.config.RESUME_TICKET_TTL_MS);
    // R-SEC-34: the session's end is kept as long as its longest-lived ticket, no longer.
    s.ticketExpiresAtMs = Math.max(s.ticketExpiresAtMs, expiresAtMs);
    return this.d.tickets.seal({
      userId: s.userId,
      sessionId: s.sessionId,
      resumeKey: s.resumeKey,
      expiresAtMs,
      mode: s.mode,
      sceneId: s.sceneId,
      once: once?.id,
      generation: s.ticketGeneration,
    });
  }

  /**
   * R-SEC-30: moves the session to its next ticket generation and hands the socket the new ticket;
   * the tickets sealed before are void everywhere (their generation is marked used).
   */
  async renewTicket(s: LocalSession): Promise<void> {
    const old = s.ticketGeneration;
    const oldUntil = s.ticketExpiresAtMs || undefined;
    s.ticketGeneration = old + 1;
    if (s.link.state === 'attached') {
      this.sink.send(s.link.socketId, encodeEvent('session.ticket', { resumeToken: this.ticketFor(s) }));
    }
    await this.d.revocations.revoke(generationKey(s.sessionId, old), oldUntil);
  }

  record(s: LocalSession): PresenceRecord {
    return {
      userId: s.userId,
      sessionId: s.sessionId,
      nodeId: this.d.nodeId,
      status: s.status,
      mode: s.mode,
      sceneId: s.sceneId,
      loginAtMs: s.loginAtMs,
      device: s.device,
    };
  }

  /** R-DEV-5: one status for all the user's sessions; friends hear one notice, not one per device. */
  async setStatus(s: LocalSession, status: PresenceStatus): Promise<void> {
    const before = visibleStatus(s);
    s.status = status;
    const others = (await this.d.store.get(s.userId)).filter((r) => r.sessionId !== s.sessionId);
    await this.spreadStatus(s, others);
    const after = visibleStatus(s);
    if (after !== before) void this.notifyFriends(s.userId, after);
  }

  async setMode(s: LocalSession, mode: LoginMode, sceneId: string | null): Promise<void> {
    const changed = s.mode !== mode || s.sceneId !== sceneId;
    s.mode = mode;
    s.sceneId = sceneId;
    // R-RES-5: the client's ticket names the old scene; hand it one that names the new. Only to a
    // live socket: a ticket queued for a detached session would arrive after the resume result
    // and replace its newer ticket with one sealed under the old resume key.
    // R-SEC-30: a new generation, so the ticket naming the old scene no longer resumes.
    if (changed && s.link.state === 'attached') void this.renewTicket(s);
    await this.d.store.update(s.userId, s.sessionId, { mode, sceneId });
  }

  /** The transport lost the socket: end at once, or hold the session for a resume. */
  socketClosed(socketId: string, code: number): void {
    const s = this.table.bySocketId(socketId);
    if (!s) return;
    if (ClosePolicy.endsSessionAtOnce.has(code) || this.d.config.RESUME_GRACE_MS === 0) {
      void this.end(s, code === CloseCode.HEARTBEAT_TIMEOUT ? 'timeout' : 'protocol');
      return;
    }
    const timer = setTimeout(() => void this.end(s, 'grace'), this.d.config.RESUME_GRACE_MS);
    timer.unref?.();
    this.table.detach(s, { state: 'detached', since: this.d.clock.now(), timer, queue: [] });
  }

  /** Ends a session for good: forget it, void its tickets, tell friends (unless invisible). */
  async end(s: LocalSession, reason: EndReason): Promise<void> {
    if (this.table.bySessionId(s.sessionId) !== s) return;
    this.table.remove(s);
    const revoked = this.revoke(s.sessionId, s.ticketExpiresAtMs);
    this.d.metrics.sessions.set(this.table.size);
    if (s.link.state === 'attached' && reason === 'overflow') {
      this.sink.closeSocket(s.link.socketId, CloseCode.SLOW_READER);
    }
    this.ended(s, reason);
    let left: PresenceRecord[] = [];
    try {
      await this.d.store.remove(s.userId, s.sessionId);
      left = await this.d.store.get(s.userId);
    } catch (err) {
      this.d.log.warn({ err, userId: s.userId }, 'presence store remove failed');
    }
    // Friends hear it at once, even while the database is slow, and only when the last visible
    // session went (R-DEV-3); a logout is answered only once its ticket is void on every node
    // (R-RES-4).
    if (visibleStatus(s) !== 'offline' && visibleOfUser(left) === 'offline') {
      void this.notifyFriends(s.userId, 'offline');
    }
    await revoked;
  }

  /**
   * Delivery to a user with a session on this node: straight to the socket, or into the resume
   * queue while detached. A queue that overflows ends the session (a fresh login reloads state)
   * rather than dropping packets silently.
   */
  deliverLocal(userId: number, records: readonly WireRecord[], exceptSession?: string): boolean {
    const mine = this.table.ofUser(userId);
    for (const s of mine) if (s.sessionId !== exceptSession) this.deliverToSession(s.sessionId, records);
    return mine.length > 0;
  }

  hasSession(sessionId: string): boolean {
    return this.table.bySessionId(sessionId) !== undefined;
  }

  /** To one session here: its socket, or its resume queue while detached. */
  deliverToSession(sessionId: string, records: readonly WireRecord[]): boolean {
    const s = this.table.bySessionId(sessionId);
    if (!s) return false;
    if (records.length === 0) return true;
    if (s.link.state === 'attached') return this.sink.sendMany(s.link.socketId, records);
    if (s.link.queue.length + records.length > this.d.config.RESUME_QUEUE_MAX) {
      void this.end(s, 'overflow');
      return false;
    }
    s.link.queue.push(...records);
    return true;
  }

  deliverAllLocal(records: readonly WireRecord[]): number {
    let n = 0;
    for (const s of [...this.table.all()]) if (this.deliverToSession(s.sessionId, records)) n++;
    return n;
  }

  /** Holds packets for a user the cluster routes here before their session has arrived. */
  holdForArrival(userId: number, records: readonly WireRecord[]): void {
    let a = this.arrivals.get(userId);
    if (!a) {
      a = { records: [], expiresAtMs: this.d.clock.now() + this.d.config.RESUME_GRACE_MS };
      this.arrivals.set(userId, a);
    }
    if (a.records.length + records.length <= this.d.config.RESUME_QUEUE_MAX) a.records.push(...records);
    else this.d.log.warn({ userId }, 'arrival queue full; packets dropped');
  }

  takeArrivals(userId: number): WireRecord[] {
    const a = this.arrivals.get(userId);
    this.arrivals.delete(userId);
    return a?.records ?? [];
  }

  /**
   * R-CLU-32: hands a session to another node. The presence record points there first, so new
   * packets go straight to the target (which holds them until the client arrives); then the
   * client is told where to go and this node forgets the session, without any notice to friends.
   */
  async redirect(
    s: LocalSession,
    target: { nodeId: string; wsUrl: string },
    ticket: string,
    reason: string,
  ): Promise<void> {
    if (this.table.bySessionId(s.sessionId) !== s) return;
    await this.d.store.update(s.userId, s.sessionId, { nodeId: target.nodeId });
    this.table.remove(s);
    this.d.metrics.sessions.set(this.table.size);
    this.ended(s, 'redirected');
    if (s.link.state === 'attached') {
      this.sink.send(
        s.link.socketId,
        encodeEvent('session.redirect', { url: target.wsUrl, resumeToken: ticket, reason }),
      );
      this.sink.closeSocket(s.link.socketId, CloseCode.REDIRECT);
    } else if (s.link.queue.length) {
      this.delivery.forward(s.userId, s.link.queue);
    }
  }

  /** Re-binds a resumed session to its new socket and hands back what was queued meanwhile. */
  reattach(s: LocalSession, socketId: string): WireRecord[] {
    const queued = s.link.state === 'detached' ? s.link.queue : [];
    if (s.link.state === 'attached' && s.link.socketId !== socketId) {
      this.sink.closeSocket(s.link.socketId, CloseCode.REPLACED, 'resumed on another connection');
    }
    this.table.attach(s, socketId);
    return queued;
  }

  /** Adds a session re-created from a ticket (node restart or redirect). */
  async adopt(s: LocalSession): Promise<boolean> {
    const existing = await this.d.store.get(s.userId);
    const seamless = existing.some((r) => r.sessionId === s.sessionId);
    const others = existing.filter((r) => r.sessionId !== s.sessionId);
    // One status per user (R-DEV-5): the user's other sessions say what it is now.
    if (others[0]) s.status = others[0].status;
    this.table.add(s);
    this.d.metrics.sessions.set(this.table.size);
    await this.d.store.put(this.record(s));
    const before = visibleOfUser(existing);
    if (before !== visibleStatus(s)) void this.notifyFriends(s.userId, visibleStatus(s));
    return seamless;
  }

  /**
   * R-DEV-6 across nodes: session `sessionId` of the user entered the world here at `atMs`; the
   * other nodes where the user has a scene-mode session hear it over the bus (scenes are per
   * node, so a second device may be in a scene hosted elsewhere). Best effort, not awaited by the
   * join: a lost notice leaves a second avatar until either device joins again.
   */
  announceAvatar(userId: number, sessionId: string, atMs: number): void {
    this.d.store
      .get(userId)
      .then((recs) => {
        const nodes = new Set<string>();
        for (const r of recs)
          if (r.sessionId !== sessionId && r.mode === 'scene' && r.nodeId !== this.d.nodeId)
            nodes.add(r.nodeId);
        if (nodes.size > 0) this.delivery.avatarEntered(nodes, userId, sessionId, atMs);
      })
      .catch((err: unknown) => this.d.log.warn({ err, userId }, 'avatar notice failed'));
  }

  avatarEnteredElsewhere(userId: number, sessionId: string, atMs: number): void {
    for (const l of this.avatarListeners) l.avatarEnteredElsewhere(userId, sessionId, atMs);
  }

  /**
   * R-RCP-3, R-TYP-4: whether the user is invisible, read from their session on this node (one
   * status per user, R-DEV-5, so the asking session's is the user's). No session here: false.
   */
  isInvisibleHere(userId: number): boolean {
    const [s] = this.table.ofUser(userId);
    return s?.status === 'invisible';
  }

  /** R-DEV-4: the user's sessions on every node, oldest first. */
  sessionsOf(userId: number): Promise<PresenceRecord[]> {
    return this.d.store.get(userId);
  }

  async statuses(userIds: readonly number[]): Promise<Map<number, VisibleStatus>> {
    const recs = await this.d.store.getMany(userIds);
    const out = new Map<number, VisibleStatus>();
    for (const id of userIds) out.set(id, visibleOfUser(recs.get(id)));
    return out;
  }

  async notifyFriends(userId: number, status: VisibleStatus): Promise<void> {
    try {
      const ids = await this.d.friends.friendIds(userId);
      if (ids.length) this.delivery.route(ids, [encodeEvent('presence.changed', { userId, status })]);
    } catch (err) {
      this.d.log.warn({ err, userId }, 'presence notice failed');
    }
  }

  /**
   * R-SEC-30: marks a ticket generation used, cluster-wide; false when it was used already (or
   * the session ended). Throws when the database cannot answer.
   */
  claimGeneration(sessionId: string, generation: number, expiresAtMs: number): Promise<boolean> {
    return this.d.revocations.claim(generationKey(sessionId, generation), expiresAtMs);
  }

  generationUsedHere(sessionId: string, generation: number): boolean {
    return this.d.revocations.revokedHere(generationKey(sessionId, generation));
  }

  isRevoked(sessionId: string): Promise<boolean> {
    return this.d.revocations.isRevoked(sessionId);
  }

  endedHere(sessionId: string): boolean {
    return this.d.revocations.revokedHere(sessionId);
  }

  /** Never throws (revocations.ts logs a database failure and keeps the revocation locally). */
  revoke(sessionId: string, ticketExpiresAtMs?: number): Promise<void> {
    return this.d.revocations.revoke(sessionId, ticketExpiresAtMs || undefined);
  }

  sweep(): void {
    const now = this.d.clock.now();
    this.reconcile();
    this.d.revocations.sweep();
    for (const [id, a] of this.arrivals) if (a.expiresAtMs < now) this.arrivals.delete(id);
  }

  /**
   * R-SEC-35: a session attached to a socket the gateway no longer has (its close was reported
   * before the session was bound to it) is treated as if the socket dropped now.
   */
  reconcile(): void {
    for (const s of [...this.table.all()]) {
      if (s.link.state === 'attached' && !this.sink.isOpen(s.link.socketId)) {
        this.d.log.warn({ userId: s.userId }, 'session attached to a closed socket; detached');
        this.socketClosed(s.link.socketId, SOCKET_LOST);
      }
    }
  }

  /** Sessions of a node that died and did not come back within the grace: gone, friends told. */
  async reapDeadNode(nodeId: string): Promise<number> {
    let n = 0;
    for (const rec of await this.d.store.listByNode(nodeId)) {
      if (await this.d.store.remove(rec.userId, rec.sessionId)) {
        n++;
        await this.revoke(rec.sessionId);
        const left = visibleOfUser(await this.d.store.get(rec.userId));
        if (visibleStatus(rec) !== 'offline' && left === 'offline')
          void this.notifyFriends(rec.userId, 'offline');
      }
    }
    return n;
  }

  /** Shutdown: forget local sessions without notices (a draining node redirects first). */
  async dropAll(): Promise<void> {
    for (const s of [...this.table.all()]) {
      this.table.remove(s);
      await this.d.store.remove(s.userId, s.sessionId).catch(() => false);
    }
  }

  /** After dropAll: stop hearing the bus and close the store (the backend owns its connection). */
  async stop(): Promise<void> {
    await this.delivery.stop();
    await this.d.store.close();
  }

  /** Placement's view (cluster): the sessions on this node. */
  localSessions(): LocalSession[] {
    return [...this.table.all()];
  }

  get localCount(): number {
    return this.table.size;
  }

  /** R-CLU-32: redirects a session with a single-use ticket (placement picks the target). */
  async moveTo(
    s: LocalSession,
    target: { nodeId: string; wsUrl: string },
    once: { id: string; ttlMs: number },
    reason: string,
  ): Promise<void> {
    await this.redirect(s, target, this.ticketFor(s, once), reason);
  }

  /** The profile changed: the session keeps the display name it shows others. */
  profileChanged(p: { userId: number; displayName: string }): void {
    for (const s of this.table.ofUser(p.userId)) s.displayName = p.displayName;
  }

  /** Senders are usually local sessions: their name is at hand, no database read per message. */
  async displayNameOf(userId: number): Promise<string> {
    const local = this.table.ofUser(userId)[0]?.displayName;
    return local ?? (await this.d.users.userById(userId))?.displayName ?? 'unknown';
  }

  /** R-LIM-15: the session's socket holds more than `limitBytes` not yet written out. */
  congested(sessionId: string, limitBytes: number): boolean {
    const s = this.table.bySessionId(sessionId);
    if (s?.link.state !== 'attached') return false;
    return this.sink.bufferedAmount(s.link.socketId) > limitBytes;
  }

  /** Node ids the presence store still has sessions for (the cluster janitor asks). */
  nodesWithSessions(): Promise<string[]> {
    return this.d.store.nodesWithSessions();
  }

  /** R-ADM-5, R-MOD-2: ends every session of the user wherever it lives, closed with `code`. */
  async endUser(userId: number, code: number, reason: string): Promise<number> {
    const recs = await this.d.store.get(userId);
    for (const r of recs) await this.endSession(r, code, reason);
    return recs.length;
  }

  /** Whether both users have a session in one scene right now (R-RPT-3: they can see each other). */
  async shareScene(a: number, b: number): Promise<boolean> {
    const m = await this.d.store.getMany([a, b]);
    const scenesOfA = new Set((m.get(a) ?? []).map((r) => r.sceneId).filter((s) => s !== null));
    return (m.get(b) ?? []).some((r) => r.sceneId !== null && scenesOfA.has(r.sceneId));
  }

  /**
   * Every user with a session anywhere, with their one status (the operator console's count,
   * R-ADM-2). Invisible users are in it: only a caller that names nobody may use it.
   */
  async onlineUsers(): Promise<Map<number, PresenceStatus>> {
    const out = new Map<number, PresenceStatus>();
    for (const nodeId of await this.d.store.nodesWithSessions()) {
      for (const r of await this.d.store.listByNode(nodeId)) out.set(r.userId, r.status);
    }
    return out;
  }
}

/** The revocation key of one ticket generation of a session (kept with ended sessions). */
const generationKey = (sessionId: string, generation: number): string => `${sessionId}#${generation}`;

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
import { visibleStatus } from './visibility';

/** Accounts, for the name of a user who has no session here. */
export interface UserDirectory {
  userById(userId: number): Promise<{ displayName: string } | undefined>;
}

export interface FriendDirectory {
  friendIds(userId: number): Promise<number[]>;
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
  | 'taken-over'
  | 'protocol'
  | 'redirected';

/** WebSocket 1006: the socket is gone without a close frame; the session waits for a resume. */
export const SOCKET_LOST = 1006;

type PresenceConfig = Pick<Config, 'RESUME_GRACE_MS' | 'RESUME_QUEUE_MAX' | 'RESUME_TICKET_TTL_MS'>;

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

  constructor(private readonly d: PresenceDeps) {
    this.delivery = new Delivery(d.nodeId, d.bus, d.store, this, d.friends, d.log);
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

  /** Another node held this user's session: tell it to let go. */
  private tookOverRemote(prev: PresenceRecord | undefined): void {
    if (prev && prev.nodeId !== this.d.nodeId)
      this.delivery.release(prev.nodeId, prev.userId, prev.sessionId);
  }

  async login(
    socketId: string,
    user: { id: number; username: string; displayName: string },
    mode: LoginMode,
    sceneId: string | null,
    resumeKey: Uint8Array,
    sessionId: string,
    /** R-PRS-3: what the user arrives as; invisible arrives unseen. */
    status: PresenceStatus = 'online',
  ): Promise<LocalSession> {
    const local = this.table.byUserId(user.id);
    if (local) this.takeOver(local);
    const s: LocalSession = {
      sessionId,
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      mode,
      sceneId,
      status,
      loginAtMs: this.d.clock.now(),
      resumeKey,
      ticketGeneration: 0,
      ticketExpiresAtMs: 0,
      link: { state: 'attached', socketId },
    };
    this.table.add(s);
    this.d.metrics.sessions.set(this.table.size);
    const prev = await this.d.store.put(this.record(s));
    this.tookOverRemote(prev);
    // The replaced session's ticket is void before this login is answered, wherever it lives
    // (its own node also revokes it when the takeover reaches it, but that is asynchronous).
    if (prev && prev.sessionId !== s.sessionId) await this.revoke(prev.sessionId);
    // R-SES-1: a takeover is no logout/login to friends; only a visible change is announced.
    const before = local ? visibleStatus(local) : visibleStatus(prev);
    const after = visibleStatus(s);
    if (before !== after) void this.notifyFriends(s.userId, after);
    return s;
  }

  /** The old session of a user who logged in again: told why, closed, and forgotten quietly. */
  private takeOver(old: LocalSession): void {
    this.table.remove(old);
    void this.revoke(old.sessionId, old.ticketExpiresAtMs);
    if (old.link.state === 'attached') {
      this.sink.send(
        old.link.socketId,
        encodeEvent('session.closing', {
          reason: 'replaced by a newer login',
          closeCode: CloseCode.REPLACED,
        }),
      );
      this.sink.closeSocket(old.link.socketId, CloseCode.REPLACED);
    }
    this.ended(old, 'taken-over');
  }

  /** A session on another node took this user over: drop ours without notices. */
  releaseTakenOver(userId: number, sessionId: string): void {
    const s = this.table.bySessionId(sessionId);
    if (s && s.userId === userId) this.takeOver(s);
    this.d.metrics.sessions.set(this.table.size);
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
    };
  }

  async setStatus(s: LocalSession, status: PresenceStatus): Promise<void> {
    const before = visibleStatus(s);
    s.status = status;
    await this.d.store.update(s.userId, s.sessionId, { status });
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
    try {
      await this.d.store.remove(s.userId, s.sessionId);
    } catch (err) {
      this.d.log.warn({ err, userId: s.userId }, 'presence store remove failed');
    }
    // Friends hear it at once, even while the database is slow; a logout is answered only once
    // its ticket is void on every node (R-RES-4).
    if (visibleStatus(s) !== 'offline') void this.notifyFriends(s.userId, 'offline');
    await revoked;
  }

  /**
   * Delivery to a user with a session on this node: straight to the socket, or into the resume
   * queue while detached. A queue that overflows ends the session (a fresh login reloads state)
   * rather than dropping packets silently.
   */
  deliverLocal(userId: number, records: readonly WireRecord[]): boolean {
    const s = this.table.byUserId(userId);
    if (!s) return false;
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
    for (const s of this.table.all()) if (this.deliverLocal(s.userId, records)) n++;
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
    this.table.add(s);
    this.d.metrics.sessions.set(this.table.size);
    const prev = await this.d.store.put(this.record(s));
    this.tookOverRemote(prev);
    const seamless = prev?.sessionId === s.sessionId;
    if (!seamless && visibleStatus(s) !== 'offline') void this.notifyFriends(s.userId, visibleStatus(s));
    return seamless;
  }

  async statuses(userIds: readonly number[]): Promise<Map<number, VisibleStatus>> {
    const recs = await this.d.store.getMany(userIds);
    const out = new Map<number, VisibleStatus>();
    for (const id of userIds) out.set(id, visibleStatus(recs.get(id)));
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
        if (visibleStatus(rec) !== 'offline') void this.notifyFriends(rec.userId, 'offline');
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
    const s = this.table.byUserId(p.userId);
    if (s) s.displayName = p.displayName;
  }

  /** Senders are usually local sessions: their name is at hand, no database read per message. */
  async displayNameOf(userId: number): Promise<string> {
    const local = this.table.byUserId(userId)?.displayName;
    return local ?? (await this.d.users.userById(userId))?.displayName ?? 'unknown';
  }

  /** R-LIM-15: the user's socket holds more than `limitBytes` not yet written out. */
  congested(userId: number, limitBytes: number): boolean {
    const s = this.table.byUserId(userId);
    if (s?.link.state !== 'attached') return false;
    return this.sink.bufferedAmount(s.link.socketId) > limitBytes;
  }

  /** Node ids the presence store still has sessions for (the cluster janitor asks). */
  nodesWithSessions(): Promise<string[]> {
    return this.d.store.nodesWithSessions();
  }
}

/** The revocation key of one ticket generation of a session (kept with ended sessions). */
const generationKey = (sessionId: string, generation: number): string => `${sessionId}#${generation}`;

import type { LoginMode, WireRecord } from '@imw/shared';
import type { SessionRef } from '../core';
import type { PresenceStatus } from './store';

/** What presence needs from the network module: send to a socket, close a socket. */
export interface SocketSink {
  send(socketId: string, record: WireRecord): boolean;
  sendMany(socketId: string, records: readonly WireRecord[]): boolean;
  closeSocket(socketId: string, code: number, reason?: string): void;
  /** The socket is still connected: a session bound to one that is not is a ghost (R-SEC-35). */
  isOpen(socketId: string): boolean;
  /** Bytes the socket has not written out yet (backpressure). */
  bufferedAmount(socketId: string): number;
}

/**
 * A session on this node. `link` says whether a socket is behind it right now: while `detached`
 * (the socket dropped) the session lives on for the resume grace and queues what it is sent.
 */
export interface LocalSession extends SessionRef {
  /** Kept here so that messages from this user need no database read for the sender's name. */
  displayName: string;
  mode: LoginMode;
  sceneId: string | null;
  status: PresenceStatus;
  loginAtMs: number;
  /** The login's device label (R-DEV-4). */
  device: string;
  resumeKey: Uint8Array;
  /** R-SEC-30: the generation of the newest ticket; older ones are void. */
  ticketGeneration: number;
  /** When the newest ticket handed out expires: how long the session's end must be kept. */
  ticketExpiresAtMs: number;
  link:
    | { state: 'attached'; socketId: string }
    | { state: 'detached'; since: number; timer: ReturnType<typeof setTimeout>; queue: WireRecord[] };
}

/**
 * The seed's "recent login cache" on this node: sessions by id, by socket and by user. A user
 * may have several sessions here at once (devices, tabs; R-DEV-1).
 */
export class SessionTable {
  private readonly bySession = new Map<string, LocalSession>();
  private readonly bySocket = new Map<string, LocalSession>();
  private readonly byUser = new Map<number, Set<LocalSession>>();

  add(s: LocalSession): void {
    this.bySession.set(s.sessionId, s);
    let mine = this.byUser.get(s.userId);
    if (!mine) {
      mine = new Set();
      this.byUser.set(s.userId, mine);
    }
    mine.add(s);
    if (s.link.state === 'attached') this.bySocket.set(s.link.socketId, s);
  }

  remove(s: LocalSession): void {
    if (s.link.state === 'detached') clearTimeout(s.link.timer);
    if (this.bySession.get(s.sessionId) === s) this.bySession.delete(s.sessionId);
    if (s.link.state === 'attached' && this.bySocket.get(s.link.socketId) === s)
      this.bySocket.delete(s.link.socketId);
    const mine = this.byUser.get(s.userId);
    mine?.delete(s);
    if (mine?.size === 0) this.byUser.delete(s.userId);
  }

  attach(s: LocalSession, socketId: string): void {
    if (s.link.state === 'attached') this.bySocket.delete(s.link.socketId);
    else clearTimeout(s.link.timer);
    s.link = { state: 'attached', socketId };
    this.bySocket.set(socketId, s);
  }

  detach(s: LocalSession, link: Extract<LocalSession['link'], { state: 'detached' }>): void {
    if (s.link.state === 'attached') this.bySocket.delete(s.link.socketId);
    s.link = link;
  }

  bySocketId(socketId: string): LocalSession | undefined {
    return this.bySocket.get(socketId);
  }

  /** The user's sessions on this node (none: an empty list). */
  ofUser(userId: number): LocalSession[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  hasUser(userId: number): boolean {
    return this.byUser.has(userId);
  }

  bySessionId(sessionId: string): LocalSession | undefined {
    return this.bySession.get(sessionId);
  }

  get size(): number {
    return this.bySession.size;
  }

  all(): IterableIterator<LocalSession> {
    return this.bySession.values();
  }
}

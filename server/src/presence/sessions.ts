import { randomBytes } from 'node:crypto';
import { CloseCode, encodeEvent, type LoginMode, type WireRecord } from '@imw/shared';
import type { Clock, SessionRef } from '../core';

/** What presence needs from the network module: send to a socket, close a socket. */
export interface SocketSink {
  send(socketId: string, record: WireRecord): boolean;
  closeSocket(socketId: string, code: number, reason?: string): void;
}

export interface LocalSession extends SessionRef {
  socketId: string;
  mode: LoginMode;
  sceneId: string | null;
  loginAtMs: number;
  /** Secret for resuming this session on a new socket (issue 3); never logged. */
  resumeKey: Uint8Array;
}

/**
 * The seed's "recent login cache" on this node: sessions by id, by socket and by user. One
 * session per user: a newer login takes over and the old socket gets REPLACED.
 */
export class SessionTable {
  private readonly bySession = new Map<string, LocalSession>();
  private readonly bySocket = new Map<string, LocalSession>();
  private readonly byUser = new Map<number, LocalSession>();

  constructor(
    private readonly clock: Clock,
    private readonly sink: SocketSink,
  ) {}

  open(p: Omit<LocalSession, 'sessionId' | 'loginAtMs'>): LocalSession {
    const prev = this.byUser.get(p.userId);
    if (prev) this.replace(prev);
    const s: LocalSession = {
      ...p,
      sessionId: randomBytes(16).toString('base64url'),
      loginAtMs: this.clock.now(),
    };
    this.bySession.set(s.sessionId, s);
    this.bySocket.set(s.socketId, s);
    this.byUser.set(s.userId, s);
    return s;
  }

  /** The previous session of a user who logged in again: told why, then closed. */
  private replace(prev: LocalSession): void {
    this.remove(prev);
    this.sink.send(
      prev.socketId,
      encodeEvent('session.closing', { reason: 'replaced by a newer login', closeCode: CloseCode.REPLACED }),
    );
    this.sink.closeSocket(prev.socketId, CloseCode.REPLACED);
  }

  remove(s: LocalSession): void {
    this.bySession.delete(s.sessionId);
    if (this.bySocket.get(s.socketId) === s) this.bySocket.delete(s.socketId);
    if (this.byUser.get(s.userId) === s) this.byUser.delete(s.userId);
  }

  bySocketId(socketId: string): LocalSession | undefined {
    return this.bySocket.get(socketId);
  }

  byUserId(userId: number): LocalSession | undefined {
    return this.byUser.get(userId);
  }

  get size(): number {
    return this.bySession.size;
  }

  all(): IterableIterator<LocalSession> {
    return this.bySession.values();
  }
}

import { randomBytes } from 'node:crypto';
import type { Clock } from '../core';

export type ChallengePurpose = 'login' | 'reauth';

export interface Challenge {
  nonce: string;
  purpose: ChallengePurpose;
  socketId: string;
  username: string;
  /** Username did not exist: the answer was faked, and any proof fails. */
  userId: number | null;
  /**
   * The account as read at challenge time, so the login needs no second read. A password change
   * in between is seen by the next challenge (at most CHALLENGE_TTL_MS later).
   */
  user?: import('./repo').UserRow;
  clientNonce: string;
  salt: Uint8Array;
  iterations: number;
  clientPublicKey?: Uint8Array;
  serverPublicKey?: Uint8Array;
  /** Server's ephemeral X25519 private key (login only). */
  serverPrivateKey?: import('node:crypto').KeyObject;
  expiresAtMs: number;
}

/**
 * Live SCRAM nonces: each lives `ttlMs`, belongs to one socket and is consumed by its first use,
 * whatever the outcome. A socket holds at most a few, so a client cannot grow this without bound.
 */
export class ChallengeStore {
  private readonly byNonce = new Map<string, Challenge>();
  private readonly bySocket = new Map<string, Set<string>>();
  static readonly MAX_PER_SOCKET = 4;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** Makes the server half of the nonce and stores the challenge. */
  issue(c: Omit<Challenge, 'nonce' | 'expiresAtMs'>): Challenge {
    const nonce = c.clientNonce + randomBytes(18).toString('base64');
    const full: Challenge = { ...c, nonce, expiresAtMs: this.clock.now() + this.ttlMs };
    let set = this.bySocket.get(c.socketId);
    if (!set) {
      set = new Set();
      this.bySocket.set(c.socketId, set);
    }
    // Oldest first out: a socket asking again and again only ever holds the newest few.
    while (set.size >= ChallengeStore.MAX_PER_SOCKET) {
      const oldest = set.values().next().value as string;
      this.delete(oldest);
    }
    set.add(nonce);
    this.byNonce.set(nonce, full);
    return full;
  }

  /** Single use: the challenge is removed whether or not it is valid for this caller. */
  consume(nonce: string, socketId: string, purpose: ChallengePurpose): Challenge | null {
    const c = this.byNonce.get(nonce);
    if (!c) return null;
    // A nonce presented from another socket is burnt too: it leaked, so nobody may use it.
    this.delete(nonce);
    if (c.socketId !== socketId || c.purpose !== purpose) return null;
    if (this.clock.now() > c.expiresAtMs) return null;
    return c;
  }

  dropSocket(socketId: string): void {
    const set = this.bySocket.get(socketId);
    if (!set) return;
    for (const n of set) this.byNonce.delete(n);
    this.bySocket.delete(socketId);
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [n, c] of this.byNonce) if (now > c.expiresAtMs) this.delete(n);
  }

  get size(): number {
    return this.byNonce.size;
  }

  private delete(nonce: string): void {
    const c = this.byNonce.get(nonce);
    if (!c) return;
    this.byNonce.delete(nonce);
    const set = this.bySocket.get(c.socketId);
    set?.delete(nonce);
    if (set && set.size === 0) this.bySocket.delete(c.socketId);
  }
}

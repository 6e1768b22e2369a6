import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core';
import type { UserRow } from '../repo';
import type { SessionTicket } from './port';

/** What every challenge has: the nonce both halves made, the socket it belongs to, its expiry. */
interface Live {
  nonce: string;
  socketId: string;
  clientNonce: string;
  expiresAtMs: number;
}

/** The ephemeral X25519 exchange of a handshake that opens a session (login, resume). */
interface KeyExchange {
  clientPublicKey: Uint8Array;
  serverPublicKey: Uint8Array;
  serverPrivateKey: KeyObject;
}

/** SCRAM parameters as the client was told them. */
interface Scram {
  username: string;
  salt: Uint8Array;
  iterations: number;
}

/**
 * A login (R-AUTH-2..6). `user` is the account as read at challenge time, so the login needs no
 * second read (a password change in between is seen by the next challenge, at most
 * CHALLENGE_TTL_MS later); null when the username does not exist: the answer was faked and any
 * proof fails.
 */
export interface LoginChallenge extends Live, Scram, KeyExchange {
  purpose: 'login';
  user: UserRow | null;
}

/** Proving the password again for a sensitive change (no keys: the session is secured already). */
export interface ReauthChallenge extends Live, Scram {
  purpose: 'reauth';
  userId: number;
}

/** A resume (R-RES-1..4): the ticket as read at challenge time, proven by its resume key. */
export interface ResumeChallenge extends Live, KeyExchange {
  purpose: 'resume';
  ticket: SessionTicket;
}

export type Challenge = LoginChallenge | ReauthChallenge | ResumeChallenge;
export type ChallengePurpose = Challenge['purpose'];
type Issued<P extends ChallengePurpose> = Extract<Challenge, { purpose: P }>;
/** What the caller supplies; the store makes the nonce and the expiry. */
export type ChallengeRequest = Challenge extends infer C
  ? C extends Challenge
    ? Omit<C, 'nonce' | 'expiresAtMs'>
    : never
  : never;

/**
 * Every live handshake nonce, of all three purposes: each lives `ttlMs`, belongs to one socket
 * and is consumed by its first use, whatever the outcome. A socket holds at most a few, so a
 * client cannot grow this without bound; a resume challenge also replaces the socket's earlier
 * resume challenge (a client resumes one session at a time).
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
  issue<R extends ChallengeRequest>(c: R): R & Pick<Live, 'nonce' | 'expiresAtMs'> {
    const nonce = c.clientNonce + randomBytes(18).toString('base64');
    const full = { ...c, nonce, expiresAtMs: this.clock.now() + this.ttlMs };
    let set = this.bySocket.get(c.socketId);
    if (!set) {
      set = new Set();
      this.bySocket.set(c.socketId, set);
    }
    if (c.purpose === 'resume') {
      for (const n of [...set]) if (this.byNonce.get(n)?.purpose === 'resume') this.delete(n);
    }
    // Oldest first out: a socket asking again and again only ever holds the newest few.
    while (set.size >= ChallengeStore.MAX_PER_SOCKET) {
      const oldest = set.values().next().value as string;
      this.delete(oldest);
    }
    set.add(nonce);
    this.byNonce.set(nonce, full as Challenge);
    return full;
  }

  /** Single use: the challenge is removed whether or not it is valid for this caller. */
  consume<P extends ChallengePurpose>(nonce: string, socketId: string, purpose: P): Issued<P> | null {
    const c = this.byNonce.get(nonce);
    if (!c) return null;
    // A nonce presented from another socket is burnt too: it leaked, so nobody may use it.
    this.delete(nonce);
    if (c.socketId !== socketId || !isPurpose(c, purpose)) return null;
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

function isPurpose<P extends ChallengePurpose>(c: Challenge, purpose: P): c is Issued<P> {
  return c.purpose === purpose;
}

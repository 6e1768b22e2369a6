import { randomBytes } from 'node:crypto';
import { type Bytes, ErrorCode, type Params } from '@imw/shared';
import { AppError, type Clock, type Config, fail } from '../../core';
import { FailureLimiter } from '../failure-limiter';
import type { UserRepo, UserRow } from '../repo';
import type { ChallengeStore } from './challenges';
import { deriveSessionKeys, generateX25519, type SessionKeys, x25519Shared } from './keys';
import { authMessage, hmac, serverSignature, verifyClientProof } from './scram';

export interface LoginOutcome {
  user: UserRow;
  keys: SessionKeys;
  serverSignature: Bytes;
}

export type ScramConfig = Pick<
  Config,
  | 'SCRAM_DEFAULT_ITERATIONS'
  | 'LOGIN_FAILURES_PER_USERNAME'
  | 'LOGIN_FAILURES_PER_USERNAME_ALL_ADDRESSES'
  | 'LOGIN_FAILURES_PER_ADDRESS'
  | 'LOGIN_FAILURE_WINDOW_MS'
  | 'LOGINS_PER_USER_PER_MINUTE'
  | 'SERVER_SECRET'
>;

/**
 * The password handshakes, SCRAM-SHA-256: login (with the X25519 exchange that keys the session)
 * and re-auth (the current password again, for a sensitive change). Both are throttled per
 * (username, address), per address, and username-wide only for addresses that failed (R-SEC-32).
 */
export class ScramHandshake {
  /** Failures of one username from one address. */
  private readonly byPair: FailureLimiter;
  /** Failures of one username from everywhere: the slower, distributed-guessing back-off. */
  private readonly byUsername: FailureLimiter;
  private readonly byAddress: FailureLimiter;
  /** Successful logins per account (R-SEC-34), counted like failures. */
  private readonly logins: FailureLimiter;
  private secret: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly repo: UserRepo,
    private readonly challenges: ChallengeStore,
    clock: Clock,
    private readonly config: ScramConfig,
  ) {
    const window = config.LOGIN_FAILURE_WINDOW_MS;
    this.byPair = new FailureLimiter(clock, config.LOGIN_FAILURES_PER_USERNAME, window);
    this.byUsername = new FailureLimiter(clock, config.LOGIN_FAILURES_PER_USERNAME_ALL_ADDRESSES, window);
    this.byAddress = new FailureLimiter(clock, config.LOGIN_FAILURES_PER_ADDRESS, window);
    this.logins = new FailureLimiter(clock, config.LOGINS_PER_USER_PER_MINUTE, 60_000);
  }

  /** Loads (or creates once, cluster-wide) the secret behind fake salts for unknown usernames. */
  async init(): Promise<void> {
    this.secret = this.config.SERVER_SECRET
      ? Buffer.from(this.config.SERVER_SECRET, 'utf8')
      : await this.repo.putMetaOnce('fake_salt_secret', randomBytes(32));
  }

  /** R-AUTH-2: known and unknown usernames get answers of the same shape. */
  async challenge(socketId: string, p: Params<'auth.challenge'>) {
    const user = await this.repo.byUsername(p.username);
    const salt = user ? user.scramSalt : hmac(this.secret, `salt:${p.username}`).subarray(0, 16);
    const iterations = user ? user.scramIterations : this.config.SCRAM_DEFAULT_ITERATIONS;
    const eph = generateX25519();
    const c = this.challenges.issue({
      purpose: 'login',
      socketId,
      username: p.username,
      user: user ?? null,
      clientNonce: p.clientNonce,
      salt,
      iterations,
      clientPublicKey: p.clientPublicKey,
      serverPublicKey: eph.publicKey,
      serverPrivateKey: eph.privateKey,
    });
    return { nonce: c.nonce, salt: salt as Bytes, iterations, serverPublicKey: eph.publicKey as Bytes };
  }

  /** R-AUTH-3..6: consume the nonce, throttle, verify the proof, derive the session keys. */
  login(socketId: string, ip: string, p: Params<'auth.login'>): LoginOutcome {
    const c = this.challenges.consume(p.nonce, socketId, 'login');
    if (!c) fail(ErrorCode.CHALLENGE_INVALID, 'no live challenge with that nonce on this connection');
    this.throttle(c.username, ip);
    // R-SEC-33: every login parameter is in the proof, as the client sent it.
    const am = authMessage({ ...c, status: p.status, mode: p.mode, sceneId: p.sceneId });
    // Unknown users still pay for a verification against a dummy key: timing says nothing.
    const ok = verifyClientProof(c.user?.scramStoredKey ?? new Uint8Array(32), am, p.clientProof);
    if (!ok || !c.user) this.failed(c.username, ip, 'wrong username or password');
    const user = c.user;
    this.byPair.reset(pairKey(c.username, ip));
    this.countLogin(user.id);
    const secret = x25519Shared(c.serverPrivateKey, c.clientPublicKey);
    return {
      user,
      keys: deriveSessionKeys(secret, am),
      serverSignature: serverSignature(user.scramServerKey, am) as Bytes,
    };
  }

  async reauthChallenge(socketId: string, user: UserRow, p: Params<'account.reauthChallenge'>) {
    const c = this.challenges.issue({
      purpose: 'reauth',
      socketId,
      username: user.username,
      userId: user.id,
      clientNonce: p.clientNonce,
      salt: user.scramSalt,
      iterations: user.scramIterations,
    });
    return { nonce: c.nonce, salt: c.salt as Bytes, iterations: c.iterations };
  }

  /** Proves the current password (a reauth proof) for sensitive changes. */
  reauth(socketId: string, ip: string, user: UserRow, nonce: string, proof: Uint8Array): void {
    const c = this.challenges.consume(nonce, socketId, 'reauth');
    if (!c || c.userId !== user.id) fail(ErrorCode.CHALLENGE_INVALID, 'no live challenge with that nonce');
    this.throttle(c.username, ip);
    if (!verifyClientProof(user.scramStoredKey, authMessage(c), proof)) {
      this.failed(c.username, ip, 'wrong password');
    }
  }

  sweep(): void {
    this.byPair.sweep();
    this.byUsername.sweep();
    this.byAddress.sweep();
    this.logins.sweep();
  }

  /** R-SEC-34: after the proof, so only the owner spends the account's logins. */
  private countLogin(userId: number): void {
    if (this.config.LOGINS_PER_USER_PER_MINUTE === 0) return;
    const wait = this.logins.blockedForMs(String(userId));
    if (wait > 0) {
      throw new AppError(ErrorCode.RATE_LIMITED, 'too many logins of this account; try again later', {
        retryAfterMs: wait,
      });
    }
    this.logins.record(String(userId));
  }

  private failed(username: string, ip: string, message: string): never {
    this.byPair.record(pairKey(username, ip));
    this.byUsername.record(username);
    this.byAddress.record(ip);
    fail(ErrorCode.AUTH_FAILED, message);
  }

  /**
   * R-SEC-32: before the proof is checked. A full username-wide bucket holds back only addresses
   * that failed for that username themselves, so the owner's correct proof is still checked.
   */
  private throttle(username: string, ip: string): void {
    const pair = pairKey(username, ip);
    const everywhere = this.byPair.count(pair) > 0 ? this.byUsername.blockedForMs(username) : 0;
    const wait = Math.max(this.byPair.blockedForMs(pair), everywhere, this.byAddress.blockedForMs(ip));
    if (wait > 0) {
      throw new AppError(ErrorCode.RATE_LIMITED, 'too many failed logins; try again later', {
        retryAfterMs: wait,
      });
    }
  }
}

/** Usernames cannot contain a newline: the key is unambiguous. */
const pairKey = (username: string, ip: string): string => `${username}\n${ip}`;

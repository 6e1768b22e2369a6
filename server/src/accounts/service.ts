import { randomBytes } from 'node:crypto';
import { type Bytes, ErrorCode, type OwnProfile, type Params, type PublicProfile } from '@imw/shared';
import { AppError, type Clock, type Config, fail, isUniqueViolation } from '../core';
import type { Db } from '../db';
import { ChallengeStore } from './challenges';
import { FailureLimiter } from './failure-limiter';
import { deriveSessionKeys, generateX25519, type SessionKeys, x25519Shared } from './keys';
import { UserRepo, type UserRow } from './repo';
import { authMessage, hmac, serverSignature, verifyClientProof } from './scram';

export interface LoginOutcome {
  user: UserRow;
  keys: SessionKeys;
  serverSignature: Bytes;
}

export const toOwnProfile = (u: UserRow): OwnProfile => ({
  userId: u.id,
  username: u.username,
  displayName: u.displayName,
  avatar: u.avatar,
  bio: u.bio,
  createdAtMs: u.createdAt.getTime(),
});

export const toPublicProfile = (u: UserRow): PublicProfile => ({
  userId: u.id,
  username: u.username,
  displayName: u.displayName,
  avatar: u.avatar,
  bio: u.bio,
});

type AccountConfig = Pick<
  Config,
  | 'CHALLENGE_TTL_MS'
  | 'SCRAM_DEFAULT_ITERATIONS'
  | 'SCRAM_MIN_ITERATIONS'
  | 'LOGIN_FAILURES_PER_USERNAME'
  | 'LOGIN_FAILURES_PER_ADDRESS'
  | 'LOGIN_FAILURE_WINDOW_MS'
  | 'SERVER_SECRET'
>;

/** Seed module 1: accounts, SCRAM login and the key exchange. Knows nothing of sockets. */
export class AccountService {
  private readonly repo: UserRepo;
  readonly challenges: ChallengeStore;
  private readonly byUsername: FailureLimiter;
  private readonly byAddress: FailureLimiter;
  private secret: Uint8Array = new Uint8Array(0);

  constructor(
    db: Db,
    clock: Clock,
    private readonly config: AccountConfig,
  ) {
    this.repo = new UserRepo(db);
    this.challenges = new ChallengeStore(clock, config.CHALLENGE_TTL_MS);
    this.byUsername = new FailureLimiter(
      clock,
      config.LOGIN_FAILURES_PER_USERNAME,
      config.LOGIN_FAILURE_WINDOW_MS,
    );
    this.byAddress = new FailureLimiter(
      clock,
      config.LOGIN_FAILURES_PER_ADDRESS,
      config.LOGIN_FAILURE_WINDOW_MS,
    );
  }

  /** Loads (or creates once, cluster-wide) the secret behind fake salts for unknown usernames. */
  async init(): Promise<void> {
    this.secret = this.config.SERVER_SECRET
      ? Buffer.from(this.config.SERVER_SECRET, 'utf8')
      : await this.repo.putMetaOnce('fake_salt_secret', randomBytes(32));
  }

  /** A random secret shared by every node through the database (ticket keys and the like). */
  async nodeSecret(name: string): Promise<Uint8Array> {
    return this.repo.putMetaOnce(name, randomBytes(32));
  }

  async register(p: Params<'auth.register'>): Promise<{ userId: number }> {
    if (p.iterations < this.config.SCRAM_MIN_ITERATIONS) {
      fail(ErrorCode.BAD_REQUEST, `iterations must be at least ${this.config.SCRAM_MIN_ITERATIONS}`);
    }
    try {
      // One INSERT: a failed registration leaves nothing behind.
      const row = await this.repo.insert({
        username: p.username,
        displayName: p.displayName ?? p.username,
        scramSalt: p.salt,
        scramIterations: p.iterations,
        scramStoredKey: p.storedKey,
        scramServerKey: p.serverKey,
      });
      return { userId: row.id };
    } catch (err) {
      if (isUniqueViolation(err)) fail(ErrorCode.USERNAME_TAKEN, 'that username is taken');
      throw err;
    }
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
      userId: user?.id ?? null,
      ...(user ? { user } : {}),
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
  async login(socketId: string, ip: string, p: Params<'auth.login'>): Promise<LoginOutcome> {
    const c = this.challenges.consume(p.nonce, socketId, 'login');
    if (!c) fail(ErrorCode.CHALLENGE_INVALID, 'no live challenge with that nonce on this connection');
    const ch = c;
    this.throttle(ch.username, ip);
    const user = ch.user;
    const am = authMessage({
      username: ch.username,
      clientNonce: ch.clientNonce,
      nonce: ch.nonce,
      salt: ch.salt,
      iterations: ch.iterations,
      clientPublicKey: ch.clientPublicKey!,
      serverPublicKey: ch.serverPublicKey!,
      status: p.status,
    });
    // Unknown users still pay for a verification against a dummy key: timing says nothing.
    const ok = verifyClientProof(user?.scramStoredKey ?? new Uint8Array(32), am, p.clientProof) && !!user;
    if (!ok || !user) {
      this.byUsername.record(ch.username);
      this.byAddress.record(ip);
      fail(ErrorCode.AUTH_FAILED, 'wrong username or password');
    }
    const u = user;
    this.byUsername.reset(ch.username);
    const secret = x25519Shared(ch.serverPrivateKey!, ch.clientPublicKey!);
    return {
      user: u,
      keys: deriveSessionKeys(secret, am),
      serverSignature: serverSignature(u.scramServerKey, am) as Bytes,
    };
  }

  async reauthChallenge(socketId: string, userId: number, p: Params<'account.reauthChallenge'>) {
    const user = await this.requireUser(userId);
    const c = this.challenges.issue({
      purpose: 'reauth',
      socketId,
      username: user.username,
      userId,
      clientNonce: p.clientNonce,
      salt: user.scramSalt,
      iterations: user.scramIterations,
    });
    return { nonce: c.nonce, salt: c.salt as Bytes, iterations: c.iterations };
  }

  /** Proves the current password (a reauth proof) for sensitive changes. */
  private async verifyReauth(socketId: string, ip: string, userId: number, nonce: string, proof: Uint8Array) {
    const c = this.challenges.consume(nonce, socketId, 'reauth');
    if (!c || c.userId !== userId) fail(ErrorCode.CHALLENGE_INVALID, 'no live challenge with that nonce');
    const ch = c;
    this.throttle(ch.username, ip);
    const user = await this.requireUser(userId);
    const am = authMessage({
      username: ch.username,
      clientNonce: ch.clientNonce,
      nonce: ch.nonce,
      salt: ch.salt,
      iterations: ch.iterations,
    });
    if (!verifyClientProof(user.scramStoredKey, am, proof)) {
      this.byUsername.record(ch.username);
      this.byAddress.record(ip);
      fail(ErrorCode.AUTH_FAILED, 'wrong password');
    }
    return user;
  }

  async changePassword(socketId: string, ip: string, userId: number, p: Params<'account.changePassword'>) {
    await this.verifyReauth(socketId, ip, userId, p.nonce, p.clientProof);
    if (p.newKeys.iterations < this.config.SCRAM_MIN_ITERATIONS) {
      fail(ErrorCode.BAD_REQUEST, `iterations must be at least ${this.config.SCRAM_MIN_ITERATIONS}`);
    }
    await this.repo.update(userId, {
      scramSalt: p.newKeys.salt,
      scramIterations: p.newKeys.iterations,
      scramStoredKey: p.newKeys.storedKey,
      scramServerKey: p.newKeys.serverKey,
    });
  }

  /**
   * R-ACC-3: proves the password, then `remove` deletes the account with everything that hangs
   * on it (friends, groups) in one transaction (SocialService.onUserDeleted).
   */
  async deleteAccount(
    socketId: string,
    ip: string,
    userId: number,
    p: Params<'account.delete'>,
    remove: (userId: number) => Promise<void>,
  ) {
    await this.verifyReauth(socketId, ip, userId, p.nonce, p.clientProof);
    await remove(userId);
  }

  async profile(userId: number): Promise<OwnProfile> {
    return toOwnProfile(await this.requireUser(userId));
  }

  async publicProfile(q: Params<'account.getUser'>): Promise<PublicProfile> {
    const u = 'username' in q ? await this.repo.byUsername(q.username) : await this.repo.byId(q.userId);
    if (!u) fail(ErrorCode.NOT_FOUND, 'no such user');
    return toPublicProfile(u);
  }

  async updateProfile(userId: number, p: Params<'account.updateProfile'>): Promise<OwnProfile> {
    const patch: Partial<UserRow> = {};
    if (p.displayName !== undefined) patch.displayName = p.displayName;
    if (p.avatar !== undefined) patch.avatar = p.avatar;
    if (p.bio !== undefined) patch.bio = p.bio;
    const row = Object.keys(patch).length
      ? await this.repo.update(userId, patch)
      : await this.repo.byId(userId);
    if (!row) fail(ErrorCode.NOT_FOUND, 'account no longer exists');
    return toOwnProfile(row);
  }

  async userById(userId: number): Promise<UserRow | undefined> {
    return this.repo.byId(userId);
  }

  sweep(): void {
    this.challenges.sweep();
    this.byUsername.sweep();
    this.byAddress.sweep();
  }

  private throttle(username: string, ip: string): void {
    const wait = Math.max(this.byUsername.blockedForMs(username), this.byAddress.blockedForMs(ip));
    if (wait > 0) {
      throw new AppError(ErrorCode.RATE_LIMITED, 'too many failed logins; try again later', {
        retryAfterMs: wait,
      });
    }
  }

  private async requireUser(userId: number): Promise<UserRow> {
    const u = await this.repo.byId(userId);
    if (!u) fail(ErrorCode.NOT_FOUND, 'account no longer exists');
    return u;
  }
}

import { ErrorCode, type OwnProfile, type Params, type PublicProfile } from '@imw/shared';
import { type Config, fail, isUniqueViolation } from '../core';
import type { Db } from '../db';
import { UserRepo, type UserRow } from './repo';

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

type AccountConfig = Pick<Config, 'SCRAM_MIN_ITERATIONS'>;

/**
 * Seed module 1: accounts and profiles. Knows nothing of sockets; the handshakes that prove a
 * password or a resume ticket are in session/.
 */
export class AccountService {
  readonly repo: UserRepo;

  constructor(
    db: Db,
    private readonly config: AccountConfig,
  ) {
    this.repo = new UserRepo(db);
  }

  async register(p: Params<'auth.register'>): Promise<{ userId: number }> {
    this.checkIterations(p.iterations);
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

  /** After a re-auth proof (session/): the new SCRAM keys replace the old. */
  async changePassword(userId: number, keys: Params<'account.changePassword'>['newKeys']): Promise<void> {
    this.checkIterations(keys.iterations);
    await this.repo.update(userId, {
      scramSalt: keys.salt,
      scramIterations: keys.iterations,
      scramStoredKey: keys.storedKey,
      scramServerKey: keys.serverKey,
    });
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

  async requireUser(userId: number): Promise<UserRow> {
    const u = await this.repo.byId(userId);
    if (!u) fail(ErrorCode.NOT_FOUND, 'account no longer exists');
    return u;
  }

  private checkIterations(iterations: number): void {
    if (iterations < this.config.SCRAM_MIN_ITERATIONS) {
      fail(ErrorCode.BAD_REQUEST, `iterations must be at least ${this.config.SCRAM_MIN_ITERATIONS}`);
    }
  }
}

import { ErrorCode, encodeEvent, type UserSummary, type WireRecord } from '@imw/shared';
import { fail } from '../core';
import type { SocialService } from './social';

/** Delivery to users wherever they are online, and the cross-node cache invalidation (presence). */
export interface SocialDelivery {
  route(userIds: readonly number[], records: readonly WireRecord[]): void;
  /** Friendships or memberships changed: other nodes must drop cached copies. */
  invalidate(userIds: readonly number[], groupIds: readonly number[]): void;
}

/** The notices friends and group members get when a relation ends, in one place. */
export class SocialNotices {
  constructor(
    private readonly social: SocialService,
    private readonly delivery: SocialDelivery,
  ) {}

  /** The caller's own summary, for notices that carry "from". */
  async summaryOf(userId: number): Promise<UserSummary> {
    const u = await this.social.userSummary(userId);
    if (!u) fail(ErrorCode.NOT_FOUND, 'no such user');
    return u;
  }

  friendRemoved(to: readonly number[], userId: number): void {
    this.delivery.route(to, [encodeEvent('friends.removed', { userId })]);
  }

  /** The remaining members hear who left, and who owns the group now if that changed. */
  async memberLeft(groupId: number, userId: number, newOwnerId: number | undefined): Promise<void> {
    const rest = await this.social.memberIds(groupId);
    this.delivery.route(rest, [
      encodeEvent('groups.memberLeft', {
        groupId,
        userId,
        ...(newOwnerId !== undefined ? { newOwnerId } : {}),
      }),
    ]);
  }

  /**
   * R-PRO-1: a new display name or avatar reaches the user's friends, the members of the user's
   * groups, and the user's own sessions (other devices), once each, wherever they are online.
   */
  async profileChanged(p: { userId: number; displayName: string; avatar: string }): Promise<void> {
    const to = new Set<number>([p.userId, ...(await this.social.friendIds(p.userId))]);
    for (const g of await this.social.groupIdsOf(p.userId)) {
      for (const id of await this.social.memberIds(g)) to.add(id);
    }
    const { userId, displayName, avatar } = p;
    this.delivery.route([...to], [encodeEvent('profile.changed', { userId, displayName, avatar })]);
  }

  /** R-ACC-3: deletes the account with what hangs on it, then tells its friends and groups. */
  async removeAccount(userId: number): Promise<void> {
    const r = await this.social.onUserDeleted(userId, { deleteUserRow: true });
    this.friendRemoved(r.friendIds, userId);
    for (const g of r.groups) {
      if (g.result.kind === 'left') await this.memberLeft(g.groupId, userId, g.result.newOwnerId);
    }
  }
}

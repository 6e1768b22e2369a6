import type { BlockedEntry } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { Store } from './store';

export interface BlockState {
  readonly loaded: boolean;
  /** Users this user blocks, newest first (R-BLK-9). */
  readonly blocked: readonly BlockedEntry[];
}

/**
 * The blocked list (R-BLK-*): loaded after login, kept current by blocks.added / blocks.removed,
 * which the server sends to every session of the blocker (so all devices follow). Group messages
 * from blocked users still arrive (R-BLK-7); the conversation collapses them with `isBlocked`.
 */
export class BlockStore extends Store<BlockState> {
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly client: ImClient) {
    super({ loaded: false, blocked: [] });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.client.on('blocks.added', ({ user }) => this.put(user)),
      this.client.on('blocks.removed', ({ userId }) => this.drop(userId)),
      this.client.on('resumed', ({ seamless }) => {
        if (!seamless) void this.refresh();
      }),
    ];
    void this.refresh();
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  async refresh(): Promise<void> {
    try {
      const { blocked } = await this.client.request('blocks.list', {});
      this.update(() => ({ loaded: true, blocked }));
    } catch (e) {
      console.warn('could not load the blocked list', e);
      this.update((s) => ({ ...s, loaded: true }));
    }
  }

  isBlocked(userId: number): boolean {
    return this.current.blocked.some((b) => b.userId === userId);
  }

  async block(userId: number): Promise<void> {
    await this.client.request('blocks.add', { userId });
    // The event follows; the list is refreshed now so this page does not wait for it.
    await this.refresh();
  }

  async unblock(userId: number): Promise<void> {
    await this.client.request('blocks.remove', { userId });
    this.drop(userId);
  }

  private put(user: BlockedEntry): void {
    this.update((s) => ({ ...s, blocked: [user, ...s.blocked.filter((b) => b.userId !== user.userId)] }));
  }

  private drop(userId: number): void {
    this.update((s) =>
      s.blocked.some((b) => b.userId === userId)
        ? { ...s, blocked: s.blocked.filter((b) => b.userId !== userId) }
        : s,
    );
  }
}

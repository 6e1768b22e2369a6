import type {
  FriendEntry,
  GroupInfo,
  GroupMember,
  PresenceStatus,
  Result,
  UserSummary,
  VisibleStatus,
} from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { Store } from './store';

/**
 * Friends, friend requests, groups, group members and the user's own status: loaded once after
 * login, then kept current by the server's events (never by polling).
 */
export interface SocialState {
  readonly loaded: boolean;
  readonly friends: readonly FriendEntry[];
  readonly incoming: readonly UserSummary[];
  readonly outgoing: readonly UserSummary[];
  readonly groups: readonly GroupInfo[];
  /** Members of the groups whose member list was asked for (opened), by group id. */
  readonly members: ReadonlyMap<number, readonly GroupMember[]>;
  readonly myStatus: PresenceStatus;
}

const STATUS_ORDER: Record<VisibleStatus, number> = { online: 0, away: 1, busy: 2, offline: 3 };

/** Online friends first, then by name: the order every IM sidebar uses. */
const byPresenceThenName = (a: FriendEntry, b: FriendEntry) =>
  STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.displayName.localeCompare(b.displayName);

const byName = (a: GroupInfo, b: GroupInfo) => a.name.localeCompare(b.name);

const membersOrder = (a: GroupMember, b: GroupMember) =>
  Number(b.isOwner) - Number(a.isOwner) ||
  STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
  a.displayName.localeCompare(b.displayName);

const without = <T extends { userId: number }>(list: readonly T[], userId: number) =>
  list.some((u) => u.userId === userId) ? list.filter((u) => u.userId !== userId) : list;

/** Lists fetched while events arrive are fetched again, this many times at most. */
const MAX_REFRESH_TRIES = 3;

export class SocialStore extends Store<SocialState> {
  private unsubscribe: (() => void)[] = [];
  /** Counts applied events, so a list answer that raced one can be recognised as stale. */
  private eventsApplied = 0;

  constructor(private readonly client: ImClient) {
    super({
      loaded: false,
      friends: [],
      incoming: [],
      outgoing: [],
      groups: [],
      members: new Map(),
      myStatus: client.credentials?.status ?? 'online',
    });
  }

  /** Subscribes to the server's events and loads the lists. Idempotent (StrictMode runs effects twice). */
  start(): void {
    if (this.unsubscribe.length > 0) return;
    const on: ImClient['on'] = (name, fn) =>
      this.client.on(name, (value) => {
        this.eventsApplied++;
        fn(value);
      });
    this.unsubscribe = [
      // Login, resume (a reload) and every confirmed status change report the own status here.
      this.client.on('credentials', ({ status }) => {
        if (status && status !== this.current.myStatus) this.update((s) => ({ ...s, myStatus: status }));
      }),
      on('friends.requestReceived', ({ from }) =>
        this.update((s) => ({ ...s, incoming: [...without(s.incoming, from.userId), from] })),
      ),
      on('friends.requestAnswered', ({ userId }) =>
        this.update((s) => ({ ...s, outgoing: without(s.outgoing, userId) })),
      ),
      on('friends.requestCancelled', ({ userId }) =>
        this.update((s) => ({ ...s, incoming: without(s.incoming, userId) })),
      ),
      on('friends.added', ({ friend }) => this.addFriend(friend)),
      on('friends.removed', ({ userId }) =>
        this.update((s) => ({ ...s, friends: without(s.friends, userId) })),
      ),
      on('presence.changed', ({ userId, status }) => this.setPresence(userId, status)),
      on('groups.memberJoined', ({ groupId, member }) => this.memberJoined(groupId, member)),
      // R-PRO-1: a friend's or fellow member's new name or avatar, live.
      on('profile.changed', (p) => this.profileChanged(p)),
      on('groups.memberLeft', ({ groupId, userId, newOwnerId }) =>
        this.memberLeft(groupId, userId, newOwnerId),
      ),
      // After a resume that had to re-create the session, events may have been missed.
      on('resumed', ({ seamless }) => {
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
      let friends: Result<'friends.list'>;
      let groups: Result<'groups.list'>;
      let tries = 0;
      for (;;) {
        const before = this.eventsApplied;
        [friends, groups] = await Promise.all([
          this.client.request('friends.list', {}),
          this.client.request('groups.list', {}),
        ]);
        // An event that landed while the lists were on their way may be newer than they are.
        if (this.eventsApplied === before || ++tries >= MAX_REFRESH_TRIES) break;
      }
      this.update((s) => ({
        ...s,
        loaded: true,
        friends: [...friends.friends].sort(byPresenceThenName),
        incoming: friends.incoming,
        outgoing: friends.outgoing,
        groups: [...groups.groups].sort(byName),
      }));
      for (const groupId of this.current.members.keys()) void this.loadMembers(groupId);
    } catch (e) {
      console.warn('could not load friends and groups', e);
      this.update((s) => ({ ...s, loaded: true }));
    }
  }

  friend(userId: number): FriendEntry | undefined {
    return this.current.friends.find((f) => f.userId === userId);
  }

  // ---- friends ----

  /** Returns true when the two became friends at once (the other side had asked first). */
  async requestFriend(username: string): Promise<boolean> {
    const { becameFriends } = await this.client.request('friends.request', { username });
    // The answer does not carry the other user's summary: the list does.
    if (!becameFriends) await this.refresh();
    return becameFriends;
  }

  async accept(userId: number): Promise<void> {
    const { friend } = await this.client.request('friends.accept', { userId });
    this.addFriend(friend);
  }

  async decline(userId: number): Promise<void> {
    await this.client.request('friends.decline', { userId });
    this.update((s) => ({ ...s, incoming: without(s.incoming, userId) }));
  }

  async cancel(userId: number): Promise<void> {
    await this.client.request('friends.cancel', { userId });
    this.update((s) => ({ ...s, outgoing: without(s.outgoing, userId) }));
  }

  async remove(userId: number): Promise<void> {
    await this.client.request('friends.remove', { userId });
    this.update((s) => ({ ...s, friends: without(s.friends, userId) }));
  }

  async setStatus(status: PresenceStatus): Promise<void> {
    const before = this.current.myStatus;
    this.update((s) => ({ ...s, myStatus: status }));
    try {
      await this.client.request('presence.setStatus', { status });
    } catch (e) {
      this.update((s) => ({ ...s, myStatus: before }));
      throw e;
    }
  }

  // ---- groups ----

  /** R-GRP-31: CONFLICT (details sameName) when the user owns a group of that name, unless `allowSameName`. */
  async createGroup(name: string, allowSameName = false): Promise<GroupInfo> {
    const group = await this.client.request('groups.create', {
      name,
      ...(allowSameName ? { allowSameName } : {}),
    });
    this.upsertGroup(group);
    return group;
  }

  async searchGroups(query: string): Promise<readonly GroupInfo[]> {
    return (await this.client.request('groups.search', { query })).groups;
  }

  async joinGroup(groupId: number): Promise<GroupInfo> {
    const group = await this.client.request('groups.join', { groupId });
    this.upsertGroup(group);
    return group;
  }

  async leaveGroup(groupId: number): Promise<void> {
    await this.client.request('groups.leave', { groupId });
    this.dropGroup(groupId);
  }

  async loadMembers(groupId: number): Promise<void> {
    let members: Result<'groups.members'>['members'];
    for (let tries = 1; ; tries++) {
      const before = this.eventsApplied;
      ({ members } = await this.client.request('groups.members', { groupId }));
      if (this.eventsApplied === before || tries >= MAX_REFRESH_TRIES) break;
    }
    this.update((s) => {
      const next = new Map(s.members);
      next.set(groupId, [...members].sort(membersOrder));
      return { ...s, members: next };
    });
  }

  // ---- event application ----

  private addFriend(friend: FriendEntry): void {
    this.update((s) => ({
      ...s,
      friends: [...without(s.friends, friend.userId), friend].sort(byPresenceThenName),
      incoming: without(s.incoming, friend.userId),
      outgoing: without(s.outgoing, friend.userId),
    }));
  }

  private profileChanged(p: { userId: number; displayName: string; avatar: string }): void {
    const rename = <T extends { userId: number; displayName: string; avatar: string }>(u: T): T =>
      u.userId === p.userId ? { ...u, displayName: p.displayName, avatar: p.avatar } : u;
    this.update((s) => {
      const members = new Map(s.members);
      for (const [g, list] of members) members.set(g, list.map(rename));
      const groups = s.groups.map((g) => (g.ownerId === p.userId ? { ...g, ownerName: p.displayName } : g));
      return { ...s, friends: s.friends.map(rename).sort(byPresenceThenName), members, groups };
    });
  }

  private setPresence(userId: number, status: VisibleStatus): void {
    this.update((s) => {
      if (!s.friends.some((f) => f.userId === userId)) return s;
      const friends = s.friends.map((f) => (f.userId === userId ? { ...f, status } : f));
      return { ...s, friends: friends.sort(byPresenceThenName) };
    });
    // Friends who share a group get presence.changed only, not groups.presence.
    for (const groupId of this.current.members.keys()) this.setMemberStatus(groupId, userId, status);
  }

  private setMemberStatus(groupId: number, userId: number, status: VisibleStatus): void {
    this.updateMembers(groupId, (list) =>
      list.some((m) => m.userId === userId && m.status !== status)
        ? list.map((m) => (m.userId === userId ? { ...m, status } : m))
        : list,
    );
  }

  private memberJoined(groupId: number, member: GroupMember): void {
    this.updateMembers(groupId, (list) => [...without(list, member.userId), member]);
    this.update((s) => ({
      ...s,
      groups: s.groups.map((g) => (g.groupId === groupId ? { ...g, memberCount: g.memberCount + 1 } : g)),
    }));
  }

  private memberLeft(groupId: number, userId: number, newOwnerId: number | undefined): void {
    this.updateMembers(groupId, (list) => {
      const rest = without(list, userId);
      return newOwnerId === undefined ? rest : rest.map((m) => ({ ...m, isOwner: m.userId === newOwnerId }));
    });
    this.update((s) => ({
      ...s,
      groups: s.groups.map((g) =>
        g.groupId === groupId
          ? { ...g, memberCount: Math.max(0, g.memberCount - 1), ownerId: newOwnerId ?? g.ownerId }
          : g,
      ),
    }));
  }

  private updateMembers(groupId: number, fn: (list: readonly GroupMember[]) => readonly GroupMember[]): void {
    this.update((s) => {
      const list = s.members.get(groupId);
      if (!list) return s;
      const nextList = fn(list);
      if (nextList === list) return s;
      const next = new Map(s.members);
      next.set(groupId, [...nextList].sort(membersOrder));
      return { ...s, members: next };
    });
  }

  private upsertGroup(group: GroupInfo): void {
    this.update((s) => ({
      ...s,
      groups: [...s.groups.filter((g) => g.groupId !== group.groupId), group].sort(byName),
    }));
  }

  private dropGroup(groupId: number): void {
    this.update((s) => {
      const members = new Map(s.members);
      members.delete(groupId);
      return { ...s, groups: s.groups.filter((g) => g.groupId !== groupId), members };
    });
  }
}

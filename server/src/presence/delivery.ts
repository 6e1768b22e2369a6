import { type PresenceStatus, pack, presenceStatus, unpack, type WireRecord } from '@imw/shared';
import { z } from 'zod';
import type { Bus } from '../cluster';
import type { Logger } from '../core';
import type { PresenceRecord, PresenceStore } from './store';

const records = z.array(
  z.tuple([z.number().int(), z.number().int(), z.custom<Uint8Array>((v) => v instanceof Uint8Array)]),
);

/** Messages between nodes on a node's own channel, parsed (not cast) when they arrive. */
const nodeMessage = z.discriminatedUnion('t', [
  /**
   * s: the sessions (user, session) on the receiving node; h: hops so far: a node that no longer
   * has a session forwards once to where the store says it is now.
   */
  z.object({
    t: z.literal('deliver'),
    s: z.array(z.tuple([z.number().int(), z.string()])),
    r: records,
    h: z.number().int().optional(),
  }),
  /** End session s of user u here, closing its socket with code c (session.end, the per-user cap). */
  z.object({ t: z.literal('release'), u: z.number().int(), s: z.string(), c: z.number().int() }),
  /** R-DEV-5: user u's status is now st on every session; the sessions here learn it. */
  z.object({ t: z.literal('status'), u: z.number().int(), st: presenceStatus }),
  z.object({ t: z.literal('broadcast'), o: z.string(), r: records }),
  /**
   * R-DEV-6 across nodes: user u's session s entered the world on another node at time `at`
   * (ms); a session of u in a world here that entered earlier gives the avatar up.
   */
  z.object({ t: z.literal('avatar'), u: z.number().int(), s: z.string(), at: z.number() }),
  /** Cached relations changed on node o: other nodes drop their cached copies. */
  z.object({
    t: z.literal('invalidate'),
    o: z.string(),
    u: z.array(z.number().int()),
    g: z.array(z.number().int()),
  }),
]);
type NodeMessage = z.infer<typeof nodeMessage>;

/** What delivery needs of the sessions on this node (PresenceService). */
export interface LocalDelivery {
  /**
   * To every session of the user on this node (delivered, or queued for a resume) but
   * `exceptSession` (a sender's own session, which has its answer). True when the user has a
   * session here at all.
   */
  deliverLocal(userId: number, records: readonly WireRecord[], exceptSession?: string): boolean;
  hasSession(sessionId: string): boolean;
  /** To one session on this node; false when it is not here. */
  deliverToSession(sessionId: string, records: readonly WireRecord[]): boolean;
  /** Another node ended this session (session.end, the per-user cap): close it with `code`. */
  releaseEnded(userId: number, sessionId: string, code: number): void;
  /** R-DEV-5: the user's status changed on another node. */
  ownStatusChanged(userId: number, status: PresenceStatus): void;
  /** Delivers to every session on this node; returns how many. */
  deliverAllLocal(records: readonly WireRecord[]): number;
  /** Keeps packets for a user whose session is on its way to this node (a redirect). */
  holdForArrival(userId: number, records: readonly WireRecord[]): void;
  /** R-DEV-6: the user's session `sessionId` entered the world on another node at `atMs`. */
  avatarEnteredElsewhere(userId: number, sessionId: string, atMs: number): void;
}

/** Caches of relations (friend and member sets) that other nodes' changes make stale. */
export interface RelationCaches {
  invalidateUser(userId: number): void;
  invalidateGroup(groupId: number): void;
}

export const BROADCAST_CHANNEL = 'broadcast';

export const nodeChannel = (nodeId: string) => `node:${nodeId}`;

interface RemoteDelivery {
  userIds: number[];
  records: readonly WireRecord[];
  hops: number;
  /** Never to this session (the sender's own). */
  except?: string | undefined;
  /** Only to these sessions (a forward of what a node no longer had). */
  only?: readonly string[];
}

/**
 * The Delivery port (messaging, social notices, presence notices): deliver to every session of a
 * user wherever it is connected (R-DEV-3). Local sessions first; then the presence store names
 * the user's sessions on other nodes and the records go over the cluster's bus to those nodes'
 * channels, one publish per node, so records keep their order per sender (one publisher
 * connection, FIFO). A user may have sessions here and elsewhere, so every route asks the store
 * (batched: one lookup per drain).
 */
export class Delivery {
  private unsubscribe: (() => Promise<void>) | null = null;
  /** Serialises lookups+publishes so records leave in the order route() was called. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly nodeId: string,
    private readonly bus: Bus,
    private readonly store: PresenceStore,
    private readonly local: LocalDelivery,
    private readonly caches: RelationCaches,
    private readonly log: Logger,
    /**
     * The in-process cluster backend: this node is the whole cluster, so a user with a session in
     * this node's table has no session anywhere else and needs no presence lookup.
     */
    private readonly alone = false,
  ) {}

  private unsubscribeBroadcast: (() => Promise<void>) | null = null;

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(nodeChannel(this.nodeId), (payload) =>
      this.onMessage(payload),
    );
    this.unsubscribeBroadcast = await this.bus.subscribe(BROADCAST_CHANNEL, (payload) =>
      this.onMessage(payload),
    );
  }

  async stop(): Promise<void> {
    await this.chain;
    await this.unsubscribe?.();
    await this.unsubscribeBroadcast?.();
  }

  /** To every online user on every node (operator notices). Returns the count on this node. */
  broadcast(records: readonly WireRecord[]): number {
    const n = this.local.deliverAllLocal(records);
    const msg: NodeMessage = { t: 'broadcast', o: this.nodeId, r: toTuples(records) };
    this.bus
      .publish(BROADCAST_CHANNEL, pack(msg))
      .catch((err: unknown) => this.log.warn({ err }, 'broadcast failed'));
    return n;
  }

  /** `exceptSession`: that session (the sender's, which has its answer) does not get the records. */
  route(
    userIds: readonly number[],
    records: readonly WireRecord[],
    opts: { exceptSession?: string } = {},
  ): void {
    let remote: number[] | null = null;
    for (const id of userIds) {
      const here = this.local.deliverLocal(id, records, opts.exceptSession);
      if (here && this.alone) continue;
      if (!remote) remote = [];
      remote.push(id);
    }
    if (remote) this.enqueueRemote({ userIds: remote, records, hops: 0, except: opts.exceptSession });
  }

  /**
   * Remote deliveries wait here while a batch is in flight, then go out together: one presence
   * lookup for all their users and the publishes in order on one connection. Under load this
   * turns thousands of lookups a second into a few dozen, and order per sender is kept.
   */
  private readonly pendingRemote: RemoteDelivery[] = [];
  private draining = false;

  private enqueueRemote(d: RemoteDelivery): void {
    this.pendingRemote.push(d);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.draining) return;
    this.draining = true;
    this.chain = this.chain
      .then(() => this.drainRemote())
      .catch((err: unknown) => this.log.warn({ err }, 'cross-node delivery failed'))
      .finally(() => {
        this.draining = false;
        // Anything queued after the loop's last check goes out in the next batch.
        if (this.pendingRemote.length > 0) this.scheduleDrain();
      });
  }

  private async drainRemote(): Promise<void> {
    while (this.pendingRemote.length > 0) {
      const batch = this.pendingRemote.splice(0, 512);
      const ids = [...new Set(batch.flatMap((d) => d.userIds))];
      const recs = await this.store.getMany(ids);
      const publishes: Promise<void>[] = [];
      for (const d of batch) publishes.push(...this.dispatchRemote(d, recs));
      await Promise.all(publishes);
    }
  }

  /** Tells the node that holds a session to end it, closing its socket with `code`. */
  release(nodeId: string, userId: number, sessionId: string, code: number): void {
    const msg: NodeMessage = { t: 'release', u: userId, s: sessionId, c: code };
    this.bus
      .publish(nodeChannel(nodeId), pack(msg))
      .catch((err: unknown) => this.log.warn({ err }, 'release failed'));
  }

  /** R-DEV-5: tells these nodes that the user's status changed (their sessions of the user learn it). */
  ownStatus(nodeIds: Iterable<string>, userId: number, status: PresenceStatus): void {
    const msg: NodeMessage = { t: 'status', u: userId, st: status };
    for (const nodeId of nodeIds) {
      if (nodeId === this.nodeId) continue;
      this.bus
        .publish(nodeChannel(nodeId), pack(msg))
        .catch((err: unknown) => this.log.warn({ err }, 'status notice failed'));
    }
  }

  /**
   * R-DEV-6: tells these nodes (those with a scene-mode session of the user) that the user's
   * session `sessionId` entered the world at `atMs`, so that an avatar there is given up.
   */
  avatarEntered(nodeIds: Iterable<string>, userId: number, sessionId: string, atMs: number): void {
    const msg: NodeMessage = { t: 'avatar', u: userId, s: sessionId, at: atMs };
    for (const nodeId of nodeIds) {
      if (nodeId === this.nodeId) continue;
      this.bus
        .publish(nodeChannel(nodeId), pack(msg))
        .catch((err: unknown) => this.log.warn({ err }, 'avatar notice failed'));
    }
  }

  /** Tells the other nodes that cached friendships or memberships changed (R-CLU-30). */
  invalidate(userIds: readonly number[], groupIds: readonly number[]): void {
    const msg: NodeMessage = { t: 'invalidate', o: this.nodeId, u: [...userIds], g: [...groupIds] };
    this.bus
      .publish(BROADCAST_CHANNEL, pack(msg))
      .catch((err: unknown) => this.log.warn({ err }, 'invalidate failed'));
  }

  /**
   * Sends packets for one user's sessions to wherever the store says they are now (one extra hop
   * at most); `only` limits it to the sessions the sender no longer had.
   */
  forward(userId: number, records: readonly WireRecord[], hops = 1, only?: readonly string[]): void {
    this.enqueueRemote({ userIds: [userId], records, hops, ...(only ? { only } : {}) });
  }

  /** Sends one delivery to the nodes the store names (publishes are issued in call order). */
  private dispatchRemote(d: RemoteDelivery, recs: Map<number, PresenceRecord[]>): Promise<void>[] {
    const byNode = new Map<string, Array<[number, string]>>();
    for (const userId of d.userIds) {
      // Offline users have no records: there are no offline messages here.
      for (const rec of recs.get(userId) ?? []) {
        if (rec.sessionId === d.except || (d.only && !d.only.includes(rec.sessionId))) continue;
        if (rec.nodeId === this.nodeId) {
          // Delivered by route() when the session was in the table; else it is on its way here
          // (a redirect) or a forward came back: hand it over, or hold it for the arrival.
          if (!this.local.hasSession(rec.sessionId)) this.local.holdForArrival(userId, d.records);
          else if (d.hops > 0) this.local.deliverToSession(rec.sessionId, d.records);
          continue;
        }
        const list = byNode.get(rec.nodeId) ?? [];
        list.push([userId, rec.sessionId]);
        byNode.set(rec.nodeId, list);
      }
    }
    const r = toTuples(d.records);
    const out: Promise<void>[] = [];
    for (const [nodeId, s] of byNode) {
      const msg: NodeMessage = { t: 'deliver', s, r, ...(d.hops ? { h: d.hops } : {}) };
      out.push(this.bus.publish(nodeChannel(nodeId), pack(msg)));
    }
    return out;
  }

  private onMessage(payload: Uint8Array): void {
    let msg: NodeMessage;
    try {
      const parsed = nodeMessage.safeParse(unpack(payload));
      if (!parsed.success) {
        this.log.warn({ issues: parsed.error.issues.length }, 'malformed bus message');
        return;
      }
      msg = parsed.data;
    } catch (err) {
      this.log.warn({ err }, 'undecodable bus message');
      return;
    }
    if (msg.t === 'deliver') {
      const records = fromTuples(msg.r);
      for (const [userId, sessionId] of msg.s) {
        if (this.local.deliverToSession(sessionId, records)) continue;
        // Not here (moved away, or not arrived yet): ask the store once where the session is.
        if ((msg.h ?? 0) < 2) this.forward(userId, records, (msg.h ?? 0) + 1, [sessionId]);
      }
    } else if (msg.t === 'release') {
      this.local.releaseEnded(msg.u, msg.s, msg.c);
    } else if (msg.t === 'avatar') {
      this.local.avatarEnteredElsewhere(msg.u, msg.s, msg.at);
    } else if (msg.t === 'status') {
      this.local.ownStatusChanged(msg.u, msg.st);
    } else if (msg.t === 'invalidate' && msg.o !== this.nodeId) {
      for (const u of msg.u) this.caches.invalidateUser(u);
      for (const g of msg.g) this.caches.invalidateGroup(g);
    } else if (msg.t === 'broadcast' && msg.o !== this.nodeId) {
      this.local.deliverAllLocal(fromTuples(msg.r));
    }
  }
}

const fromTuples = (r: ReadonlyArray<[number, number, Uint8Array]>): WireRecord[] =>
  r.map(([typeId, requestId, payload]) => ({ typeId, requestId, payload }));

const toTuples = (records: readonly WireRecord[]) =>
  records.map((x): [number, number, Uint8Array] => [x.typeId, x.requestId, x.payload]);

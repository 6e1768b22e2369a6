import { pack, unpack, type WireRecord } from '@imw/shared';
import { z } from 'zod';
import type { Bus } from '../cluster';
import type { Logger } from '../core';
import type { PresenceRecord, PresenceStore } from './store';

const records = z.array(
  z.tuple([z.number().int(), z.number().int(), z.custom<Uint8Array>((v) => v instanceof Uint8Array)]),
);

/** Messages between nodes on a node's own channel, parsed (not cast) when they arrive. */
const nodeMessage = z.discriminatedUnion('t', [
  /** h: hops so far; a node that no longer has the user forwards once to where the store says. */
  z.object({
    t: z.literal('deliver'),
    u: z.array(z.number().int()),
    r: records,
    h: z.number().int().optional(),
  }),
  z.object({ t: z.literal('release'), u: z.number().int(), s: z.string() }),
  z.object({ t: z.literal('broadcast'), o: z.string(), r: records }),
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
   * True when the user has a session on this node (delivered or queued for a resume). The
   * session `exceptSession` is skipped (it counts as handled): a sender's own session.
   */
  deliverLocal(userId: number, records: readonly WireRecord[], exceptSession?: string): boolean;
  /** Another node took over this user's session. */
  releaseTakenOver(userId: number, sessionId: string): void;
  /** Delivers to every session on this node; returns how many. */
  deliverAllLocal(records: readonly WireRecord[]): number;
  /** Keeps packets for a user whose session is on its way to this node (a redirect). */
  holdForArrival(userId: number, records: readonly WireRecord[]): void;
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
}

/**
 * The Delivery port (messaging, social notices, presence notices): deliver to a user wherever they
 * are connected. Local sessions first; the rest are looked up in the presence store and sent over
 * the cluster's bus to their node's channel, one publish per node, so records keep their order per
 * sender (one publisher connection, FIFO).
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

  /** `exceptSession`: that session (the sender's, which has its ack) does not get the records. */
  route(
    userIds: readonly number[],
    records: readonly WireRecord[],
    opts: { exceptSession?: string } = {},
  ): void {
    const remote: number[] = [];
    for (const id of userIds) if (!this.local.deliverLocal(id, records, opts.exceptSession)) remote.push(id);
    if (remote.length > 0) this.enqueueRemote({ userIds: remote, records, hops: 0 });
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

  /** Tells the node that held a user's previous session to let it go. */
  release(nodeId: string, userId: number, sessionId: string): void {
    const msg: NodeMessage = { t: 'release', u: userId, s: sessionId };
    this.bus
      .publish(nodeChannel(nodeId), pack(msg))
      .catch((err: unknown) => this.log.warn({ err }, 'release failed'));
  }

  /** Tells the other nodes that cached friendships or memberships changed (R-CLU-30). */
  invalidate(userIds: readonly number[], groupIds: readonly number[]): void {
    const msg: NodeMessage = { t: 'invalidate', o: this.nodeId, u: [...userIds], g: [...groupIds] };
    this.bus
      .publish(BROADCAST_CHANNEL, pack(msg))
      .catch((err: unknown) => this.log.warn({ err }, 'invalidate failed'));
  }

  /** Sends packets for one user to wherever the store says the user is now (one extra hop at most). */
  forward(userId: number, records: readonly WireRecord[], hops = 1): void {
    this.enqueueRemote({ userIds: [userId], records, hops });
  }

  /** Sends one delivery to the nodes the store names (publishes are issued in call order). */
  private dispatchRemote(d: RemoteDelivery, recs: Map<number, PresenceRecord>): Promise<void>[] {
    const byNode = new Map<string, number[]>();
    for (const userId of d.userIds) {
      const rec = recs.get(userId);
      if (!rec) continue; // offline: there are no offline messages yet
      if (rec.nodeId === this.nodeId) {
        // Raced with a login or resume that completed meanwhile, or the user is on the way here.
        if (!this.local.deliverLocal(userId, d.records)) this.local.holdForArrival(userId, d.records);
        continue;
      }
      const list = byNode.get(rec.nodeId) ?? [];
      list.push(userId);
      byNode.set(rec.nodeId, list);
    }
    const r = toTuples(d.records);
    const out: Promise<void>[] = [];
    for (const [nodeId, ids] of byNode) {
      const msg: NodeMessage = { t: 'deliver', u: ids, r, ...(d.hops ? { h: d.hops } : {}) };
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
      for (const id of msg.u) {
        if (this.local.deliverLocal(id, records)) continue;
        // Not here (moved away, or not arrived yet): ask the store once where the user is.
        if ((msg.h ?? 0) < 2) this.forward(id, records, (msg.h ?? 0) + 1);
      }
    } else if (msg.t === 'release') {
      this.local.releaseTakenOver(msg.u, msg.s);
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

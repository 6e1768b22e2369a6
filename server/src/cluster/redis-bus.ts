import type { Redis } from 'ioredis';
import { type BusErrorReporter, ClusterError, logBusError } from './errors';
import type { Bus, BusHandler, Unsubscribe } from './types';

export interface RedisBusOptions {
  /** Any ready connection; it may be shared with the stores (PUBLISH is an ordinary command). */
  publisher: Redis;
  /**
   * A connection used by this bus alone: SUBSCRIBE puts it in subscriber mode, and every
   * message it receives is taken to be this bus's. ioredis resubscribes it after a reconnect.
   */
  subscriber: Redis;
  /** Namespaces channels, so several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
  onError?: BusErrorReporter;
}

interface Entry {
  readonly handler: BusHandler;
  active: boolean;
}

interface ChannelState {
  readonly entries: Set<Entry>;
  /** Whether Redis has confirmed SUBSCRIBE (and no UNSUBSCRIBE has been sent since). */
  live: boolean;
  /** SUBSCRIBE/UNSUBSCRIBE for one channel run one after another; this never rejects. */
  tail: Promise<void>;
}

/**
 * Redis pub/sub. Delivery is at most once: a message published while a node's subscriber
 * connection is down (or before its resubscription completes) is lost for that node, so a
 * module that keeps derived state must resynchronise after a reconnect instead of trusting
 * the stream. Publish order per publisher holds because one connection sends the PUBLISHes
 * in call order and Redis relays them in the order it executes them.
 *
 * While Redis is unreachable, publish REJECTS with ClusterError UNAVAILABLE instead of
 * queueing, given connections opened by `openRedis` (no offline queue, no resend after a
 * reconnect): a chat message delivered minutes late, or twice, is worse than an error the
 * sender sees at once.
 */
export class RedisBus implements Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly report: BusErrorReporter;
  private readonly channels = new Map<string, ChannelState>();
  private closed = false;

  constructor(opts: RedisBusOptions) {
    this.pub = opts.publisher;
    this.sub = opts.subscriber;
    this.prefix = `${opts.keyPrefix ?? ''}bus:`;
    this.report = opts.onError ?? logBusError;
    this.sub.on('messageBuffer', this.onMessage);
  }

  async publish(channel: string, payload: Uint8Array): Promise<void> {
    this.assertOpen();
    // Buffer.from copies. ioredis sends a plain Uint8Array (not a Buffer) as the text of
    // String(array) ("0,1,2"), so the conversion is required, not an optimisation.
    const bytes = Buffer.from(payload);
    try {
      await this.pub.publish(this.prefix + channel, bytes);
    } catch (err) {
      throw new ClusterError('UNAVAILABLE', `publish to "${channel}" failed: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }

  async subscribe(channel: string, handler: BusHandler): Promise<Unsubscribe> {
    this.assertOpen();
    const key = this.prefix + channel;
    let state = this.channels.get(key);
    if (!state) {
      state = { entries: new Set(), live: false, tail: Promise.resolve() };
      this.channels.set(key, state);
    }
    const entry: Entry = { handler, active: true };
    state.entries.add(entry);
    try {
      await this.sync(key, state);
    } catch (err) {
      this.detach(key, state, entry);
      throw new ClusterError('UNAVAILABLE', `subscribe to "${channel}" failed: ${errorMessage(err)}`, {
        cause: err,
      });
    }
    return async () => {
      if (!entry.active) return;
      this.detach(key, state, entry);
      // The handler is already cut off; the server-side UNSUBSCRIBE is housekeeping, so its
      // failure (Redis down) is reported rather than thrown at a caller that is cleaning up.
      await this.sync(key, state).catch((err: unknown) => this.report(err, channel));
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sub.off('messageBuffer', this.onMessage);
    const live: string[] = [];
    for (const [key, state] of this.channels) {
      for (const entry of state.entries) entry.active = false;
      state.entries.clear();
      if (state.live) live.push(key);
    }
    this.channels.clear();
    // The connections belong to the caller, who may quit them next; leave the subscriber
    // clean in case it does not.
    if (live.length > 0 && this.sub.status === 'ready') {
      await this.sub.unsubscribe(...live).catch((err: unknown) => this.report(err, live.join(',')));
    }
  }

  private readonly onMessage = (channel: Buffer, message: Buffer | undefined): void => {
    const state = this.channels.get(channel.toString());
    if (!state) return;
    // Copy out of the socket's read chunk: a view would keep that whole chunk alive for as
    // long as a handler holds the payload, and would hand out a Buffer, whose slice() does
    // not copy, where MemoryBus hands out a plain Uint8Array.
    const payload = message ? new Uint8Array(message) : new Uint8Array(0);
    for (const entry of [...state.entries]) {
      if (!entry.active) continue;
      try {
        entry.handler(payload);
      } catch (err) {
        this.report(err, channel.toString().slice(this.prefix.length));
      }
    }
  };

  private detach(key: string, state: ChannelState, entry: Entry): void {
    entry.active = false;
    state.entries.delete(entry);
    if (state.entries.size === 0 && !state.live && this.channels.get(key) === state) {
      // Nothing subscribed on the server either; a later sync() re-creates the state if needed.
      this.channels.delete(key);
    }
  }

  /**
   * Brings the server's subscription for `key` in line with whether anyone wants it. Calls are
   * chained per channel, so an UNSUBSCRIBE never overtakes a SUBSCRIBE issued before it, and
   * a subscribe arriving while the last unsubscribe is in flight re-subscribes afterwards.
   */
  private sync(key: string, state: ChannelState): Promise<void> {
    const run = state.tail.then(async () => {
      const wanted = state.entries.size > 0 && !this.closed;
      if (wanted && !state.live) {
        await this.sub.subscribe(key);
        state.live = true;
      } else if (!wanted && state.live) {
        state.live = false;
        await this.sub.unsubscribe(key);
        if (state.entries.size === 0 && this.channels.get(key) === state) this.channels.delete(key);
      }
    });
    // The caller awaiting `run` gets its error; the chain itself must stay usable.
    state.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new ClusterError('CLOSED', 'bus is closed');
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

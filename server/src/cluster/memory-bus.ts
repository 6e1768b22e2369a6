import { type BusErrorReporter, ClusterError, logBusError } from './errors';
import type { Bus, BusHandler, Unsubscribe } from './types';

interface Subscription {
  readonly handler: BusHandler;
  readonly report: BusErrorReporter;
  /** Cleared on unsubscribe, so a message already queued for delivery is dropped instead. */
  active: boolean;
}

/**
 * The in-process stand-in for Redis pub/sub. Every MemoryBus attached to one broker behaves
 * like a node on one Redis, so the cross-node contract tests run without Redis.
 */
export class MemoryBroker {
  private readonly channels = new Map<string, Set<Subscription>>();

  add(channel: string, sub: Subscription): void {
    let subs = this.channels.get(channel);
    if (!subs) {
      subs = new Set();
      this.channels.set(channel, subs);
    }
    subs.add(sub);
  }

  delete(channel: string, sub: Subscription): void {
    const subs = this.channels.get(channel);
    if (!subs) return;
    subs.delete(sub);
    if (subs.size === 0) this.channels.delete(channel);
  }

  publish(channel: string, payload: Uint8Array): void {
    const subs = this.channels.get(channel);
    if (!subs) return;
    // Like Redis, the receivers are those subscribed when the message is published; copying
    // the set keeps a subscribe made in the meantime from seeing an older message.
    const receivers = [...subs];
    // Delivery is deferred, as it is over the network, so no caller can come to rely on a
    // handler having run by the time publish() returns. Microtasks run FIFO, which keeps
    // publish order.
    queueMicrotask(() => {
      for (const sub of receivers) {
        if (!sub.active) continue;
        try {
          sub.handler(payload);
        } catch (err) {
          sub.report(err, channel);
        }
      }
    });
  }
}

export interface MemoryBusOptions {
  /** Share one broker between buses to simulate several nodes in one process. */
  broker?: MemoryBroker;
  onError?: BusErrorReporter;
}

export class MemoryBus implements Bus {
  private readonly broker: MemoryBroker;
  private readonly report: BusErrorReporter;
  private readonly mine = new Map<Subscription, string>();
  private closed = false;

  constructor(opts: MemoryBusOptions = {}) {
    this.broker = opts.broker ?? new MemoryBroker();
    this.report = opts.onError ?? logBusError;
  }

  async publish(channel: string, payload: Uint8Array): Promise<void> {
    this.assertOpen();
    // Copy now: Redis serialises the bytes at publish, so the publisher may reuse its buffer.
    this.broker.publish(channel, payload.slice());
  }

  async subscribe(channel: string, handler: BusHandler): Promise<Unsubscribe> {
    this.assertOpen();
    const sub: Subscription = { handler, report: this.report, active: true };
    this.broker.add(channel, sub);
    this.mine.set(sub, channel);
    return async () => {
      this.detach(sub);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const sub of [...this.mine.keys()]) this.detach(sub);
  }

  private detach(sub: Subscription): void {
    const channel = this.mine.get(sub);
    sub.active = false;
    if (channel === undefined) return;
    this.mine.delete(sub);
    this.broker.delete(channel, sub);
  }

  private assertOpen(): void {
    if (this.closed) throw new ClusterError('CLOSED', 'bus is closed');
  }
}

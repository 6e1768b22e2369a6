import { type HistData, Histogram } from '../util/hist';

/** Wall-clock ms with sub-ms precision, comparable across the bench's processes. */
export const nowMs = () => performance.timeOrigin + performance.now();

export interface LoadCounters {
  /** Messages (or moves) handed to the socket in the current epoch. */
  sent: number;
  /** Sends the schedule wanted but that were skipped because the generator fell >1 s behind. */
  unsent: number;
  /** Sends the server acknowledged (our server only). */
  acked: number;
  /** Deliveries the server owes for this epoch's accepted sends (undefined where not countable). */
  expected: number;
  delivered: number;
  errors: Record<string, number>;
  disconnects: number;
}

export interface LoadResult extends LoadCounters {
  hist: HistData;
  /** Scenario-specific figures (e.g. moves accepted/rejected). */
  extra: Record<string, number>;
}

const TICK_MS = 5;

/**
 * Shared machinery of the message scenarios on the worker side: an open-loop pacer over N actors,
 * epochs (only messages stamped with the current epoch are counted, so stragglers from a
 * previous step never inflate the next), counters and a latency histogram.
 */
export abstract class MessageLoad {
  epoch = 0;
  protected counters: LoadCounters = MessageLoad.zero();
  protected readonly hist = new Histogram();
  protected extra: Record<string, number> = {};
  private timer: ReturnType<typeof setInterval> | null = null;
  private cursor = 0;

  static zero(): LoadCounters {
    return { sent: 0, unsent: 0, acked: 0, expected: 0, delivered: 0, errors: {}, disconnects: 0 };
  }

  /** How many actors send. */
  protected abstract get actorCount(): number;
  /** Send one message from actor `i`, stamped with the epoch and the send time. */
  protected abstract sendOne(i: number, epoch: number, sentMs: number): void;
  abstract setup(args: unknown): Promise<unknown>;
  abstract teardown(): Promise<void>;

  /** Each actor sends `ratePerSec` messages a second, actors taking turns round-robin. */
  start(ratePerSec: number): void {
    this.stop();
    const n = this.actorCount;
    if (n === 0 || ratePerSec <= 0) return;
    const totalPerMs = (n * ratePerSec) / 1000;
    let last = performance.now();
    let budget = 0;
    this.timer = setInterval(() => {
      const t = performance.now();
      budget += (t - last) * totalPerMs;
      last = t;
      // Open loop, but never a burst of more than a second's worth after a stall.
      const cap = totalPerMs * 1000;
      if (budget > cap) {
        this.counters.unsent += Math.floor(budget - cap);
        budget = cap;
      }
      while (budget >= 1) {
        budget--;
        this.sendOne(this.cursor++ % n, this.epoch, nowMs());
        this.counters.sent++;
      }
    }, TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Start counting afresh under a new epoch. */
  mark(epoch: number): void {
    this.epoch = epoch;
    this.counters = MessageLoad.zero();
    this.hist.reset();
    this.extra = {};
  }

  peek(): LoadCounters {
    return { ...this.counters, errors: { ...this.counters.errors } };
  }

  collect(): LoadResult {
    return { ...this.peek(), hist: this.hist.toData(), extra: { ...this.extra } };
  }

  protected delivered(epoch: number, sentMs: number): void {
    if (epoch !== this.epoch) return;
    this.counters.delivered++;
    this.hist.recordMs(nowMs() - sentMs);
  }

  protected error(code: string): void {
    this.counters.errors[code] = (this.counters.errors[code] ?? 0) + 1;
  }

  protected bump(key: string, n = 1): void {
    this.extra[key] = (this.extra[key] ?? 0) + n;
  }
}

/** Text of a chat message that carries its epoch and send time (latency = receive − send). */
export function stampText(epoch: number, sentMs: number, size: number): string {
  const head = `${epoch} ${sentMs.toFixed(3)} `;
  return head.length >= size ? head : head + 'x'.repeat(size - head.length);
}

export function readStamp(text: string): { epoch: number; sentMs: number } | null {
  const a = text.indexOf(' ');
  const b = text.indexOf(' ', a + 1);
  if (a < 0 || b < 0) return null;
  return { epoch: Number(text.slice(0, a)), sentMs: Number(text.slice(a + 1, b)) };
}

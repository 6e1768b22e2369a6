import type { EventBody, EventName } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';

type Seen = { [K in EventName]: { type: K; body: EventBody<K> } }[EventName];

/** Records every event a client receives, so tests can wait for one or assert one never came. */
export class EventLog {
  readonly seen: Seen[] = [];
  private waiters: Array<() => void> = [];

  constructor(client: ImClient, names: readonly EventName[]) {
    for (const name of names) {
      client.on(name, (body) => {
        this.seen.push({ type: name, body } as Seen);
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
      });
    }
  }

  of<K extends EventName>(type: K): EventBody<K>[] {
    return this.seen.filter((e) => e.type === type).map((e) => e.body as EventBody<K>);
  }

  /** Resolves with the first (past or future) event of `type` matching `pred`. */
  wait<K extends EventName>(
    type: K,
    pred: (b: EventBody<K>) => boolean = () => true,
    timeoutMs = 3000,
  ): Promise<EventBody<K>> {
    const find = () => this.of(type).find(pred);
    const hit = find();
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const h = find();
        if (h) {
          clearTimeout(timer);
          resolve(h);
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  clear(): void {
    this.seen.length = 0;
  }
}

/** Records what a bus handler receives and lets a test await the n-th message. */
export class Collector {
  readonly received: Uint8Array[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  readonly handler = (payload: Uint8Array): void => {
    this.received.push(payload);
    for (const w of [...this.waiters]) {
      if (this.received.length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  /** Resolves once `count` messages have arrived in total; rejects after `timeoutMs`. */
  waitForCount(count: number, timeoutMs = 5_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out: ${this.received.length} of ${count} messages after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  texts(): string[] {
    return this.received.map((p) => new TextDecoder().decode(p));
  }
}

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

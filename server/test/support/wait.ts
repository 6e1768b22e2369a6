/**
 * The two ways a test waits. Prefer an event: `Wakeup` re-checks a condition each time the thing
 * being watched reports something (a socket message, a close). `waitFor` polls, for conditions
 * that no event announces (state inside the server, a TTL running out in Redis, a dependency
 * coming back).
 */

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 5_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Conditions waiting on a source of events; the owner calls `wake()` on every event. */
export class Wakeup {
  private waiters: Array<() => void> = [];

  /** Resolves once `cond` holds, re-checked on every `wake()`; rejects after `timeoutMs`. */
  until(cond: () => boolean, timeoutMs: number): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('condition not met in time')), timeoutMs);
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

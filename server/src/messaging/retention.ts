import type { Logger } from '../core';
import type { MessageStore } from './store';

/**
 * The retention sweep (MESSAGE_RETENTION_DAYS): deletes messages past their age every interval.
 * Every node runs it; the deletes are idempotent, so several nodes at once only repeat work.
 */
export class RetentionSweeper {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: MessageStore,
    private readonly retentionDays: number,
    private readonly intervalMs: number,
    private readonly log: Logger,
    /** R-FILE-8: unreferenced files go on the same timer (which then runs even with 0 days). */
    private readonly files?: { sweepUnreferenced(): Promise<number> },
  ) {}

  /** No timer at all when messages are kept forever (0 days) and there are no files to sweep. */
  start(): void {
    if ((this.retentionDays === 0 && !this.files) || this.timer) return;
    this.timer = setInterval(() => void this.sweepOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One sweep; a sweep still running is awaited instead of starting a second one. */
  sweepOnce(): Promise<void> {
    this.running ??= this.store
      .sweep(this.retentionDays)
      .then(async (n) => {
        if (n > 0)
          this.log.info({ deleted: n, retentionDays: this.retentionDays }, 'message retention sweep');
        const files = (await this.files?.sweepUnreferenced()) ?? 0;
        if (files > 0) this.log.info({ deleted: files }, 'unreferenced files sweep');
      })
      .catch((err: unknown) => this.log.warn({ err }, 'message retention sweep failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

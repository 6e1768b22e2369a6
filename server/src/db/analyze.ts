/**
 * Keeps the planner's statistics fresh on PGlite, which runs no autovacuum (PostgreSQL's
 * autovacuum analyzes a table that grew, so this is not used there). Without statistics the
 * planner misjudges `chat.search` (p99 ~400 ms instead of ~16 ms at 100,000 messages,
 * bench/README.md "Rich messages").
 *
 * Runs once after start-up, every `intervalMs`, and after every `everyMessages` stored messages.
 * Never two at once: a trigger while one runs gets the running one. A failure is logged, never
 * thrown. Runs are off the request path (nothing awaits them), though PGlite executes statements
 * one at a time, so queries wait while ANALYZE samples (it reads at most 30,000 rows per table).
 */
export class Analyzer {
  private running: Promise<void> | null = null;
  private appended = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  /** Completed runs (successful or not), for tests and logs. */
  runs = 0;

  constructor(
    private readonly exec: () => Promise<unknown>,
    private readonly opts: { intervalMs: number; everyMessages: number },
    private readonly onError: (err: unknown) => void,
  ) {}

  /** The first run (not awaited by the caller) and the timer (0: none). */
  start(): Promise<void> {
    if (this.opts.intervalMs > 0 && !this.timer) {
      this.timer = setInterval(() => void this.run(), this.opts.intervalMs);
      this.timer.unref();
    }
    return this.run();
  }

  /** Resolves when this run (or the one already running) ends; never rejects. */
  run(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.exec()
      .then(
        () => undefined,
        (err: unknown) => {
          this.onError(err);
        },
      )
      .finally(() => {
        this.runs++;
        this.running = null;
      });
    return this.running;
  }

  /** Resolves once no run is in flight. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Counts stored messages; every `everyMessages` (0: never) starts a run, returned for tests. */
  noteAppended(n = 1): Promise<void> | null {
    if (this.opts.everyMessages <= 0 || this.stopped) return null;
    this.appended += n;
    if (this.appended < this.opts.everyMessages) return null;
    this.appended = 0;
    return this.run();
  }

  /** No more runs; waits for the one in flight (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

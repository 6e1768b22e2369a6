import { join } from 'node:path';
import type { Options, ScenarioName } from './cli';
import { WORKER, Worker } from './load/rpc';
import type { DbKind, ScratchDatabase } from './target/database';
import type { ServerChild } from './target/server';
import type { TargetName } from './target/specs';

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

/** One line of the report: a scenario (or one step of it) on one server. */
export interface Row {
  scenario: ScenarioName;
  target: TargetName;
  /** Our server's database (not set for the relays). */
  db?: DbKind;
  /** Round of a --repeat run (1-based). */
  round?: number;
  /** The load, e.g. "1000 clients, groups of 20, 4 msg/s each". */
  label: string;
  status: 'ok' | 'unavailable' | 'failed';
  note?: string;
  /** The headline rate and its unit (deliveries/s, logins/s, sessions). */
  rate?: { value: number; unit: string };
  latency?: Latency;
  losses?: { count: number; pct: number };
  serverCpuPct?: number;
  /** Share of the window the server was runnable but waiting for a CPU (starved by neighbours). */
  serverWaitPct?: number;
  serverRssMB?: number;
  loadgenCpuPct?: number;
  /** Server CPU time per delivered message (or per login), µs. */
  serverCpuUs?: number;
  /** PostgreSQL backends' CPU per op, µs (PGlite's is inside the server's figure). */
  dbCpuUs?: number;
  extra?: Record<string, number | string>;
  /** Percentile curve for the chart: [percentile, ms]. */
  curve?: Array<[number, number]>;
}

export const CURVE_POINTS = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

const isTty = process.stdout.isTTY === true;

/** State shared by the scenarios: options, worker processes, the server under test, results. */
export class Bench {
  workers: Worker[];
  readonly rows: Row[] = [];
  server: ServerChild | null = null;
  /** The database of the server under test: null for the relays. */
  db: DbKind | null = null;
  /** The scratch PostgreSQL database of the server under test, if any. */
  scratch: ScratchDatabase | null = null;
  round = 1;
  /** Which of our servers is under test: rows of shared scenarios say 'imw' and get this. */
  ours: 'imw' | 'base' = 'imw';
  /** Measured windows, ms since the server process started (to cut a CPU profile). */
  readonly windows: Array<{ scenario: string; label: string; fromMs: number; toMs: number }> = [];
  private epoch = 0;
  private lastPrint = 0;

  constructor(readonly opts: Options) {
    this.workers = Array.from({ length: Math.max(1, opts.workers) }, (_, k) => new Worker(k));
  }

  /**
   * Load generators from another checkout (`root`), or this one's (null): a server at another
   * commit speaks that commit's protocol, so it is driven by that commit's SDK and load code.
   */
  useWorkersFrom(root: string | null): void {
    for (const w of this.workers) w.stop();
    const script = root ? join(root, 'bench/src/load/worker.ts') : WORKER;
    this.workers = Array.from({ length: this.workers.length }, (_, k) => new Worker(k, script));
  }

  get serverOrThrow(): ServerChild {
    if (!this.server) throw new Error('no server under test');
    return this.server;
  }

  nextEpoch(): number {
    return ++this.epoch;
  }

  /** Calls every worker at once. */
  all<T>(cmd: string, args: (k: number) => unknown = () => ({})): Promise<T[]> {
    return Promise.all(this.workers.map((w, k) => w.call<T>(cmd, args(k))));
  }

  /** Contiguous slices of `items`, one per worker, each a multiple of `unit` long. */
  split<T>(items: readonly T[], unit = 1): T[][] {
    const units = Math.floor(items.length / unit);
    const w = this.workers.length;
    const out: T[][] = [];
    let at = 0;
    for (let k = 0; k < w; k++) {
      const n = (Math.floor(units / w) + (k < units % w ? 1 : 0)) * unit;
      out.push(items.slice(at, at + n));
      at += n;
    }
    return out;
  }

  /** One status line, rewritten in place on a terminal, every few seconds otherwise. */
  progress(text: string, force = false): void {
    if (isTty) {
      process.stdout.write(`\r\x1b[K${text.slice(0, (process.stdout.columns ?? 120) - 1)}`);
      return;
    }
    const now = Date.now();
    if (force || now - this.lastPrint > 5000) {
      this.lastPrint = now;
      console.log(text);
    }
  }

  /** Ends the progress line so the next output starts on a fresh one. */
  log(text: string): void {
    if (isTty) process.stdout.write('\r\x1b[K');
    console.log(text);
  }

  /** PostgreSQL backends serving the server under test now (none on PGlite). */
  async dbPids(): Promise<number[]> {
    return this.scratch ? this.scratch.backendPids() : [];
  }

  add(row: Row): void {
    if (row.target === 'imw') row.target = this.ours;
    if (this.db) row.db ??= this.db;
    if (this.opts.repeat > 1) row.round ??= this.round;
    this.rows.push(row);
    const r = row.rate ? `${fmt(row.rate.value)} ${row.rate.unit}` : row.status;
    const l = row.latency ? ` p50 ${fmt(row.latency.p50)} p99 ${fmt(row.latency.p99)} ms` : '';
    const db = row.db === 'postgres' ? '/pg' : '';
    this.log(
      `  ${row.scenario} ${row.target}${db} [${row.label}]: ${r}${l}${row.note ? ` (${row.note})` : ''}`,
    );
  }

  async close(): Promise<void> {
    await this.server?.stop();
    this.server = null;
    for (const w of this.workers) w.stop();
  }
}

export function fmt(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '-';
  if (n >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString('en-US');
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

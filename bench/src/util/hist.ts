/**
 * A log-bucketed latency histogram (HDR-style): every bucket is 1 % wider than the one before, so
 * any percentile is exact to within 1 %. Why not keep sorted samples: a fan-out step delivers
 * millions of messages, spread over several worker processes. Buckets take fixed memory, cost
 * O(1) per sample, and merge by adding counts, so workers ship a few hundred numbers, not
 * millions of samples.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values are recorded in microseconds; 1 µs .. ~100 s fits in this many buckets. */
const BUCKETS = Math.ceil(Math.log(1e8) / LOG_GROWTH) + 1;

/** Sparse form for IPC and JSON: [bucket, count] pairs. */
export type HistData = Array<[number, number]>;

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  maxUs = 0;

  recordMs(ms: number): void {
    const us = Math.max(1, ms * 1000);
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log(us) / LOG_GROWTH));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count++;
    if (us > this.maxUs) this.maxUs = us;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.maxUs = 0;
  }

  toData(): HistData {
    const out: HistData = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]) out.push([i, this.counts[i]!]);
    return out;
  }

  add(data: HistData): void {
    for (const [i, n] of data) {
      this.counts[i] = (this.counts[i] ?? 0) + n;
      this.count += n;
      this.maxUs = Math.max(this.maxUs, GROWTH ** (i + 1));
    }
  }

  /** The latency (ms) below which `p` percent of the samples fall; NaN when empty. */
  percentileMs(p: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      // The bucket's upper bound, capped by the largest value seen (exact for the maximum).
      if (seen >= rank) return Math.min(GROWTH ** (i + 1), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  /** Percentile curve for the chart: [percentile, ms] points. */
  curve(points: readonly number[]): Array<[number, number]> {
    return points.map((p) => [p, this.percentileMs(p)]);
  }
}

export function mergeHist(parts: readonly HistData[]): Histogram {
  const h = new Histogram();
  for (const d of parts) h.add(d);
  return h;
}

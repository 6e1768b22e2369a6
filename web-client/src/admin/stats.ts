import type { StatsView } from './api';

/** One point of the console's charts, from two successive samples of /admin/stats. */
export interface ChartPoint {
  atMs: number;
  sessions: number;
  messagesPerSec: number;
  /** p99 of the requests answered between the two samples, in ms; null when there were none. */
  p99Ms: number | null;
}

/**
 * The 99th percentile from the histogram's bucket counts between two samples: the upper bound of
 * the first bucket that holds 99 % of the interval's requests (a bound, as Prometheus'
 * histogram_quantile gives, without its interpolation).
 */
export function p99FromBuckets(
  before: StatsView['requestDurationBuckets'],
  after: StatsView['requestDurationBuckets'],
): number | null {
  const delta = after.map((b, i) => ({ le: b.le, count: b.count - (before[i]?.count ?? 0) }));
  const total = delta.find((b) => b.le === null)?.count ?? 0;
  if (total <= 0) return null;
  const want = total * 0.99;
  for (const b of delta) {
    if (b.count >= want) return b.le === null ? null : b.le * 1000;
  }
  return null;
}

export function chartPoint(before: StatsView, after: StatsView): ChartPoint {
  const seconds = Math.max(0.001, (after.atMs - before.atMs) / 1000);
  return {
    atMs: after.atMs,
    sessions: after.sessions,
    messagesPerSec: Math.max(0, after.messagesTotal - before.messagesTotal) / seconds,
    p99Ms: p99FromBuckets(before.requestDurationBuckets, after.requestDurationBuckets),
  };
}

import { BENCH_METRICS_TOKEN } from '../target/specs';

/**
 * Reads one histogram from a server's Prometheus text (/metrics): cumulative bucket counts by
 * upper bound. Two scrapes subtracted give the histogram of what happened in between.
 */
export async function scrapeHistogram(httpUrl: string, name: string): Promise<Map<number, number>> {
  const r = await fetch(`${httpUrl}/metrics`, {
    headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
  });
  const text = await r.text();
  const buckets = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)$`);
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) buckets.set(m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
  }
  return buckets;
}

/**
 * The upper bound of the bucket holding the q-th quantile (0..1) of `after - before`: "p99 ≤ X".
 * NaN when nothing was observed in between.
 */
export function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return Number.NaN;
  for (const le of bounds) {
    if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) return le;
  }
  return Number.POSITIVE_INFINITY;
}

/** One counter (summed over its labels) from a server's Prometheus text. */
export async function scrapeCounter(httpUrl: string, name: string): Promise<number> {
  const r = await fetch(`${httpUrl}/metrics`, {
    headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
  });
  let sum = 0;
  for (const line of (await r.text()).split('\n')) {
    const m = /^(\S+?)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}

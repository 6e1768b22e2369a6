import { TEST_METRICS_TOKEN } from './server';

/** What tests and scripts read from a running server: health, Prometheus sums, latency percentiles. */

export async function healthStatus(httpUrl: string): Promise<number> {
  const r = await fetch(`${httpUrl}/healthz`);
  await r.arrayBuffer();
  return r.status;
}

/** GET with the metrics bearer token (R-SEC-20: /metrics and /cluster/nodes are not public). */
export function opsFetch(url: string, token = TEST_METRICS_TOKEN): Promise<Response> {
  return fetch(url, { headers: { authorization: `Bearer ${token}` } });
}

/** Sum of a Prometheus counter over its label sets, from /metrics (e.g. errors with code=INTERNAL). */
export async function metricSum(httpUrl: string, name: string, labelFilter = ''): Promise<number> {
  const r = await opsFetch(`${httpUrl}/metrics`);
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  const text = await r.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    if (labelFilter && !line.includes(labelFilter)) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}

/** p-th percentile (0..100) of a list of numbers; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

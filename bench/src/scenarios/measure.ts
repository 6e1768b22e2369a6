import type { ScenarioName } from '../cli';
import { type Bench, CURVE_POINTS, fmt, type Row, sleep } from '../context';
import type { LoadCounters, LoadResult } from '../load/message-load';
import type { LoadKind } from '../load/worker';
import { BackendCpu } from '../target/database';
import type { TargetName } from '../target/specs';
import { mergeHist } from '../util/hist';
import { UsageWindow } from '../util/proc';

export interface StepSpec {
  scenario: ScenarioName;
  target: TargetName;
  label: string;
  /** Per-actor send rate, /s. */
  rate: number;
  actors: number;
}

/** Sets up a message load on every worker; returns false (and the reason) when it is unavailable. */
export async function setupLoad(
  bench: Bench,
  kind: LoadKind,
  args: (k: number) => unknown,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const res = await bench.all<{ ok: boolean; unavailable?: string }>('load.setup', (k) => ({
    kind,
    args: args(k),
  }));
  const bad = res.find((r) => !r.ok);
  return bad ? { ok: false, reason: bad.unavailable ?? 'unavailable' } : { ok: true };
}

/**
 * One measured step of a message scenario: warm up at the rate, then count under a fresh epoch
 * for the configured duration while sampling the server's and the generators' CPU and memory,
 * stop, let in-flight messages land, and merge what the workers counted.
 */
export async function measureStep(
  bench: Bench,
  s: StepSpec,
): Promise<Row & { raw: LoadCounters; windowSec: number }> {
  const { opts } = bench;
  const server = bench.serverOrThrow;
  await bench.all('load.start', () => ({ rate: s.rate }));
  await sleep(opts.warmupSec * 1000);
  const epoch = bench.nextEpoch();
  await bench.all('load.mark', () => ({ epoch }));
  const fromMs = Date.now() - server.startedAtMs;
  const srv = new UsageWindow([server.pid]);
  const gen = new UsageWindow(bench.workers.map((w) => w.pid));
  const db = new BackendCpu(await bench.dbPids());
  const t0 = Date.now();
  while (Date.now() - t0 < opts.durationSec * 1000) {
    await sleep(Math.min(1000, opts.durationSec * 1000 - (Date.now() - t0)));
    const peek = await bench.all<LoadCounters>('load.peek');
    const sent = peek.reduce((a, p) => a + p.sent, 0);
    const got = peek.reduce((a, p) => a + p.delivered, 0);
    const secs = (Date.now() - t0) / 1000;
    bench.progress(
      `  ${s.scenario} ${s.target} [${s.label}] ${secs.toFixed(0)}/${opts.durationSec}s ` +
        `sent ${fmt(sent / secs)}/s delivered ${fmt(got / secs)}/s server CPU ${fmt(srv.cpuPctSoFar())}%`,
    );
  }
  const su = srv.end();
  const gu = gen.end();
  const dbMs = db.usedMs();
  bench.windows.push({ scenario: s.scenario, label: s.label, fromMs, toMs: Date.now() - server.startedAtMs });
  await bench.all('load.stop');
  await drain(bench, opts.drainSec * 1000, opts.drainMaxSec * 1000);
  const parts = await bench.all<LoadResult>('load.collect');
  const row = toRow(s, parts, su, gu);
  if (bench.scratch && row.raw.delivered > 0) row.dbCpuUs = (dbMs * 1000) / row.raw.delivered;
  return row;
}

/**
 * Waits at least `minMs`, then for as long as deliveries keep arriving (up to `maxMs`), so that a
 * backlogged server's late deliveries count as late (in the latency), not as lost.
 */
async function drain(bench: Bench, minMs: number, maxMs: number): Promise<void> {
  await sleep(minMs);
  const deadline = Date.now() + maxMs;
  const delivered = async () =>
    (await bench.all<LoadCounters>('load.peek')).reduce((a, p) => a + p.delivered, 0);
  let last = await delivered();
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = await delivered();
    if (now === last) return;
    bench.progress(`  draining: ${fmt(now - last)} late deliveries in the last second`);
    last = now;
  }
}

function toRow(
  s: StepSpec,
  parts: LoadResult[],
  su: ReturnType<UsageWindow['end']>,
  gu: ReturnType<UsageWindow['end']>,
): Row & { raw: LoadCounters; windowSec: number } {
  const sum = (f: (p: LoadResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  const raw: LoadCounters = {
    sent: sum((p) => p.sent),
    unsent: sum((p) => p.unsent),
    acked: sum((p) => p.acked),
    expected: sum((p) => p.expected),
    delivered: sum((p) => p.delivered),
    errors: {},
    disconnects: sum((p) => p.disconnects),
  };
  const extra: Record<string, number | string> = {};
  for (const p of parts) {
    for (const [k, n] of Object.entries(p.errors)) raw.errors[k] = (raw.errors[k] ?? 0) + n;
    for (const [k, n] of Object.entries(p.extra)) extra[k] = ((extra[k] as number | undefined) ?? 0) + n;
  }
  const secs = su.wallMs / 1000;
  const h = mergeHist(parts.map((p) => p.hist));
  const lost = raw.expected > 0 ? Math.max(0, raw.expected - raw.delivered) : 0;
  const errors = Object.entries(raw.errors)
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');
  Object.assign(extra, {
    offeredPerSec: s.actors * s.rate,
    sentPerSec: raw.sent / secs,
    ackedPerSec: raw.acked / secs,
    unsent: raw.unsent,
    disconnects: raw.disconnects,
    serverRssPeakMB: su.rssPeakBytes / 2 ** 20,
  });
  const notes = [
    raw.unsent > 0 ? `generator fell behind: ${fmt(raw.unsent)} sends skipped` : '',
    errors ? `errors ${errors}` : '',
  ].filter(Boolean);
  return {
    scenario: s.scenario,
    target: s.target,
    label: s.label,
    status: 'ok',
    ...(notes.length ? { note: notes.join('; ') } : {}),
    rate: { value: raw.delivered / secs, unit: 'deliveries/s' },
    latency: {
      p50: h.percentileMs(50),
      p95: h.percentileMs(95),
      p99: h.percentileMs(99),
      max: h.percentileMs(100),
      samples: h.count,
    },
    losses: { count: lost, pct: raw.expected > 0 ? (lost / raw.expected) * 100 : 0 },
    serverCpuPct: su.cpuPct,
    serverWaitPct: su.waitPct,
    serverRssMB: su.rssEndBytes / 2 ** 20,
    loadgenCpuPct: gu.cpuPct,
    serverCpuUs: raw.delivered > 0 ? (su.cpuMs * 1000) / raw.delivered : undefined,
    extra,
    curve: h.curve(CURVE_POINTS),
    raw,
    windowSec: secs,
  };
}

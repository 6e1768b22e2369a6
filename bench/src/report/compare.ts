import type { Options } from '../cli';
import { fmt, type Row } from '../context';
import type { TargetName } from '../target/specs';
import { STORAGE_CPU_TARGET, type StorageRatio, storageRatios } from './storage';

export interface Capacity {
  target: TargetName;
  deliveriesPerSec: number;
  p99Ms: number;
  label: string;
  serverCpuUs: number | undefined;
}

export interface Verdict {
  goal: string;
  figure: string;
  /** null when the run did not measure it at the goal's size. */
  met: boolean | null;
}

export interface Summary {
  p99BoundMs: number;
  capacity: Capacity[];
  ratios: {
    vsUws?: number;
    vsSocketIo?: number;
    cpuPerDeliveryVsUws?: CpuRatio;
    cpuPerDeliveryVsSocketIo?: CpuRatio;
  };
  verdicts: Verdict[];
  /** Fan-out with storage next to the base (absent in runs saved before it existed). */
  storage?: StorageRatio[];
}

/** The best fan-out step of a server that kept p99 within the bound, lost < 1 % and was fully offered. */
function capacityOf(rows: readonly Row[], target: TargetName, boundMs: number): Capacity | null {
  let best: Capacity | null = null;
  for (const r of rows) {
    if (r.scenario !== 'fanout' || r.target !== target || r.status !== 'ok' || !r.rate || !r.latency)
      continue;
    const ok = r.latency.p99 <= boundMs && (r.losses?.pct ?? 0) <= 1 && !(Number(r.extra?.unsent) > 0);
    if (ok && (!best || r.rate.value > best.deliveriesPerSec)) {
      best = {
        target,
        deliveriesPerSec: r.rate.value,
        p99Ms: r.latency.p99,
        label: r.label,
        serverCpuUs: r.serverCpuUs,
      };
    }
  }
  return best;
}

/**
 * Ratio of server CPU per delivery at the highest per-member rate both servers carried without
 * collapsing (losses ≤ 1 %, generator on schedule): a figure neighbours on the machine barely move.
 */
function cpuAtCommonRate(rows: readonly Row[], a: TargetName, b: TargetName): CpuRatio | undefined {
  const rates = (t: TargetName) =>
    new Map(
      rows
        .filter(
          (r) =>
            r.scenario === 'fanout' &&
            r.target === t &&
            r.serverCpuUs !== undefined &&
            (r.losses?.pct ?? 0) <= 1 &&
            !(Number(r.extra?.unsent) > 0),
        )
        .map((r) => [Number(r.extra?.ratePerMember), r.serverCpuUs!]),
    );
  const ra = rates(a);
  const rb = rates(b);
  const common = [...ra.keys()].filter((k) => rb.has(k)).sort((x, y) => y - x)[0];
  if (common === undefined) return undefined;
  return { ratio: ra.get(common)! / rb.get(common)!, ratePerMember: common };
}

export interface CpuRatio {
  ratio: number;
  ratePerMember: number;
}

export function summarize(rows: readonly Row[], opts: Options): Summary {
  const bound = opts.p99BoundMs;
  // A server that ran the fan-out but met the bound at no step has a capacity of 0.
  const ran = new Set(rows.filter((r) => r.scenario === 'fanout' && r.status === 'ok').map((r) => r.target));
  const capacity = (['imw', 'uws', 'socketio'] as const)
    .filter((t) => ran.has(t))
    .map(
      (t): Capacity =>
        capacityOf(rows, t, bound) ?? {
          target: t,
          deliveriesPerSec: 0,
          p99Ms: Number.NaN,
          label: 'no step met the bound',
          serverCpuUs: undefined,
        },
    );
  const cap = (t: TargetName) => capacity.find((c) => c.target === t)?.deliveriesPerSec;
  const ours = cap('imw');
  const ratio = (other: number | undefined) => (ours !== undefined && other ? ours / other : undefined);
  const ratios: Summary['ratios'] = {
    vsUws: ratio(cap('uws')),
    vsSocketIo: ratio(cap('socketio')),
    cpuPerDeliveryVsUws: cpuAtCommonRate(rows, 'imw', 'uws'),
    cpuPerDeliveryVsSocketIo: cpuAtCommonRate(rows, 'imw', 'socketio'),
  };
  const find = (s: Row['scenario']) => rows.find((r) => r.scenario === s && r.status === 'ok');
  const verdicts: Verdict[] = [];
  if (ratios.vsUws !== undefined)
    verdicts.push({
      goal: `fan-out ≥ 50% of bare uWS deliveries/s (p99 ≤ ${bound} ms)`,
      figure: `${(ratios.vsUws * 100).toFixed(0)}%`,
      met: ratios.vsUws >= 0.5,
    });
  if (ratios.vsSocketIo !== undefined)
    verdicts.push({
      goal: `fan-out ≥ 3× socket.io deliveries/s (p99 ≤ ${bound} ms)`,
      figure: `${ratios.vsSocketIo.toFixed(2)}×`,
      met: ratios.vsSocketIo >= 3,
    });
  const sc = find('scene');
  if (sc?.latency)
    verdicts.push({
      goal: 'scene: 1000 players × 5 moves/s with p99 < 100 ms',
      figure: `${sc.label}: p99 ${fmt(sc.latency.p99)} ms`,
      met: opts.scenePlayers >= 1000 && opts.moveRate >= 5 ? sc.latency.p99 < 100 : null,
    });
  const idle = find('idle');
  if (idle?.extra) {
    // RSS can understate (pages freed by the GC before the first reading get reused), so the
    // verdict takes the larger of the RSS and JS-heap growth.
    const rss = Number(idle.extra.rssPerSessionKB);
    const heap = Number(idle.extra.heapPerSessionKB);
    verdicts.push({
      goal: '≤ 8 KB server memory per idle session at 10,000 sessions',
      figure: `${rss.toFixed(2)} KB RSS, ${heap.toFixed(2)} KB JS heap per session at ${fmt(idle.rate?.value)} sessions`,
      met: (idle.rate?.value ?? 0) >= 10_000 ? Math.max(rss, heap) <= 8 : null,
    });
  }
  const login = find('login');
  if (login?.extra)
    verdicts.push({
      goal: '≥ 1000 logins/s per server core',
      figure: `${fmt(Number(login.extra.loginsPerServerCoreSec))} per core-second`,
      met: Number(login.extra.loginsPerServerCoreSec) >= 1000,
    });
  const storage = storageRatios(rows);
  for (const db of new Set(storage.map((x) => x.db))) {
    const mine = storage.filter((x) => x.db === db);
    verdicts.push({
      goal: `group fan-out with storage on ${db} ≤ ${STORAGE_CPU_TARGET}× the base's CPU per delivery${db === 'postgres' ? ' (server + PostgreSQL)' : ''}`,
      figure: mine
        .map(
          (x) => `${x.totalRatio.toFixed(2)}× at ${x.ratePerMember} msg/s per member (median of ${x.rounds})`,
        )
        .join(', '),
      met: mine.every((x) => x.totalRatio <= STORAGE_CPU_TARGET),
    });
  }
  return { p99BoundMs: bound, capacity, ratios, verdicts, storage };
}

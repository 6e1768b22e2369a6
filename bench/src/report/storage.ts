import type { Row } from '../context';
import type { DbKind } from '../target/database';

/**
 * Group fan-out with durable storage ('imw') next to the same server before it ('base'), per
 * database and per-member rate, each figure the median over the rounds of a --repeat run.
 */
export interface StorageRatio {
  db: DbKind;
  ratePerMember: number;
  rounds: number;
  /** Server CPU per delivery, µs. */
  imwUs: number;
  baseUs: number;
  ratio: number;
  /** Server + PostgreSQL backends per delivery, µs (= server on PGlite). */
  imwTotalUs: number;
  baseTotalUs: number;
  totalRatio: number;
  imwP99Ms: number;
  baseP99Ms: number;
}

export const STORAGE_CPU_TARGET = 1.5;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Steps that ran whole (losses ≤ 1 %, generator on schedule) with a CPU figure. */
const sound = (r: Row) =>
  r.scenario === 'fanout' &&
  r.status === 'ok' &&
  r.serverCpuUs !== undefined &&
  (r.losses?.pct ?? 0) <= 1 &&
  !(Number(r.extra?.unsent) > 0);

export function storageRatios(rows: readonly Row[]): StorageRatio[] {
  const out: StorageRatio[] = [];
  const keyed = new Map<string, { imw: Row[]; base: Row[] }>();
  for (const r of rows.filter(sound)) {
    if (r.target !== 'imw' && r.target !== 'base') continue;
    const key = `${r.db ?? 'pglite'}|${Number(r.extra?.ratePerMember)}`;
    const slot = keyed.get(key) ?? { imw: [], base: [] };
    slot[r.target].push(r);
    keyed.set(key, slot);
  }
  for (const [key, { imw, base }] of keyed) {
    if (imw.length === 0 || base.length === 0) continue;
    const [db, rate] = key.split('|') as [DbKind, string];
    const cpu = (rs: Row[]) => median(rs.map((r) => r.serverCpuUs!));
    const total = (rs: Row[]) => median(rs.map((r) => r.serverCpuUs! + (r.dbCpuUs ?? 0)));
    const p99 = (rs: Row[]) => median(rs.map((r) => r.latency?.p99 ?? Number.NaN));
    out.push({
      db,
      ratePerMember: Number(rate),
      rounds: Math.min(imw.length, base.length),
      imwUs: cpu(imw),
      baseUs: cpu(base),
      ratio: cpu(imw) / cpu(base),
      imwTotalUs: total(imw),
      baseTotalUs: total(base),
      totalRatio: total(imw) / total(base),
      imwP99Ms: p99(imw),
      baseP99Ms: p99(base),
    });
  }
  return out.sort((a, b) => a.db.localeCompare(b.db) || a.ratePerMember - b.ratePerMember);
}

import { fmt, type Row } from '../context';
import type { CpuRatio, Summary } from './compare';

const COLUMNS = [
  'scenario',
  'server',
  'load',
  'rate',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'losses',
  'srv CPU %',
  'srv wait %',
  'srv µs/op',
  'db µs/op',
  'srv RSS MB',
  'gen CPU %',
] as const;

function cells(r: Row): string[] {
  const rate = r.rate ? `${fmt(r.rate.value)} ${r.rate.unit}` : r.status;
  const loss = r.losses ? `${fmt(r.losses.count)} (${r.losses.pct.toFixed(2)}%)` : '-';
  return [
    r.scenario,
    `${r.target}${r.db === 'postgres' ? '/pg' : ''}${r.round ? ` #${r.round}` : ''}`,
    r.label,
    rate,
    fmt(r.latency?.p50),
    fmt(r.latency?.p95),
    fmt(r.latency?.p99),
    loss,
    fmt(r.serverCpuPct),
    fmt(r.serverWaitPct),
    fmt(r.serverCpuUs),
    fmt(r.dbCpuUs),
    fmt(r.serverRssMB),
    fmt(r.loadgenCpuPct),
  ];
}

/** A plain-text table (also valid Markdown), one row per scenario step and server. */
export function table(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)));
  const line = (cs: readonly string[]) => `| ${cs.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(COLUMNS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.scenario}/${r.target} [${r.label}]: ${r.note}`);
  return [...out, '', ...notes].join('\n');
}

export function summaryText(s: Summary): string {
  const lines = [`Fan-out capacity (best step with p99 ≤ ${s.p99BoundMs} ms, losses ≤ 1%):`];
  for (const c of s.capacity)
    lines.push(
      `  ${c.target.padEnd(9)} ${fmt(c.deliveriesPerSec)} deliveries/s, p99 ${fmt(c.p99Ms)} ms, ` +
        `${fmt(c.serverCpuUs)} µs server CPU per delivery [${c.label}]`,
    );
  const r = s.ratios;
  if (r.vsUws !== undefined)
    lines.push(`  ours / bare uWS: ${(r.vsUws * 100).toFixed(0)}% of its deliveries/s`);
  if (r.vsSocketIo !== undefined) lines.push(`  ours / socket.io: ${r.vsSocketIo.toFixed(2)}×`);
  const cpu = (c: CpuRatio | undefined, name: string) => {
    if (c)
      lines.push(
        `  our server CPU per delivery: ${c.ratio.toFixed(2)}× ${name}'s (both at ${c.ratePerMember} msg/s per member)`,
      );
  };
  cpu(r.cpuPerDeliveryVsUws, 'bare uWS');
  cpu(r.cpuPerDeliveryVsSocketIo, 'socket.io');
  if (s.storage?.length) {
    lines.push(
      '',
      'Group fan-out with storage (imw) next to the base, medians over rounds, µs CPU per delivery:',
    );
    for (const x of s.storage)
      lines.push(
        `  ${x.db.padEnd(8)} ${x.ratePerMember} msg/s per member: server ${fmt(x.imwUs)} vs ${fmt(x.baseUs)} ` +
          `(${x.ratio.toFixed(2)}×), server+db ${fmt(x.imwTotalUs)} vs ${fmt(x.baseTotalUs)} ` +
          `(${x.totalRatio.toFixed(2)}×); p99 ${fmt(x.imwP99Ms)} vs ${fmt(x.baseP99Ms)} ms; ${x.rounds} rounds`,
      );
  }
  lines.push('', 'Targets:');
  for (const v of s.verdicts) {
    const mark = v.met === null ? 'not measured at size' : v.met ? 'met' : 'MISSED';
    lines.push(`  [${mark}] ${v.goal}: ${v.figure}`);
  }
  return lines.join('\n');
}

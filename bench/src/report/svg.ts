import type { Row } from '../context';

/**
 * A latency-percentile chart, written by hand: x is the percentile on the usual
 * log(1 / (1 − p)) scale (so 90, 99, 99.9 are evenly spaced), y is latency on a log scale.
 * One curve per server, all at the same fan-out load.
 */
const W = 720;
const H = 420;
const PAD = { left: 64, right: 150, top: 40, bottom: 48 };
const COLORS: Record<string, string> = { imw: '#d9480f', uws: '#1971c2', socketio: '#2f9e44' };
const X_TICKS = [0, 50, 90, 99, 99.9, 99.99];
const X_MAX = 4.3;

const xOf = (p: number) => Math.min(X_MAX, p >= 100 ? X_MAX : Math.log10(1 / (1 - p / 100)));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The fan-out rows to compare: the highest per-member rate that every server carried. */
export function chartRows(rows: readonly Row[]): { rows: Row[]; title: string } {
  // Steps where a server collapsed (losses, generator behind) would only show the collapse.
  const fan = rows.filter(
    (r) =>
      r.scenario === 'fanout' &&
      r.status === 'ok' &&
      r.curve &&
      (r.losses?.pct ?? 0) <= 1 &&
      !(Number(r.extra?.unsent) > 0),
  );
  const targets = [...new Set(fan.map((r) => r.target))];
  const rateSets = targets.map(
    (t) => new Set(fan.filter((r) => r.target === t).map((r) => r.extra?.ratePerMember)),
  );
  const common = [...(rateSets[0] ?? [])]
    .filter((x) => rateSets.every((s) => s.has(x)))
    .sort((a, b) => Number(b) - Number(a))[0];
  const picked = targets
    .map((t) =>
      fan.filter((r) => r.target === t && (common === undefined || r.extra?.ratePerMember === common)).at(-1),
    )
    .filter((r): r is Row => r !== undefined);
  return { rows: picked, title: `Fan-out latency by percentile: ${picked[0]?.label ?? 'no data'}` };
}

export function latencySvg(rows: readonly Row[], title: string): string {
  const all = rows
    .flatMap((r) => r.curve ?? [])
    .map(([, ms]) => ms)
    .filter((ms) => ms > 0 && Number.isFinite(ms));
  const yMin = 10 ** Math.floor(Math.log10(Math.max(0.01, Math.min(...all, 1))));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...all, 1)));
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const sx = (p: number) => PAD.left + (xOf(p) / X_MAX) * pw;
  const sy = (ms: number) =>
    PAD.top + ph - ((Math.log10(Math.max(ms, yMin)) - Math.log10(yMin)) / Math.log10(yMax / yMin)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const p of X_TICKS) {
    const x = sx(p).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${PAD.top + ph + 18}" text-anchor="middle">${p}</text>`);
  }
  for (let v = yMin; v <= yMax * 1.001; v *= 10) {
    const y = sy(v).toFixed(1);
    out.push(`<line x1="${PAD.left}" x2="${PAD.left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${PAD.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${v}</text>`);
  }
  out.push(
    `<text x="${PAD.left + pw / 2}" y="${H - 10}" text-anchor="middle">percentile</text>`,
    `<text transform="translate(16 ${PAD.top + ph / 2}) rotate(-90)" text-anchor="middle">latency, ms (log)</text>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
  );
  rows.forEach((r, i) => {
    const color = COLORS[r.target] ?? '#555';
    const pts = (r.curve ?? []).filter(([p, ms]) => p < 100 && Number.isFinite(ms));
    const d = pts.map(([p, ms]) => `${sx(p).toFixed(1)},${sy(ms).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const [p, ms] of pts)
      out.push(`<circle cx="${sx(p).toFixed(1)}" cy="${sy(ms).toFixed(1)}" r="2.5" fill="${color}"/>`);
    const ly = PAD.top + 16 + i * 36;
    const rate = r.rate ? `${Math.round(r.rate.value).toLocaleString('en-US')} deliv/s` : '';
    out.push(
      `<line x1="${W - PAD.right + 12}" x2="${W - PAD.right + 32}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`,
      `<text x="${W - PAD.right + 38}" y="${ly}" dominant-baseline="middle">${esc(r.target)}</text>`,
      `<text x="${W - PAD.right + 38}" y="${ly + 15}" dominant-baseline="middle" fill="#666">${esc(rate)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A small dependency-free SVG line chart: one panel per series group, sharing the time axis. */

export interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const W = 900;
const PANEL_H = 260;
const M = { left: 70, right: 20, top: 34, bottom: 36 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/** A round step (1, 2 or 5 times a power of ten) giving about `n` intervals up to `max`. */
function niceStep(max: number, n: number): number {
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

export function svgChart(title: string, panels: Panel[]): string {
  const all = panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x)));
  const xStep = niceStep(Math.max(1, ...all), 6);
  const xMax = Math.ceil(Math.max(1, ...all) / xStep) * xStep;
  const parts: string[] = [];
  const height = panels.length * PANEL_H + 30;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
  );
  panels.forEach((panel, i) => {
    const top = 30 + i * PANEL_H;
    const plotW = W - M.left - M.right;
    const plotH = PANEL_H - M.top - M.bottom;
    const yMax = niceMax(Math.max(0, ...panel.series.flatMap((s) => s.points.map(([, y]) => y))));
    const sx = (x: number) => M.left + (x / xMax) * plotW;
    const sy = (y: number) => top + M.top + plotH - (y / yMax) * plotH;
    parts.push(`<text x="${M.left}" y="${top + 20}" font-weight="bold">${esc(panel.title)}</text>`);
    for (let k = 0; k <= 4; k++) {
      const y = (yMax * k) / 4;
      parts.push(
        `<line x1="${M.left}" x2="${W - M.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/>`,
        `<text x="${M.left - 6}" y="${sy(y) + 4}" text-anchor="end">${+y.toFixed(1)} ${esc(panel.unit)}</text>`,
      );
    }
    for (let x = 0; x <= xMax + 1e-9; x += xStep) {
      parts.push(
        `<text x="${sx(x)}" y="${top + PANEL_H - 14}" text-anchor="middle">${+x.toFixed(0)} s</text>`,
      );
    }
    panel.series.forEach((s, j) => {
      if (s.points.length === 0) return;
      const d = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${d}"/>`,
        `<text x="${W - M.right - 170}" y="${top + 20 + j * 14}" fill="${s.color}">${esc(s.label)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

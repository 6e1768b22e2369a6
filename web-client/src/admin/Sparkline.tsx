import { useT } from '../i18n/useT';

/** A small line chart in inline SVG: the last values, scaled to the largest, with the latest shown. */
export function Sparkline({
  id,
  label,
  values,
  format,
}: {
  /** For tests: `chart-<id>` marks the latest value. */
  id: string;
  label: string;
  values: readonly (number | null)[];
  format: (v: number) => string;
}) {
  const { t } = useT();
  const W = 240;
  const H = 64;
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(1e-9, ...known);
  const step = values.length > 1 ? W / (values.length - 1) : W;
  let d = '';
  values.forEach((v, i) => {
    if (v === null) return;
    const x = (i * step).toFixed(1);
    const y = (H - 4 - (v / max) * (H - 8)).toFixed(1);
    d += `${d === '' || values[i - 1] === null ? 'M' : 'L'}${x},${y} `;
  });
  const last = [...values].reverse().find((v) => v !== null);
  const shown = last === undefined || last === null ? '–' : format(last);
  return (
    <figure className="admin-chart">
      <figcaption>
        {label} <strong data-testid={`chart-${id}`}>{shown}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} role="img" aria-label={`${label}: ${shown}`}>
        <line x1="0" y1={H - 4} x2={W} y2={H - 4} className="admin-chart-axis" />
        {d && <path d={d.trim()} className="admin-chart-line" />}
      </svg>
      <span className="admin-muted">
        {t('admin:charts.max', { value: known.length ? format(max) : '–' })}
      </span>
    </figure>
  );
}

import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/useT';
import type { AdminApi, StatsView } from './api';
import { Sparkline } from './Sparkline';
import { type ChartPoint, chartPoint } from './stats';
import { usePoll } from './usePoll';

const SAMPLE_MS = 2000;
/** Two minutes of points. */
const KEEP = 60;

/** R-ADM-7: sessions, chat messages per second and p99 request time of the node serving the console. */
export function ChartsPanel({ api, onUnauthorized }: { api: AdminApi; onUnauthorized: () => void }) {
  const { t } = useT();
  const stats = usePoll(api.stats, SAMPLE_MS, onUnauthorized);
  const prev = useRef<StatsView | null>(null);
  const [points, setPoints] = useState<ChartPoint[]>([]);

  useEffect(() => {
    const now = stats.value;
    if (!now) return;
    const before = prev.current;
    prev.current = now;
    // A restarted node (or another node behind a balancer) starts its counters again.
    if (!before || before.nodeId !== now.nodeId || now.atMs <= before.atMs) return;
    setPoints((p) => [...p, chartPoint(before, now)].slice(-KEEP));
  }, [stats.value]);

  return (
    <section className="card admin-panel admin-panel--wide" aria-labelledby="charts-h">
      <h2 id="charts-h">
        {t('admin:charts.title')}{' '}
        <span className="admin-muted">{t('admin:charts.node', { node: stats.value?.nodeId ?? '…' })}</span>
      </h2>
      <div className="admin-charts">
        <Sparkline
          id="sessions"
          label={t('admin:charts.sessions')}
          values={points.map((p) => p.sessions)}
          format={(v) => v.toFixed(0)}
        />
        <Sparkline
          id="messages"
          label={t('admin:charts.messages')}
          values={points.map((p) => p.messagesPerSec)}
          format={(v) => t('admin:charts.perSec', { value: v.toFixed(1) })}
        />
        <Sparkline
          id="p99"
          label={t('admin:charts.p99')}
          values={points.map((p) => p.p99Ms)}
          format={(v) => t('admin:charts.ms', { value: v.toFixed(1) })}
        />
      </div>
    </section>
  );
}

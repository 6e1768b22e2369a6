import { useEffect, useRef, useState } from 'react';
import type { AdminApi, StatsView } from './api';
import { Sparkline } from './Sparkline';
import { type ChartPoint, chartPoint } from './stats';
import { usePoll } from './usePoll';

const SAMPLE_MS = 2000;
/** Two minutes of points. */
const KEEP = 60;

/** R-ADM-7: sessions, chat messages per second and p99 request time of the node serving the console. */
export function ChartsPanel({ api, onUnauthorized }: { api: AdminApi; onUnauthorized: () => void }) {
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
        Live <span className="admin-muted">node {stats.value?.nodeId ?? '…'}</span>
      </h2>
      <div className="admin-charts">
        <Sparkline label="Sessions" values={points.map((p) => p.sessions)} unit="" />
        <Sparkline label="Messages" values={points.map((p) => p.messagesPerSec)} unit="/s" digits={1} />
        <Sparkline label="p99" values={points.map((p) => p.p99Ms)} unit="ms" digits={1} />
      </div>
    </section>
  );
}

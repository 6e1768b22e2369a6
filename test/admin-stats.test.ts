import { describe, expect, it } from 'vitest';
import type { StatsView } from '../web-client/src/admin/api';
import { chartPoint, p99FromBuckets } from '../web-client/src/admin/stats';

const buckets = (counts: number[]) =>
  [0.001, 0.01, 0.1, null].map((le, i) => ({ le, count: counts[i] ?? 0 }));

const sample = (atMs: number, messagesTotal: number, counts: number[]): StatsView => ({
  nodeId: 'n1',
  atMs,
  sessions: 3,
  connections: 3,
  onlineUsers: 2,
  messagesTotal,
  requestsTotal: 0,
  requestDurationBuckets: buckets(counts),
});

describe('the console charts', () => {
  it('R-ADM-7: p99 comes from the requests between two samples, not since start', () => {
    // Before: 1000 fast requests. Between: 100 requests, 2 of them slower than 10 ms.
    const before = buckets([1000, 1000, 1000, 1000]);
    const after = buckets([1090, 1098, 1100, 1100]);
    expect(p99FromBuckets(before, after)).toBe(100);
    // All fast in the interval: the first bucket.
    expect(p99FromBuckets(before, buckets([1100, 1100, 1100, 1100]))).toBe(1);
    // Nothing happened: no value rather than zero.
    expect(p99FromBuckets(before, before)).toBeNull();
  });

  it('R-ADM-7: messages per second from two counters and the time between them', () => {
    const p = chartPoint(sample(10_000, 50, [0, 0, 0, 0]), sample(12_000, 70, [0, 0, 0, 0]));
    expect(p).toEqual({ atMs: 12_000, sessions: 3, messagesPerSec: 10, p99Ms: null });
  });
});

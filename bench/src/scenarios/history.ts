import { type Bench, CURVE_POINTS, fmt } from '../context';
import type { PagesResult, Seeded, SyncResult } from '../load/imw-history';
import { BackendCpu } from '../target/database';
import { mergeHist } from '../util/hist';
import { UsageWindow } from '../util/proc';
import { waitQuiet } from './sessions';

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Durable history (#13): one reader with `historyMessages` offline messages from
 * `historyFriends` friends (half direct, half in a group they share), written through the
 * protocol while the reader is offline. Then (1) the reader logs in on a fresh SDK client,
 * which syncs everything (chat.sync + chat.history pages, R-SDK-1), timed and its server CPU
 * counted, `historyRounds` times; (2) the friends page backwards through the group
 * (chat.history beforeSeq, full pages) at `pageConcurrency` in flight.
 */
export async function history(bench: Bench, firstAccount: number): Promise<void> {
  const { opts } = bench;
  const server = bench.serverOrThrow;
  const url = server.wsUrl;
  const f = opts.historyFriends;
  const friends = Array.from({ length: f }, (_, k) => firstAccount + 1 + k);
  const perFriendGroup = Math.ceil(opts.historyMessages / 2 / f);
  const perFriendDirect = Math.max(0, Math.ceil(opts.historyMessages / f) - perFriendGroup);
  await waitQuiet(bench);
  bench.progress(`  history: seeding ${opts.historyMessages} offline messages from ${f} friends…`, true);
  const [w0] = bench.workers;
  const seeded = await w0!.call<Seeded>('history.seed', {
    url,
    reader: firstAccount,
    friends,
    perFriendDirect,
    perFriendGroup,
  });
  bench.log(`  history: seeded ${seeded.total} messages in ${seeded.seedSec.toFixed(1)} s`);
  await waitQuiet(bench);
  await syncRounds(bench, url, firstAccount, seeded);
  await waitQuiet(bench);
  await historyPages(bench, url, friends, seeded, f * perFriendGroup);
}

async function syncRounds(bench: Bench, url: string, reader: number, seeded: Seeded): Promise<void> {
  const { opts } = bench;
  const server = bench.serverOrThrow;
  const runs: Array<SyncResult & { cpuMs: number; dbMs: number; waitPct: number }> = [];
  for (let r = 0; r < opts.historyRounds; r++) {
    bench.progress(`  history: login sync ${r + 1}/${opts.historyRounds}…`, true);
    const fromMs = Date.now() - server.startedAtMs;
    const srv = new UsageWindow([server.pid]);
    // The pool's connections are open from the seeding; one opened during the window is missed.
    const db = new BackendCpu(await bench.dbPids());
    const res = await bench.workers[0]!.call<SyncResult>('history.sync', { url, reader });
    const su = srv.end();
    runs.push({ ...res, cpuMs: su.cpuMs, dbMs: db.usedMs(), waitPct: su.waitPct });
    bench.windows.push({ scenario: 'history', label: 'sync', fromMs, toMs: Date.now() - server.startedAtMs });
    if (res.messages !== seeded.total)
      throw new Error(`sync emitted ${res.messages} messages, ${seeded.total} were stored`);
  }
  const synced = runs.map((x) => x.syncedMs);
  // CPU as the mean over the rounds: /proc counts in 10 ms ticks, a sync is tens of ms.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cpu = mean(runs.map((x) => x.cpuMs));
  const dbMs = mean(runs.map((x) => x.dbMs));
  bench.add({
    scenario: 'history',
    target: 'imw',
    label: `login + sync of ${fmt(seeded.total)} offline msgs in ${runs[0]!.conversations} convs`,
    status: 'ok',
    rate: { value: seeded.total / (median(synced) / 1000), unit: 'msgs/s synced' },
    // Over a handful of rounds: p50 is the median, p95/p99/max the slowest round.
    latency: {
      p50: median(synced),
      p95: Math.max(...synced),
      p99: Math.max(...synced),
      max: Math.max(...synced),
      samples: runs.length,
    },
    serverWaitPct: median(runs.map((x) => x.waitPct)),
    serverCpuUs: cpu * 1000,
    ...(bench.scratch ? { dbCpuUs: dbMs * 1000 } : {}),
    note:
      `${runs.length} rounds; time to fully synced (login → last message) median ${fmt(median(synced))} ms, ` +
      `max ${fmt(Math.max(...synced))} ms (login alone ${fmt(median(runs.map((x) => x.loginMs)))} ms); ` +
      `server CPU per sync (mean) ${fmt(cpu)} ms${bench.scratch ? ` + PostgreSQL ${fmt(dbMs)} ms` : ''} ` +
      `(op = one whole sync; seeding took ${seeded.seedSec.toFixed(1)} s)`,
    extra: {
      rounds: runs.length,
      messages: seeded.total,
      syncedMsAll: synced.map((x) => x.toFixed(1)).join(' '),
      serverCpuMsAll: runs.map((x) => x.cpuMs.toFixed(0)).join(' '),
      loginMsMedian: median(runs.map((x) => x.loginMs)),
      seedSec: seeded.seedSec,
    },
  });
}

async function historyPages(
  bench: Bench,
  url: string,
  friends: number[],
  seeded: Seeded,
  lastSeq: number,
): Promise<void> {
  const { opts } = bench;
  const server = bench.serverOrThrow;
  const parts = bench.split(friends);
  const lanes = bench.split(Array.from({ length: opts.pageConcurrency }, (_, i) => i)).map((l) => l.length);
  const label = `chat.history beforeSeq, limit ${opts.pageLimit}, ${opts.pageConcurrency} in flight (group of ${fmt(lastSeq)} msgs)`;
  bench.progress(`  history: ${label}…`, true);
  const active = bench.workers.filter((_, k) => parts[k]!.length > 0 && lanes[k]! > 0);
  await Promise.all(
    active.map((w) =>
      w.call('history.pagesSetup', {
        url,
        indices: parts[w.index],
        conv: seeded.groupConv,
        lastSeq,
        limit: opts.pageLimit,
        concurrency: lanes[w.index],
      }),
    ),
  );
  try {
    // A short warm-up (JIT, prepared statements), then the measured window.
    await Promise.all(active.map((w) => w.call('history.pagesRun', { durationMs: 1000 })));
    const fromMs = Date.now() - server.startedAtMs;
    const srv = new UsageWindow([server.pid]);
    const gen = new UsageWindow(bench.workers.map((w) => w.pid));
    const db = new BackendCpu(await bench.dbPids());
    const res = await Promise.all(
      active.map((w) => w.call<PagesResult>('history.pagesRun', { durationMs: opts.durationSec * 1000 })),
    );
    const su = srv.end();
    const gu = gen.end();
    const dbMs = db.usedMs();
    bench.windows.push({ scenario: 'history', label, fromMs, toMs: Date.now() - server.startedAtMs });
    const pages = res.reduce((a, r) => a + r.pages, 0);
    const messages = res.reduce((a, r) => a + r.messages, 0);
    const errors = res.flatMap((r) => Object.entries(r.errors).map(([k, n]) => `${k}×${n}`)).join(' ');
    const h = mergeHist(res.map((r) => r.hist));
    bench.add({
      scenario: 'history',
      target: 'imw',
      label,
      status: 'ok',
      rate: { value: pages / (su.wallMs / 1000), unit: 'pages/s' },
      latency: {
        p50: h.percentileMs(50),
        p95: h.percentileMs(95),
        p99: h.percentileMs(99),
        max: h.percentileMs(100),
        samples: h.count,
      },
      serverCpuPct: su.cpuPct,
      serverWaitPct: su.waitPct,
      serverRssMB: su.rssEndBytes / 2 ** 20,
      loadgenCpuPct: gu.cpuPct,
      serverCpuUs: pages > 0 ? (su.cpuMs * 1000) / pages : undefined,
      ...(bench.scratch && pages > 0 ? { dbCpuUs: (dbMs * 1000) / pages } : {}),
      note: `op = one page; ${(messages / Math.max(1, pages)).toFixed(1)} msgs per page${errors ? `; errors ${errors}` : ''}`,
      extra: { pages, messagesPerPage: messages / Math.max(1, pages) },
      curve: h.curve(CURVE_POINTS),
    });
  } finally {
    await Promise.all(active.map((w) => w.call('history.pagesTeardown')));
  }
}

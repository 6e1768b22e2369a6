import { type Bench, CURVE_POINTS, fmt, sleep } from '../context';
import { type HistData, mergeHist } from '../util/hist';
import { UsageWindow } from '../util/proc';

/** Logins in flight per worker: enough to keep the server busy without queueing for seconds. */
const LOGIN_CONCURRENCY = 16;

/** Registers accounts 0..n-1 over the protocol (setup, not measured). */
export async function prepareAccounts(bench: Bench, n: number): Promise<void> {
  const url = bench.serverOrThrow.wsUrl;
  const parts = bench.split(
    Array.from({ length: n }, (_, i) => i),
    1,
  );
  const t0 = Date.now();
  const timer = setInterval(
    () => bench.progress(`  registering ${n} accounts… ${(Date.now() - t0) / 1000}s`),
    1000,
  );
  try {
    await bench.all('register', (k) => ({ url, indices: parts[k] }));
  } finally {
    clearInterval(timer);
  }
  bench.log(`  registered ${n} accounts in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Waits until the server reports no sessions left from the previous scenario. */
export async function waitQuiet(bench: Bench, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let sessions = -1;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${bench.serverOrThrow.httpUrl}/healthz`);
      sessions = ((await r.json()) as { sessions?: number }).sessions ?? 0;
      if (sessions === 0) return 0;
    } catch {
      // health endpoint missing or busy: fall back to the timeout
    }
    await sleep(250);
  }
  return sessions;
}

async function heldProgress(bench: Bench, what: string, total: number, t0: number): Promise<void> {
  const open = (await bench.all<number>('heldOpen')).reduce((a, b) => a + b, 0);
  const secs = (Date.now() - t0) / 1000;
  bench.progress(
    `  ${what}: ${fmt(open)}/${fmt(total)} logged in, ${secs.toFixed(0)}s (${fmt(open / secs)}/s)`,
  );
}

/** Login storm: every prepared account logs in on a fresh connection, as fast as it can. */
export async function loginStorm(bench: Bench, n: number): Promise<void> {
  const server = bench.serverOrThrow;
  await waitQuiet(bench);
  const parts = bench.split(Array.from({ length: n }, (_, i) => i));
  const srv = new UsageWindow([server.pid]);
  const gen = new UsageWindow(bench.workers.map((w) => w.pid));
  const fromMs = Date.now() - server.startedAtMs;
  const t0 = Date.now();
  const timer = setInterval(() => void heldProgress(bench, 'login storm', n, t0), 1000);
  type Res = { ok: number; errors: Record<string, number>; login: HistData; connect: HistData };
  let res: Res[];
  try {
    res = await bench.all<Res>('loginStorm', (k) => ({
      url: server.wsUrl,
      indices: parts[k],
      concurrency: LOGIN_CONCURRENCY,
    }));
  } finally {
    clearInterval(timer);
  }
  const su = srv.end();
  const gu = gen.end();
  bench.windows.push({ scenario: 'login', label: 'storm', fromMs, toMs: Date.now() - server.startedAtMs });
  const ok = res.reduce((a, r) => a + r.ok, 0);
  const login = mergeHist(res.map((r) => r.login));
  const connect = mergeHist(res.map((r) => r.connect));
  const errors = res.flatMap((r) => Object.entries(r.errors).map(([k, v]) => `${k}×${v}`)).join(' ');
  const perCore = ok / (su.cpuMs / 1000);
  bench.add({
    scenario: 'login',
    target: 'imw',
    label: `${fmt(n)} logins, ${LOGIN_CONCURRENCY * bench.workers.length} in flight`,
    status: 'ok',
    note: `${fmt(perCore)} logins per server core-second${errors ? `; errors ${errors}` : ''}`,
    rate: { value: ok / (su.wallMs / 1000), unit: 'logins/s' },
    latency: {
      p50: login.percentileMs(50),
      p95: login.percentileMs(95),
      p99: login.percentileMs(99),
      max: login.percentileMs(100),
      samples: login.count,
    },
    serverCpuPct: su.cpuPct,
    serverWaitPct: su.waitPct,
    serverRssMB: su.rssEndBytes / 2 ** 20,
    loadgenCpuPct: gu.cpuPct,
    serverCpuUs: (su.cpuMs * 1000) / ok,
    extra: {
      loginsPerServerCoreSec: perCore,
      failed: n - ok,
      connectP50Ms: connect.percentileMs(50),
      connectP99Ms: connect.percentileMs(99),
    },
    curve: login.curve(CURVE_POINTS),
  });
  await bench.all('closeHeld');
}

/** Idle sessions: server memory per logged-in session, after a full GC before and after. */
export async function idleSessions(bench: Bench, n: number): Promise<void> {
  const server = bench.serverOrThrow;
  const left = await waitQuiet(bench);
  const before = await server.settle();
  const parts = bench.split(Array.from({ length: n }, (_, i) => i));
  const t0 = Date.now();
  const timer = setInterval(() => void heldProgress(bench, 'idle sessions', n, t0), 1000);
  let opened: Array<{ ok: number; failed: number }>;
  try {
    opened = await bench.all('idleOpen', (k) => ({ url: server.wsUrl, indices: parts[k] }));
  } finally {
    clearInterval(timer);
  }
  const ok = opened.reduce((a, r) => a + r.ok, 0);
  // Let login-time garbage and queued notifications settle before the second reading.
  await sleep(2000);
  const after = await server.settle();
  const still = (await bench.all<number>('heldOpen')).reduce((a, b) => a + b, 0);
  const rssPerSessionKB = (after.rssBytes - before.rssBytes) / ok / 1024;
  const heapPerSessionKB = (after.heapUsedBytes - before.heapUsedBytes) / ok / 1024;
  bench.add({
    scenario: 'idle',
    target: 'imw',
    label: `${fmt(n)} idle logged-in sessions`,
    status: 'ok',
    note: `${rssPerSessionKB.toFixed(2)} KB RSS and ${heapPerSessionKB.toFixed(2)} KB JS heap per session${
      still < ok ? `; ${ok - still} sessions dropped while idle` : ''
    }${left > 0 ? `; ${left} earlier sessions were still open` : ''}`,
    rate: { value: ok, unit: 'sessions' },
    serverRssMB: after.rssBytes / 2 ** 20,
    extra: {
      rssPerSessionKB,
      heapPerSessionKB,
      rssBeforeMB: before.rssBytes / 2 ** 20,
      rssAfterMB: after.rssBytes / 2 ** 20,
      heapBeforeMB: before.heapUsedBytes / 2 ** 20,
      heapAfterMB: after.heapUsedBytes / 2 ** 20,
      failed: n - ok,
      setupSec: (Date.now() - t0) / 1000,
    },
  });
  await bench.all('closeHeld');
}

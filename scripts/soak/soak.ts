/**
 * Soak: the server as a child process, N clients chatting for D seconds.
 *
 *   node --import tsx scripts/soak/soak.ts                       200 clients, 600 s
 *   node --import tsx scripts/soak/soak.ts --seconds 30          a quick look
 *   node --import tsx scripts/soak/soak.ts --clients 500 --rate 1 --database-url postgres://…
 *
 * Clients form a ring of friends (each befriends the next); each sends `--rate` messages a second
 * (Poisson) to a random friend, with heartbeats and reconnect-and-resume on, as the web client
 * does. Every `--sample` seconds: the server's RSS and CPU (from /proc), the delivery latency of
 * the messages received in that window (p50, p99, max), /healthz. At the end every acknowledged
 * message must have arrived exactly once: lost messages must be 0.
 *
 * Writes scripts/soak/results/soak-latest.json and soak-latest.svg (memory and p99 over time).
 * Exits 1 on a lost or duplicated message, a crash or a failed health check.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cpuMs } from '../../bench/src/util/proc';
import { percentile } from '../../server/test/support/measure';
import { spawnServer } from '../../server/test/support/process';
import { connectUser, inBatches, type ScriptUser } from '../../server/test/support/script-users';
import { befriend } from '../../server/test/support/users';
import { svgChart } from './plot';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '600' },
    rate: { type: 'string', default: '0.5' },
    sample: { type: 'string', default: '5' },
    'database-url': { type: 'string' },
    out: { type: 'string', default: resolve(import.meta.dirname, 'results') },
  },
});
const N = Number(args.clients);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const SAMPLE_S = Number(args.sample);

const srv = await spawnServer({
  ...(args['database-url'] ? { databaseUrl: args['database-url'] } : {}),
  env: {
    SCRAM_DEFAULT_ITERATIONS: '4096',
    MAX_CONNECTIONS_PER_ADDRESS: String(N + 100),
    PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: '0',
  },
});
const startRss = srv.rssBytes();
console.log(`soak: server pid ${srv.pid} at ${srv.httpUrl} (rss ${mb(startRss)} MB); ${N} clients`);

const setupStarted = Date.now();
const users: ScriptUser[] = await inBatches(
  Array.from({ length: N }, (_, i) => i),
  20,
  () => connectUser(srv.wsUrl, 'soak', { heartbeat: true, reconnect: true }),
);
await inBatches(users, 20, (u, i) => befriend(u, users[(i + 1) % N]!));
const friendsOf = users.map((_, i) => [(i + 1) % N, (i + N - 1) % N]);
console.log(
  `soak: ${N} users logged in and befriended in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`,
);

interface Msg {
  to: number;
  sentAt: number;
  acked: boolean;
  received: number;
}
const messages = new Map<string, Msg>();
let windowLatencies: number[] = [];
const allLatencies: number[] = [];
let sendErrors = 0;
const sendErrorCodes: Record<string, number> = {};
let duplicates = 0;
let reconnects = 0;

users.forEach((u, i) => {
  u.client.on('chat.message', (m) => {
    let body: { s: number; n: number };
    try {
      body = JSON.parse(m.text) as { s: number; n: number };
    } catch {
      return;
    }
    const msg = messages.get(`${body.s}:${body.n}`);
    if (!msg || msg.to !== i) return;
    msg.received++;
    if (msg.received > 1) {
      duplicates++;
      return;
    }
    const latency = Date.now() - msg.sentAt;
    windowLatencies.push(latency);
    allLatencies.push(latency);
  });
  u.client.on('resumed', () => {
    reconnects++;
  });
});

const runStarted = Date.now();
const deadline = runStarted + SECONDS * 1000;
let sent = 0;
const senders = users.map(async (u, i) => {
  let n = 0;
  while (Date.now() < deadline) {
    // Poisson arrivals: exponential gaps with mean 1/rate.
    await sleep(Math.min(deadline - Date.now(), (-Math.log(1 - Math.random()) / RATE) * 1000));
    if (Date.now() >= deadline) break;
    const friends = friendsOf[i]!;
    const to = friends[Math.floor(Math.random() * friends.length)]!;
    const key = `${i}:${n}`;
    const msg: Msg = { to, sentAt: Date.now(), acked: false, received: 0 };
    messages.set(key, msg);
    sent++;
    const text = JSON.stringify({ s: i, n: n++ });
    u.client.request('chat.send', { to: users[to]!.userId, text }).then(
      () => {
        msg.acked = true;
      },
      (e: { code?: string }) => {
        sendErrors++;
        sendErrorCodes[e.code ?? 'unknown'] = (sendErrorCodes[e.code ?? 'unknown'] ?? 0) + 1;
      },
    );
  }
});

interface Sample {
  t: number;
  rssMb: number;
  cpuPct: number;
  sent: number;
  received: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  health: number;
  online: number;
}
const samples: Sample[] = [];
let lastCpu = cpuMs(srv.pid) / 1000;
let lastAt = Date.now();
const problems: string[] = [];
const sampler = (async () => {
  while (Date.now() < deadline) {
    await sleep(SAMPLE_S * 1000);
    const cpu = cpuMs(srv.pid) / 1000;
    const now = Date.now();
    let health = 0;
    try {
      const r = await fetch(`${srv.httpUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
      health = r.status;
      await r.arrayBuffer();
    } catch {
      health = -1;
    }
    if (health !== 200)
      problems.push(`/healthz answered ${health} at ${((now - runStarted) / 1000).toFixed(0)} s`);
    const lat = windowLatencies;
    windowLatencies = [];
    const s: Sample = {
      t: +((now - runStarted) / 1000).toFixed(1),
      rssMb: +mb(srv.rssBytes()),
      cpuPct: +(((cpu - lastCpu) / ((now - lastAt) / 1000)) * 100).toFixed(1),
      sent,
      received: allLatencies.length,
      p50: lat.length ? percentile(lat, 50) : null,
      p99: lat.length ? percentile(lat, 99) : null,
      max: lat.length ? Math.max(...lat) : null,
      health,
      online: users.filter((u) => u.client.state.status === 'authenticated').length,
    };
    lastCpu = cpu;
    lastAt = now;
    samples.push(s);
    console.log(
      `  t=${s.t}s rss=${s.rssMb} MB cpu=${s.cpuPct}% sent=${s.sent} received=${s.received} ` +
        `p50=${s.p50} p99=${s.p99} max=${s.max} ms online=${s.online}/${N}`,
    );
    if (srv.exit) break;
  }
})();

await Promise.all(senders);
await sampler;
// Let the last messages land (acked ones must all arrive).
const drainDeadline = Date.now() + 10_000;
const outstanding = () => [...messages.values()].filter((m) => m.acked && m.received === 0).length;
while (outstanding() > 0 && Date.now() < drainDeadline) await sleep(100);

const acked = [...messages.values()].filter((m) => m.acked).length;
const lost = outstanding();
const unacked = [...messages.values()].filter((m) => !m.acked && m.received === 0).length;
if (srv.exit) problems.push(`the server exited: ${JSON.stringify(srv.exit)}\n${srv.tail()}`);
if (lost > 0) problems.push(`${lost} acknowledged messages never arrived`);
if (duplicates > 0) problems.push(`${duplicates} messages arrived twice`);

const rss = samples.map((s) => s.rssMb);
const q = Math.max(1, Math.floor(rss.length / 4));
const result = {
  at: new Date().toISOString(),
  config: {
    clients: N,
    seconds: SECONDS,
    ratePerClient: RATE,
    sampleSeconds: SAMPLE_S,
    db: args['database-url'] ? 'postgres' : 'pglite',
  },
  totals: {
    sent,
    acked,
    received: allLatencies.length,
    lost,
    duplicates,
    sendErrors,
    sendErrorCodes,
    unackedNotReceived: unacked,
    reconnects,
  },
  latencyMs: {
    p50: percentile(allLatencies, 50),
    p95: percentile(allLatencies, 95),
    p99: percentile(allLatencies, 99),
    max: allLatencies.length ? Math.max(...allLatencies) : null,
  },
  rssMb: {
    start: +mb(startRss),
    end: rss.at(-1) ?? null,
    max: rss.length ? Math.max(...rss) : null,
    /** Median of the last quarter of samples minus that of the second quarter (after warm-up). */
    growthSecondHalf:
      rss.length >= 8
        ? +(percentile(rss.slice(-q), 50) - percentile(rss.slice(q, 2 * q), 50)).toFixed(1)
        : null,
  },
  problems,
  samples,
};
mkdirSync(args.out, { recursive: true });
const jsonPath = join(args.out, 'soak-latest.json');
const svgPath = join(args.out, 'soak-latest.svg');
writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  svgPath,
  svgChart(`Soak: ${N} clients, ${RATE} msg/s each, ${SECONDS} s (${result.config.db})`, [
    {
      title: 'Server memory (RSS)',
      unit: 'MB',
      series: [{ label: 'RSS', color: '#1f77b4', points: samples.map((s) => [s.t, s.rssMb]) }],
    },
    {
      title: 'Message delivery latency (per sample window)',
      unit: 'ms',
      series: [
        {
          label: 'p99',
          color: '#d62728',
          points: samples.flatMap((s) => (s.p99 === null ? [] : [[s.t, s.p99] as [number, number]])),
        },
        {
          label: 'p50',
          color: '#2ca02c',
          dashed: true,
          points: samples.flatMap((s) => (s.p50 === null ? [] : [[s.t, s.p50] as [number, number]])),
        },
      ],
    },
  ]),
);
for (const u of users) u.client.close();
await srv.stop();
console.log(
  `soak: sent ${sent}, acked ${acked}, received ${allLatencies.length}, lost ${lost}, duplicates ${duplicates}, ` +
    `send errors ${sendErrors} ${JSON.stringify(sendErrorCodes)}, reconnects ${reconnects}`,
);
console.log(
  `soak: latency p50 ${result.latencyMs.p50} / p95 ${result.latencyMs.p95} / p99 ${result.latencyMs.p99} / max ` +
    `${result.latencyMs.max} ms; rss ${result.rssMb.start} -> ${result.rssMb.end} MB (max ${result.rssMb.max}, ` +
    `second-half growth ${result.rssMb.growthSecondHalf} MB)`,
);
console.log(`soak: wrote ${jsonPath} and ${svgPath}`);
for (const p of problems) console.log(`  PROBLEM: ${p}`);
process.exit(problems.length === 0 ? 0 : 1);

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

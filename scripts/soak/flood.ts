/**
 * Flood figures: how much a flood slows everyone else down.
 *
 *   node --import tsx scripts/soak/flood.ts                    20 pairs, 8 attackers, 20 s per phase
 *   node --import tsx scripts/soak/flood.ts --seconds 10 --attackers 16
 *   node --import tsx scripts/soak/flood.ts --profile /tmp/flood-prof   (CPU profile of the server)
 *
 * The server runs as a child process with its default limits. `--pairs` pairs of friends chat
 * (each sends every 100 ms and asks for its profile every 500 ms) through three phases: calm,
 * under attack, and after. During the attack, separate processes (so the attackers' CPU is not
 * charged to the clients being measured) run `--attackers` flooders: logged-in connections
 * sending 50 database-backed requests per frame as fast as they can and logging in again each
 * time they are closed, and as many pre-login connections sending garbage and reconnecting.
 * Prints, per phase, the p50/p99/max of others' request round trips and message delivery, the
 * errors they saw, the server's CPU and RSS, and what happened to the attackers.
 *
 * (The behaviour itself, throttled then closed while others are answered, is the test R-HARD-7.)
 */
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cpuMs } from '../../bench/src/util/proc';
import { runAttacker } from '../../server/test/support/attacker';
import { opsFetch, percentile } from '../../server/test/support/measure';
import { spawnServer } from '../../server/test/support/process';
import { connectUser, inBatches } from '../../server/test/support/script-users';
import { befriend } from '../../server/test/support/users';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    url: { type: 'string' },
    pairs: { type: 'string', default: '20' },
    attackers: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '20' },
    'database-url': { type: 'string' },
    /** Write a CPU profile of the server (node --cpu-prof) into this directory. */
    profile: { type: 'string' },
  },
});

if (args.role === 'attacker') {
  // One attacker process: says when it is loaded and ready, then prints its tallies as JSON.
  process.stdout.write('ready\n');
  const r = await runAttacker(args.url!, Number(args.seconds) * 1000);
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

const PAIRS = Number(args.pairs);
const ATTACKERS = Number(args.attackers);
const PHASE_MS = Number(args.seconds) * 1000;

const srv = await spawnServer({
  ...(args['database-url'] ? { databaseUrl: args['database-url'] } : {}),
  env: { SCRAM_DEFAULT_ITERATIONS: '4096' },
  ...(args.profile ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] } : {}),
});
console.log(
  `flood: server pid ${srv.pid} at ${srv.httpUrl}, default limits; ${PAIRS} pairs, ${ATTACKERS} attackers`,
);
const users = await inBatches(
  Array.from({ length: PAIRS * 2 }, (_, i) => i),
  10,
  () => connectUser(srv.wsUrl, 'calm'),
);
for (let i = 0; i < PAIRS; i++) await befriend(users[2 * i]!, users[2 * i + 1]!);

interface Window {
  rtt: number[];
  delivery: number[];
  errors: Record<string, number>;
}
let win: Window = { rtt: [], delivery: [], errors: {} };
const sentAt = new Map<string, number>();
for (const u of users) {
  u.client.on('chat.message', (m) => {
    const t = sentAt.get(m.text);
    if (t !== undefined) win.delivery.push(Date.now() - t);
  });
}

let running = true;
const timed = async (w: () => Window, fn: () => Promise<unknown>) => {
  const t0 = Date.now();
  try {
    await fn();
    w().rtt.push(Date.now() - t0);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown';
    w().errors[code] = (w().errors[code] ?? 0) + 1;
  }
};
const loops = users.map(async (u, i) => {
  const friend = users[i ^ 1]!;
  let n = 0;
  while (running) {
    const text = `m ${i} ${n++}`;
    sentAt.set(text, Date.now());
    const jobs = [
      timed(
        () => win,
        () => u.client.request('chat.send', { to: friend.userId, text }),
      ),
    ];
    if (n % 5 === 0)
      jobs.push(
        timed(
          () => win,
          () => u.client.request('account.getProfile', {}),
        ),
      );
    await Promise.all([...jobs, sleep(100)]);
  }
});

interface PhaseReport {
  phase: string;
  rtt: string;
  delivery: string;
  errors: Record<string, number>;
  serverCpuPct: number;
  rssMb: number;
  /** p99 event-loop delay of the server (prom-client) and of this measuring process, ms. */
  serverLagP99Ms: number;
  clientLagP99Ms: number;
}
const reports: PhaseReport[] = [];
const fmt = (xs: number[]) =>
  xs.length === 0
    ? 'n/a'
    : `p50 ${percentile(xs, 50)} / p99 ${percentile(xs, 99)} / max ${Math.max(...xs)} ms (n=${xs.length})`;
async function phase(name: string): Promise<void> {
  win = { rtt: [], delivery: [], errors: {} };
  const cpu0 = cpuMs(srv.pid) / 1000;
  const t0 = Date.now();
  await serverLagP99Ms(); // prom-client resets its histogram on every scrape: start the window
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  await sleep(PHASE_MS);
  lag.disable();
  const w = win;
  const r: PhaseReport = {
    phase: name,
    rtt: fmt(w.rtt),
    delivery: fmt(w.delivery),
    errors: w.errors,
    serverCpuPct: +(((cpuMs(srv.pid) / 1000 - cpu0) / ((Date.now() - t0) / 1000)) * 100).toFixed(0),
    rssMb: +(srv.rssBytes() / 2 ** 20).toFixed(0),
    serverLagP99Ms: await serverLagP99Ms(),
    clientLagP99Ms: +(lag.percentile(99) / 1e6).toFixed(0),
  };
  reports.push(r);
  console.log(`  ${name.padEnd(12)} request rtt ${r.rtt}`);
  console.log(`  ${''.padEnd(12)} delivery    ${r.delivery}`);
  console.log(
    `  ${''.padEnd(12)} errors ${JSON.stringify(r.errors)}, server cpu ${r.serverCpuPct}%, rss ${r.rssMb} MB, ` +
      `event-loop lag p99: server ${r.serverLagP99Ms} ms, this client process ${r.clientLagP99Ms} ms`,
  );
}

await sleep(2000); // warm-up, not measured
await phase('calm');
// The measured window opens once every attacker process has loaded (tsx takes a second or two).
const attackers = Array.from({ length: ATTACKERS }, () => attackerProcess(srv.wsUrl, PHASE_MS));
await Promise.all(attackers.map((a) => a.ready));
await phase('under attack');
const attack = await Promise.all(attackers.map((a) => a.done.catch((e: unknown) => ({ error: String(e) }))));
await phase('after');
running = false;
await Promise.all(loops);
for (const u of users) u.client.close();
const healthy = await fetch(`${srv.httpUrl}/healthz`).then(
  (r) => r.status,
  () => -1,
);
const crashed = srv.exit;
await srv.stop();

const totals: Record<string, number> = {};
for (const a of attack as Array<Record<string, number | string>>) {
  for (const [k, v] of Object.entries(a)) if (typeof v === 'number') totals[k] = (totals[k] ?? 0) + v;
}
console.log(`flood: attackers in total ${JSON.stringify(totals)}`);
console.log(
  `flood: /healthz after ${healthy}; server ${crashed ? `EXITED ${JSON.stringify(crashed)}` : 'alive'}`,
);
process.exit(healthy === 200 && !crashed ? 0 : 1);

function attackerProcess(url: string, ms: number) {
  let ready: () => void = () => undefined;
  const readyP = new Promise<void>((r) => {
    ready = r;
  });
  const done = new Promise<Record<string, number>>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        '--role',
        'attacker',
        '--url',
        url,
        '--seconds',
        String(ms / 1000),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      if (out.startsWith('ready\n')) ready();
    });
    child.once('exit', (code) => {
      ready();
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>);
      } catch {
        reject(new Error(`attacker exited ${code}: ${out}`));
      }
    });
  });
  return { ready: readyP, done };
}

/** The server's own event-loop delay p99 (prom-client's default metrics), in ms. */
async function serverLagP99Ms(): Promise<number> {
  try {
    const text = await (await opsFetch(`${srv.httpUrl}/metrics`)).text();
    const m = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
    return m ? +(Number(m[1]) * 1000).toFixed(0) : -1;
  } catch {
    return -1;
  }
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseOptions, type ScenarioName } from './cli';
import { Bench } from './context';
import { summarize } from './report/compare';
import { loadProfile, profileText, summarizeProfile } from './report/profile';
import { summaryText, table } from './report/table';
import { type RunReport, saveReport, writeResults } from './report/write';
import { chat, fanout, scene } from './scenarios/messaging';
import { idleSessions, loginStorm, prepareAccounts } from './scenarios/sessions';
import { REPO_ROOT, ServerChild } from './target/server';
import { baselineSpec, imwSpec } from './target/specs';

/**
 * The benchmark: our server and two baselines, each as a child process, driven by load-generator
 * worker processes speaking each server's real protocol. See bench/README.md.
 */
const opts = parseOptions(process.argv.slice(2));
if (opts.from) {
  // Re-render a saved run: same rows and options, summary recomputed by today's code.
  const saved = JSON.parse(readFileSync(opts.from, 'utf8')) as RunReport;
  const report = { ...saved, summary: summarize(saved.rows, saved.options) };
  const files = saveReport(resolve(REPO_ROOT, opts.outDir), report);
  console.log(`${table(report.rows)}\n\n${summaryText(report.summary)}\n\nwrote ${files.join(', ')}`);
  process.exit(0);
}
const startedAt = new Date();
const bench = new Bench(opts);
const has = (s: ScenarioName) => opts.scenarios.includes(s);
const outDir = resolve(REPO_ROOT, opts.outDir);
const profileDir = join(outDir, `profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
const serverLogs: Record<string, unknown> = {};
let profile: unknown;

/** A scenario that throws becomes a 'failed' row; the others still run. */
async function guarded(scenario: ScenarioName, target: 'imw' | 'uws' | 'socketio', fn: () => Promise<void>) {
  try {
    await fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    bench.add({ scenario, target, label: '-', status: 'failed', note: msg });
    await bench.all('load.teardown').catch(() => undefined);
    await bench.all('closeHeld').catch(() => undefined);
  }
}

async function runOurs(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'imw-bench-'));
  const flags = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  bench.log(`starting our server (fresh PGlite in ${dataDir})…`);
  try {
    bench.server = await ServerChild.start(imwSpec(dataDir, flags, opts.profile ? 'source' : 'bundle'));
    const chatN = has('chat') ? opts.chatClients : 0;
    const fanN = has('fanout') && opts.targets.includes('imw') ? opts.fanoutClients : 0;
    const sceneN = has('scene') ? opts.scenePlayers : 0;
    // Login and idle run first, on accounts with no friends or groups yet; the message
    // scenarios then take disjoint ranges so their relations do not overlap.
    const pool = Math.max(
      has('login') ? opts.logins : 0,
      has('idle') ? opts.idleSessions : 0,
      chatN + fanN + sceneN,
    );
    await prepareAccounts(bench, pool);
    if (has('login')) await guarded('login', 'imw', () => loginStorm(bench, opts.logins));
    if (has('idle')) await guarded('idle', 'imw', () => idleSessions(bench, opts.idleSessions));
    if (chatN) await guarded('chat', 'imw', () => chat(bench, 0));
    if (fanN) await guarded('fanout', 'imw', () => fanout(bench, 'imw', chatN));
    if (sceneN) await guarded('scene', 'imw', () => scene(bench, chatN + fanN));
  } finally {
    serverLogs.imw = bench.server?.logDigest;
    await bench.server?.stop();
    bench.server = null;
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (opts.profile) {
    const p = loadProfile(profileDir);
    const sections = [...new Set(bench.windows.map((w) => w.scenario))].map((scenario) => {
      const s = summarizeProfile(
        p,
        bench.windows.filter((w) => w.scenario === scenario),
      );
      bench.log(`\n${profileText(s, `profile of our server during ${scenario}`)}`);
      return { scenario, ...s };
    });
    profile = { dir: profileDir, windows: bench.windows, sections };
  }
}

async function runBaseline(name: 'uws' | 'socketio'): Promise<void> {
  bench.log(`starting the ${name} baseline…`);
  try {
    bench.server = await ServerChild.start(baselineSpec(name));
    await guarded('fanout', name, () => fanout(bench, name, 0));
  } finally {
    serverLogs[name] = bench.server?.logDigest;
    await bench.server?.stop();
    bench.server = null;
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const loadAvgStart = loadavg();
  if (loadAvgStart[0]! > cpus().length)
    bench.log(
      `note: load average ${loadAvgStart[0]!.toFixed(1)} on ${cpus().length} cores; expect noisy latencies`,
    );
  const ours = opts.scenarios.some((s) => s !== 'fanout') || opts.targets.includes('imw');
  if (ours) await runOurs();
  if (has('fanout')) {
    for (const t of opts.targets) if (t !== 'imw') await runBaseline(t);
  }
  const summary = summarize(bench.rows, opts);
  const files = writeResults(outDir, startedAt, loadAvgStart, {
    options: opts,
    rows: bench.rows,
    summary,
    profile,
    serverLogs,
  });
  bench.log(`\n${table(bench.rows)}\n\n${summaryText(summary)}\n`);
  for (const [name, d] of Object.entries(serverLogs)) {
    const digest = d as { warnings: number; errors: number; samples: string[] } | undefined;
    if (digest && digest.warnings + digest.errors > 0)
      bench.log(
        `${name} server log: ${digest.warnings} warnings, ${digest.errors} errors: ${digest.samples.join(' | ')}`,
      );
  }
  bench.log(`wrote ${files.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

try {
  await main();
} finally {
  await bench.close();
}

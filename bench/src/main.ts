import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseOptions, type ScenarioName } from './cli';
import { Bench } from './context';
import { summarize } from './report/compare';
import { loadProfile, profileText, summarizeProfile } from './report/profile';
import { summaryText, table } from './report/table';
import { type RunReport, saveReport, writeResults } from './report/write';
import { history } from './scenarios/history';
import { chat, fanout, scene } from './scenarios/messaging';
import { idleSessions, loginStorm, prepareAccounts } from './scenarios/sessions';
import { type DbKind, ScratchDatabase } from './target/database';
import { REPO_ROOT, ServerChild } from './target/server';
import { baselineSpec, imwSpec, type TargetName } from './target/specs';

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
async function guarded(scenario: ScenarioName, target: TargetName, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    bench.add({ scenario, target, label: '-', status: 'failed', note: msg });
    await bench.all('load.teardown').catch(() => undefined);
    await bench.all('closeHeld').catch(() => undefined);
  }
}

/**
 * Our server ('imw', this checkout) or the same server at another commit ('base', --base-dir),
 * on one database, with every selected scenario the checkout has (history is new in #13).
 */
async function runOurs(target: 'imw' | 'base', db: DbKind): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'imw-bench-'));
  const flags = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const root = target === 'base' ? resolve(opts.baseDir!) : undefined;
  const where = db === 'postgres' ? 'a scratch PostgreSQL database' : `a fresh PGlite in ${dataDir}`;
  bench.log(`starting ${target === 'base' ? `the base server (${root})` : 'our server'} on ${where}…`);
  bench.useWorkersFrom(root ?? null);
  try {
    bench.scratch = db === 'postgres' ? await ScratchDatabase.create(opts.adminDatabaseUrl!) : null;
    bench.db = db;
    bench.ours = target;
    bench.server = await ServerChild.start(
      imwSpec(dataDir, {
        nodeFlags: flags,
        name: target,
        root,
        databaseUrl: bench.scratch?.url,
        run: opts.profile ? 'source' : 'bundle',
      }),
    );
    const on = (s: ScenarioName) => has(s) && (target === 'imw' || s !== 'history');
    const chatN = on('chat') ? opts.chatClients : 0;
    const fanN = on('fanout') && opts.targets.includes(target) ? opts.fanoutClients : 0;
    const sceneN = on('scene') ? opts.scenePlayers : 0;
    const histN = on('history') ? opts.historyFriends + 1 : 0;
    // Login and idle run first, on accounts with no friends or groups yet; the message
    // scenarios then take disjoint ranges so their relations do not overlap.
    const pool = Math.max(
      on('login') ? opts.logins : 0,
      on('idle') ? opts.idleSessions : 0,
      chatN + fanN + sceneN + histN,
    );
    await prepareAccounts(bench, pool);
    if (on('login')) await guarded('login', target, () => loginStorm(bench, opts.logins));
    if (on('idle')) await guarded('idle', target, () => idleSessions(bench, opts.idleSessions));
    if (chatN) await guarded('chat', target, () => chat(bench, 0));
    if (fanN) await guarded('fanout', target, () => fanout(bench, target, chatN));
    if (sceneN) await guarded('scene', target, () => scene(bench, chatN + fanN));
    if (histN) await guarded('history', target, () => history(bench, chatN + fanN + sceneN));
  } finally {
    serverLogs[`${target}/${db}#${bench.round}`] = bench.server?.logDigest;
    await bench.server?.stop();
    bench.server = null;
    await bench.scratch?.drop();
    bench.scratch = null;
    bench.db = null;
    bench.ours = 'imw';
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (opts.profile && target === 'imw') {
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
  bench.useWorkersFrom(null);
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
  const base = opts.targets.includes('base');
  // Ours and the base alternate which goes first, round by round, so that a neighbour's busy
  // spell does not always land on the same one.
  for (bench.round = 1; bench.round <= opts.repeat; bench.round++) {
    for (const db of opts.dbs) {
      const order: Array<'imw' | 'base'> = [
        ...(ours ? ['imw' as const] : []),
        ...(base ? ['base' as const] : []),
      ];
      if (bench.round % 2 === 0) order.reverse();
      for (const t of order) await runOurs(t, db);
    }
  }
  bench.round = 1;
  if (has('fanout')) {
    for (const t of opts.targets) if (t === 'uws' || t === 'socketio') await runBaseline(t);
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

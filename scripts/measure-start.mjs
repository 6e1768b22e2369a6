#!/usr/bin/env node
// Start time and idle memory of one server node, run two ways side by side: the TypeScript through
// tsx (how tests and `npm run dev` run it) and the built bundle through plain node (how
// `npm start` runs it). Each run is timed from spawn to the "IM World is running" line and to the
// first 200 from /healthz; RSS is read from /proc one second after that, with nobody connected.
//
//   node scripts/measure-start.mjs [--runs 5]
//
// "fresh" is a new data folder (PGlite creates and migrates it) and, for tsx, an empty compile
// cache (a fresh clone has none); for the bundle the build time is reported on its own line.
// "reopen" starts again on the data folder the fresh run left (and tsx's warm cache).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildServer } from '../server/build.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 3;

const MODES = {
  tsx: ['--import', 'tsx', 'server/src/main.ts'],
  node: ['server/dist/main.js'],
};

/** One start: resolves with the timings and RSS, after the node has been stopped again. */
async function startOnce(args, env) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  let out = '';
  child.stderr.on('data', (d) => {
    out += d;
  });
  const url = await new Promise((res, rej) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /IM World is running: (\S+)/.exec(out);
      if (m) res(m[1]);
    });
    exited.then((code) => rej(new Error(`server exited with ${code}:\n${out}`)));
  });
  const runningMs = performance.now() - t0;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const healthyMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
  child.kill('SIGTERM');
  await exited;
  return { runningMs, healthyMs, rssMb: rssKb / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const builds = [];
const results = { tsx: { fresh: [], reopen: [] }, node: { fresh: [], reopen: [] } };
for (let run = 0; run < RUNS; run++) {
  builds.push(await buildServer());
  // Alternate which goes first, so that neither always meets a warmer machine.
  const order = run % 2 ? ['node', 'tsx'] : ['tsx', 'node'];
  for (const mode of order) {
    const data = mkdtempSync(join(tmpdir(), 'imw-start-'));
    const cache = mkdtempSync(join(tmpdir(), 'imw-tsxcache-'));
    try {
      const env = { DATA_DIR: join(data, 'data'), TMPDIR: cache };
      results[mode].fresh.push(await startOnce(MODES[mode], env));
      results[mode].reopen.push(await startOnce(MODES[mode], env));
      process.stderr.write('.');
    } finally {
      rmSync(data, { recursive: true, force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }
}

const row = (label, xs) =>
  `${label.padEnd(22)} ${median(xs.map((x) => x.runningMs))
    .toFixed(0)
    .padStart(8)} ms ` +
  `${median(xs.map((x) => x.healthyMs))
    .toFixed(0)
    .padStart(8)} ms ${median(xs.map((x) => x.rssMb))
    .toFixed(1)
    .padStart(8)} MB`;
console.log(`\nmedians of ${RUNS} runs (node ${process.version})`);
console.log(
  `${''.padEnd(22)} ${'running'.padStart(11)} ${'healthz'.padStart(11)} ${'idle RSS'.padStart(11)}`,
);
for (const mode of ['tsx', 'node']) {
  console.log(row(`${mode} fresh`, results[mode].fresh));
  console.log(row(`${mode} reopen`, results[mode].reopen));
}
console.log(`bundle build (esbuild)  ${median(builds).toFixed(0).padStart(8)} ms`);
console.log('\nevery run, "running" ms (the medians hide how noisy a shared machine is):');
for (const mode of ['tsx', 'node'])
  for (const phase of ['fresh', 'reopen'])
    console.log(
      `  ${`${mode} ${phase}`.padEnd(12)} ${results[mode][phase].map((x) => x.runningMs.toFixed(0)).join(' ')}`,
    );

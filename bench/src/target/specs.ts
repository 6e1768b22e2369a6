import { spawnSync } from 'node:child_process';
import { REPO_ROOT, type ServerSpec } from './server';

/** 'base' is our server built from another checkout (`--base-dir`), e.g. the commit before a change. */
export type TargetName = 'imw' | 'base' | 'uws' | 'socketio';
export const TARGETS: readonly TargetName[] = ['imw', 'base', 'uws', 'socketio'];

export interface ImwOptions {
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Checkout to run the server from (default: this one). */
  root?: string;
  name?: 'imw' | 'base';
  /** PostgreSQL URL; unset: embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** The built bundle (what production runs) or the source through tsx (profiles name files). */
  run?: 'bundle' | 'source';
}

const BIG = '1000000000';
/** R-SEC-20: /metrics needs a bearer token; the bench's servers all use this one. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

let built = false;

/** Builds server/dist/main.js once per bench run, from the source as it is now. */
export function buildServer(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['server/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('server build failed');
  built = true;
}

/**
 * Our server with every per-client limit raised out of the way: the bench drives thousands of
 * sessions from a handful of loopback addresses at rates far above one human's.
 *
 * It runs the built bundle, as `npm start` does, so that start-up and idle memory are production's.
 * A CPU profile runs the TypeScript through tsx instead: V8 profiles name the file each function
 * came from, and the summary attributes time to server/src files (the bundle would be one file).
 * tsx compiles each file with the same esbuild, so the code that runs hot is the same.
 */
export function imwSpec(dataDir: string, o: ImwOptions = {}): ServerSpec {
  // A base checkout (another commit) runs from source: it may predate the bundle.
  const run = o.root ? 'source' : (o.run ?? 'bundle');
  if (run === 'bundle') buildServer();
  return {
    name: o.name ?? 'imw',
    script: run === 'bundle' ? 'server/dist/main.js' : 'server/src/main.ts',
    ...(o.root ? { cwd: o.root } : {}),
    nodeFlags: o.nodeFlags ?? [],
    env: {
      // Empty = unset for the server's config: PGlite unless a scratch database was made.
      DATABASE_URL: o.databaseUrl ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      SCRAM_DEFAULT_ITERATIONS: '4096',
      CHAT_RATE_PER_SEC: '0', // 0 turns the limit off
      REQUESTS_PER_SEC: '0',
      RATE_STRIKES_TO_CLOSE: BIG,
      MAX_CONNECTIONS_PER_ADDRESS: BIG,
      LOGIN_FAILURES_PER_USERNAME: BIG,
      LOGIN_FAILURES_PER_ADDRESS: BIG,
      PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: '0', // the login storm comes from a few addresses
      // Accounts are prepared over a few long pre-login connections (setup, not measured).
      PRE_LOGIN_MAX_FRAMES: BIG,
      PRE_LOGIN_DEADLINE_MS: String(3600_000),
      MAX_GROUP_MEMBERS: '100000',
      MAX_FRIENDS: '100000',
      // Closed bench sessions should leave quickly so each scenario starts from a quiet server.
      RESUME_GRACE_MS: '1000',
    },
    ready: /IM World is running: (\S+)/,
    toWsUrl: (url) => `${url.replace(/^http/, 'ws')}/ws`,
  };
}

export function baselineSpec(name: 'uws' | 'socketio'): ServerSpec {
  return {
    name,
    script: name === 'uws' ? 'bench/src/baselines/uws-relay.ts' : 'bench/src/baselines/socketio-relay.ts',
    env: { PORT: '0' },
    ready: /listening on (\S+)/,
    toWsUrl: (url) => url,
  };
}

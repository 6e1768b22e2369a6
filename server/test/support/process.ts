import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testDatabaseUrl } from './db';
import setupTemplate, { migrationsHash, TEMPLATE_ROOT } from './global-setup';
import { TEST_ITERATIONS, TEST_METRICS_TOKEN, TEST_TICKET_KEYS } from './server';

const REPO = resolve(import.meta.dirname, '../../..');

/** The server running as a child process (`node --import tsx server/src/main.ts`), as operators run it. */
export interface ServerProcess {
  readonly pid: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** Resident memory of the server process, from /proc/<pid>/status. */
  rssBytes(): number;
  /** Set once the process has exited (a crash, if we did not stop it). */
  readonly exit: { code: number | null; signal: string | null } | null;
  /** The last lines it printed (stderr and stdout), for a crash report. */
  tail(): string;
  /** SIGTERM (drain, then exit), SIGKILL after `timeoutMs`; removes the data folder. */
  stop(timeoutMs?: number): Promise<void>;
  /** Sends `signal` (a crash is SIGKILL) and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** Extra environment (limits, LOG_LEVEL, …). PORT is always 0 and HOST 127.0.0.1. */
  env?: Record<string, string>;
  /**
   * A PostgreSQL server URL: the server gets a fresh database there (created now, dropped by
   * stop()). Without it the server uses `env.DATABASE_URL` if given (nodes of one cluster share
   * a database), else PGlite in a temporary DATA_DIR.
   */
  databaseUrl?: string;
  readyTimeoutMs?: number;
  /** Extra node flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeFlags?: string[];
}

/**
 * Starts the server and resolves once it prints `IM World is running: <url>`. With PGlite, the
 * data folder starts as a copy of the test template (migrated once), so start-up takes ~1 s
 * instead of the 4–6 s and ~850 MB of a fresh PGlite.
 */
export async function spawnServer(opts: SpawnOptions = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'imw-proc-'));
  const fresh = opts.databaseUrl ? await testDatabaseUrl(opts.databaseUrl) : null;
  if (!opts.databaseUrl && !opts.env?.DATABASE_URL) {
    await setupTemplate();
    const template = join(TEMPLATE_ROOT, migrationsHash(), 'data');
    if (existsSync(template)) cpSync(template, join(dataDir, 'pglite'), { recursive: true });
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [...(opts.nodeFlags ?? []), '--import', 'tsx', 'server/src/main.ts'],
    {
      cwd: REPO,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        METRICS_TOKEN: TEST_METRICS_TOKEN,
        // Nodes of one test cluster share their ticket keys, as OPERATIONS.md asks of a real one.
        TICKET_KEYS: TEST_TICKET_KEYS,
        ...(fresh ? { DATABASE_URL: fresh.url } : {}),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let exit: ServerProcess['exit'] = null;
  const keep = (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(l);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      r();
    }),
  );
  const httpUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${lines.join('\n')}`)),
      opts.readyTimeoutMs ?? 60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      const m = /IM World is running: (\S+)/.exec(chunk.toString('utf8'));
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited during start-up:\n${lines.join('\n')}`));
    });
  });
  const pid = child.pid!;
  return {
    pid,
    httpUrl,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/ws`,
    rssBytes: () => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : 0;
      } catch {
        return 0; // gone
      }
    },
    get exit() {
      return exit;
    },
    tail: () => lines.slice(-40).join('\n'),
    async kill(signal) {
      if (!exit) {
        child.kill(signal);
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
    async stop(timeoutMs = 10_000) {
      if (!exit) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      await fresh?.drop();
    },
  };
}

/**
 * The environment of a test cluster that fails over fast: nodes on one PostgreSQL and one Redis
 * (a key prefix of their own), short registry TTL and heartbeats, so a killed node is noticed
 * within a second. `extra` adds or overrides settings.
 */
export function fastFailoverEnv(
  databaseUrl: string,
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? '',
    REDIS_KEY_PREFIX: `${prefix}:${randomBytes(4).toString('hex')}:`,
    NODE_ANNOUNCE_MS: '100',
    NODE_TTL_MS: '800',
    SCRAM_DEFAULT_ITERATIONS: String(TEST_ITERATIONS),
    HEARTBEAT_INTERVAL_MS: '500',
    ...extra,
  };
}

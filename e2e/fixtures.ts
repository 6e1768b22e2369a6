import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base } from '@playwright/test';

export interface RunningServer {
  url: string;
  adminToken: string;
  process: ChildProcess;
  /** Stops the node (SIGTERM) and resolves when it has exited. */
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Starts the real server as a child process on port 0, with its own PGlite data folder, and
 * reads the URL it prints. The same bundle `npm start` runs (built by global-setup.ts).
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'imw-e2e-'));
  const adminToken = 'e2e-admin-token-0123456789abcdefghijkl';
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: adminToken,
      // The nodes of one test cluster share their ticket keys, as OPERATIONS.md asks (R-SEC-31):
      // a redirect's ticket is sealed by one node and opened by another.
      TICKET_KEYS: `e2e:${Buffer.alloc(32, 9).toString('base64')}`,
      SCRAM_DEFAULT_ITERATIONS: '4096',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // a node that never got ready must not outlive the test run
      reject(new Error(`server did not start:\n${out}\n${stderr}`));
    }, 120_000); // a fresh PGlite folder takes 3–7 s quiet, over 45 s on a box shared by many runs
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /IM World is running: (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}\n${stderr}`)));
  });
  return {
    url,
    adminToken,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => {
          if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A test whose worker shares one server started with `env` (operator settings a flow needs). */
export function testWithServer(env: Record<string, string> = {}) {
  return base.extend<object, { server: RunningServer }>({
    server: [
      // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from the pattern.
      async ({}, use) => {
        const server = await startServerProcess(env);
        await use(server);
        await server.stop();
      },
      { scope: 'worker', timeout: 150_000 },
    ],
  });
}

/** One server per worker, shared by that worker's tests. */
export const test = testWithServer();

export { expect } from '@playwright/test';

let n = 0;
export const uniqueUser = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(n++).toString(36)}`.slice(0, 32);

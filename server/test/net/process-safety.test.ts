import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRASH_EXIT_CODE, createLogger, installCrashPolicy, loadConfig } from '../../src/core';
import { uwsIsNative } from '../../src/net';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs a node process to its end and returns what it printed; `ms` bounds a hang. */
function runToExit(args: string[], env: Record<string, string>, ms = 20_000) {
  return new Promise<{ code: number | null; out: string; err: string }>((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`process still running after ${ms} ms: ${out} ${err}`));
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out, err });
    });
  });
}

describe('the process refuses to run half-alive (security review H1)', () => {
  it('R-SEC-10: uwsIsNative tells the native addon from the JS shim', () => {
    const require = createRequire(join(ROOT, 'server/package.json'));
    const shimPath = join(require.resolve('uWebSockets.js'), '../../dist/index.js');
    expect(uwsIsNative(require('uWebSockets.js'))).toBe(true);
    expect(uwsIsNative(require(shimPath))).toBe(false);
  });

  it('R-SEC-10: on the uWS JS shim the server refuses to start, with a clear reason, and never listens', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imw-shim-'));
    try {
      const r = await runToExit(['--import', 'tsx', 'server/src/main.ts'], {
        UWS_USE_FALLBACK: '1',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      });
      expect(r.code).toBe(1);
      expect(r.out).not.toContain('IM World is running');
      expect(r.err).toMatch(/could not start: uWebSockets\.js has no native binary for Node v\d+/);
      expect(r.err).toContain('Node 20');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('R-SEC-11: an uncaught exception or rejection is logged with its origin and the process exits 70', async () => {
    for (const [kind, code] of [
      ['exception', "setTimeout(() => { throw new Error('boom-exception'); }, 1);"],
      ['rejection', "Promise.reject(new Error('boom-rejection'));"],
    ] as const) {
      const script = `import { createLogger, installCrashPolicy } from './server/src/core/index.ts';
installCrashPolicy(createLogger('info'));
${code}
setTimeout(() => console.log('still alive'), 2000);`;
      const r = await runToExit(['--import', 'tsx', '--input-type=module', '-e', script], {});
      expect(r.code, kind).toBe(CRASH_EXIT_CODE);
      expect(r.out, kind).not.toContain('still alive');
      const line = JSON.parse(r.out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
      expect(line.level, kind).toBe(60); // pino's fatal
      expect(JSON.stringify(line.err), kind).toContain(`boom-${kind}`);
      expect(line.origin, kind).toBe(kind === 'exception' ? 'uncaughtException' : 'unhandledRejection');
    }
  });

  it('R-SEC-11: the policy exits through the given process object (no silent survival)', () => {
    const handlers = new Map<string, (...a: unknown[]) => void>();
    const exits: number[] = [];
    installCrashPolicy(createLogger('silent'), {
      on: (event: string, fn: (...a: unknown[]) => void) => handlers.set(event, fn),
      exit: (c: number) => exits.push(c),
    } as never);
    handlers.get('uncaughtException')?.(new Error('x'), 'uncaughtException');
    handlers.get('unhandledRejection')?.('y');
    expect(exits).toEqual([CRASH_EXIT_CODE, CRASH_EXIT_CODE]);
  });
});

describe('admin token strength (security review I4)', () => {
  it('R-SEC-12: an ADMIN_TOKEN shorter than 32 characters refuses to start; 32 or more is taken', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me' })).toThrow(
      /ADMIN_TOKEN: must be at least 32 characters/,
    );
    expect(loadConfig({ ADMIN_TOKEN: 'x'.repeat(32) }).ADMIN_TOKEN).toHaveLength(32);
    expect(loadConfig({}).ADMIN_TOKEN).toBeUndefined();
  });
});

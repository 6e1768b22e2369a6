import { spawnSync } from 'node:child_process';

/** Runs the pinned pnpm through npx, so a machine with only Node and npm needs nothing else. */
export const PNPM = ['-y', 'pnpm@12.4.2'];

export function run(cmd, args, opts = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  return Date.now() - started;
}

export const pnpm = (args, opts) => run('npx', [...PNPM, ...args], opts);

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The browser flows run the server the way `npm start` does, from the built bundle; this builds
 * it from the current source once per Playwright run (under a second).
 */
export default function globalSetup(): void {
  const r = spawnSync(process.execPath, ['server/build.mjs'], {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('server build failed (node server/build.mjs)');
}

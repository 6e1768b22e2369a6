import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's chromium package puts the browser (the binary, then the wrapper script). */
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/** The Chromium the browser flows use: CHROMIUM_PATH, else Debian's. Playwright never downloads one. */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => existsSync(p));
}

/**
 * `npm test` on a fresh machine: installs Debian's Chromium when it is missing and we may (root
 * with apt-get); otherwise stops with the one command that fixes it, before any flow runs.
 */
export function ensureChromium() {
  if (chromiumPath()) return;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    console.log('Chromium is missing: apt-get install -y chromium');
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]) {
      const r = spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      if (r.status !== 0) break;
    }
    if (chromiumPath()) return;
  }
  console.error(
    '\n✗ The browser flows need Chromium: run `apt-get install -y chromium` as root, or set CHROMIUM_PATH.',
  );
  process.exit(1);
}

#!/usr/bin/env node
// `npm test`: install, typecheck, lint, unit + integration tests (vitest), build, browser flows (Playwright).
import { pnpm } from './pnpm.mjs';

const steps = [
  ['install', ['install', '--frozen-lockfile', '--reporter=silent']],
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
  ['unit and integration tests', ['exec', 'vitest', 'run']],
  ['web client build', ['--filter', '@imw/web-client', 'run', 'build', '--logLevel', 'warn']],
  ['browser flows', ['exec', 'playwright', 'test']],
];
const timings = [];
for (const [name, args] of steps) {
  console.log(`\n→ ${name}`);
  timings.push([name, pnpm(args)]);
}
console.log('\nAll test steps passed:');
for (const [name, ms] of timings) console.log(`  ${name.padEnd(28)} ${(ms / 1000).toFixed(1)} s`);

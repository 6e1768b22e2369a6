#!/usr/bin/env node
// `npm test`: install, typecheck, lint, module boundaries (scripts/check-boundaries.mjs),
// translations (scripts/check-i18n.mjs), unit +
// integration tests (vitest), build, browser flows (Playwright). Ends with one plain summary line:
// "tests: N passed, N failed".
import { mkdirSync, readFileSync } from 'node:fs';
import { ensureChromium } from './chromium.mjs';
import { pnpm } from './pnpm.mjs';

mkdirSync('.tmp', { recursive: true });
const VITEST_JSON = '.tmp/vitest-report.json';
const PLAYWRIGHT_JSON = '.tmp/playwright-report.json';

const steps = [
  ['install', ['install', '--frozen-lockfile', '--reporter=silent']],
  ['typecheck', ['run', 'typecheck']],
  ['lint', ['run', 'lint']],
  ['module boundaries', ['run', 'check:deps']],
  ['translations', ['run', 'check:i18n']],
  [
    'unit and integration tests',
    ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_JSON}`],
  ],
  ['web client build', ['--filter', '@imw/web-client', 'run', 'build', '--logLevel', 'warn']],
  [
    'browser flows',
    ['exec', 'playwright', 'test', '--reporter=list,json'],
    { PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON },
  ],
];
ensureChromium(); // first: a missing browser should stop the run before, not after, the long steps
const timings = [];
for (const [name, args, env] of steps) {
  console.log(`\n→ ${name}`);
  timings.push([name, pnpm(args, env ? { env: { ...process.env, ...env } } : undefined)]);
}

const vitest = JSON.parse(readFileSync(VITEST_JSON, 'utf8'));
const playwright = JSON.parse(readFileSync(PLAYWRIGHT_JSON, 'utf8'));
const passed = vitest.numPassedTests + (playwright.stats?.expected ?? 0);
const failed = vitest.numFailedTests + (playwright.stats?.unexpected ?? 0);
console.log('\nAll test steps passed:');
for (const [name, ms] of timings) console.log(`  ${name.padEnd(28)} ${(ms / 1000).toFixed(1)} s`);
console.log(
  `  (vitest ${vitest.numPassedTests} passed; Playwright ${playwright.stats?.expected ?? 0} passed)`,
);
const skipped = vitest.numPendingTests + vitest.numTodoTests + (playwright.stats?.skipped ?? 0);
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);

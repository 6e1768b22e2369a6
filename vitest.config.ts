import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'shared/test/**/*.test.ts', 'server/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are heavy (hundreds of MB each); two workers match the two cores.
    maxWorkers: 2,
    globalSetup: ['server/test/support/global-setup.ts'],
  },
});

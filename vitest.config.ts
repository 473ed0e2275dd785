import { defineConfig } from 'vitest/config';

// One test run for the whole monorepo; coverage gates apply to the core packages.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.{ts,tsx}',
      'tools/**/*.test.ts',
      'deploy/**/*.test.ts',
      // The studio in Debian's Chromium against the real server (tools/test-setup.mjs installs Chromium).
      'apps/web/e2e/**/*.test.ts',
      'apps/web/bench/**/*.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Generates the Prisma client and starts PostgreSQL/Redis when `npm test` has not already.
    globalSetup: ['tools/test-services.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/test-support/**', '**/generated/**'],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        'packages/strategy-dsl/src/**': { lines: 80 },
        'packages/nodes/src/**': { lines: 80 },
        'packages/engine/src/**': { lines: 80 },
        'packages/db/src/**': { lines: 80 },
        'packages/optimize/src/**': { lines: 80 },
      },
    },
  },
});

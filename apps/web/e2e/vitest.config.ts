// Runs only the studio's browser tests: `npx vitest run --config apps/web/e2e/vitest.config.ts`.
// `npm test` runs them too (the root config includes apps/web/e2e).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../../', import.meta.url)),
    include: ['apps/web/e2e/**/*.test.ts', 'apps/web/bench/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});

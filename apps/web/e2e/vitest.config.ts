// Runs only the studio's browser tests: `npx vitest run --config apps/web/e2e/vitest.config.ts`.
// (The root config runs them too once its include lists apps/web/e2e.)
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

import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Browser tests: real pages in Debian's Chromium driven by playwright-core. Kept apart from
 * `npm test` (which needs nothing but Node); `npm run test:browser` runs them. One file at a time:
 * a browser and a service per file is as much as a small machine should run at once.
 */
export default defineConfig({
  root,
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

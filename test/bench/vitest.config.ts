import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm run bench`: each *.bench.test.ts measures one thing and records its figures with
 * `recordBenchmark`; the report set-up prints one table of everything at the end and writes it to
 * test/bench/results/benchmarks.json. Files run one at a time so they do not disturb each other.
 */
export default defineConfig({
  root,
  test: {
    include: ['test/bench/**/*.bench.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/bench/report-setup.ts'],
    testTimeout: 60 * 60_000,
    hookTimeout: 30 * 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});

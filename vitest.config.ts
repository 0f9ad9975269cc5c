import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // dist/ holds compiled copies of the tests (tsc type-checks them); never run those twice.
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two forks per core (at most 8): much of the suite waits rather than computes (the CLI and
    // Chromium as child processes, loopback AWS servers with simulated latency), so one fork per core
    // leaves the cores idle. On the 2-core machine this took the suite from 322-378 s to about 250 s.
    maxWorkers: Math.min(8, 2 * availableParallelism()),
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          // Thread-equivalence tests (a worker pool per test) live in the integration project.
          exclude: ['src/parallel/**'],
          testTimeout: 60_000,
        },
      },
      {
        // What `npm test` leaves out to stay fast, and `.ci/run` runs: the CLI as a user runs it
        // (subprocesses, bad inputs), the worker pool's thread-equivalence tests, and the number
        // parser's full property runs (millions of decimals; `npm test` runs a tenth of them).
        test: {
          name: 'integration',
          include: [
            'test/integration/**/*.test.ts',
            'test/badinput/**/*.test.ts',
            'src/parallel/**/*.test.ts',
            'src/io/csv/number.test.ts',
            'src/io/csv/longDecimal.test.ts',
          ],
          env: { FACTORLAB_FULL_PROPERTIES: '1' },
          // rebuilds dist/ when it is older than src/: the pool's workers and the CLI runs use the compiled code
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'real',
          include: ['test/real/**/*.test.ts'],
          globalSetup: ['test/globalSetup.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // The real-data files are large; one file at a time keeps memory and DuckDB threads sane.
          fileParallelism: false,
        },
      },
      {
        test: {
          // Reports opened in Debian's chromium (playwright-core): `npm run test:browser`, never `npm test`.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

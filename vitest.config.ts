import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/badinput/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'real',
          include: ['test/real/**/*.test.ts'],
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

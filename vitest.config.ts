import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/badinput/**/*.test.ts'],
          // rebuilds dist/ when it is older than src/: the pool tests' workers run the compiled code
          globalSetup: ['test/globalSetup.ts'],
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
    ],
  },
});

/** Parallel layer: a worker-thread pool over shared memory (Node edge). */
export * from './pool.js';
export * from './tasks.js';
export * from './ols.js';
export * from './analyze.js';

/** Parallel layer: a worker-thread pool over shared memory (Node edge). */
export * from './pool.js';
export * from './messages.js';
export { runTask } from './dispatch.js';
export * from './ols.js';
export * from './rolling.js';
export * from './analyze.js';

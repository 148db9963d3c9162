/**
 * Parallel layer: a worker-thread pool over shared memory (Node edge). The curated list of public
 * names: the pool, the threads option, and the parallel forms of the library's long computations
 * (each bit-identical to its in-process function). The task messages, the dispatch table and the
 * scheduler are internal (messages.ts, dispatch.ts, chunks.ts). docs/api/parallel.api.md lists
 * every name with its declaration.
 */
export { WorkerPool, defaultThreads, sharedFloat64, threadsOf, withPool, type ParallelOptions } from './pool.js';
export { olsBatchParallel, neweyWestBatchParallel, fitExposuresParallel, MIN_PARALLEL_CELLS, type OlsParallelOptions } from './ols.js';
export { rollingPortfolioExposuresParallel } from './rolling.js';
export { analyzeFactorParallel, MIN_PARALLEL_ASSET_DAYS, type AnalyzeParallelOptions } from './analyze.js';

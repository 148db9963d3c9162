/**
 * factorlab: factor research for TypeScript.
 *
 * The root entry point re-exports the pure layers (they run anywhere: Node, a browser, a worker)
 * and the Node-edge readers, writers and worker pool. `factorlab/core`, `factorlab/stats`,
 * `factorlab/synthetic`, `factorlab/signals` and `factorlab/exposures` give the pure layers alone,
 * without DuckDB.
 */
export * from './core/index.js';
export * from './stats/index.js';
export * from './synthetic/index.js';
export * from './signals/index.js';
export * from './exposures/index.js';
export * from './backtest/index.js';
export * from './parallel/index.js';
export * from './io/index.js';

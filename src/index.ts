/**
 * factorlab: factor research for TypeScript.
 *
 * The root entry point re-exports the pure layers (they run anywhere: Node, a browser, a worker)
 * and the Node-edge readers and writers. `factorlab/core`, `factorlab/stats` and
 * `factorlab/synthetic` give the pure layers alone, without DuckDB.
 */
export * from './core/index.js';
export * from './stats/index.js';
export * from './synthetic/index.js';
export * from './io/index.js';

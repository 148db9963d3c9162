/**
 * factorlab: factor research for TypeScript.
 *
 * The root entry point gives every public name of every layer: the pure ones (they run anywhere:
 * Node, a browser, a worker) and the Node-edge readers, writers and worker pool. `factorlab/core`,
 * `factorlab/stats`, `factorlab/synthetic`, `factorlab/signals` and `factorlab/exposures` give the
 * pure layers alone, without DuckDB or worker threads.
 *
 * Each layer's index.ts is its curated list of public names (one `export { ... } from` line per
 * module, as d3-array's index); this file only joins those lists, so a name is made public in one
 * place. The whole surface, with every declaration, is docs/api/ (`npm run api:update` after an
 * intended change; `npm run lint` fails on an accidental one).
 */
export * from './core/index.js';
export * from './stats/index.js';
export * from './synthetic/index.js';
export * from './signals/index.js';
export * from './exposures/index.js';
export * from './portfolio/index.js';
export * from './backtest/index.js';
export * from './parallel/index.js';
export * from './io/index.js';

/**
 * Worker entry of the pool (loaded by piscina from the compiled `dist/parallel/worker.js`; a worker
 * thread cannot load the TypeScript sources, see pool.ts): the dispatch table of dispatch.ts, as in
 * process.
 */
export { runTask as default } from './dispatch.js';

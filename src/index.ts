/**
 * factorlab: factor research for TypeScript.
 *
 * The root entry point re-exports the pure layers (they run anywhere) and the Node-edge readers
 * and writers. Import `factorlab/core` for the pure data model alone.
 */
export * from './core/index.js';

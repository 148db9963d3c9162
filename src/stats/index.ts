/**
 * Statistics layer: descriptive statistics, ranks, correlations, distributions, small dense
 * linear algebra, OLS (single and batched), Newey-West, ridge / lasso / elastic net. Pure: imports
 * only core, and ml-matrix for the eigen problem (eigen.ts).
 */
export * from './descriptive.js';
export * from './ranks.js';
export * from './correlation.js';
export * from './distributions.js';
export * from './linalg.js';
export * from './eigen.js';
export * from './moments.js';
export * from './ols.js';
export * from './neweyWest.js';
export * from './penalized.js';
export * from './neweyWestBatch.js';
export * from './rollingOls.js';
export * from './density.js';

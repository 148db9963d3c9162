/**
 * Single-factor testing: forward returns and the clean intermediate, preprocessing, quantile
 * backtests, information coefficients, the cross-sectional regression test, turnover, composites,
 * and `analyzeFactor`, which runs them all. Pure.
 */
export * from './factorData.js';
export * from './dataLoss.js';
export * from './groups.js';
export * from './momentum.js';
export * from './preprocess.js';
export * from './quantiles.js';
export * from './turnover.js';
export * from './summary.js';
export * from './ic.js';
export * from './regression.js';
export * from './composite.js';
export * from './combineWithPrices.js';
export * from './analyze.js';
export * from './quantileByGroup.js';
export * from './eventReturns.js';

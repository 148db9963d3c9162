/**
 * Exposures layer: FactorExposures (regression steps, cross scores, fit), its JSON form, rolling
 * exposures, variance decomposition and report data. Pure:
 * imports only core and stats.
 */
export * from './steps.js';
export * from './crossScore.js';
export * from './fit.js';
export * from './factorExposures.js';
export * from './json.js';
export * from './rolling.js';
export * from './variance.js';
export * from './report.js';
export * from './analyses.js';

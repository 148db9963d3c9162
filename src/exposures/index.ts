/**
 * Exposures layer: FactorExposures (regression steps, cross scores, fit) and its JSON form. Pure:
 * imports only core and stats.
 */
export * from './steps.js';
export * from './crossScore.js';
export * from './fit.js';
export * from './factorExposures.js';
export * from './json.js';

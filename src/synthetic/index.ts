/**
 * A seeded synthetic market with planted truth (exposures, a signal of known IC, bad ticks), for
 * the demo and for tests. Pure. The public surface of `factorlab/synthetic` (docs/api/synthetic.api.md).
 */
export { GICS_SECTORS, syntheticMarket, type SyntheticMarket, type SyntheticMarketOptions, type SyntheticTruth } from './market.js';
export { DEFAULT_FACTORS, FACTOR_SPECS, factorModel, PERIODS_PER_YEAR, type FactorModel, type FactorSpec } from './factors.js';
export { syntheticCalendar } from './calendar.js';
export { Rng } from './random.js';

/**
 * Factor basket strategies and honest backtests: universes (static or point-in-time membership),
 * schedules on the data's calendar, rules from signal to weights (a rule is a plain function: the
 * seam for the optimiser), the engine (execution after the signal, drift, forced sales, costs)
 * and the performance statistics. Pure.
 */
export { alignSignal, runBacktest, type BacktestOptions, type BacktestResult, type ForcedSale, type Holdings, type Rebalance, type Trades } from './engine.js';
export {
  industryNeutral, inverseVolatility, isKeepAndBuy, quantileLongShort, signalProportional, topkDropout, topN, topQuantile,
  type IndustryNeutralOptions, type KeepAndBuy, type Rule, type RuleContext, type Target,
} from './rules.js';
export { equalWeightReturns, seriesReturns } from './benchmark.js';
export { describeSchedule, parseSchedule, scheduleRows, WEEKDAYS, type Schedule } from './schedule.js';
export { qcutLabels, rankedCandidates } from './select.js';
export { intervalText, membershipMask, tradableMask, universeCounts, type MembershipInterval, type UniverseSpec } from './universe.js';
export {
  alphaBeta, annualReturn, annualVolatility, calmarRatio, downsideDeviation, drawdownSeries, hitRate, informationRatio,
  maxDrawdown, performance, sharpeRatio, sortinoRatio, totalReturn, trackingError,
  type Drawdown, type Performance, type PerformanceOptions,
} from './performance.js';

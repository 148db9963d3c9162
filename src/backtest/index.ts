/**
 * Factor basket strategies and honest backtests: universes (static or point-in-time membership),
 * schedules on the data's calendar, rules from signal to weights (a rule is a plain function: the
 * seam for the optimiser), the engine (execution after the signal, drift, forced sales, costs)
 * and the performance statistics. Pure.
 */
export {
  runBacktest,
  type BacktestOptions,
  type BacktestResult,
  type ForcedSale,
  type Rebalance,
  type Trades,
  type WeightsHistory,
} from './engine.js';
export { alignedRows, alignSignal, momentumRows, signalRow, type SignalRows, type SignalSource } from './signal.js';
export {
  denseWeights,
  industryNeutral,
  inverseVolatility,
  isKeepAndBuy,
  quantileLongShort,
  signalProportional,
  topkDropout,
  topN,
  topQuantile,
  type Holdings,
  type IndustryNeutralOptions,
  type KeepAndBuy,
  type Rule,
  type RuleContext,
  type Target,
} from './rules.js';
export { equalWeightReturns, seriesReturns } from './benchmark.js';
export { describeSchedule, parseSchedule, scheduleRows, WEEKDAYS, type Schedule } from './schedule.js';
export { candidatesBuffer, qcutLabels, rankedCandidates, topByValue, type Candidates, type TailKeep } from './select.js';
export {
  intervalText,
  MembershipCursor,
  membershipMask,
  tradableMask,
  universeCounts,
  type MembershipInterval,
  type UniverseSpec,
} from './universe.js';
export {
  alphaBeta,
  annualReturn,
  annualVolatility,
  calmarRatio,
  captureRatio,
  conditionalValueAtRisk,
  downCapture,
  downsideDeviation,
  drawdownSeries,
  hitRate,
  informationRatio,
  maxDrawdown,
  omegaRatio,
  performance,
  sharpeRatio,
  sortinoRatio,
  stability,
  tailRatio,
  totalReturn,
  trackingError,
  upCapture,
  valueAtRisk,
  type Drawdown,
  type Performance,
  type PerformanceOptions,
} from './performance.js';
export {
  backtest,
  backtestResults,
  BacktestResults,
  type BacktestBenchmark,
  type BacktestDescription,
  type BacktestExposureOptions,
  type BacktestExposuresJson,
  type BacktestJson,
  type BacktestJsonDocument,
  type BacktestResultsOptions,
  type BacktestRunOptions,
  type BacktestSettings,
  type BacktestSummary,
  type BacktestTradeJson,
  type BacktestWeightJson,
  type TradeReason,
} from './results.js';
export { holdingsPanel, strategyExposures, type StrategyExposureOptions, type StrategyExposures } from './exposures.js';
export { EquityFactorBasket, transformRow, type BasketInputOptions, type BasketTransform, type ExposureMethod } from './basket.js';

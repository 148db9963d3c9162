/**
 * Single-factor testing: forward returns and the clean intermediate, preprocessing, quantile
 * backtests, information coefficients, the cross-sectional regression test, turnover, composites,
 * and `analyzeFactor`, which runs them all. Pure.
 *
 * The curated list of public names, one line per module (d3-array's index is the model). The range
 * kernels (`*Rows`, `*FromRows`, the pair pass, `prepareFactorRows` and the rest of the engine the
 * thread pool drives) are not here: the library imports them from their modules, users call the
 * whole-panel functions and `analyzeFactor`. docs/api/signals.api.md lists every name with its declaration.
 */
export { analyzeFactor, analyzeFactorData, factorDataInput, FactorAnalysisResults } from './analyze.js';
export { BufferPool, type BufferLease } from './buffers.js';
export type {
  AnalysisBuffers,
  AnalyzeOptions,
  FactorAnalysis,
  StatisticsScratch,
  QuantileAnalysisJson,
  QuantileVariantJson,
  SpreadJson,
  TurnoverJson,
} from './analysisTypes.js';
export { analysisHeadlines, headlineTable, type AnalysisHeadline, type HeadlineTableRow } from './headlines.js';
export {
  prepareFactorData,
  rebalanceStep,
  DEFAULT_HORIZONS,
  DEFAULT_MAX_LOSS,
  DEFAULT_MIN_ASSETS,
  DEFAULT_UNIVERSE,
  type FactorData,
  type FactorDataInput,
  type Universe,
} from './factorData.js';
export {
  DataLossCounter,
  enforceMaxLoss,
  formatDataLoss,
  makeDataLoss,
  type DataLoss,
  type DataLossStage,
  type DataLossStageName,
  type HorizonLoss,
  type UnmatchedCauses,
} from './dataLoss.js';
export { forwardReturnOrder, type ForwardReturnOrder } from './forwardOrder.js';
export { groupPanel, resolveGroups, staticGroups, type GroupCodes, type GroupInput, type GroupPanel, type GroupRow } from './groups.js';
export { momentum, type MomentumOptions } from './momentum.js';
export {
  neutralize,
  rankTransform,
  winsorize,
  zscore,
  MAD_SCALE,
  type NeutralizeOptions,
  type RankTransformOptions,
  type WinsorizeMethod,
  type WinsorizeOptions,
} from './preprocess.js';
export { factorReturns, factorWeights, type FactorWeightOptions } from './factorWeights.js';
export {
  factorWeightedReturns,
  monotonicity,
  quantileCount,
  quantileLabel,
  quantileLabels,
  quantileNav,
  quantileReturns,
  resolveBinning,
  seriesStats,
  DEFAULT_QUANTILES,
  type BinSpec,
  type QuantileLabelOptions,
  type QuantileLabels,
  type QuantileMeans,
  type QuantileNav,
  type QuantileReturnOptions,
  type QuantileReturns,
  type ResolvedBinning,
  type SeriesStats,
} from './quantiles.js';
export { factorRankAutocorrelation, quantileTurnover, type QuantileTurnover, type RankAutocorrelation } from './turnover.js';
export {
  meanTest,
  summarizeSeries,
  DEFAULT_IC_THRESHOLD,
  type MeanTest,
  type SeriesSummary,
  type SeriesSummaryOptions,
} from './summary.js';
export {
  icAnalysis,
  icByGroup,
  icByPeriod,
  icDecay,
  icMonthlyTable,
  informationCoefficient,
  type IcAnalysis,
  type IcAnalysisOptions,
  type IcByGroup,
  type IcByPeriod,
  type IcPeriod,
  type IcDecayOptions,
  type IcDecayPoint,
  type IcMonthlyTable,
  type IcOptions,
  type IcSeries,
  type NumArray,
} from './ic.js';
export { regressionTest, type DateFit, type RegressionOptions, type RegressionSummary, type RegressionTest } from './regression.js';
export { combineFactors, trailingIcWeights, type CompositeMethod, type CompositeOptions, type CompositeResult } from './composite.js';
export { combineFactorsWithPrices, type CombineWithPricesOptions } from './combineWithPrices.js';
export { quantileByGroup, type QuantileByGroup } from './quantileByGroup.js';
export { eventReturns, type EventReturns, type EventReturnsInput, type EventReturnsOptions } from './eventReturns.js';

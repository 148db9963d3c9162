/**
 * Factor exposures: `FactorExposures` (factor returns, regression steps, cross scores) fitted to
 * asset returns gives an `ExposureResults` (coefficients, standard errors, t, R², Newey-West, the
 * JSON the CLI writes, rolling exposures, variance decomposition, report data). The stand-alone
 * analyses (rolling portfolio exposures, variance decomposition) are here for data that did not
 * come from a fit. Pure: imports only core and stats.
 *
 * The public surface of `factorlab/exposures` (docs/api/exposures.api.md). Definitions:
 * docs/definitions.md#factor-exposures.
 */
export { FactorExposures, type AddRegressionFactorsOptions } from './factorExposures.js';
export { ExposureResults, type ExposureResultsData, type ExposureRow } from './results.js';
export type { FittedModel, PortfolioRegressionOptions, ReportOptions, VarianceOptions } from './analyses.js';
export {
  type AssetReturns,
  type AsyncFitRunner,
  type ExposureFit,
  type FitOptions,
  type FitRequest,
  type NeweyWestDiagnostics,
  type NeweyWestFitOptions,
  type NeweyWestRequest,
  type OlsRequest,
  type RegressorIssue,
  type SkippedAsset,
  type StepFit,
} from './fit.js';
export type { Step, StepMethod, StepOptions } from './steps.js';
export type { CrossScore } from './crossScore.js';
export { exposureFitToJson, type CoefJson, type ExposureAssetJson, type ExposureFitJson, type ExposureStepJson, type Num } from './json.js';
export {
  defaultWeightsMaxAge,
  portfolioReturns,
  rollingPortfolioExposures,
  rollingRegression,
  type PortfolioReturnOptions,
  type PortfolioReturns,
  type RollingExposureOptions,
  type RollingPortfolioExposures,
  type RollingRegressionOptions,
  type WeightsFill,
} from './rolling.js';
export {
  factorCovariance,
  varianceDecomposition,
  varianceDecompositionOnDate,
  type BetaMatrix,
  type DateLike,
  type ExcludedHolding,
  type ExclusionReason,
  type FactorCovariance,
  type HoldingsTable,
  type PortfolioDecomposition,
  type VarianceDecomposition,
  type VarianceDecompositionInput,
  type VarianceDecompositionOnDate,
  type VarianceDecompositionOptions,
  type VarianceModelInput,
} from './variance.js';
export {
  exposureReportData,
  fixedBetaExposures,
  type Contributor,
  type DecompositionSummary,
  type DistributionSummary,
  type ExposureReportData,
  type ExposureReportInput,
  type ExposureReportOptions,
  type SeriesData,
  type WeightedExposureDistribution,
} from './report.js';

/**
 * Statistics: descriptive statistics, ranks, correlations, distributions, small dense linear
 * algebra, OLS (one series or many at once), Newey-West, ridge / lasso / elastic net, rolling OLS,
 * densities. Pure: imports only core, and ml-matrix for the eigen problem.
 *
 * The public surface of `factorlab/stats` (docs/api/stats.api.md). The range kernels the thread
 * pool and the fast paths share (`olsBatchRange`, `momentsRow6`, `scanRow`, `ranksInto`, ...) stay
 * exported from their modules for the library's own use and are not part of it.
 */
export {
  countFinite,
  kurtosis,
  mean,
  nanKurtosis,
  nanMean,
  nanQuantile,
  nanQuantiles,
  nanSkewness,
  nanStd,
  nanVariance,
  quantile,
  quantileOfSorted,
  quantileSorted,
  skewness,
  std,
  variance,
  type NumericArray,
} from './descriptive.js';
export { averageRanks, percentileRanks, type RowLessCounts } from './ranks.js';
export { pearson, spearman } from './correlation.js';
export { normalCdf, normalTwoSidedPValue, tCdf, tQuantile, tTwoSidedPValue } from './distributions.js';
export { normalQuantile } from './normalQuantile.js';
export {
  cholesky,
  choleskyInverse,
  choleskySolve,
  DEFAULT_COLLINEAR_TOL,
  gram,
  inverseSpd,
  solveSpd,
  type CholeskyFactor,
  type CholeskyOptions,
} from './linalg.js';
export { symmetricEigen } from './eigen.js';
export {
  ols,
  olsBatch,
  type OlsBatchArrays,
  type OlsBatchResult,
  type OlsIssue,
  type OlsIssueKind,
  type OlsOptions,
  type OlsResult,
} from './ols.js';
export {
  defaultNeweyWestLags,
  neweyWestMean,
  neweyWestOls,
  type NeweyWestMeanResult,
  type NeweyWestOlsResult,
  type NeweyWestOptions,
} from './neweyWest.js';
export { neweyWestBatch, type NeweyWestBatchData, type NeweyWestBatchOptions, type NeweyWestBatchResult } from './neweyWestBatch.js';
export {
  DEFAULT_PENALIZED_MAX_ITER,
  DEFAULT_PENALIZED_TOL,
  elasticNet,
  elasticNetBatch,
  lasso,
  ridge,
  type PenalizedBatchOptions,
  type PenalizedBatchResult,
  type PenalizedOptions,
  type PenalizedResult,
} from './penalized.js';
export { type BatchRegressionData } from './batchData.js';
export { rollingOls, type RollingOlsData, type RollingOlsOptions, type RollingOlsResult } from './rollingOls.js';
export {
  gaussianKde,
  histogram,
  kdeFactor,
  type HistogramOptions,
  type HistogramResult,
  type KdeBandwidth,
  type KdeOptions,
  type KdeResult,
} from './density.js';

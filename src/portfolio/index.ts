/**
 * Portfolio layer: the optimiser with factor-exposure constraints (on factorlab's own OSQP-based
 * QP engine, with HiGHS for LP/MILP), factor risk models and replicating baskets. Pure: imports
 * core, stats and exposures, and only the types of the `highs` WebAssembly package; the caller
 * injects a HiGHS runtime (`OptimizeOptions.highs`; in Node `loadHighs` from `factorlab/io`).
 */
export { optimize, objectiveOf } from './optimize.js';
export type { OptimizeOptions } from './optimize.js';
export { maxSharpe } from './maxSharpe.js';
export { allocateShares, greedyLots, BUDGET_ROUNDING } from './allocation.js';
export { hierarchicalRiskParity, singleLinkage, quasiDiagonalOrder } from './hrp.js';
export { efficientFrontier, frontierSummary } from './frontier.js';
export { blackLitterman, marketImpliedPrior, marketImpliedRiskAversion, denseCovariance, riskModelCovariance } from './blackLitterman.js';
export type {
  BlackLittermanInput,
  BlackLittermanResult,
  BlackLittermanReport,
  BlackLittermanView,
  BlackLittermanViewResult,
  CovarianceOperator,
} from './blackLitterman.js';
export type { Frontier, FrontierPoint } from './frontier.js';
export type { HrpResult } from './hrp.js';
export type { Allocation, AllocationInput, AllocationMethod, AllocationOptions } from './allocation.js';
export type { OptimizeSpec, OptimizeConstraints, ExposureConstraint, GroupConstraint, Relative } from './spec.js';
export { OptimizationResult } from './result.js';
export type {
  OptimizationResultData,
  ConstraintReport,
  HoldingRow,
  SolverDiagnostics,
  TrackingErrorCapReport,
  CardinalityReport,
  MaxSharpeReport,
  FrontierSummary,
} from './result.js';
export { InfeasibleError } from './diagnose.js';
export type { InfeasibilityDiagnosis } from './diagnose.js';
export { riskModelFromFit, validateRiskModel, exposuresOf, covarianceTimes, varianceOf } from './riskModel.js';
export type { RiskModel, RiskModelFromFit, RiskModelFromFitOptions } from './riskModel.js';
export { estimateCovariance, sampleCovariance, ewmaCovariance, ledoitWolfCovariance, pairwiseCovariance } from './covariance.js';
export type { CovarianceMethod, CovarianceOptions, CovarianceEstimate } from './covariance.js';
export { replicate, ReplicationResult } from './replicate.js';
export type { ReplicateInput, ReplicationTarget, ReplicationData, WindowFit } from './replicate.js';
export { solveQp } from './qp/osqp.js';
export type { QpSettings, QpResult, QpStatus, PolishReport } from './qp/osqp.js';
export type { QpProblem, Hessian, DenseHessian, FactorHessian, ConstraintRow } from './qp/problem.js';
export type { KktResiduals } from './qp/kkt.js';
export { highsQpModel, solveQpWithHighs } from './highs.js';
export type { HighsRuntime, HighsSource, HighsQpModel, HighsQpSolution } from './highs.js';

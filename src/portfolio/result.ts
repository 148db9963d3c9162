/**
 * The result of an optimisation: weights and what they mean (exposures, risk decomposition,
 * active weights, trades, turnover) plus how the solver got there. `toJSON()` is exactly what
 * `factorlab optimize --json` prints.
 *
 * Conventions: turnover = Σ_i |w_i − w0_i| (two-way: buys plus sells; a full switch of a fully
 * invested portfolio is 200%), with the one-way Σ|Δw|/2 beside it (peers disagree on which one
 * "turnover" means). Tracking error (ex-ante) = √(P·(w − b)ᵀΣ(w − b)), annualised with P periods per
 * year; with no benchmark it is the portfolio's total volatility. Risk decomposition: the
 * variance decomposition of exposures/variance.ts (Euler contributions per factor, specific) of
 * the weights and of the active weights.
 */
import type { PortfolioDecomposition } from '../exposures/variance.js';
import type { KktResiduals } from './qp/kkt.js';
import type { PolishReport, QpStatus } from './qp/osqp.js';
import type { BlackLittermanReport } from './blackLitterman.js';

export interface SolverDiagnostics {
  engine: 'osqp';
  status: QpStatus;
  /** ADMM iterations over all QP solves of this optimisation. */
  iterations: number;
  /** QP solves (more than one with a tracking-error cap or at most K names). */
  solves: number;
  primalResidual: number;
  dualResidual: number;
  kkt: KktResiduals;
  polish: PolishReport;
  rho: number;
  rhoUpdates: number;
  linearSystem: 'factor' | 'dense';
  /** Wall-clock milliseconds of the QP solves. */
  milliseconds: number;
}

export interface TrackingErrorCapReport {
  cap: number;
  achieved: number;
  binding: boolean;
  /** γ at which the penalised problem meets the cap; multiplier = γ − γ0 ≥ 0 (KKT of the cap). */
  riskAversion: number;
  multiplier: number;
  bisectionSteps: number;
}

/**
 * The maximum Sharpe ratio's figures (portfolio maxSharpe.ts): the ratio μᵀw / √(wᵀΣw) of the
 * returned weights per period and annualised (·√P), μᵀw per period, the annualised volatility, and
 * the optimality certificate `tangency` = λ·μᵀw / wᵀΣw (λ the return floor's multiplier), 1 at the
 * maximum.
 */
export interface MaxSharpeReport {
  sharpe: number;
  annualisedSharpe: number;
  expectedReturn: number;
  volatility: number;
  tangency: number;
  /** κ of the homogenised QP (y = κ·w). */
  scale: number;
  /** ADMM iterations of the homogenised QP (the final weights' solve is in `solver`). */
  homogenisedIterations: number;
}

/** The efficient frontier beside a result (portfolio frontier.ts), its points without their weights. */
export interface FrontierSummary {
  minReturn: number;
  maxReturn: number;
  points: { target: number; expectedReturn: number; risk: number; ratio: number; names: number }[];
}

export interface CardinalityReport {
  /**
   * How the support was found: `milp-support`, the HiGHS MILP's K-name portfolio nearest the
   * continuous optimum; `elimination`, backward elimination on the QP (the smallest weights dropped
   * a sixteenth of the support at a time), kept when its objective is lower than the MILP support's.
   */
  method: 'milp-support' | 'elimination';
  maxNames: number | null;
  minPosition: number | null;
  /** The names held (non-zero weights). */
  names: number;
  /**
   * The names the MILP allowed (its support, at most maxNames); the QP on that support may leave
   * some of them at 0 (without a minimum position nothing forces a name in), so names ≤ support.
   */
  support: number;
  /** Objective of the continuous relaxation (a lower bound) and of the returned portfolio. */
  relaxedObjective: number;
  objective: number;
  /** objective − relaxedObjective ≥ 0: how far at most from the best K-name portfolio. */
  gap: number;
  /**
   * Exchanges that lowered the objective after the support was chosen (a name held swapped for one
   * outside, the QP solved on each trial support), and the QP solves they tried.
   */
  swaps: number;
  swapTrials: number;
  /** The objective on the support before the exchanges (= objective when none was made). */
  supportObjective: number;
  /** HiGHS MILP status of the support search. */
  milpStatus: string;
}

/**
 * One portfolio-level constraint at the solution (budget, exposure and group bands, the return
 * floor αᵀw ≥ r, the turnover cap), in the user's terms: for an active constraint `min`, `max` and `value` are active (minus
 * the benchmark's). `multiplier` is the constraint's KKT multiplier in the QP's units (> 0: the
 * upper side pushes, < 0: the lower; 0: not binding); `atBound` says which bound the value sits
 * on (to 1e-9), if any.
 */
export interface ConstraintReport {
  kind: 'budget' | 'exposure' | 'return' | 'group' | 'turnover';
  /** Factor or group name; null for the budget and the turnover cap. */
  name: string | null;
  relative: 'absolute' | 'active';
  /** null: no bound on that side. */
  min: number | null;
  max: number | null;
  value: number;
  multiplier: number;
  atBound: 'min' | 'max' | 'equal' | null;
}

export interface HoldingRow {
  asset: string;
  weight: number;
  benchmark: number | null;
  active: number | null;
  current: number;
  trade: number;
}

export interface OptimizationResultData {
  assets: readonly string[];
  factors: readonly string[];
  weights: Float64Array;
  benchmark: Float64Array | null;
  current: Float64Array;
  objective: number;
  exposures: { portfolio: Float64Array; benchmark: Float64Array | null };
  risk: {
    periodsPerYear: number;
    /** Annualised. */
    volatility: number;
    trackingError: number;
    decomposition: PortfolioDecomposition;
    activeDecomposition: PortfolioDecomposition | null;
  };
  turnover: { twoWay: number; oneWay: number };
  /** Budget, exposure, group and turnover constraints at the solution (bounds beside values). */
  constraints: ConstraintReport[];
  trackingErrorCap: TrackingErrorCapReport | null;
  cardinality: CardinalityReport | null;
  /** Present only for the maximum Sharpe ratio (maxSharpe.ts). */
  maxSharpe?: MaxSharpeReport;
  /** Present when the frontier was asked for beside the result (optimize --frontier). */
  frontier?: FrontierSummary;
  /** Present when the alpha is a Black–Litterman posterior (optimize --views). */
  blackLitterman?: BlackLittermanReport;
  solver: SolverDiagnostics;
  notes: string[];
}

const TURNOVER_CONVENTION = 'twoWay = Σ|w − w0| (buys plus sells), oneWay = twoWay / 2';

function decompositionJson(d: PortfolioDecomposition): Record<string, unknown> {
  const { holdingsTable: _t, ...rest } = d;
  return rest;
}

export class OptimizationResult {
  constructor(readonly data: OptimizationResultData) {}

  get weights(): Float64Array {
    return this.data.weights;
  }

  /** Weight, benchmark, active weight, current holding and trade per asset (risk model order). */
  holdings(): HoldingRow[] {
    const d = this.data;
    return d.assets.map((asset, i) => ({
      asset,
      weight: d.weights[i],
      benchmark: d.benchmark ? d.benchmark[i] : null,
      active: d.benchmark ? d.weights[i] - d.benchmark[i] : null,
      current: d.current[i],
      trade: d.weights[i] - d.current[i],
    }));
  }

  toJSON(): Record<string, unknown> {
    const d = this.data;
    const exposures: Record<string, { portfolio: number; benchmark: number | null; active: number | null }> = {};
    d.factors.forEach((f, j) => {
      const b = d.exposures.benchmark ? d.exposures.benchmark[j] : null;
      exposures[f] = { portfolio: d.exposures.portfolio[j], benchmark: b, active: b === null ? null : d.exposures.portfolio[j] - b };
    });
    let names = 0;
    for (const w of d.weights) if (w !== 0) names++;
    return {
      objective: d.objective,
      names,
      holdings: this.holdings(),
      exposures,
      risk: {
        periodsPerYear: d.risk.periodsPerYear,
        volatility: d.risk.volatility,
        trackingError: d.risk.trackingError,
        trackingErrorDefinition: d.benchmark ? 'ex-ante √(P·(w−b)ᵀΣ(w−b)), annualised' : 'no benchmark: the total volatility √(P·wᵀΣw)',
        decomposition: decompositionJson(d.risk.decomposition),
        activeDecomposition: d.risk.activeDecomposition ? decompositionJson(d.risk.activeDecomposition) : null,
      },
      turnover: { ...d.turnover, convention: TURNOVER_CONVENTION },
      constraints: d.constraints,
      trackingErrorCap: d.trackingErrorCap,
      cardinality: d.cardinality,
      ...(d.maxSharpe !== undefined ? { maxSharpe: d.maxSharpe } : {}),
      ...(d.frontier !== undefined ? { frontier: d.frontier } : {}),
      ...(d.blackLitterman !== undefined ? { blackLitterman: d.blackLitterman } : {}),
      solver: d.solver,
      notes: d.notes,
    };
  }
}

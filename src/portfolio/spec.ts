/**
 * What an optimisation asks for. Weights are fractions of capital (0.05 = 5%), one per asset of
 * the risk model, in its order. Risk numbers are per period unless named annualised.
 *
 * Objective (minimised):
 *
 *   ½·γ·(w − b)ᵀΣ(w − b) − αᵀw + Σ_i c_i·|w_i − w0_i| + ½·κ·Σ_i (w_i − w0_i)²
 *
 * γ = `riskAversion` (default 1), b = `benchmark` (default none: total variance wᵀΣw), α = `alpha`
 * (expected returns or a signal, per period), c = `linearCost` (per unit traded), κ =
 * `tradePenalty`, w0 = `current` holdings (default none held).
 */
import type { RiskModel } from './riskModel.js';

export type Relative = 'absolute' | 'active';

/** A band on a portfolio's exposure to one factor: min ≤ Σ_i w_i β_if ≤ max (or `equal`); with
 * `relative: 'active'` the bounds apply to the exposure minus the benchmark's. */
export interface ExposureConstraint {
  factor: string;
  min?: number;
  max?: number;
  equal?: number;
  relative?: Relative;
}

/** A band on the total weight of one group (sector, country): min ≤ Σ_{i∈g} w_i ≤ max. */
export interface GroupConstraint {
  group: string;
  min?: number;
  max?: number;
  equal?: number;
  relative?: Relative;
}

export interface OptimizeConstraints {
  /** Σw = budget (default 1); null for none. */
  budget?: number | null;
  /** w ≥ 0 (default true). */
  longOnly?: boolean;
  /** Per-name bounds: one number for all, or one per asset. */
  minWeight?: number | ArrayLike<number>;
  maxWeight?: number | ArrayLike<number>;
  exposures?: readonly ExposureConstraint[];
  /** Group label per asset (null: in no group) and bands on groups. `neutral: true` adds
   * active-weight equality 0 for every group not otherwise constrained (needs a benchmark). */
  groups?: { labels: readonly (string | null)[]; bands?: readonly GroupConstraint[]; neutral?: boolean };
  /** Cap on turnover Σ|w − w0| (two-way). */
  turnover?: number;
  /** Cap on the annualised ex-ante tracking error √(P·(w−b)ᵀΣ(w−b)). */
  trackingError?: number;
  /**
   * Floor on the expected return μᵀw ≥ `min`, μ = `expected` (one per asset, in the units of `min`).
   * With no `alpha` this is PyPortfolioOpt's `efficient_return`: the least risk for a target return.
   */
  returnFloor?: { expected: ArrayLike<number>; min: number };
  /** At most this many names held (|w_i| > 0). */
  maxNames?: number;
  /** Every held name at least this weight. */
  minPosition?: number;
}

export interface OptimizeSpec {
  riskModel: RiskModel;
  benchmark?: ArrayLike<number>;
  current?: ArrayLike<number>;
  alpha?: ArrayLike<number>;
  riskAversion?: number;
  linearCost?: number | ArrayLike<number>;
  tradePenalty?: number;
  constraints?: OptimizeConstraints;
}

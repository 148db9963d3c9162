/**
 * Regression steps of a {@link FactorExposures} configuration.
 *
 * A step regresses each asset's return (or, from the second step on, the residual of the step
 * before) on a list of factors:
 *   y_t = c + Σ_f x_tf·b_f + e_t        (c only with `includeConstant`, the default)
 * The estimator follows from the penalties (DESIGN.md objective, intercept never penalised):
 *   (1/(2n))·||y − X·b − c||² + l1·||b||₁ + (l2/2)·||b||²
 *   l1 = 0, l2 = 0  → OLS;   l1 = 0, l2 > 0 → ridge (closed form);
 *   l1 > 0, l2 = 0  → lasso; l1 > 0, l2 > 0 → elastic net (coordinate descent).
 * `normalizeIfRegularized` (default true) standardises each regressor (ddof = 0, over the asset's
 * sample) before a penalised fit and maps the coefficients back to original units; OLS is
 * invariant to it, so it is ignored there.
 */
import { checkBoolean, checkInteger, checkOptionNames, checkPositive } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_PENALIZED_MAX_ITER, DEFAULT_PENALIZED_TOL } from '../stats/penalized.js';

export type StepMethod = 'ols' | 'ridge' | 'lasso' | 'elastic-net';

export interface StepOptions {
  /** Lasso penalty (default 0). */
  l1?: number;
  /** Ridge penalty (default 0). */
  l2?: number;
  /** Fit an unpenalised intercept (default true). */
  includeConstant?: boolean;
  /** Standardise regressors before a penalised fit, report original units (default true). */
  normalizeIfRegularized?: boolean;
  /** Duality-gap tolerance relative to ||y − ȳ||²/n (sklearn's `tol`; default 1e-12; the fit is then polished exactly, stats/penalized.ts). */
  tol?: number;
  /** Maximum coordinate-descent sweeps (default 10,000). */
  maxIter?: number;
  /** Finish coordinate descent with the exact KKT polish (default true; false: sklearn's plain stop). */
  polish?: boolean;
}

/** A validated step. */
export interface Step {
  readonly factors: readonly string[];
  readonly method: StepMethod;
  readonly l1: number;
  readonly l2: number;
  readonly includeConstant: boolean;
  readonly normalize: boolean;
  readonly tol: number;
  readonly maxIter: number;
  readonly polish: boolean;
}

/** Name of the intercept in coefficient lists and JSON. */
export const CONSTANT_NAME = 'const';

export function stepMethod(l1: number, l2: number): StepMethod {
  if (l1 === 0) return l2 === 0 ? 'ols' : 'ridge';
  return l2 === 0 ? 'lasso' : 'elastic-net';
}

function penalty(name: string, v: number | undefined): number {
  const x = v ?? 0;
  if (!(Number.isFinite(x) && x >= 0))
    throw new InputError(`step option ${name} must be a finite number >= 0`, {
      value: String(v),
      hint: `pass ${name}: 0 (none) or a positive penalty`,
    });
  return x;
}

const STEP_OPTION_NAMES: Readonly<Record<keyof StepOptions, true>> = {
  l1: true,
  l2: true,
  includeConstant: true,
  normalizeIfRegularized: true,
  tol: true,
  maxIter: true,
  polish: true,
};

/** Validates a step: factor names distinct and non-empty, penalties finite and >= 0. */
export function makeStep(factors: readonly string[], options: StepOptions = {}): Step {
  // `{ l2: 1, normalize: false }` or `{ intercept: false }` fitted with the default without a word
  checkOptionNames<StepOptions>('step options', options, STEP_OPTION_NAMES);
  for (const name of ['includeConstant', 'normalizeIfRegularized', 'polish'] as const)
    if (options[name] !== undefined) checkBoolean(name, options[name]);
  const list = Array.from(factors);
  if (list.length === 0)
    throw new InputError('a regression step needs at least one factor', {
      hint: 'pass the factor column names, e.g. ["mkt_rf", "smb", "hml"]',
    });
  const seen = new Set<string>();
  for (const f of list) {
    if (typeof f !== 'string' || f.length === 0) throw new InputError('factor names must be non-empty strings', { value: String(f) });
    if (f === CONSTANT_NAME)
      throw new InputError(`"${CONSTANT_NAME}" is the intercept's name and cannot be a factor`, { hint: 'rename the factor column' });
    if (seen.has(f)) throw new InputError(`factor ${f} appears twice in one step`, { value: f });
    seen.add(f);
  }
  const l1 = penalty('l1', options.l1);
  const l2 = penalty('l2', options.l2);
  // a tol of Infinity stopped the coordinate descent after its first sweep: coefficients that had not
  // converged, without a word
  const tol = options.tol === undefined ? DEFAULT_PENALIZED_TOL : checkPositive('tol', options.tol);
  const maxIter = options.maxIter === undefined ? DEFAULT_PENALIZED_MAX_ITER : checkInteger('maxIter', options.maxIter, 1);
  return Object.freeze({
    factors: Object.freeze(list),
    method: stepMethod(l1, l2),
    l1,
    l2,
    includeConstant: options.includeConstant ?? true,
    normalize: options.normalizeIfRegularized ?? true,
    tol,
    maxIter,
    polish: options.polish ?? true,
  });
}

/** Coefficient names of a step: [const, ...factors] or the factors alone. */
export function coefficientNames(step: Step, factors: readonly string[] = step.factors): string[] {
  return step.includeConstant ? [CONSTANT_NAME, ...factors] : [...factors];
}

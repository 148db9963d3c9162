/**
 * Penalised linear regression: ridge in closed form, lasso and elastic net by coordinate descent
 * on the Gram matrix ("covariance updates").
 *
 * Objective (DESIGN.md), intercept c never penalised:
 *   (1/(2n))·||y − X·b − c||² + l1·||b||₁ + (l2/2)·||b||²
 * The intercept is removed by centring y and the columns of X on the sample (rows where y and all
 * x are present), and recovered as c = ȳ − x̄ᵀb. With `normalize`, each centred column is divided
 * by its standard deviation (ddof = 0) before fitting and the coefficients are mapped back to
 * original units, b_f = b̃_f / sd_f; a column with sd = 0 is `constant` and gets b_f = 0.
 *
 * scikit-learn equivalents (fit_intercept=True; with `normalize`, fit on StandardScaler()-scaled X):
 *   elastic net  ElasticNet(alpha = l1 + l2, l1_ratio = l1 / (l1 + l2))
 *   lasso        Lasso(alpha = l1)
 *   ridge        Ridge(alpha = n·l2): sklearn minimises ||y − Xw||² + α||w||²; multiplying ours
 *                by 2n gives ||y − Xb − c||² + 2n·l1||b||₁ + n·l2||b||², so α = n·l2 when l1 = 0.
 *
 * Coordinate descent (sklearn's `enet_coordinate_descent_gram`): with Q = X̃ᵀX̃, q = X̃ᵀỹ,
 * α = n·l1, β = n·l2 and H = Q·b kept up to date, each sweep sets, for every f with Q_ff > 0,
 *   b_f ← soft(q_f − H_f + Q_ff·b_f, α) / (Q_ff + β),   soft(z, α) = sign(z)·max(|z| − α, 0).
 * Checks, as in sklearn: when the largest coefficient change in a sweep is below ε × the largest
 * coefficient (or all are 0), the duality gap
 *   R² = ỹᵀỹ − 2bᵀq + bᵀH,  g = q − H − β·b,  s = min(1, α/max|g|)
 *   gap = ½(R² + s²R²) + α||b||₁ − s·(ỹᵀỹ − bᵀq) + ½β(1 + s²)||b||²
 * (n × the objective's gap) is computed; gap < tol·ỹᵀỹ (the objective's gap < tol·||ỹ||²/n,
 * sklearn's criterion) stops. ε starts at max(tol, 1e-4) and is divided by 1e4 whenever the gap
 * gets below ε·ỹᵀỹ (without the polish, ε = tol throughout, as sklearn).
 *
 * A gap only bounds the objective, and the coefficient error goes as its square root (strong
 * convexity), so no gap tolerance certifies 1e-9 on coefficients. Hence the polish, tried at every
 * check (the change test above, or every 64 sweeps) whose sign pattern (active set
 * A = {f : b_f ≠ 0} and signs s) has not failed before:
 *   (Q_AA + β·I)·b_A = q_A − α·s_A,   b_f = 0 off A
 * is solved exactly ({@link polishKkt}) and accepted only if the KKT conditions hold: sign(b_A) = s
 * and |q_j − Q_jA·b_A| ≤ α off A, which make b the unique optimum (to rounding); then the fit stops,
 * `polished`. If CD's pattern fails, a feature-sign search from the CD iterate ({@link featureSign},
 * an active-set method that ends at the optimum's pattern in finitely many steps) proposes one,
 * verified the same way; on very collinear regressors, where CD crawls, this is what finishes.
 * Otherwise CD goes on. Without a verified polish the CD iterate is returned,
 * `converged` when its gap < tol·ỹᵀỹ. Defaults: tol = 1e-12 (sklearn: 1e-4), maxIter = 10,000
 * sweeps (cheap: a sweep is k² flops). `dualGap` is reported in the objective's units (sklearn's
 * `dual_gap_`), for the returned coefficients: at a polished optimum it is at rounding level and
 * may be a tiny negative number; with l1 at the rounding level of |Xᵀr|/n (below ~1e-13 of it) the
 * formula itself loses its meaning (its dual point needs max|g| ≤ α) and only the KKT check
 * certifies the result. Warm starts take coefficients in original units.
 *
 * Definitions (all of them, in one place): docs/definitions.md#penalised-regression.
 */
import { checkBoolean, checkInteger, checkNonNegative, checkOneOf, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_COLLINEAR_TOL, cholesky, choleskySolve } from './linalg.js';
import { nonFiniteY } from './ols.js';
import { batchMoments, seriesShiftedMoments, subtractGroup, wasmResidualPanel } from './moments.js';
import { olsKernel } from './olsWasm.js';
import { isBatchData, type BatchRegressionData } from './batchData.js';

export interface PenalizedOptions {
  l1?: number;
  l2?: number;
  /** Fit an unpenalised intercept (default true). */
  intercept?: boolean;
  /** Standardise columns (ddof = 0) before fitting, report original units (default false here). */
  normalize?: boolean;
  /** Duality-gap tolerance relative to ||ỹ||²/n (sklearn's `tol`; default 1e-12, see the module doc). */
  tol?: number;
  /** Maximum coordinate-descent sweeps (default 10,000). */
  maxIter?: number;
  /** Finish coordinate descent with the exact KKT polish (default true; see the module doc). */
  polish?: boolean;
  /** Starting coefficients in original units (length k). */
  warmStart?: ArrayLike<number>;
}

export interface PenalizedResult {
  /** Slopes in original units (length k). */
  coef: Float64Array;
  /** Intercept (0 without one). */
  intercept: number;
  nobs: number;
  l1: number;
  l2: number;
  /** Sweeps done (0 for the closed-form ridge). */
  nIter: number;
  converged: boolean;
  /** Duality gap of the result in the objective's units (sklearn's `dual_gap_`); 0 for ridge. */
  dualGap: number;
  /** Coefficients solve the active set's KKT system exactly, verified (always true for ridge). */
  polished: boolean;
  /** Columns with zero variance on the sample (coefficient 0). */
  constant: number[];
  /**
   * Only ridge with l2 = 0 (an unpenalised fit, OLS): the columns that are linear combinations of
   * earlier ones on the sample (fewer observations than regressors, or collinear regressors; the
   * test and tolerance of {@link ols}). Their coefficients are NaN and the rest is the fit without
   * them, as `ols` reports them. Empty whenever l1 or l2 > 0 (the penalty makes the fit unique).
   */
  collinear: number[];
  /** Residuals y − c − X·b (length n, NaN outside the sample). */
  residuals: Float64Array;
}

/** Centred (and optionally standardised) moments of the complete rows. */
export interface CentredMoments {
  n: number;
  k: number;
  /** X̃ᵀX̃, k×k. */
  gram: Float64Array;
  /** X̃ᵀỹ. */
  xty: Float64Array;
  /** ỹᵀỹ. */
  yty: number;
  xMean: Float64Array;
  yMean: number;
  /** Column scales (sd with ddof = 0 when normalised, else 1). */
  scale: Float64Array;
  rows: Uint8Array;
}

const PENALIZED_OPTION_NAMES: Readonly<Record<keyof PenalizedOptions, true>> = {
  l1: true,
  l2: true,
  intercept: true,
  normalize: true,
  tol: true,
  maxIter: true,
  polish: true,
  warmStart: true,
};
const { l2: _l2, ...LASSO_OPTION_NAMES } = PENALIZED_OPTION_NAMES;
const PENALIZED_BATCH_OPTION_NAMES: Readonly<Record<keyof PenalizedBatchOptions, true>> = {
  ...PENALIZED_OPTION_NAMES,
  yStride: true,
  yOffset: true,
  residuals: true,
  minObs: true,
  kernel: true,
};

/**
 * The options every penalised fit shares, checked once: penalties finite and >= 0 (a negative l2
 * gave a fit, NaN gave zeros, '0.1' was coerced), tol >= 0, maxIter a whole number >= 1 (0 or -1
 * returned the zero start as "converged"), booleans as booleans, warmStart numbers. Returns l1, l2.
 */
function checkPenalizedOptions(
  what: string,
  options: PenalizedOptions,
  known: Readonly<Record<string, true>> = PENALIZED_OPTION_NAMES,
): { l1: number; l2: number } {
  // a misspelt penalty (`lambda`, `alpha`) fitted OLS without a word
  checkOptionNames(`${what} options`, options, known);
  const l1 = checkNonNegative('l1', options.l1 ?? 0),
    l2 = checkNonNegative('l2', options.l2 ?? 0);
  if (options.tol !== undefined) checkNonNegative('tol', options.tol);
  if (options.maxIter !== undefined) checkInteger('maxIter', options.maxIter, 1);
  for (const name of ['intercept', 'normalize', 'polish'] as const) if (options[name] !== undefined) checkBoolean(name, options[name]);
  return { l1, l2 };
}

/** The error for a non-finite moment: names the first infinite value of y or X on a kept row. */
function nonFiniteInput(y: ArrayLike<number>, x: ArrayLike<number>, k: number, rows: Uint8Array): InputError {
  for (let t = 0; t < rows.length; t++) {
    if (!rows[t]) continue;
    if (!Number.isFinite(y[t]))
      return new InputError(`y has ${y[t]} at row ${t}: a missing value is NaN, and an infinite one is an error in the data`);
    for (let f = 0; f < k; f++)
      if (!Number.isFinite(x[t * k + f]))
        return new InputError(
          `X has ${x[t * k + f]} at row ${t}, column ${f}: a missing value is NaN, and an infinite one is an error in the data`,
        );
  }
  return new InputError('y or X has values too large for their squares to be finite');
}

export function centredMoments(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  normalize: boolean,
): CentredMoments {
  const n0 = y.length;
  checkInteger('k', k, 0, Infinity, 'a whole number of regressors >= 0');
  if (x.length !== n0 * k)
    throw new InputError(`X has length ${x.length}, expected ${n0} rows (y's length) x ${k} regressors = ${n0 * k}`, {
      hint: 'X is row-major: one row of k regressors per value of y',
    });
  const rows = new Uint8Array(n0);
  let n = 0;
  const xMean = new Float64Array(k);
  let yMean = 0;
  for (let t = 0; t < n0; t++) {
    let ok = y[t] === y[t];
    for (let f = 0; ok && f < k; f++) ok = x[t * k + f] === x[t * k + f];
    if (!ok) continue;
    rows[t] = 1;
    n++;
    if (intercept) {
      yMean += y[t];
      for (let f = 0; f < k; f++) xMean[f] += x[t * k + f];
    }
  }
  if (intercept && n > 0) {
    yMean /= n;
    for (let f = 0; f < k; f++) xMean[f] /= n;
  }
  const gram = new Float64Array(k * k),
    xty = new Float64Array(k);
  let yty = 0;
  const d = new Float64Array(k);
  for (let t = 0; t < n0; t++) {
    if (!rows[t]) continue;
    const yv = y[t] - yMean;
    yty += yv * yv;
    for (let f = 0; f < k; f++) {
      d[f] = x[t * k + f] - xMean[f];
      xty[f] += d[f] * yv;
    }
    for (let f = 0; f < k; f++) for (let h = 0; h <= f; h++) gram[f * k + h] += d[f] * d[h];
  }
  for (let f = 0; f < k; f++) for (let h = 0; h < f; h++) gram[h * k + f] = gram[f * k + h];
  // ±Infinity is not missing (only NaN is): one O(k) test of the sums instead of one per value
  let sums = yty;
  for (let f = 0; f < k; f++) sums += gram[f * k + f];
  if (!(sums - sums === 0)) throw nonFiniteInput(y, x, k, rows);
  const scale = new Float64Array(k).fill(1);
  if (normalize) {
    for (let f = 0; f < k; f++) {
      const sd = Math.sqrt(gram[f * k + f] / n);
      scale[f] = sd > 0 ? sd : 0;
    }
    for (let f = 0; f < k; f++) {
      const sf = scale[f] > 0 ? 1 / scale[f] : 0;
      xty[f] *= sf;
      for (let h = 0; h < k; h++) gram[f * k + h] *= sf * (scale[h] > 0 ? 1 / scale[h] : 0);
    }
  }
  return { n, k, gram, xty, yty, xMean, yMean, scale, rows };
}

/** Default duality-gap tolerance, relative to ỹᵀỹ/n (sklearn's `tol` has default 1e-4). */
export const DEFAULT_PENALIZED_TOL = 1e-12;
/** Default cap on coordinate-descent sweeps. */
export const DEFAULT_PENALIZED_MAX_ITER = 10_000;
/** The first ε of the change test (relative coefficient change); divided by 1e4 each time the gap gets below ε·ỹᵀỹ. */
const FIRST_POLISH = 1e-4;
/** With the polish, also check every this many sweeps (CD crawls on very collinear regressors). */
const POLISH_EVERY = 64;
/** Slack of the inactive-set check |g_j| ≤ α, relative to the size of the terms of g_j (rounding). */
const KKT_SLACK = 1e-12;

export interface GramFit {
  coef: Float64Array;
  /** Coordinate-descent sweeps done (over every phase). */
  nIter: number;
  /** True when the result is polished (exact) or its duality gap is below tol·ỹᵀỹ/n. */
  converged: boolean;
  /** Duality gap of the returned coefficients in the units of the DESIGN.md objective (sklearn's `dual_gap_`). */
  dualGap: number;
  /** True when the coefficients solve the active set's KKT system exactly and pass the KKT check. */
  polished: boolean;
}

/**
 * Elastic-net coordinate descent on centred moments (see module doc), finished by an exact
 * polish: minimises (1/(2n))·(ỹᵀỹ − 2bᵀq + bᵀQb) + l1·||b||₁ + (l2/2)·||b||². `start` is a warm
 * start in the same (possibly standardised) units; it is not modified. `tol` is the duality-gap
 * tolerance relative to ỹᵀỹ/n; `polish` (default true) turns the KKT polish on.
 */
export function elasticNetGram(
  gram: ArrayLike<number>,
  xty: ArrayLike<number>,
  yty: number,
  n: number,
  k: number,
  l1: number,
  l2: number,
  tol = DEFAULT_PENALIZED_TOL,
  maxIter = DEFAULT_PENALIZED_MAX_ITER,
  start?: ArrayLike<number>,
  polish = true,
): GramFit {
  const alpha = l1 * n,
    beta = l2 * n;
  const w = new Float64Array(k);
  if (start !== undefined) for (let f = 0; f < k; f++) w[f] = start[f];
  const hq = new Float64Array(k); // H = Q·w
  const refresh = (): void => {
    for (let f = 0; f < k; f++) {
      let s = 0;
      for (let h = 0; h < k; h++) s += gram[f * k + h] * w[h];
      hq[f] = s;
    }
  };
  refresh();
  const polishAndCheck = (): boolean => {
    let p = polishKkt(gram, xty, k, alpha, beta, w);
    if (p === null) {
      // CD's sign pattern is not the optimum's: search for it from here
      const fs = featureSign(gram, xty, k, alpha, beta, w);
      if (fs !== null) p = polishKkt(gram, xty, k, alpha, beta, fs);
    }
    if (p === null) return false;
    w.set(p);
    refresh();
    return true;
  };
  if (yty === 0 && k > 0) {
    // nothing to explain: q = 0, so b = 0 satisfies the KKT conditions exactly
    w.fill(0);
    return { coef: w, nIter: 0, converged: true, dualGap: 0, polished: true };
  }
  // ε of the change test (and gap milestone): from max(tol, 1e-4) down to tol with the polish, tol without
  let target = polish ? Math.max(tol, FIRST_POLISH) : tol;
  let gap = Infinity;
  let iter = 0;
  let converged = false;
  // the polish depends on w only through its sign pattern: a pattern that failed once is not retried
  const failed = new Int8Array(k);
  let anyFailed = false;
  while (iter < maxIter) {
    iter++;
    let wMax = 0,
      dMax = 0;
    for (let f = 0; f < k; f++) {
      const qff = gram[f * k + f];
      if (!(qff > 0)) {
        w[f] = 0;
        continue;
      }
      const old = w[f];
      const z = xty[f] - hq[f] + qff * old;
      const mag = Math.abs(z) - alpha;
      const nw = mag > 0 ? (z > 0 ? mag : -mag) / (qff + beta) : 0;
      if (nw !== old) {
        const dw = nw - old;
        for (let h = 0; h < k; h++) hq[h] += dw * gram[h * k + f];
        w[f] = nw;
      }
      const ad = Math.abs(nw - old);
      if (ad > dMax) dMax = ad;
      if (Math.abs(nw) > wMax) wMax = Math.abs(nw);
    }
    if (wMax === 0 || dMax / wMax < target || iter === maxIter || (polish && iter % POLISH_EVERY === 0)) {
      if (polish) {
        let same = anyFailed;
        for (let f = 0; same && f < k; f++) same = failed[f] === Math.sign(w[f]);
        if (!same) {
          if (polishAndCheck())
            return { coef: w, nIter: iter, converged: true, dualGap: dualityGap(w, hq, xty, yty, k, alpha, beta) / n, polished: true };
          for (let f = 0; f < k; f++) failed[f] = Math.sign(w[f]);
          anyFailed = true;
        }
      }
      gap = dualityGap(w, hq, xty, yty, k, alpha, beta);
      if (gap < tol * yty) {
        converged = true;
        break;
      }
      if (gap < target * yty) target = Math.max(target * 1e-4, tol);
    }
  }
  return { coef: w, nIter: iter, converged, dualGap: gap / n, polished: false };
}

/**
 * The exact solution on the active set of `w`, or null when it does not verify. With
 * A = {f : w_f ≠ 0} and s = sign(w_A), solves (in the n-scaled units of the module doc)
 *   (Q_AA + β·I)·b_A = q_A − α·s_A,   b_f = 0 off A
 * (Cholesky, one step of iterative refinement), then checks the KKT conditions that make b the
 * unique optimum: sign(b_A) = s (strictly), and |q_j − Q_jA·b_A| ≤ α for every j off A (up to a
 * rounding slack of KKT_SLACK × the size of the terms). Null also when Q_AA + β·I is singular.
 */
export function polishKkt(
  gram: ArrayLike<number>,
  xty: ArrayLike<number>,
  k: number,
  alpha: number,
  beta: number,
  w: ArrayLike<number>,
): Float64Array | null {
  const a = new Float64Array(k * k),
    rhs = new Float64Array(k),
    exclude: number[] = [];
  for (let f = 0; f < k; f++) {
    for (let h = 0; h < k; h++) a[f * k + h] = gram[f * k + h];
    a[f * k + f] += beta;
    if (w[f] === 0 || !(gram[f * k + f] > 0)) {
      exclude.push(f);
      continue;
    }
    rhs[f] = xty[f] - (w[f] > 0 ? alpha : -alpha);
  }
  const fac = cholesky(a, k, { exclude });
  if (fac.collinear.length > 0) return null;
  const b = choleskySolve(fac, rhs);
  // one step of iterative refinement: b += M⁻¹(rhs − M·b) on the active set
  const res = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    if (fac.dropped[f]) continue;
    let s = rhs[f];
    for (let h = 0; h < k; h++) if (!fac.dropped[h]) s -= a[f * k + h] * b[h];
    res[f] = s;
  }
  const db = choleskySolve(fac, res);
  for (let f = 0; f < k; f++) b[f] += db[f];
  for (let f = 0; f < k; f++) {
    if (fac.dropped[f]) {
      let g = xty[f],
        size = Math.abs(xty[f]);
      for (let h = 0; h < k; h++) {
        const t = gram[f * k + h] * b[h];
        g -= t;
        size += Math.abs(t);
      }
      if (Math.abs(g) > alpha + KKT_SLACK * size) return null;
    } else if (!(b[f] * w[f] > 0)) return null;
  }
  return b;
}

/**
 * Feature-sign search (Lee, Battle, Raina & Ng 2007, "Efficient sparse coding algorithms") from
 * `w`, for the same objective in n-scaled units, F(b) = ½bᵀMb − qᵀb + α||b||₁ with M = Q + β·I
 * and g = q − M·b. Repeats, at most `maxSteps` times:
 *   - if every b_j ≠ 0 has g_j = α·θ_j (θ = sign pattern), activate the zero j with the largest
 *     |g_j| > α (θ_j = sign(g_j)); none left: b is optimal, return it;
 *   - feature-sign step: solve M_AA·b'_A = q_A − α·θ_A (A = {θ ≠ 0}), then move to the point of
 *     lowest F among b' and the points of the segment b → b' where a coefficient crosses zero
 *     (set exactly 0 there, and dropped from A).
 * F decreases strictly at every step, so no pattern repeats and the search ends at the optimum in
 * finitely many steps; it is the fallback when coordinate descent's sign pattern does not verify
 * (very collinear regressors, where CD crawls). Null when a system is singular or steps run out.
 * The result is to be verified with {@link polishKkt}.
 */
export function featureSign(
  gram: ArrayLike<number>,
  xty: ArrayLike<number>,
  k: number,
  alpha: number,
  beta: number,
  w: ArrayLike<number>,
  maxSteps = 10 * k + 10,
): Float64Array | null {
  const x = Float64Array.from({ length: k }, (_, f) => (gram[f * k + f] > 0 ? w[f] : 0));
  const theta = Float64Array.from(x, Math.sign);
  const mv = (b: ArrayLike<number>, f: number): number => {
    let s = 0;
    for (let h = 0; h < k; h++) s += gram[f * k + h] * b[h];
    return s + beta * b[f];
  };
  const objective = (b: ArrayLike<number>): number => {
    let s = 0;
    for (let f = 0; f < k; f++) if (b[f] !== 0) s += b[f] * (0.5 * mv(b, f) - xty[f]) + alpha * Math.abs(b[f]);
    return s;
  };
  const a = new Float64Array(k * k),
    rhs = new Float64Array(k),
    g = new Float64Array(k),
    slack = new Float64Array(k);
  for (let f = 0; f < k; f++) {
    for (let h = 0; h < k; h++) a[f * k + h] = gram[f * k + h];
    a[f * k + f] += beta;
  }
  for (let step = 0; step < maxSteps; step++) {
    let nonzeroOk = true;
    for (let f = 0; f < k; f++) {
      let s = xty[f],
        size = Math.abs(xty[f]);
      for (let h = 0; h < k; h++) {
        const t = a[f * k + h] * x[h];
        s -= t;
        size += Math.abs(t);
      }
      g[f] = s;
      slack[f] = KKT_SLACK * size;
      if (x[f] !== 0 && Math.abs(s - alpha * theta[f]) > slack[f]) nonzeroOk = false;
    }
    if (nonzeroOk) {
      let best = -1,
        bestG = 0;
      for (let f = 0; f < k; f++) {
        if (theta[f] !== 0 || !(gram[f * k + f] > 0)) continue;
        const v = Math.abs(g[f]);
        if (v > alpha + slack[f] && v > bestG) {
          best = f;
          bestG = v;
        }
      }
      if (best < 0) return x;
      theta[best] = Math.sign(g[best]);
    }
    const exclude: number[] = [];
    for (let f = 0; f < k; f++) {
      if (theta[f] === 0) exclude.push(f);
      else rhs[f] = xty[f] - alpha * theta[f];
    }
    const fac = cholesky(a, k, { exclude });
    if (fac.collinear.length > 0) return null;
    const xn = choleskySolve(fac, rhs);
    // line search over b' and the zero crossings of the segment x → b'
    let bestT = 1,
      bestF = objective(xn);
    const y = new Float64Array(k);
    for (let f = 0; f < k; f++) {
      if (x[f] === 0 || Math.sign(xn[f]) === theta[f]) continue;
      const t = x[f] / (x[f] - xn[f]);
      if (!(t > 0 && t < 1)) continue;
      for (let h = 0; h < k; h++) y[h] = x[h] + t * (xn[h] - x[h]);
      y[f] = 0;
      const v = objective(y);
      if (v < bestF) {
        bestF = v;
        bestT = t;
      }
    }
    if (bestT === 1) x.set(xn);
    else {
      const t = bestT;
      for (let h = 0; h < k; h++) {
        const crossing = x[h] !== 0 && Math.sign(xn[h]) !== theta[h] && x[h] / (x[h] - xn[h]) === t;
        x[h] = crossing ? 0 : x[h] + t * (xn[h] - x[h]);
      }
    }
    for (let f = 0; f < k; f++) theta[f] = Math.sign(x[f]);
  }
  return null;
}

/**
 * Duality gap in the n-scaled units of the module doc (sklearn's `enet_coordinate_descent_gram`):
 * with R² = ỹᵀỹ − 2bᵀq + bᵀH, g = q − H − β·b, s = min(1, α/max|g|),
 *   gap = ½(R² + s²R²) + α||b||₁ − s·(ỹᵀỹ − bᵀq) + ½β(1 + s²)||b||².
 */
function dualityGap(w: Float64Array, hq: Float64Array, q: ArrayLike<number>, yty: number, k: number, alpha: number, beta: number): number {
  let qw = 0,
    wHw = 0,
    l1n = 0,
    w2 = 0,
    gMax = 0;
  for (let f = 0; f < k; f++) {
    qw += q[f] * w[f];
    wHw += w[f] * hq[f];
    l1n += Math.abs(w[f]);
    w2 += w[f] * w[f];
    const g = Math.abs(q[f] - hq[f] - beta * w[f]);
    if (g > gMax) gMax = g;
  }
  const r2 = yty - 2 * qw + wHw;
  let s = 1,
    gap: number;
  if (gMax > alpha) {
    s = alpha / gMax;
    gap = 0.5 * (r2 + r2 * s * s);
  } else gap = r2;
  gap += alpha * l1n - s * (yty - qw) + 0.5 * beta * (1 + s * s) * w2;
  return gap;
}

function finish(
  m: CentredMoments,
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  b: Float64Array,
  fit: GramFit,
  l1: number,
  l2: number,
  intercept: boolean,
  collinear: readonly number[] = [],
): PenalizedResult {
  const k = m.k;
  const coef = new Float64Array(k);
  const constant: number[] = [];
  for (let f = 0; f < k; f++) {
    if (!(m.gram[f * k + f] > 0) || m.scale[f] === 0) {
      constant.push(f);
      coef[f] = 0;
      continue;
    }
    coef[f] = b[f] / m.scale[f];
  }
  let c = 0;
  if (intercept) {
    c = m.yMean;
    for (let f = 0; f < k; f++) c -= m.xMean[f] * coef[f];
  }
  const residuals = new Float64Array(y.length).fill(NaN);
  for (let t = 0; t < y.length; t++) {
    if (!m.rows[t]) continue;
    let e = y[t] - c;
    for (let f = 0; f < k; f++) e -= x[t * k + f] * coef[f];
    residuals[t] = e;
  }
  for (const f of collinear) coef[f] = NaN; // the intercept and residuals are the fit without them (b_f = 0)
  return {
    coef,
    intercept: c,
    nobs: m.n,
    l1,
    l2,
    nIter: fit.nIter,
    converged: fit.converged,
    dualGap: fit.dualGap,
    polished: fit.polished,
    constant,
    collinear: collinear.slice(),
    residuals,
  };
}

/**
 * Ridge regression in closed form: b̃ = (X̃ᵀX̃ + n·l2·I)⁻¹ X̃ᵀỹ (on standardised columns with
 * `normalize`), c = ȳ − x̄ᵀb. With l2 = 0 this is OLS: when X̃ lacks full column rank (fewer
 * observations than regressors, collinear regressors) the columns that are linear combinations of
 * earlier ones are listed in `collinear` with NaN coefficients, as {@link ols} does (an arbitrary
 * interpolating fit was returned without a flag).
 */
export function ridge(y: ArrayLike<number>, x: ArrayLike<number>, k: number, options: PenalizedOptions = {}): PenalizedResult {
  const { l2 } = checkPenalizedOptions('ridge', options);
  const intercept = options.intercept ?? true;
  const m = centredMoments(y, x, k, intercept, options.normalize ?? false);
  const a = Float64Array.from(m.gram);
  for (let f = 0; f < k; f++) a[f * k + f] += m.n * l2;
  const exclude: number[] = [];
  for (let f = 0; f < k; f++) if (!(m.gram[f * k + f] > 0)) exclude.push(f);
  // l2 > 0 makes a positive definite; l2 = 0 is OLS, whose collinear columns ols drops and reports
  const factor = cholesky(a, k, { exclude, tol: l2 === 0 ? DEFAULT_COLLINEAR_TOL : 0 });
  const b = choleskySolve(factor, m.xty);
  return finish(m, y, x, b, { coef: b, nIter: 0, converged: true, dualGap: 0, polished: true }, 0, l2, intercept, factor.collinear);
}

/**
 * Elastic net (lasso when l2 = 0) by coordinate descent; with l1 = 0 it is the closed-form
 * {@link ridge}. Rows where y or any x is NaN are left out.
 */
export function elasticNet(y: ArrayLike<number>, x: ArrayLike<number>, k: number, options: PenalizedOptions = {}): PenalizedResult {
  const { l1, l2 } = checkPenalizedOptions('elasticNet', options);
  if (l1 === 0) return ridge(y, x, k, options);
  const intercept = options.intercept ?? true;
  const m = centredMoments(y, x, k, intercept, options.normalize ?? false);
  let start: Float64Array | undefined;
  if (options.warmStart !== undefined) {
    start = new Float64Array(k);
    for (let f = 0; f < k; f++) start[f] = options.warmStart[f] * m.scale[f];
  }
  const fit = elasticNetGram(
    m.gram,
    m.xty,
    m.yty,
    m.n,
    k,
    l1,
    l2,
    options.tol ?? DEFAULT_PENALIZED_TOL,
    options.maxIter ?? DEFAULT_PENALIZED_MAX_ITER,
    start,
    options.polish ?? true,
  );
  return finish(m, y, x, fit.coef, fit, l1, l2, intercept);
}

/** Lasso: elastic net with l2 = 0. */
export function lasso(y: ArrayLike<number>, x: ArrayLike<number>, k: number, options: Omit<PenalizedOptions, 'l2'> = {}): PenalizedResult {
  // an l2 given to lasso was overwritten with 0 without a word
  checkOptionNames<Omit<PenalizedOptions, 'l2'>>('lasso options', options, LASSO_OPTION_NAMES);
  return elasticNet(y, x, k, { ...options, l2: 0 });
}

export interface PenalizedBatchOptions extends PenalizedOptions {
  /** Row stride / offset of y, as in {@link olsBatch}. */
  yStride?: number;
  yOffset?: number;
  /** Compute residuals (date-major n×m, default true). */
  residuals?: boolean;
  /** Minimum observations to fit a series (default k + 2). */
  minObs?: number;
  /** Kernels of the passes over y, as in {@link olsBatch}: 'auto' (WebAssembly when available) or 'js'; same bits. */
  kernel?: 'auto' | 'js';
}

export interface PenalizedBatchResult {
  nSeries: number;
  k: number;
  /** coef[j·k + f], original units; NaN for series not fitted. */
  coef: Float64Array;
  intercept: Float64Array;
  nobs: Int32Array;
  nIter: Int32Array;
  /** 1 when converged (always 1 for ridge). */
  converged: Uint8Array;
  /** Duality gap in the objective's units (0 for ridge; NaN for series not fitted). */
  dualGap: Float64Array;
  /** 1 when polished: the exact, verified KKT solution (always 1 for ridge). */
  polished: Uint8Array;
  /** Residuals, date-major n×m; NaN outside each series' sample. */
  residuals: Float64Array | null;
  /** Series with fewer than minObs observations (not fitted). */
  skipped: number[];
  /** Per series, the zero-variance columns (coefficient 0), only where there are any. */
  constant: { series: number; columns: number[] }[];
  /** Per series, the collinear columns of an unpenalised fit (l1 = l2 = 0: coefficient NaN, as `PenalizedResult.collinear`), only where there are any. */
  collinear: { series: number; columns: number[] }[];
}

/**
 * Ridge / lasso / elastic net of every column of the date-major n×m `y` on the shared row-major
 * n×k `x` (same objective, options and sklearn mapping as {@link elasticNet}). Moments come from
 * one pass over y ({@link batchMoments}); each series is then a k×k problem. The one difference
 * from the single-series route: ỹᵀỹ (used only by the duality-gap stop) is Σy² − (Σy)²/n.
 */
export function elasticNetBatch(data: BatchRegressionData, options?: PenalizedBatchOptions): PenalizedBatchResult;
/** @internal The positional form the library's kernels use: elasticNetBatch(y, n, m, x, k, options). */
export function elasticNetBatch(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options?: PenalizedBatchOptions,
): PenalizedBatchResult;
export function elasticNetBatch(
  first: BatchRegressionData | ArrayLike<number>,
  second?: PenalizedBatchOptions | number,
  mArg?: number,
  xArg?: ArrayLike<number>,
  kArg?: number,
  optionsArg?: PenalizedBatchOptions,
): PenalizedBatchResult {
  if (isBatchData(first))
    return elasticNetBatchOf(first.y, first.n, first.m, first.x, first.k, (second as PenalizedBatchOptions | undefined) ?? {});
  return elasticNetBatchOf(first, second as number, mArg as number, xArg as ArrayLike<number>, kArg as number, optionsArg ?? {});
}

function elasticNetBatchOf(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options: PenalizedBatchOptions,
): PenalizedBatchResult {
  const { l1, l2 } = checkPenalizedOptions('elasticNetBatch', options, PENALIZED_BATCH_OPTION_NAMES);
  if (options.minObs !== undefined) checkInteger('minObs', options.minObs, 1);
  if (options.kernel !== undefined) checkOneOf('kernel', options.kernel, ['auto', 'js']);
  const intercept = options.intercept ?? true;
  const normalize = options.normalize ?? false;
  const tol = options.tol ?? DEFAULT_PENALIZED_TOL,
    maxIter = options.maxIter ?? DEFAULT_PENALIZED_MAX_ITER,
    polish = options.polish ?? true;
  const minObs = Math.max(options.minObs ?? k + 2, 1);
  const bm = batchMoments(y, n, m, x, k, { intercept, yStride: options.yStride, yOffset: options.yOffset, kernel: options.kernel });
  const { xs, rowOk, shift, sy, syy, cnt, sxy, yStride, yOffset } = bm;
  const coef = new Float64Array(m * k).fill(NaN);
  const icpt = new Float64Array(m).fill(NaN);
  const nIter = new Int32Array(m);
  const converged = new Uint8Array(m);
  const dualGap = new Float64Array(m).fill(NaN);
  const polished = new Uint8Array(m);
  const skipped: number[] = [];
  const constant: { series: number; columns: number[] }[] = [];
  const collinear: { series: number; columns: number[] }[] = [];
  const slopes = new Float64Array(k * m); // factor-major, original units
  const cShift = new Float64Array(m);
  const fitted = new Uint8Array(m);
  const g = new Float64Array(k * k),
    sx = new Float64Array(k),
    c = new Float64Array(k * k),
    q = new Float64Array(k);
  const scale = new Float64Array(k),
    start = new Float64Array(k);
  for (let j = 0; j < m; j++) {
    const nj = cnt[j];
    if (!(sy[j] - sy[j] === 0)) throw nonFiniteY(y, n, yStride, yOffset, j); // ±Infinity in y: O(1) per series
    if (nj < minObs || nj === 0) {
      skipped.push(j);
      continue;
    }
    seriesShiftedMoments(bm, j, g, sx);
    const ym = intercept ? sy[j] / nj : 0;
    for (let f = 0; f < k; f++) {
      const xf = intercept ? sx[f] / nj : 0;
      q[f] = sxy[f * m + j] - xf * sy[j];
      for (let h = 0; h < k; h++) c[f * k + h] = g[f * k + h] - (intercept ? (sx[f] * sx[h]) / nj : 0);
    }
    const yty = Math.max(0, syy[j] - (intercept ? sy[j] * ym : 0));
    const cols: number[] = [];
    for (let f = 0; f < k; f++) {
      const raw = g[f * k + f] + 2 * shift[f] * sx[f] + nj * shift[f] * shift[f];
      const isConst = !(c[f * k + f] > 1e-12 * raw);
      if (isConst) cols.push(f);
      scale[f] = isConst ? 0 : normalize ? Math.sqrt(c[f * k + f] / nj) : 1;
    }
    if (cols.length > 0) constant.push({ series: j, columns: cols });
    // standardise (or just zero the constant columns)
    for (let f = 0; f < k; f++) {
      const sf = scale[f] > 0 ? 1 / scale[f] : 0;
      q[f] *= sf;
      for (let h = 0; h < k; h++) c[f * k + h] *= sf * (scale[h] > 0 ? 1 / scale[h] : 0);
    }
    let b: Float64Array;
    let dropped: readonly number[] = [];
    if (l1 === 0) {
      const a = Float64Array.from(c);
      for (let f = 0; f < k; f++) a[f * k + f] += nj * l2;
      const factor = cholesky(a, k, { exclude: cols, tol: l2 === 0 ? DEFAULT_COLLINEAR_TOL : 0 }); // as ridge
      b = choleskySolve(factor, q);
      dropped = factor.collinear;
      if (dropped.length > 0) collinear.push({ series: j, columns: dropped.slice() });
      nIter[j] = 0;
      converged[j] = 1;
      dualGap[j] = 0;
      polished[j] = 1;
    } else {
      let st: Float64Array | undefined;
      if (options.warmStart !== undefined) {
        for (let f = 0; f < k; f++) start[f] = options.warmStart[f] * scale[f];
        st = start;
      }
      const fit = elasticNetGram(c, q, yty, nj, k, l1, l2, tol, maxIter, st, polish);
      b = fit.coef;
      nIter[j] = fit.nIter;
      converged[j] = fit.converged ? 1 : 0;
      dualGap[j] = fit.dualGap;
      polished[j] = fit.polished ? 1 : 0;
    }
    let cs = ym;
    for (let f = 0; f < k; f++) {
      const bf = scale[f] > 0 ? b[f] / scale[f] : 0;
      coef[j * k + f] = bf;
      slopes[f * m + j] = bf;
      if (intercept) cs -= (sx[f] / nj) * bf; // shifted-coordinate intercept
    }
    cShift[j] = intercept ? cs : 0;
    let c0 = cShift[j];
    for (let f = 0; f < k; f++) c0 -= shift[f] * coef[j * k + f];
    icpt[j] = intercept ? c0 : 0;
    for (const f of dropped) coef[j * k + f] = NaN; // slopes keep b_f = 0: the residuals of the fit without them
    fitted[j] = 1;
  }
  let residuals: Float64Array | null = null;
  const kern =
    (options.residuals ?? true) && (options.kernel ?? 'auto') === 'auto' && y instanceof Float64Array && m > 0 ? olsKernel(k) : null;
  if (kern !== null) {
    // the WebAssembly route: the same bits; an unfitted series gets a NaN offset, so NaN residuals
    const offsets = Float64Array.from(cShift, (v, j) => (fitted[j] ? v : NaN));
    residuals = wasmResidualPanel(kern, y as Float64Array, n, m, k, yStride, yOffset, bm, slopes, offsets);
  } else if (options.residuals ?? true) {
    residuals = new Float64Array(n * m);
    const r = new Float64Array(m);
    for (let t = 0; t < n; t++) {
      const ro = t * m;
      if (!rowOk[t]) {
        residuals.fill(NaN, ro, ro + m);
        continue;
      }
      const off = yOffset + t * yStride;
      for (let j = 0; j < m; j++) r[j] = y[off + j] - cShift[j];
      for (let f = 0; f < k; f += 4) subtractGroup(r, xs, t * k, f, Math.min(4, k - f), m, slopes);
      for (let j = 0; j < m; j++) residuals[ro + j] = fitted[j] ? r[j] : NaN;
    }
  }
  return { nSeries: m, k, coef, intercept: icpt, nobs: cnt, nIter, converged, dualGap, polished, residuals, skipped, constant, collinear };
}

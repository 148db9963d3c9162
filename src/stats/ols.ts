/**
 * Ordinary least squares, one series or many sharing the same regressors.
 *
 * Model: y_t = c + Σ_f x_tf·b_f + e_t (c only with `intercept: true`, the default). Sample: the rows
 * where y and every x are present. With p = number of coefficients, rank r and n observations:
 *   b        = (X̃ᵀX̃)⁻¹ X̃ᵀỹ with X̃, ỹ centred on their sample means;  c = ȳ − x̄ᵀb
 *   e        = y − c − X·b (the residuals),  SSR = Σ e²,  df = n − r
 *   σ²       = SSR / df,  residualStd = σ = sqrt(SSR / (n − k)) (statsmodels `np.sqrt(scale)`)
 *   se(b)    = sqrt(σ² · diag((X̃ᵀX̃)⁻¹)),  se(c) = sqrt(σ² · (1/n + x̄ᵀ(X̃ᵀX̃)⁻¹x̄))
 *   t        = coef / se,  p = 2·P(T_df > |t|) (Student t, n − r degrees of freedom)
 *   R²       = 1 − SSR / Σ(y − ȳ)² with an intercept, 1 − SSR / Σy² without (statsmodels'
 *              centred / uncentred rule); null when y is constant (Σ(y − ȳ)² <= 1e-20·Σy²)
 *   adj. R²  = 1 − (n − i)/df · (1 − R²), i = 1 with an intercept, else 0 (statsmodels)
 * This is `statsmodels.api.OLS(y, add_constant(X)).fit()` (params, bse, tvalues, pvalues, rsquared,
 * rsquared_adj, resid, nobs, df_resid, sqrt(scale)); coefficient order is [const, x_0, ..., x_{k−1}].
 *
 * Why the centred Gram matrix and Cholesky rather than QR: (1) for a panel the regressors are shared,
 * so XᵀX is formed once and each series costs one O(n·k) pass for Xᵀy plus a k×k solve, where QR
 * would redo O(n·k²) per series; an asset with missing rows gets its Gram matrix by subtracting the
 * missing rows' outer products from the full one (O(missing·k²)), never by rebuilding it; (2)
 * centring removes the intercept column, the main source of ill-conditioning of XᵀX (factor returns
 * have means far below their standard deviations), so for the well-conditioned designs of factor
 * models the normal equations agree with statsmodels' pinv/QR to ~1e-12. The regressors are
 * shifted by their full-sample means before any moment is accumulated, which keeps the per-series
 * corrections (Σ x over the series' sample, small after the shift) free of cancellation. Residuals,
 * SSR and the total sum of squares are accumulated in a second pass, not from moment identities.
 *
 * Bad cases are reported, never silently fitted: a regressor whose sample variance is below
 * 1e-12 × its mean square (coefficient of variation < 1e-6; with an intercept) or that is all
 * zero is `constant`; one that is a linear combination of earlier regressors (1 − R² on them below
 * `tol`, default 1e-10, see linalg.ts) is `collinear`. Those coefficients are NaN and the rest is
 * the fit without them (df = n − rank, like statsmodels' rank-based df), and the series is listed
 * in `issues`. A series with fewer than `minObs` observations (default p + 1) is not fitted: all
 * NaN, listed in `issues` as `too-few-observations`.
 */
import { DEFAULT_COLLINEAR_TOL, cholesky, choleskyInverse, choleskySolve } from './linalg.js';
import type { CholeskyFactor } from './linalg.js';
import { tTwoSidedPValue } from './distributions.js';
import { accumulateSquares, batchMoments, seriesShiftedMoments, startResidualRow, subtractGroup } from './moments.js';

export interface OlsOptions {
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Minimum observations to fit a series (default: number of coefficients + 1). */
  minObs?: number;
  /** Collinearity tolerance on 1 − R² of a regressor on the earlier ones (default 1e-10). */
  tol?: number;
  /** Compute and return residuals (default true). */
  residuals?: boolean;
  /**
   * Row stride of `y` (default m) and offset of its first element (default 0): fit the columns
   * [offset, offset + m) of a wider date-major matrix in place, e.g. one block per worker.
   */
  yStride?: number;
  yOffset?: number;
  /**
   * Write residuals into this buffer (same stride and offset as `y`) instead of a new n×m array;
   * `residuals` in the result is then this buffer.
   */
  residualsOut?: Float64Array;
}

export type OlsIssueKind = 'too-few-observations' | 'rank-deficient';

export interface OlsIssue {
  /** Series (column of Y) the issue belongs to; 0 for a single fit. */
  series: number;
  kind: OlsIssueKind;
  /** Observations in the series' sample. */
  nobs: number;
  /** Regressor columns (0-based indices into X, intercept not counted) found constant / all zero. */
  constant: number[];
  /** Regressor columns found to be linear combinations of earlier ones. */
  collinear: number[];
}

/** Result of a batched fit of m series on shared regressors. Per-series arrays are series-major. */
export interface OlsBatchResult {
  nRows: number;
  nSeries: number;
  /** Number of regressors in X (without the intercept). */
  k: number;
  /** Coefficients per series: p = k + (intercept ? 1 : 0). */
  p: number;
  intercept: boolean;
  /** coef[j·p + i]: coefficient i of series j, order [const, x_0 .. x_{k−1}]. NaN when not fitted. */
  coef: Float64Array;
  se: Float64Array;
  t: Float64Array;
  pValue: Float64Array;
  /** R² per series; NaN when y is constant or the series was not fitted (see `r2OrNull`). */
  r2: Float64Array;
  adjR2: Float64Array;
  /** sqrt(SSR / df) per series. */
  residualStd: Float64Array;
  ssr: Float64Array;
  nobs: Int32Array;
  /** Residual degrees of freedom n − rank. */
  dfResid: Int32Array;
  /** Rank of the design including the intercept. */
  rank: Int32Array;
  /**
   * Residuals, date-major n×m (or `residualsOut`, laid out like y); NaN outside each series'
   * sample. null if not requested.
   */
  residuals: Float64Array | null;
  issues: OlsIssue[];
}

export interface OlsResult {
  k: number;
  p: number;
  intercept: boolean;
  coef: Float64Array;
  se: Float64Array;
  t: Float64Array;
  pValue: Float64Array;
  /** null when y is constant on its sample (R² undefined), or when the series was not fitted. */
  r2: number | null;
  adjR2: number | null;
  residualStd: number;
  ssr: number;
  nobs: number;
  dfResid: number;
  rank: number;
  /** Length n, NaN outside the sample. */
  residuals: Float64Array;
  /** σ²·(XᵀX)⁻¹, p×p row-major in coefficient order; NaN rows/columns for dropped regressors. */
  cov: Float64Array;
  constant: number[];
  collinear: number[];
  issue: OlsIssue | null;
}

/** R² of series j of a batched fit, null when undefined (constant y or not fitted). */
export function r2OrNull(res: OlsBatchResult, j: number): number | null {
  const v = res.r2[j];
  return Number.isNaN(v) ? null : v;
}

const CONSTANT_TOL = 1e-12;
const CONSTANT_Y_TOL = 1e-20;

/** Per-series solution in shifted coordinates. */
interface Solved {
  factor: CholeskyFactor;
  inv: Float64Array;   // (X̃ᵀX̃)⁻¹ on kept columns (k×k), NaN for dropped
  constant: number[];
  collinear: number[];
}

function solveMoments(
  g: Float64Array, sx: Float64Array, nj: number, k: number, intercept: boolean, shift: Float64Array, tol: number, c: Float64Array,
  lOut: Float64Array, invOut: Float64Array, scratch: Float64Array,
): Solved {
  // centred Gram C = G − sx·sxᵀ/n (intercept) or G itself
  const constant: number[] = [];
  for (let f = 0; f < k; f++) {
    for (let h = 0; h <= f; h++) {
      const v = intercept ? g[f * k + h] - (sx[f] * sx[h]) / nj : g[f * k + h];
      c[f * k + h] = v;
      c[h * k + f] = v;
    }
    const cff = c[f * k + f];
    if (intercept) {
      // raw mean square of the unshifted column over the sample: Σ(x̃ + s)² = G_ff + 2·s·Σx̃ + n·s²
      const raw = g[f * k + f] + 2 * shift[f] * sx[f] + nj * shift[f] * shift[f];
      if (!(cff > CONSTANT_TOL * raw)) constant.push(f);
    } else if (!(cff > 0)) constant.push(f);
  }
  const factor = cholesky(c, k, { tol, exclude: constant, out: lOut });
  const inv = choleskyInverse(factor, invOut, scratch);
  return { factor, inv, constant, collinear: factor.collinear };
}

/**
 * Fits y_j = c_j + X·b_j for every column j of the date-major n×m matrix `y` (a Panel's values),
 * with X row-major n×k. Each series uses the rows where it and every regressor are present.
 * Series with the complete sample share one factorisation; the others subtract their missing rows'
 * contributions from the full-sample moments.
 */
export function olsBatch(y: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, options: OlsOptions = {}): OlsBatchResult {
  const intercept = options.intercept ?? true;
  const p = k + (intercept ? 1 : 0);
  const minObs = Math.max(options.minObs ?? p + 1, 1);
  const tol = options.tol ?? DEFAULT_COLLINEAR_TOL;
  const wantResid = options.residuals ?? true;
  const yStride = options.yStride ?? m;
  const yOffset = options.yOffset ?? 0;

  const bm = batchMoments(y, n, m, x, k, { intercept, yStride, yOffset });
  const { xs, rowOk, nFull, shift, gFull, sxFull, sy, cnt, sxy } = bm;

  // ---- solve per series ----
  const coef = new Float64Array(m * p).fill(NaN);
  const se = new Float64Array(m * p).fill(NaN);
  const tv = new Float64Array(m * p).fill(NaN);
  const pv = new Float64Array(m * p).fill(NaN);
  const r2 = new Float64Array(m).fill(NaN);
  const adjR2 = new Float64Array(m).fill(NaN);
  const residualStd = new Float64Array(m).fill(NaN);
  const ssr = new Float64Array(m).fill(NaN);
  const nobs = new Int32Array(m);
  const dfResid = new Int32Array(m);
  const rank = new Int32Array(m);
  const issues: OlsIssue[] = [];
  const slopes = new Float64Array(k * m);   // factor-major b[f·m + j] in shifted coordinates
  const cShift = new Float64Array(m);       // intercept in shifted coordinates: ȳ − x̄ₛᵀb
  const ybar = new Float64Array(m);
  const fitted = new Uint8Array(m);
  const invAll = new Float64Array(m * k * k); // (X̃ᵀX̃)⁻¹ per series, only for series with missing rows
  const invs: Float64Array[] = new Array<Float64Array>(m);
  const lbuf = new Float64Array(k * k), wbuf = new Float64Array(k * k);
  const xbarS = new Float64Array(m * k);    // sample mean of shifted X per series

  let fullSolved: Solved | null = null;
  const cbuf = new Float64Array(k * k);
  const gj = new Float64Array(k * k);
  const sxj = new Float64Array(k);
  const rhs = new Float64Array(k);
  const b = new Float64Array(k);
  for (let j = 0; j < m; j++) {
    const nj = cnt[j];
    nobs[j] = nj;
    if (nj < minObs || nj === 0) {
      issues.push({ series: j, kind: 'too-few-observations', nobs: nj, constant: [], collinear: [] });
      continue;
    }
    let solved: Solved;
    let sxUse: Float64Array;
    if (nj === nFull) {
      if (fullSolved === null) fullSolved = solveMoments(gFull, sxFull, nFull, k, intercept, shift, tol, new Float64Array(k * k), new Float64Array(k * k), new Float64Array(k * k), wbuf);
      solved = fullSolved;
      sxUse = sxFull;
    } else {
      seriesShiftedMoments(bm, j, gj, sxj);
      solved = solveMoments(gj, sxj, nj, k, intercept, shift, tol, cbuf, lbuf, invAll.subarray(j * k * k, (j + 1) * k * k), wbuf);
      sxUse = sxj;
    }
    const rk = solved.factor.rank + (intercept ? 1 : 0);
    if (nj <= rk) {
      issues.push({ series: j, kind: 'too-few-observations', nobs: nj, constant: solved.constant, collinear: solved.collinear });
      continue;
    }
    if (solved.factor.rank < k) {
      issues.push({ series: j, kind: 'rank-deficient', nobs: nj, constant: solved.constant, collinear: solved.collinear });
    }
    const yb = sy[j] / nj;
    for (let f = 0; f < k; f++) {
      const xb = intercept ? sxUse[f] / nj : 0;
      xbarS[j * k + f] = xb;
      rhs[f] = sxy[f * m + j] - xb * sy[j];
    }
    choleskySolve(solved.factor, rhs, b);
    let cs = intercept ? yb : 0;
    for (let f = 0; f < k; f++) { slopes[f * m + j] = b[f]; cs -= xbarS[j * k + f] * b[f]; }
    cShift[j] = cs;
    ybar[j] = yb;
    fitted[j] = 1;
    invs[j] = solved.inv;
    rank[j] = rk;
    dfResid[j] = nj - rk;
    const base = j * p;
    if (intercept) {
      let c0 = cs;
      for (let f = 0; f < k; f++) c0 -= shift[f] * b[f];
      coef[base] = c0;
    }
    for (let f = 0; f < k; f++) coef[base + p - k + f] = solved.factor.dropped[f] ? NaN : b[f];
  }

  // ---- pass 2: residuals, SSR, total sum of squares ----
  const tss = new Float64Array(m);
  const ssrAcc = new Float64Array(m);
  // unfitted series get a NaN offset so their residuals come out NaN without a branch
  for (let j = 0; j < m; j++) if (!fitted[j]) cShift[j] = NaN;
  // every element is written exactly once below (NaN outside the samples): no separate fill pass
  const own = options.residualsOut === undefined;
  const residuals = !wantResid ? null : own ? new Float64Array(n * m) : options.residualsOut!;
  const rStride = own ? m : yStride;
  const rOffset = own ? 0 : yOffset;
  if (!own && residuals !== null && residuals.length < y.length) throw new RangeError('olsBatch: residualsOut is shorter than y');
  const r = new Float64Array(m);
  const dev = new Float64Array(m);
  const center = intercept ? ybar : new Float64Array(m);
  for (let t = 0; t < n; t++) {
    const off = yOffset + t * yStride;
    const ro = rOffset + t * rStride;
    if (!rowOk[t]) { if (residuals !== null) residuals.fill(NaN, ro, ro + m); continue; }
    const xr = t * k;
    startResidualRow(y, off, m, cShift, center, r, dev);
    for (let f = 0; f < k; f += 4) subtractGroup(r, xs, xr, f, Math.min(4, k - f), m, slopes);
    accumulateSquares(r, dev, m, ssrAcc, tss);
    if (residuals !== null) residuals.set(r, ro);
  }

  // ---- inference ----
  for (let j = 0; j < m; j++) {
    if (!fitted[j]) continue;
    const df = dfResid[j];
    const nj = nobs[j];
    const s = ssrAcc[j];
    ssr[j] = s;
    const sigma2 = s / df;
    residualStd[j] = Math.sqrt(sigma2);
    // y counts as constant when its variance is below 1e-20 × its mean square (CV < 1e-10):
    // the rounding of ȳ alone leaves Σ(y − ȳ)² ≈ 1e-32·Σy² for a truly constant series.
    const yy = intercept ? tss[j] + nj * ybar[j] * ybar[j] : tss[j]; // Σy², exact enough for a threshold
    if (tss[j] > CONSTANT_Y_TOL * yy) {
      const rr = 1 - s / tss[j];
      r2[j] = rr;
      adjR2[j] = 1 - ((nj - (intercept ? 1 : 0)) / df) * (1 - rr);
    }
    const inv = invs[j];
    const base = j * p;
    for (let f = 0; f < k; f++) {
      const i = base + p - k + f;
      if (Number.isNaN(coef[i])) continue;
      se[i] = Math.sqrt(sigma2 * inv[f * k + f]);
    }
    if (intercept) {
      // Var(c) = σ²·(1/n + x̄ᵀ·C⁻¹·x̄), x̄ the sample mean of the original X (shift-invariant C)
      let quad = 0;
      for (let f = 0; f < k; f++) {
        if (Number.isNaN(coef[base + 1 + f])) continue;
        const xf = xbarS[j * k + f] + shift[f];
        for (let h = 0; h < k; h++) {
          if (Number.isNaN(coef[base + 1 + h])) continue;
          quad += xf * inv[f * k + h] * (xbarS[j * k + h] + shift[h]);
        }
      }
      se[base] = Math.sqrt(sigma2 * (1 / nj + quad));
    }
    for (let i = base; i < base + p; i++) {
      const tt = coef[i] / se[i];
      tv[i] = tt;
      pv[i] = tTwoSidedPValue(tt, df);
    }
  }

  return { nRows: n, nSeries: m, k, p, intercept, coef, se, t: tv, pValue: pv, r2, adjR2, residualStd, ssr, nobs, dfResid, rank, residuals, issues };
}

/**
 * OLS of one series y (length n) on X (row-major n×k). See the module doc for every formula; the
 * result also carries the coefficient covariance σ²·(XᵀX)⁻¹ in [const, x_0 ..] order.
 */
export function ols(y: ArrayLike<number>, x: ArrayLike<number>, k: number, options: OlsOptions = {}): OlsResult {
  const n = y.length;
  const res = olsBatch(y, n, 1, x, k, { ...options, residuals: true });
  const issue = res.issues[0] ?? null;
  const p = res.p;
  const cov = covarianceOf(res, x, k, y);
  return {
    k, p, intercept: res.intercept,
    coef: res.coef, se: res.se, t: res.t, pValue: res.pValue,
    r2: r2OrNull(res, 0),
    adjR2: Number.isNaN(res.adjR2[0]) ? null : res.adjR2[0],
    residualStd: res.residualStd[0], ssr: res.ssr[0], nobs: res.nobs[0], dfResid: res.dfResid[0], rank: res.rank[0],
    residuals: res.residuals ?? new Float64Array(n).fill(NaN),
    cov: p === 0 ? new Float64Array(0) : cov,
    constant: issue?.constant ?? [], collinear: issue?.collinear ?? [],
    issue,
  };
}

/** σ²·(XᵀX)⁻¹ for a single fit, built from the sample rows (those with a residual). */
function covarianceOf(res: OlsBatchResult, x: ArrayLike<number>, k: number, y: ArrayLike<number>): Float64Array {
  const p = res.p;
  const cov = new Float64Array(p * p).fill(NaN);
  if (Number.isNaN(res.residualStd[0])) return cov;
  const inv = inverseDesignGram(x, k, res.intercept, (t) => y[t] === y[t] && !Number.isNaN(res.residuals![t]), y.length, res.coef);
  const s2 = res.residualStd[0] ** 2;
  for (let i = 0; i < p * p; i++) cov[i] = s2 * inv[i];
  return cov;
}

/**
 * (ZᵀZ)⁻¹ for the design Z = [1, X] (or X) over the rows `inSample(t)`, p×p, NaN for coefficients
 * that are NaN in `coef` (dropped). Built from the centred Gram: with C = X̃ᵀX̃, x̄ the mean,
 *   (ZᵀZ)⁻¹ = [[1/n + x̄ᵀC⁻¹x̄, −x̄ᵀC⁻¹], [−C⁻¹x̄, C⁻¹]].
 */
export function inverseDesignGram(
  x: ArrayLike<number>, k: number, intercept: boolean, inSample: (t: number) => boolean, n: number, coef: ArrayLike<number>,
): Float64Array {
  const p = k + (intercept ? 1 : 0);
  const mean = new Float64Array(k);
  let cnt = 0;
  for (let t = 0; t < n; t++) {
    if (!inSample(t)) continue;
    cnt++;
    if (intercept) for (let f = 0; f < k; f++) mean[f] += x[t * k + f];
  }
  if (intercept) for (let f = 0; f < k; f++) mean[f] /= cnt;
  const c = new Float64Array(k * k);
  for (let t = 0; t < n; t++) {
    if (!inSample(t)) continue;
    for (let f = 0; f < k; f++) {
      const a = x[t * k + f] - mean[f];
      for (let h = 0; h <= f; h++) c[f * k + h] += a * (x[t * k + h] - mean[h]);
    }
  }
  for (let f = 0; f < k; f++) for (let h = 0; h < f; h++) c[h * k + f] = c[f * k + h];
  const off = intercept ? 1 : 0;
  const exclude: number[] = [];
  for (let f = 0; f < k; f++) if (Number.isNaN(coef[off + f])) exclude.push(f);
  const ci = choleskyInverse(cholesky(c, k, { exclude, tol: 0 }));
  const out = new Float64Array(p * p).fill(NaN);
  for (let f = 0; f < k; f++) for (let h = 0; h < k; h++) out[(f + off) * p + h + off] = ci[f * k + h];
  if (intercept) {
    let quad = 0;
    const cix = new Float64Array(k);
    for (let f = 0; f < k; f++) {
      if (Number.isNaN(ci[f * k + f])) { cix[f] = NaN; continue; }
      let s = 0;
      for (let h = 0; h < k; h++) if (!Number.isNaN(ci[h * k + h])) s += ci[f * k + h] * mean[h];
      cix[f] = s;
      quad += mean[f] * s;
    }
    out[0] = 1 / cnt + quad;
    for (let f = 0; f < k; f++) { out[f + 1] = -cix[f]; out[(f + 1) * p] = -cix[f]; }
  }
  return out;
}

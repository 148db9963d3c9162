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
 * Both passes run over blocks of 512 series (date-major rows of the block), so the block's k×512
 * accumulators stay in L1; for k = 6 each pass is one fused loop per row (moments.ts). Where the
 * engine has WebAssembly SIMD and k <= 8, both passes and the search for missing values run as
 * WebAssembly kernels on a copy of the block's usable rows (olsWasm.ts), with the same operations
 * per series, so the same bits (option `kernel: 'js'` forces the JavaScript loops). Series are
 * independent: any split of the series into ranges ({@link olsBatchRange}) gives the same bits.
 *
 * Bad cases are reported, never silently fitted: a regressor whose sample variance is below
 * 1e-12 × its mean square (coefficient of variation < 1e-6; with an intercept) or that is all
 * zero is `constant`; one that is a linear combination of earlier regressors (1 − R² on them below
 * `tol`, default 1e-10, see linalg.ts) is `collinear`. Those coefficients are NaN and the rest is
 * the fit without them (df = n − rank, like statsmodels' rank-based df), and the series is listed
 * in `issues`. A series with fewer than `minObs` observations (default p + 1) is not fitted: all
 * NaN, listed in `issues` as `too-few-observations`.
 *
 * Definitions (all of them, in one place): docs/definitions.md#ols.
 */
import { checkBoolean, checkInteger, checkNonNegative, checkOneOf, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_COLLINEAR_TOL, cholesky, choleskyInverse, choleskySolve } from './linalg.js';
import type { CholeskyFactor } from './linalg.js';
import { tTwoSidedPValue } from './distributions.js';
import { isBatchData, type BatchRegressionData } from './batchData.js';
import { loadBlock, loadRegressors, olsKernel, type KernelLayout } from './olsWasm.js';
import {
  accumulateGroup,
  accumulateSquares,
  checkBatchShape,
  momentsRow6,
  prepare,
  residualRow6,
  scanRow,
  shiftedMomentsWithout,
  startResidualRow,
  subtractGroup,
  usableRows,
} from './moments.js';

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
   * `residuals` in the result is then this buffer. It may be `y` itself: each block of series is
   * read in full before its residuals are written, so a caller that no longer needs y saves an
   * n×m allocation (on a 5,000 × 2,520 panel, ~60 ms of first-touch page faults).
   */
  residualsOut?: Float64Array;
  /**
   * Kernels of the two passes over y: 'auto' (default) uses the WebAssembly SIMD kernels
   * (olsWasm.ts) when the engine has them, k <= 8 and y is a Float64Array, else the JavaScript
   * ones; 'js' forces JavaScript. Both give the same bits.
   */
  kernel?: 'auto' | 'js';
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

/** The per-series output arrays of a batched fit; series j's entries are at j (or j·p + i). */
export interface OlsBatchArrays {
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
}

/** Result of a batched fit of m series on shared regressors. Per-series arrays are series-major. */
export interface OlsBatchResult extends OlsBatchArrays {
  nRows: number;
  nSeries: number;
  /** Number of regressors in X (without the intercept). */
  k: number;
  /** Coefficients per series: p = k + (intercept ? 1 : 0). */
  p: number;
  intercept: boolean;
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
  inv: Float64Array; // (X̃ᵀX̃)⁻¹ on kept columns (k×k), NaN for dropped
  constant: number[];
  collinear: number[];
}

function solveMoments(
  g: Float64Array,
  sx: Float64Array,
  nj: number,
  k: number,
  intercept: boolean,
  shift: Float64Array,
  tol: number,
  c: Float64Array,
  lOut: Float64Array,
  invOut: Float64Array,
  scratch: Float64Array,
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

/** Output arrays for m series with p coefficients, on fresh memory or on `alloc`'s buffers (e.g. shared). */
export function olsBatchArrays(
  m: number,
  p: number,
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
): OlsBatchArrays {
  const f = (len: number): Float64Array => new Float64Array(alloc(len * 8));
  const i = (len: number): Int32Array => new Int32Array(alloc(len * 4));
  return {
    coef: f(m * p),
    se: f(m * p),
    t: f(m * p),
    pValue: f(m * p),
    r2: f(m),
    adjR2: f(m),
    residualStd: f(m),
    ssr: f(m),
    nobs: i(m),
    dfResid: i(m),
    rank: i(m),
  };
}

/**
 * Series per block: the block's k×BLOCK accumulators stay in L1 while the rows stream through
 * (measured on 5,000 × 2,520 × 6: 64 is call-bound, 5,000 (no blocking) L2-bound; 512–1,024 best).
 */
const BLOCK = 512;

/**
 * Bytes of the WebAssembly path's block (its rows × series copy of y, in the thread's module
 * memory, which never shrinks): the block is at most this big, so a thread holds ~4 MiB for it
 * rather than 8·nRows·512 bytes (10 MiB at 2,520 rows; the process holds one per thread).
 */
const WASM_BLOCK_BYTES = 4 * 2 ** 20;

/**
 * Series per block of the WebAssembly path for `nRows` usable rows: {@link BLOCK}, fewer when the
 * block would pass {@link WASM_BLOCK_BYTES}, a multiple of 16 and never below 128 (64 is call-bound).
 * Measured on 3,000 × 2,500 × 6 (olsBatch ×3, CPU, medians of 3 alternated, load ~14): 512 series
 * 2.20 s, 256 1.74 s, 128 1.88 s; the bits are the same for any width (series are independent).
 */
export function wasmBlockWidth(nRows: number): number {
  const fit = Math.floor(WASM_BLOCK_BYTES / (8 * Math.max(1, nRows)) / 16) * 16;
  return Math.min(BLOCK, Math.max(128, fit));
}

/**
 * Fits y_j = c_j + X·b_j for every column j of the date-major n×m matrix `y` (a Panel's values),
 * with X row-major n×k. Each series uses the rows where it and every regressor are present.
 * Series with the complete sample share one factorisation; the others subtract their missing rows'
 * contributions from the full-sample moments.
 */
export function olsBatch(data: BatchRegressionData, options?: OlsOptions): OlsBatchResult;
/** @internal The positional form the library's kernels use: olsBatch(y, n, m, x, k, options). */
export function olsBatch(y: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, options?: OlsOptions): OlsBatchResult;
export function olsBatch(
  first: BatchRegressionData | ArrayLike<number>,
  second?: OlsOptions | number,
  mArg?: number,
  xArg?: ArrayLike<number>,
  kArg?: number,
  optionsArg?: OlsOptions,
): OlsBatchResult {
  if (isBatchData(first)) {
    checkOptionNames<OlsOptions>('olsBatch options', second, OLS_OPTION_NAMES);
    return olsBatchOf(first.y, first.n, first.m, first.x, first.k, (second as OlsOptions | undefined) ?? {});
  }
  return olsBatchOf(first, second as number, mArg as number, xArg as ArrayLike<number>, kArg as number, optionsArg ?? {});
}

function olsBatchOf(y: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, options: OlsOptions): OlsBatchResult {
  checkOlsOptions(options);
  const intercept = options.intercept ?? true;
  const p = k + (intercept ? 1 : 0);
  const wantResid = options.residuals ?? true;
  const yStride = options.yStride ?? m;
  const yOffset = options.yOffset ?? 0;
  checkBatchShape(y, n, m, x, k, yStride, yOffset);
  const own = options.residualsOut === undefined;
  if (!own && wantResid && options.residualsOut!.length < y.length) throw new RangeError('olsBatch: residualsOut is shorter than y');
  // every element is written exactly once by the range fit (NaN outside the samples): no fill pass
  const residuals = !wantResid ? null : own ? new Float64Array(n * m) : options.residualsOut!;
  const out = olsBatchArrays(m, p);
  const issues = olsBatchRange(y, n, m, x, k, options, 0, m, out, residuals, own ? m : yStride, own ? 0 : yOffset);
  return { nRows: n, nSeries: m, k, p, intercept, ...out, residuals, issues };
}

const OLS_OPTION_NAMES: Readonly<Record<keyof OlsOptions, true>> = {
  intercept: true,
  minObs: true,
  tol: true,
  residuals: true,
  yStride: true,
  yOffset: true,
  residualsOut: true,
  kernel: true,
};

/** Option values a JavaScript caller can get wrong: `intercept: 'no'` would fit an intercept, `minObs: '30'` compare as text. */
function checkOlsOptions(options: OlsOptions): void {
  if (options.intercept !== undefined) checkBoolean('intercept', options.intercept);
  if (options.residuals !== undefined) checkBoolean('residuals', options.residuals);
  if (options.minObs !== undefined) checkInteger('minObs', options.minObs, 1);
  if (options.tol !== undefined) checkNonNegative('tol', options.tol);
  if (options.kernel !== undefined) checkOneOf('kernel', options.kernel, ['auto', 'js']);
}

/** The error for a series whose y sum is not finite: names the series and the row of its first infinite (or overflowing) value. */
export function nonFiniteY(y: ArrayLike<number>, n: number, stride: number, offset: number, j: number): InputError {
  for (let t = 0; t < n; t++) {
    const v = y[offset + t * stride + j];
    if (v === Infinity || v === -Infinity || Math.abs(v) > 1e150)
      return new InputError(`y has ${v} in series ${j} at row ${t}: a missing value is NaN, and an infinite one is an error in the data`, {
        hint: 'set the value to NaN (missing) or fix it',
      });
  }
  return new InputError(`y of series ${j} sums to a non-finite number: its values are too large`);
}

/**
 * The fit of the series [j0, j1) of {@link olsBatch}: writes their entries of `out` (indexed by
 * series j, like the full result) and their residuals into `residuals` (row t of series j at
 * rOffset + t·rStride + j; nothing when null), and returns their issues in series order. Series
 * are independent, so fitting [0, m) in any split gives the same bits as one call (the parallel
 * layer relies on it).
 */
export function olsBatchRange(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options: OlsOptions,
  j0: number,
  j1: number,
  out: OlsBatchArrays,
  residuals: Float64Array | null,
  rStride: number,
  rOffset: number,
): OlsIssue[] {
  const intercept = options.intercept ?? true;
  const p = k + (intercept ? 1 : 0);
  const minObs = Math.max(options.minObs ?? p + 1, 1);
  const tol = options.tol ?? DEFAULT_COLLINEAR_TOL;
  const yStride = options.yStride ?? m;
  const yOffset = options.yOffset ?? 0;
  checkBatchShape(y, n, m, x, k, yStride, yOffset);
  const { coef, se, t: tv, pValue: pv, r2, adjR2, residualStd, ssr, nobs, dfResid, rank } = out;
  coef.fill(NaN, j0 * p, j1 * p);
  se.fill(NaN, j0 * p, j1 * p);
  tv.fill(NaN, j0 * p, j1 * p);
  pv.fill(NaN, j0 * p, j1 * p);
  for (const a of [r2, adjR2, residualStd, ssr]) a.fill(NaN, j0, j1);
  dfResid.fill(0, j0, j1);
  rank.fill(0, j0, j1);

  const prep = prepare(x, n, k, intercept);
  const { xs, rowOk, nFull, shift, gFull, sxFull } = prep;
  const issues: OlsIssue[] = [];
  // the WebAssembly path: usable rows compacted, the block copied row by row into its memory
  const kern = (options.kernel ?? 'auto') === 'auto' && y instanceof Float64Array && j1 > j0 ? olsKernel(k) : null;
  const okRows = usableRows(prep);
  const W = kern !== null ? wasmBlockWidth(nFull) : BLOCK;
  let lay: KernelLayout | null = null;
  if (kern !== null) {
    lay = kern.layout(nFull, W);
    loadRegressors(lay, xs, k, okRows);
  }
  // block-local accumulators (stride nb = the block's width)
  const sy = new Float64Array(W),
    syy = new Float64Array(W),
    cnt = new Int32Array(W),
    sxy = new Float64Array(k * W);
  const yrow = new Float64Array(W),
    r = new Float64Array(W),
    dev = new Float64Array(W);
  const slopes = new Float64Array(k * W),
    cShift = new Float64Array(W),
    center = new Float64Array(W);
  const ssrB = new Float64Array(W),
    tssB = new Float64Array(W);
  const xbarS = new Float64Array(k * W); // sample mean of shifted X per series
  const invB = new Float64Array(k * k * W); // (X̃ᵀX̃)⁻¹ per series with missing rows
  const invs: Float64Array[] = new Array<Float64Array>(W);
  const fitted = new Uint8Array(W);
  const missStart = new Int32Array(W + 1),
    fillAt = new Int32Array(W);
  let missT = new Int32Array(1024),
    missJ = new Int32Array(1024),
    missRows = new Int32Array(1024);
  const lbuf = new Float64Array(k * k),
    wbuf = new Float64Array(k * k);
  let fullSolved: Solved | null = null;
  const cbuf = new Float64Array(k * k);
  const gj = new Float64Array(k * k);
  const sxj = new Float64Array(k);
  const rhs = new Float64Array(k);
  const b = new Float64Array(k);

  for (let s0 = j0; s0 < j1; s0 += W) {
    const nb = Math.min(W, j1 - s0);
    // ---- pass 1 over the block's rows: Σy, Σy², counts, Σ x̃·y, missing (row, series) pairs ----
    sy.fill(0);
    syy.fill(0);
    cnt.fill(0);
    sxy.fill(0);
    let nMiss = 0;
    const sw = nb + (nb & 1); // the WebAssembly block's row stride (even)
    if (kern !== null && lay !== null) {
      nMiss = wasmMoments(kern, lay, y as Float64Array, okRows, yOffset, yStride, s0, nb, sw, k, sy, syy, cnt, sxy);
      if (nMiss > 0) {
        // the (row, series) pairs of the missing values, in row order like the scalar pass
        if (missT.length < nMiss) {
          missT = new Int32Array(nMiss);
          missJ = new Int32Array(nMiss);
        }
        const found = kern.missing(lay, nFull, sw),
          i32 = lay.i32,
          at = 2 * lay.miss;
        for (let z = 0; z < found; z++) {
          missT[z] = okRows[i32[at + 2 * z]];
          missJ[z] = i32[at + 2 * z + 1];
        }
      }
    }
    for (let t = 0; t < n && kern === null; t++) {
      if (!rowOk[t]) continue;
      const off = yOffset + t * yStride + s0;
      const missing = k === 6 ? momentsRow6(y, off, nb, xs, t * k, sy, syy, cnt, sxy) : scanRow(y, off, nb, yrow, sy, syy, cnt);
      if (missing > 0) {
        for (let q = 0; q < nb; q++) {
          const v = y[off + q];
          if (v !== v) {
            if (nMiss === missT.length) {
              missT = grow(missT);
              missJ = grow(missJ);
            }
            missT[nMiss] = t;
            missJ[nMiss] = q;
            nMiss++;
          }
        }
      }
      if (k !== 6) for (let f = 0; f < k; f += 4) accumulateGroup(sxy, xs, t * k, f, Math.min(4, k - f), nb, yrow);
    }
    missStart.fill(0);
    for (let i = 0; i < nMiss; i++) missStart[missJ[i] + 1]++;
    for (let q = 0; q < nb; q++) missStart[q + 1] += missStart[q];
    if (missRows.length < nMiss) missRows = new Int32Array(missT.length);
    for (let q = 0; q < nb; q++) fillAt[q] = missStart[q];
    for (let i = 0; i < nMiss; i++) missRows[fillAt[missJ[i]]++] = missT[i];

    // ---- solve per series ----
    for (let q = 0; q < nb; q++) {
      const j = s0 + q;
      const nj = cnt[q];
      // ±Infinity is not missing (NaN is): a finite sum says there is none, so the check is O(1) per series
      if (!(sy[q] - sy[q] === 0)) throw nonFiniteY(y, n, yStride, yOffset, j);
      nobs[j] = nj;
      cShift[q] = NaN; // unfitted series get NaN residuals without a branch
      fitted[q] = 0;
      center[q] = 0;
      let solved: Solved | null = null;
      let sxUse = sxFull;
      if (nj < minObs || nj === 0) {
        issues.push({ series: j, kind: 'too-few-observations', nobs: nj, constant: [], collinear: [] });
      } else if (nj === nFull) {
        if (fullSolved === null)
          fullSolved = solveMoments(
            gFull,
            sxFull,
            nFull,
            k,
            intercept,
            shift,
            tol,
            new Float64Array(k * k),
            new Float64Array(k * k),
            new Float64Array(k * k),
            wbuf,
          );
        solved = fullSolved;
      } else {
        shiftedMomentsWithout(prep, k, missRows.subarray(missStart[q], missStart[q + 1]), missStart[q + 1] - missStart[q], gj, sxj);
        solved = solveMoments(gj, sxj, nj, k, intercept, shift, tol, cbuf, lbuf, invB.subarray(q * k * k, (q + 1) * k * k), wbuf);
        sxUse = sxj;
      }
      const rk = solved === null ? 0 : solved.factor.rank + (intercept ? 1 : 0);
      if (solved !== null && nj <= rk) {
        issues.push({ series: j, kind: 'too-few-observations', nobs: nj, constant: solved.constant, collinear: solved.collinear });
        solved = null;
      }
      if (solved === null) {
        for (let f = 0; f < k; f++) slopes[f * nb + q] = 0;
        continue;
      }
      if (solved.factor.rank < k) {
        issues.push({ series: j, kind: 'rank-deficient', nobs: nj, constant: solved.constant, collinear: solved.collinear });
      }
      const yb = sy[q] / nj;
      for (let f = 0; f < k; f++) {
        const xb = intercept ? sxUse[f] / nj : 0;
        xbarS[q * k + f] = xb;
        rhs[f] = sxy[f * nb + q] - xb * sy[q];
      }
      choleskySolve(solved.factor, rhs, b);
      let cs = intercept ? yb : 0;
      for (let f = 0; f < k; f++) {
        slopes[f * nb + q] = b[f];
        cs -= xbarS[q * k + f] * b[f];
      }
      cShift[q] = cs;
      if (intercept) center[q] = yb;
      invs[q] = solved.inv;
      fitted[q] = 1;
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

    // ---- pass 2 over the block's rows (now in cache): residuals, SSR, total sum of squares ----
    ssrB.fill(0);
    tssB.fill(0);
    if (kern !== null && lay !== null) {
      wasmResiduals(kern, lay, okRows, rowOk, residuals, rOffset, rStride, s0, nb, sw, k, n, slopes, cShift, center, ssrB, tssB);
    }
    for (let t = 0; t < n && kern === null; t++) {
      const ro = rOffset + t * rStride + s0;
      if (!rowOk[t]) {
        if (residuals !== null) residuals.fill(NaN, ro, ro + nb);
        continue;
      }
      if (k === 6) {
        if (residuals !== null)
          residualRow6(y, yOffset + t * yStride + s0, nb, xs, t * k, cShift, center, slopes, ssrB, tssB, residuals, ro);
        else residualRow6(y, yOffset + t * yStride + s0, nb, xs, t * k, cShift, center, slopes, ssrB, tssB, r, 0);
        continue;
      }
      startResidualRow(y, yOffset + t * yStride + s0, nb, cShift, center, r, dev);
      for (let f = 0; f < k; f += 4) subtractGroup(r, xs, t * k, f, Math.min(4, k - f), nb, slopes);
      accumulateSquares(r, dev, nb, ssrB, tssB);
      if (residuals !== null) {
        if (nb === W) residuals.set(r, ro);
        else for (let q = 0; q < nb; q++) residuals[ro + q] = r[q];
      }
    }
    for (let q = 0; q < nb; q++) {
      if (!fitted[q]) continue;
      inferSeries(
        out,
        s0 + q,
        p,
        k,
        intercept,
        nobs[s0 + q],
        center[q],
        ssrB[q],
        tssB[q],
        invs[q],
        xbarS.subarray(q * k, q * k + k),
        shift,
      );
    }
  }
  return issues;
}

/**
 * Pass 1 of a block on the WebAssembly kernel: copies the usable rows of the block's nb series
 * into the module's memory (row stride sw), runs moments_k and returns the moments in the scalar
 * pass's layout (stride nb); returns the number of missing values.
 */
function wasmMoments(
  kern: NonNullable<ReturnType<typeof olsKernel>>,
  lay: KernelLayout,
  y: Float64Array,
  okRows: Int32Array,
  yOffset: number,
  yStride: number,
  s0: number,
  nb: number,
  sw: number,
  k: number,
  sy: Float64Array,
  syy: Float64Array,
  cnt: Int32Array,
  sxy: Float64Array,
): number {
  const f64 = lay.f64,
    nOk = okRows.length;
  loadBlock(lay, y, okRows, yOffset, yStride, s0, nb, sw);
  f64.fill(0, lay.mom, lay.mom + (k + 3) * sw);
  kern.moments(lay, nOk, sw);
  let missing = 0;
  for (let q = 0; q < nb; q++) {
    for (let f = 0; f < k; f++) sxy[f * nb + q] = f64[lay.mom + f * sw + q];
    sy[q] = f64[lay.mom + k * sw + q];
    syy[q] = f64[lay.mom + (k + 1) * sw + q];
    const c = f64[lay.mom + (k + 2) * sw + q];
    cnt[q] = c;
    missing += nOk - c;
  }
  return missing;
}

/**
 * Pass 2 of a block on the WebAssembly kernel (the block is still in the module's memory from
 * pass 1): residuals, SSR and total sum of squares per series; residuals copied out to their
 * rows, NaN on the rows that are not usable.
 */
function wasmResiduals(
  kern: NonNullable<ReturnType<typeof olsKernel>>,
  lay: KernelLayout,
  okRows: Int32Array,
  rowOk: Uint8Array,
  residuals: Float64Array | null,
  rOffset: number,
  rStride: number,
  s0: number,
  nb: number,
  sw: number,
  k: number,
  n: number,
  slopes: Float64Array,
  cShift: Float64Array,
  center: Float64Array,
  ssrB: Float64Array,
  tssB: Float64Array,
): void {
  const f64 = lay.f64,
    nOk = okRows.length,
    par = lay.par;
  for (let q = 0; q < nb; q++) {
    for (let f = 0; f < k; f++) f64[par + f * sw + q] = slopes[f * nb + q];
    f64[par + k * sw + q] = cShift[q];
    f64[par + (k + 1) * sw + q] = center[q];
  }
  if (sw > nb) for (let r = 0; r < k + 2; r++) f64[par + r * sw + nb] = 0;
  f64.fill(0, lay.sums, lay.sums + 2 * sw);
  kern.resid(lay, nOk, sw);
  for (let q = 0; q < nb; q++) {
    ssrB[q] = f64[lay.sums + q];
    tssB[q] = f64[lay.sums + sw + q];
  }
  if (residuals === null) return;
  for (let i = 0; i < nOk; i++) {
    const d = lay.block + i * sw;
    residuals.set(f64.subarray(d, d + nb), rOffset + okRows[i] * rStride + s0);
  }
  if (nOk < n) for (let t = 0; t < n; t++) if (!rowOk[t]) residuals.fill(NaN, rOffset + t * rStride + s0, rOffset + t * rStride + s0 + nb);
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const c = new Int32Array(a.length * 2);
  c.set(a);
  return c;
}

/** Inference of series j from its SSR `s` and total sum of squares (see the module doc). */
function inferSeries(
  out: OlsBatchArrays,
  j: number,
  p: number,
  k: number,
  intercept: boolean,
  nj: number,
  yb: number,
  s: number,
  tss: number,
  inv: Float64Array,
  xbarS: Float64Array,
  shift: Float64Array,
): void {
  const { coef, se, t: tv, pValue: pv, r2, adjR2, residualStd, ssr, dfResid } = out;
  const df = dfResid[j];
  ssr[j] = s;
  const sigma2 = s / df;
  residualStd[j] = Math.sqrt(sigma2);
  // y counts as constant when its variance is below 1e-20 × its mean square (CV < 1e-10):
  // the rounding of ȳ alone leaves Σ(y − ȳ)² ≈ 1e-32·Σy² for a truly constant series.
  const yy = intercept ? tss + nj * yb * yb : tss; // Σy², exact enough for a threshold
  if (tss > CONSTANT_Y_TOL * yy) {
    const rr = 1 - s / tss;
    r2[j] = rr;
    adjR2[j] = 1 - ((nj - (intercept ? 1 : 0)) / df) * (1 - rr);
  }
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
      const xf = xbarS[f] + shift[f];
      for (let h = 0; h < k; h++) {
        if (Number.isNaN(coef[base + 1 + h])) continue;
        quad += xf * inv[f * k + h] * (xbarS[h] + shift[h]);
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

/**
 * OLS of one series y (length n) on X (row-major n×k). See the module doc for every formula; the
 * result also carries the coefficient covariance σ²·(XᵀX)⁻¹ in [const, x_0 ..] order.
 */
export function ols(y: ArrayLike<number>, x: ArrayLike<number>, k: number, options: OlsOptions = {}): OlsResult {
  checkOptionNames<OlsOptions>('ols options', options, OLS_OPTION_NAMES); // `{ intercpt: false }` fitted an intercept
  const n = y.length;
  const res = olsBatch(y, n, 1, x, k, { ...options, residuals: true });
  const issue = res.issues[0] ?? null;
  const p = res.p;
  const cov = covarianceOf(res, x, k, y);
  return {
    k,
    p,
    intercept: res.intercept,
    coef: res.coef,
    se: res.se,
    t: res.t,
    pValue: res.pValue,
    r2: r2OrNull(res, 0),
    adjR2: Number.isNaN(res.adjR2[0]) ? null : res.adjR2[0],
    residualStd: res.residualStd[0],
    ssr: res.ssr[0],
    nobs: res.nobs[0],
    dfResid: res.dfResid[0],
    rank: res.rank[0],
    residuals: res.residuals ?? new Float64Array(n).fill(NaN),
    cov: p === 0 ? new Float64Array(0) : cov,
    constant: issue?.constant ?? [],
    collinear: issue?.collinear ?? [],
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
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  inSample: (t: number) => boolean,
  n: number,
  coef: ArrayLike<number>,
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
      if (Number.isNaN(ci[f * k + f])) {
        cix[f] = NaN;
        continue;
      }
      let s = 0;
      for (let h = 0; h < k; h++) if (!Number.isNaN(ci[h * k + h])) s += ci[f * k + h] * mean[h];
      cix[f] = s;
      quad += mean[f] * s;
    }
    out[0] = 1 / cnt + quad;
    for (let f = 0; f < k; f++) {
      out[f + 1] = -cix[f];
      out[(f + 1) * p] = -cix[f];
    }
  }
  return out;
}

/**
 * Rolling-window OLS of many series on shared regressors.
 *
 * For series j and window end t, the window is the `window` rows t − window + 1 .. t (only full
 * windows, t >= window − 1, unless `partial`), and the sample is the rows of the window where y_j
 * and every regressor are present. On that sample, with n_jt observations:
 *   y_s = c + Σ_f x_sf·b_f + e_s,   b = C⁻¹·cxy,   C = Σ (x_s − x̄)(x_s − x̄)ᵀ,  cxy = Σ (x_s − x̄)·y_s
 *   c = ȳ − x̄ᵀb,   SSR = Σ(y − ȳ)² − bᵀ·cxy,   R² = 1 − SSR / Σ(y − ȳ)²,
 *   residualStd = sqrt(SSR / (n_jt − rank))   (rank counts the intercept)
 * Without an intercept (`includeConstant: false`) x̄ = ȳ = 0 and R² is uncentred (1 − SSR / Σy²),
 * as in statsmodels. A window with fewer than `minObs` observations gives NaN coefficients, R² and
 * residual std (its nobs is still reported). R² is NaN when y is constant on the sample. A regressor
 * constant in the window (sample variance < 1e-12 × its mean square) or collinear with earlier ones
 * (1 − R² on them < 1e-10, see linalg.ts) gets a NaN coefficient and the rest is the fit without
 * it, exactly like {@link olsBatch}. This is `statsmodels RollingOLS(y, add_constant(X), window,
 * missing='drop')` for full-rank windows.
 *
 * ## How (and why it does not drift)
 *
 * Regressors are shared. Per window end t the kernel forms, fresh (no running sums), the
 * regressor moments over the window's usable rows, with x shifted by its full-sample mean μ
 * (x̃ = x − μ): count, Σx̃, G = Σx̃x̃ᵀ, the centred C and its inverse. That costs
 * O(n·window·k²) once for all series (17M flops for 2,520 × 252 × 6), negligible next to the
 * series. Per series the kernel keeps running sums over the window's sample, with ỹ = y − ν (ν the
 * series' full-sample mean): Σỹ, Σỹ², Σx̃ỹ (k + 2 numbers, one add and one subtract per row), and,
 * for the rows where y is missing but x is not, Σx̃ and Σx̃x̃ᵀ of those rows (touched only when a
 * missing row enters or leaves the window). A window without missing y uses the shared inverse:
 * b = C⁻¹·cxy costs k² — the common case is O(k²) per (series, date), not O(k³). A window with
 * missing y rows uses G_j = G − Σ_missing x̃x̃ᵀ (or, when the sample is smaller than the missing
 * set, a fresh sum over the sample, so the subtraction never cancels) and its own Cholesky.
 *
 * Running sums accumulate rounding: after r add/subtract steps the error is at most about
 * 2r·ε·max|term|, whereas a fresh sum of the window has at most window·ε·max|term|. Every
 * `reanchorEvery` rows (default: `window`) the running sums are recomputed from scratch over the
 * current window, so the drift never exceeds the rounding bound of a fresh summation of one
 * window: incremental results agree with a fresh fit of every window to ~1e-12 relative (tested
 * against {@link ols} on every window). Re-anchoring every `window` rows costs one extra add per
 * row and statistic on average; measured, it is within timing noise of never re-anchoring (2,000
 * series × 2,520 rows × 6 regressors: 1.5-1.7 s either way), so there is no reason to re-anchor
 * less often. The missing-row sums are also reset
 * to exact zeros whenever the window holds no missing row. SSR comes from the moments, so its
 * relative accuracy is ~ε·TSS/SSR (1e-13 at R² = 0.99).
 *
 * Layout: y is asset-major (`y[j·n + t]`, see `Panel.toAssetMajor`) so the per-series pass reads
 * contiguous memory; x is row-major n×k. The inner loops allocate nothing. Outputs are written
 * asset-major: coefficient i of series j on date t at `coef[(j·p + i)·n + t]`, order
 * [const, x_0 .. x_{k−1}] (no const without an intercept); `r2`, `residualStd`, `nobs` at `[j·n + t]`.
 * `rollingOlsRange` fits a block of series into caller-owned buffers (a worker's share), and can
 * instead fold the coefficients into weighted sums (portfolio exposures) without storing them.
 */
import { checkBoolean, checkInteger, checkOptionNames, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { invertLower } from './linalg.js';
import { isBatchData, type BatchRegressionData } from './batchData.js';

export interface RollingOlsOptions {
  /** Rows per window (>= 1). */
  window: number;
  /** Minimum observations in a window's sample (default: number of coefficients + 1, at least 1). */
  minObs?: number;
  /** Fit an intercept (default true). */
  includeConstant?: boolean;
  /** Recompute the running sums from scratch every this many rows (default: window). */
  reanchorEvery?: number;
  /** Also fit the leading windows shorter than `window` rows (default false: NaN there, like statsmodels). */
  partial?: boolean;
}

const CONSTANT_TOL = 1e-12;
const CONSTANT_Y_TOL = 1e-20;
const COLLINEAR_TOL = 1e-10;

/** The shared (regressor-only) part of a rolling fit: one per (X, options), reused by every block of series. */
export interface RollingDesign {
  n: number;
  k: number;
  /** Coefficients per fit: k + (intercept ? 1 : 0). */
  p: number;
  window: number;
  minObs: number;
  intercept: boolean;
  partial: boolean;
  reanchorEvery: number;
  /** 1 where every regressor is finite. */
  rowOk: Uint8Array;
  /** x − μ (0 on unusable rows), row-major n×k. */
  xs: Float64Array;
  /** μ: full-sample means of the regressors (zeros without an intercept). */
  shift: Float64Array;
  /** Per window end: usable rows, Σx̃ (n×k), G = Σx̃x̃ᵀ (n×k×k). */
  nW: Int32Array;
  sxW: Float64Array;
  gW: Float64Array;
  /** Per window end: C⁻¹ of the full-usable-rows sample (n×k×k, zero rows/cols for dropped), dropped flags, rank of X. */
  cinvW: Float64Array;
  droppedW: Uint8Array;
  rankW: Int32Array;
}

/** Where `rollingOlsRange` writes. Every buffer is optional and indexed by the global series j. */
export interface RollingSink {
  /** coef[(j·p + i)·n + t] */
  coef?: Float64Array;
  r2?: Float64Array;
  residualStd?: Float64Array;
  /** Observations in the window's sample (also when below minObs). */
  nobs?: Float64Array;
  /**
   * Fold the slopes into weighted sums instead of (or besides) storing them: with w = weights[j·n + t]
   * finite and non-zero, `absTotal[t] += |w|`; if every slope of (j, t) is finite also
   * `exposure[t·k + f] += w·b_f`, `absCovered[t] += |w|`, `covered[t] += w`, `count[t] += 1`.
   */
  fold?: {
    weights: Float64Array;
    exposure: Float64Array;
    absTotal: Float64Array;
    absCovered: Float64Array;
    covered: Float64Array;
    count: Float64Array;
  };
}

export interface RollingOlsResult {
  nDates: number;
  nSeries: number;
  k: number;
  p: number;
  intercept: boolean;
  window: number;
  /** coef[(j·p + i)·n + t], order [const, x_0 .. x_{k−1}]. */
  coef: Float64Array;
  r2: Float64Array;
  residualStd: Float64Array;
  nobs: Float64Array;
}

function isUsable(v: number): boolean {
  return v - v === 0;
}

/**
 * Small SPD factor-and-invert with the rank rule of linalg.ts (constant columns excluded up front,
 * collinear when the pivot d_j <= tol·A_jj). Writes L into `l`, the inverse into `inv` (NaN rows and
 * columns for dropped), the flags into `dropped`; returns the rank. No allocation.
 */
function factor(a: Float64Array, k: number, dropped: Uint8Array, l: Float64Array, diagInv: Float64Array): number {
  for (let i = 0; i < k * k; i++) l[i] = 0;
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (dropped[j]) continue;
    const ajj = a[j * k + j];
    if (!(ajj > 0)) {
      dropped[j] = 1;
      continue;
    }
    const rj = j * k;
    let d = ajj;
    for (let q = 0; q < j; q++) d -= l[rj + q] * l[rj + q];
    if (!(d > COLLINEAR_TOL * ajj)) {
      dropped[j] = 1;
      continue;
    }
    const ljj = Math.sqrt(d),
      rl = 1 / ljj;
    l[rj + j] = ljj;
    diagInv[j] = rl;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let s = a[ri + j];
      for (let q = 0; q < j; q++) s -= l[ri + q] * l[rj + q];
      l[ri + j] = s * rl;
    }
    rank++;
  }
  return rank;
}

/** Solves A·b = rhs with the factor (dropped components 0). */
function solve(k: number, dropped: Uint8Array, l: Float64Array, diagInv: Float64Array, rhs: Float64Array, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    if (dropped[i]) {
      b[i] = 0;
      continue;
    }
    let s = rhs[i];
    const ri = i * k;
    for (let q = 0; q < i; q++) s -= l[ri + q] * b[q];
    b[i] = s * diagInv[i];
  }
  for (let i = k - 1; i >= 0; i--) {
    if (dropped[i]) {
      b[i] = 0;
      continue;
    }
    let s = b[i];
    for (let q = i + 1; q < k; q++) s -= l[q * k + i] * b[q];
    b[i] = s * diagInv[i];
  }
}

/** Centred (or raw) Gram from raw shifted moments plus the constant-column check. Writes c and dropped. */
function centre(
  g: Float64Array,
  gOff: number,
  sx: Float64Array,
  sxOff: number,
  cnt: number,
  k: number,
  intercept: boolean,
  shift: Float64Array,
  c: Float64Array,
  dropped: Uint8Array,
): void {
  const inv = 1 / cnt;
  for (let f = 0; f < k; f++) {
    const sf = sx[sxOff + f] * inv;
    for (let h = 0; h <= f; h++) {
      const v = intercept ? g[gOff + f * k + h] - sf * sx[sxOff + h] : g[gOff + f * k + h];
      c[f * k + h] = v;
      c[h * k + f] = v;
    }
    const cff = c[f * k + f];
    let flag = 0;
    if (intercept) {
      const raw = g[gOff + f * k + f] + 2 * shift[f] * sx[sxOff + f] + cnt * shift[f] * shift[f];
      if (!(cff > CONSTANT_TOL * raw)) flag = 1;
    } else if (!(cff > 0)) flag = 1;
    dropped[f] = flag;
  }
}

const ROLLING_OLS_OPTION_NAMES: Readonly<Record<keyof RollingOlsOptions, true>> = {
  window: true,
  minObs: true,
  includeConstant: true,
  reanchorEvery: true,
  partial: true,
};

/** Window start row for window end t. */
function startOf(t: number, window: number): number {
  return t - window + 1 < 0 ? 0 : t - window + 1;
}

/** Prepares the shared regressor moments of every window (see module doc). x is row-major n×k. */
export function prepareRollingDesign(x: ArrayLike<number>, n: number, k: number, options: RollingOlsOptions): RollingDesign {
  // the caller's options: InputErrors naming them (they were RangeErrors, and a TypeError without options)
  if (typeof options !== 'object' || options === null)
    throw new InputError(`rolling regression options must be an object with a window, got ${describeValue(options)}`, {
      hint: 'e.g. { window: 60 }',
    });
  const window = checkInteger('window', options.window, 1, Infinity, 'a whole number of rows >= 1');
  const intercept = options.includeConstant === undefined ? true : checkBoolean('includeConstant', options.includeConstant);
  const p = k + (intercept ? 1 : 0);
  // minObs above the window fits no window: every result NaN without a word
  if (options.minObs !== undefined) checkInteger('minObs', options.minObs, 1, window, `a whole number in 1..${window} (the window)`);
  const minObs = Math.max(options.minObs ?? p + 1, 1);
  const partial = checkBoolean('partial', options.partial ?? false);
  const reanchorEvery = checkInteger('reanchorEvery', options.reanchorEvery ?? window, 1, Infinity, 'a whole number of rows >= 1');
  checkInteger('n', n, 0, Infinity, 'a whole number of rows >= 0');
  checkInteger('k', k, 0, Infinity, 'a whole number of regressors >= 0');
  if (x.length !== n * k)
    throw new InputError(`the regressors have ${x.length} values, expected ${n} rows x ${k} regressors = ${n * k}`, {
      hint: 'X is row-major: n rows of k regressors',
    });
  const rowOk = new Uint8Array(n);
  const shift = new Float64Array(k);
  let nFull = 0;
  for (let t = 0; t < n; t++) {
    let ok = 1;
    for (let f = 0; f < k; f++)
      if (!isUsable(x[t * k + f])) {
        ok = 0;
        break;
      }
    rowOk[t] = ok;
    if (ok) {
      nFull++;
      if (intercept) for (let f = 0; f < k; f++) shift[f] += x[t * k + f];
    }
  }
  if (intercept && nFull > 0) for (let f = 0; f < k; f++) shift[f] /= nFull;
  const xs = new Float64Array(n * k);
  for (let t = 0; t < n; t++) if (rowOk[t]) for (let f = 0; f < k; f++) xs[t * k + f] = x[t * k + f] - shift[f];

  const kk = k * k;
  const nW = new Int32Array(n);
  const sxW = new Float64Array(n * k);
  const gW = new Float64Array(n * kk);
  const cinvW = new Float64Array(n * kk);
  const droppedW = new Uint8Array(n * k);
  const rankW = new Int32Array(n);
  const c = new Float64Array(kk),
    l = new Float64Array(kk),
    w = new Float64Array(kk),
    inv = new Float64Array(kk);
  const dropped = new Uint8Array(k),
    dg = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    if (!partial && t < window - 1) continue;
    let cnt = 0;
    const so = t * k,
      go = t * kk;
    for (let s = startOf(t, window); s <= t; s++) {
      if (!rowOk[s]) continue;
      cnt++;
      const r = s * k;
      for (let f = 0; f < k; f++) {
        const v = xs[r + f];
        sxW[so + f] += v;
        for (let h = 0; h <= f; h++) gW[go + f * k + h] += v * xs[r + h];
      }
    }
    for (let f = 0; f < k; f++) for (let h = 0; h < f; h++) gW[go + h * k + f] = gW[go + f * k + h];
    nW[t] = cnt;
    if (cnt === 0) {
      droppedW.fill(1, so, so + k);
      continue;
    }
    centre(gW, go, sxW, so, cnt, k, intercept, shift, c, dropped);
    rankW[t] = factor(c, k, dropped, l, dg);
    invertLower(k, dropped, l, w, inv, 0); // zeros for dropped columns: products need no branch
    cinvW.set(inv.subarray(0, kk), go);
    droppedW.set(dropped, so);
  }
  return { n, k, p, window, minObs, intercept, partial, reanchorEvery, rowOk, xs, shift, nW, sxW, gW, cinvW, droppedW, rankW };
}

/** Scratch buffers of one `rollingOlsRange` call. */
interface Scratch {
  sxy: Float64Array;
  mx: Float64Array;
  mg: Float64Array;
  gj: Float64Array;
  sxj: Float64Array;
  c: Float64Array;
  l: Float64Array;
  cxy: Float64Array;
  b: Float64Array;
  dropped: Uint8Array;
  dg: Float64Array;
}

/**
 * Fits series j0 .. j1 − 1 of the asset-major y (`y[j·n + t]`, n = design.n) into the sink.
 * Results for a series do not depend on which block or thread fits it (bit-identical).
 */
export function rollingOlsRange(design: RollingDesign, y: ArrayLike<number>, j0: number, j1: number, sink: RollingSink): void {
  const { n, k } = design;
  const kk = k * k;
  const sc: Scratch = {
    sxy: new Float64Array(k),
    mx: new Float64Array(k),
    mg: new Float64Array(kk),
    gj: new Float64Array(kk),
    sxj: new Float64Array(k),
    c: new Float64Array(kk),
    l: new Float64Array(kk),
    cxy: new Float64Array(k),
    b: new Float64Array(k),
    dropped: new Uint8Array(k),
    dg: new Float64Array(k),
  };
  for (let j = j0; j < j1; j++) fitSeries(design, y, j, j * n, sink, sc);
}

function fitSeries(design: RollingDesign, y: ArrayLike<number>, j: number, yo: number, sink: RollingSink, sc: Scratch): void {
  const { n, k, p, window, minObs, intercept, partial, reanchorEvery, rowOk, xs, shift, sxW, gW, cinvW, droppedW, rankW } = design;
  const kk = k * k;
  const { sxy, mx, mg, gj, sxj, c, l, cxy, b, dropped, dg } = sc;
  const off = intercept ? 1 : 0;
  const coefOut = sink.coef,
    r2Out = sink.r2,
    sdOut = sink.residualStd,
    nobsOut = sink.nobs,
    fold = sink.fold;

  // ν: the series' mean over its usable rows (0 without an intercept)
  let nu = 0;
  if (intercept) {
    let cnt = 0;
    for (let t = 0; t < n; t++) {
      const v = y[yo + t];
      if (rowOk[t] && isUsable(v)) {
        nu += v;
        cnt++;
      }
    }
    nu = cnt > 0 ? nu / cnt : 0;
  }

  let cnt = 0,
    sy = 0,
    syy = 0,
    mc = 0;
  sxy.fill(0);
  mx.fill(0);
  mg.fill(0);
  let sinceAnchor = 0;

  for (let t = 0; t < n; t++) {
    // ---- slide: add row t, drop row t − window; or re-anchor: every row of the window afresh ----
    const reanchor = sinceAnchor + 1 >= reanchorEvery;
    if (reanchor) {
      cnt = 0;
      sy = 0;
      syy = 0;
      mc = 0;
      sxy.fill(0);
      mx.fill(0);
      mg.fill(0);
      sinceAnchor = 0;
    } else sinceAnchor++;
    for (let s = reanchor ? startOf(t, window) : t; s <= t; s++) {
      if (!rowOk[s]) continue;
      const v = y[yo + s],
        r = s * k;
      if (isUsable(v)) {
        const d = v - nu;
        cnt++;
        sy += d;
        syy += d * d;
        for (let f = 0; f < k; f++) sxy[f] += xs[r + f] * d;
      } else {
        mc++;
        for (let f = 0; f < k; f++) {
          const a = xs[r + f];
          mx[f] += a;
          for (let h = 0; h <= f; h++) mg[f * k + h] += a * xs[r + h];
        }
      }
    }
    if (!reanchor) {
      const s = t - window;
      if (s >= 0 && rowOk[s]) {
        const v = y[yo + s],
          r = s * k;
        if (isUsable(v)) {
          const d = v - nu;
          cnt--;
          sy -= d;
          syy -= d * d;
          for (let f = 0; f < k; f++) sxy[f] -= xs[r + f] * d;
        } else {
          mc--;
          if (mc === 0) {
            mx.fill(0);
            mg.fill(0);
          } else {
            for (let f = 0; f < k; f++) {
              const a = xs[r + f];
              mx[f] -= a;
              for (let h = 0; h <= f; h++) mg[f * k + h] -= a * xs[r + h];
            }
          }
        }
      }
    }

    // ---- fit window ending at t ----
    if (nobsOut !== undefined) nobsOut[yo + t] = !partial && t < window - 1 ? NaN : cnt;
    let r2 = NaN,
      sd = NaN,
      allSlopes = false;
    const fitted = (partial || t >= window - 1) && cnt >= minObs && cnt > 0;
    let rank = 0,
      cInt = NaN;
    if (fitted) {
      const so = t * k,
        go = t * kk;
      let dr: Uint8Array, drOff: number, sxArr: Float64Array, sxOff: number;
      const ybar = sy / cnt;
      if (mc === 0) {
        dr = droppedW;
        drOff = so;
        sxArr = sxW;
        sxOff = so;
        rank = rankW[t];
        for (let f = 0; f < k; f++) cxy[f] = intercept ? sxy[f] - sxW[so + f] * ybar : sxy[f];
        for (let f = 0; f < k; f++) {
          let s = 0;
          const ro = go + f * k;
          for (let h = 0; h < k; h++) s += cinvW[ro + h] * cxy[h];
          b[f] = s;
        }
      } else {
        if (cnt >= mc) {
          for (let f = 0; f < k; f++) {
            sxj[f] = sxW[so + f] - mx[f];
            for (let h = 0; h <= f; h++) gj[f * k + h] = gW[go + f * k + h] - mg[f * k + h];
          }
        } else {
          sxj.fill(0);
          gj.fill(0);
          for (let s = startOf(t, window); s <= t; s++) {
            if (!rowOk[s] || !isUsable(y[yo + s])) continue;
            const r = s * k;
            for (let f = 0; f < k; f++) {
              const a = xs[r + f];
              sxj[f] += a;
              for (let h = 0; h <= f; h++) gj[f * k + h] += a * xs[r + h];
            }
          }
        }
        for (let f = 0; f < k; f++) for (let h = 0; h < f; h++) gj[h * k + f] = gj[f * k + h];
        centre(gj, 0, sxj, 0, cnt, k, intercept, shift, c, dropped);
        rank = factor(c, k, dropped, l, dg);
        for (let f = 0; f < k; f++) cxy[f] = intercept ? sxy[f] - sxj[f] * ybar : sxy[f];
        solve(k, dropped, l, dg, cxy, b);
        dr = dropped;
        drOff = 0;
        sxArr = sxj;
        sxOff = 0;
      }
      let explained = 0;
      allSlopes = true;
      for (let f = 0; f < k; f++) {
        explained += b[f] * cxy[f];
        if (dr[drOff + f]) {
          b[f] = NaN;
          allSlopes = false;
        }
      }
      const tss = intercept ? syy - sy * ybar : syy;
      let ssr = tss - explained;
      if (ssr < 0) ssr = 0;
      rank += off;
      const df = cnt - rank;
      sd = df > 0 ? Math.sqrt(ssr / df) : NaN;
      const rawSq = syy + 2 * nu * sy + cnt * nu * nu;
      r2 = tss > CONSTANT_Y_TOL * rawSq && tss > 0 ? 1 - ssr / tss : NaN;
      if (intercept) {
        cInt = nu + ybar;
        for (let f = 0; f < k; f++) if (!dr[drOff + f]) cInt -= (shift[f] + sxArr[sxOff + f] / cnt) * b[f];
      }
    }
    if (coefOut !== undefined) {
      const base = j * p;
      if (intercept) coefOut[base * n + t] = fitted ? cInt : NaN;
      for (let f = 0; f < k; f++) coefOut[(base + off + f) * n + t] = fitted ? b[f] : NaN;
    }
    if (r2Out !== undefined) r2Out[yo + t] = r2;
    if (sdOut !== undefined) sdOut[yo + t] = sd;
    if (fold !== undefined) {
      const wt = fold.weights[yo + t];
      if (wt - wt === 0 && wt !== 0) {
        const aw = Math.abs(wt);
        fold.absTotal[t] += aw;
        if (fitted && allSlopes) {
          fold.absCovered[t] += aw;
          fold.covered[t] += wt;
          fold.count[t] += 1;
          const eo = t * k;
          for (let f = 0; f < k; f++) fold.exposure[eo + f] += wt * b[f];
        }
      }
    }
  }
}

/**
 * Rolling OLS of every column of the asset-major y (m series × n dates, `y[j·n + t]`) on the
 * row-major n×k regressors x. All outputs asset-major (see module doc).
 */
export function rollingOls(data: RollingOlsData, options: RollingOlsOptions): RollingOlsResult;
/** @internal The positional form the library's kernels use: rollingOls(y, n, m, x, k, options). */
export function rollingOls(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options: RollingOlsOptions,
): RollingOlsResult;
export function rollingOls(
  first: RollingOlsData | ArrayLike<number>,
  second: RollingOlsOptions | number,
  mArg?: number,
  xArg?: ArrayLike<number>,
  kArg?: number,
  optionsArg?: RollingOlsOptions,
): RollingOlsResult {
  if (isBatchData(first)) {
    // `{ windw: 60 }` was a RangeError about an undefined window; `{ minObs }` misspelt ran the default
    checkOptionNames<RollingOlsOptions>('rollingOls options', second, ROLLING_OLS_OPTION_NAMES);
    return rollingOlsOf(first.y, first.n, first.m, first.x, first.k, second as RollingOlsOptions);
  }
  return rollingOlsOf(first, second as number, mArg as number, xArg as ArrayLike<number>, kArg as number, optionsArg as RollingOlsOptions);
}

/**
 * The data of {@link rollingOls}: like {@link BatchRegressionData} but `y` is ASSET-major (m series
 * × n dates, y[j·n + t]: each series contiguous, as the rolling windows read it).
 */
export interface RollingOlsData extends BatchRegressionData {
  /** Asset-major m × n responses. */
  y: ArrayLike<number>;
}

function rollingOlsOf(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options: RollingOlsOptions,
): RollingOlsResult {
  checkInteger('m', m, 0, Infinity, 'a whole number of series >= 0');
  if (y.length !== n * m)
    throw new InputError(`y has ${y.length} values, expected ${n} rows x ${m} series = ${n * m}`, {
      hint: 'y is date-major: n rows of m series',
    });
  const design = prepareRollingDesign(x, n, k, options);
  const p = design.p;
  const coef = new Float64Array(m * p * n);
  const r2 = new Float64Array(m * n);
  const residualStd = new Float64Array(m * n);
  const nobs = new Float64Array(m * n);
  rollingOlsRange(design, y, 0, m, { coef, r2, residualStd, nobs });
  return { nDates: n, nSeries: m, k, p, intercept: design.intercept, window: design.window, coef, r2, residualStd, nobs };
}

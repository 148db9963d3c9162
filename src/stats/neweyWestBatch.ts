/**
 * Newey-West (HAC, Bartlett kernel) standard errors for many OLS fits on shared regressors at
 * once: the batched counterpart of {@link neweyWestOls}, with the same definition.
 *
 * For series j with sample rows t_1 < .. < t_n (the rows where its residual is present, taken as
 * consecutive like statsmodels on NaN-dropped data), z_i = [1, x_{t_i}] (or x), g_i = z_i·u_i:
 *   S = Σ_i g_i g_iᵀ + Σ_{l=1}^{L} w_l Σ_i (g_i g_{i−l}ᵀ + g_{i−l} g_iᵀ),   w_l = 1 − l/(L + 1)
 *   V = (ZᵀZ)⁻¹ S (ZᵀZ)⁻¹ (× n/(n − rank) with `useCorrection`),  se = sqrt(diag V),
 *   t = coef/se, p = Student t with the fit's residual df.
 * Speed: with h_i = Σ_l w_l g_{i−l}, Σ_l w_l Σ_i g_i g_{i−l}ᵀ = Σ_i g_i h_iᵀ, so S = M + Mᵀ with
 * M = Σ_i g_i (g_i/2 + h_i)ᵀ: O(p² + L·p) per row instead of O(L·p²). Residuals are transposed a
 * block of series at a time; each series' scores g and h are built as contiguous columns over its
 * sample (one pass per lag), and every entry of M is a dot product of two columns, a register sum
 * in row order. (ZᵀZ)⁻¹ comes from the centred Gram matrix (as in ols.ts), also as column dot
 * products, and is reused while consecutive series share the same sample (the usual full panel).
 * Coefficients that are NaN (dropped regressors) are left out of Z and get NaN.
 */
import { tTwoSidedPValue } from './distributions.js';
import { cholesky, choleskyInverse } from './linalg.js';
import { defaultNeweyWestLags } from './neweyWest.js';

export interface NeweyWestBatchOptions {
  /** Fixed maximum lag (default floor(4·(n/100)^(2/9)) per series' n). */
  lags?: number;
  /** × n/(n − rank) (statsmodels `use_correction=True`). Default false. */
  useCorrection?: boolean;
}

export interface NeweyWestBatchResult {
  /** Lag used per series (0 when not fitted). */
  lags: Int32Array;
  /** Series-major m × p, coefficient order [const, x_0, ..]. NaN when not fitted or dropped. */
  se: Float64Array;
  t: Float64Array;
  pValue: Float64Array;
}

/**
 * @param residuals date-major n×m OLS residuals (NaN outside each series' sample)
 * @param x row-major n×k regressors
 * @param coef series-major m×p coefficients (NaN = dropped or not fitted)
 * @param dfResid residual df per series (0 = not fitted); `rank` per series, for the correction
 */
export function neweyWestBatch(
  residuals: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, intercept: boolean,
  coef: ArrayLike<number>, dfResid: ArrayLike<number>, rank: ArrayLike<number>, options: NeweyWestBatchOptions = {},
): NeweyWestBatchResult {
  const p = k + (intercept ? 1 : 0);
  const out: NeweyWestBatchResult = { lags: new Int32Array(m), se: new Float64Array(m * p), t: new Float64Array(m * p), pValue: new Float64Array(m * p) };
  neweyWestBatchRange(residuals, n, m, x, k, intercept, coef, dfResid, rank, options, 0, m, out);
  return out;
}

/**
 * The series [start, end) of {@link neweyWestBatch}, written into `out` (indexed by series like the
 * full result; other entries untouched). Series are independent: any split gives the same bits.
 */
export function neweyWestBatchRange(
  residuals: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, intercept: boolean,
  coef: ArrayLike<number>, dfResid: ArrayLike<number>, rank: ArrayLike<number>, options: NeweyWestBatchOptions,
  start: number, end: number, out: NeweyWestBatchResult,
): void {
  const p = k + (intercept ? 1 : 0);
  const { lags: lagsOut, se, t: tv, pValue: pv } = out;
  lagsOut.fill(0, start, end);
  se.fill(NaN, start * p, end * p); tv.fill(NaN, start * p, end * p); pv.fill(NaN, start * p, end * p);
  const B = 64;
  const block = new Float64Array(n * B); // asset-major block: block[b·n + t]
  const kept = new Uint8Array(p);
  const mean = new Float64Array(k);
  const c = new Float64Array(k * k);
  const mm = new Float64Array(p * p);
  const s = new Float64Array(p * p), hinv = new Float64Array(p * p), hs = new Float64Array(p * p);
  const rows = new Int32Array(n);
  const gc = new Float64Array(p * n), hc = new Float64Array(p * n), xc = new Float64Array(k * n); // columns over the sample
  // (ZᵀZ)⁻¹ of the last sample, reused while the sample (rows and kept columns) is the same
  const cacheRows = new Int32Array(n), cacheKept = new Uint8Array(p), cacheHinv = new Float64Array(p * p);
  let cacheN = -1;
  let w = new Float64Array(0);
  for (let j0 = start; j0 < end; j0 += B) {
    const nb = Math.min(B, end - j0);
    for (let t = 0; t < n; t++) {
      const ro = t * m + j0;
      for (let b = 0; b < nb; b++) block[b * n + t] = residuals[ro + b];
    }
    for (let b = 0; b < nb; b++) {
      const j = j0 + b;
      if (!(dfResid[j] > 0)) continue;
      const u = block.subarray(b * n, (b + 1) * n);
      for (let a = 0; a < p; a++) kept[a] = Number.isNaN(coef[j * p + a]) ? 0 : 1;
      // pass 1: the sample rows and the regressor means over them
      const nobs = sampleRows(u, n, x, k, rows, mean);
      for (let f = 0; f < k; f++) mean[f] /= nobs;
      if (!intercept) mean.fill(0);
      const lag = Math.max(0, Math.min(options.lags ?? defaultNeweyWestLags(nobs), nobs - 1));
      lagsOut[j] = lag;
      if (w.length < lag + 1) w = new Float64Array(lag + 1);
      for (let l = 1; l <= lag; l++) w[l] = 1 - l / (lag + 1);
      // M = Σ_i g_i (g_i/2 + h_i)ᵀ and S = M + Mᵀ, from the score columns
      scoreColumns(u, rows, nobs, n, x, k, intercept, kept, gc);
      lagColumns(gc, p, nobs, n, w, lag, hc);
      for (let a = 0; a < p; a++) dotRow(gc, hc, a, p, n, nobs, mm);
      for (let a = 0; a < p; a++) for (let q = 0; q < p; q++) s[a * p + q] = mm[a * p + q] + mm[q * p + a];
      if (sameSample(rows, nobs, kept, p, cacheRows, cacheN, cacheKept)) hinv.set(cacheHinv);
      else {
        // centred Gram of the sample (lower triangle), then (ZᵀZ)⁻¹
        centredColumns(rows, nobs, n, x, k, mean, xc);
        c.fill(0);
        for (let f = 0; f < k; f++) for (let q = 0; q <= f; q++) c[f * k + q] = dotColumns(xc, f * n, xc, q * n, nobs);
        designInverse(c, mean, k, nobs, intercept, kept, hinv);
        cacheRows.set(rows.subarray(0, nobs)); cacheKept.set(kept); cacheHinv.set(hinv); cacheN = nobs;
      }
      // V = H S H on kept coefficients
      for (let a = 0; a < p; a++) for (let q = 0; q < p; q++) {
        let v = 0;
        if (kept[a]) for (let r = 0; r < p; r++) if (kept[r]) v += hinv[a * p + r] * s[r * p + q];
        hs[a * p + q] = v;
      }
      const corr = options.useCorrection ? nobs / (nobs - rank[j]) : 1;
      for (let a = 0; a < p; a++) {
        if (!kept[a]) continue;
        let v = 0;
        for (let r = 0; r < p; r++) if (kept[r]) v += hs[a * p + r] * hinv[r * p + a];
        const sa = Math.sqrt(v * corr);
        const ta = coef[j * p + a] / sa;
        se[j * p + a] = sa;
        tv[j * p + a] = ta;
        pv[j * p + a] = tTwoSidedPValue(ta, dfResid[j]);
      }
    }
  }
}

/** The sample rows (u present) into `rows`, Σ x over them into `sum` (row order); returns their count. */
function sampleRows(u: Float64Array, n: number, x: ArrayLike<number>, k: number, rows: Int32Array, sum: Float64Array): number {
  sum.fill(0);
  let nobs = 0;
  for (let t = 0; t < n; t++) {
    if (u[t] !== u[t]) continue;
    rows[nobs++] = t;
    for (let f = 0; f < k; f++) sum[f] += x[t * k + f];
  }
  return nobs;
}

/** Score columns g[a·n + i] = z_(t_i),a · u_(t_i) over the sample (0 for dropped coefficients). */
function scoreColumns(u: Float64Array, rows: Int32Array, nobs: number, n: number, x: ArrayLike<number>, k: number, intercept: boolean, kept: Uint8Array, g: Float64Array): void {
  const off = intercept ? 1 : 0;
  if (intercept) for (let i = 0; i < nobs; i++) g[i] = u[rows[i]];
  for (let f = 0; f < k; f++) {
    const o = (off + f) * n;
    if (!kept[off + f]) { g.fill(0, o, o + nobs); continue; }
    for (let i = 0; i < nobs; i++) { const t = rows[i]; g[o + i] = x[t * k + f] * u[t]; }
  }
}

/**
 * h_i = g_i/2 + Σ_{l=1}^{min(lag, i)} w_l g_(i−l), per column, the lags added in increasing order.
 * Rows i >= lag take the first eight lags from locals (the default lag is 8 for n up to ~3,300).
 */
function lagColumns(g: Float64Array, p: number, nobs: number, n: number, w: Float64Array, lag: number, h: Float64Array): void {
  const w1 = lag >= 1 ? w[1] : 0, w2 = lag >= 2 ? w[2] : 0, w3 = lag >= 3 ? w[3] : 0, w4 = lag >= 4 ? w[4] : 0;
  const w5 = lag >= 5 ? w[5] : 0, w6 = lag >= 6 ? w[6] : 0, w7 = lag >= 7 ? w[7] : 0, w8 = lag >= 8 ? w[8] : 0;
  const head = lag < nobs ? lag : nobs;
  for (let a = 0; a < p; a++) {
    const o = a * n;
    for (let i = 0; i < head; i++) {
      const gi = o + i;
      let v = 0.5 * g[gi];
      for (let l = 1; l <= i; l++) v += w[l] * g[gi - l];
      h[gi] = v;
    }
    if (lag === 8) {
      for (let i = head; i < nobs; i++) {
        const gi = o + i;
        let v = 0.5 * g[gi];
        v += w1 * g[gi - 1]; v += w2 * g[gi - 2]; v += w3 * g[gi - 3]; v += w4 * g[gi - 4];
        v += w5 * g[gi - 5]; v += w6 * g[gi - 6]; v += w7 * g[gi - 7]; v += w8 * g[gi - 8];
        h[gi] = v;
      }
    } else if (lag === 0) {
      for (let i = head; i < nobs; i++) h[o + i] = 0.5 * g[o + i];
    } else if (lag < 8) {
      for (let i = head; i < nobs; i++) {
        const gi = o + i;
        let v = 0.5 * g[gi];
        v += w1 * g[gi - 1];
        if (lag >= 2) v += w2 * g[gi - 2];
        if (lag >= 3) v += w3 * g[gi - 3];
        if (lag >= 4) v += w4 * g[gi - 4];
        if (lag >= 5) v += w5 * g[gi - 5];
        if (lag >= 6) v += w6 * g[gi - 6];
        if (lag >= 7) v += w7 * g[gi - 7];
        h[gi] = v;
      }
    } else {
      for (let i = head; i < nobs; i++) {
        const gi = o + i;
        let v = 0.5 * g[gi];
        for (let l = 1; l <= lag; l++) v += w[l] * g[gi - l];
        h[gi] = v;
      }
    }
  }
}

/** m[a·p + q] = Σ_{i < len} g[a·n + i]·h[q·n + i] for every q (each sum in row order), four q at a time. */
function dotRow(g: Float64Array, h: Float64Array, a: number, p: number, n: number, len: number, m: Float64Array): void {
  const oa = a * n;
  let q = 0;
  for (; q + 4 <= p; q += 4) {
    const o0 = q * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let i = 0; i < len; i++) {
      const v = g[oa + i];
      s0 += v * h[o0 + i]; s1 += v * h[o1 + i]; s2 += v * h[o2 + i]; s3 += v * h[o3 + i];
    }
    m[a * p + q] = s0; m[a * p + q + 1] = s1; m[a * p + q + 2] = s2; m[a * p + q + 3] = s3;
  }
  for (; q < p; q++) m[a * p + q] = dotColumns(g, oa, h, q * n, len);
}

/** Σ_{i < len} a[oa + i]·b[ob + i], in order. */
function dotColumns(a: Float64Array, oa: number, b: Float64Array, ob: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[oa + i] * b[ob + i];
  return s;
}

/** Centred regressor columns xc[f·n + i] = x_(t_i),f − mean_f over the sample. */
function centredColumns(rows: Int32Array, nobs: number, n: number, x: ArrayLike<number>, k: number, mean: Float64Array, xc: Float64Array): void {
  for (let f = 0; f < k; f++) {
    const o = f * n, mf = mean[f];
    for (let i = 0; i < nobs; i++) xc[o + i] = x[rows[i] * k + f] - mf;
  }
}

/** Whether the sample (rows and kept coefficients) is the cached one. */
function sameSample(rows: Int32Array, nobs: number, kept: Uint8Array, p: number, cacheRows: Int32Array, cacheN: number, cacheKept: Uint8Array): boolean {
  if (nobs !== cacheN) return false;
  for (let a = 0; a < p; a++) if (kept[a] !== cacheKept[a]) return false;
  for (let i = 0; i < nobs; i++) if (rows[i] !== cacheRows[i]) return false;
  return true;
}

/**
 * (ZᵀZ)⁻¹ (p×p) from the centred Gram C of the kept regressors and their means:
 * [[1/n + x̄ᵀC⁻¹x̄, −x̄ᵀC⁻¹], [−C⁻¹x̄, C⁻¹]] with an intercept, C⁻¹ (uncentred) without.
 */
function designInverse(c: Float64Array, mean: Float64Array, k: number, n: number, intercept: boolean, kept: Uint8Array, out: Float64Array): void {
  const off = intercept ? 1 : 0, p = k + off;
  for (let f = 0; f < k; f++) for (let q = 0; q < f; q++) c[q * k + f] = c[f * k + q];
  const exclude: number[] = [];
  for (let f = 0; f < k; f++) if (!kept[off + f]) exclude.push(f);
  const ci = choleskyInverse(cholesky(c, k, { exclude, tol: 0 }));
  out.fill(0, 0, p * p);
  for (let f = 0; f < k; f++) for (let q = 0; q < k; q++) { const v = ci[f * k + q]; out[(f + off) * p + q + off] = v === v ? v : 0; }
  if (!intercept) return;
  let quad = 0;
  for (let f = 0; f < k; f++) {
    if (!kept[off + f]) continue;
    let sm = 0;
    for (let q = 0; q < k; q++) if (kept[off + q]) sm += ci[f * k + q] * mean[q];
    out[f + 1] = -sm;
    out[(f + 1) * p] = -sm;
    quad += mean[f] * sm;
  }
  out[0] = 1 / n + quad;
}

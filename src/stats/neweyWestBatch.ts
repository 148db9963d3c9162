/**
 * Newey-West (HAC, Bartlett kernel) standard errors for many OLS fits on shared regressors at
 * once: the batched counterpart of {@link neweyWestOls}, with the same definition.
 *
 * For series j with sample rows t_1 < .. < t_n (the rows where its residual is present, taken as
 * consecutive like statsmodels on NaN-dropped data), z_i = [1, x_{t_i}] (or x), g_i = z_i·u_i:
 *   S = Σ_i g_i g_iᵀ + Σ_{l=1}^{L} w_l Σ_i (g_i g_{i−l}ᵀ + g_{i−l} g_iᵀ),   w_l = 1 − l/(L + 1)
 *   V = (ZᵀZ)⁻¹ S (ZᵀZ)⁻¹ (× n/(n − rank) with `useCorrection`),  se = sqrt(diag V),
 *   t = coef/se, p = Student t with the fit's residual df.
 * Speed: with h_i = Σ_l w_l g_{i−l} (O(L·p) per row from a ring buffer of the last L rows),
 * Σ_l w_l Σ_i g_i g_{i−l}ᵀ = Σ_i g_i h_iᵀ, so S = M + Mᵀ with M = Σ_i g_i (g_i/2 + h_i)ᵀ: O(p² + L·p)
 * per row instead of O(L·p²). Residuals are transposed a block of series at a time so that each
 * series is read contiguously. (ZᵀZ)⁻¹ comes from the centred Gram matrix (as in ols.ts).
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
  const lagsOut = new Int32Array(m);
  const se = new Float64Array(m * p).fill(NaN), tv = new Float64Array(m * p).fill(NaN), pv = new Float64Array(m * p).fill(NaN);
  const B = 64;
  const block = new Float64Array(n * B); // asset-major block: block[b·n + t]
  const kept = new Uint8Array(p);
  const mean = new Float64Array(k);
  const c = new Float64Array(k * k);
  const mm = new Float64Array(p * p);
  const g = new Float64Array(p), h = new Float64Array(p), xr = new Float64Array(k);
  const s = new Float64Array(p * p), hinv = new Float64Array(p * p), hs = new Float64Array(p * p);
  let ring = new Float64Array(0);
  let w = new Float64Array(0);
  for (let j0 = 0; j0 < m; j0 += B) {
    const nb = Math.min(B, m - j0);
    for (let t = 0; t < n; t++) {
      const ro = t * m + j0;
      for (let b = 0; b < nb; b++) block[b * n + t] = residuals[ro + b];
    }
    for (let b = 0; b < nb; b++) {
      const j = j0 + b;
      if (!(dfResid[j] > 0)) continue;
      const u = block.subarray(b * n, (b + 1) * n);
      for (let a = 0; a < p; a++) kept[a] = Number.isNaN(coef[j * p + a]) ? 0 : 1;
      // pass 1: nobs and the regressor means over the sample
      let nobs = 0;
      mean.fill(0);
      for (let t = 0; t < n; t++) {
        if (u[t] !== u[t]) continue;
        nobs++;
        for (let f = 0; f < k; f++) mean[f] += x[t * k + f];
      }
      for (let f = 0; f < k; f++) mean[f] /= nobs;
      if (!intercept) mean.fill(0);
      const lag = Math.max(0, Math.min(options.lags ?? defaultNeweyWestLags(nobs), nobs - 1));
      lagsOut[j] = lag;
      if (ring.length < (lag + 1) * p) ring = new Float64Array((lag + 1) * p);
      if (w.length < lag + 1) w = new Float64Array(lag + 1);
      for (let l = 1; l <= lag; l++) w[l] = 1 - l / (lag + 1);
      // pass 2: centred Gram, g_i, h_i and M
      accumulateSeries(u, n, x, k, p, intercept, kept, mean, c, mm, ring, w, lag, g, h, xr);
      for (let a = 0; a < p; a++) for (let q = 0; q < p; q++) s[a * p + q] = mm[a * p + q] + mm[q * p + a];
      designInverse(c, mean, k, nobs, intercept, kept, hinv);
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
  return { lags: lagsOut, se, t: tv, pValue: pv };
}

/**
 * One series' pass over its sample: the centred Gram C (lower triangle), and M = Σ_i g_i (g_i/2 + h_i)ᵀ
 * with h_i = Σ_{l=1}^{lag} w_l g_{i−l} kept from a ring buffer of the last lag + 1 rows. A small
 * function of its own so the engine optimises the hot loop.
 */
function accumulateSeries(
  u: Float64Array, n: number, x: ArrayLike<number>, k: number, p: number, intercept: boolean, kept: Uint8Array, mean: Float64Array,
  c: Float64Array, mm: Float64Array, ring: Float64Array, w: Float64Array, lag: number, g: Float64Array, h: Float64Array, xr: Float64Array,
): void {
  const off = intercept ? 1 : 0;
  const slots = lag + 1;
  c.fill(0, 0, k * k);
  mm.fill(0, 0, p * p);
  ring.fill(0, 0, slots * p);
  let i = 0, pos = 0;
  for (let t = 0; t < n; t++) {
    const e = u[t];
    if (e !== e) continue;
    const xo = t * k;
    for (let f = 0; f < k; f++) {
      const v = x[xo + f];
      xr[f] = v - mean[f];
    }
    for (let f = 0; f < k; f++) {
      const d = xr[f], rf = f * k;
      for (let q = 0; q <= f; q++) c[rf + q] += d * xr[q];
    }
    if (intercept) g[0] = e;
    for (let f = 0; f < k; f++) g[off + f] = kept[off + f] ? x[xo + f] * e : 0;
    for (let a = 0; a < p; a++) h[a] = 0.5 * g[a];
    const lmax = lag < i ? lag : i;
    for (let l = 1; l <= lmax; l++) {
      let slot = pos - l;
      if (slot < 0) slot += slots;
      const r = slot * p, wl = w[l];
      for (let a = 0; a < p; a++) h[a] += wl * ring[r + a];
    }
    for (let a = 0; a < p; a++) {
      const ga = g[a], ra = a * p;
      for (let q = 0; q < p; q++) mm[ra + q] += ga * h[q];
    }
    const ro = pos * p;
    for (let a = 0; a < p; a++) ring[ro + a] = g[a];
    i++;
    pos = pos + 1 === slots ? 0 : pos + 1;
  }
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

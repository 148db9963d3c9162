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
 * M = Σ_i g_i (g_i/2 + h_i)ᵀ: O(p² + L·p) per row instead of O(L·p²). All series are done as one
 * batch, a block of 64 series at a time: the date-major residual panel is read row by row into the
 * block (a contiguous copy of each row's 64 values), series without a missing residual are used
 * from there, the others are compacted to their sample (rows taken as consecutive, as defined
 * above). M is then computed two series per instruction by the WebAssembly SIMD kernel nw_p
 * (olsWasm.ts; one f64x2 lane per series, all lags of a step at once, the last L score rows in
 * L1): adjacent complete series straight from the block, the others as compacted pairs. (ZᵀZ)⁻¹
 * comes from the centred Gram of the sample (as in ols.ts), computed (kernel gram_k, two series at
 * a time) only for a sample not seen just before: the usual full panel inverts one p×p matrix.
 * The JavaScript route (kernel: 'js', or p > 9, or no WebAssembly SIMD) builds each series' g and h
 * as contiguous columns and every entry of M as a dot product of two columns. Both routes perform
 * the same operations in the same order per series, so they give the same bits (tested), equal to
 * the per-series {@link neweyWestOls} to rounding. On 5,000 × 2,520 × 6 (bench/exposures.mjs):
 * ~5× faster than the previous per-series JavaScript on a complete panel, ~3× with 5% missing.
 * Coefficients that are NaN (dropped regressors) are left out of Z and get NaN.
 */
import { checkBoolean, checkInteger, checkLength, checkOptionNames } from '../core/checks.js';
import { tTwoSidedPValue } from './distributions.js';
import { cholesky, choleskyInverse } from './linalg.js';
import { defaultNeweyWestLags } from './neweyWest.js';
import type { BatchRegressionData } from './batchData.js';
import { neweyWestKernel, type NeweyWestLayout } from './olsWasm.js';

export interface NeweyWestBatchOptions {
  /** Fixed maximum lag (default floor(4·(n/100)^(2/9)) per series' n). */
  lags?: number;
  /** × n/(n − rank) (statsmodels `use_correction=True`). Default false. */
  useCorrection?: boolean;
  /**
   * Kernel of the score products: 'auto' (default) uses the WebAssembly SIMD kernel nw_p
   * (olsWasm.ts, two series per instruction) when the engine has it and p <= 9, else JavaScript
   * columns; 'js' forces JavaScript. Both do the same operations in the same order per series.
   */
  kernel?: 'auto' | 'js';
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
 * Newey-West (HAC) standard errors, t and p of every series of an OLS batch at once: for series j,
 * the Bartlett-kernel long-run covariance of x_t·e_t over its sample (lags floor(4·(n/100)^(2/9))
 * per series unless fixed), sandwiched by (XᵀX)⁻¹; Student-t p-values on the residual df.
 * Definitions: docs/definitions.md#newey-west.
 */
export function neweyWestBatch(data: NeweyWestBatchData, options?: NeweyWestBatchOptions): NeweyWestBatchResult;
/** @internal The positional form the library's kernels use: neweyWestBatch(residuals, n, m, x, k, intercept, coef, dfResid, rank, options). */
export function neweyWestBatch(
  residuals: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  coef: ArrayLike<number>,
  dfResid: ArrayLike<number>,
  rank: ArrayLike<number>,
  options?: NeweyWestBatchOptions,
): NeweyWestBatchResult;
export function neweyWestBatch(first: NeweyWestBatchData | ArrayLike<number>, ...rest: unknown[]): NeweyWestBatchResult {
  if (typeof first === 'object' && first !== null && !('length' in first)) {
    const d = first;
    return neweyWestBatchOf(
      d.residuals,
      d.n,
      d.m,
      d.x,
      d.k,
      d.intercept,
      d.coef,
      d.dfResid,
      d.rank,
      (rest[0] as NeweyWestBatchOptions | undefined) ?? {},
    );
  }
  const [n, m, x, k, intercept, coef, dfResid, rank, options] = rest as [
    number,
    number,
    ArrayLike<number>,
    number,
    boolean,
    ArrayLike<number>,
    ArrayLike<number>,
    ArrayLike<number>,
    NeweyWestBatchOptions | undefined,
  ];
  return neweyWestBatchOf(first, n, m, x, k, intercept, coef, dfResid, rank, options ?? {});
}

/**
 * The data of {@link neweyWestBatch}: an OLS batch's residuals, regressors and per-series results
 * (what {@link olsBatch} returns: `coef`, `dfResid`, `rank`).
 */
export interface NeweyWestBatchData extends Omit<BatchRegressionData, 'y'> {
  /** Date-major n × m OLS residuals (NaN outside each series' sample). */
  residuals: ArrayLike<number>;
  /** Whether the regressions had a constant (p = k + 1 coefficients, the constant first). */
  intercept: boolean;
  /** Series-major m × p coefficients (NaN = dropped or not fitted). */
  coef: ArrayLike<number>;
  /** Residual degrees of freedom per series (0 = not fitted). */
  dfResid: ArrayLike<number>;
  /** Rank of each series' design (for the small-sample correction). */
  rank: ArrayLike<number>;
}

function neweyWestBatchOf(
  residuals: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  coef: ArrayLike<number>,
  dfResid: ArrayLike<number>,
  rank: ArrayLike<number>,
  options: NeweyWestBatchOptions,
): NeweyWestBatchResult {
  // the shapes of the fit it reads (a shorter residual panel or coefficient array read undefined: NaN standard errors)
  checkInteger('n', n, 0, Infinity, 'a whole number of rows >= 0');
  checkInteger('m', m, 0, Infinity, 'a whole number of series >= 0');
  checkInteger('k', k, 0, Infinity, 'a whole number of regressors >= 0');
  checkBoolean('intercept', intercept);
  const p = k + (intercept ? 1 : 0);
  checkLength('residuals', residuals.length, n * m, `${n} rows x ${m} series`);
  checkLength('x', x.length, n * k, `${n} rows x ${k} regressors`);
  checkLength('coef', coef.length, m * p, `${m} series x ${p} coefficients`);
  checkLength('dfResid', dfResid.length, m, 'one per series');
  checkLength('rank', rank.length, m, 'one per series');
  checkOptionNames<NeweyWestBatchOptions>('neweyWestBatch options', options, { lags: true, useCorrection: true, kernel: true });
  if (options.lags !== undefined) checkInteger('lags', options.lags, 0, Infinity, 'a whole number of lags >= 0');
  const out: NeweyWestBatchResult = {
    lags: new Int32Array(m),
    se: new Float64Array(m * p),
    t: new Float64Array(m * p),
    pValue: new Float64Array(m * p),
  };
  neweyWestBatchRange(residuals, n, m, x, k, intercept, coef, dfResid, rank, options, 0, m, out);
  return out;
}

/**
 * The series [start, end) of {@link neweyWestBatch}, written into `out` (indexed by series like the
 * full result; other entries untouched). Series are independent: any split gives the same bits.
 */
export function neweyWestBatchRange(
  residuals: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  coef: ArrayLike<number>,
  dfResid: ArrayLike<number>,
  rank: ArrayLike<number>,
  options: NeweyWestBatchOptions,
  start: number,
  end: number,
  out: NeweyWestBatchResult,
): void {
  const p = k + (intercept ? 1 : 0);
  const { lags: lagsOut, se, t: tv, pValue: pv } = out;
  lagsOut.fill(0, start, end);
  se.fill(NaN, start * p, end * p);
  tv.fill(NaN, start * p, end * p);
  pv.fill(NaN, start * p, end * p);
  if (end <= start) return;
  const kern = options.kernel === 'js' ? null : neweyWestKernel(p);
  const B = 64;
  // the block's samples, compacted per series: rows cr[b·n + i] and residuals cu[b·n + i], i < cnt[b]
  const cr = new Int32Array(n * B),
    cu = new Float64Array(n * B),
    cnt = new Int32Array(B);
  // (WebAssembly path) series of the block without a missing residual: their sample is every row
  const full = new Uint8Array(B),
    nanB = new Int32Array(B),
    ident = Int32Array.from({ length: n }, (_, i) => i);
  const keptB = new Uint8Array(p * B),
    lagB = new Int32Array(B),
    hinvB = new Float64Array(p * p * B),
    mmB = new Float64Array(p * p * B);
  const mean = new Float64Array(k);
  const c = new Float64Array(k * k);
  const s = new Float64Array(p * p),
    hs = new Float64Array(p * p);
  const gc = kern === null ? new Float64Array(p * n) : new Float64Array(0),
    hc = kern === null ? new Float64Array(p * n) : new Float64Array(0);
  const xc = new Float64Array(k * n);
  // (ZᵀZ)⁻¹ of the last sample, reused while the sample (rows and kept columns) is the same
  const cacheRows = new Int32Array(n),
    cacheKept = new Uint8Array(p),
    cacheHinv = new Float64Array(p * p);
  let cacheN = -1;
  // the series of the block whose (ZᵀZ)⁻¹ is still to be computed (new samples), and for each series
  // the series whose inverse it copies (-1: itself or the cache)
  const need: number[] = [],
    alias = new Int32Array(B);
  let cacheOwner = -1; // a series of this block whose pending inverse the cache stands for
  const w = new Float64Array(n + 1);
  const lay = kern === null ? null : kern.layout(n, B);
  if (lay !== null) {
    // z = [1, x] (or x), row-major n×p
    const z = lay.f64,
      off = intercept ? 1 : 0;
    for (let t = 0; t < n; t++) {
      if (intercept) z[lay.z + t * p] = 1;
      for (let f = 0; f < k; f++) z[lay.z + t * p + off + f] = x[t * k + f];
    }
  }
  const fitted: number[] = [],
    rest: number[] = [];
  for (let j0 = start; j0 < end; j0 += B) {
    const nb = Math.min(B, end - j0);
    const sw = nb + (nb & 1);
    cnt.fill(0);
    full.fill(0);
    if (lay !== null && kern !== null) {
      // the residual panel read row by row into the kernel's block (row stride sw, padding lane 0);
      // series without a NaN are used from there, the others compacted from their column
      const f64 = lay.f64;
      for (let t = 0; t < n; t++) {
        const ro = t * m + j0,
          d = lay.block + t * sw;
        if (residuals instanceof Float64Array) f64.set(residuals.subarray(ro, ro + nb), d);
        else for (let b = 0; b < nb; b++) f64[d + b] = residuals[ro + b];
        if (sw > nb) f64[d + nb] = 0;
      }
      nanB.fill(0);
      const nMiss = kern.missing(lay, n, sw);
      for (let e = 0; e < nMiss; e++) nanB[lay.i32[2 * lay.miss + 2 * e + 1]]++;
      for (let b = 0; b < nb; b++) {
        if (nanB[b] === 0) {
          full[b] = 1;
          cnt[b] = n;
          continue;
        }
        let c = 0;
        for (let t = 0; t < n; t++) {
          const v = f64[lay.block + t * sw + b];
          if (v === v) {
            cr[b * n + c] = t;
            cu[b * n + c] = v;
            c++;
          }
        }
        cnt[b] = c;
      }
    } else {
      // the residual panel read row by row: each series' sample rows and residuals, in row order
      for (let t = 0; t < n; t++) {
        const ro = t * m + j0;
        for (let b = 0; b < nb; b++) {
          const v = residuals[ro + b];
          if (v !== v) continue;
          const i = b * n + cnt[b]++;
          cr[i] = t;
          cu[i] = v;
        }
      }
    }
    fitted.length = 0;
    need.length = 0;
    alias.fill(-1);
    for (let b = 0; b < nb; b++) {
      const j = j0 + b;
      if (!(dfResid[j] > 0) || cnt[b] === 0) continue;
      fitted.push(b);
      const rows = full[b] ? ident : cr.subarray(b * n, b * n + cnt[b]),
        nobs = cnt[b];
      const kept = keptB.subarray(b * p, (b + 1) * p);
      for (let a = 0; a < p; a++) kept[a] = Number.isNaN(coef[j * p + a]) ? 0 : 1;
      const lag = Math.max(0, Math.min(options.lags ?? defaultNeweyWestLags(nobs), nobs - 1));
      lagB[b] = lag;
      lagsOut[j] = lag;
      const hinv = hinvB.subarray(b * p * p, (b + 1) * p * p);
      if (sameSample(rows, nobs, kept, p, cacheRows, cacheN, cacheKept)) {
        if (cacheOwner < 0) hinv.set(cacheHinv);
        else alias[b] = cacheOwner;
      } else if (lay !== null) {
        need.push(b);
        cacheRows.set(rows);
        cacheKept.set(kept);
        cacheN = nobs;
        cacheOwner = b;
      } else {
        // regressor means and centred Gram of the sample (lower triangle), then (ZᵀZ)⁻¹
        sampleMeans(rows, nobs, x, k, mean);
        if (!intercept) mean.fill(0);
        centredColumns(rows, nobs, n, x, k, mean, xc);
        c.fill(0);
        for (let f = 0; f < k; f++) for (let q = 0; q <= f; q++) c[f * k + q] = dotColumns(xc, f * n, xc, q * n, nobs);
        designInverse(c, mean, k, nobs, intercept, kept, hinv);
        cacheRows.set(rows);
        cacheKept.set(kept);
        cacheHinv.set(hinv);
        cacheN = nobs;
      }
    }
    if (kern !== null && lay !== null) {
      // (ZᵀZ)⁻¹ of the new samples: means and centred Gram two series at a time
      for (let i = 0; i < need.length; i += 2) {
        const b0 = need[i],
          b1 = i + 1 < need.length ? need[i + 1] : b0;
        const steps = Math.max(cnt[b0], cnt[b1]);
        for (let lane = 0; lane < 2; lane++) {
          const b = lane === 0 ? b0 : b1;
          if (full[b]) loadLane(lay, lane, lay.f64, lay.block + b, sw, ident, 0, n, steps);
          else loadLane(lay, lane, cu, b * n, 1, cr, b * n, cnt[b], steps);
        }
        kern.gram(lay, k, intercept, steps, cnt[b0], cnt[b1]);
        for (let lane = 0; lane < 2; lane++) {
          const b = lane === 0 ? b0 : b1;
          for (let f = 0; f < k; f++) mean[f] = lay.f64[lay.out + 2 * f + lane];
          c.fill(0);
          for (let f = 0, e = 0; f < k; f++) for (let q = 0; q <= f; q++, e++) c[f * k + q] = lay.f64[lay.out + 2 * (k + e) + lane];
          designInverse(c, mean, k, cnt[b], intercept, keptB.subarray(b * p, (b + 1) * p), hinvB.subarray(b * p * p, (b + 1) * p * p));
        }
      }
      for (const b of fitted) if (alias[b] >= 0) hinvB.copyWithin(b * p * p, alias[b] * p * p, (alias[b] + 1) * p * p);
      if (cacheOwner >= 0) {
        cacheHinv.set(hinvB.subarray(cacheOwner * p * p, (cacheOwner + 1) * p * p));
        cacheOwner = -1;
      }
    }
    // M = Σ_i g_i (g_i/2 + h_i)ᵀ per series
    if (kern !== null && lay !== null) {
      // adjacent complete series (b, b + 1), b even, straight from the block; the rest compacted in pairs
      rest.length = 0;
      for (let i = 0; i < fitted.length;) {
        const b = fitted[i];
        if ((b & 1) === 0 && full[b] && i + 1 < fitted.length && fitted[i + 1] === b + 1 && full[b + 1]) {
          const lag = Math.max(lagB[b], lagB[b + 1]);
          laneParameters(lay, 0, lagB[b], lag, keptB, b * p, p);
          laneParameters(lay, 1, lagB[b + 1], lag, keptB, (b + 1) * p, p);
          kern.blockPair(lay, b, sw, n, lag);
          readProducts(lay, p, mmB, b, b + 1);
          i += 2;
        } else {
          rest.push(b);
          i++;
        }
      }
      for (let i = 0; i < rest.length; i += 2) {
        const b0 = rest[i],
          b1 = i + 1 < rest.length ? rest[i + 1] : b0;
        const steps = Math.max(cnt[b0], cnt[b1]),
          lag = Math.max(lagB[b0], lagB[b1]);
        for (let lane = 0; lane < 2; lane++) {
          const b = lane === 0 ? b0 : b1;
          if (full[b]) loadLane(lay, lane, lay.f64, lay.block + b, sw, ident, 0, n, steps);
          else loadLane(lay, lane, cu, b * n, 1, cr, b * n, cnt[b], steps);
          laneParameters(lay, lane, lagB[b], lag, keptB, b * p, p);
        }
        kern.pair(lay, steps, lag);
        readProducts(lay, p, mmB, b0, b1);
      }
    } else {
      for (const b of fitted) {
        const lag = lagB[b],
          nobs = cnt[b];
        for (let l = 1; l <= lag; l++) w[l] = 1 - l / (lag + 1);
        scoreColumns(
          cu.subarray(b * n, b * n + nobs),
          cr.subarray(b * n, b * n + nobs),
          nobs,
          n,
          x,
          k,
          intercept,
          keptB.subarray(b * p, (b + 1) * p),
          gc,
        );
        lagColumns(gc, p, nobs, n, w, lag, hc);
        const mm = mmB.subarray(b * p * p, (b + 1) * p * p);
        for (let a = 0; a < p; a++) dotRow(gc, hc, a, p, n, nobs, mm);
      }
    }
    // S = M + Mᵀ, V = H S H on kept coefficients
    for (const b of fitted) {
      const j = j0 + b,
        nobs = cnt[b];
      const kept = keptB.subarray(b * p, (b + 1) * p),
        hinv = hinvB.subarray(b * p * p, (b + 1) * p * p),
        mm = mmB.subarray(b * p * p, (b + 1) * p * p);
      for (let a = 0; a < p; a++) for (let q = 0; q < p; q++) s[a * p + q] = mm[a * p + q] + mm[q * p + a];
      for (let a = 0; a < p; a++)
        for (let q = 0; q < p; q++) {
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

/**
 * One lane of the kernel's compacted pair: u_i = src[off + i·stride] and rows_i = rows[rowsOff + i]
 * for i < nobs, then padded to `steps` with u = 0 on the lane's first sample row (g = 0 there).
 */
function loadLane(
  l: NeweyWestLayout,
  lane: number,
  src: Float64Array,
  off: number,
  stride: number,
  rows: Int32Array,
  rowsOff: number,
  nobs: number,
  steps: number,
): void {
  const { f64, i32 } = l;
  const u = l.u + lane,
    r = 2 * l.rows + lane;
  for (let i = 0; i < nobs; i++) {
    f64[u + 2 * i] = src[off + i * stride];
    i32[r + 2 * i] = rows[rowsOff + i];
  }
  const pad = rows[rowsOff];
  for (let i = nobs; i < steps; i++) {
    f64[u + 2 * i] = 0;
    i32[r + 2 * i] = pad;
  }
}

/**
 * One lane's weights w_l = 1 − l/(lag + 1) for l <= its own lag and 0 up to the pair's `maxLag`
 * (a zero weight adds 0·g = 0), and its kept mask (all-ones / zero bits per coefficient).
 */
function laneParameters(l: NeweyWestLayout, lane: number, lag: number, maxLag: number, keptB: Uint8Array, ko: number, p: number): void {
  const { f64, i32 } = l;
  for (let q = 1; q <= maxLag; q++) f64[l.w + 2 * q + lane] = q <= lag ? 1 - q / (lag + 1) : 0;
  for (let a = 0; a < p; a++) {
    const bits = keptB[ko + a] ? -1 : 0,
      o = 2 * (l.keep + 2 * a + lane);
    i32[o] = bits;
    i32[o + 1] = bits;
  }
}

/** M of lanes 0 and 1 (series b0, b1 of the block; b1 = b0 for a single series) into mmB. */
function readProducts(l: NeweyWestLayout, p: number, mmB: Float64Array, b0: number, b1: number): void {
  const f64 = l.f64,
    pp = p * p;
  for (let e = 0; e < pp; e++) mmB[b0 * pp + e] = f64[l.out + 2 * e];
  if (b1 !== b0) for (let e = 0; e < pp; e++) mmB[b1 * pp + e] = f64[l.out + 2 * e + 1];
}

/** mean[f] = (Σ x over the sample rows, in row order) / nobs. */
function sampleMeans(rows: Int32Array, nobs: number, x: ArrayLike<number>, k: number, mean: Float64Array): void {
  mean.fill(0);
  for (let i = 0; i < nobs; i++) {
    const t = rows[i];
    for (let f = 0; f < k; f++) mean[f] += x[t * k + f];
  }
  for (let f = 0; f < k; f++) mean[f] /= nobs;
}

/** Score columns g[a·n + i] = z_(t_i),a · u_i over the compacted sample (0 for dropped coefficients). */
function scoreColumns(
  u: Float64Array,
  rows: Int32Array,
  nobs: number,
  n: number,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  kept: Uint8Array,
  g: Float64Array,
): void {
  const off = intercept ? 1 : 0;
  if (intercept) for (let i = 0; i < nobs; i++) g[i] = u[i];
  for (let f = 0; f < k; f++) {
    const o = (off + f) * n;
    if (!kept[off + f]) {
      g.fill(0, o, o + nobs);
      continue;
    }
    for (let i = 0; i < nobs; i++) g[o + i] = x[rows[i] * k + f] * u[i];
  }
}

/**
 * h_i = g_i/2 + Σ_{l=1}^{min(lag, i)} w_l g_(i−l), per column, the lags added in increasing order.
 * Rows i >= lag take the first eight lags from locals (the default lag is 8 for n up to ~3,300).
 */
function lagColumns(g: Float64Array, p: number, nobs: number, n: number, w: Float64Array, lag: number, h: Float64Array): void {
  const w1 = lag >= 1 ? w[1] : 0,
    w2 = lag >= 2 ? w[2] : 0,
    w3 = lag >= 3 ? w[3] : 0,
    w4 = lag >= 4 ? w[4] : 0;
  const w5 = lag >= 5 ? w[5] : 0,
    w6 = lag >= 6 ? w[6] : 0,
    w7 = lag >= 7 ? w[7] : 0,
    w8 = lag >= 8 ? w[8] : 0;
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
        v += w1 * g[gi - 1];
        v += w2 * g[gi - 2];
        v += w3 * g[gi - 3];
        v += w4 * g[gi - 4];
        v += w5 * g[gi - 5];
        v += w6 * g[gi - 6];
        v += w7 * g[gi - 7];
        v += w8 * g[gi - 8];
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
    const o0 = q * n,
      o1 = o0 + n,
      o2 = o1 + n,
      o3 = o2 + n;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < len; i++) {
      const v = g[oa + i];
      s0 += v * h[o0 + i];
      s1 += v * h[o1 + i];
      s2 += v * h[o2 + i];
      s3 += v * h[o3 + i];
    }
    m[a * p + q] = s0;
    m[a * p + q + 1] = s1;
    m[a * p + q + 2] = s2;
    m[a * p + q + 3] = s3;
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
function centredColumns(
  rows: Int32Array,
  nobs: number,
  n: number,
  x: ArrayLike<number>,
  k: number,
  mean: Float64Array,
  xc: Float64Array,
): void {
  for (let f = 0; f < k; f++) {
    const o = f * n,
      mf = mean[f];
    for (let i = 0; i < nobs; i++) xc[o + i] = x[rows[i] * k + f] - mf;
  }
}

/** Whether the sample (rows and kept coefficients) is the cached one. */
function sameSample(
  rows: Int32Array,
  nobs: number,
  kept: Uint8Array,
  p: number,
  cacheRows: Int32Array,
  cacheN: number,
  cacheKept: Uint8Array,
): boolean {
  if (nobs !== cacheN) return false;
  for (let a = 0; a < p; a++) if (kept[a] !== cacheKept[a]) return false;
  if (nobs === cacheRows.length) return true; // both samples are every row
  for (let i = 0; i < nobs; i++) if (rows[i] !== cacheRows[i]) return false;
  return true;
}

/**
 * (ZᵀZ)⁻¹ (p×p) from the centred Gram C of the kept regressors and their means:
 * [[1/n + x̄ᵀC⁻¹x̄, −x̄ᵀC⁻¹], [−C⁻¹x̄, C⁻¹]] with an intercept, C⁻¹ (uncentred) without.
 */
function designInverse(
  c: Float64Array,
  mean: Float64Array,
  k: number,
  n: number,
  intercept: boolean,
  kept: Uint8Array,
  out: Float64Array,
): void {
  const off = intercept ? 1 : 0,
    p = k + off;
  for (let f = 0; f < k; f++) for (let q = 0; q < f; q++) c[q * k + f] = c[f * k + q];
  const exclude: number[] = [];
  for (let f = 0; f < k; f++) if (!kept[off + f]) exclude.push(f);
  const ci = choleskyInverse(cholesky(c, k, { exclude, tol: 0 }));
  out.fill(0, 0, p * p);
  for (let f = 0; f < k; f++)
    for (let q = 0; q < k; q++) {
      const v = ci[f * k + q];
      out[(f + off) * p + q + off] = v === v ? v : 0;
    }
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

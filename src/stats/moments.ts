/**
 * Batched sample moments for regressions of many series on shared regressors (the shared part of
 * {@link olsBatch} and {@link elasticNetBatch}).
 *
 * X is row-major n×k, Y date-major (row t holds every series; element y[offset + t·stride + j]).
 * A row is usable when every x is finite; series j's sample is the usable rows where y_j is
 * present. With s = the full-sample column means of X (0 without an intercept) and x̃ = x − s:
 *   G = Σ_usable x̃x̃ᵀ, Σx̃ (full sample);  per series Σy, Σy², count, Σ x̃·y (one pass over Y);
 * and the list of (row, series) pairs where y is missing, bucketed by series, so that
 *   G_j = G − Σ_(missing rows of j) x̃x̃ᵀ,   Σx̃_j = Σx̃ − Σ_(missing rows of j) x̃
 * costs O(missing·k²) instead of a rebuild. Shifting by the full-sample mean keeps Σx̃_j small, so
 * centring per series, C_j = G_j − Σx̃_j Σx̃_jᵀ / n_j, does not cancel.
 */

import { checkInteger } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { loadBlock, loadRegressors, olsKernel, type OlsKernel } from './olsWasm.js';

export interface Prepared {
  xs: Float64Array; // shifted X, rows not usable are zero
  rowOk: Uint8Array;
  nFull: number;
  shift: Float64Array; // full-sample means (zeros without intercept)
  gFull: Float64Array; // Σ xs·xsᵀ over usable rows, k×k
  sxFull: Float64Array; // Σ xs over usable rows
}

/** The indices of the usable rows, ascending (nFull of them). */
export function usableRows(prep: Pick<Prepared, 'rowOk' | 'nFull'>): Int32Array {
  const out = new Int32Array(prep.nFull);
  for (let t = 0, i = 0; t < prep.rowOk.length; t++) if (prep.rowOk[t]) out[i++] = t;
  return out;
}

/** Shifted regressors, usable rows and full-sample moments of X (see the module doc). */
export function prepare(x: ArrayLike<number>, n: number, k: number, intercept: boolean): Prepared {
  const rowOk = new Uint8Array(n);
  let nFull = 0;
  const shift = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    let ok = 1;
    for (let f = 0; f < k; f++) {
      const v = x[t * k + f];
      if (v !== v) {
        ok = 0;
        break;
      }
      // ±Infinity is not missing: dropping the row would fit without a value the caller gave
      if (v === Infinity || v === -Infinity)
        throw new InputError(`X has ${v} at row ${t}, column ${f}: a missing value is NaN, and an infinite one is an error in the data`, {
          hint: 'set the value to NaN (missing) or fix it',
        });
    }
    rowOk[t] = ok;
    if (ok) {
      nFull++;
      if (intercept) for (let f = 0; f < k; f++) shift[f] += x[t * k + f];
    }
  }
  if (intercept && nFull > 0) for (let f = 0; f < k; f++) shift[f] /= nFull;
  const xs = new Float64Array(n * k);
  const gFull = new Float64Array(k * k);
  const sxFull = new Float64Array(k);
  for (let t = 0; t < n; t++) {
    if (!rowOk[t]) continue;
    const r = t * k;
    for (let f = 0; f < k; f++) {
      const v = x[r + f] - shift[f];
      xs[r + f] = v;
      sxFull[f] += v;
    }
    for (let f = 0; f < k; f++) {
      const v = xs[r + f];
      for (let g = 0; g <= f; g++) gFull[f * k + g] += v * xs[r + g];
    }
  }
  for (let f = 0; f < k; f++) for (let g = 0; g < f; g++) gFull[g * k + f] = gFull[f * k + g];
  return { xs, rowOk, nFull, shift, gFull, sxFull };
}

export interface BatchMoments extends Prepared {
  n: number;
  m: number;
  k: number;
  intercept: boolean;
  yStride: number;
  yOffset: number;
  /** Σ y over each series' sample. */
  sy: Float64Array;
  /** Σ y² over each series' sample. */
  syy: Float64Array;
  /** Observations per series. */
  cnt: Int32Array;
  /** Σ x̃_f·y, factor-major: sxy[f·m + j]. */
  sxy: Float64Array;
  /** Rows missing for series j: missRows[missStart[j] .. missStart[j + 1]). */
  missStart: Int32Array;
  missRows: Int32Array;
}

export interface BatchMomentsOptions {
  intercept?: boolean;
  yStride?: number;
  yOffset?: number;
  /** 'auto' (default): the WebAssembly kernels when available (same bits); 'js' forces JavaScript. */
  kernel?: 'auto' | 'js';
}

/** Throws a RangeError unless y holds n rows of m columns at (stride, offset) and X is n×k. */
export function checkBatchShape(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  yStride: number,
  yOffset: number,
): void {
  // a fractional, negative or non-numeric size reads the wrong cells (or none) instead of failing
  checkInteger('n', n, 0, Infinity, 'a whole number of rows >= 0');
  checkInteger('m', m, 0, Infinity, 'a whole number of series >= 0');
  checkInteger('k', k, 0, Infinity, 'a whole number of regressors >= 0');
  // the arguments of ols / olsBatch as the caller gave them: InputErrors (they were RangeErrors)
  if (yStride < m || yOffset < 0 || (n > 0 && yOffset + (n - 1) * yStride + m > y.length)) {
    throw new InputError(`y has length ${y.length}, too short for ${n} rows x ${m} columns (stride ${yStride}, offset ${yOffset})`, {
      hint: 'y is date-major: n rows of m series',
    });
  }
  if (x.length !== n * k)
    throw new InputError(`X has length ${x.length}, expected ${n} rows x ${k} regressors = ${n * k}`, {
      hint: 'X is row-major: n rows of k regressors, one row per row of y',
    });
}

/** One pass over Y: see the module doc. */
export function batchMoments(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options: BatchMomentsOptions = {},
): BatchMoments {
  const intercept = options.intercept ?? true;
  const yStride = options.yStride ?? m;
  const yOffset = options.yOffset ?? 0;
  checkBatchShape(y, n, m, x, k, yStride, yOffset);
  const prep = prepare(x, n, k, intercept);
  const { xs, rowOk } = prep;
  const sy = new Float64Array(m);
  const syy = new Float64Array(m);
  const cnt = new Int32Array(m);
  const sxy = new Float64Array(k * m);
  const kern = (options.kernel ?? 'auto') === 'auto' && y instanceof Float64Array && m > 0 ? olsKernel(k) : null;
  let missT: Int32Array = new Int32Array(1024);
  let missJ: Int32Array = new Int32Array(1024);
  let nMiss = 0;
  if (kern !== null) {
    const r = wasmBatchMoments(kern, y as Float64Array, m, k, yStride, yOffset, prep, sy, syy, cnt, sxy);
    missT = r.missT;
    missJ = r.missJ;
    nMiss = r.nMiss;
  }
  const yrow = new Float64Array(kern === null ? m : 0);
  for (let t = 0; t < n && kern === null; t++) {
    if (!rowOk[t]) continue;
    const off = yOffset + t * yStride;
    const xr = t * k;
    if (scanRow(y, off, m, yrow, sy, syy, cnt) > 0) {
      for (let j = 0; j < m; j++) {
        const v = y[off + j];
        if (v !== v) {
          if (nMiss === missT.length) {
            missT = grow(missT);
            missJ = grow(missJ);
          }
          missT[nMiss] = t;
          missJ[nMiss] = j;
          nMiss++;
        }
      }
    }
    for (let f = 0; f < k; f += 4) accumulateGroup(sxy, xs, xr, f, Math.min(4, k - f), m, yrow);
  }
  const missStart = new Int32Array(m + 1);
  for (let i = 0; i < nMiss; i++) missStart[missJ[i] + 1]++;
  for (let j = 0; j < m; j++) missStart[j + 1] += missStart[j];
  const missRows = new Int32Array(nMiss);
  const fillAt = missStart.slice(0, m);
  for (let i = 0; i < nMiss; i++) missRows[fillAt[missJ[i]]++] = missT[i];
  return { ...prep, n, m, k, intercept, yStride, yOffset, sy, syy, cnt, sxy, missStart, missRows };
}

/** Series per block of the WebAssembly pass of {@link batchMoments}. */
const WASM_BLOCK = 512;

/**
 * The pass of {@link batchMoments} on the WebAssembly kernels (olsWasm.ts): blocks of 512 series,
 * their usable rows copied into the module's memory; the same sums, bit for bit, and the missing
 * (row, series) pairs in row order within each block (bucketed by series afterwards, so the
 * per-series lists are the same).
 */
function wasmBatchMoments(
  kern: OlsKernel,
  y: Float64Array,
  m: number,
  k: number,
  yStride: number,
  yOffset: number,
  prep: Prepared,
  sy: Float64Array,
  syy: Float64Array,
  cnt: Int32Array,
  sxy: Float64Array,
): { missT: Int32Array; missJ: Int32Array; nMiss: number } {
  const okRows = usableRows(prep);
  const nOk = okRows.length;
  const lay = kern.layout(nOk, WASM_BLOCK);
  const f64 = lay.f64,
    i32 = lay.i32;
  loadRegressors(lay, prep.xs, k, okRows);
  let missT: Int32Array = new Int32Array(1024),
    missJ: Int32Array = new Int32Array(1024),
    nMiss = 0;
  for (let s0 = 0; s0 < m; s0 += WASM_BLOCK) {
    const nb = Math.min(WASM_BLOCK, m - s0),
      sw = nb + (nb & 1);
    loadBlock(lay, y, okRows, yOffset, yStride, s0, nb, sw);
    f64.fill(0, lay.mom, lay.mom + (k + 3) * sw);
    kern.moments(lay, nOk, sw);
    let blockMissing = 0;
    for (let q = 0; q < nb; q++) {
      for (let f = 0; f < k; f++) sxy[f * m + s0 + q] = f64[lay.mom + f * sw + q];
      sy[s0 + q] = f64[lay.mom + k * sw + q];
      syy[s0 + q] = f64[lay.mom + (k + 1) * sw + q];
      const c = f64[lay.mom + (k + 2) * sw + q];
      cnt[s0 + q] = c;
      blockMissing += nOk - c;
    }
    if (blockMissing === 0) continue;
    const found = kern.missing(lay, nOk, sw),
      at = 2 * lay.miss;
    while (missT.length < nMiss + found) {
      missT = grow(missT);
      missJ = grow(missJ);
    }
    for (let z = 0; z < found; z++) {
      missT[nMiss] = okRows[i32[at + 2 * z]];
      missJ[nMiss] = s0 + i32[at + 2 * z + 1];
      nMiss++;
    }
  }
  return { missT, missJ, nMiss };
}

/**
 * Residuals e = (y − offset_j) − x̃·b_j of every series on the usable rows (NaN elsewhere and where
 * y is missing), on the WebAssembly kernel: b factor-major with stride m (b[f·m + j]); a series
 * with a NaN offset gets NaN residuals. The same operations as the scalar route
 * (startResidualRow + subtractGroup), so the same bits. Returns a new date-major n×m panel.
 */
export function wasmResidualPanel(
  kern: OlsKernel,
  y: Float64Array,
  n: number,
  m: number,
  k: number,
  yStride: number,
  yOffset: number,
  prep: Prepared,
  b: Float64Array,
  offset: Float64Array,
): Float64Array {
  const okRows = usableRows(prep);
  const nOk = okRows.length;
  const out = new Float64Array(n * m);
  for (let t = 0; t < n; t++) if (!prep.rowOk[t]) out.fill(NaN, t * m, (t + 1) * m);
  const lay = kern.layout(nOk, WASM_BLOCK);
  const f64 = lay.f64,
    par = lay.par;
  loadRegressors(lay, prep.xs, k, okRows);
  for (let s0 = 0; s0 < m; s0 += WASM_BLOCK) {
    const nb = Math.min(WASM_BLOCK, m - s0),
      sw = nb + (nb & 1);
    loadBlock(lay, y, okRows, yOffset, yStride, s0, nb, sw);
    for (let q = 0; q < nb; q++) {
      for (let f = 0; f < k; f++) f64[par + f * sw + q] = b[f * m + s0 + q];
      f64[par + k * sw + q] = offset[s0 + q];
      f64[par + (k + 1) * sw + q] = 0;
    }
    if (sw > nb) for (let r = 0; r < k + 2; r++) f64[par + r * sw + nb] = 0;
    f64.fill(0, lay.sums, lay.sums + 2 * sw);
    kern.resid(lay, nOk, sw);
    for (let i = 0; i < nOk; i++) {
      const d = lay.block + i * sw;
      out.set(f64.subarray(d, d + nb), okRows[i] * m + s0);
    }
  }
  return out;
}

/** Shifted raw moments of series j's sample: g = Σ x̃x̃ᵀ (k×k, symmetric), sx = Σ x̃. */
export function seriesShiftedMoments(bm: BatchMoments, j: number, g: Float64Array, sx: Float64Array): void {
  const { missStart, missRows } = bm;
  shiftedMomentsWithout(bm, bm.k, missRows.subarray(missStart[j], missStart[j + 1]), missStart[j + 1] - missStart[j], g, sx);
}

/**
 * Copies row y[off .. off + m) into `yrow` with NaN replaced by 0 and adds the present values to
 * Σy, Σy² and the counts; returns the number of missing values. A small function of its own so
 * the engine optimises this hot loop independently of its large caller.
 */
export function scanRow(
  y: ArrayLike<number>,
  off: number,
  m: number,
  yrow: Float64Array,
  sy: Float64Array,
  syy: Float64Array,
  cnt: Int32Array,
): number {
  let missing = 0;
  for (let j = 0; j < m; j++) {
    const v = y[off + j];
    if (v === v) {
      yrow[j] = v;
      sy[j] += v;
      syy[j] += v * v;
      cnt[j]++;
    } else {
      yrow[j] = 0;
      missing++;
    }
  }
  return missing;
}

/** r[j] = y[off + j] − offset[j] and dev[j] = y[off + j] − center[j] for j < m. */
export function startResidualRow(
  y: ArrayLike<number>,
  off: number,
  m: number,
  offset: Float64Array,
  center: Float64Array,
  r: Float64Array,
  dev: Float64Array,
): void {
  for (let j = 0; j < m; j++) {
    const v = y[off + j];
    r[j] = v - offset[j];
    dev[j] = v - center[j];
  }
}

/** ssr[j] += r[j]², tss[j] += dev[j]² where r[j] is not NaN. */
export function accumulateSquares(r: Float64Array, dev: Float64Array, m: number, ssr: Float64Array, tss: Float64Array): void {
  for (let j = 0; j < m; j++) {
    const e = r[j];
    if (e === e) {
      ssr[j] += e * e;
      const d = dev[j];
      tss[j] += d * d;
    }
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * dst[f·m + j] += xs[xr + f]·v[j] for the factors f0 .. f0+g−1 (g <= 4), one pass over j: loading
 * v[j] once for up to four factors is what makes the date-major hot loop fast.
 */
export function accumulateGroup(dst: Float64Array, xs: Float64Array, xr: number, f0: number, g: number, m: number, v: Float64Array): void {
  const o0 = f0 * m;
  const a0 = xs[xr + f0];
  if (g === 1) {
    for (let j = 0; j < m; j++) dst[o0 + j] += a0 * v[j];
    return;
  }
  const o1 = o0 + m,
    a1 = xs[xr + f0 + 1];
  if (g === 2) {
    for (let j = 0; j < m; j++) {
      const y = v[j];
      dst[o0 + j] += a0 * y;
      dst[o1 + j] += a1 * y;
    }
    return;
  }
  const o2 = o1 + m,
    a2 = xs[xr + f0 + 2];
  if (g === 3) {
    for (let j = 0; j < m; j++) {
      const y = v[j];
      dst[o0 + j] += a0 * y;
      dst[o1 + j] += a1 * y;
      dst[o2 + j] += a2 * y;
    }
    return;
  }
  const o3 = o2 + m,
    a3 = xs[xr + f0 + 3];
  for (let j = 0; j < m; j++) {
    const y = v[j];
    dst[o0 + j] += a0 * y;
    dst[o1 + j] += a1 * y;
    dst[o2 + j] += a2 * y;
    dst[o3 + j] += a3 * y;
  }
}

/** r[j] −= Σ_{f in group} xs[xr + f]·b[f·m + j] for up to four factors in one pass. */
export function subtractGroup(r: Float64Array, xs: Float64Array, xr: number, f0: number, g: number, m: number, b: Float64Array): void {
  const o0 = f0 * m;
  const a0 = xs[xr + f0];
  if (g === 1) {
    for (let j = 0; j < m; j++) r[j] -= a0 * b[o0 + j];
    return;
  }
  const o1 = o0 + m,
    a1 = xs[xr + f0 + 1];
  if (g === 2) {
    for (let j = 0; j < m; j++) r[j] -= a0 * b[o0 + j] + a1 * b[o1 + j];
    return;
  }
  const o2 = o1 + m,
    a2 = xs[xr + f0 + 2];
  if (g === 3) {
    for (let j = 0; j < m; j++) r[j] -= a0 * b[o0 + j] + a1 * b[o1 + j] + a2 * b[o2 + j];
    return;
  }
  const o3 = o2 + m,
    a3 = xs[xr + f0 + 3];
  for (let j = 0; j < m; j++) r[j] -= a0 * b[o0 + j] + a1 * b[o1 + j] + a2 * b[o2 + j] + a3 * b[o3 + j];
}

/**
 * Like {@link seriesShiftedMoments} from an explicit list of missing rows (ascending): the missing
 * rows' sums Σx̃ and Σx̃x̃ᵀ are accumulated first (in row order) and subtracted from the full-sample
 * ones once, g = G − Σ_miss x̃x̃ᵀ, sx = Σx̃ − Σ_miss x̃. For k = 6 the accumulators are locals.
 */
export function shiftedMomentsWithout(prep: Prepared, k: number, miss: Int32Array, nMiss: number, g: Float64Array, sx: Float64Array): void {
  const { xs, gFull, sxFull } = prep;
  if (k === 6) {
    missingSums6(xs, miss, nMiss, g, sx);
  } else {
    g.fill(0, 0, k * k);
    sx.fill(0, 0, k);
    for (let i = 0; i < nMiss; i++) {
      const xr = miss[i] * k;
      for (let f = 0; f < k; f++) {
        const a = xs[xr + f];
        sx[f] += a;
        for (let h = 0; h <= f; h++) g[f * k + h] += a * xs[xr + h];
      }
    }
  }
  for (let f = 0; f < k; f++) {
    sx[f] = sxFull[f] - sx[f];
    for (let h = 0; h <= f; h++) g[f * k + h] = gFull[f * k + h] - g[f * k + h];
  }
  for (let f = 0; f < k; f++) for (let h = 0; h < f; h++) g[h * k + f] = g[f * k + h];
}

/** The k = 6 sums of {@link shiftedMomentsWithout} (same operations, same order) in locals. */
function missingSums6(xs: Float64Array, miss: Int32Array, nMiss: number, g: Float64Array, sx: Float64Array): void {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0;
  let g00 = 0,
    g10 = 0,
    g11 = 0,
    g20 = 0,
    g21 = 0,
    g22 = 0,
    g30 = 0,
    g31 = 0,
    g32 = 0,
    g33 = 0;
  let g40 = 0,
    g41 = 0,
    g42 = 0,
    g43 = 0,
    g44 = 0,
    g50 = 0,
    g51 = 0,
    g52 = 0,
    g53 = 0,
    g54 = 0,
    g55 = 0;
  for (let i = 0; i < nMiss; i++) {
    const xr = miss[i] * 6;
    const a0 = xs[xr],
      a1 = xs[xr + 1],
      a2 = xs[xr + 2],
      a3 = xs[xr + 3],
      a4 = xs[xr + 4],
      a5 = xs[xr + 5];
    s0 += a0;
    g00 += a0 * a0;
    s1 += a1;
    g10 += a1 * a0;
    g11 += a1 * a1;
    s2 += a2;
    g20 += a2 * a0;
    g21 += a2 * a1;
    g22 += a2 * a2;
    s3 += a3;
    g30 += a3 * a0;
    g31 += a3 * a1;
    g32 += a3 * a2;
    g33 += a3 * a3;
    s4 += a4;
    g40 += a4 * a0;
    g41 += a4 * a1;
    g42 += a4 * a2;
    g43 += a4 * a3;
    g44 += a4 * a4;
    s5 += a5;
    g50 += a5 * a0;
    g51 += a5 * a1;
    g52 += a5 * a2;
    g53 += a5 * a3;
    g54 += a5 * a4;
    g55 += a5 * a5;
  }
  sx[0] = s0;
  sx[1] = s1;
  sx[2] = s2;
  sx[3] = s3;
  sx[4] = s4;
  sx[5] = s5;
  g[0] = g00;
  g[6] = g10;
  g[7] = g11;
  g[12] = g20;
  g[13] = g21;
  g[14] = g22;
  g[18] = g30;
  g[19] = g31;
  g[20] = g32;
  g[21] = g33;
  g[24] = g40;
  g[25] = g41;
  g[26] = g42;
  g[27] = g43;
  g[28] = g44;
  g[30] = g50;
  g[31] = g51;
  g[32] = g52;
  g[33] = g53;
  g[34] = g54;
  g[35] = g55;
}

/**
 * The k = 6 case of a date-major moments row, fused: the work of {@link scanRow} and two
 * {@link accumulateGroup} calls (factors 0–3, 4–5) in one pass over the row, with the same
 * operations on every accumulator (a missing y adds a·0), so the sums are bit-identical. dst is
 * factor-major with stride m. Returns the number of missing values.
 */
export function momentsRow6(
  y: ArrayLike<number>,
  off: number,
  m: number,
  xs: Float64Array,
  xr: number,
  sy: Float64Array,
  syy: Float64Array,
  cnt: Int32Array,
  dst: Float64Array,
): number {
  const a0 = xs[xr],
    a1 = xs[xr + 1],
    a2 = xs[xr + 2],
    a3 = xs[xr + 3],
    a4 = xs[xr + 4],
    a5 = xs[xr + 5];
  const o1 = m,
    o2 = 2 * m,
    o3 = 3 * m,
    o4 = 4 * m,
    o5 = 5 * m;
  let missing = 0;
  for (let j = 0; j < m; j++) {
    let v = y[off + j];
    if (v === v) {
      sy[j] += v;
      syy[j] += v * v;
      cnt[j]++;
    } else {
      v = 0;
      missing++;
    }
    dst[j] += a0 * v;
    dst[o1 + j] += a1 * v;
    dst[o2 + j] += a2 * v;
    dst[o3 + j] += a3 * v;
    dst[o4 + j] += a4 * v;
    dst[o5 + j] += a5 * v;
  }
  return missing;
}

/**
 * The k = 6 case of a residual row, fused: {@link startResidualRow}, two {@link subtractGroup}
 * calls and {@link accumulateSquares} with the same expressions, writing the residuals to
 * out[ro .. ro + m). b is factor-major with stride m.
 */
export function residualRow6(
  y: ArrayLike<number>,
  off: number,
  m: number,
  xs: Float64Array,
  xr: number,
  offset: Float64Array,
  center: Float64Array,
  b: Float64Array,
  ssr: Float64Array,
  tss: Float64Array,
  out: Float64Array,
  ro: number,
): void {
  const a0 = xs[xr],
    a1 = xs[xr + 1],
    a2 = xs[xr + 2],
    a3 = xs[xr + 3],
    a4 = xs[xr + 4],
    a5 = xs[xr + 5];
  const o1 = m,
    o2 = 2 * m,
    o3 = 3 * m,
    o4 = 4 * m,
    o5 = 5 * m;
  for (let j = 0; j < m; j++) {
    const v = y[off + j];
    let e = v - offset[j];
    const d = v - center[j];
    e -= a0 * b[j] + a1 * b[o1 + j] + a2 * b[o2 + j] + a3 * b[o3 + j];
    e -= a4 * b[o4 + j] + a5 * b[o5 + j];
    if (e === e) {
      ssr[j] += e * e;
      tss[j] += d * d;
    }
    out[ro + j] = e;
  }
}

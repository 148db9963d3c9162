/**
 * {@link olsBatch} with the series split over threads: the series [0, m) are cut into `threads`
 * contiguous ranges; the calling thread fits the first range while pool workers fit the others,
 * each with {@link olsBatchRange} writing straight into shared output arrays and a shared residual
 * panel. Series are independent, so the result is bit-identical to `olsBatch` for any number of
 * threads (tested), and the issues are concatenated in range order (= series order).
 *
 * Shared memory: y is used in place when it already lives on a SharedArrayBuffer (e.g. read into
 * one); otherwise each worker's columns are copied into a compact shared block (the calling thread
 * reads its own range straight from y), a copy of (threads − 1)/threads of the panel, in the
 * measured time. Outputs and residuals are written to shared memory directly.
 * When it pays: below {@link MIN_PARALLEL_CELLS} cells, or with one thread, the plain in-process
 * `olsBatch` runs (the bench measures 1 vs 2 threads on 5,000 × 2,520).
 */
import type { FactorExposures } from '../exposures/factorExposures.js';
import type { AssetReturns, ExposureFit, FitOptions } from '../exposures/fit.js';
import type { OlsBatchArrays, OlsBatchResult, OlsIssue, OlsOptions } from '../stats/ols.js';
import { checkBatchShape } from '../stats/moments.js';
import type { NeweyWestBatchOptions, NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import { neweyWestBatch, neweyWestBatchRange } from '../stats/neweyWestBatch.js';
import { olsBatch, olsBatchArrays, olsBatchRange } from '../stats/ols.js';
import type { ParallelOptions } from './pool.js';
import { WorkerPool, defaultThreads } from './pool.js';
import type { NeweyWestRangeTask, OlsRangeTask } from './tasks.js';

/** Fewer cells (n·m) than this run on one thread: posting and shared copies would not pay. */
export const MIN_PARALLEL_CELLS = 1_000_000;

const isShared = (a: ArrayLike<number>): boolean => a instanceof Float64Array && a.buffer instanceof SharedArrayBuffer;

export interface OlsParallelOptions extends ParallelOptions {
  /** Below this many cells n·m run on one thread (default {@link MIN_PARALLEL_CELLS}). */
  minParallelCells?: number;
}

/** Contiguous ranges [b_i, b_{i+1}) of m series for `parts` threads. */
export function seriesRanges(m: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < parts; i++) {
    const a = Math.floor((i * m) / parts), b = Math.floor(((i + 1) * m) / parts);
    if (b > a) out.push([a, b]);
  }
  return out;
}

/** {@link olsBatch} over `threads` threads (see the module doc); same result, bit for bit. */
export async function olsBatchParallel(
  y: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, options: OlsOptions & OlsParallelOptions = {},
): Promise<OlsBatchResult> {
  const threads = options.threads ?? options.pool?.threads ?? defaultThreads();
  const { pool: _pool, threads: _threads, minParallelCells, ...ols } = options;
  if (threads <= 1 || n * m < (minParallelCells ?? MIN_PARALLEL_CELLS) || m < 2) return olsBatch(y, n, m, x, k, ols);
  checkBatchShape(y, n, m, x, k, ols.yStride ?? m, ols.yOffset ?? 0);
  const intercept = ols.intercept ?? true;
  const p = k + (intercept ? 1 : 0);
  const wantResid = ols.residuals ?? true;
  const yStride = ols.yStride ?? m, yOffset = ols.yOffset ?? 0;
  const shared = isShared(y);
  const rOut = ols.residualsOut;
  const sharedOut = rOut !== undefined && isShared(rOut);
  if (rOut !== undefined && wantResid && rOut.length < y.length) throw new RangeError('olsBatch: residualsOut is shorter than y');
  // residuals: the caller's shared buffer (laid out like y), else a shared n×m panel
  const residuals = !wantResid ? null : sharedOut ? rOut! : new Float64Array(new SharedArrayBuffer(n * m * 8));
  const rStride = sharedOut ? yStride : m, rOffset = sharedOut ? yOffset : 0;
  const out: OlsBatchArrays = olsBatchArrays(m, p, (bytes) => new SharedArrayBuffer(bytes));
  const xs = Float64Array.from(x);
  const baseOptions: OlsOptions = { intercept, minObs: ols.minObs, tol: ols.tol };
  const ranges = seriesRanges(m, threads);
  const tasks = ranges.slice(1).map(([j0, j1]): OlsRangeTask => {
    if (shared) return { kind: 'olsRange', y: y as Float64Array, n, m, x: xs, k, options: { ...baseOptions, yStride, yOffset }, j0, j1, out, residuals, rStride, rOffset };
    // a worker cannot read unshared memory: copy its columns only, compactly, and give it views of
    // the outputs starting at its first series
    const w = j1 - j0;
    const block = new Float64Array(new SharedArrayBuffer(n * w * 8));
    for (let t = 0; t < n; t++) {
      const o = yOffset + t * yStride + j0;
      if (y instanceof Float64Array) block.set(y.subarray(o, o + w), t * w);
      else for (let q = 0; q < w; q++) block[t * w + q] = y[o + q];
    }
    const view = (a: Float64Array, per: number): Float64Array => a.subarray(j0 * per, j1 * per);
    const iview = (a: Int32Array): Int32Array => a.subarray(j0, j1);
    const o: OlsBatchArrays = {
      coef: view(out.coef, p), se: view(out.se, p), t: view(out.t, p), pValue: view(out.pValue, p), r2: view(out.r2, 1), adjR2: view(out.adjR2, 1),
      residualStd: view(out.residualStd, 1), ssr: view(out.ssr, 1), nobs: iview(out.nobs), dfResid: iview(out.dfResid), rank: iview(out.rank),
    };
    return { kind: 'olsRange', y: block, n, m: w, x: xs, k, options: { ...baseOptions, yStride: w, yOffset: 0 }, j0: 0, j1: w, out: o, residuals, rStride, rOffset: rOffset + j0 };
  });
  const pool = options.pool ?? new WorkerPool(threads - 1);
  let issues: OlsIssue[][];
  try {
    // the calling thread fits the first range straight from y
    const { local: first, results: done } = await pool.runAlongside(tasks,
      () => olsBatchRange(y, n, m, xs, k, { ...baseOptions, yStride, yOffset }, ranges[0][0], ranges[0][1], out, residuals, rStride, rOffset));
    issues = [first, ...done.map((r, i) => (shared ? r.issues : r.issues.map((is) => ({ ...is, series: is.series + ranges[i + 1][0] }))))];
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
  let res = residuals;
  if (wantResid && rOut !== undefined && !sharedOut) {
    // the caller's (unshared) buffer, laid out like y
    for (let t = 0; t < n; t++) rOut.set(residuals!.subarray(t * m, (t + 1) * m), yOffset + t * yStride);
    res = rOut;
  }
  return { nRows: n, nSeries: m, k, p, intercept, ...out, residuals: res, issues: issues.flat() };
}

/**
 * {@link neweyWestBatch} over `threads` threads: the series ranges as in {@link olsBatchParallel},
 * the calling thread taking the first; residuals are read in place when shared (as the residuals of
 * olsBatchParallel are), else copied once. Bit-identical to neweyWestBatch.
 */
export async function neweyWestBatchParallel(
  residuals: ArrayLike<number>, n: number, m: number, x: ArrayLike<number>, k: number, intercept: boolean,
  coef: ArrayLike<number>, dfResid: ArrayLike<number>, rank: ArrayLike<number>, options: NeweyWestBatchOptions & OlsParallelOptions = {},
): Promise<NeweyWestBatchResult> {
  const threads = options.threads ?? options.pool?.threads ?? defaultThreads();
  const { pool: _pool, threads: _threads, minParallelCells, ...nw } = options;
  if (threads <= 1 || n * m < (minParallelCells ?? MIN_PARALLEL_CELLS) || m < 2) return neweyWestBatch(residuals, n, m, x, k, intercept, coef, dfResid, rank, nw);
  const p = k + (intercept ? 1 : 0);
  const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
  const shareF = (a: ArrayLike<number>): Float64Array => { if (isShared(a)) return a as Float64Array; const c = new Float64Array(sab(a.length * 8)); c.set(a); return c; };
  const res = shareF(residuals);
  const out: NeweyWestBatchResult = { lags: new Int32Array(sab(m * 4)), se: new Float64Array(sab(m * p * 8)), t: new Float64Array(sab(m * p * 8)), pValue: new Float64Array(sab(m * p * 8)) };
  const xs = Float64Array.from(x), cf = Float64Array.from(coef), df = Int32Array.from(dfResid), rk = Int32Array.from(rank);
  const ranges = seriesRanges(m, threads);
  const pool = options.pool ?? new WorkerPool(threads - 1);
  try {
    await pool.runAlongside(ranges.slice(1).map(([j0, j1]): NeweyWestRangeTask => ({
      kind: 'neweyWestRange', residuals: res, n, m, x: xs, k, intercept, coef: cf, dfResid: df, rank: rk, options: nw, j0, j1, out,
    })), () => neweyWestBatchRange(res, n, m, xs, k, intercept, cf, df, rk, nw, ranges[0][0], ranges[0][1], out));
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
  return out;
}

/**
 * `fe.fit(returns, options)` with every OLS step and Newey-West batch run over threads
 * ({@link olsBatchParallel}, {@link neweyWestBatchParallel}); the same ExposureFit, bit for bit.
 * Penalised steps run in the calling thread.
 */
export function fitExposuresParallel(
  fe: FactorExposures, returns: AssetReturns, options: FitOptions = {}, parallel: OlsParallelOptions = {},
): Promise<ExposureFit> {
  return fe.fitAsync(returns, options, {
    ols: (q) => olsBatchParallel(q.y, q.n, q.m, q.x, q.k, { ...q.options, ...parallel }),
    neweyWest: (q) => neweyWestBatchParallel(q.residuals, q.n, q.m, q.x, q.k, q.intercept, q.coef, q.dfResid, q.rank, { ...q.options, ...parallel }),
  });
}

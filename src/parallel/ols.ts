/**
 * {@link olsBatch} with the series split over threads: the series [0, m) are cut into `threads`
 * contiguous ranges; the calling thread fits the first range while pool workers fit the others,
 * each with {@link olsBatchRange} writing straight into shared output arrays and a shared residual
 * panel. Series are independent, so the result is bit-identical to `olsBatch` for any number of
 * threads (tested), and the issues are concatenated in range order (= series order).
 *
 * Shared memory: y is used in place when it already lives on a SharedArrayBuffer (e.g. read into
 * one); otherwise it is copied into one first (one memcpy of the panel, in the measured time).
 * When it pays: below {@link MIN_PARALLEL_CELLS} cells, or with one thread, the plain in-process
 * `olsBatch` runs (the bench measures 1 vs 2 threads on 5,000 × 2,520).
 */
import type { FactorExposures } from '../exposures/factorExposures.js';
import type { AssetReturns, ExposureFit, FitOptions } from '../exposures/fit.js';
import type { OlsBatchArrays, OlsBatchResult, OlsIssue, OlsOptions } from '../stats/ols.js';
import { checkBatchShape } from '../stats/moments.js';
import { olsBatch, olsBatchArrays, olsBatchRange } from '../stats/ols.js';
import type { ParallelOptions } from './pool.js';
import { WorkerPool, defaultThreads } from './pool.js';
import type { OlsRangeTask } from './tasks.js';

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
  const threads = options.pool?.threads ?? options.threads ?? defaultThreads();
  const { pool: _pool, threads: _threads, minParallelCells, ...ols } = options;
  if (threads <= 1 || n * m < (minParallelCells ?? MIN_PARALLEL_CELLS) || m < 2) return olsBatch(y, n, m, x, k, ols);
  checkBatchShape(y, n, m, x, k, ols.yStride ?? m, ols.yOffset ?? 0);
  const intercept = ols.intercept ?? true;
  const p = k + (intercept ? 1 : 0);
  const wantResid = ols.residuals ?? true;
  let ys: Float64Array, yStride = ols.yStride ?? m, yOffset = ols.yOffset ?? 0;
  if (isShared(y)) ys = y as Float64Array;
  else {
    // copy the fitted columns only, compactly
    ys = new Float64Array(new SharedArrayBuffer(n * m * 8));
    for (let t = 0; t < n; t++) {
      const o = yOffset + t * yStride;
      if (y instanceof Float64Array) ys.set(y.subarray(o, o + m), t * m);
      else for (let j = 0; j < m; j++) ys[t * m + j] = y[o + j];
    }
    yStride = m; yOffset = 0;
  }
  const rOut = ols.residualsOut;
  const sharedOut = rOut !== undefined && isShared(rOut);
  // residuals laid out like the (possibly copied) y: own panel n×m, or the caller's buffer
  const residuals = !wantResid ? null : sharedOut ? rOut! : new Float64Array(new SharedArrayBuffer(n * m * 8));
  const rStride = sharedOut ? (ols.yStride ?? m) : m, rOffset = sharedOut ? (ols.yOffset ?? 0) : 0;
  if (sharedOut && rOut!.length < y.length) throw new RangeError('olsBatch: residualsOut is shorter than y');
  const out: OlsBatchArrays = olsBatchArrays(m, p, (bytes) => new SharedArrayBuffer(bytes));
  const xs = Float64Array.from(x);
  const rangeOptions: OlsOptions = { intercept, minObs: ols.minObs, tol: ols.tol, yStride, yOffset };
  const ranges = seriesRanges(m, threads);
  const pool = options.pool ?? new WorkerPool(threads - 1);
  let issues: OlsIssue[][];
  try {
    const pending = pool.run(ranges.slice(1).map(([j0, j1]): OlsRangeTask => ({
      kind: 'olsRange', y: ys, n, m, x: xs, k, options: rangeOptions, j0, j1, out, residuals, rStride, rOffset,
    })));
    const first = olsBatchRange(ys, n, m, xs, k, rangeOptions, ranges[0][0], ranges[0][1], out, residuals, rStride, rOffset);
    issues = [first, ...(await pending).map((r) => r.issues)];
  } finally {
    if (options.pool === undefined) await pool.destroy();
  }
  let res = residuals;
  if (wantResid && rOut !== undefined && !sharedOut) {
    // the caller's (unshared) buffer, laid out like y
    const s = ols.yStride ?? m, o = ols.yOffset ?? 0;
    if (rOut.length < y.length) throw new RangeError('olsBatch: residualsOut is shorter than y');
    for (let t = 0; t < n; t++) rOut.set(residuals!.subarray(t * m, (t + 1) * m), o + t * s);
    res = rOut;
  }
  return { nRows: n, nSeries: m, k, p, intercept, ...out, residuals: res, issues: issues.flat() };
}

/**
 * `fe.fit(returns, options)` with every OLS step fitted over threads ({@link olsBatchParallel});
 * the same ExposureFit, bit for bit. Penalised steps and Newey-West run in the calling thread.
 */
export function fitExposuresParallel(
  fe: FactorExposures, returns: AssetReturns, options: FitOptions = {}, parallel: OlsParallelOptions = {},
): Promise<ExposureFit> {
  return fe.fitAsync(returns, options, (q) => olsBatchParallel(q.y, q.n, q.m, q.x, q.k, { ...q.options, ...parallel }));
}

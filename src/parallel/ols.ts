/**
 * {@link olsBatch} and {@link neweyWestBatch} with the series spread over threads by the one
 * scheduler (chunks.ts `runChunked`: chunks of series claimed from a shared counter by the calling
 * thread and the pool's workers), each chunk fitted by {@link olsBatchRange} /
 * {@link neweyWestBatchRange} straight into shared output arrays and a shared residual panel. Series
 * are independent, so the result is bit-identical to the single-thread functions for any number of
 * threads (tested), and the issues are put in series order.
 *
 * Shared memory: y (and the residuals of Newey-West) are used in place when they already live on a
 * SharedArrayBuffer (e.g. read into one, or the residuals of olsBatchParallel); otherwise copied
 * there once, laid out as given. Outputs and residuals are written to shared memory directly.
 * When it pays: below {@link MIN_PARALLEL_CELLS} cells, or with one thread, the plain in-process
 * functions run (the bench measures 1 vs 2 threads on 5,000 × 2,520).
 */
import type { FactorExposures } from '../exposures/factorExposures.js';
import type { AssetReturns, ExposureFit, FitOptions } from '../exposures/fit.js';
import type { OlsBatchArrays, OlsBatchResult, OlsIssue, OlsOptions } from '../stats/ols.js';
import { checkBatchShape } from '../stats/moments.js';
import { isBatchData, type BatchRegressionData } from '../stats/batchData.js';
import type { NeweyWestBatchData, NeweyWestBatchOptions, NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import { neweyWestBatch, neweyWestBatchRange } from '../stats/neweyWestBatch.js';
import { olsBatch, olsBatchArrays, olsBatchRange } from '../stats/ols.js';
import { runChunked } from './chunks.js';
import { type ParallelOptions, threadsOf, withPool, WorkerPool } from './pool.js';

/** Fewer cells (n·m) than this run on one thread: posting and shared copies would not pay. */
export const MIN_PARALLEL_CELLS = 1_000_000;

const isShared = (a: ArrayLike<number>): boolean => a instanceof Float64Array && a.buffer instanceof SharedArrayBuffer;
const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
/** `a` itself when on shared memory, else a shared copy (same layout). */
const shareF = (a: ArrayLike<number>): Float64Array => {
  if (isShared(a)) return a as Float64Array;
  const c = new Float64Array(sab(a.length * 8));
  c.set(a);
  return c;
};

/**
 * Chunks of series per thread (chunks.ts `runChunked`): one. The calling thread claims the first
 * chunk at once and a late worker's chunk too if it is still unclaimed. Measured on 5,000 × 2,520 ×
 * 6 with 2 threads (process CPU, the shared 2-core machine, noisy): one chunk per thread costs what
 * the former fixed split did; four cost ~0.25 s more CPU.
 */
const SERIES_CHUNKS_PER_THREAD = 1;

export interface OlsParallelOptions extends ParallelOptions {
  /** Below this many cells n·m run on one thread (default {@link MIN_PARALLEL_CELLS}). */
  minParallelCells?: number;
}

/** {@link olsBatch} over `threads` threads (see the module doc); same result, bit for bit. */
export function olsBatchParallel(data: BatchRegressionData, options?: OlsOptions & OlsParallelOptions): Promise<OlsBatchResult>;
/** @internal The positional form the library's kernels use: olsBatchParallel(y, n, m, x, k, options). */
export function olsBatchParallel(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options?: OlsOptions & OlsParallelOptions,
): Promise<OlsBatchResult>;
export function olsBatchParallel(
  first: BatchRegressionData | ArrayLike<number>,
  second?: (OlsOptions & OlsParallelOptions) | number,
  mArg?: number,
  xArg?: ArrayLike<number>,
  kArg?: number,
  optionsArg?: OlsOptions & OlsParallelOptions,
): Promise<OlsBatchResult> {
  if (isBatchData(first))
    return olsBatchParallelOf(first.y, first.n, first.m, first.x, first.k, (second as (OlsOptions & OlsParallelOptions) | undefined) ?? {});
  return olsBatchParallelOf(first, second as number, mArg as number, xArg as ArrayLike<number>, kArg as number, optionsArg ?? {});
}

async function olsBatchParallelOf(
  y: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  options: OlsOptions & OlsParallelOptions,
): Promise<OlsBatchResult> {
  const threads = threadsOf(options);
  const { pool: _pool, threads: _threads, minParallelCells, ...ols } = options;
  if (threads <= 1 || n * m < (minParallelCells ?? MIN_PARALLEL_CELLS) || m < 2) return olsBatch(y, n, m, x, k, ols);
  checkBatchShape(y, n, m, x, k, ols.yStride ?? m, ols.yOffset ?? 0);
  const intercept = ols.intercept ?? true;
  const p = k + (intercept ? 1 : 0);
  const wantResid = ols.residuals ?? true;
  const yStride = ols.yStride ?? m,
    yOffset = ols.yOffset ?? 0;
  const rOut = ols.residualsOut;
  const sharedOut = rOut !== undefined && isShared(rOut);
  if (rOut !== undefined && wantResid && rOut.length < y.length) throw new RangeError('olsBatch: residualsOut is shorter than y');
  // residuals: the caller's shared buffer (laid out like y), else a shared n×m panel
  const residuals = !wantResid ? null : sharedOut ? rOut! : new Float64Array(sab(n * m * 8));
  const rStride = sharedOut ? yStride : m,
    rOffset = sharedOut ? yOffset : 0;
  const out: OlsBatchArrays = olsBatchArrays(m, p, sab);
  const xs = Float64Array.from(x);
  const options1: OlsOptions = { intercept, minObs: ols.minObs, tol: ols.tol, yStride, yOffset };
  const ys = shareF(y); // the workers read y from shared memory; the calling thread reads it where it is
  const local: OlsIssue[] = [];
  const results = await withPool(options, threads, (pool) =>
    runChunked(
      pool,
      threads,
      m,
      (bounds, next) => ({ kind: 'olsRange', y: ys, n, m, x: xs, k, options: options1, out, residuals, rStride, rOffset, bounds, next }),
      (j0, j1) => {
        local.push(...olsBatchRange(y, n, m, xs, k, options1, j0, j1, out, residuals, rStride, rOffset));
      },
      SERIES_CHUNKS_PER_THREAD,
    ),
  );
  // every chunk's issues are in series order; the chunks were claimed in any order
  const issues = [...local, ...results.flatMap((r) => r.issues)].sort((a, b) => a.series - b.series);
  let res = residuals;
  if (wantResid && rOut !== undefined && !sharedOut) {
    // the caller's (unshared) buffer, laid out like y
    for (let t = 0; t < n; t++) rOut.set(residuals!.subarray(t * m, (t + 1) * m), yOffset + t * yStride);
    res = rOut;
  }
  return { nRows: n, nSeries: m, k, p, intercept, ...out, residuals: res, issues };
}

/** {@link neweyWestBatch} over `threads` threads (see the module doc). Bit-identical to neweyWestBatch. */
export function neweyWestBatchParallel(
  data: NeweyWestBatchData,
  options?: NeweyWestBatchOptions & OlsParallelOptions,
): Promise<NeweyWestBatchResult>;
/** @internal The positional form the library's kernels use: neweyWestBatchParallel(residuals, n, m, x, k, intercept, coef, dfResid, rank, options). */
export function neweyWestBatchParallel(
  residuals: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  coef: ArrayLike<number>,
  dfResid: ArrayLike<number>,
  rank: ArrayLike<number>,
  options?: NeweyWestBatchOptions & OlsParallelOptions,
): Promise<NeweyWestBatchResult>;
export function neweyWestBatchParallel(first: NeweyWestBatchData | ArrayLike<number>, ...rest: unknown[]): Promise<NeweyWestBatchResult> {
  if (typeof first === 'object' && first !== null && !('length' in first)) {
    const d = first;
    return neweyWestBatchParallelOf(
      d.residuals,
      d.n,
      d.m,
      d.x,
      d.k,
      d.intercept,
      d.coef,
      d.dfResid,
      d.rank,
      (rest[0] as (NeweyWestBatchOptions & OlsParallelOptions) | undefined) ?? {},
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
    (NeweyWestBatchOptions & OlsParallelOptions) | undefined,
  ];
  return neweyWestBatchParallelOf(first, n, m, x, k, intercept, coef, dfResid, rank, options ?? {});
}

async function neweyWestBatchParallelOf(
  residuals: ArrayLike<number>,
  n: number,
  m: number,
  x: ArrayLike<number>,
  k: number,
  intercept: boolean,
  coef: ArrayLike<number>,
  dfResid: ArrayLike<number>,
  rank: ArrayLike<number>,
  options: NeweyWestBatchOptions & OlsParallelOptions,
): Promise<NeweyWestBatchResult> {
  const threads = threadsOf(options);
  const { pool: _pool, threads: _threads, minParallelCells, ...nw } = options;
  if (threads <= 1 || n * m < (minParallelCells ?? MIN_PARALLEL_CELLS) || m < 2)
    return neweyWestBatch(residuals, n, m, x, k, intercept, coef, dfResid, rank, nw);
  const p = k + (intercept ? 1 : 0);
  const res = shareF(residuals);
  const out: NeweyWestBatchResult = {
    lags: new Int32Array(sab(m * 4)),
    se: new Float64Array(sab(m * p * 8)),
    t: new Float64Array(sab(m * p * 8)),
    pValue: new Float64Array(sab(m * p * 8)),
  };
  const xs = Float64Array.from(x),
    cf = Float64Array.from(coef),
    df = Int32Array.from(dfResid),
    rk = Int32Array.from(rank);
  await withPool(options, threads, (pool) =>
    runChunked(
      pool,
      threads,
      m,
      (bounds, next) => ({
        kind: 'neweyWestRange',
        residuals: res,
        n,
        m,
        x: xs,
        k,
        intercept,
        coef: cf,
        dfResid: df,
        rank: rk,
        options: nw,
        out,
        bounds,
        next,
      }),
      (j0, j1) => neweyWestBatchRange(res, n, m, xs, k, intercept, cf, df, rk, nw, j0, j1, out),
      SERIES_CHUNKS_PER_THREAD,
    ),
  );
  return out;
}

/**
 * `fe.fit(returns, options)` (its `{ threads, pool, minParallelCells }` taken out) with every OLS step and Newey-West batch run over threads
 * ({@link olsBatchParallel}, {@link neweyWestBatchParallel}); the same ExposureFit, bit for bit.
 * Penalised steps run in the calling thread. Without a given `pool`, one pool serves every kernel
 * of the fit: started by the first that runs threaded, stopped when the fit ends (its workers
 * start once, not once per kernel).
 */
export async function fitExposuresParallel(
  fe: FactorExposures,
  returns: AssetReturns,
  options: FitOptions & OlsParallelOptions = {},
): Promise<ExposureFit> {
  const { threads: _threads, pool: given, minParallelCells, ...fit } = options;
  const threads = threadsOf(options);
  let own: WorkerPool | undefined;
  const parallel = (n: number, m: number): OlsParallelOptions => {
    const threaded = threads > 1 && n * m >= (minParallelCells ?? MIN_PARALLEL_CELLS) && m >= 2;
    if (threaded && given === undefined) own ??= new WorkerPool(threads - 1);
    return { threads, pool: given ?? own, minParallelCells };
  };
  try {
    return await fe.fitAsync(returns, fit, {
      ols: (q) => olsBatchParallel({ y: q.y, n: q.n, m: q.m, x: q.x, k: q.k }, { ...q.options, ...parallel(q.n, q.m) }),
      neweyWest: (q) => neweyWestBatchParallel(q, { ...q.options, ...parallel(q.n, q.m) }),
    });
  } finally {
    await own?.destroy();
  }
}

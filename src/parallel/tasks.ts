/**
 * Task messages of the worker pool and the code that runs them. Plain data only: every large
 * array is a Float64Array view over a SharedArrayBuffer, so posting a task copies no numbers.
 *
 * `rollingFold`: fold the asset blocks [b0, b1) of a rolling portfolio exposure (exposures/rolling.ts)
 * into the shared partial sums at `partials[b·n·width ..]`. The worker rebuilds the shared
 * regressor design from x (80 ms for 2,520 × 252 × 6), which is deterministic, so every thread and
 * the single-thread path compute bit-identical betas.
 *
 * `olsRange`: fit the series [j0, j1) of a batched OLS (stats/ols.ts `olsBatchRange`) into the
 * shared output arrays and residual panel; the task's result carries the range's issues.
 * `neweyWestRange`: Newey-West standard errors of the series [j0, j1) (stats/neweyWestBatch.ts
 * `neweyWestBatchRange`) from shared residuals into shared outputs.
 */
import type { NeweyWestRequest, OlsRequest } from '../exposures/fit.js';
import { type RollingPortfolioInput, foldBlock, partialWidth } from '../exposures/rolling.js';
import type { OlsBatchArrays, OlsIssue } from '../stats/ols.js';
import { olsBatchRange } from '../stats/ols.js';
import type { NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import { neweyWestBatchRange } from '../stats/neweyWestBatch.js';
import { type RollingOlsOptions, prepareRollingDesign } from '../stats/rollingOls.js';

export interface RollingFoldTask {
  kind: 'rollingFold';
  n: number;
  m: number;
  k: number;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  partials: Float64Array;
  options: RollingOlsOptions;
  b0: number;
  b1: number;
}

/** A range j0..j1 of the series of one batched OLS of the fit (exposures/fit.ts `OlsRequest`). */
export interface OlsRangeTask extends Omit<OlsRequest, 'kind'> {
  kind: 'olsRange';
  j0: number;
  j1: number;
  /** Shared output arrays of the whole fit (the task writes entries j0..j1). */
  out: OlsBatchArrays;
  residuals: Float64Array | null;
  rStride: number;
  rOffset: number;
}

/** A range j0..j1 of the series of one Newey-West batch (exposures/fit.ts `NeweyWestRequest`). */
export interface NeweyWestRangeTask extends Omit<NeweyWestRequest, 'kind'> {
  kind: 'neweyWestRange';
  j0: number;
  j1: number;
  /** Shared outputs of the whole batch (the task writes entries j0..j1). */
  out: NeweyWestBatchResult;
}

export type PoolTask = RollingFoldTask | OlsRangeTask | NeweyWestRangeTask;

/** What a task sends back: its seconds, and the OLS issues of its range (empty for other kinds). */
export interface TaskResult {
  seconds: number;
  issues: OlsIssue[];
}

/** Runs one task in the current thread (the worker calls this; so can tests). */
export function runTask(task: PoolTask): TaskResult {
  const t0 = performance.now();
  let issues: OlsIssue[] = [];
  if (task.kind === 'olsRange') {
    const { y, n, m, x, k, options, j0, j1, out, residuals, rStride, rOffset } = task;
    issues = olsBatchRange(y, n, m, x, k, options, j0, j1, out, residuals, rStride, rOffset);
  } else if (task.kind === 'neweyWestRange') {
    const { residuals, n, m, x, k, intercept, coef, dfResid, rank, options, j0, j1, out } = task;
    neweyWestBatchRange(residuals, n, m, x, k, intercept, coef, dfResid, rank, options, j0, j1, out);
  } else if (task.kind === 'rollingFold') {
    const { n, m, k, x, y, w, partials, options, b0, b1 } = task;
    const input: RollingPortfolioInput = {
      n, m, k, factorNames: [], dates: new Int32Array(0), y, w, x, grossWeight: new Float64Array(0), options, renormalize: false,
    };
    const design = prepareRollingDesign(x, n, k, options);
    const width = n * partialWidth(k);
    for (let b = b0; b < b1; b++) foldBlock(input, design, b, partials.subarray(b * width, (b + 1) * width));
  } else {
    throw new Error(`unknown pool task ${String((task as { kind: unknown }).kind)}`);
  }
  return { seconds: (performance.now() - t0) / 1000, issues };
}

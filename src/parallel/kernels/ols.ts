/**
 * Pool kernels of the batched regressions: `olsRange` (stats/ols.ts `olsBatchRange`) and
 * `neweyWestRange` (stats/neweyWestBatch.ts `neweyWestBatchRange`) on the chunks of series the task
 * claims. See ../messages.ts and ../dispatch.ts.
 */
import type { OlsIssue } from '../../stats/ols.js';
import { olsBatchRange } from '../../stats/ols.js';
import { neweyWestBatchRange } from '../../stats/neweyWestBatch.js';
import { claimChunks } from '../chunks.js';
import type { NeweyWestRangeTask, OlsRangeTask } from '../messages.js';

/** Fits the series of the chunks it claims; returns their issues. */
export function runOlsRange(task: OlsRangeTask): OlsIssue[] {
  const { y, n, m, x, k, options, out, residuals, rStride, rOffset } = task;
  const issues: OlsIssue[] = [];
  claimChunks(task.bounds, task.next, (j0, j1) => {
    issues.push(...olsBatchRange(y, n, m, x, k, options, j0, j1, out, residuals, rStride, rOffset));
  });
  return issues;
}

export function runNeweyWestRange(task: NeweyWestRangeTask): void {
  const { residuals, n, m, x, k, intercept, coef, dfResid, rank, options, out } = task;
  claimChunks(task.bounds, task.next, (j0, j1) =>
    neweyWestBatchRange(residuals, n, m, x, k, intercept, coef, dfResid, rank, options, j0, j1, out),
  );
}

/**
 * Pool kernels of the batched regressions: `olsRange` (stats/ols.ts `olsBatchRange` on a range of
 * series) and `neweyWestRange` (stats/neweyWestBatch.ts `neweyWestBatchRange`). See ../tasks.ts.
 */
import type { OlsIssue } from '../../stats/ols.js';
import { olsBatchRange } from '../../stats/ols.js';
import { neweyWestBatchRange } from '../../stats/neweyWestBatch.js';
import type { NeweyWestRangeTask, OlsRangeTask } from '../tasks.js';

/** Runs the task; returns the OLS issues of its range (none for Newey-West). */
export function runOlsTask(task: OlsRangeTask | NeweyWestRangeTask): OlsIssue[] {
  if (task.kind === 'olsRange') {
    const { y, n, m, x, k, options, j0, j1, out, residuals, rStride, rOffset } = task;
    return olsBatchRange(y, n, m, x, k, options, j0, j1, out, residuals, rStride, rOffset);
  }
  const { residuals, n, m, x, k, intercept, coef, dfResid, rank, options, j0, j1, out } = task;
  neweyWestBatchRange(residuals, n, m, x, k, intercept, coef, dfResid, rank, options, j0, j1, out);
  return [];
}

/**
 * Pool kernels of the single-factor analysis: `prepareRange` (signals/factorData.ts
 * `prepareFactorRows` on the chunks of factor rows the task claims) and `analyzeRange`
 * (signals/analyze.ts `perDateStatistics`, every registered statistic, on the chunks of formation
 * rows the task claims). See ../messages.ts and ../analyze.ts.
 */
import { createStatisticsScratch, perDateStatistics } from '../../signals/analyze.js';
import { prepareFactorRows } from '../../signals/factorData.js';
import { unpackAnalyzeRange } from '../analyzeMessages.js';
import { claimChunks } from '../chunks.js';
import type { AnalyzeRangeTask, PrepareRangeTask } from '../messages.js';

export function runPrepareRange(task: PrepareRangeTask): void {
  claimChunks(task.bounds, task.next, (t0, t1, c) => prepareFactorRows(task.ctx, t0, t1, task.out, c));
}

export function runAnalyzeRange(task: AnalyzeRangeTask): void {
  const { data, options } = unpackAnalyzeRange(task);
  const scratch = createStatisticsScratch();
  claimChunks(task.bounds, task.next, (t0, t1) => perDateStatistics(data, options, task.out, t0, t1, scratch));
}

/**
 * Pool kernels of the single-factor analysis: `prepareRange` (signals/factorData.ts
 * `prepareFactorRows` on the chunks of factor rows the task claims) and `analyzeRange` (signals/analyze.ts
 * `perDateStatistics` on the chunks of formation rows the task claims). See ../tasks.ts and ../analyze.ts.
 */
import { Panel } from '../../core/panel.js';
import { createStatisticsScratch, perDateStatistics, type AnalyzeOptions } from '../../signals/analyze.js';
import { prepareFactorRows, type FactorData } from '../../signals/factorData.js';
import type { AnalyzeRangeTask, PrepareRangeTask } from '../tasks.js';
import { claimChunks } from '../chunks.js';

export function runSignalsTask(task: PrepareRangeTask | AnalyzeRangeTask): void {
  if (task.kind === 'prepareRange') { claimChunks(task.bounds, task.next, (t0, t1, c) => prepareFactorRows(task.ctx, t0, t1, task.out, c)); return; }
  const { data, options } = unpackAnalyzeRange(task);
  const scratch = createStatisticsScratch();
  claimChunks(task.bounds, task.next, (t0, t1) => perDateStatistics(data, options, task.out, t0, t1, scratch));
}

/** The {@link FactorData} and options of an `analyzeRange` task (panels over the shared values). */
export function unpackAnalyzeRange(task: Pick<AnalyzeRangeTask, 'data' | 'options'>): { data: FactorData; options: AnalyzeOptions } {
  const d = task.data;
  const panel = (values: Float64Array): Panel => new Panel(d.dates, d.assets, values);
  const data: FactorData = {
    dates: d.dates,
    assets: d.assets,
    factor: panel(d.factor),
    forward: new Map(d.horizons.map((h, k) => [h, panel(d.forward[k])])),
    horizons: d.horizons,
    entryRows: d.entryRows,
    priceDates: d.priceDates,
    executionLag: d.executionLag,
    ...(d.groups ? { groups: d.groups } : {}),
    ...(d.weights ? { weights: panel(d.weights) } : {}),
    periodsPerYear: d.periodsPerYear,
    universe: d.universe,
    minAssets: d.minAssets,
    dataLoss: d.dataLoss,
  };
  const { size, regression, ...rest } = task.options;
  const options: AnalyzeOptions = { ...rest, regression: { ...regression, ...(size ? { size: new Panel(size.dates, size.assets, size.values) } : {}) } };
  return { data, options };
}


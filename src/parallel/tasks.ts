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
 * `analyzeRange`: the per-date statistics of a factor analysis (signals/analyze.ts
 * `perDateStatistics`) on chunks of formation rows claimed from a shared counter (chunks.ts), from
 * the shared prepared panels into the shared per-date arrays (parallel/analyze.ts).
 * `prepareRange`: signals/factorData.ts `prepareFactorRows` (forward returns, universe, data-loss
 * counters) on the chunks of factor rows the task claims, from shared inputs into shared, per-chunk
 * compacted outputs.
 *
 * The code of each kind lives in kernels/ (ols, signals, rolling); the worker (worker.ts) imports
 * only the kernel module of the tasks it receives, so a worker that fits OLS never loads the
 * signals modules: a lighter start for every pool.
 */
import type { Calendar } from '../core/calendar.js';
import type { NeweyWestRequest, OlsRequest } from '../exposures/fit.js';
import type { AnalyzeOptions, PerDateStatistics } from '../signals/analyze.js';
import type { DataLoss } from '../signals/dataLoss.js';
import type { PrepareContext, PrepareRowsOutput, Universe } from '../signals/factorData.js';
import type { OlsBatchArrays, OlsIssue } from '../stats/ols.js';
import type { NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import type { RollingOlsOptions } from '../stats/rollingOls.js';
import { runOlsTask } from './kernels/ols.js';
import { runRollingTask } from './kernels/rolling.js';
import { runSignalsTask } from './kernels/signals.js';

export { unpackAnalyzeRange } from './kernels/signals.js';

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

/** A prepared {@link FactorData} as plain data: its panels' values on shared memory. */
export interface FactorDataMessage {
  dates: Calendar;
  assets: readonly string[];
  factor: Float64Array;
  /** Forward returns of horizons[k]. */
  forward: Float64Array[];
  horizons: number[];
  entryRows: Int32Array;
  priceDates: Calendar;
  executionLag: number;
  groups?: { names: string[]; codes: Int32Array };
  weights?: Float64Array;
  periodsPerYear: number;
  universe: Universe;
  minAssets: number;
  dataLoss: DataLoss;
}

/** The analysis options the per-date kernels read; the regression's size panel as plain data. */
export interface StatisticsOptionsMessage extends Pick<AnalyzeOptions, 'quantiles' | 'byGroup' | 'icThreshold' | 'decayLags'> {
  regression: Omit<NonNullable<AnalyzeOptions['regression']>, 'size'>;
  size?: { dates: Calendar; assets: readonly string[]; values: Float64Array };
}

/**
 * Chunks of the formation rows of an analysis, written into the shared per-date arrays `out`:
 * chunk c is the rows [bounds[c], bounds[c + 1]); the task claims chunks from the shared counter
 * `next` (chunks.ts `claimChunks`) along with every other thread given the same counter.
 */
export interface AnalyzeRangeTask {
  kind: 'analyzeRange';
  data: FactorDataMessage;
  options: StatisticsOptionsMessage;
  out: PerDateStatistics;
  bounds: Int32Array;
  /** Int32Array over a SharedArrayBuffer (chunks.ts `chunkCounter`). */
  next: Int32Array;
}

/**
 * Chunks of the factor rows of a preparation, into the shared outputs: chunk c is the rows
 * [bounds[c], bounds[c + 1]), range number c of `out`; claimed from the shared counter `next`
 * (chunks.ts) along with every other thread given the same counter.
 */
export interface PrepareRangeTask {
  kind: 'prepareRange';
  ctx: PrepareContext;
  out: PrepareRowsOutput;
  bounds: Int32Array;
  /** Int32Array over a SharedArrayBuffer (chunks.ts `chunkCounter`). */
  next: Int32Array;
}

export type PoolTask = RollingFoldTask | OlsRangeTask | NeweyWestRangeTask | AnalyzeRangeTask | PrepareRangeTask;

/** What a task sends back: its seconds, and the OLS issues of its range (empty for other kinds). */
export interface TaskResult {
  seconds: number;
  issues: OlsIssue[];
}

/** Runs one task in the current thread (tests, and any caller that wants a task in process). */
export function runTask(task: PoolTask): TaskResult {
  const t0 = performance.now();
  let issues: OlsIssue[] = [];
  if (task.kind === 'olsRange' || task.kind === 'neweyWestRange') issues = runOlsTask(task);
  else if (task.kind === 'prepareRange' || task.kind === 'analyzeRange') runSignalsTask(task);
  else if (task.kind === 'rollingFold') runRollingTask(task);
  else throw new Error(`unknown pool task ${String((task as { kind: unknown }).kind)}`);
  return { seconds: (performance.now() - t0) / 1000, issues };
}

/**
 * The task messages of the worker pool: plain data only, every large array a view over a
 * SharedArrayBuffer, so posting a task copies no numbers. Types only: the code that runs each kind
 * is in kernels/ (reached through dispatch.ts), so the kernels and the dispatch import this module
 * and nothing imports back (no cycle).
 *
 * Every kind is a set of chunks claimed from a shared counter (chunks.ts, the one scheduler): chunk
 * c is [bounds[c], bounds[c + 1]) of the kind's unit, and every thread given the same `next`
 * claims chunks until none is left.
 * - `rollingFold`: asset blocks of a rolling portfolio exposure (exposures/rolling.ts `foldBlock`)
 *   folded into the shared partial sums at `partials[b·n·width ..]`. The worker rebuilds the shared
 *   regressor design from x (deterministic), so every thread computes bit-identical betas.
 * - `olsRange`: series of a batched OLS (stats/ols.ts `olsBatchRange`) into the shared output arrays
 *   and residual panel; the task's result carries the issues of its series.
 * - `neweyWestRange`: Newey-West standard errors of series (stats/neweyWestBatch.ts
 *   `neweyWestBatchRange`) from shared residuals into shared outputs.
 * - `analyzeRange`: formation rows of a factor analysis (signals/analyze.ts `perDateStatistics`,
 *   which runs every registered statistic) into the shared per-date arrays.
 * - `prepareRange`: factor rows of a preparation (signals/factorData.ts `prepareFactorRows`) into
 *   shared, per-chunk compacted outputs.
 */
import type { Calendar } from '../core/calendar.js';
import type { NeweyWestRequest, OlsRequest } from '../exposures/fit.js';
import type { AnalyzeOptions, PerDateStatistics } from '../signals/analyze.js';
import type { DataLoss } from '../signals/dataLoss.js';
import type { PrepareContext, PrepareRowsOutput, Universe } from '../signals/factorData.js';
import type { OlsBatchArrays, OlsIssue } from '../stats/ols.js';
import type { NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import type { RollingOlsOptions } from '../stats/rollingOls.js';

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
  /** Chunks of asset blocks: chunk c is the blocks [bounds[c], bounds[c + 1]), claimed from `next`. */
  bounds: Int32Array;
  next: Int32Array;
}

/** Chunks of the series of one batched OLS of the fit (exposures/fit.ts `OlsRequest`): chunk c is the series [bounds[c], bounds[c + 1]), claimed from `next`. */
export interface OlsRangeTask extends Omit<OlsRequest, 'kind'> {
  kind: 'olsRange';
  bounds: Int32Array;
  next: Int32Array;
  /** Shared output arrays of the whole fit (the task writes the entries of the series it claims). */
  out: OlsBatchArrays;
  residuals: Float64Array | null;
  rStride: number;
  rOffset: number;
}

/** Chunks of the series of one Newey-West batch (exposures/fit.ts `NeweyWestRequest`), claimed from `next` as for {@link OlsRangeTask}. */
export interface NeweyWestRangeTask extends Omit<NeweyWestRequest, 'kind'> {
  kind: 'neweyWestRange';
  bounds: Int32Array;
  next: Int32Array;
  /** Shared outputs of the whole batch (the task writes the entries of the series it claims). */
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

/**
 * The analysis options the per-date statistics read (signals/analyze.ts `perDateOptionKeys`: the
 * engine's and every registered statistic's `optionKeys`), each Panel inside them as a
 * {@link PanelMessage} (parallel/analyze.ts packs and unpacks them).
 */
export type StatisticsOptionsMessage = { [K in keyof AnalyzeOptions]?: unknown };

/** A Panel as plain data, its values on shared memory (a panel inside the options of a message). */
export interface PanelMessage {
  panel: 'shared';
  dates: Calendar;
  assets: readonly string[];
  values: Float64Array;
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

/**
 * {@link analyzeFactor} with the per-date statistics spread over worker threads, bit-identical.
 *
 * How: the main thread prepares the clean intermediate (signals `prepareFactorData`) with its
 * panels (factor, forward returns, group codes, weights) allocated on SharedArrayBuffers, and the
 * per-date arrays of the analysis (signals `createPerDateStatistics`) likewise. The formation dates
 * [0, nDates) are cut into `threads` contiguous ranges and each range goes to a pool worker as an
 * `analyzeRange` task (tasks.ts), which runs signals `perDateStatistics` on its rows and writes
 * them straight into the shared per-date arrays; no panel is copied through postMessage (a task
 * carries views of the shared buffers, the asset names and a few options). Turnover and rank
 * autocorrelation look back `step` rows: a worker recomputes the labels and ranks of the rows
 * before its range that it reads, without writing them. The summaries over dates (means, t and
 * Newey-West t, NAV, monthly tables, ...) run once on the main thread over the whole per-date
 * series (signals `summarizeAnalysis`), so the result equals `analyzeFactor(input, options)`
 * value for value, whatever the number of threads (tested on its JSON).
 *
 * The pool is started before the preparation, so the workers load while the main thread prepares.
 * Every range goes to a worker (the main thread waits): a main thread busy with a range could not
 * hand the queued tasks to workers that announce themselves meanwhile (piscina dispatches on the
 * main event loop).
 *
 * When it pays: with one thread, or a factor panel below {@link MIN_PARALLEL_ASSET_DAYS} cells
 * (factor dates × assets), `analyzeFactor` runs in process (bench/signals.mjs measures both).
 * Errors: the inputs and options are checked on the main thread before any task is posted (the
 * preparation, then an empty-range pass of the per-date kernels), so bad input throws the same
 * `InputError` as `analyzeFactor`.
 */
import type { Panel } from '../core/panel.js';
import {
  analyzeFactor, createPerDateStatistics, factorDataInput, perDateStatistics, summarizeAnalysis, type AnalyzeOptions, type FactorAnalysis,
} from '../signals/analyze.js';
import { prepareFactorData, type FactorData } from '../signals/factorData.js';
import { type ParallelOptions, WorkerPool, defaultThreads } from './pool.js';
import { seriesRanges } from './ols.js';
import type { AnalyzeRangeTask, FactorDataMessage, StatisticsOptionsMessage } from './tasks.js';

/**
 * Factor panels smaller than this (factor dates × assets) are analysed in process: below it the
 * worker start-up (~0.1 s of module loading per thread) eats the gain. Measured crossover on the
 * 2-core bench machine: see bench/signals.mjs.
 */
export const MIN_PARALLEL_ASSET_DAYS = 500_000;

export interface AnalyzeParallelOptions extends ParallelOptions {
  /** Below this many factor cells (dates × assets) run in process (default {@link MIN_PARALLEL_ASSET_DAYS}). */
  minParallelCells?: number;
}

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

const isShared = (a: Float64Array): boolean => a.buffer instanceof SharedArrayBuffer;

function shareValues(a: Float64Array): Float64Array {
  if (isShared(a)) return a;
  const c = new Float64Array(shared(a.length * 8));
  c.set(a);
  return c;
}

/** The plain-data form of a {@link FactorData} whose panels live on shared memory. */
export function factorDataMessage(data: FactorData): FactorDataMessage {
  return {
    dates: data.dates,
    assets: data.assets,
    factor: shareValues(data.factor.values),
    forward: data.horizons.map((h) => shareValues((data.forward.get(h) as Panel).values)),
    horizons: data.horizons,
    entryRows: data.entryRows,
    priceDates: data.priceDates,
    executionLag: data.executionLag,
    ...(data.groups ? { groups: { names: data.groups.names, codes: data.groups.codes } } : {}),
    ...(data.weights ? { weights: shareValues(data.weights.values) } : {}),
    periodsPerYear: data.periodsPerYear,
    universe: data.universe,
    minAssets: data.minAssets,
    dataLoss: data.dataLoss,
  };
}

/** The options the per-date kernels read (no input panels: the prepared data carries them). */
export function statisticsOptionsMessage(options: AnalyzeOptions): StatisticsOptionsMessage {
  const { size, ...regression } = options.regression ?? {};
  return {
    quantiles: options.quantiles,
    byGroup: options.byGroup,
    icThreshold: options.icThreshold,
    decayLags: options.decayLags,
    regression,
    ...(size !== undefined ? { size: { dates: size.dates, assets: size.assets, values: shareValues(size.values) } } : {}),
  };
}

/** {@link analyzeFactor} over `threads` worker threads (see the module doc); the same result, bit for bit. */
export async function analyzeFactorParallel(input: { factor: Panel; prices: Panel }, options: AnalyzeOptions & AnalyzeParallelOptions = {}): Promise<FactorAnalysis> {
  const { pool: given, threads: asked, minParallelCells, ...analysis } = options;
  const threads = given?.threads ?? asked ?? defaultThreads();
  const cells = input.factor.nDates * input.factor.nAssets;
  if (threads <= 1 || cells < (minParallelCells ?? MIN_PARALLEL_ASSET_DAYS)) return analyzeFactor(input, analysis);
  const pool = given ?? new WorkerPool(threads);
  try {
    const data = prepareFactorData(factorDataInput(input, analysis), shared);
    const nd = data.dates.length;
    const rows = createPerDateStatistics(data, analysis, shared);
    perDateStatistics(data, analysis, rows, 0, 0); // checks the options here, before any task
    const ranges = seriesRanges(nd, Math.min(threads, Math.max(1, nd)));
    if (ranges.length > 0) {
      const message = factorDataMessage(data), opts = statisticsOptionsMessage(analysis);
      await pool.run(ranges.map(([t0, t1]): AnalyzeRangeTask => ({ kind: 'analyzeRange', data: message, options: opts, out: rows, t0, t1 })));
    }
    return summarizeAnalysis(data, analysis, rows);
  } finally {
    if (given === undefined) await pool.destroy();
  }
}

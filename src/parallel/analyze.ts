/**
 * {@link analyzeFactor} with the per-date statistics spread over worker threads, bit-identical.
 *
 * How: `threads` threads work, the calling one and a pool of `threads − 1` workers. The clean
 * intermediate (signals `prepareFactorData`) is prepared in two steps: the factor rows are cut
 * into chunks, claimed from a shared counter by every thread (chunks.ts `runChunked`, the one scheduler), and each chunk is run
 * through `prepareFactorRows` (forward returns, universe, counters; reading the factor and price
 * values from shared memory, in place when the input panels already live there), writing its kept
 * rows compacted from the start of its chunk into shared panels; the calling thread then moves the
 * chunks' rows together (`finishFactorData`: the same rows as one pass, in order) and adds up the
 * data-loss counters (integers: exact). The per-date arrays of
 * the analysis (signals `createPerDateStatistics`) are allocated on shared memory too. The formation dates
 * [0, nDates) are cut into {@link CHUNKS_PER_THREAD} chunks per thread, and every thread (the
 * pool workers through `analyzeRange` tasks, messages.ts, and the calling thread) claims chunks from
 * one shared counter until none is left (chunks.ts), running signals `perDateStatistics` on each
 * and writing straight into the shared per-date arrays; no panel is copied through postMessage (a
 * task carries views of the shared buffers, the asset names and a few options). Turnover and rank
 * autocorrelation look back `step` rows: a chunk recomputes the labels and ranks of the rows
 * before it that it reads, without writing them. The summaries over dates (means, t and
 * Newey-West t, NAV, monthly tables, ...) run once on the main thread over the whole per-date
 * series (signals `summarizeAnalysis`), so the result equals `analyzeFactor(input, options)`
 * value for value, whatever the number of threads (tested on its JSON).
 *
 * Who computes what: the calling thread starts on the preparation's chunks at once, while the
 * workers boot; it yields to the event loop after each chunk, because piscina hands a queued task
 * to a worker that announces itself only from this thread's event loop. By the statistics every
 * worker is up, so their tasks are posted at once and the calling thread claims chunks alongside
 * them; a thread that runs slower (a busy core, code still cold) simply claims fewer.
 *
 * When it pays: with one thread, or a factor panel below {@link MIN_PARALLEL_ASSET_DAYS} cells
 * (factor dates × assets), `analyzeFactor` runs in process (bench/signals.mjs measures both).
 * Errors: the inputs and options are checked on the main thread before any task is posted (the
 * preparation, then an empty-range pass of the per-date kernels), so bad input throws the same
 * `InputError` as `analyzeFactor`.
 */
import type { Panel } from '../core/panel.js';
import {
  analyzeFactor,
  createPerDateStatistics,
  createStatisticsScratch,
  factorDataInput,
  perDateStatistics,
  summarizeAnalysis,
  type AnalyzeOptions,
  type FactorAnalysisResults,
} from '../signals/analyze.js';
import {
  canPrepareInPlace,
  createPrepareRowsOutput,
  finishFactorData,
  prepareContext,
  prepareFactorRows,
  type FactorData,
  type PrepareContext,
} from '../signals/factorData.js';
import { type ParallelOptions, type WorkerPool, threadsOf, withPool } from './pool.js';
import { CHUNKS_PER_THREAD, chunkBounds, runChunked } from './chunks.js';
import { factorDataMessage, shareValues, statisticsOptionsMessage } from './analyzeMessages.js';
import { checkOptionNames } from '../core/checks.js';
import { ANALYZE_OPTION_NAMES } from '../signals/analyze.js';

export { factorDataMessage, statisticsOptionsMessage, unpackAnalyzeRange } from './analyzeMessages.js';

/**
 * Factor panels smaller than this (factor dates × assets) are analysed in process: below it the
 * start-up of a fresh pool (workers loading the modules, their compiled code cold: ~0.2-0.3 s) eats
 * the gain. Measured on the 2-core bench machine with a free second core (bench/signals.mjs,
 * 'signals crossover'): 0.63 M asset-days 0.68x, 1.25 M 1.05x, 7.5 M 1.33x, the real 7.1 M 1.60x.
 */
export const MIN_PARALLEL_ASSET_DAYS = 1_500_000;

export interface AnalyzeParallelOptions extends ParallelOptions {
  /** Below this many factor cells (dates × assets) run in process (default {@link MIN_PARALLEL_ASSET_DAYS}). */
  minParallelCells?: number;
}

const shared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

function shareInts(a: Int32Array): Int32Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const c = new Int32Array(shared(a.length * 4));
  c.set(a);
  return c;
}

/** {@link prepareContext}'s result with its large arrays (factor, prices, group codes, shared forward returns) on shared memory. */
function sharedContext(ctx: PrepareContext): PrepareContext {
  return {
    horizons: ctx.horizons,
    lag: ctx.lag,
    universe: ctx.universe,
    minAssets: ctx.minAssets,
    maxLoss: ctx.maxLoss,
    nf: ctx.nf,
    m: ctx.m,
    np: ctx.np,
    mp: ctx.mp,
    fv: shareValues(ctx.fv),
    pv: shareValues(ctx.pv),
    pcol: ctx.pcol,
    matched: ctx.matched,
    codes: ctx.codes === null ? null : shareInts(ctx.codes),
    sv: ctx.sv.map((v) => (v === undefined ? undefined : shareValues(v))),
    initial: ctx.initial,
    unmatched: ctx.unmatched,
  };
}

/** {@link prepareFactorData} with the per-row pass over the pool's threads (see the module doc); the same data. */
export async function prepareFactorDataParallel(
  input: Parameters<typeof prepareContext>[0],
  pool: WorkerPool,
  threads: number,
): Promise<FactorData> {
  const ctx = prepareContext(input);
  // the chunks runChunked will cut, for the per-chunk outputs
  const bounds = chunkBounds(ctx.nf, Math.max(1, threads) * CHUNKS_PER_THREAD);
  const ranges = Array.from({ length: ctx.nf > 0 ? bounds.length - 1 : 0 }, (_, c) => [bounds[c], bounds[c + 1]] as const);
  const sctx = sharedContext(ctx);
  // The prepared factor goes over the values the rows read when that is allowed: a private shared
  // copy made just now, or the caller's panel with `overwriteFactor` (factorData.ts canPrepareInPlace).
  const owned = sctx.fv !== ctx.fv || input.overwriteFactor === true;
  const inPlace = owned && canPrepareInPlace(sctx, sctx.fv, input.weights);
  const out = createPrepareRowsOutput(ctx, ranges.length, shared, inPlace ? sctx.fv : undefined);
  if (ranges.length > 0) {
    // this thread starts on the chunks at once; the workers join as they come up
    await runChunked(
      pool,
      threads,
      ctx.nf,
      (b, next) => ({ kind: 'prepareRange', ctx: sctx, out, bounds: b, next }),
      (t0, t1, c) => prepareFactorRows(sctx, t0, t1, out, c),
    );
  }
  return finishFactorData(input, ctx, out, ranges, shared);
}

/**
 * {@link analyzeFactor} over `threads` threads (see the module doc); the same result, bit for bit:
 * a `FactorAnalysisResults` whose prepared data lives on shared memory.
 */
export async function analyzeFactorParallel(
  input: { factor: Panel; prices: Panel },
  options: AnalyzeOptions & AnalyzeParallelOptions = {},
): Promise<FactorAnalysisResults> {
  checkOptionNames<AnalyzeOptions & AnalyzeParallelOptions>('analyzeFactorParallel options', options, {
    ...ANALYZE_OPTION_NAMES,
    pool: true,
    threads: true,
    minParallelCells: true,
  });
  const { pool: _pool, threads: _threads, minParallelCells, ...analysis } = options;
  const threads = threadsOf(options);
  const cells = input.factor.nDates * input.factor.nAssets;
  if (threads <= 1 || cells < (minParallelCells ?? MIN_PARALLEL_ASSET_DAYS)) return analyzeFactor(input, analysis);
  return withPool(options, threads, async (pool) => {
    const data = await prepareFactorDataParallel(factorDataInput(input, analysis), pool, threads);
    const nd = data.dates.length;
    const rows = createPerDateStatistics(data, analysis, shared);
    perDateStatistics(data, analysis, rows, 0, 0); // checks the options here, before any task
    const message = factorDataMessage(data),
      opts = statisticsOptionsMessage(analysis),
      scratch = createStatisticsScratch();
    await runChunked(
      pool,
      threads,
      nd,
      (bounds, next) => ({ kind: 'analyzeRange', data: message, options: opts, out: rows, bounds, next }),
      (t0, t1) => perDateStatistics(data, analysis, rows, t0, t1, scratch),
    );
    return summarizeAnalysis(data, analysis, rows);
  });
}

/**
 * `analyzeFactor`: the full single-factor test of one factor against prices — the clean
 * intermediate (forward returns, universe, groups, data loss), then for every horizon the
 * information coefficient, the quantile backtest and the cross-sectional regression test, plus
 * turnover — assembled as one plain, JSON-serialisable result.
 *
 * Units: horizons are counted in rows of the PRICE calendar (see factorData.ts). Statistics of
 * per-formation-date series (Newey-West lags, annualisation, turnover lag, NAV rebalancing) use
 * the horizon expressed in formation rows, `step = rebalanceStep(data, h)`: h for a daily factor,
 * 1 for a monthly factor with h = 21. Periods per year come from the factor's calendar.
 *
 * JSON shape (every horizon `h` as a string key; NaN is written as null):
 * - `ic[h]`: `dates`, `pearson`, `spearman`, `n`, `summary.pearson` / `summary.spearman`
 *   (`n, mean, std, ir, irAnnualized, tStat, pValue, tStatNW, pValueNW, sharePositive,
 *   shareAboveThreshold, ...`), `skipped`, `skippedTooFew`;
 * - `quantiles[h]`: `dates`, `count[q]`, `meanReturn[q]` (per date), `meanOverDates[q]`,
 *   `stdError[q]`, `spread` (`perDate`, `mean`, `std`, `tStat`, `pValue`, `tStatNW`, `pValueNW`),
 *   `demeaned`, `weighted` (when weights were given), `factorWeighted`, `nav`, `annualizedReturn[q]`,
 *   `monotonicity`;
 * - `regression[h]`: `dates`, `factorReturn`, `t`, `r2`, `n`, `summary` (`meanFactorReturn,
 *   tStat, tStatNW, meanAbsT, shareAbsTAbove2, meanR2, ...`), skip counts;
 * - `turnover[h]`: per quantile the mean share of new names (`meanByQuantile[q]`) and per date,
 *   and the factor rank autocorrelation at the same lag;
 * - `icMonthly[h]`: month-by-year tables of the mean IC and rank IC; `icByGroup[h]` (with groups):
 *   per-group ICs per date and their summaries; `icDecay[h]` (with `decayLags`): the IC summary
 *   of the factor against the forward return starting `lag` formation rows later;
 * - `dataLoss`: the per-stage account.
 */
import { formatIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { rowRanks } from '../stats/ranks.js';
import type { AnalyzeOptions, FactorAnalysis, StatisticsScratch } from './analysisTypes.js';
import { DEFAULT_IC_THRESHOLD } from './summary.js';
import { DEFAULT_HORIZONS, prepareFactorData, rebalanceStep, type FactorData, type FactorDataInput } from './factorData.js';
import { pairPass, pairPassJoint } from './pairStats.js';
import { returnsOrderFor, type ReturnsOrderOfRows } from './forwardOrder.js';
import { DEFAULT_QUANTILES, quantileCount, quantileLabelRows, type QuantileLabels } from './quantiles.js';
import { ENGINE_STATISTICS, type RowsOf, type STATISTICS } from './registry.js';
import type { PairSample, RowsContext, StatisticSetup, SummaryContext } from './statistic.js';
import { FactorAnalysisResults } from './analysisResults.js';

export type {
  AnalysisHeadline,
  AnalyzeOptions,
  FactorAnalysis,
  QuantileAnalysisJson,
  QuantileVariantJson,
  SpreadJson,
  StatisticsScratch,
  AnalysisBuffers,
  TurnoverJson,
} from './analysisTypes.js';
import { checkOptionNames } from '../core/checks.js';

/** Every option of {@link AnalyzeOptions} (the compiler keeps the list complete): a misspelt one is an error. */
export const ANALYZE_OPTION_NAMES: Readonly<Record<keyof AnalyzeOptions, true>> = {
  horizons: true,
  quantiles: true,
  byGroup: true,
  universe: true,
  minAssets: true,
  icThreshold: true,
  executionLag: true,
  maxLoss: true,
  groups: true,
  weights: true,
  regression: true,
  forwardReturns: true,
  forwardOrder: true,
  buffers: true,
  decayLags: true,
  periodsPerYear: true,
  overwriteFactor: true,
  groupAdjust: true,
};
export { FactorAnalysisResults } from './analysisResults.js';
export { analysisHeadlines, headlineTable, type HeadlineTableRow } from './headlines.js';

const isoDates = (d: ArrayLike<number>): string[] => Array.from(d, formatIsoDate);

/**
 * Runs the whole single-factor test: a {@link FactorAnalysisResults} (the plain analysis as its
 * properties and `toJSON()`, the prepared data kept for further analyses). Bad input throws an `InputError`.
 */
export function analyzeFactor(input: { factor: Panel; prices: Panel }, options: AnalyzeOptions = {}): FactorAnalysisResults {
  checkOptionNames<AnalyzeOptions>('analyzeFactor options', options, ANALYZE_OPTION_NAMES);
  const data = prepareFactorData(factorDataInput(input, options), options.buffers?.alloc);
  return analyzeFactorData(data, options);
}

/** The {@link prepareFactorData} input of an analysis (its options that shape the clean intermediate). */
export function factorDataInput(input: { factor: Panel; prices: Panel }, options: AnalyzeOptions = {}): FactorDataInput {
  return {
    factor: input.factor,
    prices: input.prices,
    horizons: options.horizons ?? DEFAULT_HORIZONS,
    executionLag: options.executionLag,
    groups: options.groups,
    weights: options.weights,
    universe: options.universe,
    minAssets: options.minAssets,
    maxLoss: options.maxLoss,
    forwardReturns: options.forwardReturns,
    periodsPerYear: options.periodsPerYear,
    overwriteFactor: options.overwriteFactor,
    groupAdjust: options.groupAdjust,
  };
}

/**
 * Formation dates × assets per block of {@link analyzeFactorData}'s in-process pass: the factor's
 * ranks and labels (12 bytes a cell) are held for one block at a time, 24 MB, not for the whole
 * panel (90 MB at 2,500 × 3,000). A block recomputes the few rows before it that turnover and rank
 * autocorrelation look back on (the ranges of the parallel route, the same numbers).
 */
export const STATISTICS_BLOCK_CELLS = 1 << 21;

/** The statistics of an already prepared {@link FactorData}, as {@link FactorAnalysisResults}. */
export function analyzeFactorData(data: FactorData, options: AnalyzeOptions = {}): FactorAnalysisResults {
  checkOptionNames<AnalyzeOptions>('analyzeFactorData options', options, ANALYZE_OPTION_NAMES);
  const rows = createPerDateStatistics(data, options);
  const block = Math.max(256, Math.floor(STATISTICS_BLOCK_CELLS / Math.max(1, data.assets.length)));
  perDateStatisticsInBlocks(data, options, rows, block, options.buffers?.scratch ?? createStatisticsScratch());
  return summarizeAnalysis(data, options, rows);
}

/** {@link perDateStatistics} of every formation date, `block` rows at a time with one scratch (the same numbers as one pass). */
export function perDateStatisticsInBlocks(
  data: FactorData,
  options: AnalyzeOptions,
  out: PerDateStatistics,
  block: number,
  scratch: StatisticsScratch,
): void {
  if (!(Number.isInteger(block) && block >= 1))
    throw new RangeError(`perDateStatisticsInBlocks: block must be a whole number >= 1, got ${block}`);
  const nd = data.dates.length;
  if (nd === 0) perDateStatistics(data, options, out, 0, 0, scratch); // the option checks
  for (let t0 = 0; t0 < nd; t0 += block) perDateStatistics(data, options, out, t0, Math.min(nd, t0 + block), scratch);
}

/** The registered statistics as a union (each with its own rows and JSON types). */
type Registered = (typeof STATISTICS)[number];

/**
 * Per-date arrays of one horizon (index t = formation row; `[q − 1]`, `[g]`, `[lag index]` as each
 * statistic notes): the horizon, its rebalance step, the label counts of the engine's labelling,
 * and one entry per registered statistic that applies (registry.ts; absent when it does not).
 */
export type HorizonRows = {
  horizon: number;
  /** {@link rebalanceStep}: the turnover lag, NW lags and NAV step in formation rows. */
  step: number;
  /** Finite factor cells left without a label, and single-valued sections, per date. */
  labels: { unlabeled: Int32Array; single: Int32Array };
} & { [S in Registered as S['name']]?: RowsOf<S> };

/**
 * Every per-date series of an analysis, before the summaries over dates: the output of
 * {@link perDateStatistics}, the input of {@link summarizeAnalysis}. Plain typed arrays, so the
 * buffers can live in shared memory and be filled by several threads (src/parallel/analyze.ts).
 */
export interface PerDateStatistics {
  nDates: number;
  quantiles: number;
  horizons: HorizonRows[];
}

/** The options the engine itself reads (the binning of the shared labels; the decay lags set the look-ahead of a range). */
const ENGINE_OPTION_KEYS: readonly (keyof AnalyzeOptions)[] = ['quantiles', 'byGroup', 'decayLags'];

/** The {@link AnalyzeOptions} keys {@link perDateStatistics} reads: the engine's and every registered statistic's (what the thread pool sends). */
export function perDateOptionKeys(): (keyof AnalyzeOptions)[] {
  return [...new Set([...ENGINE_OPTION_KEYS, ...ENGINE_STATISTICS.flatMap((s) => s.optionKeys)])];
}

/** The statistics' view of one horizon of an analysis. */
function setupOf(data: FactorData, options: AnalyzeOptions, horizon: number, quantiles: number): StatisticSetup {
  return { data, options, horizon, step: rebalanceStep(data, horizon), quantiles, nDates: data.dates.length };
}

/** The per-date arrays of a statistic in a horizon's rows (undefined when it does not apply). */
function rowsOf(hr: HorizonRows, name: string): unknown {
  return (hr as unknown as Record<string, unknown>)[name];
}

/**
 * Fresh per-date arrays for the analysis of `data` (means NaN, counts 0): each registered statistic
 * that applies allocates its own (statistic.ts `alloc`). `alloc` makes each buffer (default an
 * ArrayBuffer; a SharedArrayBuffer to fill them from worker threads). Validates the binning
 * (`InputError`).
 */
export function createPerDateStatistics(
  data: FactorData,
  options: AnalyzeOptions = {},
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
): PerDateStatistics {
  const nd = data.dates.length;
  const Q = quantileCount(options.quantiles ?? DEFAULT_QUANTILES);
  const a = { f64: (): Float64Array => new Float64Array(alloc(nd * 8)).fill(NaN), i32: (): Int32Array => new Int32Array(alloc(nd * 4)) };
  const horizons = data.horizons.map((h): HorizonRows => {
    const setup = setupOf(data, options, h, Q);
    const hr: Record<string, unknown> = { horizon: h, step: setup.step, labels: { unlabeled: a.i32(), single: a.i32() } };
    for (const s of ENGINE_STATISTICS) if (s.applies?.(setup) ?? true) hr[s.name] = s.alloc(setup, a);
    return hr as HorizonRows;
  });
  return { nDates: nd, quantiles: Q, horizons };
}

/**
 * Fills the per-date arrays of the formation rows [t0, t1) (every horizon: IC and rank IC, IC by
 * group, IC decay, the regression test, quantile labels and means, turnover, rank autocorrelation).
 * Each row's numbers depend only on the data, never on the range: the turnover and the rank
 * autocorrelation of row t read the labels and ranks of row t − step, which are computed here for
 * the rows before t0 that the range needs (and not written), and the IC decay of row t reads the
 * forward returns of row t + lag. Ranges that cover [0, nDates) fill the same arrays as one call
 * over all rows, bit for bit. An empty range only validates.
 *
 * A range works on a window of the rows, [t0 − largest step, t1 + largest decay lag), with views
 * of the panels and of `out` (no copy), so its scratch (the factor's row ranks and the labels) is
 * the window's size: a small range costs what its rows cost, which lets the parallel path cut the
 * dates into many small ranges.
 */
export function perDateStatistics(
  data: FactorData,
  options: AnalyzeOptions,
  out: PerDateStatistics,
  t0: number,
  t1: number,
  scratch?: StatisticsScratch,
): void {
  const nd = data.dates.length;
  if (!(Number.isInteger(t0) && Number.isInteger(t1) && 0 <= t0 && t0 <= t1 && t1 <= nd))
    throw new RangeError(`perDateStatistics: rows [${t0}, ${t1}) are outside [0, ${nd})`);
  if (out.nDates !== nd) throw new RangeError(`perDateStatistics: per-date arrays of ${out.nDates} dates for ${nd} formation dates`);
  let lookback = 0;
  for (const hr of out.horizons) if (hr.turnover) lookback = Math.max(lookback, hr.step);
  let ahead = 0;
  for (const lag of options.decayLags ?? []) if (Number.isInteger(lag) && lag > ahead) ahead = lag;
  const lo = Math.max(0, t0 - lookback),
    hi = Math.min(nd, t1 + ahead);
  if (lo === 0 && hi === nd) {
    statisticsOfRows(data, options, out, t0, t1, scratch);
    return;
  }
  statisticsOfRows(windowData(data, lo, hi), windowOptions(options, lo, hi), windowRows(out, lo, hi), t0 - lo, t1 - lo, scratch);
}

export function createStatisticsScratch(): StatisticsScratch {
  return { ranks: new Float64Array(0), labels: new Int32Array(0) };
}

/** Rows [lo, hi) of a date-major panel, as a view. */
function windowPanel(p: Panel, lo: number, hi: number): Panel {
  const m = p.nAssets;
  return new Panel(p.dates.subarray(lo, hi), p.assets, p.values.subarray(lo * m, hi * m));
}

/** The formation rows [lo, hi) of prepared data, as views (the statistics read nothing else of it). */
function windowData(data: FactorData, lo: number, hi: number): FactorData {
  const m = data.assets.length;
  return {
    ...data,
    dates: data.dates.subarray(lo, hi),
    entryRows: data.entryRows.subarray(lo, hi),
    factor: windowPanel(data.factor, lo, hi),
    forward: new Map(Array.from(data.forward, ([h, p]) => [h, windowPanel(p, lo, hi)])),
    ...(data.groups ? { groups: { names: data.groups.names, codes: data.groups.codes.subarray(lo * m, hi * m) } } : {}),
    ...(data.weights ? { weights: windowPanel(data.weights, lo, hi) } : {}),
  };
}

/** The options with the size control (a formation-dates panel) cut to rows [lo, hi). */
function windowOptions(options: AnalyzeOptions, lo: number, hi: number): AnalyzeOptions {
  const size = options.regression?.size;
  return size === undefined ? options : { ...options, regression: { ...options.regression, size: windowPanel(size, lo, hi) } };
}

/** Every per-date array of `x` (typed arrays, nested in arrays and plain objects) cut to [lo, hi), as views. */
function sliceRows<T>(x: T, lo: number, hi: number): T {
  if (x instanceof Float64Array || x instanceof Int32Array) return x.subarray(lo, hi) as T;
  if (Array.isArray(x)) return x.map((v: unknown) => sliceRows(v, lo, hi)) as T;
  if (typeof x === 'object' && x !== null)
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, sliceRows(v as unknown, lo, hi)])) as T;
  return x;
}

function windowRows(out: PerDateStatistics, lo: number, hi: number): PerDateStatistics {
  return { nDates: hi - lo, quantiles: out.quantiles, horizons: out.horizons.map((hr) => sliceRows(hr, lo, hi)) };
}

/**
 * {@link perDateStatistics} on a window of rows: the rows before t0 are exactly the look-back
 * (labels and ranks computed, not written) and the look-ahead lies inside `data` (see there).
 *
 * The engine's shared work, then each registered statistic's fast routes (statistic.ts):
 * 1. the factor's row ranks, once for every horizon and statistic (labels, rank IC, autocorrelation);
 * 2. the quantile labels, when a statistic needs them: one set in the joint universe, else per horizon;
 * 3. per horizon, one pass over the dates that gathers the complete pairs and their moments once
 *    (and, with `forwardOrder`, ranks their returns by a walk of the presorted returns) and feeds
 *    every statistic's `pairs` step, then each statistic's `rows` kernel.
 */
function statisticsOfRows(
  data: FactorData,
  options: AnalyzeOptions,
  out: PerDateStatistics,
  t0: number,
  t1: number,
  scratch?: StatisticsScratch,
): void {
  const nd = data.dates.length,
    m = data.assets.length;
  const binning = options.quantiles ?? DEFAULT_QUANTILES;
  const byGroup = options.byGroup ?? false;
  const factor = data.factor;
  // Each factor row is ranked once: for the labels (no per-date sort), the rank IC of every horizon
  // and the rank autocorrelation.
  const cells = nd * m;
  if (scratch !== undefined && scratch.ranks.length < cells) {
    scratch.ranks = new Float64Array(cells);
    scratch.labels = new Int32Array(cells);
  }
  const factorRanks = scratch !== undefined ? scratch.ranks.subarray(0, cells) : new Float64Array(cells);
  if (t1 > 0) rowRanks(factor.values.subarray(0, t1 * m), t1, m, factorRanks.subarray(0, t1 * m));
  const labelOptions = { binning, byGroup, groups: data.groups, factorRanks };
  const labels: QuantileLabels = {
    dates: data.dates,
    assets: data.assets,
    quantiles: out.quantiles,
    labels: scratch !== undefined ? scratch.labels.subarray(0, cells) : new Int32Array(cells),
    unlabeled: 0,
    singleValueSections: 0,
  };
  const labelRows = (mask: Panel | undefined, counts: HorizonRows['labels']): void => {
    const o = { ...labelOptions, mask };
    quantileLabelRows(factor, o, labels.labels, 0, t0);
    quantileLabelRows(factor, o, labels.labels, t0, t1, counts);
  };
  const present = out.horizons.map((hr) => ENGINE_STATISTICS.filter((s) => rowsOf(hr, s.name) !== undefined));
  const needLabels = present.some((list) => list.some((s) => s.needsLabels === true));
  // In the joint universe every horizon shares one set of labels; pairwise masks per horizon.
  const joint = data.universe === 'joint';
  if (needLabels && joint) labelRows(undefined, out.horizons[0].labels);
  const contexts = out.horizons.map((hr): RowsContext => ({
    data,
    options,
    horizon: hr.horizon,
    step: hr.step,
    quantiles: out.quantiles,
    nDates: nd,
    forward: data.forward.get(hr.horizon) as Panel,
    factorRanks,
    labels,
    // the joint pass gathers the labels of each date's pairs for the pair steps (pairPassJoint)
    ...(joint && needLabels ? { pairLabels: true } : {}),
  }));
  // the pair steps of every horizon: one gather of the complete pairs and their moments per date, for every statistic that asks
  const steps = out.horizons.map((hr, k) => {
    const ctx = contexts[k],
      stats = present[k];
    for (const s of stats) s.check?.(ctx, rowsOf(hr, s.name));
    const list: ((p: PairSample, t: number) => void)[] = [];
    for (const s of stats) {
      const step = s.pairs?.(ctx, rowsOf(hr, s.name));
      if (step) list.push(step);
    }
    return list;
  });
  const returnsOrder = (k: number): ReturnsOrderOfRows | null => returnsOrderFor(data, options.forwardOrder, out.horizons[k].horizon);
  if (joint) {
    // the factor side of the pairs gathered once per date for every horizon (pairStats.ts pairPassJoint)
    const withSteps = out.horizons.flatMap((_, k) =>
      steps[k].length > 0 ? [{ forward: contexts[k].forward, steps: steps[k], returnsOrder: returnsOrder(k) }] : [],
    );
    if (withSteps.length > 0) pairPassJoint(factor, factorRanks, withSteps, t0, t1, needLabels ? labels.labels : null);
  }
  out.horizons.forEach((hr, k) => {
    const ctx = contexts[k],
      forward = ctx.forward,
      stats = present[k];
    if (!joint && steps[k].length > 0) pairPass(factor, forward, factorRanks, steps[k], t0, t1, returnsOrder(k));
    if (needLabels) {
      if (!joint) labelRows(forward, hr.labels);
      else if (k > 0) {
        const first = out.horizons[0].labels;
        hr.labels.unlabeled.set(first.unlabeled.subarray(t0, t1), t0);
        hr.labels.single.set(first.single.subarray(t0, t1), t0);
      }
    }
    for (const s of stats) s.rows?.(ctx, rowsOf(hr, s.name), t0, t1);
  });
}

/**
 * The {@link FactorAnalysisResults} from the per-date arrays of every formation date: each
 * registered statistic's summary over dates (statistic.ts `summarize`), computed once from the
 * whole series, as its section of the result (in registry order, one entry per horizon), with the
 * prepared data and the options kept beside it.
 */
export function summarizeAnalysis(data: FactorData, options: AnalyzeOptions, rows: PerDateStatistics): FactorAnalysisResults {
  const threshold = options.icThreshold ?? DEFAULT_IC_THRESHOLD;
  const dates = isoDates(data.dates);
  if (rows.nDates !== data.dates.length)
    throw new RangeError(`summarizeAnalysis: per-date arrays of ${rows.nDates} dates for ${data.dates.length} formation dates`);
  const result: Record<string, unknown> = {
    horizons: data.horizons,
    steps: {},
    universe: data.universe,
    minAssets: data.minAssets,
    icThreshold: threshold,
    executionLag: data.executionLag,
    periodsPerYear: data.periodsPerYear,
    nDates: data.dates.length,
    nAssets: data.assets.length,
    firstDate: dates.length > 0 ? dates[0] : null,
    lastDate: dates.length > 0 ? dates[dates.length - 1] : null,
  };
  const sections: Record<string, Record<string, unknown>> = {};
  for (const s of ENGINE_STATISTICS) {
    if (s.alwaysInResult || rows.horizons.some((hr) => rowsOf(hr, s.name) !== undefined)) {
      sections[s.name] = {};
      result[s.name] = sections[s.name];
    }
  }
  result.dataLoss = data.dataLoss;
  for (const hr of rows.horizons) {
    const key = String(hr.horizon);
    (result.steps as Record<string, number>)[key] = hr.step;
    const ctx: SummaryContext = {
      data,
      options,
      horizon: hr.horizon,
      step: hr.step,
      quantiles: rows.quantiles,
      nDates: data.dates.length,
      isoDates: dates,
      all: hr as unknown as SummaryContext['all'],
    };
    for (const s of ENGINE_STATISTICS) {
      const own = rowsOf(hr, s.name);
      if (own !== undefined) sections[s.name][key] = s.summarize(ctx, own);
    }
  }
  return new FactorAnalysisResults(result as unknown as FactorAnalysis, data, options);
}

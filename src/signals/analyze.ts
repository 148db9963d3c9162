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
import { calendarToIso } from '../core/calendar.js';
import { formatIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { nanMean } from '../stats/descriptive.js';
import { rowRanks } from '../stats/ranks.js';
import { DEFAULT_IC_THRESHOLD, summarizeSeries, type SeriesSummary } from './summary.js';
import { type DataLoss } from './dataLoss.js';
import { DEFAULT_HORIZONS, prepareFactorData, rebalanceStep, type FactorData, type FactorDataInput, type Universe } from './factorData.js';
import {
  icByGroupFromRows, icByGroupRows, icDecayRows, icMonthlyTable, icSkipCounts, summarizeIcDecay,
  type IcAnalysis, type IcByGroup, type IcDecayPoint, type IcMonthlyTable,
} from './ic.js';
import {
  DEFAULT_QUANTILES, createQuantileMeanRows, quantileCount, quantileLabelRows, quantileMeanRows, quantileReturnsFromRows,
  type BinSpec, type QuantileLabels, type QuantileMeans, type SeriesStats,
} from './quantiles.js';
import { regressionFromRows, type RegressionOptions, type RegressionTest } from './regression.js';
import { pairStatisticsRows } from './pairStats.js';
import { quantileTurnoverRows, rankAutocorrelationRows } from './turnover.js';

export interface AnalyzeOptions {
  /** Horizons in rows of the price calendar (default 1, 5, 21). */
  horizons?: readonly number[];
  /** Number of quantiles (default 5) or a bin specification. */
  quantiles?: number | BinSpec;
  /** Quantiles within each group per date (industry-neutral). Needs groups. */
  byGroup?: boolean;
  /** Default 'joint' (alphalens): one universe for every horizon. */
  universe?: Universe;
  /** Fewest assets a date needs (default 3). */
  minAssets?: number;
  /** |IC| threshold of `shareAboveThreshold` (default 0.03). */
  icThreshold?: number;
  /** Rows between the signal's date and the entry (default 0). */
  executionLag?: number;
  /** Largest share of observations the pipeline may lose (default 0.35). */
  maxLoss?: number;
  groups?: FactorDataInput['groups'];
  /** Weights such as market cap, for the weighted quantile means and WLS. */
  weights?: Panel;
  /** Options of the regression test (z-scored factor, group / size controls, WLS). */
  regression?: Pick<RegressionOptions, 'factorScale' | 'size' | 'logSize' | 'weightTransform' | 'tThreshold'> & { groupControls?: boolean; wls?: boolean };
  /** Forward returns already computed from the same prices, shared between factors. */
  forwardReturns?: FactorDataInput['forwardReturns'];
  /** IC decay: lags in formation rows (e.g. 0..10) at which to summarise the IC of every horizon. Off by default. */
  decayLags?: readonly number[];
  /** Periods per year for annualising (default: from the factor calendar; see FactorDataInput). */
  periodsPerYear?: number;
}

type Num = number; // NaN is written as null by JSON.stringify

export interface SpreadJson extends Omit<SeriesStats, never> {
  perDate: Num[];
}

export interface QuantileVariantJson {
  meanReturn: Record<string, Num[]>;
  meanOverDates: Record<string, Num>;
  stdError: Record<string, Num>;
  spread: SpreadJson;
}

export interface QuantileAnalysisJson extends QuantileVariantJson {
  horizon: number;
  step: number;
  quantiles: number;
  dates: string[];
  count: Record<string, number[]>;
  demeaned: QuantileVariantJson;
  weighted?: QuantileVariantJson;
  factorWeighted?: { perDate: Num[] } & SeriesStats;
  nav: { dates: string[]; values: Record<string, Num[]>; step: number };
  annualizedReturn: Record<string, Num>;
  monotonicity: Num;
  unlabeled: number;
  singleValueSections: number;
}

export interface TurnoverJson {
  lag: number;
  dates: string[];
  perDate: Record<string, Num[]>;
  meanByQuantile: Record<string, Num>;
  rankAutocorrelation: { perDate: Num[]; mean: Num };
}

export interface FactorAnalysis {
  horizons: number[];
  /** Formation rows per horizon (see the module comment). */
  steps: Record<string, number>;
  universe: Universe;
  minAssets: number;
  icThreshold: number;
  executionLag: number;
  periodsPerYear: number;
  nDates: number;
  nAssets: number;
  firstDate: string | null;
  lastDate: string | null;
  ic: Record<string, IcAnalysis>;
  quantiles: Record<string, QuantileAnalysisJson>;
  regression: Record<string, RegressionTest>;
  turnover: Record<string, TurnoverJson>;
  /** Month-by-year tables of the mean IC and rank IC, per horizon. */
  icMonthly: Record<string, { pearson: IcMonthlyTable; spearman: IcMonthlyTable }>;
  /** IC within each group per date, summarised per group (only with groups). */
  icByGroup?: Record<string, IcByGroup>;
  /** IC summaries at each decay lag (only when `decayLags` was given). */
  icDecay?: Record<string, IcDecayPoint[]>;
  dataLoss: DataLoss;
}

const isoDates = (d: ArrayLike<number>): string[] => Array.from(d, formatIsoDate);
const byQuantile = <T>(values: readonly T[]): Record<string, T> => Object.fromEntries(values.map((v, k) => [String(k + 1), v]));

function variantJson(v: QuantileMeans): QuantileVariantJson {
  return {
    meanReturn: byQuantile(v.perDate.map((s) => Array.from(s))),
    meanOverDates: byQuantile(Array.from(v.meanOverDates)),
    stdError: byQuantile(Array.from(v.stdError)),
    spread: { perDate: Array.from(v.spread), ...v.spreadStats },
  };
}

/** Runs the whole single-factor test. Bad input throws an `InputError`. */
export function analyzeFactor(input: { factor: Panel; prices: Panel }, options: AnalyzeOptions = {}): FactorAnalysis {
  const data = prepareFactorData(factorDataInput(input, options));
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
  };
}

/** The statistics of an already prepared {@link FactorData}. */
export function analyzeFactorData(data: FactorData, options: AnalyzeOptions = {}): FactorAnalysis {
  const rows = createPerDateStatistics(data, options);
  perDateStatistics(data, options, rows, 0, data.dates.length);
  return summarizeAnalysis(data, options, rows);
}

/** Per-date arrays of one horizon (index t = formation row; `[q − 1]`, `[g]`, `[lag index]` as noted). */
export interface HorizonRows {
  horizon: number;
  /** {@link rebalanceStep}: the turnover lag, NW lags and NAV step in formation rows. */
  step: number;
  ic: { pearson: Float64Array; spearman: Float64Array; n: Int32Array };
  /** Per group g (with groups). */
  icByGroup?: { pearson: Float64Array[]; spearman: Float64Array[]; n: Int32Array[] };
  /** Per decay lag (with `decayLags`). */
  icDecay?: { pearson: Float64Array[]; spearman: Float64Array[] };
  regression: { factorReturn: Float64Array; t: Float64Array; se: Float64Array; r2: Float64Array; n: Int32Array; status: Int32Array };
  /** Per quantile q − 1, and the factor-weighted return per date. */
  quantiles: { count: Int32Array[]; equal: Float64Array[]; demeaned: Float64Array[]; weighted?: Float64Array[]; weightedDemeaned?: Float64Array[]; factorWeighted: Float64Array };
  /** Finite factor cells left without a label, and single-valued sections, per date. */
  labels: { unlabeled: Int32Array; single: Int32Array };
  /** When there are more dates than the step: turnover per quantile q − 1 and the rank autocorrelation. */
  turnover?: { perDate: Float64Array[]; rankAutocorrelation: Float64Array };
}

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

/**
 * Fresh per-date arrays for the analysis of `data` (means NaN, counts 0); `alloc` makes each
 * buffer (default an ArrayBuffer; a SharedArrayBuffer to fill them from worker threads).
 * Validates the binning (`InputError`).
 */
export function createPerDateStatistics(data: FactorData, options: AnalyzeOptions = {}, alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b)): PerDateStatistics {
  const nd = data.dates.length;
  const Q = quantileCount(options.quantiles ?? DEFAULT_QUANTILES);
  const G = data.groups ? data.groups.names.length : 0;
  const f = (): Float64Array => new Float64Array(alloc(nd * 8)).fill(NaN);
  const i = (): Int32Array => new Int32Array(alloc(nd * 4));
  const times = <T>(k: number, make: () => T): T[] => Array.from({ length: k }, make);
  const lags = options.decayLags;
  const horizons = data.horizons.map((h): HorizonRows => {
    const step = rebalanceStep(data, h);
    return {
      horizon: h,
      step,
      ic: { pearson: f(), spearman: f(), n: i() },
      ...(data.groups ? { icByGroup: { pearson: times(G, f), spearman: times(G, f), n: times(G, i) } } : {}),
      ...(lags ? { icDecay: { pearson: times(lags.length, f), spearman: times(lags.length, f) } } : {}),
      regression: { factorReturn: f(), t: f(), se: f(), r2: f(), n: i(), status: i() },
      quantiles: { ...createQuantileMeanRows(nd, Q, data.weights !== undefined, false, alloc), factorWeighted: f() },
      labels: { unlabeled: i(), single: i() },
      ...(nd > step ? { turnover: { perDate: times(Q, f), rankAutocorrelation: f() } } : {}),
    };
  });
  return { nDates: nd, quantiles: Q, horizons };
}

/** The regression options of the analysis (per-date fits and their summary). */
function regressionOptions(data: FactorData, options: AnalyzeOptions, step: number): RegressionOptions {
  const reg = options.regression ?? {};
  return {
    horizon: step,
    periodsPerYear: data.periodsPerYear,
    threshold: options.icThreshold ?? DEFAULT_IC_THRESHOLD,
    minAssets: Math.max(3, data.minAssets),
    factorScale: reg.factorScale,
    groups: reg.groupControls ? data.groups : undefined,
    size: reg.size,
    logSize: reg.logSize,
    weights: reg.wls ? data.weights : undefined,
    weightTransform: reg.weightTransform,
    tThreshold: reg.tThreshold,
  };
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
export function perDateStatistics(data: FactorData, options: AnalyzeOptions, out: PerDateStatistics, t0: number, t1: number, scratch?: StatisticsScratch): void {
  const nd = data.dates.length;
  if (!(Number.isInteger(t0) && Number.isInteger(t1) && 0 <= t0 && t0 <= t1 && t1 <= nd)) throw new RangeError(`perDateStatistics: rows [${t0}, ${t1}) are outside [0, ${nd})`);
  if (out.nDates !== nd) throw new RangeError(`perDateStatistics: per-date arrays of ${out.nDates} dates for ${nd} formation dates`);
  let lookback = 0;
  for (const hr of out.horizons) if (hr.turnover) lookback = Math.max(lookback, hr.step);
  let ahead = 0;
  for (const lag of options.decayLags ?? []) if (Number.isInteger(lag) && lag > ahead) ahead = lag;
  const lo = Math.max(0, t0 - lookback), hi = Math.min(nd, t1 + ahead);
  if (lo === 0 && hi === nd) { statisticsOfRows(data, options, out, t0, t1, scratch); return; }
  statisticsOfRows(windowData(data, lo, hi), windowOptions(options, lo, hi), windowRows(out, lo, hi), t0 - lo, t1 - lo, scratch);
}

/**
 * Buffers a thread can hand to successive {@link perDateStatistics} calls (e.g. the chunks it
 * claims), so each call reuses them instead of allocating (and page-faulting) its own: the
 * window's factor ranks and quantile labels. Grown on demand; create with {@link createStatisticsScratch}.
 */
export interface StatisticsScratch {
  ranks: Float64Array;
  labels: Int32Array;
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
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, sliceRows(v as unknown, lo, hi)])) as T;
  return x;
}

function windowRows(out: PerDateStatistics, lo: number, hi: number): PerDateStatistics {
  return { nDates: hi - lo, quantiles: out.quantiles, horizons: out.horizons.map((hr) => sliceRows(hr, lo, hi)) };
}

/**
 * {@link perDateStatistics} on a window of rows: the rows before t0 are exactly the look-back
 * (labels and ranks computed, not written) and the look-ahead lies inside `data` (see there).
 */
function statisticsOfRows(data: FactorData, options: AnalyzeOptions, out: PerDateStatistics, t0: number, t1: number, scratch?: StatisticsScratch): void {
  const nd = data.dates.length, m = data.assets.length;
  const binning = options.quantiles ?? DEFAULT_QUANTILES;
  const byGroup = options.byGroup ?? false;
  const factor = data.factor, minAssets = data.minAssets;
  // Each factor row is ranked once: for the labels (no per-date sort), the rank IC of every horizon
  // and the rank autocorrelation.
  const cells = nd * m;
  if (scratch !== undefined && scratch.ranks.length < cells) { scratch.ranks = new Float64Array(cells); scratch.labels = new Int32Array(cells); }
  const factorRanks = scratch !== undefined ? scratch.ranks.subarray(0, cells) : new Float64Array(cells);
  if (t1 > 0) rowRanks(factor.values.subarray(0, t1 * m), t1, m, factorRanks.subarray(0, t1 * m));
  const labelOptions = { binning, byGroup, groups: data.groups, factorRanks };
  const labels: QuantileLabels = { dates: data.dates, assets: data.assets, quantiles: out.quantiles, labels: scratch !== undefined ? scratch.labels.subarray(0, cells) : new Int32Array(cells), unlabeled: 0, singleValueSections: 0 };
  const labelRows = (mask: Panel | undefined, counts: HorizonRows['labels']): void => {
    const o = { ...labelOptions, mask };
    quantileLabelRows(factor, o, labels.labels, 0, t0);
    quantileLabelRows(factor, o, labels.labels, t0, t1, counts);
  };
  // In the joint universe every horizon shares one set of labels; pairwise masks per horizon.
  const joint = data.universe === 'joint';
  if (joint) labelRows(undefined, out.horizons[0].labels);
  out.horizons.forEach((hr, k) => {
    const forward = data.forward.get(hr.horizon) as Panel;
    // IC, rank IC, factor-weighted return and (without controls) the regression: one gather per date
    pairStatisticsRows(factor, forward, { minAssets, factorRanks, regression: regressionOptions(data, options, hr.step) },
      { ic: hr.ic, factorWeighted: hr.quantiles.factorWeighted, regression: hr.regression }, t0, t1);
    if (hr.icByGroup && data.groups) icByGroupRows(factor, forward, data.groups, { minAssets }, hr.icByGroup, t0, t1);
    if (hr.icDecay && options.decayLags) icDecayRows(factor, forward, { minAssets, decayLags: options.decayLags, factorRanks }, hr.icDecay, t0, t1);
    if (!joint) labelRows(forward, hr.labels);
    else if (k > 0) {
      const first = out.horizons[0].labels;
      hr.labels.unlabeled.set(first.unlabeled.subarray(t0, t1), t0);
      hr.labels.single.set(first.single.subarray(t0, t1), t0);
    }
    quantileMeanRows(labels, forward, { weights: data.weights }, hr.quantiles, t0, t1);
    if (hr.turnover) {
      quantileTurnoverRows(labels, hr.step, hr.turnover.perDate, t0, t1);
      rankAutocorrelationRows(factorRanks, m, hr.step, hr.turnover.rankAutocorrelation, t0, t1);
    }
  });
}

function sum(a: Int32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/**
 * The {@link FactorAnalysis} from the per-date arrays of every formation date: the summaries over
 * dates (IC, quantile means, spread, NAV, regression, turnover means, month-by-year tables, IC by
 * group and decay), computed once from the whole series.
 */
export function summarizeAnalysis(data: FactorData, options: AnalyzeOptions, rows: PerDateStatistics): FactorAnalysis {
  const threshold = options.icThreshold ?? DEFAULT_IC_THRESHOLD;
  const P = data.periodsPerYear;
  const dates = isoDates(data.dates);
  if (rows.nDates !== data.dates.length) throw new RangeError(`summarizeAnalysis: per-date arrays of ${rows.nDates} dates for ${data.dates.length} formation dates`);
  const result: FactorAnalysis = {
    horizons: data.horizons,
    steps: {},
    universe: data.universe,
    minAssets: data.minAssets,
    icThreshold: threshold,
    executionLag: data.executionLag,
    periodsPerYear: P,
    nDates: data.dates.length,
    nAssets: data.assets.length,
    firstDate: dates.length > 0 ? dates[0] : null,
    lastDate: dates.length > 0 ? dates[dates.length - 1] : null,
    ic: {},
    quantiles: {},
    regression: {},
    turnover: {},
    icMonthly: {},
    ...(data.groups ? { icByGroup: {} } : {}),
    ...(options.decayLags ? { icDecay: {} } : {}),
    dataLoss: data.dataLoss,
  };
  for (const hr of rows.horizons) {
    const h = hr.horizon, step = hr.step, key = String(h);
    result.steps[key] = step;
    const seriesOptions = { horizon: step, periodsPerYear: P, threshold };
    const pearson = Array.from(hr.ic.pearson), spearman = Array.from(hr.ic.spearman);
    const [skipped, skippedTooFew] = icSkipCounts(pearson, spearman, hr.ic.n, data.minAssets);
    const ic: IcAnalysis = {
      dates: calendarToIso(data.dates), pearson, spearman, n: Array.from(hr.ic.n), minAssets: data.minAssets, skipped, skippedTooFew,
      horizon: step,
      summary: { pearson: summarizeSeries(pearson, seriesOptions), spearman: summarizeSeries(spearman, seriesOptions) },
    };
    result.ic[key] = ic;
    result.icMonthly[key] = { pearson: icMonthlyTable(data.dates, ic.pearson), spearman: icMonthlyTable(data.dates, ic.spearman) };
    if (result.icByGroup && data.groups && hr.icByGroup) {
      result.icByGroup[key] = icByGroupFromRows(data.dates, data.groups.names, hr.icByGroup.pearson, hr.icByGroup.spearman, hr.icByGroup.n, seriesOptions);
    }
    if (result.icDecay && options.decayLags && hr.icDecay) {
      result.icDecay[key] = summarizeIcDecay(options.decayLags, hr.icDecay.pearson.map((a) => Array.from(a)), hr.icDecay.spearman.map((a) => Array.from(a)), seriesOptions);
    }
    result.regression[key] = regressionFromRows(data.dates, hr.regression, regressionOptions(data, options, step));
    const qr = quantileReturnsFromRows(data.dates, rows.quantiles, hr.quantiles, { horizon: h, step, periodsPerYear: P, weights: data.weights, factor: data.factor });
    result.quantiles[key] = {
      horizon: h,
      step,
      quantiles: qr.quantiles,
      dates,
      count: byQuantile(qr.count.map((c) => Array.from(c))),
      ...variantJson(qr.equal),
      demeaned: variantJson(qr.demeaned),
      ...(qr.weighted ? { weighted: variantJson(qr.weighted) } : {}),
      ...(qr.factorWeighted ? { factorWeighted: { perDate: Array.from(qr.factorWeighted.perDate), ...qr.factorWeighted.stats } } : {}),
      nav: { dates: isoDates(qr.nav.dates), values: byQuantile(qr.nav.values.map((v) => Array.from(v))), step: qr.nav.step },
      annualizedReturn: byQuantile(Array.from(qr.nav.annualizedReturn)),
      monotonicity: qr.monotonicity,
      unlabeled: sum(hr.labels.unlabeled),
      singleValueSections: sum(hr.labels.single),
    };
    if (hr.turnover) {
      const ac = hr.turnover.rankAutocorrelation;
      result.turnover[key] = {
        lag: step,
        dates,
        perDate: byQuantile(hr.turnover.perDate.map((s) => Array.from(s))),
        meanByQuantile: byQuantile(Array.from(Float64Array.from(hr.turnover.perDate, (s) => nanMean(s)))),
        rankAutocorrelation: { perDate: Array.from(ac), mean: nanMean(ac) },
      };
    }
  }
  return result;
}

/** The few numbers per horizon a researcher reads first (for the CLI summary). */
export interface AnalysisHeadline {
  horizon: number;
  ic: SeriesSummary;
  rankIc: SeriesSummary;
  spreadMean: number;
  spreadT: number;
  spreadTNW: number;
  monotonicity: number;
  meanAbsT: number;
  shareAbsTAbove2: number;
  meanFactorReturn: number;
  factorReturnTNW: number;
  turnoverTop: number;
  turnoverBottom: number;
  rankAutocorrelation: number;
}

export function analysisHeadlines(a: FactorAnalysis): AnalysisHeadline[] {
  return a.horizons.map((h) => {
    const k = String(h);
    const q = a.quantiles[k];
    const Q = q.quantiles;
    const to = a.turnover[k];
    const r = a.regression[k].summary;
    return {
      horizon: h,
      ic: a.ic[k].summary.pearson,
      rankIc: a.ic[k].summary.spearman,
      spreadMean: q.spread.mean,
      spreadT: q.spread.tStat,
      spreadTNW: q.spread.tStatNW,
      monotonicity: q.monotonicity,
      meanAbsT: r.meanAbsT,
      shareAbsTAbove2: r.shareAbsTAbove2,
      meanFactorReturn: r.meanFactorReturn,
      factorReturnTNW: r.tStatNW,
      turnoverTop: to ? to.meanByQuantile[String(Q)] : NaN,
      turnoverBottom: to ? to.meanByQuantile['1'] : NaN,
      rankAutocorrelation: to ? to.rankAutocorrelation.mean : NaN,
    };
  });
}

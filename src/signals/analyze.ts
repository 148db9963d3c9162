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
import type { Panel } from '../core/panel.js';
import { rowRanks } from '../stats/ranks.js';
import { DEFAULT_IC_THRESHOLD, type SeriesSummary } from './summary.js';
import { type DataLoss } from './dataLoss.js';
import { DEFAULT_HORIZONS, prepareFactorData, rebalanceStep, type FactorData, type FactorDataInput, type Universe } from './factorData.js';
import { icAnalysis, icByGroup, icDecay, icMonthlyTable, type IcByGroup, type IcDecayPoint, type IcMonthlyTable } from './ic.js';
import { DEFAULT_QUANTILES, quantileLabels, quantileReturns, type BinSpec, type QuantileMeans, type SeriesStats } from './quantiles.js';
import { regressionTest, type RegressionOptions } from './regression.js';
import { factorRankAutocorrelation, quantileTurnover } from './turnover.js';

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
  ic: Record<string, ReturnType<typeof icAnalysis>>;
  quantiles: Record<string, QuantileAnalysisJson>;
  regression: Record<string, ReturnType<typeof regressionTest>>;
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
  const data = prepareFactorData({
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
  });
  return analyzeFactorData(data, options);
}

/** The statistics of an already prepared {@link FactorData}. */
export function analyzeFactorData(data: FactorData, options: AnalyzeOptions = {}): FactorAnalysis {
  const threshold = options.icThreshold ?? DEFAULT_IC_THRESHOLD;
  const binning = options.quantiles ?? DEFAULT_QUANTILES;
  const byGroup = options.byGroup ?? false;
  const P = data.periodsPerYear;
  const dates = isoDates(data.dates);
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
  // In the joint universe every horizon shares one set of labels; pairwise masks per horizon.
  // Each factor row is ranked once: for the labels (no per-date sort), the rank IC of every
  // horizon and the rank autocorrelation.
  const factorRanks = rowRanks(data.factor.values, data.factor.nDates, data.factor.nAssets);
  const jointLabels = data.universe === 'joint' ? quantileLabels(data.factor, { binning, byGroup, groups: data.groups, factorRanks }) : undefined;
  const reg = options.regression ?? {};
  for (const h of data.horizons) {
    const key = String(h);
    const forward = data.forward.get(h) as Panel;
    const step = rebalanceStep(data, h);
    result.steps[key] = step;
    const seriesOptions = { horizon: step, periodsPerYear: P, threshold };
    const ic = icAnalysis(data.factor, forward, { ...seriesOptions, minAssets: data.minAssets, factorRanks });
    result.ic[key] = ic;
    result.icMonthly[key] = { pearson: icMonthlyTable(data.dates, ic.pearson), spearman: icMonthlyTable(data.dates, ic.spearman) };
    if (result.icByGroup && data.groups) result.icByGroup[key] = icByGroup(data.factor, forward, data.groups, { ...seriesOptions, minAssets: data.minAssets });
    if (result.icDecay && options.decayLags) {
      result.icDecay[key] = icDecay(data.factor, forward, { ...seriesOptions, minAssets: data.minAssets, decayLags: options.decayLags, factorRanks });
    }
    result.regression[key] = regressionTest(data.factor, forward, {
      ...seriesOptions,
      minAssets: Math.max(3, data.minAssets),
      factorScale: reg.factorScale,
      groups: reg.groupControls ? data.groups : undefined,
      size: reg.size,
      logSize: reg.logSize,
      weights: reg.wls ? data.weights : undefined,
      weightTransform: reg.weightTransform,
      tThreshold: reg.tThreshold,
    });
    const labels = jointLabels ?? quantileLabels(data.factor, { binning, byGroup, groups: data.groups, mask: forward, factorRanks });
    const qr = quantileReturns(labels, forward, { horizon: h, step, periodsPerYear: P, weights: data.weights, factor: data.factor });
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
      unlabeled: labels.unlabeled,
      singleValueSections: labels.singleValueSections,
    };
    if (data.dates.length > step) {
      const to = quantileTurnover(labels, step);
      const ac = factorRankAutocorrelation(data.factor, step, factorRanks);
      result.turnover[key] = {
        lag: step,
        dates,
        perDate: byQuantile(to.perDate.map((s) => Array.from(s))),
        meanByQuantile: byQuantile(Array.from(to.mean)),
        rankAutocorrelation: { perDate: Array.from(ac.perDate), mean: ac.mean },
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

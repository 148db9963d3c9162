/**
 * Information coefficient: the cross-sectional correlation, per formation date t, between the
 * factor f_t and the forward return over horizon h from t, fwd_h(t) = p_{t+h}/p_t − 1.
 *
 * - Pearson ("normal IC") r_t = Σ (f − f̄)(r − r̄) / sqrt(Σ (f − f̄)² Σ (r − r̄)²)
 * - Spearman ("rank IC") ρ_t = Pearson of the average ranks (ties share their mean rank) of the
 *   n_t complete pairs (DESIGN.md; scipy.stats.spearmanr on the pairs, pearsonr for r_t).
 * The sample of date t is the assets where both the factor and the forward return are present
 * (the per-horizon `pairwise` universe; the caller NaN-masks the forward panel for `joint`).
 * A date with fewer than `minAssets` pairs (default 3), or with a constant factor or return,
 * has NaN ICs and is counted in `skipped` (never a silent 0).
 *
 * Also here: IC decay (the IC of f_t with the forward return starting `lag` rows later,
 * fwd_h(t + lag), for lag = 0, 1, ...), IC by group (the same per-date ICs within each group, then
 * summarised) and a month-by-year table of mean IC. Summaries: summary.ts.
 *
 * The per-date loop allocates nothing: one index buffer and one correlation scratch are reused.
 * Speed: pass `factorRanks` (stats `rowRanks` of the factor panel) to rank each factor row once
 * for several horizons; a date whose complete pairs are the row's every non-NaN factor value (always
 * in the 'joint' universe) then ranks only its returns. Others rank both sides as before; the
 * numbers are identical either way. `icDecay` does this itself across its lags.
 */
import { InputError } from '../core/errors.js';
import { checkOneOf, checkOptionNames, checkSameGrid } from '../core/checks.js';
import { calendarToIso } from '../core/calendar.js';
import type { Calendar } from '../core/calendar.js';
import { civilFromDays, dayOfWeek, daysFromCivil, formatIsoDate, monthEnd } from '../core/dates.js';
import type { Panel } from '../core/panel.js';
import {
  createCorrelationScratch,
  pearsonAt,
  spearmanAt,
  spearmanGathered,
  spearmanOfGathered,
  spearmanRanked,
  spearmanReturnsRanked,
} from '../stats/correlation.js';
import { rowRanks } from '../stats/ranks.js';
import type { CorrelationScratch } from '../stats/correlation.js';
import { checkGroups } from './preprocess.js';
import { createPairMoments, gatherPairs, pairMoments, pearsonOfMoments, type PairMoments } from './pairMoments.js';
import type { GroupCodes } from './groups.js';
import { DEFAULT_MIN_ASSETS } from './factorData.js';
import { summarizeSeriesOf } from './summary.js';
import type { SeriesSummary, SeriesSummaryOptions } from './summary.js';

export interface IcOptions {
  /** Minimum complete pairs per date (default 3; at least 2). */
  minAssets?: number;
  /**
   * Average ranks of each factor row (stats `rowRanks(factor.values, nDates, nAssets)`), to share
   * one ranking of the factor between horizons. Only a speed-up: the result is the same.
   */
  factorRanks?: Float64Array;
}

/** Per-date ICs on the formation dates. Arrays are plain (JSON writes NaN as null). */
export interface IcSeries {
  dates: string[];
  pearson: number[];
  spearman: number[];
  /** Complete pairs per date. */
  n: number[];
  minAssets: number;
  /** Dates with NaN IC: fewer than minAssets pairs, or zero spread of factor or return. */
  skipped: number;
  /** Of those, the dates with fewer than minAssets pairs. */
  skippedTooFew: number;
}

export interface IcAnalysis extends IcSeries {
  horizon: number;
  summary: { pearson: SeriesSummary; spearman: SeriesSummary };
}

export interface IcAnalysisOptions extends IcOptions, SeriesSummaryOptions {}

/** The factor and forward returns on the same formation dates and assets (core/checks.ts `checkSameGrid`). */
function checkShape(factor: Panel, forward: Panel): void {
  checkSameGrid('factor', factor, 'forward returns', forward);
}

function checkRanks(factor: Panel, ranks: Float64Array | undefined): Float64Array | null {
  if (ranks === undefined) return null;
  if (ranks.length !== factor.values.length)
    throw new InputError(
      `factorRanks has ${ranks.length} values, expected ${factor.values.length} (one rank per cell of the factor panel)`,
      {
        options: ['factorRanks'],
        hint: 'leave factorRanks out, or pass the ranks of this factor panel',
      },
    );
  return ranks;
}

function resolveMinAssets(o: IcOptions): number {
  const k = o.minAssets ?? DEFAULT_MIN_ASSETS;
  if (!(Number.isInteger(k) && k >= 2)) throw new InputError(`minAssets must be an integer >= 2, got ${k}`);
  return k;
}

/** A writable per-date array: a plain array or a typed array (e.g. over shared memory). */
export type NumArray = number[] | Float64Array | Int32Array;

/**
 * The ICs of date t from its complete pairs, gathered in `s` with their moments `mo`
 * (pairMoments.ts: gatherPairs with the factor's row ranks when `ranks` is true, then pairMoments
 * when mo.n > 0): count[t] = n; below `minAssets` both ICs are NaN. Pearson from the moments;
 * Spearman ranks the returns only when the pairs are every non-NaN factor value of the row (so the
 * row's ranks are the pairs' ranks), both sides otherwise; with `returnsRanked` (s.rb holds the
 * returns' ranks among the pairs, from the presorted returns: pairStats.ts) the returns are not
 * ranked again. Returns 0 (both finite), 1 (an IC is NaN: constant side) or 2 (too few pairs).
 */
export function icOfPairs(
  s: CorrelationScratch,
  mo: PairMoments,
  ranks: boolean,
  minAssets: number,
  pear: NumArray | null,
  spear: NumArray | null,
  count: NumArray,
  t: number,
  returnsRanked = false,
): 0 | 1 | 2 {
  const c = mo.n;
  count[t] = c;
  if (c < minAssets) {
    if (pear) pear[t] = NaN;
    if (spear) spear[t] = NaN;
    return 2;
  }
  let bad = false;
  if (pear) {
    const v = pearsonOfMoments(mo);
    pear[t] = v;
    bad = v !== v;
  }
  if (spear) {
    const own = ranks && c === mo.present; // the factor's row ranks are the pairs' ranks
    const v = returnsRanked
      ? own
        ? spearmanRanked(s, c)
        : spearmanReturnsRanked(s, c)
      : own
        ? spearmanGathered(s, c)
        : spearmanOfGathered(s, c);
    spear[t] = v;
    bad = bad || v !== v;
  }
  return bad ? 1 : 0;
}

/**
 * ICs of factor row t with forward row t + lag (lag >= 0) for the rows [t0, t1); rows whose
 * forward row is outside the panel are NaN. Writes into the output arrays; returns [skipped,
 * skippedTooFew] of the range.
 */
function icRows(
  factor: Panel,
  forward: Panel,
  lag: number,
  minAssets: number,
  scratch: CorrelationScratch,
  mo: PairMoments,
  pear: NumArray | null,
  spear: NumArray | null,
  count: NumArray,
  ranks: Float64Array | null,
  t0 = 0,
  t1 = factor.nDates,
): [number, number] {
  const nd = factor.nDates,
    m = factor.nAssets,
    f = factor.values,
    r = forward.values;
  let skipped = 0,
    tooFew = 0;
  for (let t = t0; t < t1; t++) {
    mo.n = 0;
    mo.present = 0;
    if (t + lag < nd && gatherPairs(f, r, t * m, (t + lag) * m, m, scratch, ranks, mo) > 0) pairMoments(scratch.a, scratch.b, mo.n, mo);
    const st = icOfPairs(scratch, mo, ranks !== null, minAssets, pear, spear, count, t);
    if (st !== 0) skipped++;
    if (st === 2) tooFew++;
  }
  return [skipped, tooFew];
}

/** Per-date outputs of the IC rows: pearson[t], spearman[t], n[t] (complete pairs). */
export interface IcRowsOutput {
  pearson: NumArray;
  spearman: NumArray;
  n: NumArray;
}

/**
 * The per-date ICs of the formation rows [t0, t1) only, written into `out` at those rows (the
 * range kernel of {@link informationCoefficient}; each row's numbers do not depend on the range).
 * The checks run before the loop, so an empty range validates the inputs.
 */
export function informationCoefficientRows(
  factor: Panel,
  forward: Panel,
  options: IcOptions,
  out: IcRowsOutput,
  t0: number,
  t1: number,
): void {
  checkShape(factor, forward);
  const minAssets = resolveMinAssets(options);
  const ranks = checkRanks(factor, options.factorRanks);
  const m = factor.nAssets;
  icRows(factor, forward, 0, minAssets, createCorrelationScratch(m), createPairMoments(), out.pearson, out.spearman, out.n, ranks, t0, t1);
}

/** Dates with a NaN IC (either kind) and dates with fewer than minAssets pairs, from the per-date arrays. */
export function icSkipCounts(
  pearson: ArrayLike<number>,
  spearman: ArrayLike<number>,
  n: ArrayLike<number>,
  minAssets: number,
): [number, number] {
  let skipped = 0,
    tooFew = 0;
  for (let t = 0; t < n.length; t++) {
    const p = pearson[t],
      s = spearman[t];
    if (p !== p || s !== s) skipped++;
    if (n[t] < minAssets) tooFew++;
  }
  return [skipped, tooFew];
}

/** Per-date Pearson and Spearman IC of `factor` with `forward` (same shape). */
export function informationCoefficient(factor: Panel, forward: Panel, options: IcOptions = {}): IcSeries {
  checkOptionNames<IcOptions>('informationCoefficient options', options, IC_OPTION_NAMES);
  return icSeries(factor, forward, options);
}

// a misspelt option (`minAsset`, `lag`, `horizons`) ran the default without a word
const IC_OPTION_NAMES: Readonly<Record<keyof IcOptions, true>> = { minAssets: true, factorRanks: true };
const SUMMARY_OPTION_NAMES: Readonly<Record<keyof SeriesSummaryOptions, true>> = {
  horizon: true,
  lags: true,
  periodsPerYear: true,
  threshold: true,
};
const IC_ANALYSIS_OPTION_NAMES: Readonly<Record<keyof IcAnalysisOptions, true>> = { ...IC_OPTION_NAMES, ...SUMMARY_OPTION_NAMES };
const IC_DECAY_OPTION_NAMES: Readonly<Record<keyof IcDecayOptions, true>> = { ...IC_ANALYSIS_OPTION_NAMES, decayLags: true };

function icSeries(factor: Panel, forward: Panel, options: IcOptions): IcSeries {
  checkShape(factor, forward);
  const minAssets = resolveMinAssets(options);
  const nd = factor.nDates,
    m = factor.nAssets;
  const pearson = new Array<number>(nd),
    spearman = new Array<number>(nd),
    n = new Array<number>(nd);
  const ranks = checkRanks(factor, options.factorRanks);
  const [skipped, skippedTooFew] = icRows(
    factor,
    forward,
    0,
    minAssets,
    createCorrelationScratch(m),
    createPairMoments(),
    pearson,
    spearman,
    n,
    ranks,
  );
  return { dates: calendarToIso(factor.dates), pearson, spearman, n, minAssets, skipped, skippedTooFew };
}

/** Per-date ICs plus their summaries (`ic[h]` of the analysis JSON). */
export function icAnalysis(factor: Panel, forward: Panel, options: IcAnalysisOptions = {}): IcAnalysis {
  checkOptionNames<IcAnalysisOptions>('icAnalysis options', options, IC_ANALYSIS_OPTION_NAMES);
  const series = icSeries(factor, forward, options);
  const horizon = options.horizon ?? 1;
  return {
    ...series,
    horizon,
    summary: { pearson: summarizeSeriesOf(series.pearson, options), spearman: summarizeSeriesOf(series.spearman, options) },
  };
}

export interface IcDecayOptions extends IcOptions, SeriesSummaryOptions {
  /** Decay lags in rows of the formation calendar (default 0..10). (`lags` is the NW lag.) */
  decayLags?: readonly number[];
}

export interface IcDecayPoint {
  lag: number;
  pearson: SeriesSummary;
  spearman: SeriesSummary;
}

/**
 * IC decay: for each lag L, the per-date IC of f_t with fwd_h(t + L) (the forward return that
 * starts L rows after formation), summarised over dates. L = 0 is the plain IC.
 */
export function icDecay(factor: Panel, forward: Panel, options: IcDecayOptions = {}): IcDecayPoint[] {
  checkOptionNames<IcDecayOptions>('icDecay options', options, IC_DECAY_OPTION_NAMES);
  const lags = options.decayLags ?? Array.from({ length: 11 }, (_, i) => i);
  const nd = factor.nDates;
  const pearson = lags.map(() => new Array<number>(nd)),
    spearman = lags.map(() => new Array<number>(nd));
  // one ranking of the factor serves every lag
  const ranks = options.factorRanks ?? (lags.length > 1 ? rowRanks(factor.values, nd, factor.nAssets) : undefined);
  icDecayRows(factor, forward, { ...options, decayLags: lags, factorRanks: ranks }, { pearson, spearman }, 0, nd);
  return summarizeIcDecay(lags, pearson, spearman, options);
}

/**
 * The per-date ICs of every decay lag for the formation rows [t0, t1) (lag L of row t reads the
 * forward row t + L, which may lie past t1): out.pearson[i][t] for lag `decayLags[i]`. The range
 * kernel of {@link icDecay}; an empty range validates the inputs.
 */
export function icDecayRows(
  factor: Panel,
  forward: Panel,
  options: IcDecayOptions,
  out: { pearson: NumArray[]; spearman: NumArray[] },
  t0: number,
  t1: number,
): void {
  checkShape(factor, forward);
  const minAssets = resolveMinAssets(options);
  const lags = options.decayLags ?? Array.from({ length: 11 }, (_, i) => i);
  for (const lag of lags)
    if (!(Number.isInteger(lag) && lag >= 0)) throw new InputError(`IC decay lags must be non-negative integers, got ${lag}`);
  const ranks = checkRanks(factor, options.factorRanks);
  const m = factor.nAssets;
  const scratch = createCorrelationScratch(m),
    mo = createPairMoments(),
    n = new Array<number>(factor.nDates);
  lags.forEach((lag, i) => {
    icRows(factor, forward, lag, minAssets, scratch, mo, out.pearson[i], out.spearman[i], n, ranks, t0, t1);
  });
}

/** The IC decay points from the per-date ICs of every lag (summary.ts over all dates). */
export function summarizeIcDecay(
  lags: readonly number[],
  pearson: readonly ArrayLike<number>[],
  spearman: readonly ArrayLike<number>[],
  options: SeriesSummaryOptions,
): IcDecayPoint[] {
  return lags.map((lag, i) => ({
    lag,
    pearson: summarizeSeriesOf(pearson[i], options),
    spearman: summarizeSeriesOf(spearman[i], options),
  }));
}

export interface IcByGroup {
  groups: string[];
  dates: string[];
  /** pearson[g][t]: IC of date t within group g (NaN below minAssets). */
  pearson: number[][];
  spearman: number[][];
  n: number[][];
  summary: { group: string; pearson: SeriesSummary; spearman: SeriesSummary }[];
}

/** Per-date ICs within each group (codes per date and asset, −1 = none), then summarised per group. */
export function icByGroup(factor: Panel, forward: Panel, groups: GroupCodes, options: IcAnalysisOptions = {}): IcByGroup {
  checkOptionNames<IcAnalysisOptions>('icByGroup options', options, IC_ANALYSIS_OPTION_NAMES);
  const nd = factor.nDates,
    G = groups.names.length;
  const pearson = Array.from({ length: G }, () => new Array<number>(nd).fill(NaN));
  const spearman = Array.from({ length: G }, () => new Array<number>(nd).fill(NaN));
  const n = Array.from({ length: G }, () => new Array<number>(nd).fill(0));
  icByGroupRows(factor, forward, groups, options, { pearson, spearman, n }, 0, nd);
  return icByGroupFromRows(factor.dates, groups.names, pearson, spearman, n, options);
}

/**
 * The per-group ICs of the formation rows [t0, t1): out.pearson[g][t] etc. (NaN below minAssets,
 * written). The range kernel of {@link icByGroup}; an empty range validates the inputs.
 */
export function icByGroupRows(
  factor: Panel,
  forward: Panel,
  groups: GroupCodes,
  options: IcOptions,
  out: { pearson: NumArray[]; spearman: NumArray[]; n: NumArray[] },
  t0: number,
  t1: number,
): void {
  checkShape(factor, forward);
  checkGroups(factor, groups);
  const minAssets = resolveMinAssets(options);
  const m = factor.nAssets,
    G = groups.names.length;
  const f = factor.values,
    r = forward.values,
    codes = groups.codes;
  const { pearson, spearman, n } = out;
  const scratch = createCorrelationScratch(m);
  const sorted = new Int32Array(m),
    start = new Int32Array(G + 1),
    fill = new Int32Array(G);
  for (let t = t0; t < t1; t++) {
    const off = t * m;
    // counting sort of the complete pairs by group code
    start.fill(0);
    for (let j = 0; j < m; j++) {
      const k = codes[off + j];
      if (k >= 0 && k < G && f[off + j] === f[off + j] && r[off + j] === r[off + j]) start[k + 1]++;
    }
    for (let k = 0; k < G; k++) {
      start[k + 1] += start[k];
      fill[k] = start[k];
    }
    for (let j = 0; j < m; j++) {
      const k = codes[off + j];
      if (k >= 0 && k < G && f[off + j] === f[off + j] && r[off + j] === r[off + j]) sorted[fill[k]++] = off + j;
    }
    for (let k = 0; k < G; k++) {
      const c = start[k + 1] - start[k];
      n[k][t] = c;
      if (c < minAssets) {
        pearson[k][t] = NaN;
        spearman[k][t] = NaN;
        continue;
      }
      // group k's offsets are the contiguous run sorted[start[k] .. start[k+1])
      const idx = sorted.subarray(start[k], start[k + 1]);
      pearson[k][t] = pearsonAt(f, r, idx, scratch, c);
      spearman[k][t] = spearmanAt(f, r, idx, scratch, c);
    }
  }
}

/** {@link IcByGroup} from the per-date, per-group arrays (plain arrays in the result). */
export function icByGroupFromRows(
  dates: Calendar,
  names: readonly string[],
  pearson: readonly ArrayLike<number>[],
  spearman: readonly ArrayLike<number>[],
  n: readonly ArrayLike<number>[],
  options: SeriesSummaryOptions,
): IcByGroup {
  const plain = (a: ArrayLike<number>): number[] => (Array.isArray(a) ? (a as number[]) : Array.from(a));
  const P = pearson.map(plain),
    S = spearman.map(plain);
  return {
    groups: names.slice(),
    dates: calendarToIso(dates),
    pearson: P,
    spearman: S,
    n: n.map(plain),
    summary: names.map((group, k) => ({
      group,
      pearson: summarizeSeriesOf(P[k], options),
      spearman: summarizeSeriesOf(S[k], options),
    })),
  };
}

export interface IcMonthlyTable {
  years: number[];
  /** mean[y][mo]: mean IC over the dates of year years[y], month mo + 1; NaN when none. */
  mean: number[][];
  count: number[][];
}

/** Month-by-year table of the mean of a per-date series (NaN skipped). */
export function icMonthlyTable(dates: Calendar, values: ArrayLike<number>): IcMonthlyTable {
  if (dates.length !== values.length) throw new InputError(`icMonthlyTable: ${dates.length} dates but ${values.length} values`);
  const byYear = new Map<number, { sum: number[]; count: number[] }>();
  for (let t = 0; t < dates.length; t++) {
    const { year, month } = civilFromDays(dates[t]);
    let row = byYear.get(year);
    if (!row) {
      row = { sum: new Array<number>(12).fill(0), count: new Array<number>(12).fill(0) };
      byYear.set(year, row);
    }
    const v = values[t];
    if (v === v) {
      row.sum[month - 1] += v;
      row.count[month - 1]++;
    }
  }
  const years = [...byYear.keys()].sort((a, b) => a - b);
  return {
    years,
    mean: years.map((y) => {
      const r = byYear.get(y)!;
      return r.sum.map((s, i) => (r.count[i] > 0 ? s / r.count[i] : NaN));
    }),
    count: years.map((y) => byYear.get(y)!.count.slice()),
  };
}

/** The calendar periods of {@link icByPeriod}: pandas `W` (weeks ending Sunday), `M`, `Q`, `A`. */
export type IcPeriod = 'weekly' | 'monthly' | 'quarterly' | 'annual';

export interface IcByPeriod {
  /** Each period's label, ISO: its last calendar day (the week's Sunday, the month's, quarter's or year's end), as pandas labels a `Grouper(freq=...)`. */
  periods: string[];
  /** Mean of the period's per-date values (NaN skipped); NaN for a period with none. */
  mean: number[];
  count: number[];
}

/**
 * Mean of a per-date series (an IC) by calendar period, alphalens
 * `mean_information_coefficient(by_time=...)`: `ic.groupby(pd.Grouper(freq=W|M|Q|A)).mean()`.
 * Every period from the first date's to the last date's is listed, an empty one with mean NaN and
 * count 0, as pandas does; NaN values are skipped.
 */
export function icByPeriod(dates: Calendar, values: ArrayLike<number>, period: IcPeriod): IcByPeriod {
  if (dates.length !== values.length) throw new InputError(`icByPeriod: ${dates.length} dates but ${values.length} values`);
  checkOneOf('period', period, ['weekly', 'monthly', 'quarterly', 'annual']); // an unknown period was read as monthly
  const out: IcByPeriod = { periods: [], mean: [], count: [] };
  if (dates.length === 0) return out;
  const endOf = (day: number): number => {
    if (period === 'weekly') return day + (6 - dayOfWeek(day)); // the week's Sunday (ISO day 6)
    const { year, month } = civilFromDays(day);
    if (period === 'annual') return daysFromCivil(year, 12, 31);
    const m = period === 'quarterly' ? Math.ceil(month / 3) * 3 : month;
    return monthEnd(daysFromCivil(year, m, 1));
  };
  const next = (end: number): number => endOf(end + 1);
  const sums = new Map<number, { sum: number; count: number }>();
  for (let t = 0; t < dates.length; t++) {
    const e = endOf(dates[t]);
    let c = sums.get(e);
    if (c === undefined) {
      c = { sum: 0, count: 0 };
      sums.set(e, c);
    }
    const v = values[t];
    if (v === v) {
      c.sum += v;
      c.count++;
    }
  }
  const last = endOf(dates[dates.length - 1]);
  for (let e = endOf(dates[0]); e <= last; e = next(e)) {
    const c = sums.get(e);
    out.periods.push(formatIsoDate(e));
    out.mean.push(c !== undefined && c.count > 0 ? c.sum / c.count : NaN);
    out.count.push(c?.count ?? 0);
  }
  return out;
}

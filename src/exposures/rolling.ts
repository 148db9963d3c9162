/**
 * Rolling factor exposures of a weighted portfolio, the portfolio's own rolling regression, and
 * the portfolio return series.
 *
 * ## Rolling portfolio exposures
 *
 * For each asset i and date t, β_i(t) are the slopes of the OLS of the asset's returns on the
 * factors over the trailing `window` rows of the returns calendar ending at t (stats/rollingOls.ts:
 * the sample is the rows where the asset's return and every factor are present; fewer than `minObs`
 * gives no betas). With the weights w_i(t) held on date t,
 *     exposure_f(t) = Σ_{i covered} w_i(t)·β_if(t)
 * where "covered" means the asset has every slope on t (a window without enough observations, a
 * factor dropped as constant/collinear in the window, or an asset of the weights panel absent from
 * the returns panel are NOT covered). Weights of uncovered assets are left out, and reported:
 *     coveredWeight(t) = Σ_{covered} |w_i(t)| / Σ_i |w_i(t)|.
 * With `renormalize: true` the exposure is scaled by Σ|w| / Σ_{covered}|w| (the covered weights
 * rescaled to the gross total). A NaN weight is no position (0). Dates with no weight at all
 * (Σ|w| = 0) and dates with no covered asset get NaN exposures.
 *
 * Weights are matched to the returns calendar by date. By default (`weightsFill: 'ffill'`, the
 * CLI's default too) the last weights on or before each date are carried (monthly rebalancing,
 * weights held between), but never for more than `weightsMaxAge` rows of the returns calendar:
 * older weights are stale and the date has no weights (NaN exposures, NaN covered weight). The
 * Only dates the weights lack are filled: a NaN weight on a weights date stays no position. The
 * default age limit is {@link defaultWeightsMaxAge}: one and a half of the weights' own periods
 * in returns rows (32 rows for monthly weights on daily returns, 2 for daily weights), or one year
 * of rows when the weights have a single date. With `weightsFill: 'none'` the weights panel must
 * have each date: a returns date it lacks gets NaN.
 * Betas and weights on the same date: both are known at the close of t, so nothing looks ahead.
 *
 * ## Portfolio returns (timing)
 *
 * The weights held at the close of row t − 1 earn the returns of row t:
 *     r_p(t) = Σ_i w_i(t − 1)·r_i(t)
 * (rows of the returns calendar; on the first row, the weights held before it: the latest weights
 * dated before the returns' first date, if not stale, else NaN). A held asset without a return on t is left
 * out and `coveredWeight(t) = Σ_{with return} |w_i(t−1)| / Σ |w_i(t−1)|` says how much of the book
 * that was; with `renormalize` the sum is scaled by the inverse of that share. When no held asset
 * has a return on t (coveredWeight 0) r_p(t) is NaN, not 0.
 *
 * ## Determinism
 *
 * Assets are folded in fixed blocks of {@link ROLLING_BLOCK} (independent of threads); each block
 * has its own partial sums, and the partials are added in block order. The worker pool in
 * src/parallel computes the same blocks, so one thread and many give bit-identical results.
 *
 * Definitions (all of them, in one place): docs/definitions.md#rolling-exposures.
 */
import { reindexAssets, reindexFrame, reindexPanel } from '../core/align.js';
import { detectFrequency, lowerBound, mapCalendar } from '../core/calendar.js';
import { checkBoolean, checkCalendar, checkLength, checkOneOf, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Calendar } from '../core/calendar.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import type { DatedSeries } from '../core/returns.js';
import { type RollingDesign, type RollingOlsOptions, prepareRollingDesign, rollingOls, rollingOlsRange } from '../stats/rollingOls.js';

/** Assets per block of the deterministic fold. */
export const ROLLING_BLOCK = 256;

export type WeightsFill = 'none' | 'ffill';

export interface RollingExposureOptions {
  window: number;
  /** Minimum observations per window (default: number of coefficients + 1). */
  minObs?: number;
  includeConstant?: boolean;
  /** Rescale the covered weights to the gross total (default false). */
  renormalize?: boolean;
  /** How weights reach dates their panel lacks (default 'ffill', limited by `weightsMaxAge`). */
  weightsFill?: WeightsFill;
  /** With 'ffill', carry weights at most this many returns rows (default {@link defaultWeightsMaxAge}). */
  weightsMaxAge?: number;
  /** Running-sum re-anchoring period of the rolling OLS (default window). */
  reanchorEvery?: number;
}

export interface RollingPortfolioExposures {
  /** date × factor on the returns calendar. */
  exposures: Frame;
  /** Σ_covered |w| / Σ |w| per date (NaN when there is no weight). */
  coveredWeight: Float64Array;
  /** Number of covered assets (with betas and a non-zero weight) per date. */
  assetsUsed: Int32Array;
  /** Σ |w| per date over every asset of the weights panel. */
  grossWeight: Float64Array;
}

/** Everything a block fold needs; plain typed arrays, so it can be shared with workers. */
export interface RollingPortfolioInput {
  n: number;
  m: number;
  k: number;
  factorNames: readonly string[];
  dates: Calendar;
  /** Asset-major returns m×n. */
  y: Float64Array;
  /** Asset-major weights m×n (returns' assets; NaN = no position). */
  w: Float64Array;
  /** Row-major factors n×k on the returns calendar. */
  x: Float64Array;
  /** Σ|w| per date over all weight assets; NaN where the weights lack the date. */
  grossWeight: Float64Array;
  options: RollingOlsOptions;
  renormalize: boolean;
}

/** Floats per date in a block's partial sums: exposure (k), Σ|w| covered, Σw covered, count. */
export function partialWidth(k: number): number {
  return k + 3;
}

/** Number of blocks for m assets. */
export function blockCount(m: number): number {
  return Math.ceil(m / ROLLING_BLOCK);
}

function factorMatrix(factors: Frame, dates: Calendar): Float64Array {
  const f = reindexFrame(factors, dates);
  const n = dates.length,
    k = f.columns.length;
  const x = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const s = f.series[c];
    for (let t = 0; t < n; t++) x[t * k + c] = s[t];
  }
  return x;
}

/**
 * The default limit on carrying weights forward, in rows of the returns calendar:
 * `ceil(1.5 · ppy(returns) / ppy(weights))` with ppy the periods per year of each calendar
 * (core detectFrequency): 32 for monthly weights on daily returns, 8 for weekly, 2 for daily, at
 * least 1. Weights with a single date (no frequency): one year of returns rows, `ceil(ppy(returns))`.
 * Returns with fewer than two dates: 1.
 */
export function defaultWeightsMaxAge(returnsDates: Calendar, weightsDates: Calendar): number {
  // an unsorted calendar gave a frequency, hence a limit, of its shuffled gaps
  checkCalendar('returnsDates', returnsDates);
  checkCalendar('weightsDates', weightsDates);
  const r = detectFrequency(returnsDates).periodsPerYear,
    w = detectFrequency(weightsDates).periodsPerYear;
  if (!(r > 0)) return 1;
  if (!(w > 0)) return Math.ceil(r);
  return Math.max(1, Math.ceil((1.5 * r) / w));
}

function checkMaxAge(maxAge: number | undefined): void {
  if (maxAge !== undefined && !(maxAge === Infinity || (Number.isInteger(maxAge) && maxAge >= 0))) {
    throw new InputError(`weightsMaxAge must be a whole number of rows >= 0 (or Infinity), got ${maxAge}`, { options: ['weightsMaxAge'] });
  }
}

/**
 * Weights rows carried to `dates`: each date takes the whole row of the latest weights date on or
 * before it (NaN cells stay NaN: no position), unless that row is more than `maxAge` rows of
 * `dates` old (counted from the first date on or after the weights date; a weights date before
 * the first of `dates` adds the rows that calendar would have had in between, estimated as
 * calendar days × periods per year / 365.25, rounded up); `carried[t]` is 0 then and the row is NaN.
 */
function carryWeights(weights: Panel, dates: Calendar, maxAge: number): { panel: Panel; carried: Uint8Array } {
  const n = dates.length,
    m = weights.nAssets,
    out = new Float64Array(n * m).fill(NaN),
    carried = new Uint8Array(n);
  const ppy = detectFrequency(dates).periodsPerYear;
  const before = (d: number): number => (d >= dates[0] ? 0 : ppy > 0 ? Math.ceil(((dates[0] - d) * ppy) / 365.25) : Infinity);
  let r = -1;
  for (let t = 0; t < n; t++) {
    while (r + 1 < weights.nDates && weights.dates[r + 1] <= dates[t]) r++;
    if (r < 0 || t - lowerBound(dates, weights.dates[r]) + before(weights.dates[r]) > maxAge) continue;
    out.set(weights.values.subarray(r * m, (r + 1) * m), t * m);
    carried[t] = 1;
  }
  return { panel: new Panel(dates, weights.assets, out), carried };
}

/** Weights on the returns calendar (fill as asked) and Σ|w| per date over every weight asset (NaN: no weights that date). */
function alignWeights(returns: Panel, weights: Panel, fill: WeightsFill, maxAge: number | undefined): { w: Panel; gross: Float64Array } {
  const dates = returns.dates;
  // 'ffil' meant no fill: every return after the first weights date was NaN
  checkOneOf('weightsFill', fill, ['none', 'ffill']);
  checkMaxAge(maxAge);
  let onCal: Panel, has: ArrayLike<number>;
  if (fill === 'ffill') {
    const c = carryWeights(weights, dates, maxAge ?? defaultWeightsMaxAge(dates, weights.dates));
    onCal = c.panel;
    has = c.carried;
  } else {
    onCal = reindexPanel(weights, dates, { fill: 'none' });
    has = Int8Array.from(mapCalendar(dates, weights.dates), (r) => (r >= 0 ? 1 : 0));
  }
  const n = dates.length,
    mw = weights.nAssets;
  const gross = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    if (has[t] === 0) {
      gross[t] = NaN;
      continue;
    }
    let s = 0;
    for (let j = 0; j < mw; j++) {
      const v = onCal.values[t * mw + j];
      if (v - v === 0) s += Math.abs(v);
    }
    gross[t] = s;
  }
  return { w: reindexAssets(onCal, returns.assets), gross };
}

const ROLLING_EXPOSURE_OPTION_NAMES: Readonly<Record<keyof RollingExposureOptions, true>> = {
  window: true,
  minObs: true,
  includeConstant: true,
  renormalize: true,
  weightsFill: true,
  weightsMaxAge: true,
  reanchorEvery: true,
};

/** Aligns returns, factors and weights into the plain input of the block fold. */
export function prepareRollingPortfolio(
  returns: Panel,
  factors: Frame,
  weights: Panel,
  options: RollingExposureOptions,
): RollingPortfolioInput {
  // a misspelt option (`weightFill`, `renormalise`, `minObservations`) ran the default
  checkOptionNames<RollingExposureOptions>('rollingPortfolioExposures options', options, ROLLING_EXPOSURE_OPTION_NAMES);
  if (options.renormalize !== undefined) checkBoolean('renormalize', options.renormalize);
  const { w, gross } = alignWeights(returns, weights, options.weightsFill ?? 'ffill', options.weightsMaxAge);
  return {
    n: returns.nDates,
    m: returns.nAssets,
    k: factors.columns.length,
    factorNames: factors.columns,
    dates: returns.dates,
    y: returns.toAssetMajor(),
    w: w.toAssetMajor(),
    x: factorMatrix(factors, returns.dates),
    grossWeight: gross,
    options: {
      window: options.window,
      minObs: options.minObs,
      includeConstant: options.includeConstant,
      reanchorEvery: options.reanchorEvery,
    },
    renormalize: options.renormalize ?? false,
  };
}

/** Folds block b (assets b·BLOCK .. ) into `partial` (n × partialWidth(k), zeroed by the caller). */
export function foldBlock(input: RollingPortfolioInput, design: RollingDesign, b: number, partial: Float64Array): void {
  const { n, m, k } = input;
  const j0 = b * ROLLING_BLOCK,
    j1 = Math.min(m, j0 + ROLLING_BLOCK);
  const exposure = partial.subarray(0, n * k);
  const absCovered = partial.subarray(n * k, n * (k + 1));
  const covered = partial.subarray(n * (k + 1), n * (k + 2));
  const count = partial.subarray(n * (k + 2), n * (k + 3));
  const absTotal = new Float64Array(n); // Σ|w| over the returns' assets only; the gross total comes from the weights panel
  rollingOlsRange(design, input.y, j0, j1, { fold: { weights: input.w, exposure, absTotal, absCovered, covered, count } });
}

/** Adds the block partials in block order and forms the result. */
export function finishRollingPortfolio(input: RollingPortfolioInput, partials: readonly Float64Array[]): RollingPortfolioExposures {
  const { n, k } = input;
  const total = new Float64Array(n * partialWidth(k));
  for (const p of partials) for (let i = 0; i < total.length; i++) total[i] += p[i];
  const series = Array.from({ length: k }, () => new Float64Array(n).fill(NaN));
  const coveredWeight = new Float64Array(n).fill(NaN);
  const assetsUsed = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const gross = input.grossWeight[t];
    const absCov = total[n * k + t];
    assetsUsed[t] = total[n * (k + 2) + t];
    if (!(gross > 0)) continue;
    coveredWeight[t] = Math.min(1, absCov / gross); // a share: the block-wise sum can exceed the gross total by rounding
    if (!(absCov > 0)) continue;
    const scale = input.renormalize ? gross / absCov : 1;
    for (let f = 0; f < k; f++) series[f][t] = total[t * k + f] * scale;
  }
  return {
    exposures: new Frame(input.dates, input.factorNames.slice(), series),
    coveredWeight,
    assetsUsed,
    grossWeight: input.grossWeight,
  };
}

/** Rolling exposures of the portfolio `weights` (see module doc). Single thread, pure. */
export function rollingPortfolioExposures(
  returns: Panel,
  factors: Frame,
  weights: Panel,
  options: RollingExposureOptions,
): RollingPortfolioExposures {
  const input = prepareRollingPortfolio(returns, factors, weights, options);
  const design = prepareRollingDesign(input.x, input.n, input.k, input.options);
  const partials: Float64Array[] = [];
  for (let b = 0; b < blockCount(input.m); b++) {
    const p = new Float64Array(input.n * partialWidth(input.k));
    foldBlock(input, design, b, p);
    partials.push(p);
  }
  return finishRollingPortfolio(input, partials);
}

export interface RollingRegressionOptions {
  window: number;
  minObs?: number;
  includeConstant?: boolean;
  partial?: boolean;
}

/**
 * The rolling OLS of one return series on the factors. `series` is either one value per factor
 * date or a dated series matched to the factors by date (dates it lacks are missing). Columns:
 * `const` (with an intercept), the factor names, `r2`, `residual_std`, `nobs`, on the factors'
 * calendar (or the series' calendar when dated: the factors are matched to it).
 */
export function rollingRegression(series: Float64Array | DatedSeries, factors: Frame, options: RollingRegressionOptions): Frame {
  checkOptionNames<RollingRegressionOptions>('rollingRegression options', options, {
    window: true,
    minObs: true,
    includeConstant: true,
    partial: true,
  });
  let dates: Calendar, y: Float64Array;
  if (series instanceof Float64Array) {
    checkLength('series', series.length, factors.nDates, 'one value per factor date, or pass a dated series { dates, values }');
    dates = factors.dates;
    y = series;
  } else {
    checkCalendar('series dates', series.dates);
    checkLength('series values', series.values.length, series.dates.length, 'one per date of the series');
    dates = series.dates;
    y = Float64Array.from(series.values);
  }
  const x = factorMatrix(factors, dates);
  const n = dates.length,
    k = factors.columns.length;
  const r = rollingOls(y, n, 1, x, k, options);
  const names: string[] = [];
  const cols: Float64Array[] = [];
  const off = r.intercept ? 1 : 0;
  if (r.intercept) {
    names.push('const');
    cols.push(r.coef.slice(0, n));
  }
  factors.columns.forEach((c, f) => {
    names.push(c);
    cols.push(r.coef.slice((off + f) * n, (off + f + 1) * n));
  });
  names.push('r2', 'residual_std', 'nobs');
  cols.push(r.r2, r.residualStd, r.nobs);
  return new Frame(dates, names, cols);
}

export interface PortfolioReturnOptions {
  /** As in {@link RollingExposureOptions}: default 'ffill', at most `weightsMaxAge` rows. */
  weightsFill?: WeightsFill;
  weightsMaxAge?: number;
  /** Scale by 1 / coveredWeight (default false). */
  renormalize?: boolean;
}

export interface PortfolioReturns extends DatedSeries {
  dates: Calendar;
  values: Float64Array;
  /** Σ|w(t−1)| over held assets with a return on t / Σ|w(t−1)|. */
  coveredWeight: Float64Array;
}

/**
 * The weights held at the close of the row before the returns' first date (on the returns'
 * assets) and their Σ|w| over every weight asset: the latest weights row dated before that date,
 * unless it is stale there (its age in rows, estimated from calendar days as {@link carryWeights}
 * does for weights dated before the calendar, less the one row, above `maxAge`). Undefined when
 * there is none.
 */
function weightsBefore(returns: Panel, weights: Panel, maxAge: number | undefined): { w: Float64Array; gross: number } | undefined {
  const dates = returns.dates;
  const r = lowerBound(weights.dates, dates[0]) - 1;
  if (r < 0) return undefined;
  const ppy = detectFrequency(dates).periodsPerYear;
  if (!(ppy > 0)) return undefined;
  const age = Math.ceil(((dates[0] - weights.dates[r]) * ppy) / 365.25) - 1;
  if (age > (maxAge ?? defaultWeightsMaxAge(dates, weights.dates))) return undefined;
  const mw = weights.nAssets,
    row = weights.values.subarray(r * mw, (r + 1) * mw);
  let gross = 0;
  for (let j = 0; j < mw; j++) if (row[j] - row[j] === 0) gross += Math.abs(row[j]);
  const w = new Float64Array(returns.nAssets).fill(NaN);
  returns.assets.forEach((a, j) => {
    const k = weights.assetIndex(a);
    if (k >= 0) w[j] = row[k];
  });
  return { w, gross };
}

/** r_p(t) = Σ w_i(t − 1)·r_i(t) on the returns calendar (see module doc for timing and gaps). */
export function portfolioReturns(returns: Panel, weights: Panel, options: PortfolioReturnOptions = {}): PortfolioReturns {
  checkOptionNames<PortfolioReturnOptions>('portfolioReturns options', options, {
    weightsFill: true,
    weightsMaxAge: true,
    renormalize: true,
  });
  if (options.renormalize !== undefined) checkBoolean('renormalize', options.renormalize);
  const fill = options.weightsFill ?? 'ffill';
  const { w, gross } = alignWeights(returns, weights, fill, options.weightsMaxAge);
  const n = returns.nDates,
    m = returns.nAssets;
  const values = new Float64Array(n).fill(NaN);
  const coveredWeight = new Float64Array(n).fill(NaN);
  // the first row's return is earned by the weights held at the close before it: weights dated
  // before the returns' first date, carried (ffill) and not stale there. Before, r_p(0) was NaN
  // whenever the returns began after the weights (rolling --start: the holdings' betas used that
  // row's returns, the portfolio's own regression did not)
  const before = fill === 'ffill' && n > 0 ? weightsBefore(returns, weights, options.weightsMaxAge) : undefined;
  for (let t = before !== undefined ? 0 : 1; t < n; t++) {
    const g = t === 0 ? (before as { gross: number }).gross : gross[t - 1];
    if (!(g > 0)) continue;
    let s = 0,
      cov = 0;
    const wv = t === 0 ? (before as { w: Float64Array }).w : w.values,
      wr = t === 0 ? 0 : (t - 1) * m,
      rr = t * m;
    for (let j = 0; j < m; j++) {
      const wt = wv[wr + j],
        r = returns.values[rr + j];
      if (wt - wt === 0 && wt !== 0 && r - r === 0) {
        s += wt * r;
        cov += Math.abs(wt);
      }
    }
    coveredWeight[t] = Math.min(1, cov / g); // a share, whatever the rounding
    // no held asset with a return: the book's return is unknown, not 0 (a 0 would enter a regression as data)
    values[t] = cov > 0 ? (options.renormalize ? (s * g) / cov : s) : NaN;
  }
  return { dates: returns.dates, values, coveredWeight };
}

/**
 * Summary of a series of per-date statistics (IC, rank IC, factor returns), NaN skipped.
 *
 * Over the n non-NaN values x_1..x_n (in date order) with horizon h (rows of the formation
 * calendar the statistic looks ahead) and P periods per year of that calendar:
 *   mean         x̄
 *   std          sqrt(Σ (x_i − x̄)² / (n − 1))                     (ddof 1, DESIGN.md)
 *   ir           x̄ / std                                          (IC_IR, the information ratio)
 *   irAnnualized ir · sqrt(P / h): one value per formation row, but only P / h non-overlapping
 *                h-period statistics fit in a year (e.g. daily rows, h = 5: sqrt(252/5));
 *                P is 252 for daily, 52 weekly, 12 monthly rows, or the caller's number
 *   tStat        x̄ / (std / sqrt(n)),  pValue = 2·P(T_{n−1} > |tStat|)   (scipy.stats.ttest_1samp)
 *   tStatNW      x̄ / se_NW with the Bartlett-kernel Newey-West se of a mean, lags L = h by default
 *                (h-period statistics sampled every row overlap h − 1 rows), no small-sample
 *                correction; pValueNW Student t, n − 1 df (stats/neweyWest.ts `neweyWestMean`;
 *                statsmodels OLS(x, ones).fit(cov_type='HAC', cov_kwds={'maxlags': L}, use_t=True))
 *   skew         m3 / m2^{3/2}           (scipy.stats.skew, bias=True)
 *   kurtosis     m4 / m2² − 3            (scipy.stats.kurtosis: excess, bias=True)
 *   sharePositive        #{x_i > 0} / n
 *   shareAboveThreshold  #{|x_i| > threshold} / n   (threshold default 0.03, the seed's "3 %")
 *   meanAbs      Σ |x_i| / n
 * Every field is NaN when undefined (n = 0, or n < 2 for std / t; JSON writes NaN as null). A
 * series without spread (every value equal, or equal but for rounding: stats/descriptive.ts
 * `nanNoSpread`, e.g. an IC of 1 on every date) has ir, irAnnualized, tStat, pValue, tStatNW and
 * pValueNW NaN: a t-test of its mean is undefined (scipy's ttest_1samp gives inf with a warning,
 * statsmodels inf or the mean over its rounding noise, 1e15), never ±Infinity with p = 0.
 */
import { checkInteger, checkOptionNames, checkPositive } from '../core/checks.js';
import { nanKurtosis, nanMean, nanNoSpread, nanSkewness, nanStd } from '../stats/descriptive.js';
import { tTwoSidedPValue } from '../stats/distributions.js';
import { neweyWestMean, type NeweyWestMeanResult } from '../stats/neweyWest.js';

/** Default |value| threshold of `shareAboveThreshold` (an |IC| above 3 % is "effective"). */
export const DEFAULT_IC_THRESHOLD = 0.03;

export interface SeriesSummaryOptions {
  /** Horizon h in rows of the series' calendar (default 1): NW lags and annualisation use it. */
  horizon?: number;
  /** Newey-West lags (default h). */
  lags?: number;
  /** Rows per year of the series' calendar (default 252: daily). */
  periodsPerYear?: number;
  /** Threshold of `shareAboveThreshold` (default 0.03). */
  threshold?: number;
}

export interface SeriesSummary {
  n: number;
  mean: number;
  std: number;
  ir: number;
  irAnnualized: number;
  tStat: number;
  pValue: number;
  tStatNW: number;
  pValueNW: number;
  nwLags: number;
  skew: number;
  kurtosis: number;
  sharePositive: number;
  shareAboveThreshold: number;
  meanAbs: number;
  threshold: number;
  horizon: number;
  periodsPerYear: number;
}

/** The t-test of a series' mean over its non-NaN values (the one definition; see the module doc). */
export interface MeanTest {
  n: number;
  mean: number;
  /** ddof 1; NaN below 2 values. */
  std: number;
  /** std / √n. */
  stdError: number;
  /** mean / (std / √n). */
  tStat: number;
  /** Student t, n − 1 df; NaN below 2 values. */
  pValue: number;
  /** Bartlett-kernel Newey-West t of the mean with `lags` lags (stats/neweyWest.ts). */
  neweyWest: NeweyWestMeanResult;
}

/** {@link MeanTest} of the non-NaN values of x with `lags` Newey-West lags: the t-statistic of a series, for summaries and spreads alike. */
export function meanTest(x: ArrayLike<number>, lags: number): MeanTest {
  checkInteger('lags', lags, 0, Infinity, 'a whole number of Newey-West lags >= 0'); // -1 was read as 0
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) n++;
  const mean = n > 0 ? nanMean(x) : NaN;
  const std = n > 1 ? nanStd(x, 1) : NaN;
  const stdError = std / Math.sqrt(n);
  // a series without spread (a constant IC, say) has no t: NaN, not ±Infinity with p = 0 (nor the mean over its rounding)
  const tStat = n > 1 && nanNoSpread(x, mean) ? NaN : mean / stdError;
  return { n, mean, std, stdError, tStat, pValue: n > 1 ? tTwoSidedPValue(tStat, n - 1) : NaN, neweyWest: neweyWestMean(x, { lags }) };
}

/** Summary of the non-NaN values of `x` (see the module doc for each field). */
export function summarizeSeries(x: ArrayLike<number>, options: SeriesSummaryOptions = {}): SeriesSummary {
  // `{ horizn: 21 }` ran horizon 1 (and its Newey-West lags) without a word
  checkOptionNames<SeriesSummaryOptions>('summarizeSeries options', options, {
    horizon: true,
    lags: true,
    periodsPerYear: true,
    threshold: true,
  });
  return summarizeSeriesOf(x, options);
}

/** {@link summarizeSeries} without the option-name check: for the library's callers, which pass their own wider options. */
export function summarizeSeriesOf(x: ArrayLike<number>, options: SeriesSummaryOptions): SeriesSummary {
  const horizon = options.horizon ?? 1;
  const periodsPerYear = options.periodsPerYear ?? 252;
  const threshold = options.threshold ?? DEFAULT_IC_THRESHOLD;
  const lags = options.lags ?? horizon;
  // InputErrors naming the option (a RangeError before: the library's other functions name theirs)
  checkInteger('horizon', horizon, 1);
  checkInteger('lags', lags, 0, Infinity, 'a whole number of Newey-West lags >= 0');
  checkPositive('periodsPerYear', periodsPerYear);
  const { n, mean, std, tStat, pValue, neweyWest } = meanTest(x, lags);
  let pos = 0,
    above = 0,
    absSum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) continue;
    if (v > 0) pos++;
    const a = Math.abs(v);
    if (a > threshold) above++;
    absSum += a;
  }
  const ir = Number.isNaN(tStat) ? NaN : mean / std; // ir = t / √n: undefined with it (no spread)
  const nw = n > 1 ? neweyWest : null;
  return {
    n,
    mean,
    std,
    ir,
    irAnnualized: ir * Math.sqrt(periodsPerYear / horizon),
    tStat,
    pValue,
    tStatNW: nw?.t ?? NaN,
    pValueNW: nw?.pValue ?? NaN,
    nwLags: nw?.lags ?? lags,
    skew: n > 0 ? nanSkewness(x) : NaN,
    kurtosis: n > 0 ? nanKurtosis(x) : NaN,
    sharePositive: n > 0 ? pos / n : NaN,
    shareAboveThreshold: n > 0 ? above / n : NaN,
    meanAbs: n > 0 ? absSum / n : NaN,
    threshold,
    horizon,
    periodsPerYear,
  };
}

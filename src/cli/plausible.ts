/**
 * Inputs that cannot be what the user says they are, caught before they silently become numbers:
 * prices passed as returns, factor returns in percent read as decimals, column names that differ
 * only in case. Each check refuses with an InputError (exit 2) naming the file, the column and the
 * flag that resolves it.
 */
import { detectFrequency } from '../core/calendar.js';
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import { medianInPlace } from '../stats/descriptive.js';
import { formatNumber, plural } from './format.js';

/** Median of |x| over the finite values of `v` (NaN when there are none): a selection, O(n). */
function medianAbs(v: ArrayLike<number>): number {
  const a = new Float64Array(v.length);
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x - x === 0) a[n++] = Math.abs(x);
  }
  return medianInPlace(a, n);
}

/**
 * Refuses a `--returns` file that holds prices: every finite value positive and the median above
 * 1 (a decimal return of +100% is not a median; percent returns have negative values). Such a file
 * regressed as returns gives alphas in the hundreds.
 */
export function assertNotPrices(panel: Panel, file: string): void {
  let n = 0,
    nonPositive = 0;
  const v = panel.values;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === x) {
      n++;
      if (x <= 0) nonPositive++;
    }
  }
  if (n < 10 || nonPositive > 0) return;
  const med = medianAbs(v);
  if (med > 1) {
    throw new InputError(
      `--returns ${file}: the values look like prices, not returns (all ${n} positive, median ${formatNumber(med, 4)})`,
      {
        file,
        hint: `pass the file as --prices ${file} (simple returns are computed from it)`,
      },
    );
  }
}

/**
 * Refuses an asset return below −100% in a `--returns` panel (after its scale): a loss of more
 * than everything, which no asset or fund return is (its price would turn negative; −100%, a price
 * gone to zero, is allowed). Such a value is a missing-value code (−999 read at 0.01), a percent
 * value left unscaled (−1.5 for −1.5%), or a typo, and one of them moves its asset's every
 * coefficient. `scaled`: the user gave the scale (the hint then does not suggest it).
 */
export function assertReturnsAboveTotalLoss(panel: Panel, file: string, scaleFlag: string, scaled = false): void {
  const v = panel.values,
    m = panel.nAssets;
  for (let i = 0; i < v.length; i++) {
    if (!(v[i] < -1)) continue;
    const t = Math.floor(i / m);
    throw new InputError(
      `a return of ${formatNumber(v[i] * 100, 6)}% in --returns: a loss of more than everything, which no asset's return is`,
      {
        file,
        asset: panel.assets[i - t * m],
        date: formatIsoDate(panel.dates[t]),
        value: String(v[i]),
        hint: `leave the cell empty (or NA) for a missing value${scaled ? '' : `; returns in percent need ${scaleFlag} 0.01`}`,
      },
    );
  }
}

/**
 * Median |value| of a `--returns` panel above which it cannot hold decimal returns of that
 * frequency: a median daily move of 20% (weekly 30%, monthly 50%) is no asset's; percent returns
 * (daily median |r| near 1) and scores such as z-scores (0.67) are far above it.
 */
export const RETURNS_MEDIAN_LIMIT = { daily: 0.2, weekly: 0.3, monthly: 0.5 } as const;

/**
 * Refuses a `--returns` panel that looks like percent returns or not like returns at all (median
 * |value| above {@link RETURNS_MEDIAN_LIMIT} for its frequency, estimated on an even sample of at
 * most 200,000 cells). `scaleFlag` names the flag that states the scale and skips the check.
 */
export function assertDecimalReturns(panel: Panel, file: string, scaleFlag: string): void {
  const f = detectFrequency(panel.dates).frequency;
  if (f !== 'daily' && f !== 'weekly' && f !== 'monthly') return;
  const v = panel.values;
  const step = Math.max(1, Math.floor(v.length / 200_000));
  const sample = new Float64Array(Math.ceil(v.length / step));
  let n = 0;
  for (let i = 0; i < v.length; i += step) {
    const x = v[i];
    if (x - x === 0) sample[n++] = Math.abs(x);
  }
  const med = medianInPlace(sample, n);
  const limit = RETURNS_MEDIAN_LIMIT[f];
  if (med > limit) {
    throw new InputError(
      `--returns ${file}: the ${f} values look like percent, or are not returns (median |value| ${formatNumber(med, 3)}; ${f} decimal returns are near ${f === 'monthly' ? '0.05' : f === 'weekly' ? '0.02' : '0.01'})`,
      {
        file,
        hint: `add ${scaleFlag} 0.01 if they are percent returns, or ${scaleFlag} 1 if they really are decimal returns`,
      },
    );
  }
}

/**
 * Refuses a `--prices` panel whose values do not move like prices: the median |p_t/p_{t−1} − 1|
 * between consecutive rows (an even sample of at most 200,000 cells) above
 * {@link RETURNS_MEDIAN_LIMIT} for its frequency. Real prices move about 1% a day (0.7–1.6% on the
 * S&P and SSE 50 files, 0.9% on 5,774 US tickers); a file of positive returns, volatilities or
 * other small numbers read as prices jumps by tens of percent from row to row (the "returns"
 * computed from it would be ratios of unrelated numbers). Files whose frequency cannot be told,
 * or with fewer than 10 such pairs, are not checked.
 */
export function assertPricesMoveLikePrices(panel: Panel, file: string): void {
  const f = detectFrequency(panel.dates).frequency;
  if (f !== 'daily' && f !== 'weekly' && f !== 'monthly') return;
  const v = panel.values,
    m = panel.nAssets;
  const cells = v.length - m;
  if (cells <= 0) return;
  const step = Math.max(1, Math.floor(cells / 200_000));
  const sample = new Float64Array(Math.ceil(cells / step));
  let n = 0;
  for (let i = m; i < v.length; i += step) {
    const r = v[i] / v[i - m] - 1;
    if (r - r === 0) sample[n++] = Math.abs(r);
  }
  if (n < 10) return;
  const med = medianInPlace(sample, n);
  const limit = RETURNS_MEDIAN_LIMIT[f];
  if (med > limit) {
    const typical = f === 'monthly' ? '0.05' : f === 'weekly' ? '0.02' : '0.01';
    throw new InputError(
      `the values of --prices do not move like prices (the median ${f} change |p(t)/p(t-1) - 1| is ${formatNumber(med, 3)}; ${f} prices move about ${typical}): returns or other small numbers read as prices?`,
      {
        file,
        hint: 'give prices (close or adjusted close); to backtest on returns, compound them into a price index first (a cumulative product of 1 + r, from 1)',
      },
    );
  }
}

/** Median |value| above which a daily, weekly or monthly factor column cannot be in decimal. */
export const PERCENT_FACTOR_MEDIAN = 0.2;

/**
 * Refuses a file in the Ken French layout whose values are decimal already, which the layout's
 * usual ÷ 100 would shrink a hundredfold (betas 100× too large): after the division, the largest
 * median |value| of the columns other than the risk-free one is below a tenth of the decimal
 * level (daily 0.005 → 0.0005; monthly 0.03 → 0.003). An explicit --factor-scale skips the check.
 */
export function assertKenFrenchPercent(
  frame: Frame,
  frequency: 'daily' | 'monthly',
  file: string,
  riskFree: string | undefined,
  flag = '--factors ',
): void {
  const level = frequency === 'daily' ? 0.005 : 0.03;
  let largest = -1,
    column = '';
  for (const c of frame.columns) {
    if (riskFree !== undefined && c.toLowerCase() === riskFree.toLowerCase()) continue;
    const med = medianAbs(frame.get(c));
    if (med > largest) {
      largest = med;
      column = c;
    }
  }
  if (largest >= 0 && largest < level / 10) {
    throw new InputError(
      `${flag}${file}: a Ken French layout whose values look decimal already: read as percent (÷ 100), the largest median |value| is ${formatNumber(largest, 3)} (${column}; ${frequency} factor returns are near ${level})`,
      {
        file,
        hint: 'add --factor-scale 1 if the file is in decimal (its values are then read as written), or --factor-scale 0.01 if it really is in percent',
      },
    );
  }
}

/**
 * Refuses factor columns that look like percent when the user did not give --factor-scale:
 * a daily, weekly or monthly column (other than the risk-free one) whose median |value| exceeds
 * {@link PERCENT_FACTOR_MEDIAN} (decimal daily factor returns have a median |value| near 0.005,
 * monthly ones near 0.03; the same in percent, 0.5 and 3). An explicit --factor-scale (1 for
 * "they really are decimal") skips the check.
 */
export function assertDecimalFactors(frame: Frame, file: string, riskFree: string | undefined): void {
  assertNotPriceFactors(frame, file, riskFree);
  const f = detectFrequency(frame.dates).frequency;
  if (f !== 'daily' && f !== 'weekly' && f !== 'monthly') return;
  for (const c of frame.columns) {
    if (riskFree !== undefined && c.toLowerCase() === riskFree.toLowerCase()) continue;
    const med = medianAbs(frame.get(c));
    if (med > PERCENT_FACTOR_MEDIAN) {
      throw new InputError(
        `--factors ${file}: the ${f} values of ${c} look like percent (median |value| ${formatNumber(med, 3)}; ${f} decimal returns are near ${f === 'monthly' ? '0.03' : '0.005'})`,
        {
          file,
          column: c,
          hint: 'add --factor-scale 0.01 if they are in percent, or --factor-scale 1 if they really are decimal',
        },
      );
    }
  }
}

/**
 * Refuses factor columns that hold prices (or levels): every value of every column other than the
 * risk-free one positive and their median above 1, which no factor return is. Percent factors are
 * not refused here (they have negative values); the percent check follows.
 */
function assertNotPriceFactors(frame: Frame, file: string, riskFree: string | undefined): void {
  const cols = frame.columns.filter((c) => riskFree === undefined || c.toLowerCase() !== riskFree.toLowerCase());
  if (cols.length === 0) return;
  let n = 0;
  for (const c of cols) {
    const v = frame.get(c);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== x) continue;
      if (x <= 0) return;
      n++;
    }
  }
  if (n < 10) return;
  const all = new Float64Array(n);
  let k = 0;
  for (const c of cols) {
    const v = frame.get(c);
    for (let i = 0; i < v.length; i++) if (v[i] === v[i]) all[k++] = v[i];
  }
  const med = medianInPlace(all, n);
  if (med > 1) {
    throw new InputError(
      `--factors ${file}: the values look like prices or levels, not factor returns (all ${n} positive, median ${formatNumber(med, 4)})`,
      {
        file,
        hint: 'give factor returns with --factors (e.g. the Ken French factor file); the prices of assets go to --prices',
      },
    );
  }
}

/**
 * The column of `columns` that `name` names: the exact name, else the one column equal to it
 * ignoring case (`RF` for `rf`); undefined when none. Two columns equal ignoring case and neither
 * exact: an InputError naming `flag`.
 */
export function findColumn(columns: readonly string[], name: string, flag: string): string | undefined {
  if (columns.includes(name)) return name;
  const lower = name.toLowerCase();
  const hits = columns.filter((c) => c.toLowerCase() === lower);
  if (hits.length > 1)
    throw new InputError(`${flag} ${name} matches ${hits.join(' and ')} ignoring case`, {
      column: name,
      hint: `give the exact name: ${flag} ${hits[0]}`,
    });
  return hits[0];
}

/** Gross weight Σ|w| on a date above which the weights cannot be fractions of a portfolio (a long-short book is 2 to 4). */
export const MAX_GROSS_WEIGHT = 10;

/**
 * Refuses weights whose gross sum Σ|w| on some date is above {@link MAX_GROSS_WEIGHT}: prices,
 * share counts, market values or percent, not fractions of the portfolio. Weighted by them, the
 * exposures come out hundreds or thousands of times too large.
 */
export function assertWeightsAreFractions(weights: Panel, file: string): void {
  const na = weights.nAssets,
    v = weights.values;
  let worst = -1,
    worstGross = 0,
    positive = true;
  for (let t = 0; t < weights.nDates; t++) {
    let gross = 0;
    for (let j = t * na; j < (t + 1) * na; j++) {
      const x = v[j];
      if (x === x) {
        gross += Math.abs(x);
        if (x < 0) positive = false;
      }
    }
    if (gross > worstGross) {
      worstGross = gross;
      worst = t;
    }
  }
  if (worstGross <= MAX_GROSS_WEIGHT) return;
  const date = formatIsoDate(weights.dates[worst]);
  // Σ|w| near 100 on a long-only date is percent; from 30 to 400 it may be percent or a few prices
  const percent = worstGross >= 30 && worstGross <= 400,
    hundred = worstGross >= 80 && worstGross <= 120;
  const notWeights = 'prices, share counts or market values are not weights';
  throw new InputError(
    `the --weights on ${date} sum to ${formatNumber(worstGross, 6)} in absolute value (Σ|w|, ${plural(weights.nAssets, 'asset')}); portfolio weights are fractions that sum to about 1 (2 to 4 gross for a long-short book)`,
    {
      file,
      hint: `give weights as fractions of the portfolio${
        positive && hundred
          ? ' (in percent? divide them by 100)'
          : percent && positive
            ? ` (in percent? divide them by 100; ${notWeights})`
            : percent
              ? ' (in percent? divide them by 100)'
              : positive
                ? ` (${notWeights}: divide each date's weights by their sum)`
                : ''
      }`,
    },
  );
}

/**
 * Returns from prices, excess returns, forward returns, resampling.
 *
 * Definitions (DESIGN.md):
 * - simple return `r_t = p_t / p_{t-1} - 1`, missing if either price is missing; row 0 is missing;
 * - log return `ln(p_t / p_{t-1})`;
 * - forward return `fwd_h(t) = p_{t+h} / p_t - 1`, h rows later in the panel's calendar, missing
 *   for the last h rows;
 * - no forward-filling anywhere: a gap in prices is a gap in returns.
 *
 * Definitions (all of them, in one place): docs/definitions.md#returns.
 */
import { checkCalendar, checkInteger, checkOneOf, describeValue } from './checks.js';
import { type Calendar, isCalendar, mapCalendar } from './calendar.js';
import { formatIsoDate, monthIndex, weekIndex } from './dates.js';
import { InputError } from './errors.js';
import { Panel } from './panel.js';

/** Price buffers already checked by {@link checkPrices} (panels are immutable by convention): a zoo of factors on one price panel pays for one pass. */
const checkedPrices = new WeakSet<Float64Array>();

/**
 * Prices are positive finite numbers, NaN for missing: a price of 0 made returns of ±Infinity, a
 * negative one returns below −100% that still ranked and averaged, silently. One pass over the
 * values, once per price buffer; throws an InputError naming the asset, date and value.
 */
export function checkPrices(prices: Panel, what = 'prices'): void {
  const v = prices.values;
  if (checkedPrices.has(v)) return;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x <= 0 || x === Infinity) {
      const m = prices.nAssets;
      throw new InputError(`${what} must be positive finite numbers (NaN for missing)`, {
        asset: prices.assets[i % m],
        date: formatIsoDate(prices.dates[Math.floor(i / m)]),
        value: String(x),
        hint: x <= 0 ? 'a return series is not a price series: pass returns where returns are expected' : undefined,
      });
    }
  }
  checkedPrices.add(v);
}

/** Simple returns `p_t / p_{t-1} - 1` (row 0 NaN). Prices must be positive ({@link checkPrices}). */
export function simpleReturns(prices: Panel): Panel {
  checkPrices(prices);
  return lagged(prices, 1, (now, prev) => now / prev - 1);
}

/**
 * {@link simpleReturns} computed over the prices' own values, last row first, and returned as a
 * panel on the same buffer: the same numbers without a second panel in memory. The prices panel
 * holds returns afterwards, so only for a caller that owns it and needs the prices no more.
 */
export function simpleReturnsInPlace(prices: Panel): Panel {
  const n = prices.nDates,
    m = prices.nAssets,
    v = prices.values;
  for (let t = n - 1; t >= 1; t--) {
    const a = t * m,
      b = a - m;
    for (let j = 0; j < m; j++) v[a + j] = v[a + j] / v[b + j] - 1; // NaN propagates
  }
  v.fill(NaN, 0, Math.min(n, 1) * m);
  return new Panel(prices.dates, prices.assets, v);
}

/** Log returns `ln(p_t / p_{t-1})` (row 0 NaN). */
export function logReturns(prices: Panel): Panel {
  checkPrices(prices);
  return lagged(prices, 1, (now, prev) => Math.log(now / prev));
}

function lagged(prices: Panel, h: number, f: (now: number, prev: number) => number): Panel {
  const n = prices.nDates,
    m = prices.nAssets,
    p = prices.values;
  const out = new Float64Array(n * m).fill(NaN);
  for (let t = h; t < n; t++) {
    const a = t * m,
      b = (t - h) * m;
    for (let j = 0; j < m; j++) out[a + j] = f(p[a + j], p[b + j]); // NaN propagates
  }
  return new Panel(prices.dates, prices.assets, out);
}

/**
 * The forward return of a position entered at price `entry` and valued at price `exit` (h rows
 * later): `exit / entry − 1`, NaN when either is missing. The one definition of the forward return:
 * {@link forwardReturns} and the clean intermediate's row kernels (signals/factorData.ts
 * `prepareRow`, `prepareRow3`) all compute it by this function (small enough for V8 to inline).
 */
export function forwardReturn(entry: number, exit: number): number {
  return exit / entry - 1;
}

/**
 * Forward returns `p_{t+h} / p_t - 1` ({@link forwardReturn}) for each horizon (rows of the price
 * calendar). Returns a map from horizon to a panel on the price calendar. `horizons` is an array of
 * whole numbers >= 1 (else an InputError naming the first bad one; it was a RangeError, and a
 * TypeError for a single number).
 */
export function forwardReturns(prices: Panel, horizons: readonly number[]): Map<number, Panel> {
  if (!Array.isArray(horizons))
    throw new InputError(`horizons must be an array of whole numbers >= 1, got ${describeValue(horizons)}`, {
      hint: 'e.g. [1, 5, 21]',
      options: ['horizons'],
    });
  for (let i = 0; i < horizons.length; i++) checkInteger(`horizons[${i}]`, horizons[i], 1, Infinity, 'a whole number of rows >= 1');
  checkPrices(prices);
  const out = new Map<number, Panel>();
  const n = prices.nDates,
    m = prices.nAssets,
    p = prices.values;
  for (const h of horizons) {
    const v = new Float64Array(n * m).fill(NaN);
    for (let t = 0; t + h < n; t++) {
      const a = t * m,
        b = (t + h) * m;
      for (let j = 0; j < m; j++) v[a + j] = forwardReturn(p[a + j], p[b + j]);
    }
    out.set(h, new Panel(prices.dates, prices.assets, v));
  }
  return out;
}

/** A risk-free (or benchmark) series on its own calendar. */
export interface DatedSeries {
  dates: Calendar;
  values: ArrayLike<number>;
}

/**
 * Excess returns `r_t - rf_t`. `rf` is either one value per panel row or a dated series, matched
 * by date; a date without a risk-free value gives NaN (no fill). A dated series must have strictly
 * increasing dates and one value per date, and a plain series one value per row (else an
 * `InputError`; they were RangeErrors).
 */
export function excessReturns(returns: Panel, rf: ArrayLike<number> | DatedSeries): Panel {
  const n = returns.nDates,
    m = returns.nAssets;
  let rfRow: Float64Array;
  if ('dates' in rf && 'values' in rf) {
    if (!isCalendar(rf.dates)) checkCalendar('risk-free dates', rf.dates);
    if (rf.values.length !== rf.dates.length) {
      throw new InputError(`the risk-free series has ${rf.values.length} values for ${rf.dates.length} dates`, {
        hint: 'give one value per date',
      });
    }
    const idx = mapCalendar(returns.dates, rf.dates);
    rfRow = Float64Array.from(idx, (i) => (i >= 0 ? rf.values[i] : NaN));
  } else {
    if (rf.length !== n)
      throw new InputError(`the risk-free series has ${rf.length} values, the returns have ${n} dates`, {
        hint: 'give one value per row of the returns, or a dated series { dates, values } to match by date',
      });
    rfRow = Float64Array.from(rf);
  }
  // NaN is a missing rate (that date's excess returns are missing); ±Infinity made every return of the date ∓Infinity
  for (let t = 0; t < n; t++)
    if (rfRow[t] === Infinity || rfRow[t] === -Infinity)
      throw new InputError(`the risk-free rate is ${rfRow[t]} on ${formatIsoDate(returns.dates[t])}: a missing rate is NaN`, {
        options: ['rf'],
      });
  const out = new Float64Array(n * m);
  for (let t = 0; t < n; t++) {
    const r = rfRow[t],
      a = t * m;
    for (let j = 0; j < m; j++) out[a + j] = returns.values[a + j] - r;
  }
  return new Panel(returns.dates, returns.assets, out);
}

export type ResampleFrequency = 'weekly' | 'monthly';

/**
 * Prices resampled to weeks (ending Sunday, pandas `W`) or calendar months: each asset's last
 * non-missing price within the period (pandas `resample(...).last()`), dated at the last date of
 * the period that is in the panel's calendar (the last trading day, not the calendar month end).
 * An asset with no price in a period is missing there.
 */
export function resamplePrices(prices: Panel, frequency: ResampleFrequency): Panel {
  checkOneOf('frequency', frequency, ['weekly', 'monthly']); // anything else was resampled monthly
  const n = prices.nDates,
    m = prices.nAssets,
    p = prices.values;
  const key = frequency === 'weekly' ? weekIndex : monthIndex;
  const ends: number[] = [];
  for (let t = 0; t < n; t++) if (t === n - 1 || key(prices.dates[t + 1]) !== key(prices.dates[t])) ends.push(t);
  const out = new Float64Array(ends.length * m).fill(NaN);
  let start = 0;
  for (let k = 0; k < ends.length; k++) {
    const end = ends[k];
    for (let j = 0; j < m; j++) {
      for (let t = end; t >= start; t--) {
        const v = p[t * m + j];
        if (v === v) {
          out[k * m + j] = v;
          break;
        }
      }
    }
    start = end + 1;
  }
  return new Panel(
    Int32Array.from(ends, (t) => prices.dates[t]),
    prices.assets,
    out,
  );
}

/**
 * The first and last day numbers on which at least one asset has a return (a finite value), or
 * null when none has. Returns computed from prices have none on the first price date; a fit window
 * (and so F, estimated over it) that starts there would hold a factor return no regression used,
 * so F's estimation window starts here (the risk model of optimize/replicate, the variance
 * decomposition and report of exposures/rolling).
 */
export function returnsSpan(returns: Panel): [number, number] | null {
  const n = returns.nDates,
    m = returns.nAssets,
    v = returns.values;
  const any = (t: number): boolean => {
    for (let j = t * m, e = j + m; j < e; j++) if (Number.isFinite(v[j])) return true;
    return false;
  };
  let a = 0,
    b = n - 1;
  while (a < n && !any(a)) a++;
  if (a === n) return null;
  while (b > a && !any(b)) b--;
  return [returns.dates[a], returns.dates[b]];
}

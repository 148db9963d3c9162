/**
 * Inputs that cannot be what the user says they are, caught before they silently become numbers:
 * prices passed as returns, factor returns in percent read as decimals, column names that differ
 * only in case. Each check refuses with an InputError (exit 2) naming the file, the column and the
 * flag that resolves it.
 */
import { detectFrequency } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import { medianInPlace } from '../stats/descriptive.js';
import { formatNumber } from './format.js';

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

/** Median |value| above which a daily, weekly or monthly factor column cannot be in decimal. */
export const PERCENT_FACTOR_MEDIAN = 0.2;

/**
 * Refuses factor columns that look like percent when the user did not give --factor-scale:
 * a daily, weekly or monthly column (other than the risk-free one) whose median |value| exceeds
 * {@link PERCENT_FACTOR_MEDIAN} (decimal daily factor returns have a median |value| near 0.005,
 * monthly ones near 0.03; the same in percent, 0.5 and 3). An explicit --factor-scale (1 for
 * "they really are decimal") skips the check.
 */
export function assertDecimalFactors(frame: Frame, file: string, riskFree: string | undefined): void {
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

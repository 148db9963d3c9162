/**
 * Returns compounded from a finer calendar (daily) to a coarser one (the month ends of a monthly
 * factor file), so that returns and factors of different frequencies can be regressed together.
 *
 * Rule. Coarse dates `to[0] < to[1] < ...` end the periods `(to[k-1], to[k]]`, k >= 1 (the first
 * coarse date has no start and gives no period). An asset's compounded simple return over period
 * k is `Π(1 + r_t) - 1` over the fine returns dated t in `(to[k-1], to[k]]`, and is counted only
 * when the period is complete:
 * - the fine calendar covers the whole period: its first date is on or before `to[k-1]`, or only
 *   Saturdays and Sundays lie between `to[k-1]` and it; and its last date is on or after `to[k]`,
 *   or only Saturdays and Sundays lie after it up to `to[k]` (a month end on a weekend). This is
 *   the weekday-calendar reading; a holiday at the edge makes the period incomplete (dropped,
 *   never counted short);
 * - the asset has a finite return on every fine date of the period (one missing day makes the
 *   period's return missing, never the compounded rest);
 * - the period holds at least one fine date.
 * The output keeps only the complete periods' dates (each dated `to[k]`, the coarse date itself)
 * and every asset; a complete period where an asset lacks a return is NaN for that asset.
 * Pure: the input is not touched.
 *
 * Definitions (all of them, in one place): docs/definitions.md#returns.
 */
import { type Calendar, lowerBound } from './calendar.js';
import { dayOfWeek } from './dates.js';
import { Panel } from './panel.js';

export interface CompoundedReturns {
  /** Compounded returns on the complete periods' end dates. */
  panel: Panel;
  /** Coarse dates that ended no complete period (the first one always; edges of the fine calendar). */
  incomplete: number;
}

/** True when every day in the open interval (a, b) is a Saturday or Sunday (vacuously when b <= a + 1). */
function onlyWeekendsBetween(a: number, b: number): boolean {
  for (let d = a + 1; d < b; d++) if (dayOfWeek(d) < 5) return false; // ISO: 5 Saturday, 6 Sunday
  return true;
}

/** The fine returns `returns` compounded to the periods ending on the dates of `to` (see the module rule). */
export function compoundReturns(returns: Panel, to: Calendar): CompoundedReturns {
  const fine = returns.dates,
    n = fine.length,
    m = returns.nAssets,
    r = returns.values;
  const keep: number[] = [];
  const rows: Float64Array[] = [];
  for (let k = 1; k < to.length; k++) {
    const a = to[k - 1],
      b = to[k];
    if (n === 0) break;
    const startCovered = fine[0] <= a || onlyWeekendsBetween(a, fine[0]);
    const endCovered = fine[n - 1] >= b || onlyWeekendsBetween(fine[n - 1], b + 1);
    const from = lowerBound(fine, a + 1),
      until = lowerBound(fine, b + 1); // fine rows in (a, b]
    if (!startCovered || !endCovered || until <= from) continue;
    const row = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      let g = 1;
      for (let t = from; t < until; t++) g *= 1 + r[t * m + j]; // NaN propagates: one missing day, NaN
      row[j] = g - 1;
    }
    keep.push(b);
    rows.push(row);
  }
  const values = new Float64Array(keep.length * m);
  rows.forEach((row, i) => values.set(row, i * m));
  return { panel: new Panel(Int32Array.from(keep), returns.assets, values), incomplete: to.length - keep.length };
}

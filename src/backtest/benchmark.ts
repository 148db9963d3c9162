/**
 * Benchmark returns on a backtest's rows.
 *
 * - `equalWeightReturns`: the equal-weighted universe, rebalanced every row: b_t = mean over the
 *   names tradable on t−1 and priced on t of p_j(t)/p_j(t−1) − 1 (NaN when there is none).
 * - `seriesReturns`: a benchmark price series (an index level, or one asset) on the rows' dates:
 *   b_t = B(d_t)/B(d_{t−1}) − 1 for consecutive rows, NaN when either level is missing.
 *
 * The first reported row of a backtest has no period before it inside the run; its benchmark
 * return is 0, like the strategy's gross return there.
 */
import { isCalendar, type Calendar } from '../core/calendar.js';
import { checkInteger, checkLength } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Panel } from '../core/panel.js';
import { tradableMask, type UniverseSpec } from './universe.js';

/** Equal-weighted universe returns for rows firstRow..firstRow + length − 1 of the prices. */
export function equalWeightReturns(prices: Panel, universe: UniverseSpec, firstRow: number, length: number): Float64Array {
  const m = prices.nAssets,
    p = prices.values;
  // rows past the prices would read undefined (NaN returns); a negative first row, rows before them
  checkInteger('firstRow', firstRow, 0, Math.max(0, prices.nDates - 1), `a row of the prices, a whole number in 0..${prices.nDates - 1}`);
  checkInteger(
    'length',
    length,
    0,
    prices.nDates - firstRow,
    `a whole number of rows in 0..${prices.nDates - firstRow} (the rows from firstRow to the last price)`,
  );
  const tradable = tradableMask(prices, universe);
  const out = new Float64Array(length);
  for (let i = 1; i < length; i++) {
    const t = firstRow + i;
    let s = 0,
      k = 0;
    for (let j = 0; j < m; j++) {
      if (tradable[(t - 1) * m + j] !== 1) continue;
      const r = p[t * m + j] / p[(t - 1) * m + j] - 1;
      if (r === r) {
        s += r;
        k++;
      }
    }
    out[i] = k > 0 ? s / k : NaN;
  }
  return out;
}

/** Returns of a level series (`levels` on `levelDates`) between consecutive `dates`; row 0 is 0. */
export function seriesReturns(levels: ArrayLike<number>, levelDates: Calendar, dates: Calendar): Float64Array {
  checkLength('levels', levels.length, levelDates.length, 'one level per date of levelDates');
  if (!isCalendar(levelDates))
    throw new InputError('levelDates must be strictly increasing day numbers (makeCalendar sorts them)', { options: ['levelDates'] });
  const at = new Map<number, number>();
  for (let i = 0; i < levelDates.length; i++) at.set(levelDates[i], levels[i]);
  const out = new Float64Array(dates.length);
  for (let i = 1; i < dates.length; i++) out[i] = (at.get(dates[i]) ?? NaN) / (at.get(dates[i - 1]) ?? NaN) - 1;
  return out;
}

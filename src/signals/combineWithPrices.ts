/**
 * Composites from factor files and prices: aligns several factor Panels on one grid, computes the
 * forward returns their IC weights need from prices (factorData.ts rules: a factor date trades on
 * the first price date on or after it, plus the execution lag), and passes `combineFactors` the day
 * each forward return is realised, so that at formation date t only ICs whose forward returns
 * ended on or before t weigh in (no look-ahead, whatever the factors' calendar).
 *
 * Grid: the dates every factor has (inner join) and the assets any factor has (outer join); factor
 * dates before the first price date, or merged into a later one on the same price date, have no
 * IC and leave the grid; the latest dates, whose forward returns are not realised yet (or lie past
 * the last price), stay: their weights come from the ICs realised before them.
 */
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { alignPanels, reindexAssets, reindexPanel } from '../core/align.js';
import { combineFactorsOf, type CompositeOptions, type CompositeResult } from './composite.js';
import { checkOptionNames } from '../core/checks.js';
import { prepareFactorData } from './factorData.js';

export interface CombineWithPricesOptions extends Omit<CompositeOptions, 'forward' | 'realisedDays'> {
  /** Horizon of the IC in rows of the price calendar (default 1). */
  horizon?: number;
  executionLag?: number;
}

/** Combines named factors; `prices` are needed for the 'ic' and 'icir' methods. */
export function combineFactorsWithPrices(
  factors: Readonly<Record<string, Panel>>,
  prices: Panel | undefined,
  options: CombineWithPricesOptions = {},
): CompositeResult {
  checkOptionNames<CombineWithPricesOptions>('combineFactorsWithPrices options', options, {
    method: true,
    horizon: true,
    window: true,
    minPeriods: true,
    ic: true,
    minAssets: true,
    executionLag: true,
  });
  const names = Object.keys(factors);
  if (names.length === 0) throw new InputError('combining needs at least one factor');
  const aligned = alignPanels(
    names.map((k) => factors[k]),
    { dates: 'inner', assets: 'outer' },
  );
  if (aligned[0].nDates === 0)
    throw new InputError(`the factors ${names.join(', ')} share no date`, { hint: 'combine factors measured on the same dates' });
  const method = options.method ?? 'equal';
  if (method === 'equal') {
    return combineFactorsOf(Object.fromEntries(names.map((k, i) => [k, aligned[i]])), { ...options, horizon: 1 });
  }
  if (prices === undefined)
    throw new InputError(`method '${method}' weighs factors by their IC, which needs prices`, { hint: 'pass --prices' });
  const h = options.horizon ?? 1;
  // Forward returns wherever any factor has a value: a presence panel stands in for the factor.
  const grid = aligned[0];
  const presence = new Float64Array(grid.values.length).fill(NaN);
  for (const p of aligned) for (let i = 0; i < presence.length; i++) if (p.values[i] === p.values[i]) presence[i] = 1;
  const data = prepareFactorData({
    factor: new Panel(grid.dates, grid.assets, presence),
    prices,
    horizons: [h],
    executionLag: options.executionLag,
    universe: 'pairwise',
    minAssets: 1,
    maxLoss: 1,
  });
  // The formation dates: those prepareFactorData kept (an IC each), then every later factor date,
  // whose forward return is not realised yet (the last h price rows, or past the last price): they
  // have no IC of their own, but their weights come from earlier ICs, and the latest of them is the
  // composite one trades on, so they stay (realised on day Infinity: never in a window).
  const kept = data.dates.length;
  const lastKept = kept > 0 ? data.dates[kept - 1] : -Infinity;
  let tail = 0;
  while (tail < grid.nDates && grid.dates[grid.nDates - 1 - tail] > lastKept) tail++;
  const dates = new Int32Array(kept + tail);
  dates.set(data.dates);
  dates.set(grid.dates.subarray(grid.nDates - tail), kept);
  const onGrid = (p: Panel): Panel => reindexAssets(reindexPanel(p, dates), data.assets);
  const realisedDays = new Float64Array(dates.length).fill(Infinity);
  for (let t = 0; t < kept; t++) {
    const e = data.entryRows[t];
    if (e + h < data.priceDates.length) realisedDays[t] = data.priceDates[e + h];
  }
  return combineFactorsOf(Object.fromEntries(names.map((k, i) => [k, onGrid(aligned[i])])), {
    ...options,
    forward: onGrid(data.forward.get(h) as Panel),
    realisedDays,
  });
}

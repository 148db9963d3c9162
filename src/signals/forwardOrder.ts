/**
 * The forward returns' per-date sort order, computed once and shared by every factor tested on the
 * same prices (a zoo, issue 14), so that a factor's rank IC does not sort the returns again.
 *
 * The rank IC of formation date t (statistics/ic.ts) is the Pearson correlation of the average
 * ranks of the date's complete pairs. The returns' side of those pairs is a subset of one row of
 * the shared forward returns: the row of t's entry price date e (FactorData `entryRows`), at the
 * price columns of the factor's assets, because the prepared forward return of a pair is exactly
 * `forwardReturns.get(h)[e, column]` (factorData.ts). So each row of the shared returns is sorted
 * once into the less-count of each cell (the number of the row's values below it; stats
 * `rowLessCounts`), and a factor's pairs are ranked from their cells' less-counts by counting
 * (stats `ranksFromLessCounts`), ties sharing their mean rank — the same ranks, so the same rank
 * IC, bit for bit, as sorting the pairs' returns (sharedRanks.test.ts, registry.test.ts).
 *
 * The order is used only for data prepared from the very panels it was computed from
 * (FactorData `forwardSource`, compared by identity), never for other returns.
 */
import type { Panel } from '../core/panel.js';
import { rowLessCounts, type RowLessCounts } from '../stats/ranks.js';
import type { FactorData } from './factorData.js';

/** The per-row sort order of shared forward returns ({@link forwardReturnOrder}). */
export interface ForwardReturnOrder {
  /** The forward returns it is the order of: pass this map as `forwardReturns` too. */
  readonly forward: ReadonlyMap<number, Panel>;
  /** Per horizon, the stats `rowLessCounts` of that panel's values (one row per price date). */
  readonly rows: ReadonlyMap<number, RowLessCounts>;
}

/**
 * Sorts every row of every horizon's forward returns once (core `forwardReturns(prices, h)`, the
 * map also given as `AnalyzeOptions.forwardReturns`). `alloc` makes the buffers (default an
 * ArrayBuffer; a SharedArrayBuffer for worker threads). 4 bytes per cell and horizon.
 */
export function forwardReturnOrder(forward: ReadonlyMap<number, Panel>, alloc?: (bytes: number) => ArrayBufferLike): ForwardReturnOrder {
  const rows = new Map<number, RowLessCounts>();
  for (const [h, p] of forward) rows.set(h, rowLessCounts(p.values, p.nDates, p.nAssets, alloc));
  return { forward, rows };
}

/** One horizon's presorted returns as the pair pass reads them (pairStats.ts). */
export interface ReturnsOrderOfRows {
  order: RowLessCounts;
  /** The order row (entry price row) of each formation row. */
  entry: Int32Array;
  /** The column of each factor asset in the returns' rows; 0 for an asset without prices (never a pair). */
  col: Int32Array;
}

/**
 * The presorted returns of horizon h for `data`, or null when they do not apply: no order given,
 * or `data` was not prepared from the very panel the order was computed from, or two factor
 * assets share a price column.
 */
export function returnsOrderFor(data: FactorData, order: ForwardReturnOrder | undefined, horizon: number): ReturnsOrderOfRows | null {
  if (order === undefined) return null;
  const panel = order.forward.get(horizon),
    rows = order.rows.get(horizon);
  if (panel === undefined || rows === undefined || data.forwardSource?.get(horizon) !== panel) return null;
  if (rows.nRows !== panel.nDates || rows.nCols !== panel.nAssets) return null;
  const nCols = rows.nCols;
  const col = new Int32Array(data.assets.length);
  const seen = new Uint8Array(nCols);
  for (let j = 0; j < col.length; j++) {
    const c = panel.assetIndex(data.assets[j]);
    if (c < 0) col[j] = 0;
    else {
      if (seen[c] === 1) return null;
      seen[c] = 1;
      col[j] = c;
    }
  }
  return { order: rows, entry: data.entryRows, col };
}

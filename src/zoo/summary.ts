/**
 * The zoo's summary table: one row per factor × horizon with the numbers a researcher ranks
 * factors by, read from each factor's `analyze` result (signals `analysisHeadlines`, the same
 * numbers `factorlab analyze` prints), and one row per horizon for a factor that failed, with its
 * reason and no numbers. A factor that ran but whose statistics are n/a for want of a spread across
 * assets (analyze's no-spread note), or whose t-values are n/a because a statistic never varies over
 * time (its no-variation note), has that cause as its `reason`; other rows that ran have none.
 *
 * Columns (all from the analyze JSON of the factor, at horizon h):
 *   ic_mean, ic_ir, ic_t, ic_t_nw            Pearson IC per date: mean, mean/sd, t, Newey-West t
 *   rank_ic_mean, rank_ic_ir, rank_ic_t, rank_ic_t_nw   the same for the Spearman (rank) IC
 *   spread, spread_t_nw                      top-minus-bottom quantile return per period, its NW t
 *   monotonicity                             Spearman correlation of quantile label and mean return
 *   turnover_top, turnover_bottom            mean turnover of the top and bottom quantile
 *   share_abs_t_above_2                      share of dates whose regression-test |t| > 2
 *   data_loss                                share of factor observations lost at this horizon
 *   n_dates, n_assets                        formation dates and assets of the analysis
 * Missing numbers (NaN: e.g. no turnover with a single rebalance) are `null`, so a row survives
 * JSON (a BullMQ job's return value) unchanged.
 *
 * Order: {@link sortRows} by one column, failed rows and missing values last, ties broken by
 * factor name and horizon, so the same rows always give the same table.
 */
import { InputError } from '../core/errors.js';
import { analysisHeadlines, type FactorAnalysis } from '../signals/analyze.js';

export const NUMBER_COLUMNS = [
  'ic_mean',
  'ic_ir',
  'ic_t',
  'ic_t_nw',
  'rank_ic_mean',
  'rank_ic_ir',
  'rank_ic_t',
  'rank_ic_t_nw',
  'spread',
  'spread_t_nw',
  'monotonicity',
  'turnover_top',
  'turnover_bottom',
  'share_abs_t_above_2',
  'data_loss',
  'n_dates',
  'n_assets',
] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];
export const SORT_COLUMNS: readonly string[] = ['factor', 'horizon', ...NUMBER_COLUMNS];

export type ZooRow = { factor: string; horizon: number; status: 'ok' | 'failed' } & Record<NumberColumn, number | null> & {
    reason: string | null;
  };

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The rows of one analysed factor, one per horizon; `reason` says why its numbers are n/a when the
 * analysis gave a cause (analyze's no-spread note), else null.
 */
export function rowsOfAnalysis(factor: string, a: FactorAnalysis, reason: string | null = null): ZooRow[] {
  return analysisHeadlines(a).map((h) => {
    const loss = a.dataLoss.horizons.find((x) => x.horizon === h.horizon);
    return {
      factor,
      horizon: h.horizon,
      status: 'ok',
      ic_mean: finite(h.ic.mean),
      ic_ir: finite(h.ic.ir),
      ic_t: finite(h.ic.tStat),
      ic_t_nw: finite(h.ic.tStatNW),
      rank_ic_mean: finite(h.rankIc.mean),
      rank_ic_ir: finite(h.rankIc.ir),
      rank_ic_t: finite(h.rankIc.tStat),
      rank_ic_t_nw: finite(h.rankIc.tStatNW),
      spread: finite(h.spreadMean),
      spread_t_nw: finite(h.spreadTNW),
      monotonicity: finite(h.monotonicity),
      turnover_top: finite(h.turnoverTop),
      turnover_bottom: finite(h.turnoverBottom),
      share_abs_t_above_2: finite(h.shareAbsTAbove2),
      data_loss: loss === undefined ? null : finite(loss.totalShare),
      n_dates: a.nDates,
      n_assets: a.nAssets,
      reason,
    };
  });
}

/** The rows of a factor that failed: one per requested horizon, no numbers, the reason. */
export function rowsOfFailure(factor: string, horizons: readonly number[], reason: string): ZooRow[] {
  const empty = Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, null])) as Record<NumberColumn, null>;
  return horizons.map((horizon) => ({ factor, horizon, status: 'failed', ...empty, reason }));
}

export interface SortKey {
  column: string;
  descending: boolean;
}

/** `COL`, `COL:desc` or `COL:asc`; numbers sort descending and `factor` ascending unless told. */
export function parseSortKey(text: string): SortKey {
  const [column, dir, ...rest] = text.split(':');
  if (!SORT_COLUMNS.includes(column) || rest.length > 0 || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
    throw new InputError(`--sort takes a column of the summary, optionally :asc or :desc`, {
      value: text,
      hint: `one of ${SORT_COLUMNS.join(', ')}; e.g. --sort rank_ic_t_nw (largest first) or --sort ic_mean:asc`,
    });
  }
  return { column, descending: dir === undefined ? column !== 'factor' && column !== 'horizon' : dir === 'desc' };
}

const byName = (a: ZooRow, b: ZooRow): number => (a.factor < b.factor ? -1 : a.factor > b.factor ? 1 : a.horizon - b.horizon);

/** A sorted copy: by `key`, failed rows and missing values last, then by factor name and horizon. */
export function sortRows(rows: readonly ZooRow[], key: SortKey): ZooRow[] {
  const sign = key.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'ok' ? -1 : 1;
    if (key.column === 'factor') return sign * byName(a, b) || 0;
    const va = (a as unknown as Record<string, number | null>)[key.column],
      vb = (b as unknown as Record<string, number | null>)[key.column];
    if (va !== vb) {
      if (va === null) return 1;
      if (vb === null) return -1;
      return sign * (va - vb);
    }
    return byName(a, b);
  });
}

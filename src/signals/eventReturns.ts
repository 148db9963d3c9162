/**
 * The event view of a factor (alphalens `average_cumulative_return_by_quantile`): the average
 * cumulative return of each quantile's assets around the formation date, from `before` price rows
 * before day zero to `after` rows after it.
 *
 * Day zero of formation row t is its entry row e(t) in the price calendar (the matched price row
 * plus the execution lag; alphalens: the factor's date). For an offset k in −before..after with
 * 0 <= e + k < number of price rows:
 *
 *   c_j(t, k) = p_j(e + k) / p_j(e) − 1                       (0 at k = 0, missing if either price is)
 *   s_q(t, k) = mean of c_j(t, k) over the assets labelled q on t with a finite c  (NaN if none)
 *   demeaned: s_q(t, k) − mean of c_j(t, k) over every labelled asset of t with a finite c
 *   mean_q(k) = mean over dates of the finite s_q(t, k); std_q(k) the same dates' std (ddof 1);
 *   n_q(k) the number of those dates
 *
 * exactly alphalens' `common_start_returns(cumulative=True, mean_by_date=True)` followed by the mean
 * and std over dates (pandas skipna). Offsets past either end of the price calendar are missing.
 */
import type { Panel } from '../core/panel.js';
import { checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { QuantileLabels } from './quantiles.js';

export interface EventReturnsInput {
  prices: Panel;
  /** Per formation row (labels' dates): the price row of day zero; negative = none. */
  entryRows: ArrayLike<number>;
  labels: QuantileLabels;
}

export interface EventReturnsOptions {
  /** Price rows before day zero (default 5). */
  before?: number;
  /** Price rows after day zero (default 21). */
  after?: number;
  /** Subtract the mean over every labelled asset of the date (default false). */
  demeaned?: boolean;
}

export interface EventReturns {
  offsets: number[];
  quantiles: number;
  demeaned: boolean;
  /** mean[q − 1][k index]. */
  mean: number[][];
  std: number[][];
  /** Dates averaged, [q − 1][k index]. */
  n: number[][];
}

function count(name: string, v: number): number {
  if (!(Number.isInteger(v) && v >= 0)) throw new InputError(`${name} must be a whole number of rows >= 0, got ${v}`);
  return v;
}

/** See the module comment. */
export function eventReturns(input: EventReturnsInput, options: EventReturnsOptions = {}): EventReturns {
  checkOptionNames<EventReturnsOptions>('eventReturns options', options, { before: true, after: true, demeaned: true });
  const before = count('before', options.before ?? 5),
    after = count('after', options.after ?? 21);
  const demeaned = options.demeaned ?? false;
  const { prices, labels, entryRows } = input;
  const nd = labels.dates.length,
    m = labels.assets.length,
    Q = labels.quantiles,
    np = prices.nDates,
    pm = prices.nAssets;
  if (entryRows.length !== nd) throw new InputError(`${entryRows.length} entry rows for ${nd} formation dates`);
  const col = Int32Array.from(labels.assets, (a) => prices.assetIndex(a));
  const K = before + after + 1;
  const offsets = Array.from({ length: K }, (_, i) => i - before);
  const sum = new Float64Array(Q * K),
    n = new Int32Array(Q * K);
  // s_q(t, k) of each date; every cell's values are kept for an exact two-pass std over dates
  const perDate = new Float64Array(Q * K);
  const qs = new Float64Array(Q),
    qn = new Int32Array(Q);
  const cells: number[][] = Array.from({ length: Q * K }, () => []);
  const P = prices.values;
  for (let t = 0; t < nd; t++) {
    const e = entryRows[t];
    if (!(e >= 0 && e < np)) continue;
    perDate.fill(NaN);
    for (let k = 0; k < K; k++) {
      const r = e + offsets[k];
      if (r < 0 || r >= np) continue;
      qs.fill(0);
      qn.fill(0);
      let all = 0,
        allN = 0;
      for (let j = 0; j < m; j++) {
        const q = labels.labels[t * m + j];
        const c = col[j];
        if (q < 1 || c < 0) continue;
        const p0 = P[e * pm + c],
          p1 = P[r * pm + c];
        const v = p1 / p0 - 1;
        if (!Number.isFinite(v)) continue;
        qs[q - 1] += v;
        qn[q - 1]++;
        all += v;
        allN++;
      }
      for (let q = 0; q < Q; q++) {
        if (qn[q] === 0) continue;
        perDate[q * K + k] = qs[q] / qn[q] - (demeaned ? all / allN : 0);
      }
    }
    for (let i = 0; i < Q * K; i++) {
      const v = perDate[i];
      if (v === v) {
        cells[i].push(v);
        sum[i] += v;
        n[i]++;
      }
    }
  }
  const mean: number[][] = [],
    std: number[][] = [],
    nOut: number[][] = [];
  for (let q = 0; q < Q; q++) {
    mean.push([]);
    std.push([]);
    nOut.push([]);
    for (let k = 0; k < K; k++) {
      const i = q * K + k,
        c = n[i];
      const mu = c > 0 ? sum[i] / c : NaN;
      let ss = 0;
      for (const v of cells[i]) ss += (v - mu) * (v - mu);
      mean[q].push(mu);
      std[q].push(c > 1 ? Math.sqrt(ss / (c - 1)) : NaN);
      nOut[q].push(c);
    }
  }
  return { offsets, quantiles: Q, demeaned, mean, std, n: nOut };
}

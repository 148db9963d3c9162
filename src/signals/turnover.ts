/**
 * Turnover of quantile portfolios and the factor's rank autocorrelation (alphalens conventions).
 *
 * - Quantile turnover (alphalens `quantile_turnover`): for quantile q, date t and lag L (rows of
 *   the formation dates; default the rebalance step, i.e. h for a daily factor),
 *     turnover_q(t) = #{names in q at t and not in q at t − L} / #{names in q at t},
 *   NaN for t < L or when q is empty at t or at t − L. Example: q holds {A, B, C, D, E} at t − L
 *   and {A, B, F, G, H} at t: turnover 3/5 = 0.6.
 * - Factor rank autocorrelation (alphalens `factor_rank_autocorrelation`): each date's factor
 *   values are ranked within that date's whole cross-section (average ranks), then
 *     autocorr(t) = Pearson(rank_t, rank_{t−L}) over the assets present on both dates.
 *   (This is Pearson of full-cross-section ranks, as alphalens computes it; it equals the Spearman
 *   correlation over the common assets when both dates hold the same assets.)
 * Summary: the mean over dates (NaN skipped).
 * Speed: `factorRankAutocorrelation` accepts the factor's row ranks (stats `rowRanks`) computed
 * once and shared with the rank IC of every horizon.
 */
import { InputError } from '../core/errors.js';
import type { Panel } from '../core/panel.js';
import { nanMean } from '../stats/descriptive.js';
import { rowRanks } from '../stats/ranks.js';
import type { NumArray } from './ic.js';
import type { QuantileLabels } from './quantiles.js';

export interface QuantileTurnover {
  lag: number;
  /** perDate[q - 1][t]. */
  perDate: Float64Array[];
  /** Mean over dates, per quantile. */
  mean: Float64Array;
}

function checkLag(lag: number): void {
  if (!Number.isInteger(lag) || lag < 1) throw new InputError(`turnover lag must be a whole number of rows >= 1, got ${lag}`);
}

export function quantileTurnover(labels: QuantileLabels, lag: number): QuantileTurnover {
  checkLag(lag);
  const n = labels.dates.length;
  const perDate = Array.from({ length: labels.quantiles }, () => new Float64Array(n).fill(NaN));
  quantileTurnoverRows(labels, lag, perDate, 0, n);
  return { lag, perDate, mean: Float64Array.from(perDate, (s) => nanMean(s)) };
}

/**
 * The turnover of the formation rows [t0, t1) into perDate[q − 1][t] (NaN written where undefined);
 * reads the labels of rows t − lag, which may lie before t0. The range kernel of {@link quantileTurnover}.
 */
export function quantileTurnoverRows(labels: QuantileLabels, lag: number, perDate: NumArray[], t0: number, t1: number): void {
  checkLag(lag);
  const m = labels.assets.length, Q = labels.quantiles, L = labels.labels;
  const now = new Int32Array(Q), fresh = new Int32Array(Q), before = new Int32Array(Q);
  for (let t = t0; t < Math.min(lag, t1); t++) for (let k = 0; k < Q; k++) perDate[k][t] = NaN;
  for (let t = Math.max(lag, t0); t < t1; t++) {
    now.fill(0); fresh.fill(0); before.fill(0);
    const a = t * m, b = (t - lag) * m;
    for (let j = 0; j < m; j++) {
      const lt = L[a + j], lb = L[b + j];
      if (lb > 0) before[lb - 1]++;
      if (lt > 0) { now[lt - 1]++; if (lb !== lt) fresh[lt - 1]++; }
    }
    for (let k = 0; k < Q; k++) perDate[k][t] = now[k] > 0 && before[k] > 0 ? fresh[k] / now[k] : NaN;
  }
}

export interface RankAutocorrelation {
  lag: number;
  perDate: Float64Array;
  mean: number;
}

/** `factorRanks`: optional `rowRanks(factor.values, nDates, nAssets)`, already computed. */
export function factorRankAutocorrelation(factor: Panel, lag: number, factorRanks?: Float64Array): RankAutocorrelation {
  checkLag(lag);
  const n = factor.nDates, m = factor.nAssets;
  if (factorRanks !== undefined && factorRanks.length !== n * m) throw new RangeError(`factorRanks has ${factorRanks.length} values, expected ${n * m}`);
  const ranks = factorRanks ?? rowRanks(factor.values, n, m);
  const perDate = new Float64Array(n).fill(NaN);
  rankAutocorrelationRows(ranks, m, lag, perDate, 0, n);
  return { lag, perDate, mean: nanMean(perDate) };
}

/**
 * The rank autocorrelation of the formation rows [t0, t1) from the factor's row ranks (`m` assets
 * a row) into perDate[t] (NaN written where undefined); reads rows t − lag, which may lie before t0.
 */
export function rankAutocorrelationRows(ranks: Float64Array, m: number, lag: number, perDate: NumArray, t0: number, t1: number): void {
  checkLag(lag);
  for (let t = t0; t < Math.min(lag, t1); t++) perDate[t] = NaN;
  for (let t = Math.max(lag, t0); t < t1; t++) {
    perDate[t] = NaN;
    const a = t * m, b = (t - lag) * m;
    let c = 0, sx = 0, sy = 0;
    for (let j = 0; j < m; j++) { const x = ranks[a + j], y = ranks[b + j]; if (x === x && y === y) { c++; sx += x; sy += y; } }
    if (c < 2) continue;
    const mx = sx / c, my = sy / c;
    let sxy = 0, sxx = 0, syy = 0;
    for (let j = 0; j < m; j++) {
      const x = ranks[a + j], y = ranks[b + j];
      if (x === x && y === y) { const dx = x - mx, dy = y - my; sxy += dx * dy; sxx += dx * dx; syy += dy * dy; }
    }
    if (sxx > 0 && syy > 0) perDate[t] = sxy / Math.sqrt(sxx * syy);
  }
}

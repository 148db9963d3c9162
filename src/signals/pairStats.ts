/**
 * The shared pair pass of the analysis engine (analyze.ts): the per-date statistics of one horizon
 * that share a date's sample, the complete (factor, forward return) pairs — the IC and rank IC
 * (statistics/ic.ts), the factor-weighted long-short return (statistics/quantiles.ts) and, when the
 * regression test has no controls and no weights, its simple per-date regression
 * (statistics/regression.ts) — declare a `pairs` step (statistic.ts), and one gather and one pair
 * of moment passes per date feed all of them (pairMoments.ts), instead of a gather and two or three
 * masked passes per statistic. Each number is the one its own module's kernel computes alone, bit
 * for bit (pairStats.test.ts: against informationCoefficientRows, regressionRows and
 * factorWeightedRows).
 *
 * With the forward returns presorted (forwardOrder.ts, a zoo) the pass also ranks each date's
 * returns among its pairs into `scratch.rb` (`returnsRanked`) by counting their less-counts in the
 * presorted row (stats `ranksFromLessCounts`), so the rank IC sorts nothing on the returns' side;
 * the ranks, and so every number, are the same.
 */
import type { Panel } from '../core/panel.js';
import { createCorrelationScratch } from '../stats/correlation.js';
import { ranksFromLessCounts } from '../stats/ranks.js';
import type { ReturnsOrderOfRows } from './forwardOrder.js';
import { createPairMoments, gatherPairs, gatherPairsLess, pairMoments } from './pairMoments.js';
import type { PairSample } from './statistic.js';

/**
 * The rows [t0, t1): per date, the complete pairs gathered once with the factor's row ranks and
 * their moments, handed to each step in order. With `returnsOrder` (the presorted forward returns
 * of this horizon) the returns' ranks among the pairs are in scratch.rb too (module doc).
 */
export function pairPass(
  factor: Panel,
  forward: Panel,
  factorRanks: Float64Array,
  steps: readonly ((p: PairSample, t: number) => void)[],
  t0: number,
  t1: number,
  returnsOrder: ReturnsOrderOfRows | null = null,
): void {
  const m = factor.nAssets,
    f = factor.values,
    r = forward.values;
  const sample: PairSample = { scratch: createCorrelationScratch(m), moments: createPairMoments(), ranked: true, returnsRanked: false };
  const { scratch, moments } = sample;
  if (returnsOrder === null) {
    for (let t = t0; t < t1; t++) {
      const n = gatherPairs(f, r, t * m, t * m, m, scratch, factorRanks, moments);
      if (n > 0) pairMoments(scratch.a, scratch.b, n, moments);
      for (let i = 0; i < steps.length; i++) steps[i](sample, t);
    }
    return;
  }
  const { order, entry, col } = returnsOrder;
  const nCols = order.nCols,
    less = order.less;
  const pairLess = new Uint32Array(m),
    counts = new Int32Array(nCols),
    rankAt = new Float64Array(nCols);
  for (let t = t0; t < t1; t++) {
    const e = entry[t];
    const n = gatherPairsLess(f, r, t * m, t * m, m, scratch, factorRanks, moments, less, e * nCols, col, pairLess);
    if (n > 0) pairMoments(scratch.a, scratch.b, n, moments);
    sample.returnsRanked = false;
    if (n >= 2) {
      const counted = ranksFromLessCounts(pairLess, n, order.count[e], counts, rankAt, scratch.rb);
      if (counted !== n)
        throw new Error(`pairPass: ${n - counted} of ${n} returns are not in the presorted row ${e}: the order is not of these returns`);
      sample.returnsRanked = true;
    }
    for (let i = 0; i < steps.length; i++) steps[i](sample, t);
  }
}

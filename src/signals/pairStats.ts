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
 */
import type { Panel } from '../core/panel.js';
import { createCorrelationScratch } from '../stats/correlation.js';
import { createPairMoments, gatherPairs, pairMoments } from './pairMoments.js';
import type { PairSample } from './statistic.js';

/**
 * The rows [t0, t1): per date, the complete pairs gathered once with the factor's row ranks and
 * their moments, handed to each step in order.
 */
export function pairPass(
  factor: Panel,
  forward: Panel,
  factorRanks: Float64Array,
  steps: readonly ((p: PairSample, t: number) => void)[],
  t0: number,
  t1: number,
): void {
  const m = factor.nAssets,
    f = factor.values,
    r = forward.values;
  const sample: PairSample = { scratch: createCorrelationScratch(m), moments: createPairMoments(), ranked: true };
  const { scratch, moments } = sample;
  for (let t = t0; t < t1; t++) {
    const n = gatherPairs(f, r, t * m, t * m, m, scratch, factorRanks, moments);
    if (n > 0) pairMoments(scratch.a, scratch.b, n, moments);
    for (let i = 0; i < steps.length; i++) steps[i](sample, t);
  }
}

/**
 * The per-date statistics of one horizon that share a date's sample, the complete (factor,
 * forward return) pairs: the IC and rank IC (ic.ts), the factor-weighted long-short return
 * (quantiles.ts `factorWeightedReturns`) and, when the regression test has no controls and no
 * weights, its simple per-date regression (regression.ts). One gather and one pair of moment
 * passes per date feed all of them (pairMoments.ts), instead of a gather and two or three masked
 * passes per statistic; each number is the one its own module computes alone, bit for bit
 * (tested against informationCoefficientRows, regressionRows and factorWeightedRows).
 */
import type { Panel } from '../core/panel.js';
import { createCorrelationScratch } from '../stats/correlation.js';
import { DEFAULT_MIN_ASSETS } from './factorData.js';
import { icOfPairs, informationCoefficientRows, type IcRowsOutput, type NumArray } from './ic.js';
import { createPairMoments, factorWeightedOfMoments, gatherPairs, pairMoments } from './pairMoments.js';
import { regressionRows, simpleFitOfMoments, type RegressionOptions, type RegressionRowsOutput } from './regression.js';

export interface PairStatisticsOutput {
  ic: IcRowsOutput;
  factorWeighted: NumArray;
  /** Filled only for a regression without controls or weights (see {@link pairStatisticsRows}). */
  regression: RegressionRowsOutput;
}

/** True when {@link pairStatisticsRows} fits the regression test itself (no groups, size or weights). */
export function simpleRegression(options: RegressionOptions): boolean {
  return options.groups === undefined && options.size === undefined && options.weights === undefined;
}

/**
 * The rows [t0, t1) of the IC (minimum pairs `minAssets`; `factorRanks` = the factor's rowRanks,
 * shared between horizons), the factor-weighted return and, when {@link simpleRegression}
 * holds for `regression`, the regression test, into `out` at those rows. The inputs are checked
 * (an empty range of each module's own kernel) before the loop.
 */
export function pairStatisticsRows(
  factor: Panel, forward: Panel, options: { minAssets: number; factorRanks?: Float64Array; regression: RegressionOptions },
  out: PairStatisticsOutput, t0: number, t1: number,
): void {
  informationCoefficientRows(factor, forward, options, out.ic, t0, t0);
  regressionRows(factor, forward, options.regression, out.regression, t0, t0);
  const fit = simpleRegression(options.regression);
  const regMin = options.regression.minAssets ?? DEFAULT_MIN_ASSETS, zscore = (options.regression.factorScale ?? 'raw') === 'zscore';
  const m = factor.nAssets, f = factor.values, r = forward.values, ranks = options.factorRanks ?? null;
  const s = createCorrelationScratch(m), mo = createPairMoments();
  const { ic, regression: reg, factorWeighted } = out;
  for (let t = t0; t < t1; t++) {
    const n = gatherPairs(f, r, t * m, t * m, m, s, ranks, mo);
    if (n > 0) pairMoments(s.a, s.b, n, mo);
    icOfPairs(s, mo, ranks !== null, options.minAssets, ic.pearson, ic.spearman, ic.n, t);
    factorWeighted[t] = factorWeightedOfMoments(mo);
    if (fit) {
      const d = simpleFitOfMoments(s.a, s.b, mo, regMin, zscore);
      reg.factorReturn[t] = d.b; reg.t[t] = d.t; reg.se[t] = d.se; reg.r2[t] = d.r2; reg.n[t] = d.n; reg.status[t] = d.status;
    }
  }
  if (!fit) regressionRows(factor, forward, options.regression, reg, t0, t1);
}

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

/** One horizon of {@link pairPassJoint}: its forward returns, its steps, its presorted returns (or null). */
export interface JointHorizon {
  forward: Panel;
  steps: readonly ((p: PairSample, t: number) => void)[];
  returnsOrder: ReturnsOrderOfRows | null;
}

/**
 * {@link pairPass} of several horizons at once, for the `joint` universe (factorData.ts), where
 * each horizon's forward return is present wherever the factor is: a date's complete pairs are
 * then the row's non-NaN factor values for every horizon, so the factor side is gathered once per
 * date (values, row ranks, asset positions) and its moments (Σx, Σx², x̄, Σ(x − x̄)², Σ|x − x̄|)
 * computed once, and each horizon gathers only its returns and adds the moments that read them
 * (Σy, ȳ, Σ(x − x̄)(y − ȳ), Σ(y − ȳ)², Σ(x − x̄)·y). Each sum adds the same terms in the same
 * order as pairMoments.ts (a sum of x-terms does not depend on the y-terms beside it), so every
 * step sees the sample {@link pairPass} gives it, bit for bit, and the steps of a horizon run in
 * date order as there. A date where some horizon lacks a return beside a factor value (data not
 * prepared jointly) takes pairPass's own route for that horizon and date, the same numbers.
 */
export function pairPassJoint(
  factor: Panel,
  factorRanks: Float64Array,
  horizons: readonly JointHorizon[],
  t0: number,
  t1: number,
  labels: Int32Array | null = null,
): void {
  const m = factor.nAssets,
    f = factor.values,
    H = horizons.length;
  const scratch = createCorrelationScratch(m),
    other = createCorrelationScratch(m);
  const a = scratch.a,
    b = scratch.b,
    ra = scratch.ra,
    rb = scratch.rb;
  const idx = new Int32Array(m),
    pairLess = new Uint32Array(m),
    lab = labels === null ? null : new Int32Array(m);
  const samples: PairSample[] = horizons.map(() => ({
    scratch,
    moments: createPairMoments(),
    ranked: true,
    returnsRanked: false,
    ...(lab !== null ? { labels: lab } : {}),
  }));
  const own: PairSample[] = samples.map((s) => ({ scratch: other, moments: s.moments, ranked: true, returnsRanked: false }));
  const counts = horizons.map((hz) => (hz.returnsOrder === null ? null : new Int32Array(hz.returnsOrder.order.nCols))),
    rankAt = horizons.map((hz) => (hz.returnsOrder === null ? null : new Float64Array(hz.returnsOrder.order.nCols)));
  for (let t = t0; t < t1; t++) {
    const xo = t * m;
    // the factor side: values, row ranks and positions of the row's non-NaN values (branch-free, as gatherPairs)
    let c = 0;
    for (let j = 0; j < m; j++) {
      const u = f[xo + j];
      a[c] = u;
      ra[c] = factorRanks[xo + j];
      idx[c] = j;
      c += Number(u === u);
    }
    if (lab !== null && labels !== null) for (let i = 0; i < c; i++) lab[i] = labels[xo + idx[i]];
    let sx = 0,
      raw = 0;
    for (let i = 0; i < c; i++) {
      const u = a[i];
      sx += u;
      raw += u * u;
    }
    const mx = sx / c;
    let sxx = 0,
      g = 0;
    for (let i = 0; i < c; i++) {
      const dx = a[i] - mx;
      sxx += dx * dx;
      g += Math.abs(dx);
    }
    for (let k = 0; k < H; k++) {
      const hz = horizons[k],
        y = hz.forward.values,
        ro = hz.returnsOrder,
        mo = samples[k].moments;
      // the returns of the pairs, their sum and (presorted) the counts of their less-counts, in one pass
      let missing = 0,
        sy = 0;
      if (ro === null) {
        for (let i = 0; i < c; i++) {
          const v = y[xo + idx[i]];
          b[i] = v;
          sy += v;
          missing += Number(v !== v);
        }
      } else {
        const less = ro.order.less,
          col = ro.col,
          lo = ro.entry[t] * ro.order.nCols,
          cnt = counts[k] as Int32Array;
        cnt.fill(0, 0, ro.order.count[ro.entry[t]]);
        for (let i = 0; i < c; i++) {
          const j = idx[i],
            v = y[xo + j],
            l = less[lo + col[j]];
          b[i] = v;
          pairLess[i] = l;
          cnt[l]++; // a NaN return's less-count is past the array (ignored), and the date takes pairPass's route
          sy += v;
          missing += Number(v !== v);
        }
      }
      if (missing > 0) {
        // not every factor value has this horizon's return: pairPass's route for this date
        const sample = own[k];
        pairPassRow(f, y, factorRanks, m, t, sample, ro, counts[k], rankAt[k], pairLess);
        for (let i = 0; i < hz.steps.length; i++) hz.steps[i](sample, t);
        continue;
      }
      mo.n = c;
      mo.present = c;
      if (c > 0) {
        const my = sy / c;
        let sxy = 0,
          syy = 0,
          r = 0;
        for (let i = 0; i < c; i++) {
          const v = b[i],
            dx = a[i] - mx,
            dy = v - my;
          sxy += dx * dy;
          syy += dy * dy;
          r += dx * v;
        }
        mo.meanX = mx;
        mo.meanY = my;
        mo.rawXX = raw;
        mo.sxx = sxx;
        mo.sxy = sxy;
        mo.syy = syy;
        mo.absDx = g;
        mo.dxY = r;
      }
      const sample = samples[k];
      sample.returnsRanked = false;
      if (ro !== null && c >= 2) {
        // stats ranksFromLessCounts with the counting done above: the same ranks
        const e = ro.entry[t],
          size = ro.order.count[e],
          cnt = counts[k] as Int32Array,
          at = rankAt[k] as Float64Array;
        let below = 0;
        for (let q = 0; q < size; q++) {
          const n = cnt[q];
          at[q] = (2 * below + n + 1) / 2;
          below += n;
        }
        if (below !== c)
          throw new Error(`pairPass: ${c - below} of ${c} returns are not in the presorted row ${e}: the order is not of these returns`);
        for (let i = 0; i < c; i++) rb[i] = at[pairLess[i]];
        sample.returnsRanked = true;
      }
      for (let i = 0; i < hz.steps.length; i++) hz.steps[i](sample, t);
    }
  }
}

/** One date of {@link pairPass} into `sample` (its own scratch): the gather, the moments and, with `returnsOrder`, the returns' ranks. */
function pairPassRow(
  f: Float64Array,
  r: Float64Array,
  factorRanks: Float64Array,
  m: number,
  t: number,
  sample: PairSample,
  returnsOrder: ReturnsOrderOfRows | null,
  counts: Int32Array | null,
  rankAt: Float64Array | null,
  pairLess: Uint32Array,
): void {
  const { scratch, moments } = sample;
  if (returnsOrder === null) {
    const n = gatherPairs(f, r, t * m, t * m, m, scratch, factorRanks, moments);
    if (n > 0) pairMoments(scratch.a, scratch.b, n, moments);
    sample.returnsRanked = false;
    return;
  }
  const { order, entry, col } = returnsOrder;
  const e = entry[t];
  const n = gatherPairsLess(f, r, t * m, t * m, m, scratch, factorRanks, moments, order.less, e * order.nCols, col, pairLess);
  if (n > 0) pairMoments(scratch.a, scratch.b, n, moments);
  sample.returnsRanked = false;
  if (n >= 2) {
    const counted = ranksFromLessCounts(pairLess, n, order.count[e], counts as Int32Array, rankAt as Float64Array, scratch.rb);
    if (counted !== n)
      throw new Error(`pairPass: ${n - counted} of ${n} returns are not in the presorted row ${e}: the order is not of these returns`);
    sample.returnsRanked = true;
  }
}

/**
 * The quantile backtest (the `quantiles[h]` section): per date, the count and equal-weighted mean
 * forward return of each quantile (labels 1..Q, pandas.qcut semantics and the tie rule of
 * quantiles.ts `quantileLabel`), the demeaned and (with weights) weighted means, the factor-weighted
 * long-short return (alphalens `factor_returns(demeaned=True)`: w = (f − f̄) / Σ|f − f̄| over the
 * complete pairs), then over dates: mean, std error, top-minus-bottom spread with its t and
 * Newey-West t, NAVs rebalanced every step, annualised returns and monotonicity (quantiles.ts has
 * every definition). The labels are the engine's shared intermediate (one set in the joint
 * universe, per horizon in the pairwise one); their counts of unlabelled cells and single-valued
 * sections are reported here. Fast routes: quantiles.ts `quantileMeanRows` on the shared labels;
 * the factor-weighted return from the shared pair moments (pairMoments.ts).
 */
import type { Panel } from '../../core/panel.js';
import { formatIsoDate } from '../../core/dates.js';
import type { QuantileAnalysisJson, QuantileVariantJson } from '../analysisTypes.js';
import { factorWeightedOfMoments } from '../pairMoments.js';
import {
  numpyQuantileSorted,
  quantileLabel,
  quantileMeanRows,
  quantileMeansOfPairs,
  quantileReturnsFromRows,
  resolveBinning,
  DEFAULT_QUANTILES,
  type QuantileMeans,
} from '../quantiles.js';
import { defineStatistic, type RowsContext, type StatisticSetup } from '../statistic.js';

export interface QuantileRows {
  count: Int32Array[];
  equal: Float64Array[];
  demeaned: Float64Array[];
  weighted?: Float64Array[];
  weightedDemeaned?: Float64Array[];
  factorWeighted: Float64Array;
}

/** The labels of the analysis at one horizon by the definition, with the per-date counts the engine reports. */
export interface ReferenceLabels {
  labels: Int32Array;
  unlabeled: Int32Array;
  single: Int32Array;
}

/**
 * Quantile labels by the definition (quantiles.ts module doc): per date, and per group with
 * `byGroup`, the section's finite factor values (inside the mask: the horizon's forward returns in
 * the pairwise universe) sorted, the edges from them (numpy quantiles, equal-width bins or the
 * fixed edges), each value labelled by {@link quantileLabel}.
 */
export function referenceLabels(s: StatisticSetup): ReferenceLabels {
  const { data, options } = s;
  const r = resolveBinning(options.quantiles ?? DEFAULT_QUANTILES),
    q = r.q;
  const m = data.assets.length,
    nd = s.nDates,
    f = data.factor.values;
  const mask: Panel | undefined = data.universe === 'joint' ? undefined : data.forward.get(s.horizon);
  const groups = options.byGroup ? data.groups : undefined,
    G0 = groups ? groups.names.length : 1;
  // zero-aware: each section's negative and non-negative values are binned apart, q / 2 labels each
  const zero = r.zeroAware === true,
    G = zero ? 2 * G0 : G0,
    qs = zero ? q / 2 : q;
  const out: ReferenceLabels = { labels: new Int32Array(nd * m), unlabeled: new Int32Array(nd), single: new Int32Array(nd) };
  for (let t = 0; t < nd; t++) {
    const sections: number[][] = Array.from({ length: G }, () => []);
    for (let j = 0; j < m; j++) {
      const v = f[t * m + j];
      if (!Number.isFinite(v) || (mask && Number.isNaN(mask.values[t * m + j]))) continue;
      const g = groups ? groups.codes[t * m + j] : 0;
      if (g < 0) {
        out.unlabeled[t]++;
        continue;
      } // a finite cell without a group
      if (g < G0) sections[zero ? 2 * g + +(v >= 0) : g].push(j);
    }
    for (const members of sections) {
      if (members.length === 0) continue;
      const sorted = members.map((j) => f[t * m + j]).sort((a, b) => a - b);
      const n = sorted.length,
        lo = sorted[0],
        hi = sorted[n - 1];
      let edges: number[];
      if (r.kind === 'binEdges') edges = Array.from(r.edges!);
      else if (!(hi > lo)) {
        out.single[t]++;
        out.unlabeled[t] += n;
        continue;
      } else if (r.kind === 'quantiles') edges = Array.from(r.probs!, (p) => numpyQuantileSorted(sorted, n, p));
      else {
        // pandas.cut(x, q): numpy.linspace(lo, hi, q + 1), the first edge lowered by 0.1% of the range
        edges = Array.from({ length: qs + 1 }, (_, k) => k * ((hi - lo) / qs) + lo);
        edges[qs] = hi;
        edges[0] -= (hi - lo) * 0.001;
      }
      for (const j of members) {
        const v = f[t * m + j];
        const label = quantileLabel(edges, 0, qs, v);
        out.labels[t * m + j] = label === 0 || !zero || v < 0 ? label : label + qs;
        if (label === 0) out.unlabeled[t]++;
      }
    }
  }
  return out;
}

const isoDates = (d: ArrayLike<number>): string[] => Array.from(d, formatIsoDate);

/** Whether the per-quantile means come from the pair steps (the engine gathers the pairs' labels; no weights). */
const meansOfPairs = (ctx: RowsContext): boolean => ctx.pairLabels === true && ctx.data.weights === undefined;
const byQuantile = <T>(values: readonly T[]): Record<string, T> => Object.fromEntries(values.map((v, k) => [String(k + 1), v]));
function sum(a: Int32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
function variantJson(v: QuantileMeans): QuantileVariantJson {
  return {
    meanReturn: byQuantile(v.perDate.map((s) => Array.from(s))),
    meanOverDates: byQuantile(Array.from(v.meanOverDates)),
    stdError: byQuantile(Array.from(v.stdError)),
    spread: { perDate: Array.from(v.spread), ...v.spreadStats },
  };
}

export const quantiles = defineStatistic({
  name: 'quantiles',
  title: 'mean forward return per quantile per date (equal, demeaned, weighted), factor-weighted return, NAV',
  optionKeys: ['quantiles', 'byGroup'],
  alwaysInResult: true,
  needsLabels: true,
  alloc: (s, a): QuantileRows => {
    const Q = s.quantiles,
      mk = (): Float64Array[] => Array.from({ length: Q }, a.f64);
    return {
      count: Array.from({ length: Q }, a.i32),
      equal: mk(),
      demeaned: mk(),
      ...(s.data.weights !== undefined ? { weighted: mk(), weightedDemeaned: mk() } : {}),
      factorWeighted: a.f64(),
    };
  },
  pairs: (ctx, rows) => {
    if (!meansOfPairs(ctx))
      return (p, t) => {
        rows.factorWeighted[t] = factorWeightedOfMoments(p.moments);
      };
    // the means from the pairs and their labels (quantiles.ts quantileMeansOfPairs), the same numbers as quantileMeanRows
    const Q = ctx.quantiles,
      sum = new Float64Array(Q + 1),
      cnt = new Int32Array(Q + 1);
    return (p, t) => {
      rows.factorWeighted[t] = factorWeightedOfMoments(p.moments);
      if (p.labels !== undefined) quantileMeansOfPairs(p.labels, p.scratch.b, p.moments.n, Q, rows, t, sum, cnt);
      else quantileMeanRows(ctx.labels, ctx.forward, {}, rows, t, t + 1);
    };
  },
  rows: (ctx, rows, t0, t1) => {
    if (!meansOfPairs(ctx)) quantileMeanRows(ctx.labels, ctx.forward, { weights: ctx.data.weights }, rows, t0, t1);
  },
  reference: (s): QuantileRows => {
    const { labels } = referenceLabels(s);
    const Q = s.quantiles,
      nd = s.nDates,
      m = s.data.assets.length;
    const fwd = s.data.forward.get(s.horizon)!.values,
      f = s.data.factor.values,
      w = s.data.weights?.values;
    const nan = (): Float64Array => new Float64Array(nd).fill(NaN);
    const out: QuantileRows = {
      count: Array.from({ length: Q }, () => new Int32Array(nd)),
      equal: Array.from({ length: Q }, nan),
      demeaned: Array.from({ length: Q }, nan),
      ...(w ? { weighted: Array.from({ length: Q }, nan), weightedDemeaned: Array.from({ length: Q }, nan) } : {}),
      factorWeighted: nan(),
    };
    for (let t = 0; t < nd; t++) {
      const members = (k: number): number[] =>
        Array.from({ length: m }, (_, j) => j).filter((j) => labels[t * m + j] === k && !Number.isNaN(fwd[t * m + j]));
      const all = Array.from({ length: m }, (_, j) => j).filter((j) => labels[t * m + j] !== 0 && !Number.isNaN(fwd[t * m + j]));
      const good = (j: number): boolean => w !== undefined && w[t * m + j] > 0 && w[t * m + j] !== Infinity;
      const avg = (js: number[]): number => js.reduce((a, j) => a + fwd[t * m + j], 0) / js.length;
      const wavg = (js: number[]): number => {
        const g = js.filter(good);
        return g.reduce((a, j) => a + w![t * m + j] * fwd[t * m + j], 0) / g.reduce((a, j) => a + w![t * m + j], 0);
      };
      for (let k = 1; k <= Q; k++) {
        const js = members(k);
        out.count[k - 1][t] = js.length;
        if (js.length > 0) {
          out.equal[k - 1][t] = avg(js);
          out.demeaned[k - 1][t] = avg(js) - avg(all);
        }
        if (w && js.some(good)) {
          out.weighted![k - 1][t] = wavg(js);
          out.weightedDemeaned![k - 1][t] = wavg(js) - wavg(all);
        }
      }
      const pairs = Array.from({ length: m }, (_, j) => j).filter((j) => !Number.isNaN(f[t * m + j]) && !Number.isNaN(fwd[t * m + j]));
      if (pairs.length >= 2) {
        const mu = pairs.reduce((a, j) => a + f[t * m + j], 0) / pairs.length;
        const gross = pairs.reduce((a, j) => a + Math.abs(f[t * m + j] - mu), 0);
        if (gross > 0) out.factorWeighted[t] = pairs.reduce((a, j) => a + (f[t * m + j] - mu) * fwd[t * m + j], 0) / gross;
      }
    }
    return out;
  },
  summarize: (ctx, rows: QuantileRows): QuantileAnalysisJson => {
    const { data } = ctx,
      h = ctx.horizon,
      step = ctx.step;
    const qr = quantileReturnsFromRows(data.dates, ctx.quantiles, rows, {
      horizon: h,
      step,
      periodsPerYear: data.periodsPerYear,
      weights: data.weights,
      factor: data.factor,
    });
    return {
      horizon: h,
      step,
      quantiles: qr.quantiles,
      dates: ctx.isoDates,
      count: byQuantile(qr.count.map((c) => Array.from(c))),
      ...variantJson(qr.equal),
      demeaned: variantJson(qr.demeaned),
      ...(qr.weighted ? { weighted: variantJson(qr.weighted) } : {}),
      ...(qr.factorWeighted ? { factorWeighted: { perDate: Array.from(qr.factorWeighted.perDate), ...qr.factorWeighted.stats } } : {}),
      nav: { dates: isoDates(qr.nav.dates), values: byQuantile(qr.nav.values.map((v) => Array.from(v))), step: qr.nav.step },
      annualizedReturn: byQuantile(Array.from(qr.nav.annualizedReturn)),
      monotonicity: qr.monotonicity,
      unlabeled: sum(ctx.all.labels.unlabeled),
      singleValueSections: sum(ctx.all.labels.single),
    };
  },
  headline: [
    { label: 'top - bottom / period', cell: (j) => ({ kind: 'percent', value: j?.spread.mean ?? NaN }) },
    { label: 'spread t (NW t)', cell: (j) => ({ kind: 'pair', value: j?.spread.tStat ?? NaN, second: j?.spread.tStatNW ?? NaN }) },
    { label: 'monotonicity', cell: (j) => ({ kind: 'number', value: j?.monotonicity ?? NaN }) },
  ],
  headlineValues: (j) => ({
    spreadMean: j?.spread.mean ?? NaN,
    spreadT: j?.spread.tStat ?? NaN,
    spreadTNW: j?.spread.tStatNW ?? NaN,
    monotonicity: j?.monotonicity ?? NaN,
  }),
});

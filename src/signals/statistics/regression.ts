/**
 * The cross-sectional regression test (the `regression[h]` section): one (weighted) least-squares
 * fit per formation date,
 *
 *   fwd_h(t, i) = a_t + b_t · f(t, i) [+ group dummies] [+ γ_t · log size(t, i)] + e_{t,i},
 *
 * b_t the factor return with its classical t-value and R² (statsmodels OLS / WLS; regression.ts
 * has the sample, the z-score option, the weights and the skip rules). Summary over dates:
 * regression.ts `summarizeRegression` (mean factor return with t and Newey-West t, mean |t|, share
 * |t| > 2, mean R²). Fast routes: without controls or weights, the engine's shared pair pass
 * (pairMoments.ts: b = Sxy / Sxx from the moments the IC uses, one residual pass); with them,
 * regression.ts `regressionRows` (Frisch–Waugh–Lovell partialling, no matrix work). Reference: the
 * normal equations of the full design, solved directly.
 */
import { COLLINEAR_TOL } from '../preprocess.js';
import {
  regressionFromRows,
  regressionRows,
  simpleFitOfMoments,
  simpleRegression,
  type RegressionOptions,
  type RegressionTest,
} from '../regression.js';
import { DEFAULT_IC_THRESHOLD } from '../summary.js';
import { defineStatistic, type StatisticSetup } from '../statistic.js';
import { wlsPlain } from './reference.js';

export interface RegressionRows {
  factorReturn: Float64Array;
  t: Float64Array;
  se: Float64Array;
  r2: Float64Array;
  n: Int32Array;
  status: Int32Array;
}

/** The regression options of an analysis at one horizon (the per-date fits and their summary). */
export function regressionOptions(s: Pick<StatisticSetup, 'data' | 'options' | 'step'>): RegressionOptions {
  const { data, options } = s;
  const reg = options.regression ?? {};
  return {
    horizon: s.step,
    periodsPerYear: data.periodsPerYear,
    threshold: options.icThreshold ?? DEFAULT_IC_THRESHOLD,
    minAssets: Math.max(3, data.minAssets),
    factorScale: reg.factorScale,
    groups: reg.groupControls ? data.groups : undefined,
    size: reg.size,
    logSize: reg.logSize,
    weights: reg.wls ? data.weights : undefined,
    weightTransform: reg.weightTransform,
    tThreshold: reg.tThreshold,
  };
}

/** One date's fit by the definition (the design matrix and the normal equations). */
function referenceRow(
  s: StatisticSetup,
  o: RegressionOptions,
  t: number,
): { b: number; se: number; t: number; r2: number; n: number; status: number } {
  const f = s.data.factor,
    r = s.data.forward.get(s.horizon)!,
    m = f.nAssets;
  const xs: number[] = [],
    ys: number[] = [],
    gs: number[] = [],
    ss: number[] = [],
    ws: number[] = [];
  for (let j = 0; j < m; j++) {
    const x = f.values[t * m + j],
      y = r.values[t * m + j];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    const g = o.groups ? o.groups.codes[t * m + j] : 0;
    if (o.groups && !(g >= 0 && g < o.groups.names.length)) continue;
    const sz = o.size ? ((o.logSize ?? true) ? Math.log(o.size.values[t * m + j]) : o.size.values[t * m + j]) : 0;
    if (!Number.isFinite(sz)) continue;
    const wv = o.weights ? o.weights.values[t * m + j] : 1;
    const w = o.weights && (o.weightTransform ?? 'sqrt') === 'sqrt' ? Math.sqrt(wv) : wv;
    if (!(w > 0 && w < Infinity)) continue;
    xs.push(x);
    ys.push(y);
    gs.push(g);
    ss.push(sz);
    ws.push(w);
  }
  const n = xs.length,
    none = { b: NaN, se: NaN, t: NaN, r2: NaN, n };
  if (n < (o.minAssets ?? 3) || n < 3) return { ...none, status: 1 };
  const wMean = (v: number[]): number => v.reduce((a, x, i) => a + ws[i] * x, 0) / ws.reduce((a, x) => a + x, 0);
  const wTss = (v: number[]): number => {
    const mu = wMean(v);
    return v.reduce((a, x, i) => a + ws[i] * (x - mu) ** 2, 0);
  };
  // controls: intercept, a dummy for every group present but the first, log size unless the dummies explain it
  const present = [...new Set(gs)].sort((a, b) => a - b);
  const dummies = present.slice(1);
  const controlRow = (i: number, withSize: boolean): number[] => [
    1,
    ...dummies.map((g) => (gs[i] === g ? 1 : 0)),
    ...(withSize ? [ss[i]] : []),
  ];
  let withSize = false;
  if (o.size) {
    const k = 1 + dummies.length,
      fit = wlsPlain(
        xs.flatMap((_, i) => controlRow(i, false)),
        ss,
        ws,
        n,
        k,
      );
    const sTss = wTss(ss);
    withSize = fit !== null && sTss > 0 && fit.ssr > COLLINEAR_TOL * sTss;
  }
  const kc = 1 + dummies.length + (withSize ? 1 : 0),
    p = kc + 1;
  if (n - p < 1) return { ...none, status: 1 };
  // rank-deficient: a constant factor, or one the controls explain
  const xTss = wTss(xs),
    raw = xs.reduce((a, x, i) => a + ws[i] * x * x, 0);
  const onControls = wlsPlain(
    xs.flatMap((_, i) => controlRow(i, withSize)),
    xs,
    ws,
    n,
    kc,
  );
  if (!(xTss > 1e-12 * raw) || onControls === null || !(onControls.ssr > COLLINEAR_TOL * xTss)) return { ...none, status: 2 };
  const full = wlsPlain(
    xs.flatMap((x, i) => [x, ...controlRow(i, withSize)]),
    ys,
    ws,
    n,
    p,
  );
  if (full === null) return { ...none, status: 2 };
  const b = full.beta[0],
    se = Math.sqrt((full.ssr / (n - p)) * full.inverse[0]);
  let scale = 1;
  if (o.factorScale === 'zscore') {
    const mu = xs.reduce((a, x) => a + x, 0) / n;
    scale = Math.sqrt(xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (n - 1));
  }
  const yTss = wTss(ys);
  return { b: b * scale, se: se * scale, t: b / se, r2: yTss > 0 ? 1 - full.ssr / yTss : NaN, n, status: 0 };
}

export const regression = defineStatistic({
  name: 'regression',
  title: 'the cross-sectional regression test: the factor return, its t and R² per date',
  optionKeys: ['regression', 'icThreshold'],
  alwaysInResult: true,
  alloc: (_s, a): RegressionRows => ({ factorReturn: a.f64(), t: a.f64(), se: a.f64(), r2: a.f64(), n: a.i32(), status: a.i32() }),
  check: (ctx, rows) => regressionRows(ctx.data.factor, ctx.forward, regressionOptions(ctx), rows, 0, 0),
  pairs: (ctx, rows) => {
    const o = regressionOptions(ctx);
    if (!simpleRegression(o)) return null;
    const minAssets = o.minAssets ?? 3,
      zscore = (o.factorScale ?? 'raw') === 'zscore';
    return (p, t) => {
      const d = simpleFitOfMoments(p.scratch.a, p.scratch.b, p.moments, minAssets, zscore);
      rows.factorReturn[t] = d.b;
      rows.t[t] = d.t;
      rows.se[t] = d.se;
      rows.r2[t] = d.r2;
      rows.n[t] = d.n;
      rows.status[t] = d.status;
    };
  },
  rows: (ctx, rows, t0, t1) => {
    const o = regressionOptions(ctx);
    if (!simpleRegression(o)) regressionRows(ctx.data.factor, ctx.forward, o, rows, t0, t1);
  },
  reference: (s): RegressionRows => {
    const o = regressionOptions(s),
      nd = s.nDates;
    const out: RegressionRows = {
      factorReturn: new Float64Array(nd),
      t: new Float64Array(nd),
      se: new Float64Array(nd),
      r2: new Float64Array(nd),
      n: new Int32Array(nd),
      status: new Int32Array(nd),
    };
    for (let t = 0; t < nd; t++) {
      const d = referenceRow(s, o, t);
      out.factorReturn[t] = d.b;
      out.t[t] = d.t;
      out.se[t] = d.se;
      out.r2[t] = d.r2;
      out.n[t] = d.n;
      out.status[t] = d.status;
    }
    return out;
  },
  summarize: (ctx, rows: RegressionRows): RegressionTest => regressionFromRows(ctx.data.dates, rows, regressionOptions(ctx)),
  headline: [
    { label: 'factor return mean', cell: (j) => ({ kind: 'number', value: j?.summary.meanFactorReturn ?? NaN, digits: 4 }) },
    { label: 'factor return NW t', cell: (j) => ({ kind: 'number', value: j?.summary.tStatNW ?? NaN }) },
    { label: 'mean |t|', cell: (j) => ({ kind: 'number', value: j?.summary.meanAbsT ?? NaN }) },
    { label: 'share |t| > 2', cell: (j) => ({ kind: 'share', value: j?.summary.shareAbsTAbove2 ?? NaN }) },
  ],
  headlineValues: (j) => ({
    meanAbsT: j?.summary.meanAbsT ?? NaN,
    shareAbsTAbove2: j?.summary.shareAbsTAbove2 ?? NaN,
    meanFactorReturn: j?.summary.meanFactorReturn ?? NaN,
    factorReturnTNW: j?.summary.tStatNW ?? NaN,
  }),
});

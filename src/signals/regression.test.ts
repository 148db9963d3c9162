import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, inverse } from 'ml-matrix';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { syntheticMarket } from '../synthetic/market.js';
import { regressionTest, summarizeRegression } from './regression.js';

const panel = (rows: number[][]): Panel =>
  new Panel(
    calendarFromIso(rows.map((_, i) => `2021-06-${String(i + 1).padStart(2, '0')}`)),
    rows[0].map((_, j) => `S${j}`),
    Float64Array.from(rows.flat()),
  );

describe('regressionTest: simple regression in closed form', () => {
  it('matches the hand computation x = 1..4, y = 1,3,2,5', () => {
    // x̄ = 2.5, ȳ = 2.75, Sxy = 5.5, Sxx = 5 → b = 1.1, a = 0; e = −0.1, 0.8, −1.3, 0.6; SSR = 2.7
    // σ² = 2.7/2, se = sqrt(1.35/5), t = 1.1/se; Syy = 8.75, R² = 1 − 2.7/8.75
    const res = regressionTest(panel([[1, 2, 3, 4]]), panel([[1, 3, 2, 5]]));
    expect(res.factorReturn[0]).toBeCloseTo(1.1, 14);
    expect(res.se[0]).toBeCloseTo(Math.sqrt(0.27), 14);
    expect(res.t[0]).toBeCloseTo(1.1 / Math.sqrt(0.27), 13);
    expect(res.r2[0]).toBeCloseTo(1 - 2.7 / 8.75, 14);
    expect(res.n[0]).toBe(4);
    // the seed's formula divides SSR by n (not n − 2): ours is statsmodels', t·sqrt(2/4) smaller
    expect(res.t[0]).toBeCloseTo(((1.1 * Math.sqrt(5)) / Math.sqrt(2.7 / 4)) * Math.sqrt(2 / 4), 12);
  });

  it('skips and counts a constant factor (rank-deficient) and a thin date, never 0', () => {
    const res = regressionTest(
      panel([
        [2, 2, 2, 2],
        [1, 2, NaN, NaN],
        [1, 2, 3, 4],
      ]),
      panel([
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [4, 3, 2, 1],
      ]),
    );
    expect(res.factorReturn[0]).toBeNaN();
    expect(res.factorReturn[1]).toBeNaN();
    expect(res.skippedRankDeficient).toBe(1);
    expect(res.rankDeficientDates).toEqual(['2021-06-01']);
    expect(res.skippedTooFew).toBe(1);
    expect(res.factorReturn[2]).toBeCloseTo(-1, 14);
    expect(res.t[2]).toBe(-Infinity); // perfect fit, as statsmodels
    expect(res.summary.n).toBe(1);
  });

  it('z-scored factor: b scales by the factor std, t and R² unchanged', () => {
    const f = panel([[0.5, 1.7, -2, 3, 0.1, 4]]),
      r = panel([[0.01, 0.03, -0.02, 0.02, 0, 0.05]]);
    const raw = regressionTest(f, r),
      z = regressionTest(f, r, { factorScale: 'zscore' });
    const x = [0.5, 1.7, -2, 3, 0.1, 4],
      mx = x.reduce((a, b) => a + b) / 6;
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - mx) ** 2, 0) / 5);
    expect(z.factorReturn[0]).toBeCloseTo(raw.factorReturn[0] * sd, 14);
    expect(z.t[0]).toBeCloseTo(raw.t[0], 12);
    expect(z.r2[0]).toBeCloseTo(raw.r2[0], 14);
  });
});

/** Independent route: WLS by ml-matrix normal equations on [1, x, dummies, log size]. */
function wlsReference(x: number[], y: number[], g: number[] | null, size: number[] | null, w: number[] | null) {
  const keep = x
    .map((_, i) => i)
    .filter(
      (i) =>
        !Number.isNaN(x[i]) &&
        !Number.isNaN(y[i]) &&
        (g === null || g[i] >= 0) &&
        (size === null || size[i] > 0) &&
        (w === null || w[i] > 0),
    );
  const groups = g ? [...new Set(keep.map((i) => g[i]))].sort((a, b) => a - b) : [];
  const X = new Matrix(
    keep.map((i) => [1, x[i], ...groups.slice(1).map((k) => (g![i] === k ? 1 : 0)), ...(size ? [Math.log(size[i])] : [])]),
  );
  const wv = keep.map((i) => (w ? Math.sqrt(w[i]) : 1));
  const Y = Matrix.columnVector(keep.map((i) => y[i]));
  const XtW = X.transpose().clone();
  for (let r = 0; r < XtW.rows; r++) for (let c = 0; c < XtW.columns; c++) XtW.set(r, c, XtW.get(r, c) * wv[c]);
  const inv = inverse(XtW.mmul(X));
  const b = inv.mmul(XtW.mmul(Y));
  const e = Y.clone().sub(X.mmul(b));
  const n = keep.length,
    p = X.columns;
  let ssr = 0,
    sw = 0,
    swy = 0;
  keep.forEach((i, r) => {
    ssr += wv[r] * e.get(r, 0) ** 2;
    sw += wv[r];
    swy += wv[r] * y[i];
  });
  const my = swy / sw;
  let tss = 0;
  keep.forEach((i, r) => {
    tss += wv[r] * (y[i] - my) ** 2;
  });
  const se = Math.sqrt((ssr / (n - p)) * inv.get(1, 1));
  return { b: b.get(1, 0), t: b.get(1, 0) / se, r2: 1 - ssr / tss, n };
}

describe('regressionTest with controls and WLS equals ml-matrix', () => {
  it('group dummies, log size and sqrt-cap weights, random cross-sections', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), fc.boolean(), fc.boolean(), (seed, useG, useS, useW) => {
        let s = seed;
        const rnd = (): number => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return s / 2 ** 32;
        };
        const m = 30;
        const x = Array.from({ length: m }, (_, i) => (i % 11 === 4 ? NaN : rnd() * 2 - 1));
        const y = Array.from({ length: m }, (_, i) => (i % 13 === 6 ? NaN : 0.02 * x[i] + 0.05 * (rnd() - 0.5)));
        const g = Array.from({ length: m }, (_, i) => (i % 17 === 2 ? -1 : Math.floor(rnd() * 3)));
        const cap = Array.from({ length: m }, () => Math.exp(21 + 2 * rnd()));
        const f = panel([x]),
          r = panel([y]);
        const res = regressionTest(f, r, {
          groups: useG ? { names: ['a', 'b', 'c'], codes: Int32Array.from(g) } : undefined,
          size: useS ? panel([cap]) : undefined,
          weights: useW ? panel([cap]) : undefined,
        });
        const want = wlsReference(x, y, useG ? g : null, useS ? cap : null, useW ? cap : null);
        expect(res.n[0]).toBe(want.n);
        expect(res.factorReturn[0]).toBeCloseTo(want.b, 10);
        expect(res.t[0]).toBeCloseTo(want.t, 8);
        expect(res.r2[0]).toBeCloseTo(want.r2, 10);
      }),
      { numRuns: 60 },
    );
  });

  it('a factor equal to a group dummy is rank-deficient and counted', () => {
    const res = regressionTest(panel([[1, 1, 0, 0, 0]]), panel([[0.1, 0.2, 0.3, 0.1, 0]]), {
      groups: { names: ['a', 'b'], codes: Int32Array.from([0, 0, 1, 1, 1]) },
    });
    expect(res.factorReturn[0]).toBeNaN();
    expect(res.skippedRankDeficient).toBe(1);
  });
});

describe('summarizeRegression', () => {
  it('mean |t|, share |t| > 2, majority sign among significant t, mean R² by hand', () => {
    const s = summarizeRegression([0.01, -0.002, 0.004, -0.003, 0.001, NaN], [3, -1, 2.5, -2.5, 0.5, NaN], [0.1, 0.2, 0.3, 0.4, 0.5, NaN]);
    expect(s.n).toBe(5);
    expect(s.meanFactorReturn).toBeCloseTo(0.002, 15);
    expect(s.meanAbsT).toBeCloseTo(1.9, 14);
    expect(s.meanT).toBeCloseTo(0.5, 14);
    expect(s.shareAbsTAbove2).toBeCloseTo(0.6, 14);
    expect(s.majoritySign).toBe(1);
    expect(s.shareSignificantMajoritySign).toBeCloseTo(2 / 3, 14);
    expect(s.meanR2).toBeCloseTo(0.3, 14);
    expect(s.tStat).toBe(s.factorReturn.tStat);
  });
});

describe('synthetic market: the planted signal has a positive factor return', () => {
  it('mean factor return per unit z-score ≈ IC × cross-sectional return std', () => {
    const market = syntheticMarket({ seed: 3, nAssets: 300, nDates: 300, signalIC: 0.08 });
    const fwd = forwardReturns(market.prices, [1]).get(1)!;
    const res = regressionTest(market.signal, fwd, { factorScale: 'zscore' });
    expect(res.summary.tStat).toBeGreaterThan(8);
    expect(res.summary.majoritySign).toBe(1);
    // with z-scored x, b_t = IC_t · std_t(y) exactly (simple regression identity)
    let ratio = 0,
      k = 0;
    for (let t = 0; t < fwd.nDates; t++) {
      if (Number.isNaN(res.factorReturn[t])) continue;
      const y: number[] = [];
      for (let j = 0; j < fwd.nAssets; j++) if (!Number.isNaN(fwd.at(t, j)) && !Number.isNaN(market.signal.at(t, j))) y.push(fwd.at(t, j));
      const my = y.reduce((a, b) => a + b) / y.length;
      const sy = Math.sqrt(y.reduce((a, b) => a + (b - my) ** 2, 0) / (y.length - 1));
      ratio += res.factorReturn[t] / sy;
      k++;
    }
    expect(Math.abs(ratio / k - 0.08)).toBeLessThan(0.015);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, inverse } from 'ml-matrix';
import { defaultNeweyWestLags, neweyWestMean, neweyWestOls } from './neweyWest.js';
import { ols } from './ols.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Direct route: H·(Σ_l w_l Σ_t outer products)·H with ml-matrix, every lag pair written out. */
function directNw(y: number[], x: number[][], lags: number): number[] {
  const n = y.length;
  const z = new Matrix(x.map((r) => [1, ...r]));
  const h = inverse(z.transpose().mmul(z));
  const b = h.mmul(z.transpose()).mmul(Matrix.columnVector(y));
  const u = Matrix.sub(Matrix.columnVector(y), z.mmul(b)).getColumn(0);
  const p = z.columns;
  let s = Matrix.zeros(p, p);
  for (let t = 0; t < n; t++) {
    for (let r = 0; r < n; r++) {
      const l = Math.abs(t - r);
      if (l > lags) continue;
      const w = 1 - l / (lags + 1);
      const gt = Matrix.columnVector(z.getRow(t).map((v) => v * u[t]));
      const gr = Matrix.rowVector(z.getRow(r).map((v) => v * u[r]));
      s = s.add(gt.mmul(gr).mul(w));
    }
  }
  const cov = h.mmul(s).mmul(h);
  return Array.from({ length: p }, (_, i) => Math.sqrt(cov.get(i, i)));
}

describe('Newey-West', () => {
  it('default lags floor(4·(n/100)^(2/9))', () => {
    expect(defaultNeweyWestLags(100)).toBe(4);
    expect(defaultNeweyWestLags(2520)).toBe(8); // 4·25.2^(2/9) = 8.19
    expect(defaultNeweyWestLags(50)).toBe(3);
    expect(defaultNeweyWestLags(0)).toBe(0);
  });

  it('matches statsmodels OLS HAC (use_t=True), with and without correction', () => {
    const x = [1, 2, 2, 1, 3, 5, 4, 3, 5, 8, 6, 5, 7, 9, 8, 4, 9, 7, 10, 12];
    const y = [2.1, 2.9, 6.2, 6.8, 10.1, 10.2, 13.9, 12.0, 16.5, 20.3];
    const fit = ols(y, x, 2);
    const a = neweyWestOls(fit, x, 2, { lags: 2 });
    [0.2440320994467582, 0.07170352471691638, 0.07015620523932224].forEach((v, i) => expect(rel(a.se[i], v)).toBeLessThan(1e-10));
    [0.025645258178782465, 2.2756698493590995e-7, 0.00010507558093521875].forEach((v, i) => expect(rel(a.pValue[i], v)).toBeLessThan(1e-7));
    const b = neweyWestOls(fit, x, 2, { lags: 3, useCorrection: true });
    [0.3035039765835345, 0.06484083140125878, 0.07566517881547798].forEach((v, i) => expect(rel(b.se[i], v)).toBeLessThan(1e-10));
    [0.05745980981722996, 1.136834860701979e-7, 0.00016936083433844495].forEach((v, i) => expect(rel(b.pValue[i], v)).toBeLessThan(1e-7));
    expect(a.lags).toBe(2);
  });

  it('agrees with a direct sum of outer products on random data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 15, max: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 1e9 }),
        (n, k, lags, seed) => {
          const r = lcg(seed);
          const xr = Array.from({ length: n }, () => Array.from({ length: k }, () => r()));
          let prev = 0;
          const y = xr.map((row) => {
            prev = 0.5 * prev + r();
            return row.reduce((s, v) => s + v, 0) + prev;
          });
          const fit = ols(y, xr.flat(), k);
          const nw = neweyWestOls(fit, xr.flat(), k, { lags });
          directNw(y, xr, lags).forEach((v, i) => expect(rel(nw.se[i], v)).toBeLessThan(1e-9));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('skips rows outside the sample and treats the rest as consecutive', () => {
    const x = [1, 2, NaN, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const y = [1.1, 2.3, 3, NaN, 4.9, 6.2, 7.1, 7.7, 9.4, 10.1, 10.8, 12.5];
    const keep = [0, 1, 4, 5, 6, 7, 8, 9, 10, 11];
    const a = neweyWestOls(ols(y, x, 1), x, 1, { lags: 2 });
    const b = neweyWestOls(
      ols(
        keep.map((t) => y[t]),
        keep.map((t) => x[t]),
        1,
      ),
      keep.map((t) => x[t]),
      1,
      { lags: 2 },
    );
    expect(rel(a.se[1], b.se[1])).toBeLessThan(1e-12);
  });

  it('mean: matches statsmodels OLS on a constant with HAC, and lags = 0 gives sqrt(Σu²)/n', () => {
    const z = [0.02, -0.01, 0.03, 0.05, -0.02, 0.01, 0.04, 0.0, 0.02, -0.03, 0.06, 0.01];
    const r = neweyWestMean(z, { lags: 3 });
    expect(rel(r.mean, 0.015000000000000005)).toBeLessThan(1e-13);
    expect(rel(r.se, 0.0031180478223116212)).toBeLessThan(1e-11);
    expect(rel(r.t, 4.810702354423635)).toBeLessThan(1e-11);
    expect(rel(r.pValue, 0.0005439262434950136)).toBeLessThan(1e-8);
    // hand: [1, 2, 3, NaN] → mean 2, u = (−1, 0, 1), Σu² = 2 → se = √2/3
    const h = neweyWestMean([1, 2, 3, NaN], { lags: 0 });
    expect(h.se).toBeCloseTo(Math.SQRT2 / 3, 15);
    expect(h.n).toBe(3);
    // lag 1, w = 1/2: S = 2 + 2·½·(0·(−1) + 1·0) = 2
    expect(neweyWestMean([1, 2, 3], { lags: 1 }).se).toBeCloseTo(Math.SQRT2 / 3, 15);
    expect(neweyWestMean([1]).se).toBeNaN();
  });
});

describe('neweyWestMean without spread', () => {
  it('a constant series has t and p NaN: the statistic is undefined, not ±Infinity or the mean over its rounding', () => {
    // 119 copies of 0.1: x̄ = 0.1 + 1.4e-17, the deviations 1.4e-17, so se was 2.9e-17 and t 3.5e15 with p = 0
    for (const c of [0.1, 0.05, 0.3, 1, -0.02]) {
      const r = neweyWestMean(new Float64Array(119).fill(c), { lags: 1 });
      expect(r.n).toBe(119);
      expect(r.mean).toBeCloseTo(c, 15);
      expect(r.t).toBeNaN();
      expect(r.pValue).toBeNaN();
    }
    // NaN (missing) values do not make a constant series vary
    expect(neweyWestMean([0.2, NaN, 0.2, 0.2], { lags: 1 }).t).toBeNaN();
  });

  it('a series with a small but real spread keeps its t', () => {
    // 0.1 ± 1e-4: a coefficient of variation of 1e-3, far above the 1e-6 of no spread
    const x = Array.from({ length: 40 }, (_, i) => 0.1 + (i % 2 === 0 ? 1e-4 : -1e-4));
    const r = neweyWestMean(x, { lags: 0 });
    // hand: mean 0.1, Σu² = 40·1e-8, se = sqrt(4e-7)/40
    expect(rel(r.t, 0.1 / (Math.sqrt(4e-7) / 40))).toBeLessThan(1e-9);
    expect(r.pValue).toBeLessThan(1e-10);
  });
});

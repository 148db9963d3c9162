import { InputError } from '../core/errors.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Matrix, QrDecomposition, inverse } from 'ml-matrix';
import { ols, olsBatch } from './ols.js';
import { tTwoSidedPValue } from './distributions.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
/** Standard-normal-ish draws (sum of uniforms) from a seeded generator. */
function normals(len: number, seed: number): Float64Array {
  const r = lcg(seed);
  return Float64Array.from({ length: len }, () => (r() + r() + r() + r()) * 1.7);
}

/** Independent route: QR least squares with ml-matrix on [1, X]. */
function reference(y: number[], x: Float64Array, n: number, k: number, intercept = true) {
  const rows = Array.from({ length: n }, (_, t) => [...(intercept ? [1] : []), ...Array.from(x.subarray(t * k, t * k + k))]);
  const z = new Matrix(rows);
  const p = z.columns;
  const coef = new QrDecomposition(z).solve(Matrix.columnVector(y)).getColumn(0);
  const fitted = z.mmul(Matrix.columnVector(coef)).getColumn(0);
  const resid = y.map((v, t) => v - fitted[t]);
  const ssr = resid.reduce((s, e) => s + e * e, 0);
  const df = n - p;
  const s2 = ssr / df;
  const inv = inverse(z.transpose().mmul(z));
  const se = coef.map((_, i) => Math.sqrt(s2 * inv.get(i, i)));
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  const tss = intercept ? y.reduce((s, v) => s + (v - ybar) ** 2, 0) : y.reduce((s, v) => s + v * v, 0);
  return { coef, se, resid, ssr, df, r2: 1 - ssr / tss, cov: inv.mul(s2) };
}

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('ols', () => {
  it('hand-computed simple regression', () => {
    // y = 1 + 2x + e with x = 0..4, e = [0.1, −0.1, 0, 0.1, −0.1]
    const x = Float64Array.from([0, 1, 2, 3, 4]);
    const e = [0.1, -0.1, 0, 0.1, -0.1];
    const y = [0, 1, 2, 3, 4].map((v, i) => 1 + 2 * v + e[i]);
    const r = ols(y, x, 1);
    // b = Σ(x−2)(y−ȳ)/Σ(x−2)² = (Σ(x−2)e)/10 = (−0.2 + 0.1 + 0 + 0.1 − 0.2)/10 = −0.02 → 1.98
    expect(r.coef[1]).toBeCloseTo(1.98, 13);
    // ȳ = 5 + 0 → c = 5 − 1.98·2 = 1.04
    expect(r.coef[0]).toBeCloseTo(1.04, 13);
    // residuals: e − (−0.02)(x − 2) … SSR = Σe² − 10·0.02² = 0.04 − 0.004 = 0.036
    expect(r.ssr).toBeCloseTo(0.036, 13);
    expect(r.dfResid).toBe(3);
    expect(r.residualStd).toBeCloseTo(Math.sqrt(0.012), 13);
    expect(r.se[1]).toBeCloseTo(Math.sqrt(0.012 / 10), 13);
    expect(r.se[0]).toBeCloseTo(Math.sqrt(0.012 * (1 / 5 + 4 / 10)), 13);
    expect(r.pValue[1]).toBeCloseTo(tTwoSidedPValue(1.98 / Math.sqrt(0.0012), 3), 13);
    // TSS = Σ(2(x−2) + e)² = 40 + 4·Σ(x−2)e + Σe² = 40 − 0.8 + 0.04 = 39.24
    expect(r.r2).toBeCloseTo(1 - 0.036 / 39.24, 13);
    expect(r.adjR2).toBeCloseTo(1 - (4 / 3) * (0.036 / 39.24), 13);
  });

  it('matches statsmodels OLS on a fixed sample', () => {
    // statsmodels 0.13.5: OLS(y, add_constant(x)).fit() with x = [[1,2],[2,1],[3,5],[4,3],[5,8],[6,5],[7,9]],
    // y = [2.1, 2.9, 6.2, 6.8, 10.1, 10.2, 13.9]
    const x = Float64Array.from([1, 2, 2, 1, 3, 5, 4, 3, 5, 8, 6, 5, 7, 9]);
    const y = [2.1, 2.9, 6.2, 6.8, 10.1, 10.2, 13.9];
    const r = ols(y, x, 2);
    const want = {
      params: [-0.3082324455205798, 1.401997578692494, 0.4576271186440679],
      bse: [0.1935252792473547, 0.07697501244499572, 0.055723963921528966],
      pvalues: [0.1864404172979354, 5.344211455180138e-5, 0.0011981677816103938],
      rsquared: 0.9980522597368431,
      rsquared_adj: 0.9970783896052646,
    };
    want.params.forEach((v, i) => expect(rel(r.coef[i], v)).toBeLessThan(1e-10));
    want.bse.forEach((v, i) => expect(rel(r.se[i], v)).toBeLessThan(1e-10));
    want.pvalues.forEach((v, i) => expect(rel(r.pValue[i], v)).toBeLessThan(1e-8));
    expect(rel(r.r2!, want.rsquared)).toBeLessThan(1e-12);
    expect(rel(r.adjR2!, want.rsquared_adj)).toBeLessThan(1e-12);
  });

  it('agrees with ml-matrix QR on random data (coef, se, residuals, cov) to 1e-9', () => {
    for (let seed = 1; seed <= 15; seed++) {
      const n = 40 + seed * 7;
      const k = 1 + (seed % 6);
      const x = normals(n * k, seed);
      for (let i = 0; i < x.length; i++) x[i] = x[i] * 0.01 + 0.0005 * (i % k); // factor-return scale
      const noise = normals(n, seed + 1000);
      const y = Array.from({ length: n }, (_, t) => {
        let v = 0.0002 + noise[t] * 0.01;
        for (let f = 0; f < k; f++) v += (f + 0.5) * x[t * k + f];
        return v;
      });
      for (const intercept of [true, false]) {
        const r = ols(y, x, k, { intercept });
        const ref = reference(y, x, n, k, intercept);
        expect(r.issue).toBeNull();
        ref.coef.forEach((v, i) => expect(Math.abs(r.coef[i] - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
        ref.se.forEach((v, i) => expect(rel(r.se[i], v)).toBeLessThan(1e-9));
        ref.resid.forEach((v, t) => expect(Math.abs(r.residuals[t] - v)).toBeLessThan(1e-12));
        expect(rel(r.ssr, ref.ssr)).toBeLessThan(1e-9);
        expect(r.dfResid).toBe(ref.df);
        expect(Math.abs(r.r2! - ref.r2)).toBeLessThan(1e-10);
        for (let i = 0; i < r.p; i++)
          for (let j = 0; j < r.p; j++)
            expect(Math.abs(r.cov[i * r.p + j] - ref.cov.get(i, j))).toBeLessThan(1e-9 * Math.abs(ref.cov.get(i, i)));
      }
    }
  });

  it('batched fit with per-series NaN patterns equals per-series fits on the complete rows', () => {
    const n = 120,
      k = 3,
      m = 9;
    const x = normals(n * k, 5);
    x[7 * k + 1] = NaN; // a row missing a factor is out of every sample
    const y = normals(n * m, 6);
    const r = lcg(77);
    for (let j = 2; j < m; j++) for (let t = 0; t < n; t++) if (r() < -0.4 + j * 0.01) y[t * m + j] = NaN;
    for (let t = 0; t < n; t++) if (t !== 3) y[t * m + 8] = NaN; // series 8 has one observation
    const res = olsBatch(y, n, m, x, k);
    for (let j = 0; j < m; j++) {
      const rows: number[] = [];
      for (let t = 0; t < n; t++) if (!Number.isNaN(y[t * m + j]) && t !== 7) rows.push(t);
      expect(res.nobs[j]).toBe(rows.length);
      if (j === 8) {
        expect(res.issues).toContainEqual({ series: 8, kind: 'too-few-observations', nobs: 1, constant: [], collinear: [] });
        expect(res.coef[8 * 4]).toBeNaN();
        continue;
      }
      const xs = new Float64Array(rows.length * k);
      rows.forEach((t, i) => {
        for (let f = 0; f < k; f++) xs[i * k + f] = x[t * k + f];
      });
      const ref = reference(
        rows.map((t) => y[t * m + j]),
        xs,
        rows.length,
        k,
      );
      ref.coef.forEach((v, i) => expect(Math.abs(res.coef[j * 4 + i] - v)).toBeLessThan(1e-12));
      ref.se.forEach((v, i) => expect(rel(res.se[j * 4 + i], v)).toBeLessThan(1e-10));
      rows.forEach((t, i) => expect(Math.abs(res.residuals![t * m + j] - ref.resid[i])).toBeLessThan(1e-12));
      expect(res.residuals![7 * m + j]).toBeNaN();
    }
  });

  it('a column block of a wider matrix (stride, offset, residualsOut) equals the full fit', () => {
    const n = 60,
      k = 2,
      m = 7;
    const x = normals(n * k, 21);
    const y = normals(n * m, 22);
    for (let t = 0; t < n; t += 5) y[t * m + 3] = NaN;
    const full = olsBatch(y, n, m, x, k);
    const out = new Float64Array(n * m).fill(-1);
    const block = olsBatch(y, n, 3, x, k, { yStride: m, yOffset: 2, residualsOut: out });
    expect(block.residuals).toBe(out);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) expect(block.coef[j * 3 + i]).toBe(full.coef[(j + 2) * 3 + i]);
      expect(block.r2[j]).toBe(full.r2[j + 2]);
      for (let t = 0; t < n; t++) expect(Object.is(out[t * m + j + 2], full.residuals![t * m + j + 2])).toBe(true);
    }
    expect(out[1]).toBe(-1); // outside the block: untouched
    expect(() => olsBatch(y, n, 3, x, k, { yStride: m, yOffset: 5 })).toThrow(InputError);
  });

  it('constant y gives r2 null, not noise', () => {
    const x = normals(20, 3);
    const r = ols(new Array(20).fill(0.01), x, 1);
    expect(r.r2).toBeNull();
    expect(r.adjR2).toBeNull();
    expect(r.coef[1]).toBeCloseTo(0, 12);
    expect(r.coef[0]).toBeCloseTo(0.01, 14);
  });

  it('constant and collinear regressors are reported, their coefficients NaN, the rest fitted', () => {
    const n = 50;
    const base = normals(n * 2, 11);
    const x = new Float64Array(n * 4);
    for (let t = 0; t < n; t++) {
      x[t * 4] = base[t * 2];
      x[t * 4 + 1] = 0.1; // constant: collinear with the intercept
      x[t * 4 + 2] = base[t * 2 + 1];
      x[t * 4 + 3] = 2 * base[t * 2] - base[t * 2 + 1];
    }
    const y = normals(n, 12);
    const r = ols(y, x, 4);
    expect(r.constant).toEqual([1]);
    expect(r.collinear).toEqual([3]);
    expect(r.issue?.kind).toBe('rank-deficient');
    expect(r.coef[2]).toBeNaN();
    expect(r.coef[4]).toBeNaN();
    expect(r.rank).toBe(3);
    expect(r.dfResid).toBe(n - 3);
    const xs = new Float64Array(n * 2);
    for (let t = 0; t < n; t++) {
      xs[t * 2] = x[t * 4];
      xs[t * 2 + 1] = x[t * 4 + 2];
    }
    const ref = reference(Array.from(y), xs, n, 2);
    expect(r.coef[0]).toBeCloseTo(ref.coef[0], 12);
    expect(r.coef[1]).toBeCloseTo(ref.coef[1], 12);
    expect(r.coef[3]).toBeCloseTo(ref.coef[2], 12);
    expect(r.se[3]).toBeCloseTo(ref.se[2], 12);
  });

  const design = fc.record({
    n: fc.integer({ min: 12, max: 60 }),
    k: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 1, max: 1e9 }),
  });

  it('property: scaling a regressor by c scales its beta by 1/c', () => {
    fc.assert(
      fc.property(design, fc.integer({ min: 0, max: 3 }), fc.double({ min: 0.01, max: 100, noNaN: true }), ({ n, k, seed }, col, c) => {
        const f = col % k;
        const x = normals(n * k, seed);
        const y = normals(n, seed + 1);
        const a = ols(y, x, k);
        const xc = Float64Array.from(x, (v, i) => (i % k === f ? v * c : v));
        const b = ols(y, xc, k);
        expect(rel(b.coef[1 + f] * c, a.coef[1 + f])).toBeLessThan(1e-8);
        expect(rel(b.t[1 + f], a.t[1 + f])).toBeLessThan(1e-7);
        expect(Math.abs(b.coef[0] - a.coef[0])).toBeLessThan(1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('property: permuting rows changes nothing', () => {
    fc.assert(
      fc.property(design, ({ n, k, seed }) => {
        const x = normals(n * k, seed);
        const y = normals(n, seed + 1);
        const perm = Array.from({ length: n }, (_, i) => i);
        const r = lcg(seed + 2);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor((r() + 0.5) * (i + 1));
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const xp = new Float64Array(n * k);
        perm.forEach((src, dst) => {
          for (let f = 0; f < k; f++) xp[dst * k + f] = x[src * k + f];
        });
        const a = ols(y, x, k);
        const b = ols(
          perm.map((t) => y[t]),
          xp,
          k,
        );
        for (let i = 0; i <= k; i++) {
          expect(Math.abs(a.coef[i] - b.coef[i])).toBeLessThan(1e-10 * Math.max(1, Math.abs(a.coef[i])));
          expect(rel(a.se[i], b.se[i])).toBeLessThan(1e-9);
        }
        perm.forEach((src, dst) => expect(Math.abs(b.residuals[dst] - a.residuals[src])).toBeLessThan(1e-12));
      }),
      { numRuns: 50 },
    );
  });

  it('property: a column that is a linear combination of others is reported as collinear', () => {
    fc.assert(
      fc.property(design, fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), ({ n, k, seed }, w) => {
        fc.pre(w.slice(0, k).some((v) => Math.abs(v) > 0.1));
        const x = normals(n * k, seed);
        const k2 = k + 1;
        const x2 = new Float64Array(n * k2);
        for (let t = 0; t < n; t++) {
          let s = 0;
          for (let f = 0; f < k; f++) {
            x2[t * k2 + f] = x[t * k + f];
            s += w[f] * x[t * k + f];
          }
          x2[t * k2 + k] = s + 0.7; // an offset too: still collinear with [1, X]
        }
        const r = ols(normals(n, seed + 1), x2, k2);
        expect(r.collinear).toEqual([k]);
        expect(r.coef[k2]).toBeNaN();
      }),
      { numRuns: 50 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { neweyWestOls } from './neweyWest.js';
import { neweyWestBatch, neweyWestBatchRange, type NeweyWestBatchResult } from './neweyWestBatch.js';
import { ols, olsBatch } from './ols.js';
import { neweyWestKernel } from './olsWasm.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** n×m panel on k regressors with scattered NaN; per column the single-series route is the oracle. */
function compare(
  n: number,
  m: number,
  k: number,
  seed: number,
  missing: number,
  intercept: boolean,
  lags?: number,
  useCorrection = false,
): void {
  const r = lcg(seed);
  const x = Float64Array.from({ length: n * k }, () => r() * 0.03);
  const y = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let v = r() * 0.02 + (intercept ? 0.001 : 0);
      for (let f = 0; f < k; f++) v += x[t * k + f] * (0.5 + 0.3 * f + 0.1 * j);
      // autocorrelated noise so that lags matter
      y[t * m + j] = v + (t > 0 ? 0.3 * (y[(t - 1) * m + j] === y[(t - 1) * m + j] ? y[(t - 1) * m + j] : 0) : 0);
      if (r() + 0.5 < missing) y[t * m + j] = NaN;
    }
  const res = olsBatch(y, n, m, x, k, { intercept });
  const nw = neweyWestBatch(res.residuals!, n, m, x, k, intercept, res.coef, res.dfResid, res.rank, { lags, useCorrection });
  const p = res.p;
  for (let j = 0; j < m; j++) {
    const col = Float64Array.from({ length: n }, (_, t) => y[t * m + j]);
    const one = ols(col, x, k, { intercept });
    const ref = neweyWestOls(one, x, k, { lags, useCorrection });
    expect(nw.lags[j]).toBe(ref.lags);
    for (let a = 0; a < p; a++) {
      expect(Math.abs(nw.se[j * p + a] - ref.se[a]) / ref.se[a]).toBeLessThan(1e-10);
      expect(Math.abs(nw.t[j * p + a] - ref.t[a]) / Math.abs(ref.t[a])).toBeLessThan(1e-10);
      expect(Math.abs(nw.pValue[j * p + a] - ref.pValue[a])).toBeLessThan(1e-10);
    }
  }
}

describe('neweyWestBatch', () => {
  it('equals neweyWestOls series by series (complete samples, default lags)', () => compare(300, 5, 3, 1, 0, true));
  it('equals neweyWestOls with scattered missing returns, fixed lags, correction', () => compare(250, 6, 4, 2, 0.1, true, 5, true));
  it('equals neweyWestOls without an intercept', () => compare(200, 4, 2, 3, 0.05, false, 3));
  it('lag 0 is White (HC0) standard errors', () => compare(120, 3, 2, 4, 0, true, 0));
  it('property: agrees with neweyWestOls for random shapes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 150 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 6 }),
        (n, m, k, seed, lags) => compare(n, m, k, seed, 0.05, true, lags),
      ),
      { numRuns: 25 },
    );
  });
  it('a dropped (collinear) regressor gets NaN and the rest matches neweyWestOls', () => {
    const n = 150,
      r = lcg(9);
    const x = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      x[t * 3] = r();
      x[t * 3 + 1] = r();
      x[t * 3 + 2] = x[t * 3] + x[t * 3 + 1];
      y[t] = x[t * 3] - x[t * 3 + 1] + r();
    }
    const res = olsBatch(y, n, 1, x, 3);
    const nw = neweyWestBatch(res.residuals!, n, 1, x, 3, true, res.coef, res.dfResid, res.rank, { lags: 4 });
    const ref = neweyWestOls(ols(y, x, 3), x, 3, { lags: 4 });
    expect(Number.isNaN(nw.se[3])).toBe(true);
    for (let a = 0; a < 3; a++) expect(Math.abs(nw.se[a] - ref.se[a]) / ref.se[a]).toBeLessThan(1e-10);
  });
});

describe('neweyWestBatch kernels (WebAssembly pairs and JavaScript columns)', () => {
  it('the WebAssembly kernel is available here (so the properties below compare two paths)', () => {
    for (let p = 1; p <= 9; p++) expect(neweyWestKernel(p)).not.toBeNull();
    expect(neweyWestKernel(10)).toBeNull();
  });

  /**
   * A panel whose columns mix every sample shape the batch distinguishes: complete columns
   * (adjacent pairs read straight from the block), leading / trailing NaN runs, scattered holes,
   * columns sharing one sample (the cached (ZᵀZ)⁻¹) and too-short columns (not fitted).
   */
  function panel(n: number, m: number, k: number, seed: number): { x: Float64Array; y: Float64Array } {
    const r = lcg(seed);
    const x = Float64Array.from({ length: n * k }, () => r() * 0.03);
    const y = new Float64Array(n * m);
    for (let j = 0; j < m; j++) {
      const shape = Math.floor((r() + 0.5) * 6);
      const lead = shape === 1 ? Math.floor((r() + 0.5) * n * 0.4) : 0;
      const tail = shape === 2 ? Math.floor((r() + 0.5) * n * 0.4) : 0;
      let prev = 0;
      for (let t = 0; t < n; t++) {
        let v = r() * 0.02 + 0.3 * prev;
        for (let f = 0; f < k; f++) v += x[t * k + f] * (0.4 + 0.2 * f);
        prev = v;
        const hole =
          t < lead || t >= n - tail || (shape === 3 && r() + 0.5 < 0.15) || (shape === 4 && t % 7 === 3) || (shape === 5 && t > k + 1);
        y[t * m + j] = hole ? NaN : v;
      }
    }
    return { x, y };
  }

  it('property: equal neweyWestOls per series and each other, bit for bit, with NaN holes, k = 1..8, several lags', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 160 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        (n, m, k, seed, lags, intercept, useCorrection) => {
          const { x, y } = panel(n, m, k, seed);
          const res = olsBatch(y, n, m, x, k, { intercept });
          const args = [res.residuals!, n, m, x, k, intercept, res.coef, res.dfResid, res.rank] as const;
          const fast = neweyWestBatch(...args, { lags, useCorrection });
          const js = neweyWestBatch(...args, { lags, useCorrection, kernel: 'js' });
          expect(Array.from(fast.se)).toEqual(Array.from(js.se));
          expect(Array.from(fast.lags)).toEqual(Array.from(js.lags));
          const p = res.p;
          for (let j = 0; j < m; j++) {
            const col = Float64Array.from({ length: n }, (_, t) => y[t * m + j]);
            const one = ols(col, x, k, { intercept });
            if (!(one.dfResid > 0)) {
              expect(fast.lags[j]).toBe(0);
              continue;
            }
            const ref = neweyWestOls(one, x, k, { lags, useCorrection });
            expect(fast.lags[j]).toBe(ref.lags);
            for (let a = 0; a < p; a++) {
              if (Number.isNaN(ref.se[a])) {
                expect(Number.isNaN(fast.se[j * p + a])).toBe(true);
                continue;
              }
              expect(Math.abs(fast.se[j * p + a] - ref.se[a])).toBeLessThanOrEqual(1e-9 * ref.se[a]);
              expect(Math.abs(fast.t[j * p + a] - ref.t[a])).toBeLessThanOrEqual(1e-9 * Math.abs(ref.t[a]) + 1e-12);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a series range of the batch gives the same bits as the whole batch (how threads split it)', () => {
    const n = 90,
      m = 11,
      k = 3;
    const { x, y } = panel(n, m, k, 77);
    const res = olsBatch(y, n, m, x, k);
    const whole = neweyWestBatch(res.residuals!, n, m, x, k, true, res.coef, res.dfResid, res.rank);
    const p = res.p;
    const parts: NeweyWestBatchResult = {
      lags: new Int32Array(m),
      se: new Float64Array(m * p),
      t: new Float64Array(m * p),
      pValue: new Float64Array(m * p),
    };
    for (const [a, b] of [
      [0, 3],
      [3, 4],
      [4, 11],
    ])
      neweyWestBatchRange(res.residuals!, n, m, x, k, true, res.coef, res.dfResid, res.rank, {}, a, b, parts);
    expect(Array.from(parts.se)).toEqual(Array.from(whole.se));
    expect(Array.from(parts.pValue)).toEqual(Array.from(whole.pValue));
  });
});

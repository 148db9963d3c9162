import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isBatchData } from './batchData.js';
import { elasticNetBatch } from './penalized.js';
import { neweyWestBatch } from './neweyWestBatch.js';
import { olsBatch } from './ols.js';
import { rollingOls } from './rollingOls.js';

/** Deterministic data: n × m responses with a few gaps, n × k regressors. */
function data(seed: number, n: number, m: number, k: number) {
  let s = seed >>> 0;
  const r = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const x = Float64Array.from({ length: n * k }, () => r() * 0.02);
  const y = new Float64Array(n * m);
  for (let t = 0; t < n; t++)
    for (let j = 0; j < m; j++) {
      let v = r() * 0.01;
      for (let f = 0; f < k; f++) v += x[t * k + f] * (j + f + 1) * 0.3;
      y[t * m + j] = r() > 0.45 ? NaN : v;
    }
  return { y, x, n, m, k };
}

/** Same bits, NaN included. */
const same = (a: unknown, b: unknown): void => {
  expect(a).toStrictEqual(b);
};

describe('the (data, options) form of the batched fits equals the positional kernel form', () => {
  it('isBatchData tells a data object from an array or typed array', () => {
    expect(isBatchData({ y: [1], n: 1, m: 1, x: [1], k: 1 })).toBe(true);
    expect(isBatchData(new Float64Array(3))).toBe(false);
    expect(isBatchData([1, 2, 3])).toBe(false);
    expect(isBatchData(null)).toBe(false);
  });

  it('property: olsBatch, elasticNetBatch, rollingOls and neweyWestBatch give the same result in both forms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 30, max: 80 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (seed, n, m, k) => {
          const d = data(seed, n, m, k);
          const ols = olsBatch(d, { intercept: true });
          same(ols, olsBatch(d.y, n, m, d.x, k, { intercept: true }));
          same(elasticNetBatch(d, { l1: 1e-4, l2: 1e-3 }), elasticNetBatch(d.y, n, m, d.x, k, { l1: 1e-4, l2: 1e-3 }));
          const nwData = {
            residuals: ols.residuals!,
            n,
            m,
            x: d.x,
            k,
            intercept: true,
            coef: ols.coef,
            dfResid: ols.dfResid,
            rank: ols.rank,
          };
          same(
            neweyWestBatch(nwData, { lags: 2 }),
            neweyWestBatch(ols.residuals!, n, m, d.x, k, true, ols.coef, ols.dfResid, ols.rank, { lags: 2 }),
          );
          // rollingOls reads y asset-major
          const yAsset = new Float64Array(n * m);
          for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) yAsset[j * n + t] = d.y[t * m + j];
          same(rollingOls({ y: yAsset, n, m, x: d.x, k }, { window: 20 }), rollingOls(yAsset, n, m, d.x, k, { window: 20 }));
        },
      ),
      { numRuns: 25 },
    );
  });
});

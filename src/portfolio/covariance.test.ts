import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itPython, runPython } from '../../test/unit/portfolio/python.js';
import { InputError } from '../core/errors.js';
import { estimateCovariance, ewmaCovariance, ledoitWolfCovariance, psdFactor, sampleCovariance, pairwiseCovariance } from './covariance.js';

function randomMatrix(t: number, k: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const x = new Float64Array(t * k);
  for (let i = 0; i < t; i++) {
    const common = rnd();
    for (let f = 0; f < k; f++) x[i * k + f] = 0.01 * (rnd() + (f % 2 ? 0.5 : -0.3) * common);
  }
  return x;
}

describe('sample covariance', () => {
  it('matches a hand computation', () => {
    // x = [1,2],[3,0],[5,4]: means 3, 2; cov xx = (4+0+4)/2 = 4, yy = (0+4+4)/2 = 4, xy = (-2*0 + 0*-2 + 2*2)/2 = 2
    const c = sampleCovariance([1, 2, 3, 0, 5, 4], 3, 2);
    expect(Array.from(c.matrix)).toEqual([4, 2, 2, 4]);
  });
});

describe('EWMA covariance', () => {
  it('with a huge half-life equals the ddof-0 sample covariance', () => {
    const x = randomMatrix(50, 3, 7);
    const e = ewmaCovariance(x, 50, 3, 1e12);
    const s = sampleCovariance(x, 50, 3, 0);
    for (let p = 0; p < 9; p++) expect(e.matrix[p]).toBeCloseTo(s.matrix[p], 14);
  });
  it('weights by hand: two dates, half-life 1 gives weights 1/2 and 1', () => {
    // x = [0], [3]: w = (0.5, 1), mean = 3/1.5 = 2, var = (0.5·4 + 1·1)/1.5 = 2
    const e = ewmaCovariance([0, 3], 2, 1, 1);
    expect(e.means[0]).toBeCloseTo(2, 14);
    expect(e.matrix[0]).toBeCloseTo(2, 14);
  });
});

describe('Ledoit-Wolf covariance', () => {
  itPython('equals sklearn.covariance.LedoitWolf on random data (1e-12 relative)', () => {
    const cases = [
      [60, 3, 1],
      [250, 6, 2],
      [40, 10, 3],
      [12, 8, 4],
    ].map(([t, k, seed]) => ({ t, k, x: randomMatrix(t, k, seed) }));
    const ref = runPython<{ cov: number[]; shrinkage: number }[]>(
      'ledoit_wolf.py',
      cases.map((c) => Array.from({ length: c.t }, (_, i) => Array.from(c.x.subarray(i * c.k, (i + 1) * c.k)))),
    );
    cases.forEach((c, idx) => {
      const lw = ledoitWolfCovariance(c.x, c.t, c.k);
      expect(lw.shrinkage).toBeCloseTo(ref[idx].shrinkage, 12);
      const scale = Math.max(...ref[idx].cov.map(Math.abs));
      for (let p = 0; p < c.k * c.k; p++) expect(Math.abs(lw.matrix[p] - ref[idx].cov[p]) / scale).toBeLessThan(1e-12);
    });
  });
  it('shrinkage is in [0, 1] and the result is positive definite (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 80 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (t, k, seed) => {
        const lw = ledoitWolfCovariance(randomMatrix(t, k, seed), t, k);
        expect(lw.shrinkage).toBeGreaterThanOrEqual(0);
        expect(lw.shrinkage).toBeLessThanOrEqual(1);
        const { rank } = psdFactor(lw.matrix, k);
        expect(rank).toBe(k);
      }),
      { numRuns: 50 },
    );
  });
});

describe('psdFactor', () => {
  it('G·Gᵀ reproduces S, also when S is singular (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (k, r, seed) => {
        const b = randomMatrix(k, r, seed);
        const s = new Float64Array(k * k);
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let c = 0; c < r; c++) s[i * k + j] += b[i * r + c] * b[j * r + c];
        const { factor, rank } = psdFactor(s, k);
        expect(rank).toBeLessThanOrEqual(Math.min(k, r));
        const scale = Math.max(...Array.from(s).map(Math.abs));
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) {
            let g = 0;
            for (let c = 0; c < rank; c++) g += factor[i * rank + c] * factor[j * rank + c];
            expect(Math.abs(g - s[i * k + j])).toBeLessThan(1e-12 * scale + 1e-300);
          }
      }),
      { numRuns: 60 },
    );
  });
});

describe('covariance arguments', () => {
  const x = [1, 2, 3, 0, 5, 4]; // 3 rows x 2 factors
  const all = [
    ['sample', (a: ArrayLike<number>, t: number, k: number) => sampleCovariance(a, t, k)],
    ['ewma', (a: ArrayLike<number>, t: number, k: number) => ewmaCovariance(a, t, k, 10)],
    ['ledoit-wolf', (a: ArrayLike<number>, t: number, k: number) => ledoitWolfCovariance(a, t, k)],
    ['estimateCovariance', (a: ArrayLike<number>, t: number, k: number) => estimateCovariance(a, t, k)],
  ] as const;

  it.each(all)(
    '%s refuses a wrong length, NaN or ±Infinity, fewer than 2 observations and a bad t or k, with an InputError naming the argument',
    (_, f) => {
      // before: x of 5 values for 3 x 2 read undefined as NaN; a NaN made every entry NaN; t = 1 gave a zero matrix (EWMA) or an Error (exit 1)
      expect(() => f(x.slice(0, 5), 3, 2)).toThrow(InputError);
      expect(() => f(x.slice(0, 5), 3, 2)).toThrow('x has 5 values, expected t·k = 3 rows x 2 factors = 6');
      expect(() => f([1, 2, NaN, 0, 5, 4], 3, 2)).toThrow(/x\[2\] \(row 1, factor 0\) is NaN, expected a finite number/);
      expect(() => f([1, 2, 3, Infinity, 5, 4], 3, 2)).toThrow(/x\[3\] \(row 1, factor 1\) is Infinity/);
      expect(() => f([1, 2, 3, '0' as unknown as number, 5, 4], 3, 2)).toThrow(/x\[3\] .* is "0" \(a string\)/);
      expect(() => f([1, 2], 1, 2)).toThrow(/^t must be a whole number of observations >= 2/);
      expect(() => f(x, 0, 2)).toThrow(InputError);
      expect(() => f(x, 1.5, 4)).toThrow(/^t must be/);
      expect(() => f(x, 3, 0)).toThrow(/^k must be a whole number of factors >= 1/);
      expect(() => f(null as unknown as number[], 3, 2)).toThrow(/x must be an array of 3 rows x 2 factors/);
    },
  );

  it('sample: ddof a whole number below t; EWMA: a finite half-life > 0; estimateCovariance: known option names and methods', () => {
    expect(() => sampleCovariance(x, 3, 2, -1)).toThrow(/^ddof must be a whole number >= 0/);
    expect(() => sampleCovariance(x, 3, 2, 0.5)).toThrow(InputError);
    expect(() => sampleCovariance(x, 3, 2, 3)).toThrow('the sample covariance with ddof = 3 needs more than 3 observations, got t = 3');
    for (const h of [0, -5, NaN, Infinity]) expect(() => ewmaCovariance(x, 3, 2, h)).toThrow(/^halfLife must be a finite number > 0/);
    expect(() => estimateCovariance(x, 3, 2, { method: 'ledoit_wolf' as 'ledoit-wolf' })).toThrow(
      /^method must be one of 'sample', 'ewma', 'ledoit-wolf'/,
    );
    expect(() => estimateCovariance(x, 3, 2, { halflife: 10 } as object)).toThrow(
      /unknown option "halflife" \(did you mean "halfLife"\?\)/,
    );
    expect(() => estimateCovariance(x, 3, 2, { method: 'ewma', halfLife: 0 })).toThrow(InputError);
  });

  it('valid inputs keep their numbers', () => {
    expect(Array.from(sampleCovariance(x, 3, 2).matrix)).toEqual([4, 2, 2, 4]);
    expect(Array.from(estimateCovariance(x, 3, 2, { method: 'sample' }).matrix)).toEqual([4, 2, 2, 4]);
    expect(Array.from(sampleCovariance(Float64Array.from(x), 3, 2, 0).matrix)).toEqual([8 / 3, 4 / 3, 4 / 3, 8 / 3]);
    const e = ewmaCovariance([0, 3], 2, 1, 1);
    expect(e.matrix[0]).toBeCloseTo(2, 14);
  });
});

describe('pairwiseCovariance', () => {
  it('pandas DataFrame.cov(): each pair on the rows both have, its own means, ddof 1; NaN below 2 common rows', () => {
    // pandas.DataFrame({'a': [0.01, -0.02, nan, 0.03, 0.005], 'b': [0.02, nan, 0.01, -0.01, 0.0], 'c': [nan, nan, nan, 0.01, nan]}).cov()
    const x = Float64Array.from([0.01, 0.02, NaN, -0.02, NaN, NaN, NaN, 0.01, NaN, 0.03, -0.01, 0.01, 0.005, 0, NaN]);
    const { matrix, counts } = pairwiseCovariance(x, 5, 3);
    const pandas = [0.00042291666666666666, -0.000125, NaN, -0.000125, 0.00016666666666666666, NaN, NaN, NaN, NaN];
    pandas.forEach((v, i) => (Number.isNaN(v) ? expect(matrix[i]).toBeNaN() : expect(matrix[i]).toBeCloseTo(v, 17)));
    expect(Array.from(counts)).toEqual([4, 3, 1, 3, 4, 1, 1, 1, 1]);
    // complete data: the sample covariance
    const full = Float64Array.from([1, 2, 3, 5, 2, 9, 4, 4]);
    const s = sampleCovariance(full, 4, 2).matrix;
    const p = pairwiseCovariance(full, 4, 2).matrix;
    for (let i = 0; i < 4; i++) expect(p[i]).toBeCloseTo(s[i], 14);
  });
});

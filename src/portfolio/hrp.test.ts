import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../core/errors.js';
import { hierarchicalRiskParity } from './hrp.js';

// PyPortfolioOpt's six names (peerCases.test.ts): Σ annualised.
const SIGMA = [
  [0.207537, 0.0792939, 0.0383477, 0.0203663, 0.0471153, 0.0439449],
  [0.0792939, 0.375394, 0.0522615, 0.0268795, 0.0728535, 0.0659039],
  [0.0383477, 0.0522615, 0.083109, 0.0259812, 0.059512, 0.03807],
  [0.0203663, 0.0268795, 0.0259812, 0.0544038, 0.0302293, 0.0234746],
  [0.0471153, 0.0728535, 0.059512, 0.0302293, 0.146893, 0.04953],
  [0.0439449, 0.0659039, 0.03807, 0.0234746, 0.04953, 0.152589],
];

/** Σ = A·Aᵀ/3·1e-4 + diag((1 + i mod 5)·1e-5), A_ij = sin(1 + 7i + 3j): 13 names. */
function sinModel(n = 13, k = 3): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += Math.sin(1 + 7 * i + 3 * q) * Math.sin(1 + 7 * j + 3 * q);
      c[i * n + j] = (s / k) * 1e-4 + (i === j ? (1 + (i % 5)) * 1e-5 : 0);
    }
  return c;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describe('hierarchicalRiskParity', () => {
  // the independent route: scipy.cluster.hierarchy.linkage(squareform(√((1 − ρ)/2)), 'single'),
  // to_tree(...).pre_order() and PyPortfolioOpt's _raw_hrp_allocation (pandas), run on these matrices
  it("PyPortfolioOpt's six names: scipy's linkage matrix, order and HRPOpt's weights", () => {
    const r = hierarchicalRiskParity(Float64Array.from(SIGMA.flat()), 6);
    expect(Array.from(r.order)).toEqual([0, 1, 5, 3, 2, 4]);
    expect(
      maxAbsDiff(
        r.linkage,
        [
          2, 4, 0.4803036076697376, 2, 3, 6, 0.5539019459500142, 3, 5, 7, 0.5752987554809117, 4, 1, 8, 0.5872622873973707, 5, 0, 9,
          0.5949833209020852, 6,
        ],
      ),
    ).toBeLessThan(1e-15);
    expect(
      maxAbsDiff(
        r.weights,
        [0.12149087056298573, 0.053748399383520704, 0.17830591693048087, 0.4133431492815199, 0.10088177414972355, 0.13222988969176924],
      ),
    ).toBeLessThan(1e-15);
  });

  it('a 13-name factor-like covariance: the same order and weights as the scipy / pandas route', () => {
    const r = hierarchicalRiskParity(sinModel(), 13);
    expect(Array.from(r.order)).toEqual([3, 8, 9, 2, 11, 1, 0, 10, 12, 7, 4, 5, 6]);
    expect(
      maxAbsDiff(
        r.weights,
        [
          0.14366521254952586, 0.009117731226375868, 0.021281170811931403, 0.06442937373137202, 0.06873572514789196, 0.03913620382807174,
          0.03962721180734586, 0.11940223627466305, 0.042173743260078764, 0.01733110928419084, 0.09556266320313717, 0.018048451547609444,
          0.32148916732780597,
        ],
      ),
    ).toBeLessThan(1e-14);
  });

  it('by hand: two names are inverse-variance weighted; uncorrelated names too', () => {
    const r = hierarchicalRiskParity([0.04, 0.01, 0.01, 0.09], 2);
    // α = 1 − 0.04 / (0.04 + 0.09)
    expect(r.weights[0]).toBeCloseTo(0.09 / 0.13, 15);
    expect(r.weights[1]).toBeCloseTo(0.04 / 0.13, 15);
    const d = [1, 2, 4, 8];
    const diag = new Float64Array(16);
    d.forEach((v, i) => (diag[i * 4 + i] = v));
    const w = hierarchicalRiskParity(diag, 4).weights;
    const inv = d.map((v) => 1 / v),
      s = inv.reduce((a, b) => a + b, 0);
    expect(
      maxAbsDiff(
        w,
        inv.map((v) => v / s),
      ),
    ).toBeLessThan(1e-15);
    expect(Array.from(hierarchicalRiskParity([0.3], 1).weights)).toEqual([1]);
  });

  it('long-only, summing to 1, unchanged when Σ is scaled (a property of the definition)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        (n, k, seed, scale) => {
          let x = seed | 0;
          const rnd = (): number => {
            x = (Math.imul(x, 1664525) + 1013904223) | 0;
            return (x >>> 0) / 2 ** 32 - 0.5;
          };
          const a = Array.from({ length: n * k }, rnd);
          const c = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let q = 0; q < k; q++) s += a[i * k + q] * a[j * k + q];
              c[i * n + j] = s + (i === j ? 0.1 + Math.abs(a[i]) : 0);
            }
          const r = hierarchicalRiskParity(c, n);
          let sum = 0;
          for (const w of r.weights) {
            expect(w).toBeGreaterThan(0);
            sum += w;
          }
          expect(sum).toBeCloseTo(1, 12);
          expect(
            maxAbsDiff(
              hierarchicalRiskParity(
                c.map((v) => v * scale),
                n,
              ).weights,
              r.weights,
            ),
          ).toBeLessThan(1e-12);
          expect(Array.from(r.order).sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses a zero variance, an asymmetric or non-finite matrix, naming the asset', () => {
    const bad = (c: number[], n: number, message: RegExp): void => {
      let e: unknown;
      try {
        hierarchicalRiskParity(c, n, ['AA', 'BB']);
      } catch (x) {
        e = x;
      }
      expect(isInputError(e)).toBe(true);
      expect((e as Error).message).toMatch(message);
    };
    bad([0.04, 0, 0, 0], 2, /the variance of BB is 0/);
    bad([0.04, 0.01, 0.02, 0.09], 2, /not symmetric at AA, BB/);
    bad([0.04, NaN, NaN, 0.09], 2, /covariance of AA and BB is NaN/);
    bad([0.04, 0.01, 0.01], 2, /has 3 values, expected 2 × 2/);
  });
});

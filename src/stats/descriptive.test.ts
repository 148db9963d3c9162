import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  countFinite, kurtosis, mean, nanKurtosis, nanMean, nanQuantile, nanQuantiles, nanSkewness, nanStd, nanVariance,
  quantile, skewness, std, variance,
} from './descriptive.js';

// Reference values from numpy 1.24 / scipy 1.10 on this array.
const x = Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9, 1.5, 12]);

describe('descriptive', () => {
  it('matches numpy / scipy on a fixed sample', () => {
    expect(mean(x)).toBeCloseTo(5.35, 14);
    expect(variance(x)).toBeCloseTo(10.225, 12);
    expect(std(x, 0)).toBeCloseTo(3.033562262423503, 13);
    expect(skewness(x)).toBeCloseTo(0.877872433206316, 13);
    expect(kurtosis(x)).toBeCloseTo(-0.052433839976956165, 13);
    const qs = [0, 0.1, 0.25, 0.5, 0.9, 1];
    const expected = [1.5, 1.95, 4.0, 4.5, 9.3, 12.0];
    qs.forEach((q, i) => expect(quantile(x, q)).toBeCloseTo(expected[i], 12));
    expect(Array.from(nanQuantiles(x, qs))).toEqual(qs.map((q) => quantile(x, q)));
  });

  it('hand-computed small case', () => {
    const y = [1, 2, 3, 4];
    expect(mean(y)).toBe(2.5);
    expect(variance(y)).toBeCloseTo(5 / 3, 15); // Σd² = 2.25+0.25+0.25+2.25 = 5
    expect(variance(y, 0)).toBeCloseTo(1.25, 15);
    expect(skewness(y)).toBeCloseTo(0, 15);
    // m2 = 1.25, m4 = (5.0625·2 + 0.0625·2)/4 = 2.5625 → 2.5625/1.5625 − 3 = −1.36
    expect(kurtosis(y)).toBeCloseTo(-1.36, 14);
  });

  it('NaN handling', () => {
    const y = [1, NaN, 2, 3, 4, NaN];
    expect(mean(y)).toBeNaN();
    expect(quantile(y, 0.5)).toBeNaN();
    expect(nanMean(y)).toBe(2.5);
    expect(nanVariance(y)).toBeCloseTo(5 / 3, 15);
    expect(nanStd(y, 0)).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(nanSkewness(y)).toBeCloseTo(0, 15);
    expect(nanKurtosis(y)).toBeCloseTo(-1.36, 14);
    expect(nanQuantile(y, 0.5)).toBe(2.5);
    expect(countFinite(y)).toBe(4);
    expect(nanMean([NaN])).toBeNaN();
    expect(variance([1])).toBeNaN();
    expect(skewness([3, 3, 3])).toBeNaN();
    expect(kurtosis([0.1, 0.1, 0.1])).toBeNaN();
  });

  it('properties: shift and scale', () => {
    const arr = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 40 });
    fc.assert(
      fc.property(arr, fc.double({ min: 0.5, max: 10, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (a, k, c) => {
        // well-conditioned samples only: skewness / kurtosis of nearly identical values are
        // ill-conditioned (relative rounding ~ 1e-16·max|a|/std)
        const maxAbs = Math.max(...a.map(Math.abs));
        fc.pre(std(a) > 1e-3 * Math.max(1, maxAbs));
        const b = a.map((t) => k * t + c);
        expect(mean(b)).toBeCloseTo(k * mean(a) + c, 6);
        expect(std(b) / (k * std(a))).toBeCloseTo(1, 9);
        expect(skewness(b) - skewness(a)).toBeCloseTo(0, 6);
        expect(kurtosis(b) - kurtosis(a)).toBeCloseTo(0, 6);
        const s = [...a].sort((p, q) => p - q);
        expect(quantile(a, 0) === s[0]).toBe(true); // === : −0 and +0 are the same minimum
        expect(quantile(a, 1) === s[s.length - 1]).toBe(true);
      }),
    );
  });
});

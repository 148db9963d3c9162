import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalCdf, normalTwoSidedPValue, tCdf, tQuantile, tTwoSidedPValue } from './distributions.js';

describe('distributions', () => {
  it('matches scipy values', () => {
    // scipy.stats.t.cdf(2.0, 5) = 0.9490302605850709
    expect(tCdf(2, 5)).toBeCloseTo(0.9490302605850709, 12);
    // 2 * scipy.stats.t.sf(2.0, 10) = 0.07338803477074593
    expect(tTwoSidedPValue(2, 10)).toBeCloseTo(0.07338803477074593, 12);
    expect(tTwoSidedPValue(-2, 10)).toBeCloseTo(0.07338803477074593, 12);
    // scipy.stats.t.ppf(0.975, 10) = 2.2281388519649385
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.2281388519649385, 10);
    // scipy.stats.norm.cdf(1.96) = 0.9750021048517795
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
    expect(normalTwoSidedPValue(1.96)).toBeCloseTo(2 * (1 - 0.9750021048517795), 12);
    // Cauchy (df = 1): cdf(1) = 3/4 exactly
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 14);
  });

  it('handles edge cases', () => {
    expect(tTwoSidedPValue(0, 3)).toBe(1);
    expect(tTwoSidedPValue(NaN, 3)).toBeNaN();
    expect(tTwoSidedPValue(1, 0)).toBeNaN();
    expect(tCdf(1.5, Infinity)).toBeCloseTo(normalCdf(1.5), 14);
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 6);
    expect(tQuantile(1.2, 5)).toBeNaN();
  });

  it('tQuantile inverts tCdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
        expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
      }),
    );
  });
});

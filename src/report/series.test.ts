import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compoundedNav, cumulativeSum, movingAverage, normalQq } from './series.js';

describe('report series', () => {
  it('moving average: trailing, finite values only, needs half a window', () => {
    const m = movingAverage([1, 2, null, 4, NaN, NaN, NaN, 8], 4);
    // window 4 needs 2 finite values
    expect(m).toEqual([NaN, 1.5, 1.5, 7 / 3, 3, NaN, NaN, NaN]);
  });
  it('compounded NAV every step rows, a missing period held in cash', () => {
    const r = compoundedNav(['a', 'b', 'c', 'd', 'e'], [0.1, 9, null, 9, -0.5], 2);
    expect(r.dates).toEqual(['a', 'c', 'e']);
    expect(r.nav[0]).toBeCloseTo(1.1, 15);
    expect(r.nav[1]).toBeCloseTo(1.1, 15);
    expect(r.nav[2]).toBeCloseTo(0.55, 15);
  });
  it('cumulative sum every step rows', () => {
    expect(cumulativeSum(['a', 'b', 'c'], [1, 5, null], 1)).toEqual({ dates: ['a', 'b', 'c'], sum: [1, 6, 6] });
  });
  it('normal Q-Q: Hazen positions against sorted values', () => {
    const q = normalQq([3, null, 1, 2]);
    expect(q.sample).toEqual([1, 2, 3]);
    expect(q.theoretical[1]).toBe(0);
    expect(q.theoretical[2]).toBeCloseTo(0.967421566101701, 12); // scipy norm.ppf(2.5 / 3)
    expect(q.theoretical[0]).toBeCloseTo(-0.967421566101701, 12);
  });
  it('property: the moving average of a constant series is the constant; NAV of zeros stays 1', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 1, max: 10 }), (c, w) => {
        const m = movingAverage(new Array(20).fill(c), w);
        for (let t = Math.ceil(w / 2) - 1; t < 20; t++) expect(m[t]).toBeCloseTo(c, 12);
        expect(compoundedNav(new Array(20).fill('d'), new Array(20).fill(0), w).nav.every((v) => v === 1)).toBe(true);
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalCdf } from './distributions.js';
import { normalQuantile } from './normalQuantile.js';

describe('normalQuantile', () => {
  it('matches scipy.stats.norm.ppf', () => {
    // scipy 1.10: norm.ppf([0.5, 0.975, 0.841344746068543, 0.001, 1e-10, 0.3])
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0.841344746068543)).toBeCloseTo(1.0, 12);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 13);
  });
  it('edges: ±Infinity at 0 and 1, NaN outside', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
  it('property: inverts normalCdf and is antisymmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1 - 1e-12, noNaN: true }), (p) => {
        const x = normalQuantile(p);
        expect(normalCdf(x)).toBeCloseTo(p, 12);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 0.999, noNaN: true }), (p) => {
        expect(normalQuantile(1 - p) + normalQuantile(p)).toBeCloseTo(0, 9); // 1 - p is rounded: not exact
      }),
    );
  });
});

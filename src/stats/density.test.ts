import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../core/errors.js';
import { gaussianKde, histogram, kdeFactor } from './density.js';

describe('gaussianKde', () => {
  const data = [-1, 0, 0.5, 2];

  it('matches scipy.stats.gaussian_kde (scipy 1.10) on a tiny sample', () => {
    // gaussian_kde([-1, 0, 0.5, 2]): factor 4^(-1/5), sqrt(covariance) 0.9473228540689987
    const k = gaussianKde(data, { points: [-2, 0, 0.25, 1, 3] });
    expect(k.factor).toBeCloseTo(0.757858283255199, 15);
    expect(k.bandwidth).toBeCloseTo(0.9473228540689987, 15);
    const scipy = [0.0748962173622429, 0.26851976816364626, 0.26655333705237794, 0.22354751033727666, 0.06425896931411766];
    k.density.forEach((d, j) => expect(d).toBeCloseTo(scipy[j], 14));
    const silverman = gaussianKde(data, { bandwidth: 'silverman', points: [0, 1] });
    expect(silverman.bandwidth).toBeCloseTo(1.0034269522002883, 14);
    expect(silverman.density[0]).toBeCloseTo(0.26131380302579515, 14);
    expect(silverman.density[1]).toBeCloseTo(0.22241082940917573, 14);
    const fixed = gaussianKde(data, { bandwidth: 0.5, points: [0, 1] });
    expect(fixed.density[0]).toBeCloseTo(0.32077550241753433, 14);
    expect(fixed.density[1]).toBeCloseTo(0.20556692412874344, 14);
  });

  it('equals a brute-force sum of normal densities by hand, ignores NaN', () => {
    // mean 0.375, ss = 1.890625+0.140625+0.015625+2.640625 = 4.6875, s = sqrt(4.6875/3) = 1.25
    const k = gaussianKde([-1, NaN, 0, 0.5, 2], { bandwidth: 0.4, points: [0.3] });
    const sk = 0.4 * 1.25;
    const phi = (z: number): number => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    const brute = data.reduce((a, v) => a + phi((0.3 - v) / sk) / sk, 0) / 4;
    expect(k.n).toBe(4);
    expect(k.bandwidth).toBeCloseTo(0.5, 15);
    expect(k.density[0]).toBeCloseTo(brute, 15);
  });

  it('default grid spans min − 3σ_k .. max + 3σ_k and integrates to ~1', () => {
    const k = gaussianKde(data);
    expect(k.x.length).toBe(200);
    expect(k.x[0]).toBeCloseTo(-1 - 3 * k.bandwidth, 12);
    expect(k.x[199]).toBeCloseTo(2 + 3 * k.bandwidth, 12);
    const dx = k.x[1] - k.x[0];
    const area = k.density.reduce((a, d) => a + d, 0) * dx;
    expect(area).toBeGreaterThan(0.99);
    expect(area).toBeLessThan(1.0);
  });

  it('degenerate samples give no curve instead of an error', () => {
    expect(gaussianKde([1]).degenerate).toBe(true);
    expect(gaussianKde([2, 2, 2]).degenerate).toBe(true);
    expect(gaussianKde([]).density).toEqual([]);
    expect(() => gaussianKde(data, { bandwidth: -1 })).toThrow(InputError); // an option: InputError
    expect(kdeFactor(32)).toBeCloseTo(0.5, 15);
  });

  it('property: shifting the data shifts the density; scaling by c scales x by c and f by 1/c', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 3, maxLength: 20 }),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (xs, shift, c) => {
          const base = gaussianKde(xs, { points: [0.7] });
          fc.pre(!base.degenerate && base.bandwidth > 1e-6);
          const shifted = gaussianKde(
            xs.map((v) => v + shift),
            { points: [0.7 + shift] },
          );
          expect(shifted.density[0]).toBeCloseTo(base.density[0], 6);
          const scaled = gaussianKde(
            xs.map((v) => v * c),
            { points: [0.7 * c] },
          );
          expect(scaled.density[0] * c).toBeCloseTo(base.density[0], 6);
        },
      ),
    );
  });
});

describe('histogram', () => {
  it('matches numpy.histogram([1,2,2,3,4,10], bins=3)', () => {
    const h = histogram([1, 2, 2, 3, 4, 10], { bins: 3 });
    expect(h.edges).toEqual([1, 4, 7, 10]);
    expect(h.values).toEqual([4, 1, 1]);
    const d = histogram([1, 2, 2, 3, 4, 10], { bins: 3, density: true });
    expect(d.values[0]).toBeCloseTo(0.2222222222222222, 15);
    expect(d.values[1]).toBeCloseTo(0.05555555555555555, 15);
  });

  it('last bin closed, constant sample widened by ±0.5, range clips', () => {
    expect(histogram([0, 1], { bins: 2 }).values).toEqual([1, 1]);
    expect(histogram([3, 3], { bins: 2 })).toEqual({ edges: [2.5, 3, 3.5], values: [0, 2], n: 2 });
    expect(histogram([0, 5, 11], { bins: 2, range: [0, 10] }).values).toEqual([1, 1]);
    expect(histogram([NaN]).values).toEqual([]);
  });

  it('property: counts sum to n and density integrates to 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 12 }),
        (xs, bins) => {
          const span = Math.max(...xs) - Math.min(...xs);
          fc.pre(span === 0 || span > 1e-6);
          const h = histogram(xs, { bins });
          expect(h.values.reduce((a, b) => a + b, 0)).toBe(xs.length);
          const d = histogram(xs, { bins, density: true });
          const area = d.values.reduce((a, v, j) => a + v * (d.edges[j + 1] - d.edges[j]), 0);
          expect(area).toBeCloseTo(1, 9);
        },
      ),
    );
  });
});

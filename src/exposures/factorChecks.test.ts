import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { degenerateFactors, describeDegenerateFactor, returnsSpanningFactorDates } from './factorChecks.js';

const n = 120;
const mkt = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.sin(t * 1.7) + 0.002 * Math.cos(t * 0.3));
const smb = Float64Array.from({ length: n }, (_, t) => 0.006 * Math.cos(t * 2.9));
const hml = Float64Array.from({ length: n }, (_, t) => 0.005 * Math.sin(t * 0.71 + 1));

describe('degenerateFactors', () => {
  it('independent factors: nothing to report', () => {
    expect(degenerateFactors(['mkt', 'smb', 'hml'], [mkt, smb, hml])).toEqual([]);
  });

  it('a constant column is constant (with an intercept), an all-zero one in either model', () => {
    const k = new Float64Array(n).fill(0.001);
    const z = new Float64Array(n);
    const d = degenerateFactors(['mkt', 'k', 'z'], [mkt, k, z]);
    expect(d.map((x) => [x.factor, x.kind])).toEqual([
      ['k', 'constant'],
      ['z', 'constant'],
    ]);
    expect(d[0].value).toBeCloseTo(0.001, 15);
    // without an intercept a non-zero constant is a regressor like any other
    expect(degenerateFactors(['mkt', 'k', 'z'], [mkt, k, z], { includeConstant: false }).map((x) => x.factor)).toEqual(['z']);
  });

  it('a multiple of another column is collinear, with its combination', () => {
    const hml2 = hml.map((v) => 2 * v);
    const [d] = degenerateFactors(['mkt', 'smb', 'hml', 'hml2'], [mkt, smb, hml, hml2]);
    expect(d.factor).toBe('hml2');
    expect(d.kind).toBe('collinear');
    expect(d.combination?.map((c) => c.factor)).toEqual(['hml']);
    expect(d.combination?.[0].coef).toBeCloseTo(2, 9);
    expect(describeDegenerateFactor(d)).toBe('hml2 is a linear combination of the others (hml2 ≈ 2·hml + a constant)');
  });

  it('rounded data: the combination keeps the real terms, not the rounding noise', () => {
    const round = (v: number): number => Number(v.toFixed(8));
    const hml2 = hml.map((v) => round(2 * round(v)));
    const [d] = degenerateFactors(['mkt', 'smb', 'hml', 'hml2'], [mkt.map(round), smb.map(round), hml.map(round), hml2]);
    expect(describeDegenerateFactor(d)).toBe('hml2 is a linear combination of the others (hml2 ≈ 2·hml + a constant)');
  });

  it('a shifted difference of two columns is collinear once the intercept is in the model', () => {
    const x = mkt.map((v, t) => v - smb[t] + 0.003);
    const [d] = degenerateFactors(['mkt', 'smb', 'x'], [mkt, smb, x]);
    expect(describeDegenerateFactor(d)).toBe('x is a linear combination of the others (x ≈ mkt − smb + a constant)');
    // without an intercept the shift makes it independent
    expect(degenerateFactors(['mkt', 'smb', 'x'], [mkt, smb, x], { includeConstant: false })).toEqual([]);
  });

  it('only rows where every column is present, inside [from, to), count', () => {
    const y = Float64Array.from(hml);
    for (let t = 0; t < 60; t++) y[t] = 3 * mkt[t];
    y[70] = NaN;
    // rows 0..59 only: y = 3·mkt there
    expect(degenerateFactors(['mkt', 'y'], [mkt, y], { to: 60 }).map((d) => d.factor)).toEqual(['y']);
    expect(degenerateFactors(['mkt', 'y'], [mkt, y])).toEqual([]);
    const m2 = Float64Array.from(mkt);
    m2[5] = NaN;
    expect(degenerateFactors(['mkt', 'y'], [m2, y], { to: 60 }).map((d) => d.factor)).toEqual(['y']);
  });

  it('property: a random combination of random columns is found, and its coefficients recovered', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        (a, seed) => {
          let s = seed;
          const rnd = (): number => {
            s = (s * 16807) % 2147483647;
            return s / 2147483647 - 0.5;
          };
          const cols = [0, 1, 2].map(() => Float64Array.from({ length: 80 }, () => 0.01 * rnd()));
          const combo = Float64Array.from({ length: 80 }, (_, t) => a[0] * cols[0][t] + a[1] * cols[1][t] + a[2] * cols[2][t]);
          const d = degenerateFactors(['a', 'b', 'c', 'x'], [...cols, combo]);
          const nonzero = a.some((v) => Math.abs(v) > 1e-6);
          if (!nonzero) return; // x is (numerically) zero: constant or collinear, either is right
          expect(d.map((x) => x.factor)).toEqual(['x']);
          expect(d[0].kind).toBe('collinear');
          const got = new Map((d[0].combination ?? []).map((c) => [c.factor, c.coef]));
          ['a', 'b', 'c'].forEach((f, i) => expect(Math.abs((got.get(f) ?? 0) - a[i])).toBeLessThan(1e-6 * (1 + Math.abs(a[i]))));
        },
      ),
    );
  });
});

describe('returnsSpanningFactorDates', () => {
  it('a price date the factors have but the prices lack makes the next return span two factor periods', () => {
    // prices on 1, 2, 4, 5, 8; factors on 1..8 except 6 and 7 (a weekend)
    const prices = [1, 2, 4, 5, 8];
    const factors = [1, 2, 3, 4, 5, 8];
    const r = returnsSpanningFactorDates(prices, factors);
    // return rows: 0 = (1, 2], 1 = (2, 4] spans 3, 2 = (4, 5], 3 = (5, 8]
    expect(r).toEqual({ rows: [1], missing: 1, firstMissing: 3 });
  });
  it('factor dates outside the prices, or dates only the prices have, do not count', () => {
    expect(returnsSpanningFactorDates([5, 6, 7, 9], [1, 2, 5, 6, 7, 8.5, 9, 12]).rows).toEqual([2]);
    expect(returnsSpanningFactorDates([5, 6, 7, 8], [1, 5, 7, 8, 12])).toEqual({ rows: [], missing: 0, firstMissing: NaN });
  });
  it('property: every return row listed has a factor date strictly inside its span, and no other row has', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 2, maxLength: 40 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }),
        (p, q) => {
          const prices = [...p].sort((a, b) => a - b),
            factors = [...q].sort((a, b) => a - b);
          const { rows, missing } = returnsSpanningFactorDates(prices, factors);
          const want: number[] = [];
          let count = 0;
          for (let i = 1; i < prices.length; i++) {
            const k = factors.filter((d) => d > prices[i - 1] && d < prices[i]).length;
            count += k;
            if (k > 0) want.push(i - 1);
          }
          expect(rows).toEqual(want);
          expect(missing).toBe(count);
        },
      ),
    );
  });
});

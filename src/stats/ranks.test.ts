import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averageRanks, percentileRanks } from './ranks.js';

/** O(n²) reference: rank = #less + (#equal + 1) / 2 over non-NaN values. */
function bruteRanks(x: number[]): number[] {
  return x.map((v) => {
    if (Number.isNaN(v)) return NaN;
    let less = 0, eq = 0;
    for (const w of x) { if (w < v) less++; else if (w === v) eq++; }
    return less + (eq + 1) / 2;
  });
}

describe('ranks', () => {
  it('hand-computed: ties share their mean rank (scipy rankdata average)', () => {
    // scipy.stats.rankdata([10, 20, 20, 5, 30]) = [2, 3.5, 3.5, 1, 5]
    expect(Array.from(averageRanks([10, 20, 20, 5, 30]))).toEqual([2, 3.5, 3.5, 1, 5]);
    expect(Array.from(averageRanks([3, NaN, 1, 3, 3]))).toEqual([3, NaN, 1, 3, 3]);
    expect(Array.from(averageRanks([]))).toEqual([]);
  });

  it("percentile rank: the seed's lowest of four scores 0.25", () => {
    expect(Array.from(percentileRanks([0.3, -0.2, 0.1, 0.5]))).toEqual([0.75, 0.25, 0.5, 1]);
    expect(Array.from(percentileRanks([1, NaN, 1]))).toEqual([0.75, NaN, 0.75]);
  });

  it('reuses out and scratch buffers', () => {
    const out = new Float64Array(3);
    const scratch = new Float64Array(10);
    const r = averageRanks([2, 1, 2], out, scratch);
    expect(r).toBe(out);
    expect(Array.from(out)).toEqual([1.5 + 1, 1, 2.5]);
  });

  it('matches the O(n²) brute force, including ties, NaN, ±0 and infinities', () => {
    const val = fc.oneof(fc.integer({ min: -5, max: 5 }).map((v) => v / 2), fc.constant(NaN), fc.constant(-0), fc.constant(Infinity), fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.array(val, { maxLength: 60 }), (a) => {
        const got = Array.from(averageRanks(a));
        const want = bruteRanks(a);
        expect(got).toEqual(want);
        // ranks of the non-NaN values sum to N(N+1)/2
        const fin = want.filter((v) => !Number.isNaN(v));
        const n = fin.length;
        expect(fin.reduce((p, q) => p + q, 0)).toBeCloseTo((n * (n + 1)) / 2, 9);
      }),
    );
  });
});

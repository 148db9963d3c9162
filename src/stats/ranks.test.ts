import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averageRanks, createRankScratch, percentileRanks } from './ranks.js';

/** O(n²) reference: rank = #less + (#equal + 1) / 2 over non-NaN values. */
function bruteRanks(x: number[]): number[] {
  return x.map((v) => {
    if (Number.isNaN(v)) return NaN;
    let less = 0,
      eq = 0;
    for (const w of x) {
      if (w < v) less++;
      else if (w === v) eq++;
    }
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
    const scratch = createRankScratch(10);
    const r = averageRanks([2, 1, 2], out, scratch);
    expect(r).toBe(out);
    expect(Array.from(out)).toEqual([1.5 + 1, 1, 2.5]);
  });

  const shared = createRankScratch(200); // reused across runs, as a cross-section loop would

  it('ranks a large cross-section like the brute force (radix passes on all 8 bytes)', () => {
    let s = 3;
    const rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32 - 0.5;
    };
    const a = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? Math.round(rnd() * 10) : rnd() * 10 ** Math.round(rnd() * 20)));
    expect(Array.from(averageRanks(a))).toEqual(bruteRanks(a));
    // the input is not modified and the scratch's values come back intact
    const copy = a.slice();
    averageRanks(a, undefined, createRankScratch(3000));
    expect(a).toEqual(copy);
  });

  it('matches the O(n²) brute force, including ties, NaN, ±0, infinities and subnormals', () => {
    const val = fc.oneof(
      fc.integer({ min: -5, max: 5 }).map((v) => v / 2),
      fc.constant(NaN),
      fc.constant(-0),
      fc.constant(0),
      fc.constant(Infinity),
      fc.constant(-Infinity),
      fc.constant(5e-324),
      fc.constant(-5e-324),
      fc.double({ noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(val, { maxLength: 200 }), (a) => {
        const got = Array.from(averageRanks(a, undefined, shared));
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

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { argsortValues, averageRanks, createRankScratch, rowRanks } from './ranks.js';

/** O(n²) reference: rank = #less + (#equal + 1) / 2 over non-NaN values. */
function bruteRanks(x: ArrayLike<number>): number[] {
  return Array.from(x, (v) => {
    if (Number.isNaN(v)) return NaN;
    let less = 0,
      eq = 0;
    for (let i = 0; i < x.length; i++) {
      const w = x[i];
      if (w < v) less++;
      else if (w === v) eq++;
    }
    return less + (eq + 1) / 2;
  });
}

const ULP1 = 2 ** -52; // spacing of doubles in [1, 2)

describe('rank kernel: values that share their high word', () => {
  it('hand-computed: 1 + k ulp in a short run (insertion sort on the low word)', () => {
    const x = [1 + 3 * ULP1, 1, 1 + ULP1, 1 + 3 * ULP1, 1 + 2 * ULP1];
    expect(Array.from(averageRanks(x))).toEqual([4.5, 1, 2, 4.5, 3]);
  });

  it('long runs (> 32) of equal high words are ordered by the low word (radix), positive and negative', () => {
    let s = 11;
    const rnd = (): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const x = Array.from({ length: 500 }, (_, i) => {
      const k = Math.floor(rnd() * 300);
      const v = i % 3 === 0 ? -(1 + k * ULP1) : 1 + k * ULP1; // two runs of ~330 and ~170 values
      return i % 50 === 0 ? NaN : v;
    });
    expect(Array.from(averageRanks(x, undefined, createRankScratch(500)))).toEqual(bruteRanks(x));
  });

  it('−0 and +0 tie even when they have different bit patterns', () => {
    expect(Array.from(averageRanks([0, -0, -1, 0, -0, 1]))).toEqual([3.5, 3.5, 1, 3.5, 3.5, 6]);
  });

  it('property: clustered values (many equal high words) match the brute force', () => {
    const val = fc.oneof(
      fc.integer({ min: -40, max: 40 }).map((k) => 1 + k * ULP1),
      fc.integer({ min: -40, max: 40 }).map((k) => -(2 + 2 * k * ULP1)),
      fc.constant(0),
      fc.constant(-0),
      fc.constant(NaN),
      fc.double({ noNaN: true }),
    );
    const scratch = createRankScratch(300);
    fc.assert(
      fc.property(fc.array(val, { maxLength: 300 }), (a) => {
        expect(Array.from(averageRanks(a, undefined, scratch))).toEqual(bruteRanks(a));
      }),
    );
  });
});

describe('rowRanks', () => {
  it('hand-computed: each row ranked on its own, NaN kept', () => {
    const v = Float64Array.from([3, 1, 2, NaN, 5, 5, 1, 0]);
    expect(Array.from(rowRanks(v, 2, 4))).toEqual([3, 1, 2, NaN, 3.5, 3.5, 2, 1]);
  });

  it('equals averageRanks row by row (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constant(NaN), fc.integer({ min: -3, max: 3 })), {
          minLength: 240,
          maxLength: 240,
        }),
        (rows, cols, pool) => {
          const v = Float64Array.from({ length: rows * cols }, (_, i) => pool[i % pool.length]);
          const got = rowRanks(v, rows, cols);
          for (let t = 0; t < rows; t++)
            expect(Array.from(got.subarray(t * cols, (t + 1) * cols))).toEqual(
              Array.from(averageRanks(v.subarray(t * cols, (t + 1) * cols))),
            );
        },
      ),
    );
  });

  it('rejects a wrong shape', () => {
    expect(() => rowRanks(new Float64Array(5), 2, 3)).toThrow(/expected 2 x 3/);
  });
});

describe('argsortValues: both digit widths and the small-input path', () => {
  it('hand-computed permutation', () => {
    const s = createRankScratch(4);
    s.values.set([0.5, -2, 0.25, -0]);
    expect(Array.from(argsortValues(s, 4).subarray(0, 4))).toEqual([1, 3, 2, 0]);
  });

  it('8-bit and 11-bit digits both sort, any length (property)', () => {
    const s = createRankScratch(400);
    const val = fc.oneof(
      fc.double({ noNaN: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.integer({ min: 0, max: 60 }).map((k) => 1 + k * ULP1),
    );
    fc.assert(
      fc.property(fc.array(val, { maxLength: 400 }), fc.constantFrom(0, 1e9), (a, wideFrom) => {
        const n = a.length;
        s.values.set(a);
        const perm = Array.from(argsortValues(s, n, wideFrom).subarray(0, n));
        expect([...perm].sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i)); // a permutation
        for (let i = 1; i < n; i++) expect(a[perm[i - 1]] <= a[perm[i]]).toBe(true);
      }),
    );
  });
});

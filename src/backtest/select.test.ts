import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { candidatesBuffer, compactCandidates, qcutLabels, rankedCandidates, TailBin, topByValue, type TailKeep } from './select.js';

/** Cross-sections of a few distinct levels (ties) or spread values, some missing or untradable. */
const section = (m: number) =>
  fc.record({
    values: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(NaN)), {
      minLength: m,
      maxLength: m,
    }),
    tradable: fc.array(
      fc.integer({ min: 0, max: 4 }).map((x) => (x === 0 ? 0 : 1)),
      { minLength: m, maxLength: m },
    ),
  });

describe('TailBin: the top / bottom qcut bin from one pass', () => {
  it('equals the names qcutLabels gives label Q (top) and 1 (bottom), over sequences of cross-sections (the guess carried)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 60 }).chain((m) => fc.array(section(m), { minLength: 1, maxLength: 8 })),
        (Q, days) => {
          const top = new TailBin(Q, true),
            bottom = new TailBin(Q, false);
          for (const d of days) {
            const idx = rankedCandidates(d.values, d.tradable).sort((a, b) => a - b);
            const labels = qcutLabels(d.values, idx, Q);
            expect(Array.from(top.members(d.values, d.tradable))).toEqual(idx.filter((_, i) => labels[i] === Q));
            expect(Array.from(bottom.members(d.values, d.tradable))).toEqual(idx.filter((_, i) => labels[i] === 1));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('selectKept (a fused keep pass) gives what select gives from the candidates, over sequences (each with its own carried guess)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 60 }).chain((m) => fc.array(section(m), { minLength: 1, maxLength: 8 })),
        (Q, days) => {
          for (const top of [true, false]) {
            const a = new TailBin(Q, top),
              b = new TailBin(Q, top);
            for (const d of days) {
              const m = d.values.length;
              const c = compactCandidates(d.values, d.tradable, candidatesBuffer(m));
              // the keep pass of TailKeep's contract, over the whole row
              const keep: TailKeep = (g, up, idx, val, buf, res) => {
                let k = 0,
                  kept = 0;
                for (let j = 0; j < m; j++) {
                  const x = d.values[j];
                  if (d.tradable[j] !== 1 || !Number.isFinite(x)) continue;
                  k++;
                  if (g !== g || (up ? x > g : x < g)) {
                    idx[kept] = j;
                    val[kept] = x;
                    buf[kept] = x;
                    kept++;
                  }
                }
                res[0] = k;
                res[1] = kept;
              };
              expect(Array.from(b.selectKept(keep, m))).toEqual(Array.from(a.select(c)));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a hand case: the top and bottom quartiles of 1..8', () => {
    // pd.qcut([1, 5, 2, 8, 3, 9, 4, 7], 4, labels=False) + 1 -> [1, 3, 1, 4, 2, 4, 2, 3]
    const x = [1, 5, 2, 8, 3, 9, 4, 7],
      all = x.map(() => 1);
    expect(Array.from(new TailBin(4, true).members(x, all))).toEqual([3, 5]);
    expect(Array.from(new TailBin(4, false).members(x, all))).toEqual([0, 2]);
    // one distinct value: no bin
    expect(Array.from(new TailBin(4, true).members([2, 2, NaN], [1, 1, 1]))).toEqual([]);
  });
});

describe('topByValue', () => {
  it('is the first n of the ranking (signal descending, ties by column), as a set', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((m) => section(m)),
        fc.integer({ min: 1, max: 45 }),
        (d, n) => {
          const ranked = rankedCandidates(d.values, d.tradable);
          const idx = Int32Array.from(ranked).sort();
          const got = topByValue(d.values, idx, idx.length, n, new Float64Array(idx.length));
          expect(got.slice().sort((a, b) => a - b)).toEqual(ranked.slice(0, n).sort((a, b) => a - b));
        },
      ),
    );
  });
  it('hand case: ties at the cut go to the lower column', () => {
    expect(topByValue([1, 3, 2, 3, 2], Int32Array.from([0, 1, 2, 3, 4]), 5, 3, new Float64Array(5)).sort()).toEqual([1, 2, 3]);
  });
});

describe('bad arguments to the public helpers: InputErrors naming them', () => {
  const refused = (f: () => unknown): string => {
    let e: unknown;
    try {
      f();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  };
  it('topByValue: n, count and scratch (a negative n was a RangeError of a typed array, a short scratch picked [0, 0] for the top 2 of [1, 3, 2])', () => {
    const idx = Int32Array.from([0, 1, 2]);
    expect(refused(() => topByValue([1, 3, 2], idx, 3, -1, new Float64Array(3)))).toBe('n must be a whole number of names >= 1, got -1');
    expect(refused(() => topByValue([1, 3, 2], idx, 3, 0, new Float64Array(3)))).toBe('n must be a whole number of names >= 1, got 0');
    expect(refused(() => topByValue([1, 3, 2], idx, 5, 2, new Float64Array(5)))).toBe(
      'count must be a whole number in 0..3 (the names of idx to rank), got 5',
    );
    expect(refused(() => topByValue([1, 3, 2], idx, 3, 2, new Float64Array(1)))).toBe(
      'scratch must be a Float64Array of at least count (3) values, got 1',
    );
    expect(topByValue([1, 3, 2], idx, 3, 2, new Float64Array(3)).sort()).toEqual([1, 2]);
  });
  it('qcutLabels: quantiles, and members that are not columns with a finite signal (2.5 quantiles labelled 1..3; a NaN member moved the edges)', () => {
    expect(refused(() => qcutLabels([1, 2, 3, 4], [0, 1, 2, 3], 2.5))).toBe('quantiles must be a whole number >= 1, got 2.5');
    expect(refused(() => qcutLabels([1, 2, 3, 4], [0, 1, 2, 3], 0))).toBe('quantiles must be a whole number >= 1, got 0');
    expect(refused(() => qcutLabels([1, NaN, 3, 4], [0, 1, 2, 3], 2))).toMatch(
      /^the signal of member idx\[1\] \(column 1\) is NaN, expected a finite number/,
    );
    expect(refused(() => qcutLabels([1, 2, 3, 4], [0, 1, 2, 9], 2))).toBe(
      'idx[3] is 9, expected a column of the signal (a whole number in 0..3)',
    );
  });
  it('candidatesBuffer: a negative or fractional size (a RangeError of a typed array)', () => {
    expect(refused(() => candidatesBuffer(-1))).toBe('m must be a whole number of assets >= 0, got -1');
    expect(refused(() => candidatesBuffer(1.5))).toBe('m must be a whole number of assets >= 0, got 1.5');
  });
});

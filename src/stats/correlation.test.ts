import { InputError } from '../core/errors.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCorrelationScratch, pearson, pearsonAt, spearman, spearmanAt } from './correlation.js';

describe('correlation', () => {
  it('matches scipy on small cases', () => {
    // scipy.stats.pearsonr / spearmanr
    expect(pearson([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 7, 5])).toBeCloseTo(0.7917946548886295, 14);
    expect(spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 7, 5])).toBeCloseTo(0.8285714285714287, 14);
    expect(pearson([1, 2, 2, 3, 10], [5, 6, 7, 7, 1])).toBeCloseTo(-0.869972302396287, 14);
    expect(spearman([1, 2, 2, 3, 10], [5, 6, 7, 7, 1])).toBeCloseTo(-0.13157894736842107, 14);
  });

  it('hand-computed: perfect (anti)monotone gives ±1; 4 assets', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 1e4])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 15);
  });

  it('pairwise deletion, n < 2 and zero variance give NaN', () => {
    // complete pairs: (1,2), (3,6), (4,8) → exactly linear
    expect(pearson([1, NaN, 3, 4, 5], [2, 3, 6, 8, NaN])).toBeCloseTo(1, 14);
    expect(pearson([1, NaN], [1, 2])).toBeNaN();
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(spearman([NaN, 1], [1, NaN])).toBeNaN();
    // ranks are taken inside the complete pairs only: drop (100, NaN) and x is 1,2,3
    expect(spearman([1, 100, 2, 3], [3, NaN, 2, 1])).toBe(-1);
    expect(() => pearson([1, 2], [1])).toThrow(InputError);
  });

  it('index-list variants equal the dense ones on the selected elements', () => {
    const scratch = createCorrelationScratch(8);
    // a 2-date x 4-asset date-major panel; the second row
    const x = [9, 9, 9, 9, 0.1, 0.4, NaN, 0.3];
    const y = [1, 2, 3, 4, 0.01, 0.03, 0.02, -0.01];
    const idx = Int32Array.from([4, 5, 6, 7]);
    expect(pearsonAt(x, y, idx, scratch)).toBeCloseTo(pearson([0.1, 0.4, 0.3], [0.01, 0.03, -0.01]), 15);
    expect(spearmanAt(x, y, idx, scratch)).toBeCloseTo(spearman([0.1, 0.4, 0.3], [0.01, 0.03, -0.01]), 15);
    expect(spearmanAt(x, y, idx, scratch, 2)).toBe(1);
  });

  const pairs = fc.integer({ min: 2, max: 40 }).chain((n) =>
    fc.tuple(
      fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.integer({ min: -3, max: 3 }), fc.constant(NaN)), {
        minLength: n,
        maxLength: n,
      }),
      fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.integer({ min: -3, max: 3 }), fc.constant(NaN)), {
        minLength: n,
        maxLength: n,
      }),
    ),
  );

  it('symmetric and within [-1, 1]', () => {
    fc.assert(
      fc.property(pairs, ([x, y]) => {
        for (const f of [pearson, spearman]) {
          const r = f(x, y);
          const r2 = f(y, x);
          if (Number.isNaN(r)) {
            expect(r2).toBeNaN();
            continue;
          }
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
          expect(r2).toBeCloseTo(r, 12);
        }
      }),
    );
  });

  // values on a 1/4 grid so the transforms stay strictly increasing in floating point
  const grid = fc.oneof(
    fc.integer({ min: -400, max: 400 }).map((v) => v / 4),
    fc.constant(NaN),
  );
  const gridPairs = fc
    .integer({ min: 2, max: 40 })
    .chain((n) => fc.tuple(fc.array(grid, { minLength: n, maxLength: n }), fc.array(grid, { minLength: n, maxLength: n })));

  it('Spearman is invariant to strictly increasing transforms', () => {
    fc.assert(
      fc.property(gridPairs, ([x, y]) => {
        const r = spearman(x, y);
        const tx = x.map((v) => Math.exp(v / 50) * 3 + 7); // strictly increasing on the reals
        const ty = y.map((v) => v * v * v + v);
        const rt = spearman(tx, ty);
        if (Number.isNaN(r)) expect(rt).toBeNaN();
        else expect(rt).toBeCloseTo(r, 12);
      }),
    );
  });
});

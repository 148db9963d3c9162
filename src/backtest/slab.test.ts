import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Float64Slab, Int32Slab } from './slab.js';

describe('slabs: small typed arrays carved from shared blocks', () => {
  it('each view has its own n zeros; writes never reach another view, across blocks and oversized requests', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const f = new Float64Slab(),
          i = new Int32Slab();
        const fs = sizes.map((n) => f.take(n)),
          is = sizes.map((n) => i.take(n));
        sizes.forEach((n, k) => {
          expect(fs[k].length).toBe(n);
          expect(is[k].length).toBe(n);
          expect(fs[k].every((x) => x === 0)).toBe(true);
          fs[k].fill(k + 1);
          is[k].fill(k + 1);
        });
        sizes.forEach((n, k) => {
          expect(fs[k].every((x) => x === k + 1)).toBe(true);
          expect(is[k].every((x) => x === k + 1)).toBe(true);
          expect(Array.from(fs[k].slice())).toEqual(Array.from(fs[k]));
        });
      }),
      { numRuns: 50 },
    );
  });
});

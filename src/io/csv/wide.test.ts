import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { sortRows } from './wide.js';

describe('sortRows', () => {
  it('property: permutes rows into date order in place, matching a reference sort', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        (ds, m) => {
          const n = ds.length;
          const values = Float64Array.from({ length: n * m }, (_, p) => ds[Math.floor(p / m)] * 10 + (p % m));
          const lines = Int32Array.from(ds, (_, i) => i + 2);
          const r = sortRows(Int32Array.from(ds), values, lines, m, 'f.csv', 'date');
          const order = ds.map((_, i) => i).sort((a, b) => ds[a] - ds[b]);
          expect(Array.from(r.days)).toEqual(order.map((i) => ds[i]));
          expect(Array.from(r.fileLine)).toEqual(order.map((i) => i + 2));
          for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) expect(r.values[t * m + j]).toBe(ds[order[t]] * 10 + j);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a date twice names both lines', () => {
    try {
      sortRows(Int32Array.from([5, 3, 5]), new Float64Array(3), Int32Array.from([2, 3, 7]), 1, 'f.csv', 'date');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toContain('duplicate date 1970-01-06 on lines 2 and 7');
      expect((e as InputError).location.line).toBe(7);
    }
  });
});

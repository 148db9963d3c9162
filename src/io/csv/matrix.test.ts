import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowMatrix } from './matrix.js';

function fillRows(mat: RowMatrix, n: number, bytes: number): void {
  for (let r = 0; r < n; r++) {
    const off = mat.next(bytes);
    for (let j = 0; j < mat.m; j++) mat.cur[off + j] = r * 1000 + j;
  }
}

describe('RowMatrix', () => {
  it('property: whatever the size hint, finish() holds rows * m cells in row order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.boolean(),
        (n, m, textBytes, shared) => {
          const mat = new RowMatrix(m, textBytes, shared);
          fillRows(mat, n, 10);
          const v = mat.finish();
          expect(v.length).toBe(n * m);
          expect(v.buffer instanceof SharedArrayBuffer).toBe(shared);
          let bad = 0;
          for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) if (v[r * m + j] !== r * 1000 + j) bad++;
          expect(bad).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a right size hint ends in one block: the result is a view, no copy', () => {
    const mat = new RowMatrix(4, 500 * 40, false);
    fillRows(mat, 500, 40);
    const v = mat.finish();
    expect(v.length).toBe(2000);
    expect(v.buffer.byteLength).toBeGreaterThan(v.byteLength); // the untouched estimate tail
  });
});

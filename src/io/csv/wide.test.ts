import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { parseCell } from './number.js';
import { parseWide, sortRows, type WideSpec } from './wide.js';

/** The text as chunks of `size` bytes, as a stream. */
async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const all = Buffer.from(text, 'latin1');
  for (let i = 0; i < all.length; i += size) yield Buffer.from(all.subarray(i, i + size));
}

/** Cell texts around the row reader's inline route: 1-22 digits, leading zeros, signs, points, exponents, spaces, text. */
const cellText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '-', '+', ' '),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '7', '9'), minLength: 0, maxLength: 12 }),
      fc.constantFrom('', '.'),
      fc.string({ unit: fc.constantFrom('0', '1', '3', '4', '8', '9'), minLength: 0, maxLength: 12 }),
      fc.constantFrom('', '', '', 'e5', 'E-3', ' ', 'x'),
    )
    .map((p) => p.join('')),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((k) => `${k}.${String(Math.abs(k) % 1000).padStart(3, '0')}`),
  fc.constantFrom('', '-0', '0', '.5', '5.', '-.5', '-', '.', '999999999999999', '9999999999999999', '0.1234567890123456', 'NaN', 'inf'),
);

describe('parseWide cells', () => {
  it('property: every cell is the double parseCell gives its text (Number(text) where a number), a cell it rejects fails the read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cellText, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 50 }),
        async (rows, size) => {
          const text = ['date,a,b,c', ...rows.map((r, t) => `2024-01-${String(1 + t).padStart(2, '0')},${r.join(',')}`)].join('\n') + '\n';
          const spec: WideSpec = {
            file: 'f.csv',
            delimiter: ',',
            columns: ['date', 'a', 'b', 'c'],
            dateCol: 'date',
            cols: ['a', 'b', 'c'],
            prices: false,
            shared: false,
            textBytes: text.length,
          };
          const want = rows.map((r) => r.map((c) => parseCell(Buffer.from(c, 'latin1'), 0, c.length)));
          const bad = want.some((r) => r.some((v) => v === undefined || v === Infinity || v === -Infinity));
          let got: Float64Array | undefined;
          try {
            got = (await parseWide(chunks(text, size), spec)).values;
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            expect(bad).toBe(true);
            return;
          }
          expect(bad).toBe(false);
          want.forEach((r, t) =>
            r.forEach((v, j) => expect(Object.is(got![t * 3 + j], v), `${rows[t][j]}: ${got![t * 3 + j]} vs ${v}`).toBe(true)),
          );
        },
      ),
      { numRuns: 600 },
    );
  });
});

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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, daysInMonth } from '../../core/dates.js';
import { DATE_INVALID, DATE_MISSING, DATE_OTHER, parseDay } from './date.js';

const day = (s: string): number => {
  const b = Buffer.from(s);
  return parseDay(b, 0, b.length);
};

describe('parseDay', () => {
  it('ISO, ISO with a time part, compact yyyymmdd, surrounding blanks', () => {
    const d = daysFromCivil(2024, 1, 2);
    for (const s of ['2024-01-02', '20240102', ' 2024-01-02 ', '2024-01-02 00:00:00', '2024-01-02T10:30', '2024-01-02 10:00:00.123'])
      expect(day(s)).toBe(d);
  });
  it('missing, invalid calendar dates and shapes only DuckDB reads', () => {
    expect(day('')).toBe(DATE_MISSING);
    expect(day('  ')).toBe(DATE_MISSING);
    for (const s of ['2024-13-45', '2024-02-30', '20240230', '2023-02-29', '2024-00-10']) expect(day(s)).toBe(DATE_INVALID);
    for (const s of [
      '2024/01/02',
      '2024-1-2',
      'yesterday',
      '02/01/2024',
      '2024-01-02Z',
      '2024-01-02 10:00+01',
      '2024-01-02T',
      '1234567',
      '2024.01.02',
    ]) {
      expect(day(s)).toBe(DATE_OTHER);
    }
  });
  it('property: every valid date in 0001..9999 in both shapes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d0) => {
        const d = Math.min(d0, daysInMonth(y, m));
        const p = (x: number, n: number): string => String(x).padStart(n, '0');
        const want = daysFromCivil(y, m, d);
        expect(day(`${p(y, 4)}-${p(m, 2)}-${p(d, 2)}`)).toBe(want);
        expect(day(`${p(y, 4)}${p(m, 2)}${p(d, 2)}`)).toBe(want);
      }),
      { numRuns: 5_000 },
    );
  });
});

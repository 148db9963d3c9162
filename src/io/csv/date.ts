/**
 * Day numbers (days since 1970-01-01) from the bytes of a date cell, for the fast CSV reader.
 *
 * Accepted exactly as the DuckDB path reads them (`dayNumberSql` in ../source.ts), after trimming
 * spaces and tabs: ISO `yyyy-mm-dd`, ISO followed by `T` or a space and a time made of digits,
 * `:` and `.` (the time is ignored), and compact `yyyymmdd`. Results:
 * - a day number for a valid calendar date;
 * - {@link DATE_MISSING} for an empty cell, {@link DATE_INVALID} for one of these shapes that is
 *   not a calendar date (`2024-13-45`, `20240230`): DuckDB gives NULL for both;
 * - {@link DATE_OTHER} for any other text: the DuckDB path accepts more (`2024/01/02`, `2024-1-2`,
 *   a UTC offset: `source.ts` TEXT_DATE, a time in UTC only at midnight), so the caller hands such a
 *   file to it, which reads it or locates the bad date.
 */
import { daysFromCivil, isValidCivil } from '../../core/dates.js';

export const DATE_MISSING = -2147483648;
export const DATE_INVALID = -2147483647;
export const DATE_OTHER = -2147483646;

function digits(b: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let i = s; i < s + n; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function civil(y: number, m: number, d: number): number {
  if (y < 0 || m < 0 || d < 0) return DATE_OTHER;
  return isValidCivil(y, m, d) ? daysFromCivil(y, m, d) : DATE_INVALID;
}

/** The day number of the date in `b[s..e)`, or one of the sentinels above. */
export function parseDay(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const n = e - s;
  if (n === 0) return DATE_MISSING;
  if (n === 8) return civil(digits(b, s, 4), digits(b, s + 4, 2), digits(b, s + 6, 2));
  if (n < 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return DATE_OTHER;
  if (n > 10) {
    const sep = b[s + 10];
    if ((sep !== 84 && sep !== 32) || n === 11) return DATE_OTHER;
    for (let i = s + 11; i < e; i++) {
      const c = b[i];
      if ((c < 48 || c > 58) && c !== 46) return DATE_OTHER;
    }
  }
  return civil(digits(b, s, 4), digits(b, s + 5, 2), digits(b, s + 8, 2));
}

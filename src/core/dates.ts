/**
 * ISO dates (`yyyy-mm-dd`) at the edges, integer day numbers inside.
 *
 * A day number is the count of days since 1970-01-01 (day 0), proleptic Gregorian, no time
 * zones. Conversion uses Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, which
 * are exact for every date in years -9999..9999 and ~20x faster than `Date`.
 */
import { describeValue } from './checks.js';
import { InputError } from './errors.js';

/** Days since 1970-01-01 of a civil date (month 1..12, day 1..31). No validation. */
export function daysFromCivil(year: number, month: number, day: number): number {
  // 2020-13-01 or 2020-02-30 rolled over into another date, NaN or 1.5 gave a NaN or fractional day:
  // a cheap test of the common case, the full one (isValidCivil) only outside it
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 28 && (year | 0) === year && (month | 0) === month && (day | 0) === day))
    if (!isValidCivil(year, month, day))
      throw new InputError(
        `daysFromCivil: year ${year}, month ${month}, day ${day} is not a date (whole numbers, month 1..12, day 1..days in the month)`,
      );
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date of a day number. */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  checkDayNumber(dayNumber);
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** A day number is a whole number (days since 1970-01-01) within the Int32 range of a calendar; NaN gave "0NaN-NaN-NaN", 1.5 "1970-01-2.5". */
function checkDayNumber(dayNumber: number): void {
  if ((dayNumber | 0) !== dayNumber)
    throw new InputError(`a day number must be a whole number of days since 1970-01-01, got ${describeValue(dayNumber)}`, {
      hint: 'parse dates with parseIsoDate or calendarFromIso',
    });
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

/** True when (year, month, day) is a real calendar date. */
export function isValidCivil(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/**
 * Day number of a date as panels accept it in text files: ISO `yyyy-mm-dd` (with an ignored time
 * part, as {@link tryParseIsoDate}), `yyyy/mm/dd` and compact `yyyymmdd`; `NaN` otherwise. For the
 * small files beside a panel (groups, membership), so they take the dates the panel took.
 */
export function tryParseDateText(text: string): number {
  const s = text.trim();
  if (s.length === 8 && /^\d{8}$/.test(s)) {
    const year = digits(s, 0, 4),
      month = digits(s, 4, 2),
      day = digits(s, 6, 2);
    return isValidCivil(year, month, day) ? daysFromCivil(year, month, day) : NaN;
  }
  return tryParseIsoDate(s.length >= 10 && s[4] === '/' && s[7] === '/' ? `${s.slice(0, 4)}-${s.slice(5, 7)}-${s.slice(8)}` : s);
}

/**
 * Day number of an ISO `yyyy-mm-dd` date, or `NaN` if the text is not a valid date.
 * A trailing time part (`T...` or ` 00:00:00`) is ignored, so DuckDB timestamps parse too.
 */
export function tryParseIsoDate(text: string): number {
  const s = text.trim();
  if (s.length < 10) return NaN;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN; // '-'
  if (s.length > 10) {
    const c = s.charCodeAt(10);
    if (c !== 84 && c !== 32) return NaN; // 'T' or ' '
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (!isValidCivil(year, month, day)) return NaN;
  return daysFromCivil(year, month, day);
}

/**
 * Day number of a compact `YYYYMMDD` date (Ken French daily files), or `NaN`.
 */
export function tryParseCompactDate(text: string): number {
  const s = text.trim();
  if (s.length !== 8) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 4, 2);
  const day = digits(s, 6, 2);
  if (!isValidCivil(year, month, day)) return NaN;
  return daysFromCivil(year, month, day);
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Day number of an ISO date; throws an `InputError` naming the text if it is not one (a string
 * that is not a date, or a value that is not a string: it was a RangeError, and a TypeError for a
 * number such as 20200101).
 */
export function parseIsoDate(text: string): number {
  if (typeof text !== 'string')
    throw new InputError(`not an ISO date (yyyy-mm-dd): ${describeValue(text)}`, { hint: "write dates as text, e.g. '2020-01-31'" });
  const d = tryParseIsoDate(text);
  if (Number.isNaN(d)) throw new InputError(`not an ISO date (yyyy-mm-dd): ${JSON.stringify(text)}`, { hint: "e.g. '2020-01-31'" });
  return d;
}

/** ISO `yyyy-mm-dd` text of a day number. */
export function formatIsoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
}

/** Day of week, 0 = Monday ... 6 = Sunday (ISO). 1970-01-01 was a Thursday. */
export function dayOfWeek(dayNumber: number): number {
  checkDayNumber(dayNumber);
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** Month index `year * 12 + (month - 1)`: equal for dates in the same calendar month. */
export function monthIndex(dayNumber: number): number {
  const { year, month } = civilFromDays(dayNumber);
  return year * 12 + month - 1;
}

/**
 * Week index: equal for dates in the same week, weeks ending on Sunday (pandas `W` / `W-SUN`).
 * It is the day number of that week's Sunday.
 */
export function weekIndex(dayNumber: number): number {
  return dayNumber + (6 - dayOfWeek(dayNumber));
}

/** Last day of the month that contains the day number. */
export function monthEnd(dayNumber: number): number {
  const { year, month } = civilFromDays(dayNumber);
  return daysFromCivil(year, month, daysInMonth(year, month));
}

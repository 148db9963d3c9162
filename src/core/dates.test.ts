import { InputError } from './errors.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  civilFromDays,
  dayOfWeek,
  daysFromCivil,
  daysInMonth,
  formatIsoDate,
  isLeapYear,
  isValidCivil,
  monthEnd,
  monthIndex,
  parseIsoDate,
  tryParseCompactDate,
  tryParseDateText,
  tryParseIsoDate,
  weekIndex,
} from './dates.js';

const DAY_MS = 86_400_000;

/** Independent route: JavaScript's own proleptic-Gregorian UTC arithmetic. */
function utcDays(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear avoids Date.UTC's 0..99 -> 1900s mapping
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime() / DAY_MS;
}

/** A random valid civil date in years 1..9999. */
const civilDate = fc
  .record({ year: fc.integer({ min: 1, max: 9999 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
  .filter(({ year, month, day }) => day <= daysInMonth(year, month));

describe('daysFromCivil / civilFromDays', () => {
  it('hand cases', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1970, 1, 2)).toBe(1);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 1, 1)).toBe(10957);
    expect(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28)).toBe(2); // 2000 is a leap year
    expect(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28)).toBe(1); // 1900 is not
    expect(daysFromCivil(2024, 3, 1) - daysFromCivil(2024, 2, 29)).toBe(1);
    expect(civilFromDays(0)).toEqual({ year: 1970, month: 1, day: 1 });
    expect(civilFromDays(-1)).toEqual({ year: 1969, month: 12, day: 31 });
    expect(civilFromDays(19782)).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it("agrees with Date.UTC for Date.UTC's own hand cases", () => {
    expect(daysFromCivil(2024, 2, 29)).toBe(Date.UTC(2024, 1, 29) / DAY_MS);
    expect(daysFromCivil(1900, 1, 1)).toBe(Date.UTC(1900, 0, 1) / DAY_MS);
    expect(daysFromCivil(1600, 2, 29)).toBe(Date.UTC(1600, 1, 29) / DAY_MS);
  });

  it('property: daysFromCivil equals Date.UTC / 86400000 for years 1..9999', () => {
    fc.assert(
      fc.property(civilDate, ({ year, month, day }) => {
        expect(daysFromCivil(year, month, day)).toBe(utcDays(year, month, day));
        if (year >= 100) expect(daysFromCivil(year, month, day)).toBe(Date.UTC(year, month - 1, day) / DAY_MS);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: civilFromDays round-trips and agrees with Date', () => {
    const lo = daysFromCivil(1, 1, 1),
      hi = daysFromCivil(9999, 12, 31);
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), (n) => {
        const c = civilFromDays(n);
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(n);
        expect(isValidCivil(c.year, c.month, c.day)).toBe(true);
        const d = new Date(n * DAY_MS);
        expect([c.year, c.month, c.day]).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: consecutive day numbers are consecutive dates', () => {
    fc.assert(
      fc.property(civilDate, ({ year, month, day }) => {
        const n = daysFromCivil(year, month, day);
        const next = civilFromDays(n + 1);
        if (day < daysInMonth(year, month)) expect(next).toEqual({ year, month, day: day + 1 });
        else if (month < 12) expect(next).toEqual({ year, month: month + 1, day: 1 });
        else expect(next).toEqual({ year: year + 1, month: 1, day: 1 });
      }),
    );
  });
});

describe('leap years and validity', () => {
  it('leap years: 1900 no, 2000 yes, 2024 yes, 2023 no, 2100 no', () => {
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2023)).toBe(false);
    expect(isLeapYear(2100)).toBe(false);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });

  it('property: isLeapYear agrees with Date (Feb 29 exists)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), (y) => {
        expect(isLeapYear(y)).toBe(new Date(Date.UTC(y, 1, 29)).getUTCMonth() === 1);
      }),
    );
  });

  it('isValidCivil rejects impossible and non-integer fields', () => {
    expect(isValidCivil(2024, 2, 29)).toBe(true);
    expect(isValidCivil(2023, 2, 29)).toBe(false);
    expect(isValidCivil(2023, 13, 1)).toBe(false);
    expect(isValidCivil(2023, 0, 1)).toBe(false);
    expect(isValidCivil(2023, 4, 31)).toBe(false);
    expect(isValidCivil(2023, 1, 0)).toBe(false);
    expect(isValidCivil(2023, 1.5, 1)).toBe(false);
    expect(isValidCivil(NaN, 1, 1)).toBe(false);
  });
});

describe('parsing', () => {
  it('valid ISO dates', () => {
    expect(tryParseIsoDate('1970-01-01')).toBe(0);
    expect(tryParseIsoDate('2024-02-29')).toBe(19782);
    expect(tryParseIsoDate('2000-02-29')).toBe(11016);
    expect(parseIsoDate('1969-12-31')).toBe(-1);
    expect(tryParseIsoDate('  2024-02-29 ')).toBe(19782); // surrounding whitespace trimmed
  });

  it('timestamps with a time part are accepted (time ignored)', () => {
    expect(tryParseIsoDate('2024-02-29T00:00:00')).toBe(19782);
    expect(tryParseIsoDate('2024-02-29T23:59:59.999Z')).toBe(19782);
    expect(tryParseIsoDate('2024-02-29 00:00:00')).toBe(19782);
    expect(tryParseIsoDate('2024-02-29X00:00')).toBeNaN();
  });

  it.each([
    '2023-02-29',
    '2023-13-01',
    '2023-00-10',
    '2023-04-31',
    '2023-1-1',
    '2023-01-1',
    '2023/01/01',
    'abc',
    '',
    '          ',
    '20230101',
    '2023-01-0a',
    '+023-01-01',
    '1900-02-29',
  ])('rejects %j', (s) => {
    expect(tryParseIsoDate(s)).toBeNaN();
    expect(() => parseIsoDate(s)).toThrow(InputError);
  });

  it('parseIsoDate names the bad text', () => {
    expect(() => parseIsoDate('2023-02-29')).toThrow('"2023-02-29"');
  });

  it('compact YYYYMMDD (Ken French daily files)', () => {
    expect(tryParseCompactDate('19700101')).toBe(0);
    expect(tryParseCompactDate('20240229')).toBe(19782);
    expect(tryParseCompactDate(' 19260701 ')).toBe(daysFromCivil(1926, 7, 1));
    for (const bad of ['20230229', '20231301', '2023011', '202301011', '2023-01-', 'abcdefgh', '', '192607']) {
      expect(tryParseCompactDate(bad)).toBeNaN();
    }
  });

  it('property: formatIsoDate and tryParseIsoDate are inverse; format agrees with Date.toISOString', () => {
    const lo = daysFromCivil(1, 1, 1),
      hi = daysFromCivil(9999, 12, 31);
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), (n) => {
        const s = formatIsoDate(n);
        expect(s).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(tryParseIsoDate(s)).toBe(n);
        expect(tryParseCompactDate(s.replace(/-/g, ''))).toBe(n);
        expect(s).toBe(new Date(n * DAY_MS).toISOString().slice(0, 10));
      }),
      { numRuns: 1000 },
    );
  });

  it('formatIsoDate pads years and months', () => {
    expect(formatIsoDate(daysFromCivil(5, 3, 7))).toBe('0005-03-07');
    expect(formatIsoDate(0)).toBe('1970-01-01');
  });
});

describe('weeks and months', () => {
  it('dayOfWeek: 0 = Monday .. 6 = Sunday; 1970-01-01 was a Thursday', () => {
    expect(dayOfWeek(0)).toBe(3);
    expect(dayOfWeek(parseIsoDate('2024-01-01'))).toBe(0); // Monday
    expect(dayOfWeek(parseIsoDate('2024-02-29'))).toBe(3); // Thursday
    expect(dayOfWeek(parseIsoDate('2024-03-03'))).toBe(6); // Sunday
    expect(dayOfWeek(parseIsoDate('1969-12-28'))).toBe(6); // Sunday, negative day number
    expect(dayOfWeek(parseIsoDate('1900-01-01'))).toBe(0); // Monday
  });

  it('property: dayOfWeek agrees with Date.getUTCDay', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 2_000_000 }), (n) => {
        expect(dayOfWeek(n)).toBe((new Date(n * DAY_MS).getUTCDay() + 6) % 7);
      }),
    );
  });

  it('weekIndex groups Monday..Sunday and is that Sunday', () => {
    const mon = parseIsoDate('2024-02-26'),
      sun = parseIsoDate('2024-03-03');
    for (let d = mon; d <= sun; d++) expect(weekIndex(d)).toBe(sun);
    expect(weekIndex(sun + 1)).toBe(sun + 7);
    expect(weekIndex(mon - 1)).toBe(mon - 1); // the previous Sunday ends its own week
    expect(weekIndex(0)).toBe(parseIsoDate('1970-01-04'));
  });

  it('property: weekIndex is a Sunday, 0..6 days ahead, and equal exactly within a Mon..Sun week', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 2_000_000 }), fc.integer({ min: -20, max: 20 }), (n, k) => {
        const w = weekIndex(n);
        expect(dayOfWeek(w)).toBe(6);
        expect(w - n).toBeGreaterThanOrEqual(0);
        expect(w - n).toBeLessThanOrEqual(6);
        const monday = n - dayOfWeek(n);
        const m = n + k;
        expect(weekIndex(m) === w).toBe(m >= monday && m <= monday + 6);
      }),
    );
  });

  it('monthIndex and monthEnd', () => {
    expect(monthIndex(0)).toBe(1970 * 12);
    expect(monthIndex(parseIsoDate('2024-02-29'))).toBe(2024 * 12 + 1);
    expect(monthIndex(parseIsoDate('2024-02-01'))).toBe(monthIndex(parseIsoDate('2024-02-29')));
    expect(monthIndex(parseIsoDate('2024-03-01'))).toBe(monthIndex(parseIsoDate('2024-02-29')) + 1);
    expect(monthIndex(parseIsoDate('2023-12-31')) + 1).toBe(monthIndex(parseIsoDate('2024-01-01')));
    expect(formatIsoDate(monthEnd(parseIsoDate('2024-02-10')))).toBe('2024-02-29');
    expect(formatIsoDate(monthEnd(parseIsoDate('2023-02-01')))).toBe('2023-02-28');
    expect(formatIsoDate(monthEnd(parseIsoDate('1900-02-15')))).toBe('1900-02-28');
    expect(formatIsoDate(monthEnd(parseIsoDate('2023-12-31')))).toBe('2023-12-31');
    expect(formatIsoDate(monthEnd(parseIsoDate('2023-04-01')))).toBe('2023-04-30');
  });

  it('property: monthEnd is the last day with the same monthIndex', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (n) => {
        const e = monthEnd(n);
        expect(e).toBeGreaterThanOrEqual(n);
        expect(monthIndex(e)).toBe(monthIndex(n));
        expect(monthIndex(e + 1)).toBe(monthIndex(n) + 1);
        const d = new Date(n * DAY_MS);
        expect(monthIndex(n)).toBe(d.getUTCFullYear() * 12 + d.getUTCMonth());
      }),
    );
  });
});

describe('tryParseDateText: the dates a panel takes, in the small files beside it', () => {
  it('ISO (with a time part), yyyy/mm/dd and yyyymmdd give the same day; anything else is NaN', () => {
    const d = tryParseIsoDate('2018-01-02');
    for (const t of ['2018-01-02', ' 2018-01-02 ', '2018-01-02T00:00:00', '2018-01-02 09:30', '2018/01/02', '20180102'])
      expect(tryParseDateText(t)).toBe(d);
    for (const t of ['', '2018-1-2', '01/02/2018', '2018.01.02', '20180230', '2018/02/30', '201801021', 'x2018-01-02'])
      expect(tryParseDateText(t)).toBeNaN();
  });
});

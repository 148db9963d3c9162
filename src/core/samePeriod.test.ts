import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso, calendarToIso, isCalendar } from './calendar.js';
import { civilFromDays, daysFromCivil, monthEnd, monthIndex } from './dates.js';
import { samePeriodDates } from './samePeriod.js';

const iso = (xs: string[]) => calendarFromIso(xs);

describe('samePeriodDates', () => {
  it('moves last-trading-day month labels onto calendar month ends (the S&P file against Ken French)', () => {
    const prices = iso(['2005-01-31', '2005-02-28', '2005-03-31', '2005-04-29', '2005-05-31', '2005-06-30', '2005-07-29']);
    const kf = iso(['2005-01-31', '2005-02-28', '2005-03-31', '2005-04-30', '2005-05-31', '2005-06-30', '2005-07-31', '2005-08-31']);
    const r = samePeriodDates(prices, kf, 'monthly');
    expect(calendarToIso(r.dates)).toEqual([
      '2005-01-31',
      '2005-02-28',
      '2005-03-31',
      '2005-04-30',
      '2005-05-31',
      '2005-06-30',
      '2005-07-31',
    ]);
    expect(r.moved).toBe(2);
    expect(calendarToIso(r.first)).toEqual(['2005-04-29', '2005-04-30']);
    expect(calendarToIso(prices)).toContain('2005-04-29'); // the input is not changed
  });

  it('moves the other way too: month-end prices onto factors labelled by the last trading day', () => {
    const prices = iso(['2019-03-31', '2019-04-30', '2019-05-31', '2019-06-30']);
    const factors = iso(['2019-03-29', '2019-04-30', '2019-05-31', '2019-06-28']);
    expect(calendarToIso(samePeriodDates(prices, factors, 'monthly').dates)).toEqual(calendarToIso(factors));
  });

  it('leaves mid-month labels alone: a return from the 15th to the 15th is not the calendar month', () => {
    const prices = iso(['2005-01-14', '2005-02-15', '2005-03-15', '2005-04-15']);
    const kf = iso(['2005-01-31', '2005-02-28', '2005-03-31', '2005-04-30']);
    const r = samePeriodDates(prices, kf, 'monthly');
    expect(r.moved).toBe(0);
    expect(r.dates).toBe(prices);
  });

  it('keeps a partial last month, and moves a last trading day a holiday week early inside the file', () => {
    // 2020-01-23: the last Shanghai session of January 2020 (Lunar New Year); 2017-11-10: the file stops mid-month
    const a = iso(['2019-12-31', '2020-01-23', '2020-02-28', '2020-03-31', '2020-04-24']);
    const f = iso(['2019-12-31', '2020-01-31', '2020-02-29', '2020-03-31', '2020-04-30']);
    const r = samePeriodDates(a, f, 'monthly');
    expect(calendarToIso(r.dates)).toEqual(['2019-12-31', '2020-01-31', '2020-02-29', '2020-03-31', '2020-04-24']);
    expect(r.moved).toBe(2);
    // the same early label at the end of the file is not moved (it may be a file that stops early)
    expect(samePeriodDates(iso(['2019-12-31', '2020-01-23']), f, 'monthly').moved).toBe(0);
    // a factor file's own ends: its last date 8 days before the month end is no month-end label
    expect(samePeriodDates(iso(['2019-12-31', '2020-01-31']), iso(['2019-12-31', '2020-01-23']), 'monthly').moved).toBe(0);
  });

  it('moves nothing when either calendar has two dates in one period', () => {
    const a = iso(['2005-01-31', '2005-02-25', '2005-02-28', '2005-03-31']);
    const f = iso(['2005-01-31', '2005-02-27', '2005-03-30']);
    expect(samePeriodDates(a, f, 'monthly').moved).toBe(0);
    expect(samePeriodDates(f, a, 'monthly').moved).toBe(0);
  });

  it('weeks end on Sunday: a Thursday before Good Friday joins its Friday; a Monday label does not', () => {
    const prices = iso(['2024-03-22', '2024-03-28', '2024-04-05']); // Fri, Thu (Good Friday 03-29), Fri
    const factors = iso(['2024-03-22', '2024-03-29', '2024-04-05']);
    const r = samePeriodDates(prices, factors, 'weekly');
    expect(calendarToIso(r.dates)).toEqual(calendarToIso(factors));
    expect(samePeriodDates(iso(['2024-03-18', '2024-03-25', '2024-04-01']), factors, 'weekly').moved).toBe(0);
  });

  it('quarters and years', () => {
    expect(
      calendarToIso(
        samePeriodDates(iso(['2019-03-29', '2019-06-28', '2019-09-30']), iso(['2019-03-31', '2019-06-30', '2019-09-30']), 'quarterly')
          .dates,
      ),
    ).toEqual(['2019-03-31', '2019-06-30', '2019-09-30']);
    // 2019-06-28 is in the second quarter; a factor dated in March of the next quarter is another period
    expect(samePeriodDates(iso(['2019-06-28']), iso(['2019-09-30']), 'quarterly').moved).toBe(0);
    expect(
      calendarToIso(
        samePeriodDates(iso(['2018-12-31', '2019-12-31', '2020-12-31']), iso(['2018-12-28', '2019-12-31', '2020-12-31']), 'annual').dates,
      ),
    ).toEqual(['2018-12-28', '2019-12-31', '2020-12-31']);
  });

  it('property: an increasing calendar, every moved date in its own month and onto a date of the other calendar', () => {
    const months = fc.uniqueArray(fc.integer({ min: 0, max: 119 }), { minLength: 1, maxLength: 40 }).map((xs) => xs.sort((a, b) => a - b));
    const label = (m: number, back: number) => {
      const end = monthEnd(daysFromCivil(2010 + Math.floor(m / 12), (m % 12) + 1, 1));
      return end - back;
    };
    fc.assert(
      fc.property(months, months, fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 40, maxLength: 40 }), (ma, mb, backs) => {
        const a = Int32Array.from(ma.map((m, i) => label(m, backs[i])));
        const b = Int32Array.from(mb.map((m, i) => label(m, backs[39 - i] % 5)));
        const r = samePeriodDates(a, b, 'monthly');
        expect(isCalendar(r.dates)).toBe(true);
        let moved = 0;
        const inB = new Set(b);
        for (let i = 0; i < a.length; i++) {
          expect(monthIndex(r.dates[i])).toBe(monthIndex(a[i]));
          if (r.dates[i] !== a[i]) {
            moved++;
            expect(inB.has(r.dates[i])).toBe(true);
            expect(civilFromDays(monthEnd(a[i])).day - civilFromDays(a[i]).day).toBeLessThanOrEqual(10);
          }
        }
        expect(moved).toBe(r.moved);
      }),
    );
  });
});

import { InputError } from './errors.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarFromIso,
  calendarToIso,
  detectFrequency,
  indexOfDay,
  intersectAll,
  intersectCalendars,
  isCalendar,
  lowerBound,
  makeCalendar,
  mapCalendar,
  unionAll,
  unionCalendars,
} from './calendar.js';
import { dayOfWeek, daysFromCivil, daysInMonth, parseIsoDate } from './dates.js';

/** Brute force: a sorted, distinct list from a Set. */
function bruteCalendar(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

const dayList = fc.array(fc.integer({ min: -50, max: 200 }), { maxLength: 60 });
const calendarArb = dayList.map((d) => makeCalendar(d));

describe('makeCalendar', () => {
  it('sorts and de-duplicates', () => {
    expect(Array.from(makeCalendar([5, 3, 3, -2, 10, 5]))).toEqual([-2, 3, 5, 10]);
    expect(makeCalendar([])).toEqual(new Int32Array(0));
    expect(makeCalendar([7]).length).toBe(1);
  });

  it('rejects non-integers and NaN', () => {
    expect(() => makeCalendar([1, 2.5])).toThrow(InputError);
    expect(() => makeCalendar([NaN])).toThrow(InputError);
    expect(() => makeCalendar([2 ** 40])).toThrow(InputError);
  });

  it('does not mutate its input', () => {
    const input = [3, 1, 2, 1];
    makeCalendar(input);
    expect(input).toEqual([3, 1, 2, 1]);
    const typed = Int32Array.from([9, 4, 4]);
    makeCalendar(typed);
    expect(Array.from(typed)).toEqual([9, 4, 4]);
  });

  it('property: equals the sorted Set', () => {
    fc.assert(
      fc.property(dayList, (d) => {
        const cal = makeCalendar(d);
        expect(Array.from(cal)).toEqual(bruteCalendar(d));
        expect(isCalendar(cal)).toBe(true);
      }),
    );
  });

  it('ISO round trip', () => {
    const cal = calendarFromIso(['2024-03-01', '2024-02-29', '2024-02-29', '2023-12-29']);
    expect(calendarToIso(cal)).toEqual(['2023-12-29', '2024-02-29', '2024-03-01']);
    expect(() => calendarFromIso(['2024-02-30'])).toThrow(InputError);
  });

  it('isCalendar', () => {
    expect(isCalendar([])).toBe(true);
    expect(isCalendar([1])).toBe(true);
    expect(isCalendar([1, 2, 5])).toBe(true);
    expect(isCalendar([1, 1])).toBe(false);
    expect(isCalendar([2, 1])).toBe(false);
    expect(isCalendar([1, NaN])).toBe(false);
  });
});

describe('intersect / union', () => {
  it('hand cases', () => {
    const a = makeCalendar([1, 3, 5, 7]),
      b = makeCalendar([2, 3, 4, 7, 9]);
    expect(Array.from(intersectCalendars(a, b))).toEqual([3, 7]);
    expect(Array.from(unionCalendars(a, b))).toEqual([1, 2, 3, 4, 5, 7, 9]);
    expect(Array.from(intersectCalendars(a, new Int32Array(0)))).toEqual([]);
    expect(Array.from(unionCalendars(new Int32Array(0), b))).toEqual([2, 3, 4, 7, 9]);
    expect(intersectAll([]).length).toBe(0);
    expect(unionAll([]).length).toBe(0);
    expect(Array.from(intersectAll([a, b, makeCalendar([7, 3, 100])]))).toEqual([3, 7]);
    expect(Array.from(unionAll([a, b, makeCalendar([0])]))).toEqual([0, 1, 2, 3, 4, 5, 7, 9]);
  });

  it('property: agree with a Set implementation', () => {
    fc.assert(
      fc.property(fc.array(calendarArb, { minLength: 1, maxLength: 4 }), (cals) => {
        const sets = cals.map((c) => new Set(c));
        const all = bruteCalendar(cals.flatMap((c) => Array.from(c)));
        const inter = all.filter((d) => sets.every((s) => s.has(d)));
        expect(Array.from(intersectAll(cals))).toEqual(inter);
        expect(Array.from(unionAll(cals))).toEqual(all);
        if (cals.length >= 2) {
          const [a, b] = cals;
          expect(Array.from(intersectCalendars(a, b))).toEqual(Array.from(intersectCalendars(b, a)));
          expect(Array.from(unionCalendars(a, b))).toEqual(Array.from(unionCalendars(b, a)));
        }
      }),
    );
  });
});

describe('lookups', () => {
  it('hand cases', () => {
    const cal = makeCalendar([10, 20, 30]);
    expect(indexOfDay(cal, 20)).toBe(1);
    expect(indexOfDay(cal, 25)).toBe(-1);
    expect(indexOfDay(cal, NaN)).toBe(-1);
    expect(indexOfDay(new Int32Array(0), 1)).toBe(-1);
    expect(lowerBound(cal, 5)).toBe(0);
    expect(lowerBound(cal, 10)).toBe(0);
    expect(lowerBound(cal, 11)).toBe(1);
    expect(lowerBound(cal, 30)).toBe(2);
    expect(lowerBound(cal, 31)).toBe(3);
    expect(Array.from(mapCalendar(makeCalendar([5, 10, 25, 30, 40]), cal))).toEqual([-1, 0, -1, 2, -1]);
  });

  it('property: indexOfDay, lowerBound and mapCalendar agree with linear search', () => {
    fc.assert(
      fc.property(calendarArb, calendarArb, fc.integer({ min: -60, max: 210 }), (cal, other, day) => {
        expect(indexOfDay(cal, day)).toBe(Array.from(cal).indexOf(day));
        const lb = Array.from(cal).findIndex((d) => d >= day);
        expect(lowerBound(cal, day)).toBe(lb < 0 ? cal.length : lb);
        expect(Array.from(mapCalendar(other, cal))).toEqual(Array.from(other, (d) => Array.from(cal).indexOf(d)));
      }),
    );
  });
});

/** Every Monday..Friday from `from` to `to` inclusive, except the holidays. */
function businessDays(from: string, to: string, holidays: readonly string[] = []): Int32Array {
  const skip = new Set(holidays.map(parseIsoDate));
  const out: number[] = [];
  for (let d = parseIsoDate(from); d <= parseIsoDate(to); d++) if (dayOfWeek(d) < 5 && !skip.has(d)) out.push(d);
  return makeCalendar(out);
}

function monthEnds(fromYear: number, nMonths: number, step = 1): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < nMonths; k += step) {
    const y = fromYear + Math.floor(k / 12),
      m = (k % 12) + 1;
    out.push(daysFromCivil(y, m, daysInMonth(y, m)));
  }
  return makeCalendar(out);
}

describe('detectFrequency', () => {
  it('daily business days with holidays', () => {
    const cal = businessDays('2023-01-02', '2023-12-29', [
      '2023-01-16',
      '2023-02-20',
      '2023-04-07',
      '2023-05-29',
      '2023-07-04',
      '2023-09-04',
      '2023-11-23',
      '2023-12-25',
    ]);
    expect(detectFrequency(cal)).toEqual({ frequency: 'daily', periodsPerYear: 252, medianGapDays: 1 });
  });

  it('a 7-day calendar (crypto) is daily with 365 periods a year; a weekday calendar with one Saturday session stays at 252', () => {
    const start = Date.UTC(2023, 0, 1) / 86400000;
    const everyDay = Int32Array.from({ length: 730 }, (_, i) => start + i);
    expect(detectFrequency(everyDay)).toEqual({ frequency: 'daily', periodsPerYear: 365, medianGapDays: 1 });
    const weekdays = Array.from(businessDays('2023-01-02', '2023-12-29', []));
    const withSaturday = makeCalendar([...weekdays, Date.UTC(2023, 5, 17) / 86400000].sort((a, b) => a - b)); // 2023-06-17, a Saturday
    expect(detectFrequency(withSaturday).periodsPerYear).toBe(252);
  });

  it('weekly Fridays, one shifted to Thursday by a holiday', () => {
    const fridays: number[] = [];
    for (let d = parseIsoDate('2023-01-06'); d <= parseIsoDate('2023-12-29'); d += 7) fridays.push(d);
    fridays[14] -= 1; // 2023-04-07 (Good Friday) -> Thursday 2023-04-06
    const info = detectFrequency(makeCalendar(fridays));
    expect(info).toEqual({ frequency: 'weekly', periodsPerYear: 52, medianGapDays: 7 });
  });

  it('month-ends, quarter-ends, year-ends', () => {
    const m = detectFrequency(monthEnds(2000, 120));
    expect(m.frequency).toBe('monthly');
    expect(m.periodsPerYear).toBe(12);
    expect(m.medianGapDays).toBeGreaterThanOrEqual(30);
    expect(m.medianGapDays).toBeLessThanOrEqual(31);
    const q = detectFrequency(monthEnds(2000, 120, 3));
    expect(q.frequency).toBe('quarterly');
    expect(q.periodsPerYear).toBe(4);
    const a = detectFrequency(monthEnds(2000, 360, 12));
    expect(a).toEqual({ frequency: 'annual', periodsPerYear: 1, medianGapDays: 365 });
  });

  it('irregular: periods per year from the median gap', () => {
    const cal = makeCalendar([0, 15, 30, 45, 60, 75]);
    expect(detectFrequency(cal)).toEqual({ frequency: 'irregular', periodsPerYear: 365.25 / 15, medianGapDays: 15 });
  });

  it('median of an even number of gaps is the mean of the two middle gaps', () => {
    // gaps 1, 1, 7, 7 -> median 4 -> daily; gaps 1, 7, 7, 30 -> 7 -> weekly
    expect(detectFrequency(makeCalendar([0, 1, 2, 9, 16])).medianGapDays).toBe(4);
    expect(detectFrequency(makeCalendar([0, 1, 8, 15, 45])).frequency).toBe('weekly');
  });

  it('a half-day median between the daily and weekly bands (4.5) is daily, not irregular', () => {
    // gaps 4, 5 -> median 4.5. The bands are "<= 4 daily, 5..10 weekly" on whole days; a median of
    // an even count of gaps can be a half day and must not fall between them.
    expect(detectFrequency(makeCalendar([0, 4, 9])).frequency).toBe('daily');
    expect(detectFrequency(makeCalendar([0, 4, 9])).periodsPerYear).toBe(252);
  });

  it('fewer than two dates', () => {
    for (const cal of [new Int32Array(0), makeCalendar([5])]) {
      const info = detectFrequency(cal);
      expect(info.frequency).toBe('irregular');
      expect(info.periodsPerYear).toBeNaN();
      expect(info.medianGapDays).toBeNaN();
    }
  });

  it('property: every positive median gap gets a frequency with a finite, positive periods-per-year', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }), (gaps) => {
        let d = 0;
        const cal = makeCalendar([0, ...gaps.map((g) => (d += g))]);
        const info = detectFrequency(cal);
        const sorted = [...gaps].sort((a, b) => a - b),
          k = sorted.length;
        const med = k % 2 ? sorted[(k - 1) / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
        expect(info.medianGapDays).toBe(med);
        expect(Number.isFinite(info.periodsPerYear) && info.periodsPerYear > 0).toBe(true);
        const span = d,
          longGap = Math.max(4 * med, 20),
          inLong = gaps.filter((g) => g > longGap).reduce((a, b) => a + b, 0);
        const regular = med < 5 || med <= 10 || (med >= 25 && med <= 35) || (med >= 85 && med <= 95) || (med >= 360 && med <= 370);
        if (regular && span >= 180 && 2 * inLong > span) {
          expect(info.frequency).toBe('irregular'); // clustered dates
          expect(info.periodsPerYear).toBe((k * 365.25) / span);
        } else if (med < 5) expect(info.frequency).toBe('daily');
        else if (med <= 10) expect(info.frequency).toBe('weekly');
      }),
    );
  });

  it('clustered dates (a fundamentals file: fiscal year ends days apart, a year between them) count the dates a year observed', () => {
    const iso: string[] = [];
    for (const y of [2013, 2014, 2015, 2016]) iso.push(`${y}-06-28`, `${y}-06-30`, `${y}-09-30`, `${y}-12-27`, `${y}-12-30`, `${y}-12-31`);
    const cal = calendarFromIso(iso);
    const info = detectFrequency(cal);
    expect(info.medianGapDays).toBeLessThan(5); // by the median alone: daily, 252 a year
    expect(info.frequency).toBe('irregular');
    expect(info.periodsPerYear).toBeCloseTo((23 * 365.25) / (cal[23] - cal[0]), 12); // ~6.2
    // a daily calendar with a month missing stays daily; so does a short one
    const daily = calendarFromIso(
      Array.from({ length: 500 }, (_, i) => i)
        .filter((i) => i % 7 < 5 && (i < 100 || i > 130))
        .map((i) => isoOf(i)),
    );
    expect(detectFrequency(daily)).toMatchObject({ frequency: 'daily', periodsPerYear: 252 });
    expect(detectFrequency(calendarFromIso(['2024-01-05', '2024-01-08']))).toMatchObject({ frequency: 'daily', periodsPerYear: 252 });
  });
});

/** The ISO date `i` days after 2024-01-01 (a Monday). */
function isoOf(i: number): string {
  return new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
}

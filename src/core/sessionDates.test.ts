import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso, calendarToIso, isCalendar } from './calendar.js';
import { sessionDates } from './sessionDates.js';

const iso = (xs: string[]) => calendarFromIso(xs);

describe('sessionDates', () => {
  it('a calendar month end on a weekend moves to the Friday before; month ends on sessions stay', () => {
    const sessions = iso(['2014-10-30', '2014-10-31', '2014-11-27', '2014-11-28', '2014-12-01', '2014-12-30', '2014-12-31']);
    const r = sessionDates(iso(['2014-10-31', '2014-11-30', '2014-12-31']), sessions);
    expect(calendarToIso(r.dates)).toEqual(['2014-10-31', '2014-11-28', '2014-12-31']);
    expect(r.moved).toBe(1);
    expect(calendarToIso(r.first)).toEqual(['2014-11-30', '2014-11-28']);
  });

  it('moves a date only onto a session with no date of its own; nothing before, after or on a session moves', () => {
    const sessions = iso(['2024-03-28', '2024-04-01', '2024-04-02']);
    // Good Friday 2024-03-29 and Sunday 2024-03-31 both follow 2024-03-28: only the first moves
    expect(calendarToIso(sessionDates(iso(['2024-03-29', '2024-03-31', '2024-04-01']), sessions).dates)).toEqual([
      '2024-03-28',
      '2024-03-31',
      '2024-04-01',
    ]);
    const same = iso(['2024-03-28', '2024-03-30']);
    expect(sessionDates(same, sessions).dates).toBe(same);
    expect(sessionDates(iso(['2024-03-27', '2024-04-05']), sessions).moved).toBe(0);
  });

  it('only on a daily calendar, and only across closed days: never back across a month of sessions or a gap in the data', () => {
    // monthly rows relabelled to month ends: holdings of the last trading day 2005-04-29 are April's, not March's
    const monthEnds = iso(['2005-01-31', '2005-02-28', '2005-03-31', '2005-04-30', '2005-05-31']);
    expect(sessionDates(iso(['2005-03-31', '2005-04-29']), monthEnds).moved).toBe(0);
    // a daily calendar missing a week of weekdays (a data gap): a date inside it stays
    const gappy = iso(['2020-03-02', '2020-03-03', '2020-03-04', '2020-03-05', '2020-03-06', '2020-03-16', '2020-03-17', '2020-03-18']);
    expect(sessionDates(iso(['2020-03-11']), gappy).moved).toBe(0);
    // a weekend, and a weekend with a Friday holiday (two weekdays closed), do move
    expect(calendarToIso(sessionDates(iso(['2020-03-08']), gappy).dates)).toEqual(['2020-03-06']);
    const easter = iso(['2024-03-26', '2024-03-27', '2024-03-28', '2024-04-02', '2024-04-03']); // Good Friday and Easter Monday closed
    expect(calendarToIso(sessionDates(iso(['2024-03-31']), easter).dates)).toEqual(['2024-03-28']);
  });

  it('property: increasing, every moved date onto the last session before it, which held no date', () => {
    const day = fc.integer({ min: 0, max: 400 });
    fc.assert(
      fc.property(fc.uniqueArray(day, { minLength: 1, maxLength: 80 }), fc.uniqueArray(day, { maxLength: 80 }), (s, d) => {
        const sessions = Int32Array.from(s.sort((a, b) => a - b));
        const dates = Int32Array.from(d.sort((a, b) => a - b));
        const r = sessionDates(dates, sessions);
        expect(isCalendar(r.dates)).toBe(true);
        let moved = 0;
        for (let i = 0; i < dates.length; i++) {
          if (r.dates[i] === dates[i]) continue;
          moved++;
          const before = sessions.filter((x) => x < dates[i]);
          expect(r.dates[i]).toBe(before[before.length - 1]);
          expect(sessions.includes(dates[i])).toBe(false);
          expect(dates[i]).toBeLessThan(sessions[sessions.length - 1]);
        }
        expect(moved).toBe(r.moved);
      }),
    );
  });
});

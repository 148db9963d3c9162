import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from './calendar.js';
import { compoundReturns } from './compound.js';
import { parseIsoDate } from './dates.js';
import { Panel } from './panel.js';

const N = NaN;

describe('compoundReturns', () => {
  // Weekdays 2024-01-29 (Mon) .. 2024-03-04 (Mon); month ends 2024-01-31 (Wed), 2024-02-29 (Thu), 2024-03-31 (Sun).
  const days: string[] = [];
  for (let d = parseIsoDate('2024-01-29'); d <= parseIsoDate('2024-03-04'); d++) {
    const iso = new Date(d * 86_400_000).toISOString().slice(0, 10);
    const wd = new Date(d * 86_400_000).getUTCDay();
    if (wd !== 0 && wd !== 6) days.push(iso);
  }
  const cal = calendarFromIso(days);

  it('matches a hand computation: February compounded, January and March incomplete', () => {
    // A earns 1% every day; B earns +10% on 2024-02-01, -10% on 2024-02-29, 0 otherwise; C misses 2024-02-15.
    const a = days.map(() => 0.01);
    const b = days.map((d) => (d === '2024-02-01' ? 0.1 : d === '2024-02-29' ? -0.1 : 0));
    const c = days.map((d) => (d === '2024-02-15' ? N : 0.02));
    const panel = Panel.fromColumns(cal, { A: a, B: b, C: c });
    const months = calendarFromIso(['2023-12-31', '2024-01-31', '2024-02-29', '2024-03-31']);
    const out = compoundReturns(panel, months);
    // 2023-12-31 has no start; 2024-01-31's period starts before the returns (Jan 1..26 weekdays missing);
    // 2024-03-31's ends after them. February: 21 weekdays (Feb 1 .. Feb 29).
    expect(out.panel.isoDates()).toEqual(['2024-02-29']);
    expect(out.incomplete).toBe(3);
    expect(out.panel.get('2024-02-29', 'A')).toBeCloseTo(1.01 ** 21 - 1, 14);
    expect(out.panel.get('2024-02-29', 'B')).toBeCloseTo(1.1 * 0.9 - 1, 14);
    expect(out.panel.get('2024-02-29', 'C')).toBeNaN();
  });

  it('a month end on a weekend is complete when the returns run to the Friday before', () => {
    const fri = calendarFromIso(['2024-03-27', '2024-03-28', '2024-03-29']);
    const panel = Panel.fromColumns(fri, { A: [0.01, 0.02, 0.03] });
    const out = compoundReturns(panel, calendarFromIso(['2024-03-26', '2024-03-31']));
    expect(out.panel.isoDates()).toEqual(['2024-03-31']);
    expect(out.panel.get('2024-03-31', 'A')).toBeCloseTo(1.01 * 1.02 * 1.03 - 1, 14);
    // ...but not when a weekday is missing at the end
    const thu = compoundReturns(panel.sliceRows(0, 2), calendarFromIso(['2024-03-26', '2024-03-31']));
    expect(thu.panel.nDates).toBe(0);
    expect(thu.incomplete).toBe(2);
  });

  it('empty inputs give an empty panel', () => {
    const empty = new Panel(new Int32Array(0), ['A']);
    expect(compoundReturns(empty, calendarFromIso(['2024-01-31', '2024-02-29'])).panel.nDates).toBe(0);
    expect(compoundReturns(Panel.fromColumns(cal, { A: days.map(() => 0) }), new Int32Array(0)).panel.nDates).toBe(0);
  });

  it('property: compounding to the fine calendar itself is the identity (after its first date)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 40 }), (xs) => {
        const c = cal.slice(0, Math.min(xs.length, cal.length));
        const p = Panel.fromColumns(c, { A: xs.slice(0, c.length) });
        const out = compoundReturns(p, c);
        expect(Array.from(out.panel.dates)).toEqual(Array.from(c.slice(1)));
        expect(Array.from(out.panel.values)).toEqual(xs.slice(1, c.length).map((x) => 1 + x - 1));
      }),
    );
  });

  it('property: compounding in two steps equals compounding once (log returns add)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { minLength: cal.length, maxLength: cal.length }), (xs) => {
        const p = Panel.fromColumns(cal, { A: xs });
        const weekly = compoundReturns(
          p,
          cal.filter((_, i) => i % 5 === 0),
        ).panel;
        const twoSteps = compoundReturns(weekly, calendarFromIso(['2024-02-05', '2024-02-26'])).panel;
        const once = compoundReturns(p, calendarFromIso(['2024-02-05', '2024-02-26'])).panel;
        expect(twoSteps.nDates).toBe(1);
        expect(twoSteps.values[0]).toBeCloseTo(once.values[0], 12);
      }),
    );
  });
});

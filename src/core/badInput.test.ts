/**
 * Bad arguments to the core constructors and helpers: an InputError naming what is wrong, never a
 * date string like "0NaN-NaN-NaN", a rolled-over date or ±Infinity returns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from './calendar.js';
import { civilFromDays, dayOfWeek, daysFromCivil, formatIsoDate, monthEnd } from './dates.js';
import { InputError } from './errors.js';
import { Frame } from './frame.js';
import { Panel } from './panel.js';
import { forwardReturns, logReturns, simpleReturns } from './returns.js';

describe('dates', () => {
  it('daysFromCivil refuses what is not a date (2020-13-01 rolled over to 2021-01-01, NaN gave NaN)', () => {
    expect(() => daysFromCivil(2020, 13, 1)).toThrow('daysFromCivil: year 2020, month 13, day 1 is not a date');
    expect(() => daysFromCivil(2021, 2, 29)).toThrow(InputError);
    expect(() => daysFromCivil(NaN, 1, 1)).toThrow(InputError);
    expect(() => daysFromCivil(2020.5, 1, 1)).toThrow(InputError);
    expect(daysFromCivil(2020, 2, 29)).toBe(18321);
  });

  it('any non-integer day number is refused by every day-number helper', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noInteger: true }), fc.constantFrom(NaN, Infinity, -Infinity)), (d) => {
        for (const f of [formatIsoDate, civilFromDays, dayOfWeek, monthEnd] as ((x: number) => unknown)[])
          expect(() => f(d)).toThrow('a day number must be a whole number of days since 1970-01-01');
      }),
    );
    expect(formatIsoDate(0)).toBe('1970-01-01');
  });
});

describe('Panel and Frame argument types', () => {
  const cal = makeCalendar([1, 2, 3]);
  it('dates must be an Int32Array calendar, values a Float64Array, names strings', () => {
    expect(() => new Panel(Float64Array.from([1.5, 2.5]) as never, ['a'], new Float64Array(2))).toThrow(
      'Panel dates must be an Int32Array of day numbers (makeCalendar or calendarFromIso makes one), got a Float64Array',
    );
    expect(() => new Panel(cal, ['a'], [1, 2, 3] as never)).toThrow(
      'Panel values must be a Float64Array (date-major, NaN for missing), got an array of 3',
    );
    expect(() => new Panel(cal, [1, 2] as never, new Float64Array(6))).toThrow('Panel asset 0 must be a string, got 1');
    expect(() => new Frame(cal, ['x'], [[1, 2, 3]] as never)).toThrow('Frame series 0 must be a Float64Array');
  });
});

describe('prices must be positive finite numbers', () => {
  const cal = makeCalendar([19000, 19001, 19002]);
  it('a zero, negative or infinite price is refused with its asset, date and value (before: ±Infinity or sign-flipped returns)', () => {
    for (const bad of [0, -5, Infinity, -Infinity]) {
      const p = new Panel(cal, ['A', 'B'], Float64Array.from([1, 2, 1.1, bad, 1.2, 2.2]));
      for (const f of [simpleReturns, logReturns, (x: Panel) => forwardReturns(x, [1])])
        expect(() => f(p)).toThrow(`asset B, date 2022-01-09: prices must be positive finite numbers (NaN for missing) (value: "${bad}")`);
    }
    const ok = new Panel(cal, ['A', 'B'], Float64Array.from([1, 2, 1.1, NaN, 1.2, 2.2]));
    expect(simpleReturns(ok).values[2]).toBeCloseTo(0.1, 12);
  });
});

describe('alignment and resampling options', () => {
  const cal = makeCalendar([19000, 19001, 19002]);
  const p = new Panel(cal, ['A'], Float64Array.from([1, NaN, 3]));
  it('fill, limit and frequency outside their values (before: read as no fill, as 2 rows, as monthly)', async () => {
    const { forwardFill, reindexPanel } = await import('./align.js');
    const { resamplePrices, excessReturns } = await import('./returns.js');
    const { periodEnds } = await import('./calendar.js');
    for (const limit of [-1, 1.5, NaN, '2'])
      expect(() => forwardFill(p, limit as number)).toThrow('limit must be a whole number of rows >= 0 (or Infinity)');
    expect(forwardFill(p, Infinity).values[1]).toBe(1);
    expect(() => reindexPanel(p, cal, { fill: 'bfill' as never })).toThrow(`fill must be one of 'none', 'ffill', got "bfill" (a string)`);
    expect(() => resamplePrices(p, 'yearly' as never)).toThrow(`frequency must be one of 'weekly', 'monthly'`);
    expect(() => periodEnds(cal, 'hourly' as never)).toThrow(`frequency must be one of 'daily', 'weekly', 'monthly'`);
    expect(() => excessReturns(p, [0, Infinity, 0])).toThrow('the risk-free rate is Infinity on 2022-01-09');
    expect(Number.isNaN(excessReturns(p, [0, NaN, 0]).values[1])).toBe(true);
  });
});

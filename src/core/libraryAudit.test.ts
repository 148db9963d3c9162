/**
 * The library audit of the core's public names (bad input from a TypeScript or JavaScript caller):
 * constructors and helpers throw an InputError naming the argument (they threw RangeErrors, a
 * TypeError, or returned a silently wrong result), and option objects refuse misspelt names and
 * unknown values (they ran with the default without a word).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignPanelFrame, alignPanels, asOfPanel, joinFrames, reindexFrame, reindexPanel } from './align.js';
import { detectFrequency, intersectCalendars, makeCalendar, mapCalendar, periodEnds, unionCalendars } from './calendar.js';
import { parseIsoDate } from './dates.js';
import { InputError } from './errors.js';
import { Frame } from './frame.js';
import { Panel } from './panel.js';
import { checkQuality } from './quality.js';
import { excessReturns, forwardReturns } from './returns.js';

const cal = makeCalendar([18262, 18263, 18264, 18267, 18268]); // 2020-01-01 ..
const panel = new Panel(cal, ['A', 'B'], Float64Array.from([10, 20, 11, 21, 12, 22, 13, 23, 14, 24]));
const frame = new Frame(cal, ['x'], [Float64Array.from([1, 2, 3, 4, 5])]);

describe('Panel and Frame constructors', () => {
  it('unsorted or repeated dates are an InputError naming the row and the dates', () => {
    expect(() => new Panel(Int32Array.from([18263, 18262]), ['A'], new Float64Array(2))).toThrow(
      'Panel dates must be strictly increasing day numbers: row 1 (2020-01-01) is not after row 0 (2020-01-02)',
    );
    expect(() => new Panel(Int32Array.from([18262, 18262]), ['A'], new Float64Array(2))).toThrow(/row 1 \(2020-01-01\) repeats row 0/);
    expect(() => new Frame(Int32Array.from([5, 3]), ['x'], [new Float64Array(2)])).toThrow(InputError);
  });

  it('a repeated asset or column, or values of the wrong length, are InputErrors', () => {
    expect(() => new Panel(cal, ['A', 'A'], new Float64Array(10))).toThrow(InputError);
    expect(() => new Panel(cal, ['A'], new Float64Array(4))).toThrow(InputError);
    expect(() =>
      Panel.fromColumns(cal, [
        ['A', new Float64Array(5)],
        ['A', new Float64Array(5)],
      ]),
    ).toThrow(InputError);
    expect(() => Panel.fromColumns(cal, { A: new Float64Array(4) })).toThrow(InputError);
    expect(() => new Frame(cal, ['x', 'x'], [new Float64Array(5), new Float64Array(5)])).toThrow(InputError);
    expect(() => new Frame(cal, ['x', 'y'], [new Float64Array(5)])).toThrow(InputError);
    expect(() => Frame.fromRecord(cal, { x: [1, 2, 3] })).toThrow(InputError);
  });
});

describe('calendars', () => {
  it('merges, searches and the frequency refuse an unsorted calendar (they returned wrong results silently)', () => {
    const unsorted = Int32Array.from([18264, 18262, 18263]);
    expect(() => intersectCalendars(unsorted, cal)).toThrow(InputError); // was [] although every date is shared
    expect(() => unionCalendars(cal, unsorted)).toThrow(InputError);
    expect(() => mapCalendar(cal, unsorted)).toThrow(InputError); // was all -1
    expect(() => detectFrequency(Int32Array.from([18268, 18266, 18264]))).toThrow(InputError); // was daily, 365 a year
    expect(() => periodEnds(unsorted, 'monthly')).toThrow(InputError);
    expect(intersectCalendars(cal, makeCalendar([18264, 18262]))).toEqual(Int32Array.from([18262, 18264]));
  });

  it('makeCalendar and parseIsoDate: an InputError for what is not a day or a date', () => {
    expect(() => makeCalendar([1, 2.5])).toThrow(/calendar day 2.5 \(at 1\) is not a whole day number/);
    expect(() => parseIsoDate('2020-02-30')).toThrow(InputError);
    expect(() => parseIsoDate(20200101 as unknown as string)).toThrow('not an ISO date (yyyy-mm-dd): 20200101'); // a TypeError before
  });

  it('property: every merge agrees with its sorted input whatever the order it was given in, or refuses it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), (days) => {
        const given = Int32Array.from(days);
        const sorted = makeCalendar(days);
        if (given.every((d, i) => i === 0 || d > given[i - 1]))
          expect(intersectCalendars(given, cal)).toEqual(intersectCalendars(sorted, cal));
        else expect(() => intersectCalendars(given, cal)).toThrow(InputError);
      }),
    );
  });
});

describe('returns', () => {
  it('forwardReturns: horizons an array of whole numbers >= 1, else an InputError naming the horizon', () => {
    expect(() => forwardReturns(panel, [0])).toThrow('horizons[0] must be a whole number of rows >= 1, got 0');
    expect(() => forwardReturns(panel, [1, '5' as unknown as number])).toThrow(
      'horizons[1] must be a whole number of rows >= 1, got "5" (a string)',
    );
    expect(() => forwardReturns(panel, 5 as unknown as number[])).toThrow('horizons must be an array of whole numbers >= 1, got 5'); // a TypeError before
  });

  it('excessReturns: a risk-free series of the wrong length or on unsorted dates is an InputError', () => {
    expect(() => excessReturns(panel, [0.1, 0.2])).toThrow(InputError);
    expect(() => excessReturns(panel, { dates: Int32Array.from([3, 1]), values: [1, 2] })).toThrow(
      /risk-free dates must be strictly increasing/,
    );
    expect(() => excessReturns(panel, { dates: cal, values: [1, 2] })).toThrow(InputError);
  });
});

describe('alignment options', () => {
  it('asOfPanel: maxAgeDays a number >= 0 (a string compared as a number), dates a calendar', () => {
    expect(() => asOfPanel(panel, cal, '5' as unknown as number)).toThrow(
      'maxAgeDays must be a number of calendar days >= 0 (or Infinity), got "5" (a string)',
    );
    expect(() => asOfPanel(panel, cal, NaN)).toThrow(InputError);
    expect(() => asOfPanel(panel, Int32Array.from([18268, 18262]))).toThrow(InputError);
    expect(asOfPanel(panel, cal, 0).values).toEqual(panel.values);
  });

  it('a misspelt option or an unknown join is an InputError (it ran the default)', () => {
    expect(() => reindexPanel(panel, cal, { method: 'ffill' } as never)).toThrow('reindexPanel options: unknown option "method"');
    expect(() => reindexFrame(frame, cal, { fil: 'ffill' } as never)).toThrow(/unknown option "fil" \(did you mean "fill"\?\)/);
    expect(() => reindexPanel(panel, Int32Array.from([18264, 18262]))).toThrow(InputError);
    expect(() => alignPanels([panel, panel], { date: 'outer' } as never)).toThrow(/unknown option "date" \(did you mean "dates"\?\)/);
    expect(() => alignPanels([panel, panel], { dates: 'innr' as never })).toThrow("dates must be one of 'inner', 'outer'");
    expect(() => alignPanelFrame(panel, frame, 'left' as never)).toThrow(InputError); // was an outer join
    expect(() => joinFrames([frame], 'left' as never)).toThrow(InputError);
  });

  it('checkQuality: a misspelt threshold is an InputError (it ran with the default)', () => {
    expect(() => checkQuality(panel, { badTickRatio: 3 } as never)).toThrow('quality options: unknown option "badTickRatio"');
    expect(checkQuality(panel, { badTickUp: 3 }).findings).toEqual([]);
  });
});

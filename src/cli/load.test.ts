import { describe, expect, it } from 'vitest';
import { calendarFromIso, calendarToIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { dropEmptyDates } from './load.js';

const N = NaN;

describe('dropEmptyDates: price rows with no value for any asset', () => {
  it('drops them, moves the later rows up in the same memory and names the dates', () => {
    const buf = new SharedArrayBuffer(5 * 2 * 8);
    const values = new Float64Array(buf);
    values.set([1, 2, N, N, 3, N, N, N, 5, 6]);
    const p = new Panel(calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']), ['A', 'B'], values);
    const d = dropEmptyDates(p);
    expect(d).toBeDefined();
    expect(calendarToIso(d!.panel.dates)).toEqual(['2024-01-01', '2024-01-03', '2024-01-05']);
    expect(Array.from(d!.panel.values)).toEqual([1, 2, 3, N, 5, 6]);
    expect(d!.panel.values.buffer).toBe(buf); // shared memory stays shared (the zoo's threads read it)
    expect(d!.dropped.length).toBe(2);
    expect(d!.note).toBe(
      'prices: 2 dates with no price for any asset dropped (2024-01-02, 2024-01-04): rows for a day the market was closed (a calendar of weekdays?); the returns run from the session before to the session after',
    );
  });

  it('leaves alone: a panel without such rows, one asset (its gap is its own), every date empty', () => {
    const cal = calendarFromIso(['2024-01-01', '2024-01-02']);
    expect(dropEmptyDates(new Panel(cal, ['A', 'B'], Float64Array.from([1, N, N, 2])))).toBeUndefined();
    expect(dropEmptyDates(new Panel(cal, ['A'], Float64Array.from([1, N])))).toBeUndefined();
    expect(dropEmptyDates(new Panel(cal, ['A', 'B'], Float64Array.from([N, N, N, N])))).toBeUndefined();
  });
});

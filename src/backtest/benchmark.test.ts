import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { parseIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { equalWeightReturns, seriesReturns } from './benchmark.js';

const cal = calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']);

describe('benchmarks', () => {
  it('equal-weighted universe: names tradable the row before and priced on the row', () => {
    const prices = Panel.fromColumns(cal, [
      ['A', [10, 11, 11, 22]],
      ['B', [10, NaN, 10, 12]],
      ['C', [10, 9, 9, 9]],
    ]);
    const u = {
      kind: 'membership' as const,
      intervals: [
        { asset: 'A', start: parseIsoDate('2024-01-01') },
        { asset: 'B', start: parseIsoDate('2024-01-01') },
        { asset: 'C', start: parseIsoDate('2024-01-03') },
      ],
    };
    const b = equalWeightReturns(prices, u, 0, 4);
    expect(b[0]).toBe(0);
    expect(b[1]).toBeCloseTo(0.1, 15); // A only (B unpriced, C not yet a member on row 0)
    expect(b[2]).toBe(0); // A 0; B had no price on row 1
    expect(b[3]).toBeCloseTo((1 + 0.2 + 0) / 3, 15);
  });
  it("a level series on the rows' dates", () => {
    const b = seriesReturns([100, 110, 99], calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-04']), cal.subarray(1));
    expect(b[0]).toBe(0);
    expect(b[1]).toBeNaN(); // 2024-01-03 missing
    expect(b[2]).toBeNaN();
    expect(
      Array.from(
        seriesReturns(
          [100, 110, 99],
          calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-04']),
          calendarFromIso(['2024-01-02', '2024-01-04']),
        ),
      ),
    ).toEqual([0, 99 / 110 - 1]);
  });
});

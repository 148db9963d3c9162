import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { parseIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { membershipMask, tradableMask, universeCounts } from './universe.js';

const iso = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
const cal = calendarFromIso(iso);
const d = parseIsoDate;

describe('point-in-time membership', () => {
  it('start <= t < end; open end; several intervals; unknown names ignored', () => {
    const mask = membershipMask({ kind: 'membership', intervals: [
      { asset: 'A', start: d('2024-01-02'), end: d('2024-01-04') },
      { asset: 'B', start: d('2023-01-01') },
      { asset: 'C', start: d('2023-01-01'), end: d('2024-01-02') },
      { asset: 'C', start: d('2024-01-04') },
      { asset: 'Z', start: d('2023-01-01') },
    ] }, cal, ['A', 'B', 'C', 'D']);
    const col = (j: number) => iso.map((_, t) => mask[t * 4 + j]);
    expect(col(0)).toEqual([0, 1, 1, 0]);
    expect(col(1)).toEqual([1, 1, 1, 1]);
    expect(col(2)).toEqual([1, 0, 0, 1]);
    expect(col(3)).toEqual([0, 0, 0, 0]);
  });
  it('tradable = member and priced; counts', () => {
    const prices = Panel.fromColumns(cal, [['A', [1, NaN, 1, 1]], ['B', [1, 1, 1, 1]]]);
    const u = { kind: 'membership' as const, intervals: [{ asset: 'A', start: d('2024-01-01') }, { asset: 'B', start: d('2024-01-03') }] };
    expect(Array.from(tradableMask(prices, u))).toEqual([1, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(tradableMask(prices, { kind: 'static' }))).toEqual([1, 1, 0, 1, 1, 1, 1, 1]);
    const c = universeCounts(prices, u);
    expect(Array.from(c.members)).toEqual([1, 1, 2, 2]);
    expect(Array.from(c.withoutPrice)).toEqual([0, 1, 0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { groupPanel, resolveGroups, staticGroups } from './groups.js';

const DATES = calendarFromIso(['2024-01-31', '2024-02-29', '2024-03-29']);

describe('resolveGroups', () => {
  it('static map (Record or Map): same code on every date, unknown assets -1, names sorted', () => {
    const g = resolveGroups({ A: 'Tech', B: 'Banks' }, DATES, ['A', 'B', 'C']);
    expect(g.names).toEqual(['Banks', 'Tech']);
    expect(Array.from(g.codes)).toEqual([1, 0, -1, 1, 0, -1, 1, 0, -1]);
    expect(resolveGroups(staticGroups(['A', 'B'], ['Tech', 'Banks']), DATES, ['A', 'B', 'C'])).toEqual(g);
  });

  it('long table: membership as of each date (latest on or before), empty label ends it', () => {
    const g = resolveGroups([
      { date: '2024-02-15', asset: 'A', group: 'Tech' },
      { date: '2024-01-01', asset: 'A', group: 'Banks' },
      { date: '2024-03-29', asset: 'B', group: 'Tech' },
      { date: '2024-03-01', asset: 'A', group: null },
    ], DATES, ['A', 'B']);
    expect(g.names).toEqual(['Banks', 'Tech']);
    // A: Banks on 01-31, Tech on 02-29, none from 03-01; B: Tech from 03-29
    expect(Array.from(g.codes)).toEqual([0, -1, 1, -1, -1, 1]);
  });

  it('panel of labels, applied as of the date', () => {
    const p = groupPanel(['2024-01-15', '2024-03-01'], ['A', 'B'], ['x', 'y', 'y', '']);
    const g = resolveGroups(p, DATES, ['B', 'A']);
    expect(g.names).toEqual(['x', 'y']);
    expect(Array.from(g.codes)).toEqual([1, 0, 1, 0, -1, 1]);
  });

  it('bad dates are input errors', () => {
    expect(() => resolveGroups([{ date: '2024/01/01', asset: 'A', group: 'x' }], DATES, ['A'])).toThrow(/yyyy-mm-dd/);
  });
});

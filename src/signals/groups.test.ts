import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { groupPanel, resolveGroups, staticGroups, type GroupRow } from './groups.js';

const DATES = calendarFromIso(['2024-01-31', '2024-02-29', '2024-03-29']);

describe('resolveGroups', () => {
  it('static map (Record or Map): same code on every date, unknown assets -1, names sorted', () => {
    const g = resolveGroups({ A: 'Tech', B: 'Banks' }, DATES, ['A', 'B', 'C']);
    expect(g.names).toEqual(['Banks', 'Tech']);
    expect(Array.from(g.codes)).toEqual([1, 0, -1, 1, 0, -1, 1, 0, -1]);
    expect(resolveGroups(staticGroups(['A', 'B'], ['Tech', 'Banks']), DATES, ['A', 'B', 'C'])).toEqual(g);
  });

  it('long table: membership as of each date (latest on or before), empty label ends it', () => {
    const g = resolveGroups(
      [
        { date: '2024-02-15', asset: 'A', group: 'Tech' },
        { date: '2024-01-01', asset: 'A', group: 'Banks' },
        { date: '2024-03-29', asset: 'B', group: 'Tech' },
        { date: '2024-03-01', asset: 'A', group: null },
      ],
      DATES,
      ['A', 'B'],
    );
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

  it('a groupPanel with labels of the wrong length is an InputError (it was taken, and lookups read the wrong cell)', () => {
    expect(() => groupPanel(['2024-01-15', '2024-03-01'], ['A', 'B'], ['x', 'y', 'y'])).toThrow(
      'group panel labels has 3 values, expected 2x2 = 4 (one per date and asset, date-major)',
    );
    expect(() => groupPanel(['2024-01-15'], ['A', 'B'], 'xy' as unknown as string[])).toThrow(InputError);
  });

  it('bad dates are input errors', () => {
    expect(() => resolveGroups([{ date: '2024/01/01', asset: 'A', group: 'x' }], DATES, ['A'])).toThrow(/yyyy-mm-dd/);
  });
});

/** Reference: for each cell, the latest entry of the asset on or before the date (later rows win ties). */
function referenceCodes(rows: readonly GroupRow[], dates: Int32Array, assets: readonly string[], names: readonly string[]): number[] {
  const out: number[] = [];
  for (let t = 0; t < dates.length; t++) {
    for (const a of assets) {
      let best: { day: number; i: number; label: string | null } | null = null;
      rows.forEach((r, i) => {
        const day = typeof r.date === 'number' ? r.date : calendarFromIso([r.date as string])[0];
        if (r.asset !== a || day > dates[t]) return;
        if (best === null || day > best.day || (day === best.day && i > best.i))
          best = { day, i, label: r.group === undefined || r.group === '' ? null : r.group };
      });
      const b = best as { label: string | null } | null;
      out.push(b === null || b.label === null ? -1 : names.indexOf(b.label));
    }
  }
  return out;
}

describe('resolveGroups against a cell-by-cell reference', () => {
  it('property: random membership histories (same-day rows, dates between, before and after the grid, empty labels)', () => {
    const grid = calendarFromIso(['2024-01-02', '2024-01-05', '2024-01-09', '2024-01-10', '2024-01-31']);
    const assets = ['A', 'B', 'C', 'D'];
    const row = fc.record({
      day: fc.integer({ min: grid[0] - 3, max: grid[grid.length - 1] + 3 }),
      asset: fc.constantFrom(...assets, 'Z'),
      group: fc.constantFrom('Tech', 'Banks', 'Energy', ''),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), (rs) => {
        const rows: GroupRow[] = rs.map((r) => ({ date: r.day, asset: r.asset, group: r.group }));
        const g = resolveGroups(rows, grid, assets);
        expect(Array.from(g.codes)).toEqual(referenceCodes(rows, grid, assets, g.names));
      }),
      { numRuns: 300 },
    );
  });
});

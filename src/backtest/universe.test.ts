import fc from 'fast-check';
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
    const mask = membershipMask(
      {
        kind: 'membership',
        intervals: [
          { asset: 'A', start: d('2024-01-02'), end: d('2024-01-04') },
          { asset: 'B', start: d('2023-01-01') },
          { asset: 'C', start: d('2023-01-01'), end: d('2024-01-02') },
          { asset: 'C', start: d('2024-01-04') },
          { asset: 'Z', start: d('2023-01-01') },
        ],
      },
      cal,
      ['A', 'B', 'C', 'D'],
    );
    const col = (j: number) => iso.map((_, t) => mask[t * 4 + j]);
    expect(col(0)).toEqual([0, 1, 1, 0]);
    expect(col(1)).toEqual([1, 1, 1, 1]);
    expect(col(2)).toEqual([1, 0, 0, 1]);
    expect(col(3)).toEqual([0, 0, 0, 0]);
  });
  it('tradable = member and priced; counts', () => {
    const prices = Panel.fromColumns(cal, [
      ['A', [1, NaN, 1, 1]],
      ['B', [1, 1, 1, 1]],
    ]);
    const u = {
      kind: 'membership' as const,
      intervals: [
        { asset: 'A', start: d('2024-01-01') },
        { asset: 'B', start: d('2024-01-03') },
      ],
    };
    expect(Array.from(tradableMask(prices, u))).toEqual([1, 0, 0, 0, 1, 1, 1, 1]);
    expect(Array.from(tradableMask(prices, { kind: 'static' }))).toEqual([1, 1, 0, 1, 1, 1, 1, 1]);
    const c = universeCounts(prices, u);
    expect(Array.from(c.members)).toEqual([1, 1, 2, 2]);
    expect(Array.from(c.withoutPrice)).toEqual([0, 1, 0, 0]);
  });
});

describe('MembershipCursor', () => {
  it('walks the same membership as membershipMask (random intervals, rejoins, overlaps)', async () => {
    const fc = (await import('fast-check')).default;
    const { MembershipCursor } = await import('./universe.js');
    const days = Array.from({ length: 12 }, (_, t) => d('2024-01-01') + 2 * t);
    const dates = Int32Array.from(days);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.integer({ min: 0, max: 3 }),
            s: fc.integer({ min: -3, max: 26 }),
            len: fc.integer({ min: 1, max: 30 }),
            open: fc.boolean(),
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 11 }),
        (ivs, from) => {
          const assets = ['A', 'B', 'C', 'D'];
          const universe = {
            kind: 'membership' as const,
            intervals: ivs.map((x) => ({ asset: assets[x.a], start: days[0] + x.s, ...(x.open ? {} : { end: days[0] + x.s + x.len }) })),
          };
          const mask = membershipMask(universe, dates, assets);
          const cur = new MembershipCursor(universe, dates, assets);
          for (let t = from; t < dates.length; t++) {
            cur.advance(t);
            expect(Array.from(cur.member)).toEqual(Array.from(mask.subarray(t * 4, t * 4 + 4)));
          }
        },
      ),
    );
  });
});

describe('universeCounts', () => {
  it('equals counting the membership mask (random intervals, rejoins, gaps)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.record({ j: fc.nat(7), s: fc.integer({ min: -5, max: 45 }), len: fc.option(fc.integer({ min: 1, max: 30 })) }), {
          maxLength: 12,
        }),
        fc.array(fc.boolean(), { minLength: 320, maxLength: 320 }),
        (n, m, ivs, gaps) => {
          const dates = Int32Array.from({ length: n }, (_, t) => 20000 + 2 * t);
          const assets = Array.from({ length: m }, (_, j) => `A${j}`);
          const values = Float64Array.from({ length: n * m }, (_, i) => (gaps[i % gaps.length] ? NaN : 1 + i));
          const prices = new Panel(dates, assets, values);
          const intervals = ivs.map(({ j, s, len }) => ({
            asset: `A${j}`,
            start: 20000 + s,
            ...(len === null ? {} : { end: 20000 + s + len }),
          }));
          const u = { kind: 'membership' as const, intervals };
          const mask = membershipMask(u, dates, assets);
          const members = new Int32Array(n),
            withoutPrice = new Int32Array(n);
          for (let i = 0; i < n * m; i++) {
            const t = Math.floor(i / m);
            members[t] += mask[i];
            if (mask[i] === 1 && Number.isNaN(values[i])) withoutPrice[t]++;
          }
          const c = universeCounts(prices, u);
          expect(Array.from(c.members)).toEqual(Array.from(members));
          expect(Array.from(c.withoutPrice)).toEqual(Array.from(withoutPrice));
        },
      ),
    );
  });
});

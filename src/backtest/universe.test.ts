import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { parseIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { InputError } from '../core/errors.js';
import {
  checkMembershipIntervals,
  MembershipCursor,
  membershipMask,
  tradableMask,
  universeCounts,
  type MembershipInterval,
  type UniverseSpec,
} from './universe.js';

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

/**
 * Membership intervals that never overlap, in a random order: each asset's spells one after the
 * other from `first`, `gap` days apart (0: touching), `len` days long, the last one open when drawn
 * so; `key` orders them.
 */
function spells(
  ivs: readonly { a: number; gap: number; len: number; open: boolean; key: number }[],
  name: (a: number) => string,
  first: number,
): MembershipInterval[] {
  const next = new Map<number, number>();
  const last = new Map<number, number>();
  ivs.forEach((x, k) => last.set(x.a, k));
  const out = ivs.map((x, k) => {
    const start = (next.get(x.a) ?? first) + x.gap;
    next.set(x.a, start + x.len);
    return {
      iv: x.open && last.get(x.a) === k ? { asset: name(x.a), start } : { asset: name(x.a), start, end: start + x.len },
      key: x.key,
    };
  });
  return out.sort((p, q) => p.key - q.key).map((x) => x.iv);
}

describe('overlapping membership intervals are refused (the union was taken in silence)', () => {
  const dates = calendarFromIso(['2020-01-02', '2020-03-02', '2020-06-01', '2020-09-01', '2021-01-04', '2021-06-01']);
  const assets = ['A', 'B'];
  const refused = (intervals: MembershipInterval[], message: string): void => {
    const u: UniverseSpec = { kind: 'membership', intervals };
    for (const f of [
      () => membershipMask(u, dates, assets),
      () => new MembershipCursor(u, dates, assets),
      () => universeCounts(new Panel(dates, assets, new Float64Array(dates.length * 2).fill(1)), u),
      () => tradableMask(new Panel(dates, assets, new Float64Array(dates.length * 2).fill(1)), u),
    ]) {
      expect(f).toThrow(InputError);
      expect(f).toThrow(message);
    }
  };

  it('two spells of an asset that share a day, in either order, naming both', () => {
    refused(
      [
        { asset: 'A', start: d('2020-01-01'), end: d('2020-12-31') },
        { asset: 'B', start: d('2020-01-01') },
        { asset: 'A', start: d('2020-06-01'), end: d('2021-06-01') },
      ],
      'asset A: overlapping membership intervals: intervals[0] (2020-01-01 .. 2020-12-31) and intervals[2] (2020-06-01 .. 2021-06-01)',
    );
    // an open spell overlaps every later one; a spell inside another
    refused(
      [
        { asset: 'A', start: d('2021-01-01'), end: d('2021-02-01') },
        { asset: 'A', start: d('2020-01-01') },
      ],
      'asset A: overlapping membership intervals: intervals[0] (2021-01-01 .. 2021-02-01) and intervals[1] (2020-01-01 .. (no end))',
    );
    refused(
      [
        { asset: 'B', start: d('2010-01-01'), end: d('2020-01-01') },
        { asset: 'B', start: d('2021-01-01') },
        { asset: 'B', start: d('2012-01-01'), end: d('2013-01-01') },
      ],
      'asset B: overlapping membership intervals: intervals[0] (2010-01-01 .. 2020-01-01) and intervals[2]',
    );
    // one shared day is an overlap (the first spell's last day is the second's first)
    refused(
      [
        { asset: 'A', start: d('2020-01-01'), end: d('2020-06-02') },
        { asset: 'A', start: d('2020-06-01'), end: d('2021-01-01') },
      ],
      'asset A: overlapping membership intervals: intervals[0] (2020-01-01 .. 2020-06-02) and intervals[1]',
    );
  });

  it('a repeated interval, naming both', () => {
    refused(
      [
        { asset: 'A', start: d('2020-01-01') },
        { asset: 'B', start: d('2020-01-01') },
        { asset: 'A', start: d('2020-01-01') },
      ],
      'asset A: the same membership interval (2020-01-01 .. (no end)) at intervals[0] and intervals[2]',
    );
  });

  it('an interval that is not one: a start or end that is not a whole day number, an end not after the start', () => {
    refused([{ asset: 'A', start: NaN }], 'asset A: membership intervals[0]: the start must be a day number (a whole number), got NaN');
    refused(
      [
        { asset: 'B', start: d('2020-01-01') },
        { asset: 'A', start: d('2020-01-01'), end: d('2020-06-01') + 0.5 },
      ],
      'asset A: membership intervals[1]: the end must be a day number',
    );
    refused(
      [{ asset: 'A', start: d('2020-06-01'), end: d('2020-06-01') }],
      'asset A: membership intervals[0]: the end date 2020-06-01 is not after the start date 2020-06-01',
    );
    refused(
      [{ asset: 3, start: 0 } as unknown as MembershipInterval],
      'membership intervals[0]: the asset must be a name (a string), got 3',
    );
    expect(() => membershipMask({ kind: 'membership' } as unknown as UniverseSpec, dates, assets)).toThrow(
      /universe\.intervals must be an array/,
    );
  });

  it('spells that touch (one ends the day the next starts) or leave a gap are read as they are', () => {
    // A: member 2020-01-02 .. 2020-06-01 (exclusive) and again from 2020-06-01: every row;
    // B: left 2020-03-02, re-joined 2021-01-04
    const u: UniverseSpec = {
      kind: 'membership',
      intervals: [
        { asset: 'A', start: d('2020-06-01') },
        { asset: 'B', start: d('2021-01-04') },
        { asset: 'A', start: d('2020-01-01'), end: d('2020-06-01') },
        { asset: 'B', start: d('2020-01-01'), end: d('2020-03-02') },
      ],
    };
    const mask = membershipMask(u, dates, assets);
    expect(Array.from(mask)).toEqual([1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1]);
    const cur = new MembershipCursor(u, dates, assets);
    for (let t = 0; t < dates.length; t++) {
      cur.advance(t);
      expect(Array.from(cur.member)).toEqual(Array.from(mask.subarray(2 * t, 2 * t + 2)));
    }
  });

  it('refused exactly when two intervals of an asset share a day (random intervals against every pair)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.nat(2), s: fc.integer({ min: 0, max: 30 }), len: fc.option(fc.integer({ min: 1, max: 12 })) }), {
          maxLength: 7,
        }),
        (ivs) => {
          const intervals = ivs.map(({ a, s, len }) => ({ asset: `A${a}`, start: s, ...(len === null ? {} : { end: s + len }) }));
          let shared = false;
          for (let i = 0; i < intervals.length; i++)
            for (let k = i + 1; k < intervals.length; k++) {
              const x = intervals[i],
                y = intervals[k];
              // a day t with both starts <= t < both ends (days are whole numbers)
              if (x.asset === y.asset && Math.max(x.start, y.start) < Math.min(x.end ?? Infinity, y.end ?? Infinity)) shared = true;
            }
          let refusedHere = false;
          try {
            checkMembershipIntervals(intervals);
          } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            refusedHere = true;
          }
          expect(refusedHere).toBe(shared);
        },
      ),
    );
  });
});

describe('MembershipCursor', () => {
  it('walks the same membership as membershipMask (random intervals, rejoins, touching spells, any order)', () => {
    const days = Array.from({ length: 12 }, (_, t) => d('2024-01-01') + 2 * t);
    const dates = Int32Array.from(days);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.integer({ min: 0, max: 3 }),
            gap: fc.integer({ min: 0, max: 6 }),
            len: fc.integer({ min: 1, max: 30 }),
            open: fc.boolean(),
            key: fc.nat(),
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: -3, max: 20 }),
        fc.integer({ min: 0, max: 11 }),
        (ivs, s0, from) => {
          const assets = ['A', 'B', 'C', 'D'];
          const universe = { kind: 'membership' as const, intervals: spells(ivs, (a) => assets[a], days[0] + s0) };
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
        fc.array(
          fc.record({
            a: fc.nat(7),
            gap: fc.integer({ min: 0, max: 10 }),
            len: fc.integer({ min: 1, max: 30 }),
            open: fc.boolean(),
            key: fc.nat(),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: -5, max: 45 }),
        fc.array(fc.boolean(), { minLength: 320, maxLength: 320 }),
        (n, m, ivs, s0, gaps) => {
          const dates = Int32Array.from({ length: n }, (_, t) => 20000 + 2 * t);
          const assets = Array.from({ length: m }, (_, j) => `A${j}`);
          const values = Float64Array.from({ length: n * m }, (_, i) => (gaps[i % gaps.length] ? NaN : 1 + i));
          const prices = new Panel(dates, assets, values);
          const intervals = spells(ivs, (a) => `A${a}`, 20000 + s0);
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

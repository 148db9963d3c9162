import { InputError } from './errors.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso, makeCalendar } from './calendar.js';
import { formatIsoDate, monthIndex, parseIsoDate, weekIndex } from './dates.js';
import { Panel } from './panel.js';
import {
  excessReturns,
  forwardReturn,
  forwardReturns,
  logReturns,
  resamplePrices,
  simpleReturns,
  simpleReturnsInPlace,
} from './returns.js';

/** Element-wise equality where NaN equals NaN and finite numbers agree to ~1e-12 relative. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (Number.isNaN(expected[i])) expect(actual[i], `index ${i}`).toBeNaN();
    else expect(actual[i], `index ${i}`).toBeCloseTo(expected[i], 12);
  }
}

const D5 = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']);
/** A: 100, 110, NaN, 121, 108.9; B: 50, 50, 40, 50, NaN. */
function prices(): Panel {
  return Panel.fromColumns(D5, { A: [100, 110, NaN, 121, 108.9], B: [50, 50, 40, 50, NaN] });
}

/** Random price panel: positive prices with some gaps. */
const pricePanel = fc
  .record({ n: fc.integer({ min: 0, max: 60 }), m: fc.integer({ min: 0, max: 5 }), seed: fc.integer({ min: 0, max: 10_000 }) })
  .map(({ n, m, seed }) => {
    const v = Float64Array.from({ length: n * m }, (_, i) => ((i * 13 + seed) % 7 === 0 ? NaN : 50 + 40 * Math.sin(i * 0.7 + seed)));
    return new Panel(
      makeCalendar(Array.from({ length: n }, (_, t) => 3 * t + (t % 2))),
      Array.from({ length: m }, (_, j) => `x${j}`),
      v,
    );
  });

describe('simpleReturns / logReturns', () => {
  it('hand case: row 0 NaN, a gap in prices is a gap in returns (no fill)', () => {
    const r = simpleReturns(prices());
    expect(r.assets).toEqual(['A', 'B']);
    expect(Array.from(r.dates)).toEqual(Array.from(D5));
    expectClose(r.column('A'), [NaN, 0.1, NaN, NaN, -0.1]);
    expectClose(r.column('B'), [NaN, 0, -0.2, 0.25, NaN]);
    const l = logReturns(prices());
    expectClose(l.column('A'), [NaN, Math.log(1.1), NaN, NaN, Math.log(0.9)]);
    expectClose(l.column('B'), [NaN, 0, Math.log(0.8), Math.log(1.25), NaN]);
  });

  it('property: brute force, log = ln(1 + simple), input untouched', () => {
    fc.assert(
      fc.property(pricePanel, (p) => {
        const before = p.values.slice();
        const r = simpleReturns(p),
          l = logReturns(p);
        for (let j = 0; j < p.nAssets; j++) {
          const c = p.column(j);
          const expected = Array.from(c, (v, t) => (t === 0 ? NaN : v / c[t - 1] - 1));
          expectClose(r.column(j), expected);
          expectClose(
            l.column(j),
            expected.map((x) => Math.log1p(x)),
          );
        }
        expect(p.values).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });
});

describe('forwardReturns', () => {
  it('forwardReturn: exit / entry − 1, NaN when either price is missing', () => {
    expect(forwardReturn(10, 11)).toBe(11 / 10 - 1);
    expect(forwardReturn(8, 6)).toBe(-0.25);
    expect(forwardReturn(NaN, 6)).toBeNaN();
    expect(forwardReturn(8, NaN)).toBeNaN();
  });

  it('hand case h = 1 and 2; last h rows NaN', () => {
    const f = forwardReturns(prices(), [1, 2]);
    expect([...f.keys()]).toEqual([1, 2]);
    expectClose(f.get(1)!.column('A'), [0.1, NaN, NaN, -0.1, NaN]);
    expectClose(f.get(1)!.column('B'), [0, -0.2, 0.25, NaN, NaN]);
    expectClose(f.get(2)!.column('A'), [NaN, 0.1, NaN, NaN, NaN]);
    expectClose(f.get(2)!.column('B'), [-0.2, 0, NaN, NaN, NaN]);
    expect(Array.from(f.get(2)!.dates)).toEqual(Array.from(D5));
  });

  it('forward return at t equals the simple return at t + 1 (h = 1)', () => {
    const p = prices();
    const f = forwardReturns(p, [1]).get(1)!,
      r = simpleReturns(p);
    expectClose(f.values.subarray(0, 8), r.values.subarray(2, 10));
  });

  it('property: horizons 1, 5, 21 against a brute-force loop', () => {
    fc.assert(
      fc.property(pricePanel, (p) => {
        const f = forwardReturns(p, [1, 5, 21]);
        for (const h of [1, 5, 21]) {
          const fh = f.get(h)!;
          for (let j = 0; j < p.nAssets; j++) {
            const c = p.column(j);
            expectClose(
              fh.column(j),
              Array.from(c, (v, t) => (t + h < c.length ? c[t + h] / v - 1 : NaN)),
            );
          }
          for (let t = Math.max(0, p.nDates - h); t < p.nDates; t++) expect(Array.from(fh.row(t)).every(Number.isNaN)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('invalid horizons throw', () => {
    for (const h of [0, -1, 1.5, NaN]) expect(() => forwardReturns(prices(), [h])).toThrow(InputError);
  });

  it('a horizon longer than the data is all NaN', () => {
    expect(Array.from(forwardReturns(prices(), [5]).get(5)!.values).every(Number.isNaN)).toBe(true);
  });
});

describe('excessReturns', () => {
  const r = Panel.fromColumns(makeCalendar([10, 11, 12]), { A: [0.01, NaN, 0.03], B: [0.02, 0.04, -0.01] });

  it('with an aligned array', () => {
    const e = excessReturns(r, [0.001, 0.002, NaN]);
    expectClose(e.column('A'), [0.009, NaN, NaN]);
    expectClose(e.column('B'), [0.019, 0.038, NaN]);
    expect(() => excessReturns(r, [0.001, 0.002])).toThrow('the risk-free series has 2 values, the returns have 3 dates');
  });

  it('with a dated series on a different calendar: a missing rf date gives NaN (no fill)', () => {
    const e = excessReturns(r, { dates: makeCalendar([9, 10, 12, 13]), values: [0.5, 0.001, 0.003, 0.5] });
    expectClose(e.column('A'), [0.009, NaN, 0.027]);
    expectClose(e.column('B'), [0.019, NaN, -0.013]);
  });

  it('a dated series whose values do not match its dates throws', () => {
    expect(() => excessReturns(r, { dates: makeCalendar([10, 11, 12]), values: [0.1, 0.2] })).toThrow(InputError);
    expect(() => excessReturns(r, { dates: Int32Array.from([12, 10, 11]), values: [0.1, 0.2, 0.3] })).toThrow(InputError);
  });

  it('property: dated rf equals the aligned-array route after matching by date; input untouched', () => {
    fc.assert(
      fc.property(pricePanel, fc.array(fc.integer({ min: -5, max: 130 }), { maxLength: 70 }), (p, rfDays) => {
        const rets = simpleReturns(p);
        const rfDates = makeCalendar(rfDays);
        const rfValues = Array.from(rfDates, (d) => d / 1000);
        const before = rets.values.slice();
        const e = excessReturns(rets, { dates: rfDates, values: rfValues });
        const aligned = Array.from(rets.dates, (d) => (rfDates.includes(d) ? d / 1000 : NaN));
        expectClose(e.values, excessReturns(rets, aligned).values);
        expect(rets.values).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });
});

describe('resamplePrices', () => {
  // Thu 2024-02-01 .. Tue 2024-03-05 with gaps; weeks end Sunday.
  const days = calendarFromIso([
    '2024-02-01',
    '2024-02-02', // week ending Sun 02-04 (partial first week)
    '2024-02-05',
    '2024-02-06',
    '2024-02-09', // week ending 02-11
    '2024-02-12', // week ending 02-18: only Monday
    '2024-02-26',
    '2024-02-27',
    '2024-02-29', // week ending 03-03 (02-19..02-25 absent)
    '2024-03-01',
    '2024-03-04',
    '2024-03-05', // 03-01 same week; 03-04, 03-05 partial last week
  ]);
  const A = [1, 2, 3, 4, NaN, 6, 7, 8, 9, NaN, 11, NaN];
  const B = [NaN, NaN, 30, NaN, NaN, NaN, 70, NaN, NaN, 100, NaN, NaN];
  const p = Panel.fromColumns(days, { A, B });

  it('weekly (pandas W, weeks end Sunday): last non-missing price, labelled by the last date present', () => {
    const w = resamplePrices(p, 'weekly');
    // Unlike pandas, a week with no date in the panel (02-19..02-25) has no row: its label would be a
    // date the panel does not have.
    expect(w.isoDates()).toEqual(['2024-02-02', '2024-02-09', '2024-02-12', '2024-03-01', '2024-03-05']);
    expectClose(w.column('A'), [2, 4, 6, 9, 11]);
    expectClose(w.column('B'), [NaN, 30, NaN, 100, NaN]);
  });

  it('monthly: last non-missing price per asset, labelled by the last date present in the month', () => {
    const mo = resamplePrices(p, 'monthly');
    expect(mo.isoDates()).toEqual(['2024-02-29', '2024-03-05']);
    expectClose(mo.column('A'), [9, 11]);
    expectClose(mo.column('B'), [70, 100]);
  });

  it('empty and single-date panels', () => {
    expect(resamplePrices(new Panel(new Int32Array(0), ['A']), 'monthly').nDates).toBe(0);
    const one = resamplePrices(Panel.fromColumns(makeCalendar([100]), { A: [5] }), 'weekly');
    expect(Array.from(one.dates)).toEqual([100]);
    expect(Array.from(one.values)).toEqual([5]);
  });

  it('property: agrees with a group-by brute force', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 19_000, max: 19_400 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom<'weekly' | 'monthly'>('weekly', 'monthly'),
        (rawDays, m, seed, freq) => {
          const cal = makeCalendar(rawDays);
          const vals = Float64Array.from({ length: cal.length * m }, (_, i) => ((i * 7 + seed) % 3 === 0 ? NaN : i + 1));
          const panel = new Panel(
            cal,
            Array.from({ length: m }, (_, j) => `a${j}`),
            vals,
          );
          const before = vals.slice();
          const out = resamplePrices(panel, freq);
          const key = freq === 'weekly' ? weekIndex : monthIndex;
          const groups = new Map<number, number[]>();
          cal.forEach((d, t) => groups.set(key(d), [...(groups.get(key(d)) ?? []), t]));
          const keys = [...groups.keys()];
          expect(out.isoDates()).toEqual(keys.map((k) => formatIsoDate(cal[groups.get(k)!.at(-1)!])));
          keys.forEach((k, g) => {
            for (let j = 0; j < m; j++) {
              const present = groups
                .get(k)!
                .map((t) => panel.at(t, j))
                .filter((v) => !Number.isNaN(v));
              const expected = present.length ? present[present.length - 1] : NaN;
              expect(Object.is(out.at(g, j), expected)).toBe(true);
            }
          });
          expect(panel.values).toEqual(before);
        },
      ),
    );
  });

  it('weekly: a Sunday date closes its own week (W-SUN is right-closed)', () => {
    const cal = calendarFromIso(['2024-03-02', '2024-03-03', '2024-03-04']); // Sat, Sun, Mon
    const w = resamplePrices(Panel.fromColumns(cal, { A: [1, 2, 3] }), 'weekly');
    expect(w.isoDates()).toEqual(['2024-03-03', '2024-03-04']);
    expect(Array.from(w.values)).toEqual([2, 3]);
    expect(parseIsoDate('2024-03-03')).toBe(weekIndex(parseIsoDate('2024-03-02')));
  });
});

describe('simpleReturnsInPlace', () => {
  it("property: the same bits as simpleReturns, on the prices' own buffer", () => {
    const cell = fc.oneof(fc.double({ min: 0.01, max: 1e4, noNaN: true }), fc.constant(NaN));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(cell, { minLength: 24, maxLength: 24 }),
        (n, m, cells) => {
          const dates = calendarFromIso(Array.from({ length: n }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}`));
          const assets = Array.from({ length: m }, (_, j) => `A${j}`);
          const prices = new Panel(dates, assets, Float64Array.from(cells.slice(0, n * m)));
          const want = simpleReturns(prices).values;
          const buffer = prices.values;
          const got = simpleReturnsInPlace(prices);
          expect(got.values).toBe(buffer);
          expect(Array.from(got.values).map((x) => (Object.is(x, NaN) ? 'NaN' : x))).toEqual(
            Array.from(want).map((x) => (Object.is(x, NaN) ? 'NaN' : x)),
          );
        },
      ),
    );
  });
});

import { InputError } from './errors.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignPanelFrame, alignPanels, asOfPanel, forwardFill, joinFrames, reindexAssets, reindexFrame, reindexPanel } from './align.js';
import { type Calendar, calendarFromIso, calendarToIso, makeCalendar, periodEnds } from './calendar.js';
import { Frame } from './frame.js';
import { Panel } from './panel.js';

const iso = (c: Calendar) => Array.from(c, (d) => d);

/** Prices on Mon, Tue, Thu of one week; asset B missing Tuesday. */
function src(): Panel {
  return new Panel(calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-04']), ['A', 'B'], Float64Array.from([1, 10, 2, NaN, 4, 40]));
}
const WEEK = calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);

/**
 * Brute-force oracle of reindexing: exact date match, or with ffill the latest non-missing source
 * value dated on or before the target date, carried at most `limit` target rows (rows of the
 * target calendar strictly after the source date, up to and including the target date).
 */
function bruteReindex(dates: Calendar, values: (t: number) => number, to: Calendar, fill: 'none' | 'ffill', limit = Infinity): number[] {
  return Array.from(to, (d) => {
    if (fill === 'none') {
      const s = Array.from(dates).indexOf(d);
      return s < 0 ? NaN : values(s);
    }
    let best = -1;
    for (let s = 0; s < dates.length; s++) if (dates[s] <= d && !Number.isNaN(values(s))) best = s;
    if (best < 0) return NaN;
    const age = Array.from(to).filter((x) => x > dates[best] && x <= d).length;
    return age <= limit ? values(best) : NaN;
  });
}

const calArb = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 25 }).map((d) => makeCalendar(d));
const panelArb = fc
  .record({ dates: calArb, m: fc.integer({ min: 0, max: 4 }), seed: fc.integer({ min: 0, max: 1000 }) })
  .map(({ dates, m, seed }) => {
    const values = Float64Array.from({ length: dates.length * m }, (_, i) =>
      (i * 31 + seed) % 5 === 0 ? NaN : ((i * 17 + seed) % 23) - 11,
    );
    return new Panel(
      dates,
      Array.from({ length: m }, (_, j) => `s${(j + seed) % 7}_${j}`),
      values,
    );
  });

describe('reindexPanel', () => {
  it('dates the source lacks become NaN; no fill by default', () => {
    const r = reindexPanel(src(), WEEK);
    expect(iso(r.dates)).toEqual(iso(WEEK));
    expect(Array.from(r.values)).toEqual([1, 10, 2, NaN, NaN, NaN, 4, 40, NaN, NaN]);
    expect(Array.from(reindexPanel(src(), WEEK, { fill: 'none' }).values)).toEqual(Array.from(r.values));
  });

  it('ffill carries the last observed value, including over missing source values', () => {
    const r = reindexPanel(src(), WEEK, { fill: 'ffill' });
    expect(Array.from(r.values)).toEqual([1, 10, 2, 10, 2, 10, 4, 40, 4, 40]);
  });

  it('ffill with a limit', () => {
    const r = reindexPanel(src(), WEEK, { fill: 'ffill', limit: 1 });
    // B: 10 on Mon, carried to Tue (1 row), not to Wed (2 rows)
    expect(Array.from(r.values)).toEqual([1, 10, 2, 10, 2, NaN, 4, 40, 4, 40]);
    expect(Array.from(reindexPanel(src(), WEEK, { fill: 'ffill', limit: 0 }).values)).toEqual([1, 10, 2, NaN, NaN, NaN, 4, 40, NaN, NaN]);
  });

  it('leading missing values stay missing under ffill', () => {
    const cal = calendarFromIso(['2023-12-29', '2024-01-01', '2024-01-02']);
    const r = reindexPanel(src(), cal, { fill: 'ffill' });
    expect(Array.from(r.values)).toEqual([NaN, NaN, 1, 10, 2, 10]);
  });

  it('ffill carries values dated on days the target calendar lacks (pandas reindex(method="ffill"))', () => {
    // Monthly values stamped at calendar month ends (Sat 2023-09-30, Tue 2023-10-31) onto trading days.
    const monthly = new Panel(calendarFromIso(['2023-08-31', '2023-09-30', '2023-10-31']), ['rf'], Float64Array.from([0.1, 0.2, 0.3]));
    const days = calendarFromIso(['2023-09-29', '2023-10-02', '2023-10-03', '2023-10-31', '2023-11-01']);
    expect(Array.from(reindexPanel(monthly, days).values)).toEqual([NaN, NaN, NaN, 0.3, NaN]);
    expect(Array.from(reindexPanel(monthly, days, { fill: 'ffill' }).values)).toEqual([0.1, 0.2, 0.2, 0.3, 0.3]);
    // the limit counts target rows after the source date: 2023-10-02 is 1 row after 2023-09-30
    expect(Array.from(reindexPanel(monthly, days, { fill: 'ffill', limit: 1 }).values)).toEqual([0.1, 0.2, NaN, 0.3, 0.3]);
  });

  it('property: agrees with the brute-force oracle and never mutates its input', () => {
    fc.assert(
      fc.property(
        panelArb,
        calArb,
        fc.constantFrom<'none' | 'ffill'>('none', 'ffill'),
        fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        (p, to, fill, limit) => {
          const before = { dates: p.dates.slice(), values: p.values.slice(), assets: p.assets.slice() };
          const r = reindexPanel(p, to, { fill, limit });
          expect(r.assets).toEqual(p.assets);
          for (let j = 0; j < p.nAssets; j++) {
            expect(Array.from(r.column(j))).toEqual(bruteReindex(p.dates, (s) => p.at(s, j), to, fill, limit));
          }
          expect(p.dates).toEqual(before.dates);
          expect(p.values).toEqual(before.values);
          expect(p.assets).toEqual(before.assets);
        },
      ),
    );
  });
});

describe('forwardFill', () => {
  it('hand case with limit; leading NaN stays', () => {
    const p = new Panel(makeCalendar([1, 2, 3, 4, 5]), ['A', 'B'], Float64Array.from([NaN, 1, 5, NaN, NaN, NaN, NaN, 2, 6, NaN]));
    expect(Array.from(forwardFill(p).values)).toEqual([NaN, 1, 5, 1, 5, 1, 5, 2, 6, 2]);
    expect(Array.from(forwardFill(p, 1).values)).toEqual([NaN, 1, 5, 1, 5, NaN, NaN, 2, 6, 2]);
    expect(Array.from(p.values.subarray(0, 4))).toEqual([NaN, 1, 5, NaN]); // input untouched
  });

  it('property: equals reindexing onto its own calendar with ffill', () => {
    fc.assert(
      fc.property(panelArb, fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), (p, limit) => {
        const f = forwardFill(p, limit);
        for (let j = 0; j < p.nAssets; j++) {
          expect(Array.from(f.column(j))).toEqual(bruteReindex(p.dates, (s) => p.at(s, j), p.dates, 'ffill', limit));
        }
      }),
    );
  });
});

describe('reindexFrame', () => {
  const f = Frame.fromRecord(calendarFromIso(['2024-01-01', '2024-01-03']), { x: [1, NaN], y: [2, 3] });
  it('NaN for missing dates; ffill with and without limit', () => {
    const cal = calendarFromIso(['2023-12-31', '2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    expect(reindexFrame(f, cal).toJSON().columns).toEqual({ x: [null, 1, null, null, null, null], y: [null, 2, null, 3, null, null] });
    expect(reindexFrame(f, cal, { fill: 'ffill' }).toJSON().columns).toEqual({ x: [null, 1, 1, 1, 1, 1], y: [null, 2, 2, 3, 3, 3] });
    expect(reindexFrame(f, cal, { fill: 'ffill', limit: 2 }).toJSON().columns).toEqual({
      x: [null, 1, 1, 1, null, null],
      y: [null, 2, 2, 3, 3, 3],
    });
  });

  it('property: agrees with the oracle and with reindexPanel', () => {
    fc.assert(
      fc.property(
        panelArb,
        calArb,
        fc.constantFrom<'none' | 'ffill'>('none', 'ffill'),
        fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        (p, to, fill, limit) => {
          const frame = new Frame(
            p.dates,
            p.assets,
            p.assets.map((_, j) => p.column(j)),
          );
          const before = frame.series.map((s) => s.slice());
          const r = reindexFrame(frame, to, { fill, limit });
          const rp = reindexPanel(p, to, { fill, limit });
          for (let j = 0; j < p.nAssets; j++) expect(Array.from(r.series[j])).toEqual(Array.from(rp.column(j)));
          frame.series.forEach((s, k) => expect(s).toEqual(before[k]));
        },
      ),
    );
  });
});

describe('reindexAssets', () => {
  it('order as given; unknown assets all NaN', () => {
    const r = reindexAssets(src(), ['B', 'Z', 'A']);
    expect(r.assets).toEqual(['B', 'Z', 'A']);
    expect(Array.from(r.values)).toEqual([10, NaN, 1, NaN, NaN, 2, 40, NaN, 4]);
    expect(reindexAssets(src(), []).values.length).toBe(0);
  });
});

describe('alignPanels', () => {
  const p = new Panel(makeCalendar([1, 2, 3]), ['A', 'B'], Float64Array.from([1, 2, 3, 4, 5, 6]));
  const q = new Panel(makeCalendar([2, 3, 4]), ['B', 'C'], Float64Array.from([20, 30, 40, 50, 60, 70]));

  it('inner dates, outer assets (the defaults)', () => {
    const [a, b] = alignPanels([p, q]);
    expect(iso(a.dates)).toEqual([2, 3]);
    expect(a.assets).toEqual(['A', 'B', 'C']);
    expect(b.assets).toEqual(['A', 'B', 'C']);
    expect(Array.from(a.values)).toEqual([3, 4, NaN, 5, 6, NaN]);
    expect(Array.from(b.values)).toEqual([NaN, 20, 30, NaN, 40, 50]);
  });

  it('outer dates, inner assets', () => {
    const [a, b] = alignPanels([p, q], { dates: 'outer', assets: 'inner' });
    expect(iso(a.dates)).toEqual([1, 2, 3, 4]);
    expect(a.assets).toEqual(['B']);
    expect(Array.from(a.values)).toEqual([2, 4, 6, NaN]);
    expect(Array.from(b.values)).toEqual([NaN, 20, 40, 60]);
  });

  it('disjoint calendars give an empty inner calendar; no panels give none', () => {
    const r = new Panel(makeCalendar([10, 11]), ['A'], Float64Array.from([1, 2]));
    const [a, b] = alignPanels([p, r]);
    expect(a.nDates).toBe(0);
    expect(b.nDates).toBe(0);
    expect(alignPanels([])).toEqual([]);
  });

  it('property: inner dates are the intersection, outer the union; values match by (date, asset); inputs untouched', () => {
    fc.assert(
      fc.property(
        fc.array(panelArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<'inner' | 'outer'>('inner', 'outer'),
        fc.constantFrom<'inner' | 'outer'>('inner', 'outer'),
        (panels, dh, ah) => {
          const before = panels.map((x) => x.values.slice());
          const out = alignPanels(panels, { dates: dh, assets: ah });
          const all = [...new Set(panels.flatMap((x) => Array.from(x.dates)))].sort((a, b) => a - b);
          const dates = dh === 'outer' ? all : all.filter((d) => panels.every((x) => x.dateIndex(d) >= 0));
          const names = [...new Set(panels.flatMap((x) => x.assets))];
          const assets = ah === 'outer' ? names : names.filter((a) => panels.every((x) => x.assetIndex(a) >= 0));
          out.forEach((o, k) => {
            expect(iso(o.dates)).toEqual(dates);
            expect([...o.assets].sort()).toEqual([...assets].sort());
            for (let t = 0; t < o.nDates; t++) {
              for (let j = 0; j < o.nAssets; j++) {
                const s = panels[k].dateIndex(o.dates[t]),
                  c = panels[k].assetIndex(o.assets[j]);
                expect(Object.is(o.at(t, j), s < 0 || c < 0 ? NaN : panels[k].at(s, c))).toBe(true);
              }
            }
          });
          panels.forEach((x, k) => expect(x.values).toEqual(before[k]));
        },
      ),
    );
  });
});

describe('alignPanelFrame and joinFrames', () => {
  const p = new Panel(makeCalendar([1, 2, 3]), ['A'], Float64Array.from([1, 2, 3]));
  const f = Frame.fromRecord(makeCalendar([2, 3, 4]), { mkt: [0.2, 0.3, 0.4] });
  const g = Frame.fromRecord(makeCalendar([3, 4, 5]), { smb: [3, 4, 5], hml: [-3, -4, -5] });

  it('alignPanelFrame inner and outer', () => {
    const inner = alignPanelFrame(p, f);
    expect(iso(inner.panel.dates)).toEqual([2, 3]);
    expect(Array.from(inner.panel.values)).toEqual([2, 3]);
    expect(Array.from(inner.frame.get('mkt'))).toEqual([0.2, 0.3]);
    const outer = alignPanelFrame(p, f, 'outer');
    expect(iso(outer.frame.dates)).toEqual([1, 2, 3, 4]);
    expect(Array.from(outer.panel.values)).toEqual([1, 2, 3, NaN]);
    expect(Array.from(outer.frame.get('mkt'))).toEqual([NaN, 0.2, 0.3, 0.4]);
  });

  it('joinFrames inner and outer; duplicate names throw', () => {
    const inner = joinFrames([f, g]);
    expect(inner.columns).toEqual(['mkt', 'smb', 'hml']);
    expect(inner.toJSON().columns).toEqual({ mkt: [0.3, 0.4], smb: [3, 4], hml: [-3, -4] });
    const outer = joinFrames([f, g], 'outer');
    expect(iso(outer.dates)).toEqual([2, 3, 4, 5]);
    expect(outer.toJSON().columns).toEqual({ mkt: [0.2, 0.3, 0.4, null], smb: [null, 3, 4, 5], hml: [null, -3, -4, -5] });
    expect(() => joinFrames([f, f])).toThrow(/appears twice/);
    expect(joinFrames([]).columns).toEqual([]);
  });
});

describe('asOfPanel: each asset latest value on a regular calendar (fundamentals on month ends)', () => {
  it('hand case: values carried per asset up to maxAgeDays, never from the future', () => {
    // A reports on 2013-06-29 (a Saturday) and 2014-06-28; B on 2013-12-31 only
    const f = new Panel(
      calendarFromIso(['2013-06-29', '2013-12-31', '2014-06-28']),
      ['A', 'B'],
      Float64Array.from([1, NaN, NaN, 5, 2, NaN]),
    );
    const to = calendarFromIso(['2013-05-31', '2013-06-28', '2013-07-31', '2013-12-31', '2014-06-30', '2015-01-30']);
    const got = asOfPanel(f, to, 366);
    expect(Array.from(got.values)).toEqual([NaN, NaN, NaN, NaN, 1, NaN, 1, 5, 2, 5, 2, NaN]);
    // 2015-01-30: B's 2013-12-31 value is 395 days old (> 366); A's 2014-06-28 value is 216 days
    expect(Array.from(asOfPanel(f, to).values.subarray(10))).toEqual([2, 5]); // no age limit
    expect(Array.from(asOfPanel(f, to, 0).values)).toEqual([NaN, NaN, NaN, NaN, NaN, NaN, NaN, 5, NaN, NaN, NaN, NaN]); // same day only
    expect(() => asOfPanel(f, to, -1)).toThrow(InputError);
  });

  it('property: equals the latest non-missing value on or before each date within the age (brute force)', () => {
    const cell = fc.oneof(fc.constant(NaN), fc.integer({ min: -50, max: 50 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 20 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 20 }),
        fc.array(cell, { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 0, max: 200 }),
        (fromDays, toDays, cells, maxAge) => {
          const from = makeCalendar([...fromDays].sort((a, b) => a - b)),
            to = makeCalendar([...toDays].sort((a, b) => a - b));
          const m = 3;
          const p = new Panel(
            from,
            ['A', 'B', 'C'],
            Float64Array.from({ length: from.length * m }, (_, i) => cells[i % cells.length]),
          );
          const got = asOfPanel(p, to, maxAge);
          for (let t = 0; t < to.length; t++)
            for (let j = 0; j < m; j++) {
              let want = NaN;
              for (let s = 0; s < from.length; s++)
                if (from[s] <= to[t] && !Number.isNaN(p.at(s, j))) want = to[t] - from[s] <= maxAge ? p.at(s, j) : NaN;
              expect(got.at(t, j)).toBe(want);
            }
        },
      ),
    );
  });

  it('periodEnds: the last date of each week (ending Sunday) or month in the calendar', () => {
    const cal = calendarFromIso(['2024-01-29', '2024-01-31', '2024-02-02', '2024-02-05', '2024-02-29', '2024-03-01']);
    expect(calendarToIso(periodEnds(cal, 'monthly'))).toEqual(['2024-01-31', '2024-02-29', '2024-03-01']);
    expect(calendarToIso(periodEnds(cal, 'weekly'))).toEqual(['2024-02-02', '2024-02-05', '2024-03-01']);
    expect(calendarToIso(periodEnds(cal, 'daily'))).toEqual(calendarToIso(cal));
  });
});

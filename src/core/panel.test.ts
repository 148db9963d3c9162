import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso, makeCalendar } from './calendar.js';
import { parseIsoDate } from './dates.js';
import { InputError } from './errors.js';
import { Panel, float64s } from './panel.js';

/** Same length and every element `Object.is`-equal (NaN equals NaN). Faster than toEqual on big arrays. */
function identical(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const D = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);

/** 4 dates x 3 assets; value = 10 * row + column, with two holes. */
function small(): Panel {
  const v = Float64Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 3) + (i % 3));
  v[4] = NaN; // row 1, asset B
  v[11] = NaN; // row 3, asset C
  return new Panel(D, ['A', 'B', 'C'], v);
}

/** A random panel of arbitrary shape, including shapes larger than the 64 x 64 transpose block. */
const panelArb = fc
  .record({ n: fc.integer({ min: 0, max: 150 }), m: fc.integer({ min: 0, max: 140 }), seed: fc.integer() })
  .map(({ n, m, seed }) => {
    const dates = Int32Array.from({ length: n }, (_, t) => 3 * t - 7);
    const assets = Array.from({ length: m }, (_, j) => `a${j}`);
    const values = Float64Array.from({ length: n * m }, (_, i) => ((i * 7919 + seed) % 101 === 0 ? NaN : Math.sin(i + seed)));
    return new Panel(dates, assets, values);
  });

describe('Panel constructor', () => {
  it('rejects dates that are not strictly increasing', () => {
    expect(() => new Panel(Int32Array.from([1, 1]), ['A'], new Float64Array(2))).toThrow(/strictly increasing/);
    expect(() => new Panel(Int32Array.from([2, 1]), ['A'], new Float64Array(2))).toThrow(InputError);
  });

  it('rejects duplicate assets', () => {
    expect(() => new Panel(D, ['A', 'B', 'A'], new Float64Array(12))).toThrow(/"A" appears twice/);
  });

  it('rejects values of the wrong length, naming the shape', () => {
    expect(() => new Panel(D, ['A', 'B'], new Float64Array(7))).toThrow('length 7, expected 4 dates x 2 assets = 8');
  });

  it('defaults to all missing', () => {
    const p = new Panel(D, ['A', 'B']);
    expect(p.values.length).toBe(8);
    expect(Array.from(p.values).every(Number.isNaN)).toBe(true);
    expect(p.missingShare()).toBe(1);
  });

  it('empty shapes are fine', () => {
    const p = new Panel(new Int32Array(0), []);
    expect(p.nDates).toBe(0);
    expect(p.nAssets).toBe(0);
    expect(p.missingShare()).toBe(0);
    expect(p.toRecords()).toEqual([]);
  });
});

describe('Panel access', () => {
  it('at / get / column / row / indexes', () => {
    const p = small();
    expect(p.nDates).toBe(4);
    expect(p.nAssets).toBe(3);
    expect(p.at(2, 1)).toBe(21);
    expect(p.at(1, 1)).toBeNaN();
    expect(p.get('2024-01-04', 'B')).toBe(21);
    expect(p.get('2024-01-03', 'B')).toBeNaN(); // a missing cell
    expect(p.assetIndex('C')).toBe(2);
    expect(p.assetIndex('Z')).toBe(-1);
    expect(p.dateIndex(parseIsoDate('2024-01-05'))).toBe(3);
    expect(p.dateIndex(parseIsoDate('2024-01-01'))).toBe(-1);
    expect(Array.from(p.column('A'))).toEqual([0, 10, 20, 30]);
    expect(Array.from(p.column(2))).toEqual([2, 12, 22, NaN]);
    expect(() => p.column('Z')).toThrow(InputError);
    expect(() => p.column(3)).toThrow(RangeError);
    expect(Array.from(p.row(3))).toEqual([30, 31, NaN]);
    expect(p.isoDates()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
  });

  it('an index outside the panel, or not a whole number, is a RangeError naming it and the range (at, row, column, sliceRows)', () => {
    const p = small(); // 4 dates x 3 assets
    // before: at(0, 3) was asset A of the next date (10), at(4, 0) and at(1.5, 0) undefined, row(4) an empty row
    expect(() => p.at(0, 3)).toThrow('j = 3 is not an asset index of the panel: a whole number in 0..2 (3 assets)');
    expect(() => p.at(4, 0)).toThrow('t = 4 is not a date index of the panel: a whole number in 0..3 (4 dates)');
    expect(() => p.at(-1, 0)).toThrow(RangeError);
    expect(() => p.at(1.5, 0)).toThrow(/t = 1.5 is not a date index/);
    expect(() => p.at(Number.NaN, 0)).toThrow(RangeError);
    expect(() => p.at('1' as unknown as number, 0)).toThrow(/t = "1" \(a string\)/);
    expect(() => p.row(4)).toThrow(/t = 4 is not a date index/);
    expect(() => p.row(0.5)).toThrow(RangeError);
    expect(() => p.column(-1)).toThrow(/asset = -1 is not an asset index/);
    expect(() => p.column(1.5)).toThrow(RangeError);
    expect(() => p.sliceRows(-1, 2)).toThrow(/sliceRows\(-1, 2\): rows must be whole numbers with 0 <= a <= b <= 4/);
    expect(() => p.sliceRows(0, 5)).toThrow(RangeError);
    expect(() => p.sliceRows(3, 2)).toThrow(RangeError);
    expect(() => new Panel(new Int32Array(0), ['A']).at(0, 0)).toThrow('t = 0 is not a date index of the panel: it has no dates');
    // inside: unchanged
    expect(p.at(3, 2)).toBeNaN();
    expect(p.sliceRows(0, 4).nDates).toBe(4);
  });

  it('get: an asset or date the panel lacks, or text that is not a date, is an InputError naming it (it was NaN, as a missing cell)', () => {
    const p = small();
    expect(() => p.get('2024-01-04', 'Z')).toThrow(InputError);
    expect(() => p.get('2024-01-04', 'Z')).toThrow('no asset "Z" in the panel (3 assets: A, B, C)');
    expect(() => p.get('2024-01-06', 'B')).toThrow('no date 2024-01-06 in the panel (2024-01-02 .. 2024-01-05, 4 dates)');
    expect(() => p.get('not a date', 'B')).toThrow(/date "not a date" \(a string\) is not an ISO date/);
    expect(() => p.get('2024-01-04', 'B ')).toThrow(InputError); // names match exactly
    expect(p.get('2024-01-04', 'B')).toBe(21);
  });

  it('column is a copy', () => {
    const p = small();
    const c = p.column('A');
    c[0] = 999;
    expect(p.at(0, 0)).toBe(0);
  });

  it('missingShare', () => {
    expect(small().missingShare()).toBeCloseTo(2 / 12, 15);
  });

  it('toRecords skips NaN, date-major order', () => {
    const p = new Panel(D.slice(0, 2), ['A', 'B'], Float64Array.from([1, NaN, 3, 4]));
    expect(p.toRecords()).toEqual([
      { date: '2024-01-02', asset: 'A', value: 1 },
      { date: '2024-01-03', asset: 'A', value: 3 },
      { date: '2024-01-03', asset: 'B', value: 4 },
    ]);
    expect(small().toRecords().length).toBe(10);
  });
});

describe('Panel layout', () => {
  it('toAssetMajor hand case', () => {
    const p = new Panel(D.slice(0, 2), ['A', 'B', 'C'], Float64Array.from([1, 2, 3, 4, 5, 6]));
    expect(Array.from(p.toAssetMajor())).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('property: toAssetMajor matches the definition and fromAssetMajor inverts it', () => {
    fc.assert(
      fc.property(panelArb, (p) => {
        const n = p.nDates,
          m = p.nAssets;
        const am = p.toAssetMajor();
        expect(am.length).toBe(n * m);
        let wrong = 0;
        for (let t = 0; t < n; t++) for (let j = 0; j < m; j++) if (!Object.is(am[j * n + t], p.at(t, j))) wrong++;
        expect(wrong).toBe(0);
        const back = Panel.fromAssetMajor(p.dates, p.assets, am);
        let changed = 0;
        for (let i = 0; i < p.values.length; i++) if (!Object.is(back.values[i], p.values[i])) changed++;
        expect(back.values.length).toBe(p.values.length);
        expect(changed).toBe(0);
        expect(back.assets).toEqual(p.assets);
      }),
      { numRuns: 40 },
    );
  });

  it('fromAssetMajor rejects the wrong length', () => {
    expect(() => Panel.fromAssetMajor(D, ['A'], new Float64Array(3))).toThrow(InputError);
  });

  it('fromColumns', () => {
    const p = Panel.fromColumns(D.slice(0, 2), { X: [1, 2], Y: Float64Array.from([3, NaN]) });
    expect(p.assets).toEqual(['X', 'Y']);
    expect(Array.from(p.values)).toEqual([1, 3, 2, NaN]);
    expect(() => Panel.fromColumns(D, { X: [1, 2] })).toThrow('series X has 2 values, expected 4');
  });

  it('fromColumns keeps the order of a Map or of [name, series] pairs (integer-like names included)', () => {
    const cols: [string, number[]][] = [
      ['600519', [1, 2]],
      ['AAPL', [3, 4]],
      ['10107', [5, 6]],
    ];
    for (const input of [cols, new Map(cols)]) {
      const p = Panel.fromColumns(D.slice(0, 2), input);
      expect(p.assets).toEqual(['600519', 'AAPL', '10107']);
      expect(Array.from(p.values)).toEqual([1, 3, 5, 2, 4, 6]);
    }
    // a plain object: Object.keys order puts integer-like names first
    expect(Panel.fromColumns(D.slice(0, 2), Object.fromEntries(cols)).assets).toEqual(['10107', '600519', 'AAPL']);
    expect(() =>
      Panel.fromColumns(D.slice(0, 2), [
        ['A', [1, 2]],
        ['A', [3, 4]],
      ]),
    ).toThrow(/duplicate asset names \(A\)/);
  });
});

describe('Panel subsets', () => {
  it('selectAssets: order as given, unknown names throw', () => {
    const p = small().selectAssets(['C', 'A']);
    expect(p.assets).toEqual(['C', 'A']);
    expect(Array.from(p.values)).toEqual([2, 0, 12, 10, 22, 20, NaN, 30]);
    expect(() => small().selectAssets(['A', 'Q'])).toThrow(InputError);
    expect(() => small().selectAssets(['A', 'Q'])).toThrow(/no asset "Q" in the panel \(3 assets: A, B, C\)/);
    expect(small().selectAssets([]).values.length).toBe(0);
  });

  it('sliceDates: bounds inclusive, either optional, empty results', () => {
    const p = small();
    const d = (s: string) => parseIsoDate(s);
    expect(p.sliceDates(d('2024-01-03'), d('2024-01-04')).isoDates()).toEqual(['2024-01-03', '2024-01-04']);
    expect(Array.from(p.sliceDates(d('2024-01-03'), d('2024-01-04')).values)).toEqual([10, NaN, 12, 20, 21, 22]);
    expect(p.sliceDates(d('2024-01-04')).isoDates()).toEqual(['2024-01-04', '2024-01-05']);
    expect(p.sliceDates(undefined, d('2024-01-02')).isoDates()).toEqual(['2024-01-02']);
    // bounds that are not trading dates
    expect(p.sliceDates(d('2023-12-31'), d('2024-01-03')).isoDates()).toEqual(['2024-01-02', '2024-01-03']);
    expect(p.sliceDates(d('2024-01-06'), d('2024-02-01')).nDates).toBe(0);
    expect(p.sliceDates(d('2024-01-05'), d('2024-01-02')).nDates).toBe(0); // from > to
    const e = p.sliceDates(d('2024-01-06'));
    expect(e.values.length).toBe(0);
    expect(e.assets).toEqual(['A', 'B', 'C']);
  });

  it('property: sliceDates agrees with filtering rows', () => {
    fc.assert(
      fc.property(panelArb, fc.integer({ min: -20, max: 460 }), fc.integer({ min: -20, max: 460 }), (p, from, to) => {
        const s = p.sliceDates(from, to);
        const rows = Array.from(p.dates.keys()).filter((t) => p.dates[t] >= from && p.dates[t] <= to);
        expect(Array.from(s.dates)).toEqual(rows.map((t) => p.dates[t]));
        const expected: number[] = [];
        for (const t of rows) expected.push(...p.row(t));
        expect(Array.from(s.values)).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('sliceRows and slices share no memory', () => {
    const p = small();
    const s = p.sliceRows(1, 3);
    expect(s.isoDates()).toEqual(['2024-01-03', '2024-01-04']);
    expect(Array.from(s.values)).toEqual([10, NaN, 12, 20, 21, 22]);
    s.values[0] = -1;
    s.dates[0] = 0;
    expect(p.at(1, 0)).toBe(10);
    expect(p.dates[1]).toBe(parseIsoDate('2024-01-03'));
    expect(p.sliceRows(2, 2).nDates).toBe(0);
  });

  it('map passes value, row and column', () => {
    const p = small().map((v, t, j) => (Number.isNaN(v) ? -1 : v - 10 * t - j));
    expect(Array.from(p.values)).toEqual([0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, -1]);
  });
});

describe('Panel never mutates its inputs', () => {
  it('property: every operation leaves the source panel unchanged', () => {
    fc.assert(
      fc.property(panelArb, (p) => {
        const dates = p.dates.slice(),
          values = p.values.slice(),
          assets = p.assets.slice();
        p.toAssetMajor();
        p.missingShare();
        p.toRecords();
        p.map((v) => v * 2);
        p.sliceDates(0, 100);
        p.sliceRows(0, Math.floor(p.nDates / 2));
        p.selectAssets(p.assets.slice().reverse());
        if (p.nAssets > 0) p.column(0);
        expect(identical(p.dates, dates)).toBe(true);
        expect(identical(p.values, values)).toBe(true);
        expect(p.assets).toEqual(assets);
      }),
      { numRuns: 30 },
    );
  });

  it('static constructors copy their sources', () => {
    const cols = { X: [1, 2] };
    const p = Panel.fromColumns(makeCalendar([1, 2]), cols);
    p.values[0] = 100;
    expect(cols.X[0]).toBe(1);
    const am = Float64Array.from([1, 2, 3, 4]);
    const q = Panel.fromAssetMajor(makeCalendar([1, 2]), ['X', 'Y'], am);
    q.values[0] = 100;
    expect(am[0]).toBe(1);
  });
});

describe('float64s', () => {
  it('zeros on an ArrayBuffer, or on a SharedArrayBuffer when shared', () => {
    const a = float64s(3),
      b = float64s(3, true);
    expect(a.buffer).toBeInstanceOf(ArrayBuffer);
    expect(b.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(a)).toEqual([0, 0, 0]);
    expect(Array.from(b)).toEqual([0, 0, 0]);
  });
});

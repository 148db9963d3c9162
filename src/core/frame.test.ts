import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso, makeCalendar } from './calendar.js';
import { parseIsoDate } from './dates.js';
import { InputError } from './errors.js';
import { Frame } from './frame.js';

const D = calendarFromIso(['2024-01-31', '2024-02-29', '2024-03-29', '2024-04-30']);

function ff(): Frame {
  return Frame.fromRecord(D, { MKT: [1, 2, NaN, 4], SMB: [0.5, NaN, NaN, 0.25], HML: [-1, -2, -3, -4] });
}

describe('Frame validation', () => {
  it('rejects non-increasing dates', () => {
    expect(() => new Frame(Int32Array.from([2, 2]), ['a'], [new Float64Array(2)])).toThrow(/strictly increasing/);
  });
  it('rejects names / series count mismatch', () => {
    expect(() => new Frame(D, ['a', 'b'], [new Float64Array(4)])).toThrow('Frame has 2 names but 1 series');
  });
  it('rejects duplicate names', () => {
    expect(() => new Frame(D, ['a', 'a'], [new Float64Array(4), new Float64Array(4)])).toThrow(/"a" appears twice/);
  });
  it('rejects a series of the wrong length', () => {
    expect(() => new Frame(D, ['a'], [new Float64Array(3)])).toThrow('Frame column a has 3 values, expected 4');
  });
});

describe('Frame access and operations', () => {
  it('fromRecord copies and keeps key order', () => {
    const src = { X: [1, 2, 3, 4] };
    const f = Frame.fromRecord(D, src);
    f.series[0][0] = 99;
    expect(src.X[0]).toBe(1);
    expect(ff().columns).toEqual(['MKT', 'SMB', 'HML']);
    expect(ff().nDates).toBe(4);
  });

  it('get / has / columnIndex / dateIndex / isoDates', () => {
    const f = ff();
    expect(Array.from(f.get('HML'))).toEqual([-1, -2, -3, -4]);
    expect(() => f.get('RMW')).toThrow('no column "RMW"; columns are MKT, SMB, HML');
    expect(() => f.get('RMW')).toThrow(InputError);
    expect(() => f.get('mkt')).toThrow(InputError); // names match exactly
    expect(f.has('SMB')).toBe(true);
    expect(f.has('RMW')).toBe(false);
    expect(f.columnIndex('HML')).toBe(2);
    expect(f.columnIndex('RMW')).toBe(-1);
    expect(f.dateIndex(parseIsoDate('2024-02-29'))).toBe(1);
    expect(f.dateIndex(parseIsoDate('2024-02-28'))).toBe(-1);
    expect(f.isoDates()).toEqual(['2024-01-31', '2024-02-29', '2024-03-29', '2024-04-30']);
  });

  it('select / drop / rename', () => {
    const f = ff();
    expect(f.select(['HML', 'MKT']).columns).toEqual(['HML', 'MKT']);
    expect(Array.from(f.select(['HML', 'MKT']).series[0])).toEqual([-1, -2, -3, -4]);
    expect(() => f.select(['XYZ'])).toThrow(/no column/);
    expect(f.drop(['SMB']).columns).toEqual(['MKT', 'HML']);
    expect(f.drop([]).columns).toEqual(['MKT', 'SMB', 'HML']);
    // a name the frame lacks was ignored, leaving the column meant (RF vs rf) in without a word
    expect(() => f.drop(['smb'])).toThrow(InputError);
    expect(() => f.drop(['SMB', 'RF'])).toThrow('no column "RF"; columns are MKT, SMB, HML');
    expect(f.rename((c) => c.toLowerCase()).columns).toEqual(['mkt', 'smb', 'hml']);
    expect(() => f.rename(() => 'same')).toThrow(/appears twice/);
  });

  it('sliceDates: inclusive bounds, copies', () => {
    const f = ff();
    const s = f.sliceDates(parseIsoDate('2024-02-29'), parseIsoDate('2024-03-29'));
    expect(s.isoDates()).toEqual(['2024-02-29', '2024-03-29']);
    expect(Array.from(s.get('HML'))).toEqual([-2, -3]);
    s.get('HML')[0] = 100;
    expect(f.get('HML')[1]).toBe(-2);
    expect(f.sliceDates(parseIsoDate('2024-05-01')).nDates).toBe(0);
    expect(f.sliceDates(undefined, parseIsoDate('2024-02-28')).isoDates()).toEqual(['2024-01-31']);
  });

  it('scale (percent to decimal), NaN stays NaN', () => {
    const s = ff().scale(0.01);
    expect(Array.from(s.get('MKT'))).toEqual([0.01, 0.02, NaN, 0.04]);
    expect(Array.from(ff().get('MKT'))).toEqual([1, 2, NaN, 4]);
  });

  it('dropMissing keeps rows where every column is present', () => {
    const d = ff().dropMissing();
    expect(d.isoDates()).toEqual(['2024-01-31', '2024-04-30']);
    expect(Array.from(d.get('SMB'))).toEqual([0.5, 0.25]);
    expect(Array.from(d.get('HML'))).toEqual([-1, -4]);
    expect(ff().select(['HML']).dropMissing().nDates).toBe(4);
  });

  it('toJSON: ISO dates, NaN -> null, survives JSON.stringify', () => {
    const j = ff().toJSON();
    expect(j).toEqual({
      dates: ['2024-01-31', '2024-02-29', '2024-03-29', '2024-04-30'],
      columns: { MKT: [1, 2, null, 4], SMB: [0.5, null, null, 0.25], HML: [-1, -2, -3, -4] },
    });
    expect(JSON.parse(JSON.stringify(ff()))).toEqual(j);
  });

  it('property: dropMissing equals filtering rows; operations never mutate the source', () => {
    const arb = fc.array(
      fc.array(fc.option(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { nil: undefined }), { minLength: 0, maxLength: 20 }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(arb, (cols) => {
        const n = Math.min(...cols.map((c) => c.length));
        const series = cols.map((c) => Float64Array.from(c.slice(0, n), (v) => v ?? NaN));
        const f = new Frame(
          makeCalendar(Array.from({ length: n }, (_, t) => t * 7)),
          cols.map((_, k) => `c${k}`),
          series,
        );
        const before = series.map((s) => s.slice());
        const d = f.dropMissing();
        const keep = Array.from({ length: n }, (_, t) => t).filter((t) => series.every((s) => !Number.isNaN(s[t])));
        expect(Array.from(d.dates)).toEqual(keep.map((t) => t * 7));
        d.series.forEach((s, k) => expect(Array.from(s)).toEqual(keep.map((t) => series[k][t])));
        f.scale(3);
        f.sliceDates(7, 70);
        f.drop(['c0']);
        f.toJSON();
        series.forEach((s, k) => expect(s).toEqual(before[k]));
      }),
    );
  });
});

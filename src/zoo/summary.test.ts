import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../core/dates.js';
import { Panel } from '../core/panel.js';
import { analyzeFactor } from '../signals/analyze.js';
import { NUMBER_COLUMNS, parseSortKey, rowsOfAnalysis, rowsOfFailure, sortRows, type ZooRow } from './summary.js';

const dates = Int32Array.from(['2024-01-02', '2024-01-03', '2024-01-04'], parseIsoDate);
const assets = ['A', 'B', 'C', 'D'];
// returns date 0 -> 1: 0.1, 0, 0.2, 0.3; date 1 -> 2: 0.1, 0, -0.1, 0.2
const p1 = [11, 10, 12, 13];
const p2 = [11 * 1.1, 10, 12 * 0.9, 13 * 1.2];
const prices = new Panel(dates, assets, Float64Array.from([10, 10, 10, 10, ...p1, ...p2]));
const factor = new Panel(dates, assets, Float64Array.from([1, 2, 3, 4, 4, 3, 2, 1, 1, 2, 3, 4]));

describe('rowsOfAnalysis', () => {
  const a = analyzeFactor({ factor, prices }, { horizons: [1], quantiles: 2 });
  const [row] = rowsOfAnalysis('hand', a);

  it('reads the hand-computed rank IC, spread and data loss', () => {
    // rank IC: date 0 ranks (1,2,3,4) vs (2,1,3,4): 1 - 6*2/(4*15) = 0.8; date 1 (4,3,2,1) vs (3,2,1,4): 1 - 6*12/60 = -0.2
    expect(row.rank_ic_mean).toBeCloseTo(0.3, 12);
    // spread, 2 quantiles: date 0 top (0.2+0.3)/2 - bottom (0.1+0)/2 = 0.2; date 1 (0.1+0)/2 - (-0.1+0.2)/2 = 0
    expect(row.spread).toBeCloseTo(0.1, 12);
    // the 4 factor values of the last date have no forward return: 4 of 12 lost
    expect(row.data_loss).toBeCloseTo(1 / 3, 12);
    expect(row).toMatchObject({ factor: 'hand', horizon: 1, status: 'ok', n_dates: 2, n_assets: 4, reason: null });
  });

  it('Pearson IC equals a plain two-pass correlation of the same cells (independent route)', () => {
    const corr = (x: number[], y: number[]): number => {
      const mx = x.reduce((s, v) => s + v, 0) / x.length,
        my = y.reduce((s, v) => s + v, 0) / y.length;
      let sxy = 0,
        sxx = 0,
        syy = 0;
      for (let i = 0; i < x.length; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) ** 2;
        syy += (y[i] - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    const ic0 = corr([1, 2, 3, 4], [0.1, 0, 0.2, 0.3]),
      ic1 = corr([4, 3, 2, 1], [0.1, 0, -0.1, 0.2]);
    expect(row.ic_mean).toBeCloseTo((ic0 + ic1) / 2, 12);
    const sd = Math.abs(ic0 - ic1) / Math.SQRT2; // ddof 1 of two values
    expect(row.ic_ir).toBeCloseTo((ic0 + ic1) / 2 / sd, 10);
    expect(row.ic_t).toBeCloseTo(((ic0 + ic1) / 2 / sd) * Math.SQRT2, 10);
  });

  it('is one row per horizon, NaN as null, and survives JSON unchanged', () => {
    const b = analyzeFactor({ factor, prices }, { horizons: [1, 2], quantiles: 2, universe: 'pairwise', minAssets: 2, maxLoss: 1 });
    const rows = rowsOfAnalysis('x', b);
    expect(rows.map((r) => r.horizon)).toEqual([1, 2]);
    for (const r of rows) for (const c of NUMBER_COLUMNS) expect(r[c] === null || Number.isFinite(r[c])).toBe(true);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});

describe('rowsOfFailure', () => {
  it('one row per horizon with the reason and no numbers', () => {
    const rows = rowsOfFailure('bad.csv', [1, 5], 'bad.csv: file not found');
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.status).toBe('failed');
      expect(r.reason).toBe('bad.csv: file not found');
      for (const c of NUMBER_COLUMNS) expect(r[c]).toBeNull();
    }
  });
});

const row = (factor: string, horizon: number, v: number | null, status: 'ok' | 'failed' = 'ok'): ZooRow => ({
  ...rowsOfFailure(factor, [horizon], 'x')[0],
  status,
  reason: status === 'ok' ? null : 'x',
  ic_mean: v,
});

describe('sortRows', () => {
  it('largest first by default, missing values and failed rows last, ties by factor then horizon', () => {
    const rows = [row('b', 1, 0.1), row('a', 5, null), row('c', 1, 0.3), row('z', 1, null, 'failed'), row('a', 1, 0.1), row('d', 1, -0.2)];
    const sorted = sortRows(rows, parseSortKey('ic_mean'));
    expect(sorted.map((r) => `${r.factor}${r.horizon}`)).toEqual(['c1', 'a1', 'b1', 'd1', 'a5', 'z1']);
    expect(sortRows(rows, parseSortKey('ic_mean:asc')).map((r) => `${r.factor}${r.horizon}`)).toEqual(['d1', 'a1', 'b1', 'c1', 'a5', 'z1']);
    expect(sortRows(rows, parseSortKey('factor')).map((r) => r.factor)).toEqual(['a', 'a', 'b', 'c', 'd', 'z']);
  });

  it('property: a permutation of its input whose order does not depend on the input order', () => {
    const arb = fc.array(
      fc.record({
        f: fc.constantFrom('a', 'b', 'c'),
        h: fc.constantFrom(1, 5),
        v: fc.option(fc.double({ noNaN: true, min: -1, max: 1 })),
        bad: fc.boolean(),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, fc.boolean(), (spec, desc) => {
        const rows = spec.map((s) => row(s.f, s.h, s.v, s.bad ? 'failed' : 'ok'));
        const key = { column: 'ic_mean', descending: desc };
        const a = sortRows(rows, key),
          b = sortRows([...rows].reverse(), key);
        expect(a).toHaveLength(rows.length);
        expect(new Set(a)).toEqual(new Set(rows));
        expect(a.map((r) => [r.factor, r.horizon, r.ic_mean, r.status])).toEqual(b.map((r) => [r.factor, r.horizon, r.ic_mean, r.status]));
        const firstFailed = a.findIndex((r) => r.status === 'failed');
        if (firstFailed >= 0) expect(a.slice(firstFailed).every((r) => r.status === 'failed')).toBe(true);
      }),
    );
  });
});

describe('parseSortKey', () => {
  it('takes a column with an optional direction and refuses anything else naming the columns', () => {
    expect(parseSortKey('rank_ic_t_nw')).toEqual({ column: 'rank_ic_t_nw', descending: true });
    expect(parseSortKey('factor')).toEqual({ column: 'factor', descending: false });
    expect(parseSortKey('spread:asc')).toEqual({ column: 'spread', descending: false });
    expect(() => parseSortKey('sharpe')).toThrow(/--sort takes a column[\s\S]*rank_ic_t_nw/);
    expect(() => parseSortKey('spread:up')).toThrow(/--sort/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { spearman } from '../stats/correlation.js';
import { quantileLabels, type QuantileLabels } from './quantiles.js';
import { factorRankAutocorrelation, quantileTurnover } from './turnover.js';

const ASSETS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];

function labelsFrom(rows: number[][], q: number): QuantileLabels {
  const dates = calendarFromIso(rows.map((_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`));
  return { dates, assets: ASSETS.slice(0, rows[0].length), quantiles: q, labels: Int32Array.from(rows.flat()), unlabeled: 0, singleValueSections: 0 };
}

describe('quantileTurnover', () => {
  it('0.6: three of five names in the top quantile are new', () => {
    // top (2) at t-1: A..E; at t: A, B, F, G, H
    const l = labelsFrom([[2, 2, 2, 2, 2, 1, 1, 1, 1, 1], [2, 2, 1, 1, 1, 2, 2, 2, 1, 1]], 2);
    const t = quantileTurnover(l, 1);
    expect(t.perDate[1][0]).toBeNaN();
    expect(t.perDate[1][1]).toBeCloseTo(0.6, 15);
    expect(t.perDate[0][1]).toBeCloseTo(0.6, 15);
    expect(t.mean[1]).toBeCloseTo(0.6, 15);
  });

  it('lag counts rows; an empty quantile gives NaN; unlabelled names are not new', () => {
    const l = labelsFrom([[1, 2, 0, 2], [2, 1, 1, 2], [2, 0, 1, 2]], 2);
    const t = quantileTurnover(l, 2);
    // t=2 vs t=0: quantile 2 now {A, D}, before {B, D}: 1/2; quantile 1 now {C}, before {A}: 1
    expect(t.perDate[1][2]).toBe(0.5);
    expect(t.perDate[0][2]).toBe(1);
    expect(Number.isNaN(t.perDate[0][1])).toBe(true);
    expect(() => quantileTurnover(l, 0)).toThrow(/lag/);
  });

  it('labels from a factor that does not change have zero turnover (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 10, maxLength: 10 }), (x) => {
      const p = new Panel(calendarFromIso(['2024-01-02', '2024-01-03']), ASSETS, Float64Array.from([...x, ...x]));
      const t = quantileTurnover(quantileLabels(p, { binning: 3 }), 1);
      for (const s of t.perDate) if (!Number.isNaN(s[1])) expect(s[1]).toBe(0);
    }));
  });
});

describe('factorRankAutocorrelation', () => {
  it('hand case: reversed ranks give -1, same ranks +1', () => {
    const p = new Panel(calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04']), ['A', 'B', 'C', 'D'], Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40, 4, 3, 2, 1]));
    const a = factorRankAutocorrelation(p, 1);
    expect(Number.isNaN(a.perDate[0])).toBe(true);
    expect(a.perDate[1]).toBeCloseTo(1, 15);
    expect(a.perDate[2]).toBeCloseTo(-1, 15);
    expect(a.mean).toBeCloseTo(0, 15);
  });

  it('ranks within the whole cross-section, Pearson over the common assets (alphalens)', () => {
    // t0: A..D = 1,2,3,4 ranks 1,2,3,4; t1: B, C, D, E = 5, 1, 7, 0 -> ranks 3, 2, 4, 1 over 4 names
    const p = new Panel(calendarFromIso(['2024-01-02', '2024-01-03']), ['A', 'B', 'C', 'D', 'E'], Float64Array.from([1, 2, 3, 4, NaN, NaN, 5, 1, 7, 0]));
    const a = factorRankAutocorrelation(p, 1);
    // common B, C, D: ranks at t1 [3, 2, 4], at t0 [2, 3, 4]
    const x = [3, 2, 4], y = [2, 3, 4];
    const mx = 3, my = 3;
    const r = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / Math.sqrt(x.reduce((s, v) => s + (v - mx) ** 2, 0) * y.reduce((s, v) => s + (v - my) ** 2, 0));
    expect(a.perDate[1]).toBeCloseTo(r, 15);
    expect(a.perDate[1]).toBeCloseTo(0.5, 15);
  });

  it('equals Spearman when both dates hold the same assets (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 8, maxLength: 8 }), fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 8, maxLength: 8 }), (x, y) => {
      const p = new Panel(calendarFromIso(['2024-01-02', '2024-01-03']), ASSETS.slice(0, 8), Float64Array.from([...x, ...y]));
      const s = spearman(x, y);
      const a = factorRankAutocorrelation(p, 1).perDate[1];
      if (Number.isNaN(s)) expect(a).toBeNaN(); else expect(a).toBeCloseTo(s, 12);
    }));
  });
});

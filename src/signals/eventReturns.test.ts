import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { eventReturns } from './eventReturns.js';
import type { QuantileLabels } from './quantiles.js';

// 5 price rows, 2 assets; formation rows enter at price rows 2 and 3
const prices = new Panel(Int32Array.from([1, 2, 3, 4, 5]), ['x', 'y'], Float64Array.from([1, 10, 2, 10, 4, 10, 5, 11, 8, NaN]));
const labels: QuantileLabels = {
  dates: Int32Array.from([3, 4]),
  assets: ['x', 'y'],
  quantiles: 2,
  labels: Int32Array.from([1, 2, 2, 1]),
  unlabeled: 0,
  singleValueSections: 0,
};

describe('eventReturns', () => {
  it('hand case: cumulative returns from day zero, averaged over dates', () => {
    const r = eventReturns({ prices, entryRows: [2, 3], labels }, { before: 1, after: 2 });
    expect(r.offsets).toEqual([-1, 0, 1, 2]);
    // q1: date 1 is x (day zero price 4): -0.5, 0, 0.25, 1; date 2 is y (day zero 11): 10/11 - 1, 0, NaN, (row 5 is past the end)
    const q1m1 = (-0.5 + (10 / 11 - 1)) / 2;
    expect(r.mean[0][0]).toBeCloseTo(q1m1, 15);
    expect(r.std[0][0]).toBeCloseTo(Math.sqrt(((-0.5 - q1m1) ** 2 + (10 / 11 - 1 - q1m1) ** 2) / 1), 15);
    expect(r.mean[0][1]).toBe(0);
    expect(r.mean[0][2]).toBeCloseTo(0.25, 15);
    expect(r.n[0]).toEqual([2, 2, 1, 1]);
    expect(r.std[0][2]).toBeNaN();
    // q2: date 1 is y: 0, 0, 0.1, NaN; date 2 is x (day zero 5): 4/5 - 1, 0, 8/5 - 1, past the end
    expect(r.mean[1][0]).toBeCloseTo(-0.1, 15);
    expect(r.mean[1][2]).toBeCloseTo((0.1 + 0.6) / 2, 15);
    expect(r.n[1][3]).toBe(0);
    expect(r.mean[1][3]).toBeNaN();
  });

  it('demeaned: minus the mean of every labelled asset of the date', () => {
    const r = eventReturns({ prices, entryRows: [2, -1], labels }, { before: 1, after: 2, demeaned: true });
    // date 1 only: all-asset means -0.25, 0, 0.175, 1 (y has no price at row 4)
    expect(r.mean[0]).toEqual([expect.closeTo(-0.25, 15), 0, expect.closeTo(0.075, 15), 0]);
    expect(r.mean[1].slice(0, 3)).toEqual([expect.closeTo(0.25, 15), 0, expect.closeTo(-0.075, 15)]);
    expect(r.mean[1][3]).toBeNaN();
  });

  it('refuses negative windows and mismatched entry rows', () => {
    expect(() => eventReturns({ prices, entryRows: [2, 3], labels }, { before: -1 })).toThrow(/before/);
    expect(() => eventReturns({ prices, entryRows: [2], labels })).toThrow(/entry rows/);
  });

  it("property: scaling one asset's prices by a constant changes nothing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 100, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (p, s) => {
          const a = new Panel(Int32Array.from([1, 2, 3, 4, 5, 6]), ['x', 'y'], Float64Array.from(p));
          const b = new Panel(
            a.dates,
            a.assets,
            Float64Array.from(p, (v, i) => (i % 2 === 0 ? v * s : v)),
          );
          const lab: QuantileLabels = {
            dates: Int32Array.from([1, 2]),
            assets: ['x', 'y'],
            quantiles: 2,
            labels: Int32Array.from([1, 2, 2, 1]),
            unlabeled: 0,
            singleValueSections: 0,
          };
          const ra = eventReturns({ prices: a, entryRows: [2, 3], labels: lab }, { before: 2, after: 2, demeaned: true });
          const rb = eventReturns({ prices: b, entryRows: [2, 3], labels: lab }, { before: 2, after: 2, demeaned: true });
          ra.mean.forEach((row, q) => row.forEach((v, k) => expect(rb.mean[q][k]).toBeCloseTo(v, 9)));
        },
      ),
    );
  });
});

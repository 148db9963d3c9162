import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { quantileByGroup } from './quantileByGroup.js';
import type { QuantileLabels } from './quantiles.js';

const dates = Int32Array.from([19000, 19001]);
const assets = ['a', 'b', 'c', 'd'];
function labels(l: number[], Q = 2): QuantileLabels {
  return { dates, assets, quantiles: Q, labels: Int32Array.from(l), unlabeled: 0, singleValueSections: 0 };
}
const groups = { names: ['A', 'B'], codes: Int32Array.from([0, 0, 1, 1, 0, 0, 1, 1]) };
const fwd = new Panel(dates, assets, Float64Array.from([0.01, 0.03, 0.02, 0.06, 0.05, -0.01, NaN, 0.0]));

describe('quantileByGroup', () => {
  it('hand case: means per group and quantile over dates, and group-demeaned means', () => {
    const r = quantileByGroup(labels([1, 2, 1, 2, 2, 1, 1, 2]), fwd, groups);
    expect(r.groups).toEqual(['A', 'B']);
    // A: q1 dates 0.01, -0.01; q2 0.03, 0.05. B: q1 0.02 (date 2 has no finite return); q2 0.06, 0.00
    expect(r.meanOverDates[0][0]).toBeCloseTo(0, 15);
    expect(r.meanOverDates[0][1]).toBeCloseTo(0.04, 15);
    expect(r.meanOverDates[1][0]).toBeCloseTo(0.02, 15);
    expect(r.meanOverDates[1][1]).toBeCloseTo(0.03, 15);
    expect(r.dates).toEqual([
      [2, 2],
      [1, 2],
    ]);
    expect(r.stdError[0][0]).toBeCloseTo(0.01, 15); // std(0.01, -0.01) = 0.01414, / √2
    expect(r.stdError[1][0]).toBeNaN();
    // group means: date 1 A 0.02, B 0.04; date 2 A 0.02, B 0.00
    // demeaned q1: (-0.01 - 0.02) / 2 = -0.015 and -0.03; q2: (0.01 + 0.02) / 2 = 0.015 and (0.03 + 0) / 2
    expect(Array.from(r.groupDemeaned.perDate[0])).toEqual([expect.closeTo(-0.015, 15), expect.closeTo(-0.03, 15)]);
    expect(Array.from(r.groupDemeaned.perDate[1])).toEqual([expect.closeTo(0.015, 15), expect.closeTo(0.015, 15)]);
    expect(r.groupDemeaned.meanOverDates[0]).toBeCloseTo(-0.0225, 15);
    expect(r.groupDemeaned.meanOverDates[1]).toBeCloseTo(0.015, 15);
  });

  it('leaves out unlabelled assets and assets without a group', () => {
    const g = { names: ['A', 'B'], codes: Int32Array.from([0, -1, 1, 1, 0, 0, 1, 1]) };
    const r = quantileByGroup(labels([1, 2, 0, 2, 2, 1, 1, 2]), fwd, g);
    // date 1: A q2 has only b, which has no group; B q1 has only c, unlabelled
    expect(r.meanOverDates[0][1]).toBeCloseTo(0.05, 15);
    expect(r.dates[0][1]).toBe(1);
    expect(r.dates[1][0]).toBe(0);
    expect(r.meanOverDates[1][0]).toBeNaN();
  });

  it('refuses grids that do not match', () => {
    expect(() => quantileByGroup(labels([1, 2, 1, 2]), fwd, groups)).toThrow(/labels hold 4 cells/);
    expect(() =>
      quantileByGroup(labels([1, 2, 1, 2, 2, 1, 1, 2]), new Panel(Int32Array.from([1]), assets, new Float64Array(4)), groups),
    ).toThrow(/forward returns are 1 x 4/);
  });

  it('property: adding c to every return adds c to each group mean and leaves the group-demeaned means', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 12, maxLength: 12 }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (r, l, g, c) => {
          const d3 = Int32Array.from([1, 2, 3]),
            a4 = ['a', 'b', 'c', 'd'];
          const lab: QuantileLabels = {
            dates: d3,
            assets: a4,
            quantiles: 3,
            labels: Int32Array.from(l),
            unlabeled: 0,
            singleValueSections: 0,
          };
          const codes = { names: ['X', 'Y'], codes: Int32Array.from(g) };
          const base = quantileByGroup(lab, new Panel(d3, a4, Float64Array.from(r)), codes);
          const shifted = quantileByGroup(
            lab,
            new Panel(
              d3,
              a4,
              Float64Array.from(r, (v) => v + c),
            ),
            codes,
          );
          base.meanOverDates.forEach((row, gi) =>
            row.forEach((v, q) => {
              if (Number.isNaN(v)) expect(shifted.meanOverDates[gi][q]).toBeNaN();
              else expect(shifted.meanOverDates[gi][q]).toBeCloseTo(v + c, 9);
            }),
          );
          base.groupDemeaned.meanOverDates.forEach((v, q) => {
            if (Number.isNaN(v)) expect(shifted.groupDemeaned.meanOverDates[q]).toBeNaN();
            else expect(shifted.groupDemeaned.meanOverDates[q]).toBeCloseTo(v, 9);
          });
        },
      ),
    );
  });
});

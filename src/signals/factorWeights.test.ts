import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../../test/propertyScale.js';
import { Panel } from '../core/panel.js';
import { factorReturns, factorWeights } from './factorWeights.js';
import { resolveGroups } from './groups.js';
import { factorWeightedReturns } from './quantiles.js';

const n = NaN;
const panelOf = (rows: number[][], assets: string[]): Panel =>
  new Panel(
    Int32Array.from(rows, (_, t) => 10957 + t),
    assets,
    Float64Array.from(rows.flat()),
  );

/** The weights at the cells with a factor value, in date-major order (alphalens' stacked index). */
function stacked(factor: Panel, w: Panel): number[] {
  const out: number[] = [];
  for (let i = 0; i < factor.values.length; i++) if (!Number.isNaN(factor.values[i])) out.push(w.values[i]);
  return out;
}

function near(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) expect(g, `cell ${i}`).toBeNaN();
    else expect(Math.abs(g - want[i]), `cell ${i}: ${g} vs ${want[i]}`).toBeLessThan(1e-12);
  });
}

// alphalens tests/test_performance.py, test_factor_weights: the published rows (factor rows by
// date over assets A..E, groups A, C, E in Group1 and B, D in Group2; demeaned, group_adjust,
// equal_weight; the expected weights at the stacked cells).
describe('factorWeights: alphalens test_factor_weights', () => {
  const assets = ['A', 'B', 'C', 'D', 'E'];
  const groupOf = { A: 'Group1', B: 'Group2', C: 'Group1', D: 'Group2', E: 'Group1' };
  const cases: [number[][], boolean, boolean, boolean, number[]][] = [
    [
      [
        [3, 4, 2, 1, n],
        [3, 4, -2, -1, n],
        [3, n, n, 1, 4],
      ],
      false,
      false,
      false,
      [0.3, 0.4, 0.2, 0.1, 0.3, 0.4, -0.2, -0.1, 0.375, 0.125, 0.5],
    ],
    [
      [
        [3, 4, 2, 1, n],
        [3, 4, -2, -1, n],
        [3, n, n, 1, 4],
      ],
      true,
      false,
      false,
      [0.125, 0.375, -0.125, -0.375, 0.2, 0.3, -0.3, -0.2, 0.1, -0.5, 0.4],
    ],
    [
      [
        [3, 4, 2, 1, n],
        [-3, 4, -2, 1, n],
        [2, 2, 2, 3, 1],
      ],
      false,
      true,
      false,
      [0.3, 0.4, 0.2, 0.1, -0.3, 0.4, -0.2, 0.1, 0.2, 0.2, 0.2, 0.3, 0.1],
    ],
    [
      [
        [3, 4, 2, 1, n],
        [3, 4, -2, -1, n],
        [3, n, n, 1, 4],
      ],
      true,
      true,
      false,
      [0.25, 0.25, -0.25, -0.25, 0.25, 0.25, -0.25, -0.25, -0.5, n, 0.5],
    ],
    [
      [
        [3, 4, 2, 1, 5],
        [3, 4, -2, -1, 5],
        [3, n, n, 1, n],
      ],
      false,
      false,
      true,
      [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, -0.2, -0.2, 0.2, 0.5, 0.5],
    ],
    [
      [
        [1, 4, 2, 3, n],
        [1, 4, -2, -3, n],
        [3, n, n, 2, 7],
      ],
      true,
      false,
      true,
      [-0.25, 0.25, -0.25, 0.25, 0.25, 0.25, -0.25, -0.25, 0, -0.5, 0.5],
    ],
    [
      [
        [3, 4, 2, 1, n],
        [-3, 4, -2, 1, n],
        [3, n, n, 1, 4],
        [3, n, n, -1, 4],
        [3, n, n, 1, -4],
      ],
      false,
      true,
      true,
      [0.25, 0.25, 0.25, 0.25, -0.25, 0.25, -0.25, 0.25, 0.25, 0.5, 0.25, 0.25, -0.5, 0.25, 0.25, 0.5, -0.25],
    ],
    [
      [
        [1, 4, 2, 3, n],
        [3, 4, -2, -1, n],
        [3, n, n, 2, 7],
        [3, n, n, 2, -7],
      ],
      true,
      true,
      true,
      [-0.25, 0.25, 0.25, -0.25, 0.25, 0.25, -0.25, -0.25, -0.5, n, 0.5, 0.5, n, -0.5],
    ],
  ];
  cases.forEach(([rows, demeaned, groupAdjust, equalWeight, want], k) => {
    it(`row ${k}: demeaned ${demeaned}, group_adjust ${groupAdjust}, equal_weight ${equalWeight}`, () => {
      const f = panelOf(rows, assets);
      const groups = resolveGroups(groupOf, f.dates, assets);
      near(stacked(f, factorWeights(f, { demeaned, groupAdjust, equalWeight, groups })), want);
    });
  });
});

// alphalens tests/test_performance.py, test_factor_returns: two dates, A B C D (groups 1 1 2 2),
// demeaned, with and without group_adjust; the 1D return per date.
describe('factorReturns: alphalens test_factor_returns', () => {
  const assets = ['A', 'B', 'C', 'D'];
  const cases: [number[], number[], boolean, number[]][] = [
    [[1, 2, 3, 4, 4, 3, 2, 1], [4, 3, 2, 1, 1, 2, 3, 4], false, [-1.25, -1.25]],
    [[1, 1, 1, 1, 1, 1, 1, 1], [4, 3, 2, 1, 1, 2, 3, 4], false, [n, n]],
    [[1, 2, 3, 4, 4, 3, 2, 1], [4, 3, 2, 1, 1, 2, 3, 4], true, [-0.5, -0.5]],
    [[1, 2, 3, 4, 1, 2, 3, 4], [1, 4, 1, 2, 1, 2, 2, 1], true, [1, 0]],
    [[1, 1, 1, 1, 1, 1, 1, 1], [4, 3, 2, 1, 1, 2, 3, 4], true, [n, n]],
  ];
  cases.forEach(([fv, rv, groupAdjust, want], k) => {
    it(`row ${k}: group_adjust ${groupAdjust}`, () => {
      const f = panelOf([fv.slice(0, 4), fv.slice(4)], assets);
      const r = panelOf([rv.slice(0, 4), rv.slice(4)], assets);
      const groups = resolveGroups({ A: '1', B: '1', C: '2', D: '2' }, f.dates, assets);
      near(Array.from(factorReturns(f, r, { groupAdjust, groups })), want);
    });
  });
});

describe('factorWeights: invariants', () => {
  // values on a 0.001 grid (ties and zeros included), no subnormal noise
  const cell = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: -5000, max: 5000 }).map((x) => x / 1000) },
    { weight: 1, arbitrary: fc.constant(NaN) },
  );
  const market = fc.integer({ min: 2, max: 9 }).chain((m) =>
    fc.record({
      f: fc.array(fc.array(cell, { minLength: m, maxLength: m }), { minLength: 1, maxLength: 6 }),
      r: fc.array(fc.array(cell, { minLength: m, maxLength: m }), { minLength: 6, maxLength: 6 }),
      g: fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: m, maxLength: m }),
    }),
  );

  it('property: the defaults are factorWeightedReturns (dates with two assets or more); every date nets 0 and grosses 1', () => {
    fc.assert(
      fc.property(market, ({ f, r }) => {
        const m = f[0].length;
        const assets = Array.from({ length: m }, (_, j) => `A${j}`);
        const fp = panelOf(f, assets),
          rp = panelOf(r.slice(0, f.length), assets);
        const ours = factorReturns(fp, rp),
          plain = factorWeightedReturns(fp, rp);
        const w = factorWeights(fp, { mask: rp });
        for (let t = 0; t < f.length; t++) {
          if (!Number.isNaN(plain[t])) expect(Math.abs(ours[t] - plain[t])).toBeLessThan(1e-12);
          const row = Array.from(w.values.subarray(t * m, (t + 1) * m)).filter((x) => !Number.isNaN(x));
          if (row.length > 0) {
            expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
            expect(Math.abs(row.reduce((a, b) => a + Math.abs(b), 0) - 1)).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('property: with groupAdjust every group nets 0 and the date grosses 1; scaling the factor changes nothing', () => {
    fc.assert(
      fc.property(market, fc.double({ min: 0.1, max: 100, noNaN: true }), ({ f, g }, k) => {
        const m = f[0].length;
        const assets = Array.from({ length: m }, (_, j) => `A${j}`);
        const fp = panelOf(f, assets);
        const groups = resolveGroups(Object.fromEntries(assets.map((a, j) => [a, g[j]])), fp.dates, assets);
        const w = factorWeights(fp, { groupAdjust: true, groups });
        const scaled = factorWeights(
          panelOf(
            f.map((row) => row.map((x) => x * k)),
            assets,
          ),
          { groupAdjust: true, groups },
        );
        for (let i = 0; i < w.values.length; i++)
          if (Number.isNaN(w.values[i])) expect(scaled.values[i]).toBeNaN();
          else expect(Math.abs(scaled.values[i] - w.values[i])).toBeLessThan(1e-12);
        for (let t = 0; t < f.length; t++) {
          const row = Array.from(w.values.subarray(t * m, (t + 1) * m));
          const live = row.filter((x) => !Number.isNaN(x));
          if (live.length > 0) expect(Math.abs(live.reduce((a, b) => a + Math.abs(b), 0) - 1)).toBeLessThan(1e-12);
          for (const label of ['x', 'y', 'z']) {
            const inG = row.filter((x, j) => g[j] === label && !Number.isNaN(x));
            if (inG.length > 0) expect(Math.abs(inG.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

/**
 * Degenerate QPs: duplicated and parallel rows, a bound given twice (as a one-entry row and as a
 * dense row), zero-variance assets (P singular, x not unique), an exposure band collapsed to an
 * equality, dependent equalities (groups pinned beside the budget), and vertices with more active
 * rows than free variables (a budget with every cap binding). On each, in the factor and the dense
 * linear system: status 'solved', the polish applied, KKT residuals ≤ 1e-9 (stationarity relative
 * to the size of the gradient's terms), and the objective equal to HiGHS's active-set QP.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHighs } from '../../io/highs.js';
import type { HighsRuntime } from '../highs.js';
import { solveQpWithHighs } from '../highs.js';
import { ConstraintMatrix } from './constraints.js';
import { kktResiduals } from './kkt.js';
import type { QpResult } from './osqp.js';
import { solveQp } from './osqp.js';
import type { ConstraintRow, FactorHessian, QpProblem } from './problem.js';
import { hessianTimes, infNorm } from './problem.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case {
  name: string;
  problem: QpProblem;
}

/** A factor-form objective of daily-variance size: P = diag(d) + LLᵀ, q ~ 1e-4. */
function objective(seed: number, n: number): { rnd: () => number; hessian: FactorHessian; q: Float64Array } {
  const rnd = lcg(seed);
  const loadings = new Float64Array(n * 2).map(() => (rnd() - 0.5) * 0.02);
  const diagonal = new Float64Array(n).map(() => 1e-4 * (1 + rnd()));
  const q = new Float64Array(n).map(() => (rnd() - 0.5) * 1e-4);
  return { rnd, hessian: { kind: 'factor', n, diagonal, rank: 2, loadings }, q };
}

function make(
  name: string,
  seed: number,
  n: number,
  build: (o: ReturnType<typeof objective>, add: (row: ConstraintRow, l: number, u: number) => void) => void,
): Case {
  const o = objective(seed, n);
  const rows: ConstraintRow[] = [],
    lo: number[] = [],
    hi: number[] = [];
  build(o, (row, l, u) => {
    rows.push(row);
    lo.push(l);
    hi.push(u);
  });
  return { name, problem: { hessian: o.hessian, q: o.q, rows, lower: Float64Array.from(lo), upper: Float64Array.from(hi) } };
}

const ones = (n: number): Float64Array => new Float64Array(n).fill(1);
const unit = (n: number, j: number): Float64Array => {
  const e = new Float64Array(n);
  e[j] = 1;
  return e;
};
const groupRow = (n: number, from: number, to: number): Float64Array => {
  const a = new Float64Array(n);
  for (let j = from; j < to; j++) a[j] = 1;
  return a;
};
const zeroVariance = (h: FactorHessian, j: number): void => {
  h.diagonal[j] = 0;
  for (let c = 0; c < h.rank; c++) h.loadings[j * h.rank + c] = 0;
};

const family: Case[] = [
  make('the budget given twice', 1, 20, (o, add) => {
    add({ dense: ones(20) }, 1, 1);
    add({ dense: ones(20) }, 1, 1);
    for (let j = 0; j < 20; j++) add({ index: [j], values: [1] }, 0, 0.1);
  }),
  make('every cap given twice, and binding', 2, 20, (o, add) => {
    add({ dense: ones(20) }, 1, 1);
    for (let j = 0; j < 20; j++) {
      add({ index: [j], values: [1] }, 0, 0.06);
      add({ index: [j], values: [1] }, 0, 0.06);
    }
  }),
  make('parallel rows a and 2a with the same band, collapsed to an equality', 3, 20, (o, add) => {
    add({ dense: ones(20) }, 1, 1);
    const a = new Float64Array(20).map((_, j) => (j % 3) - 1);
    add({ dense: a }, 0.05, 0.05);
    add({ dense: a.map((v) => 2 * v) }, 0.1, 0.1);
    for (let j = 0; j < 20; j++) add({ index: [j], values: [1] }, 0, 0.2);
  }),
  make('each cap as a one-entry row and as a dense row', 4, 15, (o, add) => {
    add({ dense: ones(15) }, 1, 1);
    for (let j = 0; j < 15; j++) {
      add({ index: [j], values: [1] }, 0, 0.08);
      add({ dense: unit(15, j) }, 0, 0.08);
    }
  }),
  make('five zero-variance assets (cash-like: P singular)', 5, 20, (o, add) => {
    for (let j = 0; j < 5; j++) {
      zeroVariance(o.hessian, j);
      o.q[j] = 0;
    }
    add({ dense: ones(20) }, 1, 1);
    for (let j = 0; j < 20; j++) add({ index: [j], values: [1] }, 0, 0.5);
  }),
  make('four tied zero-variance assets with the same alpha (x not unique)', 6, 12, (o, add) => {
    for (let j = 0; j < 4; j++) {
      zeroVariance(o.hessian, j);
      o.q[j] = -1e-4;
    }
    add({ dense: ones(12) }, 1, 1);
    for (let j = 0; j < 12; j++) add({ index: [j], values: [1] }, 0, 0.3);
  }),
  make('an exposure band collapsed to an equality', 7, 25, (o, add) => {
    add({ dense: ones(25) }, 1, 1);
    const a = new Float64Array(25).map(() => o.rnd() - 0.5);
    const c = a.reduce((s, v) => s + v, 0) / 25;
    add({ dense: a }, c, c);
    add({ dense: a.map((v) => v * v) }, 0, 0.1);
    for (let j = 0; j < 25; j++) add({ index: [j], values: [1] }, 0, 0.1);
  }),
  make('a vertex: the budget with every cap binding (11 active rows, 10 variables)', 8, 10, (o, add) => {
    add({ dense: ones(10) }, 1, 1);
    for (let j = 0; j < 10; j++) add({ index: [j], values: [1] }, 0, 0.1);
  }),
  make('three groups pinned beside the budget (dependent equalities)', 9, 12, (o, add) => {
    add({ dense: ones(12) }, 1, 1);
    for (let g = 0; g < 3; g++) add({ dense: groupRow(12, 4 * g, 4 * g + 4) }, 1 / 3, 1 / 3);
    for (let j = 0; j < 12; j++) add({ index: [j], values: [1] }, 0, 0.25);
  }),
  make('more active rows than free variables: groups pinned and their caps binding', 10, 12, (o, add) => {
    add({ dense: ones(12) }, 1, 1);
    for (let g = 0; g < 3; g++) add({ dense: groupRow(12, 4 * g, 4 * g + 4) }, g === 0 ? 0.4 : 0.3, g === 0 ? 0.4 : 0.3);
    for (let j = 0; j < 12; j++) add({ index: [j], values: [1] }, 0, 0.1);
  }),
  make('a weakly active cap (at its bound with a zero multiplier)', 11, 3, (o, add) => {
    o.hessian.diagonal.set([1e-4, 1e-4, 1e-4]);
    o.hessian.loadings.fill(0);
    o.q.fill(0);
    add({ dense: ones(3) }, 1, 1);
    add({ index: [0], values: [1] }, 0, 1 / 3);
    add({ index: [1], values: [1] }, 0, 1);
    add({ index: [2], values: [1] }, 0, 1);
  }),
  make('P = 0 (an LP on the simplex with caps: a vertex, ties broken by q)', 12, 8, (o, add) => {
    o.hessian.diagonal.fill(0);
    o.hessian.loadings.fill(0);
    add({ dense: ones(8) }, 1, 1);
    for (let j = 0; j < 8; j++) add({ index: [j], values: [1] }, 0, 0.3);
  }),
];

/** KKT ≤ 1e-9: primal and complementarity absolute (weights are of order one), stationarity
 * relative to the largest of ‖Px‖∞, ‖q‖∞, ‖Aᵀy‖∞ (daily variances make the gradient ~1e-5). */
function expectKkt(p: QpProblem, r: QpResult): void {
  const a = new ConstraintMatrix(p.rows, p.hessian.n);
  const k = kktResiduals(p.hessian, p.q, a, p.lower, p.upper, r.x, r.y);
  const size = Math.max(
    infNorm(hessianTimes(p.hessian, r.x, new Float64Array(p.hessian.n))),
    infNorm(p.q),
    infNorm(a.transposeTimes(r.y, new Float64Array(p.hessian.n))),
    1e-300,
  );
  expect(k.primal).toBeLessThanOrEqual(1e-9);
  expect(k.stationarity / size).toBeLessThanOrEqual(1e-9);
  expect(k.complementarity).toBeLessThanOrEqual(1e-9);
  expect(r.kkt).toEqual(k); // the residuals the result reports are these
}

describe('QP engine: degenerate problems', () => {
  let highs: HighsRuntime;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  for (const { name, problem } of family) {
    it(`${name}: solved and polished, KKT ≤ 1e-9, HiGHS's objective`, () => {
      const h = solveQpWithHighs(highs, problem);
      expect(h.status).toBe('optimal');
      for (const dense of [false, true]) {
        const r = solveQp(problem, { dense });
        expect(r.status).toBe('solved');
        expect(r.polish.status).toBe('applied');
        expectKkt(problem, r);
        expect(Math.abs(r.objective - h.objective)).toBeLessThanOrEqual(1e-8 * Math.max(Math.abs(h.objective), 1e-6));
        // Ours is KKT-exact: never worse than HiGHS beyond rounding.
        expect(r.objective).toBeLessThanOrEqual(h.objective + 1e-15);
      }
    });
  }

  it('at a vertex the multipliers are not unique and come from the projection onto the valid set', () => {
    const vertex = family.find((c) => c.name.startsWith('a vertex'))!;
    const r = solveQp(vertex.problem);
    expect(r.polish.multipliers).toBe('projected');
    // Every cap binds: x = 0.1 each; the multipliers push up on the caps (y ≥ 0 there).
    for (let j = 0; j < 10; j++) {
      expect(r.x[j]).toBeCloseTo(0.1, 14);
      expect(r.y[1 + j]).toBeGreaterThanOrEqual(0);
    }
  });

  it('property: random vertices (every cap at 1/n with a budget, the budget and group rows duplicated at random) are solved KKT-exact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 3, max: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        (seed, n, twice, groups) => {
          const c = make('random vertex', seed, n, (o, add) => {
            add({ dense: ones(n) }, 1, 1);
            if (twice) add({ dense: ones(n) }, 1, 1);
            // Group g holds names g, g + groups, ...: pinned to its share of the equal weights.
            for (let g = 0; g < groups; g++) {
              const a = new Float64Array(n);
              let count = 0;
              for (let j = g; j < n; j += groups) {
                a[j] = 1;
                count++;
              }
              add({ dense: a }, count / n, count / n);
            }
            for (let j = 0; j < n; j++) add({ index: [j], values: [1] }, 0, 1 / n);
          });
          const r = solveQp(c.problem);
          expect(r.status).toBe('solved');
          expectKkt(c.problem, r);
          for (let j = 0; j < n; j++) expect(Math.abs(r.x[j] - 1 / n)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/**
 * HiGHS as the QP cross-check: `highsQpModel` (factor form with scaled auxiliary rows, scaled
 * cost) lets HiGHS's active-set QP solve the portfolio problems that the plain formulation never
 * finished, and both engines then agree on the objective to rounding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProblem } from './build.js';
import type { HighsRuntime } from './highs.js';
import { loadHighs } from '../io/highs.js';
import { highsQpModel, solveQpWithHighs } from './highs.js';
import { solveQp } from './qp/osqp.js';
import type { QpProblem } from './qp/problem.js';
import type { OptimizeSpec } from './spec.js';
import { randomCase } from './testing/randomModel.js';
import { InputError } from '../core/errors.js';

function benchSpec(n: number, seed: number, turnover?: number): OptimizeSpec {
  const { model, benchmark, sectors } = randomCase(n, 10, seed);
  const spec: OptimizeSpec = {
    riskModel: model,
    benchmark,
    constraints: {
      maxWeight: 0.05,
      exposures: model.factors.map((factor) => ({ factor, min: -0.1, max: 0.1, relative: 'active' as const })),
      groups: {
        labels: sectors,
        bands: [...new Set(sectors)].map((group) => ({ group, min: -0.02, max: 0.02, relative: 'active' as const })),
      },
    },
  };
  if (turnover !== undefined) return { ...spec, current: new Float64Array(n).fill(1 / n), constraints: { ...spec.constraints, turnover } };
  return spec;
}

describe('HiGHS QP formulation', () => {
  let highs: HighsRuntime;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  it('is the factor form: n + r columns, a diagonal Hessian, bounds as column bounds, unit-norm auxiliary rows, cost scaled to a unit mean diagonal', () => {
    const p = buildProblem(benchSpec(40, 3)).problem;
    const m = highsQpModel(p);
    const h = p.hessian;
    if (h.kind !== 'factor') throw new Error('expected the factor form');
    expect(m.data.numCols).toBe(40 + h.rank);
    const hs = m.data.hessian!;
    // Diagonal: one entry per column, on the diagonal.
    expect(hs.indices.length).toBeLessThanOrEqual(40 + h.rank);
    for (let j = 0; j < 40 + h.rank; j++) for (let q = hs.starts[j]; q < hs.starts[j + 1]; q++) expect(hs.indices[q]).toBe(j);
    // 40 bounds became column bounds: rows are budget + 10 exposures + 10 groups + r auxiliary.
    expect(m.data.numRows).toBe(1 + 10 + 10 + h.rank);
    for (let j = 0; j < 40; j++) {
      expect(m.data.colLower![j]).toBe(0);
      expect(m.data.colUpper![j]).toBe(0.05);
    }
    // Auxiliary rows: ∞-norm one over the weights, −1 on their own column.
    const st = m.data.matrix.starts,
      ix = m.data.matrix.indices,
      vs = m.data.matrix.values;
    for (let c = 0; c < h.rank; c++) {
      const row = m.data.numRows - h.rank + c;
      let mx = 0;
      for (let q = st[row]; q < st[row + 1]; q++)
        if (ix[q] < 40) mx = Math.max(mx, Math.abs(vs[q]));
        else {
          expect(ix[q]).toBe(40 + c);
          expect(vs[q]).toBe(-1);
        }
      expect(mx).toBeCloseTo(1, 14);
    }
    // Mean diagonal of the scaled P is one: Σ_j (d_j + Σ_c L_jc²)·scale / n.
    let md = 0;
    for (let j = 0; j < 40; j++) {
      let s = h.diagonal[j];
      for (let c = 0; c < h.rank; c++) s += h.loadings[j * h.rank + c] ** 2;
      md += s;
    }
    expect((md / 40) * m.scale).toBeCloseTo(1, 12);
  });

  it('the same objective as the OSQP engine (relative 1e-10) and weights to HiGHS tolerance: 150 assets, TE + exposure and sector bands', () => {
    const p = buildProblem(benchSpec(150, 5)).problem;
    const ours = solveQp(p);
    const hi = solveQpWithHighs(highs, p, { time_limit: 60 });
    expect(ours.status).toBe('solved');
    expect(hi.status).toBe('optimal');
    // Ours is KKT-exact, so HiGHS can only be as good or (to its tolerance) worse.
    expect(hi.objective - ours.objective).toBeGreaterThanOrEqual(-1e-12 * Math.abs(ours.objective));
    expect(Math.abs(hi.objective - ours.objective)).toBeLessThan(1e-10 * Math.abs(ours.objective));
    for (let j = 0; j < 150; j++) expect(Math.abs(hi.x[j] - ours.x[j])).toBeLessThan(1e-6);
  });

  it('the same objective with a 30% L1 turnover cap (the lift t ≥ |w − w0|), which the unscaled formulation reported as a solve error', () => {
    const p = buildProblem(benchSpec(100, 1, 0.3)).problem;
    const ours = solveQp(p);
    const hi = solveQpWithHighs(highs, p, { time_limit: 60 });
    expect(hi.status).toBe('optimal');
    expect(Math.abs(hi.objective - ours.objective)).toBeLessThan(1e-10 * Math.abs(ours.objective));
  });

  it('a dense Hessian goes in as its lower triangle (3 × 3 closed form: minimum variance with a budget)', () => {
    // Σ = diag(1, 2, 4)·1e-4: w ∝ [1, 1/2, 1/4] = [4/7, 2/7, 1/7], variance 1e-4·4/7.
    const p: QpProblem = {
      hessian: { kind: 'dense', n: 3, matrix: new Float64Array([1e-4, 0, 0, 0, 2e-4, 0, 0, 0, 4e-4]) },
      q: new Float64Array(3),
      rows: [{ dense: new Float64Array([1, 1, 1]) }],
      lower: new Float64Array([1]),
      upper: new Float64Array([1]),
    };
    const hi = solveQpWithHighs(highs, p);
    expect(hi.status).toBe('optimal');
    expect(hi.x[0]).toBeCloseTo(4 / 7, 7);
    expect(hi.objective).toBeCloseTo(0.5 * 1e-4 * (4 / 7), 12);
  });
});

describe('HiGHS QP: the problem is checked as solveQp checks it (one definition, qp/problem.ts checkQpProblem)', () => {
  let highs: HighsRuntime;
  beforeAll(async () => {
    highs = await loadHighs();
  });
  /** min ½‖x‖² − x₀ subject to x₀ + x₁ = 1 and 0 <= x₁ <= 1 (a sparse bound row). */
  const ok: QpProblem = {
    hessian: { kind: 'dense', n: 2, matrix: Float64Array.from([1, 0, 0, 1]) },
    q: Float64Array.from([-1, 0]),
    rows: [{ dense: Float64Array.from([1, 1]) }, { index: [1], values: [1] }],
    lower: Float64Array.from([1, 0]),
    upper: Float64Array.from([1, 1]),
  };
  const factor: QpProblem = {
    ...ok,
    hessian: { kind: 'factor', n: 2, diagonal: Float64Array.from([1, 1]), rank: 1, loadings: Float64Array.from([0.1, 0.2]) },
  };
  const cases: [string, QpProblem, string][] = [
    ['q of the wrong length', { ...ok, q: Float64Array.from([1]) }, 'QP q has 1 values, expected 2 (one value per variable)'],
    [
      'lower of the wrong length',
      { ...ok, lower: Float64Array.from([1]) },
      'QP dimensions do not match: 2 constraint rows but lower has 1 and upper 2 values',
    ],
    ['crossed bounds', { ...ok, lower: Float64Array.from([2, 0]) }, 'QP row 0: lower bound 2 above upper bound 1'],
    [
      'crossed bounds on a bound row',
      { ...ok, lower: Float64Array.from([1, 0.5]), upper: Float64Array.from([1, 0.2]) },
      'QP row 1: lower bound 0.5 above upper bound 0.2',
    ],
    ['a NaN bound', { ...ok, upper: Float64Array.from([1, NaN]) }, 'QP row 1: lower bound 0, upper bound NaN: each must be a number'],
    [
      'a lower bound of +∞',
      { ...ok, lower: Float64Array.from([1, Infinity]), upper: Float64Array.from([1, Infinity]) },
      'QP row 1: lower bound Infinity, upper bound Infinity: no value satisfies the row',
    ],
    ['a NaN in q', { ...ok, q: Float64Array.from([NaN, 0]) }, 'QP q[0] is NaN, expected a finite number'],
    [
      'an ∞ in the dense Hessian',
      { ...ok, hessian: { kind: 'dense', n: 2, matrix: Float64Array.from([1, 0, 0, Infinity]) } },
      'QP hessian.matrix[3] is Infinity, expected a finite number',
    ],
    [
      'a dense Hessian of the wrong size',
      { ...ok, hessian: { kind: 'dense', n: 2, matrix: Float64Array.from([1, 0, 1]) } },
      'QP hessian.matrix has 3 values, expected 4 (n × n = 2 × 2, row-major)',
    ],
    [
      'an asymmetric dense Hessian',
      { ...ok, hessian: { kind: 'dense', n: 2, matrix: Float64Array.from([1, 0.5, 0, 1]) } },
      'QP hessian.matrix is not symmetric: entry (1, 0) is 0 and (0, 1) is 0.5',
    ],
    [
      'a factor diagonal of the wrong length',
      { ...factor, hessian: { ...factor.hessian, diagonal: Float64Array.from([1]) } as QpProblem['hessian'] },
      'QP hessian.diagonal has 1 values, expected 2 (one value per variable)',
    ],
    [
      'a negative factor diagonal',
      { ...factor, hessian: { ...factor.hessian, diagonal: Float64Array.from([1, -1]) } as QpProblem['hessian'] },
      'QP hessian.diagonal[1] is -1: P = diag(d) + L·Lᵀ must be positive semi-definite (d >= 0)',
    ],
    [
      'factor loadings of the wrong size',
      { ...factor, hessian: { ...factor.hessian, loadings: Float64Array.from([0.1, 0.2, 0.3]) } as QpProblem['hessian'] },
      'QP hessian.loadings has 3 values, expected 2 (n × rank = 2 × 1, row-major)',
    ],
    [
      'a NaN loading',
      { ...factor, hessian: { ...factor.hessian, loadings: Float64Array.from([0.1, NaN]) } as QpProblem['hessian'] },
      'QP hessian.loadings[1] is NaN, expected a finite number',
    ],
    [
      'a dense row of the wrong length',
      { ...ok, rows: [{ dense: Float64Array.from([1, 1, 1]) }, ok.rows[1]] },
      'QP rows[0].dense has 3 values, expected 2 (one coefficient per variable)',
    ],
    [
      'a NaN coefficient',
      { ...ok, rows: [{ dense: Float64Array.from([1, NaN]) }, ok.rows[1]] },
      'QP rows[0].dense[1] is NaN, expected a finite number',
    ],
    [
      'a sparse row naming a variable past the end',
      { ...ok, rows: [ok.rows[0], { index: [2], values: [1] }] },
      'QP rows[1].index[0] is 2, expected a variable index in 0..1',
    ],
    [
      'a sparse row with fewer values than indices',
      { ...ok, rows: [ok.rows[0], { index: [0, 1], values: [1] }] },
      'QP rows[1].values has 1 values, expected 2 (one coefficient per index)',
    ],
    [
      'a fractional n',
      { ...ok, hessian: { kind: 'dense', n: 1.5, matrix: Float64Array.from([1]) } },
      'QP hessian.n must be a whole number of variables >= 0, got 1.5',
    ],
  ];
  for (const [what, p, message] of cases)
    it(`${what}: the same InputError from highsQpModel, solveQpWithHighs and solveQp`, () => {
      for (const f of [() => highsQpModel(p), () => solveQpWithHighs(highs, p), () => solveQp(p)]) {
        let caught: unknown;
        try {
          f();
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(InputError);
        expect((caught as InputError).message).toContain(message);
      }
    });

  it('a valid problem in either form, ±∞ on one side of a row, still solves in both engines', () => {
    for (const p of [ok, factor, { ...ok, upper: Float64Array.from([1, Infinity]) }]) {
      const hi = solveQpWithHighs(highs, p);
      const os = solveQp(p, { epsAbs: 1e-9, epsRel: 1e-9 });
      expect(hi.status).toBe('optimal');
      expect(os.status).toBe('solved');
      expect(hi.objective).toBeCloseTo(os.objective, 7);
    }
  });
});

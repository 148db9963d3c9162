/**
 * The QP engine against closed forms, scipy (SLSQP / trust-constr through /usr/bin/python3) and
 * HiGHS's active-set QP; KKT conditions checked on every returned solution; factor form = dense
 * form; infeasibility and unboundedness certificates.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { itPython, runPython } from '../../../test/unit/portfolio/python.js';
import type { HighsRuntime } from '../highs.js';
import { loadHighs } from '../../io/highs.js';
import { ConstraintMatrix } from './constraints.js';
import { kktResiduals } from './kkt.js';
import type { QpResult } from './osqp.js';
import { solveQp } from './osqp.js';
import type { ConstraintRow, QpProblem } from './problem.js';
import { denseHessian } from './problem.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function expectKkt(p: QpProblem, r: QpResult, tol = 1e-9): void {
  expect(r.status).toBe('solved');
  const k = kktResiduals(p.hessian, p.q, new ConstraintMatrix(p.rows, p.hessian.n), p.lower, p.upper, r.x, r.y);
  expect(k.primal).toBeLessThanOrEqual(tol);
  expect(k.stationarity).toBeLessThanOrEqual(tol);
  expect(k.complementarity).toBeLessThanOrEqual(tol);
}

/** A random feasible QP: P = GGᵀ + diag (PSD), a budget row, bounds, a few dense rows. */
function randomQp(seed: number, n: number, factorForm: boolean): QpProblem {
  const rnd = lcg(seed);
  const r = 2;
  const loadings = new Float64Array(n * r).map(() => rnd() - 0.5);
  const diagonal = new Float64Array(n).map(() => 0.05 + rnd() * 0.2);
  const q = new Float64Array(n).map(() => (rnd() - 0.5) * 0.4);
  const rows: ConstraintRow[] = [{ dense: new Float64Array(n).fill(1) }];
  const lower = [1],
    upper = [1];
  for (let j = 0; j < n; j++) {
    rows.push({ index: [j], values: [1] });
    lower.push(0);
    upper.push(0.2 + 0.5 * rnd());
  }
  for (let d = 0; d < 2; d++) {
    const row = new Float64Array(n).map(() => rnd() - 0.5);
    const center = row.reduce((s, v) => s + v, 0) / n; // the equal-weight portfolio is feasible
    rows.push({ dense: row });
    lower.push(center - 0.05);
    upper.push(center + 0.05);
  }
  const hessian = factorForm
    ? { kind: 'factor' as const, n, diagonal, rank: r, loadings }
    : { kind: 'dense' as const, n, matrix: denseHessian({ kind: 'factor', n, diagonal, rank: r, loadings }) };
  // Keep every upper bound ≥ 1/n so equal weight stays feasible.
  for (let j = 1; j <= n; j++) upper[j] = Math.max(upper[j], 1 / n);
  return { hessian, q, rows, lower: Float64Array.from(lower), upper: Float64Array.from(upper) };
}

function denseRows(p: QpProblem): number[][] {
  const a = new ConstraintMatrix(p.rows, p.hessian.n);
  return Array.from({ length: a.m }, (_, i) => Array.from(a.row(i)));
}

const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

describe('QP engine: closed forms', () => {
  it('minimum variance with a budget: w = Σ⁻¹1 / 1ᵀΣ⁻¹1', () => {
    // Σ = [[4,1],[1,9]] (×1e-4): Σ⁻¹1 ∝ [9−1, 4−1] = [8, 3] → w = [8/11, 3/11].
    const p: QpProblem = {
      hessian: { kind: 'dense', n: 2, matrix: new Float64Array([4e-4, 1e-4, 1e-4, 9e-4]) },
      q: new Float64Array(2),
      rows: [{ dense: new Float64Array([1, 1]) }],
      lower: new Float64Array([1]),
      upper: new Float64Array([1]),
    };
    const r = solveQp(p);
    expectKkt(p, r);
    expect(r.x[0]).toBeCloseTo(8 / 11, 12);
    expect(r.x[1]).toBeCloseTo(3 / 11, 12);
    // The budget's multiplier: y = −2·(min variance) = −2·(1/1ᵀΣ⁻¹1)·… here Pw + y·1 = 0 → y = −(Σw)_0.
    expect(r.y[0]).toBeCloseTo(-((4e-4 * 8) / 11 + (1e-4 * 3) / 11), 15);
  });

  it('minimum variance with a binding bound: the capped name sits at its bound, the rest re-solve', () => {
    // Σ = diag(1, 2, 4)·1e-4: unconstrained w ∝ [1, 1/2, 1/4] = [4/7, 2/7, 1/7]; cap w0 ≤ 0.5 →
    // w0 = 0.5, the other two split 0.5 ∝ [1/2, 1/4]: [1/3, 1/6].
    const p: QpProblem = {
      hessian: { kind: 'factor', n: 3, diagonal: new Float64Array([1e-4, 2e-4, 4e-4]), rank: 0, loadings: new Float64Array(0) },
      q: new Float64Array(3),
      rows: [{ dense: new Float64Array([1, 1, 1]) }, { index: [0], values: [1] }],
      lower: new Float64Array([1, 0]),
      upper: new Float64Array([1, 0.5]),
    };
    const r = solveQp(p);
    expectKkt(p, r);
    expect(r.x[0]).toBeCloseTo(0.5, 13);
    expect(r.x[1]).toBeCloseTo(1 / 3, 13);
    expect(r.x[2]).toBeCloseTo(1 / 6, 13);
    expect(r.y[1]).toBeGreaterThan(0); // the upper bound pushes
  });
});

describe('QP engine: against scipy and HiGHS', () => {
  let highs: HighsRuntime;
  beforeAll(async () => {
    highs = await loadHighs();
  });

  itPython('random QPs (n = 3..12): same objective as scipy SLSQP/trust-constr, same x as HiGHS, KKT ≤ 1e-9', () => {
    const problems = Array.from({ length: 12 }, (_, s) => randomQp(100 + s, 3 + s, s % 2 === 0));
    const ref = runPython<{ x: number[]; objective: number; success: boolean }[]>(
      'qp_reference.py',
      problems.map((p) => ({
        P: Array.from({ length: p.hessian.n }, (_, i) =>
          Array.from(denseHessian(p.hessian).subarray(i * p.hessian.n, (i + 1) * p.hessian.n)),
        ),
        q: Array.from(p.q),
        A: denseRows(p),
        l: Array.from(p.lower, fin),
        u: Array.from(p.upper, fin),
      })),
    );
    problems.forEach((p, s) => {
      const r = solveQp(p);
      expectKkt(p, r);
      expect(ref[s].success).toBe(true);
      // Our answer is at least as good as scipy's (to its tolerance) and the same point.
      expect(r.objective).toBeLessThanOrEqual(ref[s].objective + 1e-10);
      expect(Math.abs(r.objective - ref[s].objective)).toBeLessThan(1e-7);
      for (let j = 0; j < p.hessian.n; j++) expect(Math.abs(r.x[j] - ref[s].x[j])).toBeLessThan(1e-4);
      // HiGHS QP (active set): exact to its tolerances.
      const n = p.hessian.n,
        pd = denseHessian(p.hessian);
      const a = denseRows(p);
      const starts = [0],
        idx: number[] = [],
        val: number[] = [];
      for (let j = 0; j < n; j++) {
        for (let i = j; i < n; i++)
          if (pd[i * n + j] !== 0) {
            idx.push(i);
            val.push(pd[i * n + j]);
          }
        starts.push(idx.length);
      }
      const rs = [0],
        ri: number[] = [],
        rv: number[] = [];
      a.forEach((row) => {
        row.forEach((v, j) => {
          if (v !== 0) {
            ri.push(j);
            rv.push(v);
          }
        });
        rs.push(ri.length);
      });
      const model = highs.createModel({
        numCols: n,
        numRows: a.length,
        colCost: p.q,
        colLower: new Float64Array(n).fill(-Infinity),
        colUpper: new Float64Array(n).fill(Infinity),
        rowLower: p.lower,
        rowUpper: p.upper,
        matrix: {
          format: 'csr',
          numRows: a.length,
          numCols: n,
          starts: Int32Array.from(rs),
          indices: Int32Array.from(ri),
          values: Float64Array.from(rv),
        },
        hessian: {
          format: 'triangular',
          dimension: n,
          starts: Int32Array.from(starts),
          indices: Int32Array.from(idx),
          values: Float64Array.from(val),
        },
      });
      try {
        model.options.set({ output_flag: false });
        model.run();
        expect(model.getModelStatus()).toBe(highs.constants.modelStatus.optimal);
        const hx = model.getSolution().colValue;
        // HiGHS stops at its own 1e-7 tolerances; ours is KKT-exact, so compare objectives tightly
        // and points to HiGHS's tolerance.
        for (let j = 0; j < n; j++) expect(Math.abs(r.x[j] - hx[j])).toBeLessThan(1e-6);
        expect(r.objective).toBeLessThanOrEqual(model.getObjectiveValue() + 1e-12);
      } finally {
        model.dispose();
      }
    });
  });

  it('factor form = dense form (property: same x to 1e-9, both KKT-exact)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 25 }), (seed, n) => {
        const pf = randomQp(seed, n, true);
        const rf = solveQp(pf);
        const rd = solveQp(pf, { dense: true });
        expect(rf.linearSystem).toBe('factor');
        expect(rd.linearSystem).toBe('dense');
        expectKkt(pf, rf);
        expectKkt(pf, rd);
        for (let j = 0; j < n; j++) expect(Math.abs(rf.x[j] - rd.x[j])).toBeLessThan(1e-9);
      }),
      { numRuns: 40 },
    );
  });

  it('a warm start from the solution converges in fewer iterations to the same point', () => {
    const p = randomQp(7, 30, true);
    const cold = solveQp(p);
    const warm = solveQp(p, { x: cold.x, y: cold.y });
    expectKkt(p, warm);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    for (let j = 0; j < 30; j++) expect(Math.abs(warm.x[j] - cold.x[j])).toBeLessThan(1e-10);
  });
});

describe('QP engine: certificates', () => {
  it('primal infeasible (budget 1 with every name ≤ 30% over three names): δy separates', () => {
    const p: QpProblem = {
      hessian: { kind: 'dense', n: 3, matrix: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]) },
      q: new Float64Array(3),
      rows: [{ dense: new Float64Array([1, 1, 1]) }, { index: [0], values: [1] }, { index: [1], values: [1] }, { index: [2], values: [1] }],
      lower: new Float64Array([1, 0, 0, 0]),
      upper: new Float64Array([1, 0.3, 0.3, 0.3]),
    };
    const r = solveQp(p);
    expect(r.status).toBe('primal-infeasible');
    const dy = r.certificate!;
    const a = new ConstraintMatrix(p.rows, 3);
    const aty = a.transposeTimes(dy, new Float64Array(3));
    expect(Math.max(...Array.from(aty, Math.abs))).toBeLessThan(1e-5);
    let s = 0;
    for (let i = 0; i < 4; i++) s += dy[i] > 0 ? p.upper[i] * dy[i] : p.lower[i] * dy[i];
    expect(s).toBeLessThan(0); // uᵀδy⁺ + lᵀδy⁻ < 0: no x can satisfy l ≤ Ax ≤ u
  });

  it('dual infeasible (a linear objective with no bound in its direction): δx is a descent ray', () => {
    const p: QpProblem = {
      hessian: { kind: 'dense', n: 2, matrix: new Float64Array(4) },
      q: new Float64Array([-1, 0]),
      rows: [{ dense: new Float64Array([1, 1]) }],
      lower: new Float64Array([1]),
      upper: new Float64Array([1]),
    };
    const r = solveQp(p);
    expect(r.status).toBe('dual-infeasible');
    const dx = r.certificate!;
    expect(-dx[0]).toBeLessThan(0); // qᵀδx < 0
    expect(Math.abs(dx[0] + dx[1])).toBeLessThan(1e-5); // stays on the budget
  });
});

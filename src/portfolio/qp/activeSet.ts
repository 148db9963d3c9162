/**
 * A QP solved exactly on a known active set: the optimiser's fallback when ADMM runs out of
 * iterations on a feasible problem and HiGHS's active-set QP has found the active set (a thin
 * feasible set, such as an exposure floor just inside what the name caps reach, leaves ADMM's rows
 * 1e-5 apart after 20,000 iterations, and its own polish guesses the active set from that iterate).
 *
 * With the active rows known, the variables an active one-entry row (a bound) pins are fixed there,
 * and the others (F) solve the equality-constrained QP on the remaining active rows R:
 *
 *   [ P_FF   A_RFᵀ ] [ x_F ]   [ −q_F − P_F,fix·x_fix ]
 *   [ A_RF   0     ] [ y_R ] = [ b_R − A_R,fix·x_fix  ]
 *
 * by Gaussian elimination with partial pivoting and iterative refinement (dense: the fallback's
 * free variables are few, and its rows are the budget, exposure, group and trade rows). The bound
 * rows' multipliers follow from stationarity. The caller accepts the pair only when its KKT
 * residuals (kkt.ts) pass, as for a polished ADMM answer.
 */
import type { ConstraintMatrix } from './constraints.js';
import type { QpProblem } from './problem.js';
import { hessianTimes } from './problem.js';

/** x and y (OSQP's sign convention: y > 0 on the upper bound) on the active set `side` (−1 lower, +1 upper, 0 inactive per row), or null when the reduced system is singular. */
export function solveOnActiveSet(
  p: QpProblem,
  a: ConstraintMatrix,
  x0: ArrayLike<number>,
  side: Int8Array,
): { x: Float64Array; y: Float64Array } | null {
  const n = p.hessian.n,
    m = p.rows.length;
  const fixedBy = new Int32Array(n).fill(-1); // the bound row that fixes each variable
  const x = Float64Array.from(x0);
  const others: number[] = [];
  for (let r = 0; r < m; r++) {
    if (side[r] === 0) continue;
    const row = p.rows[r];
    const bound = side[r] < 0 ? p.lower[r] : p.upper[r];
    if (!('dense' in row) && row.index.length === 1 && row.values[0] !== 0) {
      const j = row.index[0];
      if (fixedBy[j] < 0) {
        fixedBy[j] = r;
        x[j] = bound / row.values[0];
      }
    } else others.push(r);
  }
  const free: number[] = [];
  for (let j = 0; j < n; j++) if (fixedBy[j] < 0) free.push(j);
  const nf = free.length,
    nr = others.length,
    k = nf + nr;
  // x with the free variables at 0: the fixed part's contribution to the gradient and the rows
  const xFix = Float64Array.from(x);
  for (const j of free) xFix[j] = 0;
  const pFix = hessianTimes(p.hessian, xFix, new Float64Array(n));
  const rows = others.map((r) => a.row(r));
  const K = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  const h = p.hessian;
  for (let s = 0; s < nf; s++) {
    const i = free[s];
    for (let t = 0; t <= s; t++) {
      const j = free[t];
      let v: number;
      if (h.kind === 'dense') v = h.matrix[i * n + j];
      else {
        v = i === j ? h.diagonal[i] : 0;
        for (let c = 0; c < h.rank; c++) v += h.loadings[i * h.rank + c] * h.loadings[j * h.rank + c];
      }
      K[s * k + t] = v;
      K[t * k + s] = v;
    }
    rhs[s] = -p.q[i] - pFix[i];
  }
  others.forEach((r, c) => {
    const row = rows[c];
    let fixedPart = 0;
    for (let j = 0; j < n; j++) if (fixedBy[j] >= 0) fixedPart += row[j] * x[j];
    for (let s = 0; s < nf; s++) {
      K[(nf + c) * k + s] = row[free[s]];
      K[s * k + nf + c] = row[free[s]];
    }
    rhs[nf + c] = (side[r] < 0 ? p.lower[r] : p.upper[r]) - fixedPart;
  });
  const lu = luFactor(K, k);
  if (lu === null) return null;
  const sol = luSolve(lu, k, rhs);
  for (let it = 0; it < 3; it++) {
    const res = Float64Array.from(rhs);
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += K[i * k + j] * sol[j];
      res[i] -= s;
    }
    const d = luSolve(lu, k, res);
    for (let i = 0; i < k; i++) sol[i] += d[i];
  }
  free.forEach((j, s) => (x[j] = sol[s]));
  const y = new Float64Array(m);
  others.forEach((r, c) => (y[r] = sol[nf + c]));
  // stationarity P x + q + Aᵀy = 0 on each fixed variable gives its bound row's multiplier
  const g = hessianTimes(p.hessian, x, new Float64Array(n));
  const aty = a.transposeTimes(y, new Float64Array(n));
  for (let j = 0; j < n; j++) {
    const r = fixedBy[j];
    if (r < 0) continue;
    const row = p.rows[r] as { index: readonly number[]; values: readonly number[] };
    y[r] = -(g[j] + p.q[j] + aty[j]) / row.values[0];
  }
  return { x, y };
}

interface Lu {
  lu: Float64Array;
  perm: Int32Array;
}

function luFactor(a: Float64Array, k: number): Lu | null {
  const lu = Float64Array.from(a);
  const perm = new Int32Array(k);
  let scale = 0;
  for (let i = 0; i < k * k; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < k; i++) perm[i] = i;
  for (let c = 0; c < k; c++) {
    let best = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(lu[r * k + c]) > Math.abs(lu[best * k + c])) best = r;
    if (!(Math.abs(lu[best * k + c]) > 1e-15 * scale)) return null;
    if (best !== c) {
      for (let j = 0; j < k; j++) {
        const t = lu[c * k + j];
        lu[c * k + j] = lu[best * k + j];
        lu[best * k + j] = t;
      }
      const t = perm[c];
      perm[c] = perm[best];
      perm[best] = t;
    }
    const piv = lu[c * k + c];
    for (let r = c + 1; r < k; r++) {
      const f = (lu[r * k + c] /= piv);
      if (f !== 0) for (let j = c + 1; j < k; j++) lu[r * k + j] -= f * lu[c * k + j];
    }
  }
  return { lu, perm };
}

function luSolve({ lu, perm }: Lu, k: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[perm[i]];
    for (let j = 0; j < i; j++) s -= lu[i * k + j] * x[j];
    x[i] = s;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < k; j++) s -= lu[i * k + j] * x[j];
    x[i] = s / lu[i * k + i];
  }
  return x;
}

/**
 * A primal-dual active-set iteration from a nearly optimal x (ADMM's last iterate, or HiGHS's
 * answer): the rows within `near` of a bound start active; each step solves exactly on the active
 * set ({@link solveOnActiveSet}), then adds the rows the solution violates and drops the active
 * inequality rows whose multiplier has the wrong sign, until neither happens (an optimum: the
 * caller checks its KKT residuals) or `maxSteps` pass (null).
 */
export function refineActiveSet(
  p: QpProblem,
  a: ConstraintMatrix,
  x0: ArrayLike<number>,
  { near = 1e-6, tolerance = 1e-10, maxSteps = 50 }: { near?: number; tolerance?: number; maxSteps?: number } = {},
): { x: Float64Array; y: Float64Array; side: Int8Array; steps: number } | null {
  const m = p.rows.length;
  const side = new Int8Array(m);
  const ax = a.times(x0, new Float64Array(m));
  for (let r = 0; r < m; r++) {
    const lo = p.lower[r],
      hi = p.upper[r];
    if (lo === hi) side[r] = 1;
    else if (Number.isFinite(lo) && ax[r] - lo <= near * Math.max(1, Math.abs(lo))) side[r] = -1;
    else if (Number.isFinite(hi) && hi - ax[r] <= near * Math.max(1, Math.abs(hi))) side[r] = 1;
  }
  for (let step = 1; step <= maxSteps; step++) {
    const ex = solveOnActiveSet(p, a, x0, side);
    if (ex === null) return null;
    a.times(ex.x, ax);
    let ymax = 0;
    for (let r = 0; r < m; r++) ymax = Math.max(ymax, Math.abs(ex.y[r]));
    let changed = 0;
    for (let r = 0; r < m; r++) {
      const lo = p.lower[r],
        hi = p.upper[r];
      if (lo === hi) continue;
      if (side[r] === 0) {
        if (ax[r] < lo - tolerance * Math.max(1, Math.abs(lo))) side[r] = -1;
        else if (ax[r] > hi + tolerance * Math.max(1, Math.abs(hi))) side[r] = 1;
        else continue;
        changed++;
      } else if ((side[r] < 0 && ex.y[r] > tolerance * ymax) || (side[r] > 0 && ex.y[r] < -tolerance * ymax)) {
        side[r] = 0;
        changed++;
      }
    }
    if (changed === 0) return { ...ex, side, steps: step };
  }
  return null;
}

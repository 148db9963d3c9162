/**
 * KKT residuals of a candidate primal-dual pair (x, y) of
 * min ½xᵀPx + qᵀx s.t. l ≤ Ax ≤ u, the optimality certificate every returned solution carries:
 *
 *   primal         max_i dist(Ax_i, [l_i, u_i])                (feasibility)
 *   stationarity   ‖Px + q + Aᵀy‖∞                            (gradient of the Lagrangian)
 *   complementarity max_i |y_i|·gap_i, where gap_i = (Ax)_i − l_i for y_i < 0 and u_i − (Ax)_i
 *                  for y_i > 0; a multiplier on the wrong side of an infinite bound counts as ∞.
 *
 * Sign convention (OSQP's): y_i > 0 pushes on the upper bound, y_i < 0 on the lower.
 */
import type { ConstraintMatrix } from './constraints.js';
import type { Hessian } from './problem.js';
import { hessianTimes, infNorm } from './problem.js';

export interface KktResiduals {
  primal: number;
  stationarity: number;
  complementarity: number;
}

export function kktResiduals(
  h: Hessian,
  q: ArrayLike<number>,
  a: ConstraintMatrix,
  l: ArrayLike<number>,
  u: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): KktResiduals {
  const n = a.n,
    m = a.m;
  const ax = a.times(x, new Float64Array(m));
  const g = hessianTimes(h, x, new Float64Array(n));
  const aty = a.transposeTimes(y, new Float64Array(n));
  for (let j = 0; j < n; j++) g[j] += q[j] + aty[j];
  let primal = 0,
    comp = 0;
  for (let i = 0; i < m; i++) {
    const v = ax[i];
    primal = Math.max(primal, l[i] - v, v - u[i]);
    if (y[i] > 0) comp = Math.max(comp, u[i] === Infinity ? Infinity : y[i] * Math.abs(u[i] - v));
    else if (y[i] < 0) comp = Math.max(comp, l[i] === -Infinity ? Infinity : -y[i] * Math.abs(v - l[i]));
  }
  return { primal: Math.max(0, primal), stationarity: infNorm(g), complementarity: comp };
}

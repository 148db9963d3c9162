/**
 * Solution polishing (Stellato et al. 2020, §4): ADMM's answer is accurate to its tolerance
 * (~1e-5); polishing guesses the active constraints from the ADMM iterate,
 *
 *   lower-active  L = { i : z_i − l_i < −y_i },   upper-active  U = { i : u_i − z_i < y_i },
 *
 * and solves the equality-constrained QP on them exactly, i.e. the reduced KKT system
 *
 *   [ P   A_Aᵀ ] [ x   ]   [ −q  ]
 *   [ A_A  0   ] [ y_A ] = [ b_A ]      (b = l on L, u on U; y = 0 off the active set)
 *
 * through the regularised, quasi-definite K_δ = [P + δI, A_Aᵀ; A_A, −δI] and iterative refinement
 * against the unregularised K (eq. 26). K_δ is solved with the same structured linear system as the
 * ADMM steps: eliminating y_A gives (P + δI + A_Aᵀ A_A / δ)·x = r_x + A_Aᵀ r_y / δ, which is M with
 * σ = δ and ρ = 1/δ on the active rows, 0 elsewhere. The polished pair is accepted only when it is
 * primal feasible and its multipliers have the right signs (then it satisfies the KKT conditions
 * to rounding). Degenerate vertices (more active rows than needed, e.g. a budget with every bound
 * binding) make the multipliers non-unique and the regularised solve can return one with the wrong
 * sign; the caller then drops those rows from the active set (`exclude`) and polishes again, a few
 * steps of an active-set method. If that fails too, the caller keeps iterating ADMM to a tighter
 * tolerance and tries again.
 */
import type { ConstraintMatrix } from './constraints.js';
import type { LinearSystem } from './linearSystem.js';
import type { Hessian } from './problem.js';
import { hessianTimes, infNorm } from './problem.js';

export interface PolishOutcome {
  x: Float64Array;
  /** −1 lower-active, +1 upper-active, 0 inactive, per row. */
  side: Int8Array;
  y: Float64Array;
  lowerActive: number;
  upperActive: number;
  refinements: number;
  /** ‖K·[x; y_A] − rhs‖∞ after refinement. */
  residual: number;
}

export function polish(
  h: Hessian,
  q: Float64Array,
  a: ConstraintMatrix,
  l: Float64Array,
  u: Float64Array,
  z: Float64Array,
  y: Float64Array,
  system: LinearSystem,
  exclude?: Uint8Array,
  delta = 1e-7,
  maxRefine = 12,
): PolishOutcome {
  const n = a.n, m = a.m;
  const side = new Int8Array(m); // −1 lower, +1 upper, 0 inactive
  let nl = 0, nu = 0;
  for (let i = 0; i < m; i++) {
    if (exclude && exclude[i] && l[i] !== u[i]) continue;
    if (l[i] === u[i]) { side[i] = y[i] >= 0 ? 1 : -1; }
    else if (z[i] - l[i] < -y[i]) side[i] = -1;
    else if (u[i] - z[i] < y[i]) side[i] = 1;
    if (side[i] < 0) nl++;
    else if (side[i] > 0) nu++;
  }
  const b = new Float64Array(m);
  const rho = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    if (side[i] === 0) continue;
    b[i] = side[i] < 0 ? l[i] : u[i];
    rho[i] = 1 / delta;
  }
  system.factor(delta, rho);
  const x = new Float64Array(n), ya = new Float64Array(m);
  const rx = new Float64Array(n), ry = new Float64Array(m);
  const ax = new Float64Array(m), rhs = new Float64Array(n), dx = new Float64Array(n), tmp = new Float64Array(n);
  // Solve K_δ·[dx; dy] = [rx; ry]:  dx = M⁻¹(rx + Aᵀ(ry/δ)),  dy = (A dx − ry)/δ on active rows.
  const solveReg = (): void => {
    const t = new Float64Array(m);
    for (let i = 0; i < m; i++) t[i] = side[i] === 0 ? 0 : ry[i] / delta;
    a.transposeTimes(t, tmp);
    for (let j = 0; j < n; j++) rhs[j] = rx[j] + tmp[j];
    system.solve(rhs, dx);
    a.times(dx, ax);
    for (let j = 0; j < n; j++) x[j] += dx[j];
    for (let i = 0; i < m; i++) if (side[i] !== 0) ya[i] += (ax[i] - ry[i]) / delta;
  };
  // Residual of the unregularised K: rx = −q − Px − A_Aᵀy_A, ry = b − A_A x.
  const residual = (): number => {
    hessianTimes(h, x, rx);
    a.transposeTimes(ya, tmp);
    for (let j = 0; j < n; j++) rx[j] = -q[j] - rx[j] - tmp[j];
    a.times(x, ax);
    for (let i = 0; i < m; i++) ry[i] = side[i] === 0 ? 0 : b[i] - ax[i];
    return Math.max(infNorm(rx), infNorm(ry));
  };
  residual();
  let res = Infinity, k = 0;
  for (; k < maxRefine; k++) {
    solveReg();
    const r = residual();
    if (!(r < res * 0.9) && k > 1) { res = Math.min(res, r); break; }
    res = r;
    if (res < 1e-15) break;
  }
  return { x, side, y: ya, lowerActive: nl, upperActive: nu, refinements: k + 1, residual: res };
}

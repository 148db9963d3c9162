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
 * ADMM steps: the active one- and two-entry rows are eliminated (H = P + δI + A_sᵀA_s/δ, which is M
 * with σ = δ and ρ = 1/δ on those rows), the active dense rows through their Schur complement
 * A_d·H⁻¹·A_dᵀ + δI. The polished pair is accepted only when it is
 * primal feasible and its multipliers have the right signs (then it satisfies the KKT conditions
 * to rounding). Degenerate vertices (more active rows than needed, e.g. a budget with every bound
 * binding) make the multipliers non-unique and the regularised solve can return one with the wrong
 * sign; the caller first keeps x and projects ADMM's multipliers onto the valid set
 * ({@link recoverMultipliers}), and otherwise drops the wrong-sign rows from the active set
 * (`exclude`) and polishes again, a few steps of an active-set method. If that fails too, the caller keeps iterating ADMM to a tighter
 * tolerance and tries again.
 */
import type { ConstraintMatrix } from './constraints.js';
import type { LinearSystem } from './linearSystem.js';
import { choleskyInPlace, choleskySolveInPlace } from './linearSystem.js';
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
  /** The ADMM iterate in the solver's scaled space (the active-set guess compares z − l with y
   * there, where both are of order one), with the scaled bounds. */
  scaled: { z: Float64Array; y: Float64Array; l: Float64Array; u: Float64Array },
  system: LinearSystem,
  exclude?: Uint8Array,
  delta = 1e-7,
  maxRefine = 12,
): PolishOutcome {
  const n = a.n,
    m = a.m;
  const side = new Int8Array(m); // −1 lower, +1 upper, 0 inactive
  let nl = 0,
    nu = 0;
  const { z, y } = scaled;
  for (let i = 0; i < m; i++) {
    if (exclude && exclude[i] && l[i] !== u[i]) continue;
    if (l[i] === u[i]) {
      side[i] = y[i] >= 0 ? 1 : -1;
    } else if (l[i] !== -Infinity && z[i] - scaled.l[i] < -y[i]) side[i] = -1;
    else if (u[i] !== Infinity && scaled.u[i] - z[i] < y[i]) side[i] = 1;
  }
  const b = new Float64Array(m);
  const isDense = new Uint8Array(m);
  for (const d of a.denseIds) isDense[d] = 1;
  // Sparse active rows (bounds, turnover pairs) are eliminated with ρ = 1/δ inside the structured
  // system H = P + δI + A_sᵀA_s/δ (block diagonal there, so harmless); the few dense active rows
  // (budget, exposures, groups) keep their multipliers through the Schur complement
  // G = A_d·H⁻¹·A_dᵀ + δI (m_d × m_d), never through a huge ρ inside a Woodbury capacitance.
  const rho = new Float64Array(m);
  const activeDense: number[] = [];
  for (let i = 0; i < m; i++) {
    if (side[i] === 0) continue;
    b[i] = side[i] < 0 ? l[i] : u[i];
    if (isDense[i]) activeDense.push(i);
    else rho[i] = 1 / delta;
  }
  system.factor(delta, rho);
  // Dense active rows that are linear combinations of others on the active face (a budget with
  // every group pinned, say) would make the Schur complement singular up to δ and blow rounding
  // up by 1/δ; a pivoted pass drops them (their multipliers stay 0; if one was not implied after
  // all, the primal check of the caller rejects the polish).
  {
    const rowsAll = activeDense.map((i) => a.row(i));
    const hinv = rowsAll.map((row) => system.solve(row, new Float64Array(n)));
    const k0 = activeDense.length;
    const g0 = new Float64Array(k0 * k0);
    for (let p = 0; p < k0; p++)
      for (let q2 = 0; q2 < k0; q2++) {
        let sum = 0;
        for (let j = 0; j < n; j++) sum += rowsAll[p][j] * hinv[q2][j];
        g0[p * k0 + q2] = sum;
      }
    const lf = new Float64Array(k0 * k0);
    const kept: number[] = [];
    for (let j = 0; j < k0; j++) {
      let d = g0[j * k0 + j];
      for (const p of kept) d -= lf[j * k0 + p] ** 2;
      // A row in the span of the active sparse rows has a_jᵀH⁻¹a_j = O(δ·‖a_j‖²); one in the span of
      // earlier dense rows has a vanishing pivot.
      let norm2 = 0;
      for (let q2 = 0; q2 < n; q2++) norm2 += rowsAll[j][q2] ** 2;
      if (!(d > 1e-10 * g0[j * k0 + j]) || !(d > 1e3 * delta * norm2)) {
        side[activeDense[j]] = 0;
        continue;
      }
      const ljj = Math.sqrt(d);
      lf[j * k0 + j] = ljj;
      for (let i = j + 1; i < k0; i++) {
        let sum = g0[i * k0 + j];
        for (const p of kept) sum -= lf[i * k0 + p] * lf[j * k0 + p];
        lf[i * k0 + j] = sum / ljj;
      }
      kept.push(j);
    }
    const keptRows = kept.map((j) => activeDense[j]);
    activeDense.length = 0;
    activeDense.push(...keptRows);
  }
  const md = activeDense.length;
  const denseRows = activeDense.map((i) => a.row(i));
  const hInvRows = denseRows.map((row) => system.solve(row, new Float64Array(n)));
  const g = new Float64Array(md * md);
  for (let p = 0; p < md; p++)
    for (let q2 = 0; q2 < md; q2++) {
      let sum = 0;
      const rp = denseRows[p],
        zq = hInvRows[q2];
      for (let j = 0; j < n; j++) sum += rp[j] * zq[j];
      g[p * md + q2] = sum + (p === q2 ? delta : 0);
    }
  for (let p = 0; p < md; p++)
    for (let q2 = 0; q2 < p; q2++) {
      const v = 0.5 * (g[p * md + q2] + g[q2 * md + p]);
      g[p * md + q2] = v;
      g[q2 * md + p] = v;
    }
  choleskyInPlace(g, md);
  const x = new Float64Array(n),
    ya = new Float64Array(m);
  const rx = new Float64Array(n),
    ry = new Float64Array(m);
  const ax = new Float64Array(m),
    rhs = new Float64Array(n),
    dx = new Float64Array(n),
    tmp = new Float64Array(n),
    gd = new Float64Array(md);
  // Solve K_δ·[dx; dy] = [rx; ry].
  const solveReg = (): void => {
    const t = new Float64Array(m);
    for (let i = 0; i < m; i++) t[i] = side[i] === 0 || isDense[i] ? 0 : ry[i] / delta;
    a.transposeTimes(t, tmp);
    for (let j = 0; j < n; j++) rhs[j] = rx[j] + tmp[j];
    system.solve(rhs, dx);
    for (let p = 0; p < md; p++) {
      let sum = 0;
      const rp = denseRows[p];
      for (let j = 0; j < n; j++) sum += rp[j] * dx[j];
      gd[p] = sum - ry[activeDense[p]];
    }
    choleskySolveInPlace(g, md, gd);
    for (let p = 0; p < md; p++) {
      const zp = hInvRows[p],
        v = gd[p];
      for (let j = 0; j < n; j++) dx[j] -= zp[j] * v;
    }
    a.times(dx, ax);
    for (let j = 0; j < n; j++) x[j] += dx[j];
    for (let i = 0; i < m; i++) if (side[i] !== 0 && !isDense[i]) ya[i] += (ax[i] - ry[i]) / delta;
    for (let p = 0; p < md; p++) ya[activeDense[p]] += gd[p];
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
  let res = Infinity,
    k = 0;
  for (; k < maxRefine; k++) {
    solveReg();
    const r = residual();
    if (!(r < res * 0.9) && k > 1) {
      res = Math.min(res, r);
      break;
    }
    res = r;
  }
  for (let i = 0; i < m; i++) {
    if (side[i] < 0) nl++;
    else if (side[i] > 0) nu++;
  }
  return { x, side, y: ya, lowerActive: nl, upperActive: nu, refinements: k + 1, residual: res };
}

/**
 * Multipliers for a polished x at a degenerate point (more active rows than the point needs: a
 * budget with every cap binding, groups pinned beside the budget, a row duplicated). There the
 * multipliers are not unique, and the regularised solve can pick a set with a wrong sign. With x
 * fixed, the valid multipliers form the polyhedron
 *
 *   { y : A_Aᵀ·y_A = −(Px + q),  y_i ≥ 0 on upper-active rows, ≤ 0 on lower-active, y = 0 off A }
 *
 * (A: the rows active at x to 1e-9 relative; an equality row's sign is free). Starting from ADMM's
 * multipliers (close to a valid set), alternating projections find a point of it: the least-norm
 * correction onto the affine set, y ← y + A_A·(εI + A_AᵀA_A)⁻¹·r with r = −(Px + q) − A_Aᵀy (the
 * structured system with P = 0, σ = ε and ρ = 1 on the active rows; refined twice against the
 * unregularised equation), then the signs clipped, until the equation holds to 1e-15 relative or
 * after `maxSteps` rounds; the caller checks the KKT conditions.
 */
export function recoverMultipliers(
  h: Hessian,
  q: Float64Array,
  a: ConstraintMatrix,
  l: Float64Array,
  u: Float64Array,
  x: Float64Array,
  y0: Float64Array,
  system: LinearSystem,
  maxSteps = 200,
  epsilon = 1e-8,
): Float64Array {
  const n = a.n,
    m = a.m;
  const ax = a.times(x, new Float64Array(m));
  const side = new Int8Array(m); // 2 equality, 1 upper, −1 lower, 0 inactive
  const rho = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const tol = 1e-9 * Math.max(1, Math.abs(ax[i]));
    if (l[i] === u[i]) side[i] = 2;
    else if (u[i] !== Infinity && Math.abs(ax[i] - u[i]) <= tol) side[i] = 1;
    else if (l[i] !== -Infinity && Math.abs(ax[i] - l[i]) <= tol) side[i] = -1;
    if (side[i] !== 0) rho[i] = 1;
  }
  const g = hessianTimes(h, x, new Float64Array(n));
  for (let j = 0; j < n; j++) g[j] += q[j];
  const y = new Float64Array(m);
  const clip = (): void => {
    for (let i = 0; i < m; i++) {
      if (side[i] === 0) y[i] = 0;
      else if (side[i] === 1 && y[i] < 0) y[i] = 0;
      else if (side[i] === -1 && y[i] > 0) y[i] = 0;
    }
  };
  y.set(y0);
  clip();
  system.factor(epsilon, rho);
  const r = new Float64Array(n),
    aty = new Float64Array(n),
    z = new Float64Array(n),
    dz = new Float64Array(n),
    az = new Float64Array(m),
    tmp = new Float64Array(n);
  for (let step = 0; step < maxSteps; step++) {
    a.transposeTimes(y, aty);
    for (let j = 0; j < n; j++) r[j] = -g[j] - aty[j];
    if (infNorm(r) <= 1e-15 * Math.max(infNorm(g), 1e-300)) break;
    // z ≈ (A_AᵀA_A)⁺ r: the regularised solve and two refinements against A_AᵀA_A (without ε).
    system.solve(r, z);
    for (let k = 0; k < 2; k++) {
      a.times(z, az);
      for (let i = 0; i < m; i++) az[i] *= rho[i];
      a.transposeTimes(az, tmp);
      for (let j = 0; j < n; j++) tmp[j] = r[j] - tmp[j];
      system.solve(tmp, dz);
      for (let j = 0; j < n; j++) z[j] += dz[j];
    }
    a.times(z, az);
    let moved = 0;
    for (let i = 0; i < m; i++)
      if (rho[i] > 0) {
        y[i] += az[i];
        moved = Math.max(moved, Math.abs(az[i]));
      }
    clip();
    if (moved === 0) break;
  }
  return y;
}

/**
 * A convex QP solver: the OSQP algorithm of B. Stellato, G. Banjac, P. Goulart, A. Bemporad and
 * S. Boyd, "OSQP: an operator splitting solver for quadratic programs", Mathematical Programming
 * Computation 12 (2020) 637–672, written for factorlab's structures.
 *
 *   minimise ½xᵀPx + qᵀx   subject to   l ≤ Ax ≤ u
 *
 * ADMM on the splitting z = Ax (Algorithm 1 of the paper), each iteration
 *
 *   solve (P + σI + Aᵀdiag(ρ)A)·x̃ = σx − q + Aᵀ(ρ∘z − y),  z̃ = A·x̃
 *   x ← αx̃ + (1−α)x
 *   z ← Π_[l,u](αz̃ + (1−α)z + y/ρ)
 *   y ← y + ρ∘(αz̃ + (1−α)z − z_new)
 *
 * with over-relaxation α = 1.6, σ = 1e-6, a per-row step ρ_i (1e3·ρ on equality rows, 1e-6 on
 * free rows), and:
 *
 * - scaling: each row of A is divided by its ∞-norm and the cost (P, q) by a scalar c so that the
 *   mean diagonal of P, or ‖q‖∞ when P is tiny, is one (the paper's §5.1 equilibration reduced to
 *   rows and cost: the columns of a portfolio problem are weights of one scale, and keeping the
 *   columns unscaled keeps P's factor form untouched). Residuals and certificates are reported
 *   in the original units.
 * - ρ adaptation (§5.2): every `adaptEvery` iterations ρ ← ρ·√((‖r_prim‖/max(‖Ax‖,‖z‖)) /
 *   (‖r_dual‖/max(‖Px‖,‖Aᵀy‖,‖q‖))), refactoring only when it moves by more than 5×.
 * - termination (§3.4): ‖Ax − z‖∞ ≤ ε_abs + ε_rel·max(‖Ax‖∞, ‖z‖∞) and ‖Px + q + Aᵀy‖∞ ≤ ε_abs +
 *   ε_rel·max(‖Px‖∞, ‖Aᵀy‖∞, ‖q‖∞).
 * - infeasibility certificates (§3.4): with δy = y_k − y_{k−1}, the problem is primal infeasible
 *   when ‖Aᵀδy‖∞ ≤ ε_pinf‖δy‖∞ and uᵀmax(δy, 0) + lᵀmin(δy, 0) < −ε_pinf‖δy‖∞ (δy separates the
 *   box [l, u] from the range of A); with δx = x_k − x_{k−1} it is dual infeasible (unbounded) when
 *   ‖Pδx‖∞ ≤ ε_dinf‖δx‖∞, qᵀδx < −ε_dinf‖δx‖∞ and (Aδx)_i lies in [−ε, ε]·‖δx‖∞ for rows with both
 *   bounds finite, ≥ −ε‖δx‖∞ for rows with only a lower, ≤ for rows with only an upper bound.
 * - warm starts: x and y from a previous solve (z = Ax).
 * - solution polishing (§4, polish.ts): exact on the detected active set; the accepted polished
 *   solution satisfies the KKT conditions to rounding (kkt.ts). At degenerate points (duplicated
 *   or dependent active rows, more active rows than free variables) the polished x is right but
 *   its multipliers are not unique and can come out with a wrong sign; ADMM's multipliers are then
 *   projected onto the valid set with x fixed (`recoverMultipliers`, reported as
 *   `polish.multipliers: 'projected'`). When a polish is rejected (a wrong
 *   active-set guess), ADMM continues at a tolerance ten times tighter and polishes again, down to
 *   1e-4 of the requested tolerance; an unpolished iterate whose KKT residuals are then within
 *   `kktTolerance` counts as solved (degenerate vertices), otherwise the status is
 *   'solved-inaccurate'.
 *
 * The linear system goes through the problem's structure (linearSystem.ts): Woodbury on
 * diagonal + low rank + dense rows when P is in factor form, a dense Cholesky otherwise.
 */
import {
  checkBoolean,
  checkInteger,
  checkLength,
  checkNonNegative,
  checkOptionNames,
  checkPositive,
  describeValue,
} from '../../core/checks.js';
import { InputError } from '../../core/errors.js';
import { ConstraintMatrix } from './constraints.js';
import type { KktResiduals } from './kkt.js';
import { kktResiduals } from './kkt.js';
import type { LinearSystem } from './linearSystem.js';
import { DenseSystem, FactorSystem } from './linearSystem.js';
import { polish, recoverMultipliers } from './polish.js';
import type { Hessian, QpProblem } from './problem.js';
import { checkQpProblem, dot, hessianTimes, infNorm } from './problem.js';

export interface QpSettings {
  /** ADMM absolute and relative tolerances (before polishing). Default 1e-6 and 1e-6. */
  epsAbs?: number;
  epsRel?: number;
  /** Infeasibility tolerances. Default 1e-6. */
  epsPrimalInfeasible?: number;
  epsDualInfeasible?: number;
  maxIterations?: number;
  /** Over-relaxation α in (0, 2). Default 1.6. */
  alpha?: number;
  sigma?: number;
  /** Initial ρ. Default 0.1. */
  rho?: number;
  adaptiveRho?: boolean;
  adaptEvery?: number;
  /** Polish the ADMM solution (default true). */
  polish?: boolean;
  /** KKT tolerance a polished solution must meet to be accepted (default 1e-9, original units). */
  kktTolerance?: number;
  /** Warm start. */
  x?: ArrayLike<number>;
  y?: ArrayLike<number>;
  /** Force the dense linear system even when P is in factor form. */
  dense?: boolean;
}

export type QpStatus = 'solved' | 'solved-inaccurate' | 'primal-infeasible' | 'dual-infeasible' | 'max-iterations';

export interface PolishReport {
  status: 'applied' | 'rejected' | 'not-run';
  /** Where the accepted multipliers come from: the reduced KKT solve itself, or (degenerate
   * points, non-unique multipliers) projected from ADMM's onto the valid set with x fixed
   * (polish.ts `recoverMultipliers`); 'none' when no polish was accepted. */
  multipliers: 'solve' | 'projected' | 'none';
  attempts: number;
  lowerActive: number;
  upperActive: number;
  refinements: number;
}

export interface QpResult {
  status: QpStatus;
  x: Float64Array;
  /** Multipliers of l ≤ Ax ≤ u (y_i > 0: upper bound binding, < 0: lower). */
  y: Float64Array;
  objective: number;
  iterations: number;
  /** ‖Ax − z‖∞ and ‖Px + q + Aᵀy‖∞ of the ADMM iterate, original units. */
  primalResidual: number;
  dualResidual: number;
  kkt: KktResiduals;
  polish: PolishReport;
  rho: number;
  rhoUpdates: number;
  linearSystem: 'factor' | 'dense';
  /** For primal infeasibility: δy; for dual infeasibility: δx (normalised to ‖·‖∞ = 1). */
  certificate?: Float64Array;
}

const QP_SETTING_NAMES: Readonly<Record<keyof QpSettings, true>> = {
  epsAbs: true,
  epsRel: true,
  epsPrimalInfeasible: true,
  epsDualInfeasible: true,
  maxIterations: true,
  alpha: true,
  sigma: true,
  rho: true,
  adaptiveRho: true,
  adaptEvery: true,
  polish: true,
  kktTolerance: true,
  x: true,
  y: true,
  dense: true,
};

/**
 * The settings' names and values: a misspelt one (`maxIter`, `eps_abs`) ran the default, a
 * negative tolerance or ρ, an α outside (0, 2) or a fractional iteration count ran ADMM on it.
 */
function checkSettings(settings: QpSettings): void {
  checkOptionNames<QpSettings>('solveQp settings', settings, QP_SETTING_NAMES);
  for (const name of ['epsAbs', 'epsRel', 'epsPrimalInfeasible', 'epsDualInfeasible', 'kktTolerance'] as const)
    if (settings[name] !== undefined) checkNonNegative(name, settings[name]);
  for (const name of ['sigma', 'rho'] as const) if (settings[name] !== undefined) checkPositive(name, settings[name]);
  if (settings.maxIterations !== undefined) checkInteger('maxIterations', settings.maxIterations, 1);
  if (settings.adaptEvery !== undefined) checkInteger('adaptEvery', settings.adaptEvery, 1);
  if (settings.alpha !== undefined && !(typeof settings.alpha === 'number' && settings.alpha > 0 && settings.alpha < 2))
    throw new InputError(`alpha must be a number in (0, 2), got ${describeValue(settings.alpha)}`);
  for (const name of ['adaptiveRho', 'polish', 'dense'] as const) if (settings[name] !== undefined) checkBoolean(name, settings[name]);
}

const RHO_MIN = 1e-6,
  RHO_MAX = 1e6,
  RHO_EQ = 1e3,
  RHO_TOL = 1e-8;

export function solveQp(problem: QpProblem, settings: QpSettings = {}): QpResult {
  checkSettings(settings);
  // the caller's problem: an InputError naming the part, as every public function's (a plain Error before)
  checkQpProblem(problem);
  const h0 = problem.hessian;
  const n = h0.n;
  const a0 = new ConstraintMatrix(problem.rows, n);
  const m = a0.m;
  if (settings.x !== undefined) checkLength('x', settings.x.length, n, 'a warm start of one value per variable');
  if (settings.y !== undefined) checkLength('y', settings.y.length, m, 'a warm start of one multiplier per constraint row');
  const epsAbs = settings.epsAbs ?? 1e-6,
    epsRel = settings.epsRel ?? 1e-6;
  const epsPinf = settings.epsPrimalInfeasible ?? 1e-6,
    epsDinf = settings.epsDualInfeasible ?? 1e-6;
  const maxIter = settings.maxIterations ?? 20000;
  const alpha = settings.alpha ?? 1.6,
    sigma = settings.sigma ?? 1e-6;
  const adaptEvery = settings.adaptEvery ?? 25;
  const kktTol = settings.kktTolerance ?? 1e-9;

  // Scaling: rows by 1/‖A_i‖∞, cost by c.
  const norms = a0.rowNorms();
  const e = new Float64Array(m);
  for (let i = 0; i < m; i++) e[i] = norms[i] > 0 ? 1 / norms[i] : 1;
  let meanDiag = 0;
  if (h0.kind === 'dense') for (let j = 0; j < n; j++) meanDiag += h0.matrix[j * n + j];
  else
    for (let j = 0; j < n; j++) {
      let s = h0.diagonal[j];
      for (let c = 0; c < h0.rank; c++) s += h0.loadings[j * h0.rank + c] ** 2;
      meanDiag += s;
    }
  meanDiag /= Math.max(n, 1);
  const qn = infNorm(problem.q);
  const scaleBase = meanDiag > 1e-3 * qn ? meanDiag : qn;
  const c = scaleBase > 0 ? 1 / scaleBase : 1;
  const h: Hessian =
    h0.kind === 'dense'
      ? { kind: 'dense', n, matrix: problem.hessian.kind === 'dense' ? problem.hessian.matrix.map((v) => v * c) : new Float64Array(0) }
      : { kind: 'factor', n, diagonal: h0.diagonal.map((v) => v * c), rank: h0.rank, loadings: h0.loadings.map((v) => v * Math.sqrt(c)) };
  const q = problem.q.map((v) => v * c);
  const a = a0.scaled(e);
  const l = new Float64Array(m),
    u = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    l[i] = problem.lower[i] * e[i];
    u[i] = problem.upper[i] * e[i];
  }

  const useFactor = h.kind === 'factor' && !settings.dense;
  const system: LinearSystem = useFactor ? new FactorSystem(h as Hessian & { kind: 'factor' }, a) : new DenseSystem(h, a);
  // Polishing works in the scaled space too (P and the rows of A of order one, so δ = 1e-7 is small
  // against both blocks of the KKT matrix), with its own system so ADMM's factorisation survives.
  const systemPolish: LinearSystem = useFactor ? new FactorSystem(h as Hessian & { kind: 'factor' }, a) : new DenseSystem(h, a);

  let rho = settings.rho ?? 0.1;
  const rhoVec = new Float64Array(m);
  const setRho = (): void => {
    for (let i = 0; i < m; i++) {
      if (l[i] === -Infinity && u[i] === Infinity) rhoVec[i] = RHO_MIN;
      else if (u[i] - l[i] < RHO_TOL) rhoVec[i] = RHO_EQ * rho;
      else rhoVec[i] = rho;
    }
    system.factor(sigma, rhoVec);
  };
  setRho();

  const x = new Float64Array(n),
    z = new Float64Array(m),
    y = new Float64Array(m);
  if (settings.x) for (let j = 0; j < n; j++) x[j] = settings.x[j];
  if (settings.y) for (let i = 0; i < m; i++) y[i] = settings.y[i] * e[i] === 0 ? 0 : (settings.y[i] * c) / e[i];
  a.times(x, z);
  for (let i = 0; i < m; i++) z[i] = Math.min(u[i], Math.max(l[i], z[i]));

  const xt = new Float64Array(n),
    zt = new Float64Array(m),
    rhs = new Float64Array(n),
    tmpN = new Float64Array(n),
    tmpM = new Float64Array(m);
  const xPrev = new Float64Array(n),
    yPrev = new Float64Array(m);
  const ax = new Float64Array(m),
    px = new Float64Array(n),
    aty = new Float64Array(n);

  let status: QpStatus = 'max-iterations';
  let iter = 0,
    rhoUpdates = 0,
    primRes = Infinity,
    dualRes = Infinity;
  let certificate: Float64Array | undefined;
  let tolFactor = 1;
  let polishReport: PolishReport = { status: 'not-run', multipliers: 'none', attempts: 0, lowerActive: 0, upperActive: 0, refinements: 0 };
  let xOut: Float64Array = x,
    yOut: Float64Array = y;
  // The structured system with P = 0 for multiplier recovery at degenerate points (made on need).
  let systemMultipliers: LinearSystem | null = null;

  // Residuals in original units: A0x = (Ax)/e, y0 = e·y/c, P0x + q0 + A0ᵀy0 = (Px + q + Aᵀy)/c.
  const residuals = (): { prim: number; dual: number; epsP: number; epsD: number; scaledRatio: number } => {
    a.times(x, ax);
    let prim = 0,
      nAx = 0,
      nZ = 0,
      sPrim = 0,
      sAx = 0,
      sZ = 0;
    for (let i = 0; i < m; i++) {
      const d = Math.abs(ax[i] - z[i]);
      prim = Math.max(prim, d / e[i]);
      nAx = Math.max(nAx, Math.abs(ax[i]) / e[i]);
      nZ = Math.max(nZ, Math.abs(z[i]) / e[i]);
      sPrim = Math.max(sPrim, d);
      sAx = Math.max(sAx, Math.abs(ax[i]));
      sZ = Math.max(sZ, Math.abs(z[i]));
    }
    hessianTimes(h, x, px);
    a.transposeTimes(y, aty);
    let dual = 0,
      nPx = 0,
      nAty = 0,
      nq = 0;
    for (let j = 0; j < n; j++) {
      dual = Math.max(dual, Math.abs(px[j] + q[j] + aty[j]));
      nPx = Math.max(nPx, Math.abs(px[j]));
      nAty = Math.max(nAty, Math.abs(aty[j]));
      nq = Math.max(nq, Math.abs(q[j]));
    }
    const sDual = dual;
    const scaledRatio = Math.sqrt(sPrim / Math.max(sAx, sZ, 1e-30) / Math.max(sDual / Math.max(nPx, nAty, nq, 1e-30), 1e-30));
    return {
      prim,
      dual: dual / c,
      epsP: tolFactor * (epsAbs + epsRel * Math.max(nAx, nZ)),
      epsD: tolFactor * (epsAbs + (epsRel * Math.max(nPx, nAty, nq)) / c),
      scaledRatio,
    };
  };

  const primalInfeasible = (): boolean => {
    // δy in original units: e·δy/c; Aᵀ₀δy₀ = Aᵀδy / c.
    let nDy = 0;
    for (let i = 0; i < m; i++) nDy = Math.max(nDy, Math.abs((e[i] * (y[i] - yPrev[i])) / c));
    if (nDy < 1e-30) return false;
    for (let i = 0; i < m; i++) tmpM[i] = y[i] - yPrev[i];
    a.transposeTimes(tmpM, tmpN);
    if (infNorm(tmpN) / c > epsPinf * nDy) return false;
    let s = 0;
    for (let i = 0; i < m; i++) {
      const dy = (e[i] * tmpM[i]) / c;
      if (dy > epsPinf * nDy) {
        if (problem.upper[i] === Infinity) return false;
        s += problem.upper[i] * dy;
      } else if (dy < -epsPinf * nDy) {
        if (problem.lower[i] === -Infinity) return false;
        s += problem.lower[i] * dy;
      }
    }
    if (!(s < -epsPinf * nDy)) return false;
    certificate = new Float64Array(m);
    for (let i = 0; i < m; i++) certificate[i] = (e[i] * tmpM[i]) / c / nDy;
    return true;
  };

  const dualInfeasible = (): boolean => {
    let nDx = 0;
    for (let j = 0; j < n; j++) {
      tmpN[j] = x[j] - xPrev[j];
      nDx = Math.max(nDx, Math.abs(tmpN[j]));
    }
    if (nDx < 1e-30) return false;
    const pdx = hessianTimes(h0, tmpN, new Float64Array(n));
    if (infNorm(pdx) > epsDinf * nDx) return false;
    if (!(dot(problem.q, tmpN) < -epsDinf * nDx)) return false;
    a0.times(tmpN, tmpM);
    for (let i = 0; i < m; i++) {
      const v = tmpM[i],
        tol = epsDinf * nDx;
      if (problem.upper[i] !== Infinity && v > tol) return false;
      if (problem.lower[i] !== -Infinity && v < -tol) return false;
    }
    certificate = tmpN.map((v) => v / nDx);
    return true;
  };

  const checkEvery = 5;
  const wantPolish = settings.polish ?? true;
  while (iter < maxIter) {
    iter++;
    xPrev.set(x);
    yPrev.set(y);
    for (let i = 0; i < m; i++) tmpM[i] = rhoVec[i] * z[i] - y[i];
    a.transposeTimes(tmpM, rhs);
    for (let j = 0; j < n; j++) rhs[j] += sigma * x[j] - q[j];
    system.solve(rhs, xt);
    a.times(xt, zt);
    for (let j = 0; j < n; j++) x[j] = alpha * xt[j] + (1 - alpha) * x[j];
    for (let i = 0; i < m; i++) {
      const zr = alpha * zt[i] + (1 - alpha) * z[i];
      const zn = Math.min(u[i], Math.max(l[i], zr + y[i] / rhoVec[i]));
      y[i] += rhoVec[i] * (zr - zn);
      z[i] = zn;
    }
    if (iter % checkEvery !== 0 && iter !== maxIter) continue;
    const r = residuals();
    primRes = r.prim;
    dualRes = r.dual;
    if (r.prim <= r.epsP && r.dual <= r.epsD) {
      if (!wantPolish) {
        status = 'solved';
        break;
      }
      const out = tryPolish();
      if (out) {
        status = 'solved';
        break;
      }
      tolFactor *= 0.1;
      if (tolFactor < 1e-4) {
        status = 'solved-inaccurate';
        break;
      }
      continue;
    }
    if (primalInfeasible()) {
      status = 'primal-infeasible';
      break;
    }
    if (dualInfeasible()) {
      status = 'dual-infeasible';
      break;
    }
    if ((settings.adaptiveRho ?? true) && iter % adaptEvery === 0) {
      const rhoNew = Math.min(RHO_MAX, Math.max(RHO_MIN, rho * r.scaledRatio));
      if (Number.isFinite(rhoNew) && (rhoNew > 5 * rho || rhoNew < rho / 5)) {
        rho = rhoNew;
        rhoUpdates++;
        setRho();
      }
    }
  }

  function tryPolish(): boolean {
    polishReport.attempts++;
    // Polish on the original problem (original units), with the system of the original data.
    const exclude = new Uint8Array(m);
    const scaleP = Math.max(1, infNorm(problem.upper.filter(Number.isFinite)), infNorm(problem.lower.filter(Number.isFinite)));
    for (let step = 0; step < 8; step++) {
      let res;
      try {
        res = polish(h, q, a, l, u, { z, y, l, u }, systemPolish, exclude);
      } catch {
        polishReport = { ...polishReport, status: 'rejected' };
        return false;
      }
      for (let i = 0; i < m; i++) res.y[i] = (e[i] * res.y[i]) / c;
      const kk = kktResiduals(h0, problem.q, a0, problem.lower, problem.upper, res.x, res.y);
      polishReport = {
        status: 'rejected',
        multipliers: 'none',
        attempts: polishReport.attempts,
        lowerActive: res.lowerActive,
        upperActive: res.upperActive,
        refinements: res.refinements,
      };
      const passes = (k: KktResiduals): boolean =>
        k.primal <= kktTol * scaleP && k.stationarity <= kktTol * Math.max(1, infNorm(problem.q)) && k.complementarity <= kktTol;
      if (passes(kk)) {
        polishReport.status = 'applied';
        polishReport.multipliers = 'solve';
        xOut = res.x;
        yOut = res.y;
        return true;
      }
      if (kk.primal <= kktTol * scaleP) {
        // x is feasible; at a degenerate point its multipliers are not unique and the solve may
        // have picked invalid ones: project ADMM's onto the valid set with x fixed.
        systemMultipliers ??= new FactorSystem(
          { kind: 'factor', n, diagonal: new Float64Array(n), rank: 0, loadings: new Float64Array(0) },
          a,
        );
        const yr = recoverMultipliers(h, q, a, l, u, res.x, y, systemMultipliers);
        for (let i = 0; i < m; i++) yr[i] = (e[i] * yr[i]) / c;
        if (passes(kktResiduals(h0, problem.q, a0, problem.lower, problem.upper, res.x, yr))) {
          polishReport.status = 'applied';
          polishReport.multipliers = 'projected';
          xOut = res.x;
          yOut = yr;
          return true;
        }
      }
      // Wrong active-set guesses and degenerate multipliers: drop active inequality rows whose
      // multiplier has the wrong sign, and polish again.
      let dropped = 0;
      for (let i = 0; i < m; i++) {
        if (problem.lower[i] === problem.upper[i]) continue;
        if ((res.side[i] < 0 && res.y[i] > 0) || (res.side[i] > 0 && res.y[i] < 0)) {
          exclude[i] = 1;
          dropped++;
        }
      }
      if (dropped === 0) return false;
    }
    return false;
  }

  if (xOut === x) {
    // Unpolished: report the ADMM iterate in original units.
    yOut = new Float64Array(m);
    for (let i = 0; i < m; i++) yOut[i] = (e[i] * y[i]) / c;
    xOut = Float64Array.from(x);
  }
  const kkt = kktResiduals(h0, problem.q, a0, problem.lower, problem.upper, xOut, yOut);
  // Degenerate vertices (more active constraints than variables need, non-unique multipliers) can
  // defeat the polish; ADMM run to the tightened tolerance is then KKT-exact on its own.
  if (status === 'solved-inaccurate' && kkt.primal <= kktTol && kkt.stationarity <= kktTol && kkt.complementarity <= kktTol)
    status = 'solved';
  const pxo = hessianTimes(h0, xOut, new Float64Array(n));
  const objective = 0.5 * dot(xOut, pxo) + dot(problem.q, xOut);
  return {
    status,
    x: xOut,
    y: yOut,
    objective,
    iterations: iter,
    primalResidual: primRes,
    dualResidual: dualRes,
    kkt,
    polish: polishReport,
    rho,
    rhoUpdates,
    linearSystem: useFactor ? 'factor' : 'dense',
    ...(certificate ? { certificate } : {}),
  };
}

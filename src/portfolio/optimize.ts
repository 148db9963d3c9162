/**
 * `optimize`: the portfolio optimiser. Builds the QP (build.ts), solves it with the OSQP engine
 * (qp/osqp.ts, polished to KKT residuals ≤ 1e-9), and handles what is not a plain convex QP:
 *
 * - **Tracking-error cap** √(P·(w−b)ᵀΣ(w−b)) ≤ cap (annualised): a convex quadratic constraint,
 *   handled without an SOCP solver by its Lagrangian. For γ ≥ γ0 the QP with risk aversion γ has
 *   solution w(γ), and TE(w(γ)) decreases in γ. If TE(w(γ0)) ≤ cap the cap does not bind. Otherwise
 *   γ is bracketed (×4 steps) and the root of TE(γ) = cap found by a safeguarded secant on 1/γ
 *   (geometric bisection when it leaves the bracket) until cap·(1 − 1e-12) ≤ TE ≤ cap; w(γ) then
 *   satisfies the KKT conditions of the capped problem with multiplier μ = γ − γ0 ≥ 0 on
 *   ½·(w−b)ᵀΣ(w−b) ≤ ½·cap²/P (stationarity and the linear constraints to the QP's 1e-9, the cap to
 *   1e-12 relative). When even γ → ∞ (the minimum-TE portfolio) stays above the cap, the problem is
 *   infeasible and the message quotes the smallest tracking error the other constraints allow.
 * - **At most K names / a minimum position size** (a stated heuristic with its gap): solve the
 *   continuous problem (w*, objective f*, a lower bound on any K-name objective), then a HiGHS MILP
 *   finds the support: binaries z_i with m·z_i ≤ w_i ≤ U·z_i, Σz ≤ K, every linear constraint, and
 *   the objective min Σ|w − w*| (the K-name portfolio nearest the continuous optimum); the QP is then
 *   solved on that support (names outside fixed at 0, names inside ≥ m). With at most K names a
 *   second support comes from backward elimination on the QP (from w*'s names, the smallest weights
 *   dropped a sixteenth of the support at a time until K remain), and the support with the lower
 *   objective is kept: nearness to w* picks poorly when w* is spread thin (a benchmark or an index's
 *   holdings over hundreds of names, where every K-name portfolio is about as far). The kept
 *   support is then improved by exchanges (a name outside in, the one the QP then holds least out,
 *   kept when the objective falls; the names outside tried by the fall a step on each alone would
 *   buy; a bounded local search, see swapSearch). The report gives the
 *   method, the exchanges, the objective f, f*, and the gap f − f* ≥ 0 (an upper bound on the
 *   distance to the true optimum).
 *   Needs long-only bounds (w ≥ 0).
 * - **Infeasible problems** get a diagnosis (diagnose.ts) instead of a status: the conflicting
 *   constraints in words, the minimum turnover any feasible portfolio needs, or the smallest
 *   reachable tracking error. They are thrown as {@link InfeasibleError} (exit code 2 in the CLI).
 */
import { InputError } from '../core/errors.js';
import { decomposeWeights } from '../exposures/variance.js';
import type { BuiltProblem } from './build.js';
import { buildProblem, vectorOf } from './build.js';
import { InfeasibleError, diagnoseFromCertificate, diagnoseInfeasibility } from './diagnose.js';
import type { HighsRuntime, HighsSource } from './highs.js';
import { highsGetter, lpModel, solveLp, solveQpWithHighs } from './highs.js';
import { refineActiveSet } from './qp/activeSet.js';
import { ConstraintMatrix } from './qp/constraints.js';
import { kktResiduals } from './qp/kkt.js';
import type { QpProblem } from './qp/problem.js';
import { hessianTimes } from './qp/problem.js';
import type { QpResult, QpSettings } from './qp/osqp.js';
import { solveQp } from './qp/osqp.js';
import type { CardinalityReport, ConstraintReport, SolverDiagnostics, TrackingErrorCapReport } from './result.js';
import { OptimizationResult } from './result.js';
import type { RiskModel } from './riskModel.js';
import { covarianceTimes, exposuresOf, preparedModelOf, validateRiskModel, varianceOf } from './riskModel.js';
import type { OptimizeConstraints, OptimizeSpec } from './spec.js';
import { checkOptionNames, checkPositive } from '../core/checks.js';

/** Every key of {@link OptimizeSpec} and {@link OptimizeConstraints} (the compiler keeps the lists complete): a misspelt one is an error. */
const SPEC_NAMES: Readonly<Record<keyof OptimizeSpec, true>> = {
  riskModel: true,
  benchmark: true,
  current: true,
  alpha: true,
  riskAversion: true,
  linearCost: true,
  tradePenalty: true,
  constraints: true,
};
const CONSTRAINT_NAMES: Readonly<Record<keyof OptimizeConstraints, true>> = {
  budget: true,
  longOnly: true,
  minWeight: true,
  maxWeight: true,
  exposures: true,
  groups: true,
  turnover: true,
  trackingError: true,
  returnFloor: true,
  maxNames: true,
  minPosition: true,
};

export interface OptimizeOptions {
  /**
   * HiGHS, for the LP/MILP parts: a loaded runtime or a loader called on first need (Node:
   * `loadHighs` from `factorlab/io`). Needed for at most K names / a minimum position size (the
   * MILP); used, when given, for the infeasibility diagnosis (the smallest conflicting set and the
   * minimum turnover). Without it an infeasible problem is still diagnosed, from the QP engine's
   * certificate (a conflicting set of constraints, not necessarily the smallest).
   */
  highs?: HighsSource;
  /** QP engine settings (tolerances, iterations, warm start). */
  qp?: QpSettings;
  /** Time limit of the cardinality MILP in seconds (default 20). */
  milpTimeLimit?: number;
}

/** A result whose constraints are violated by more than this (weights' units) is refused, not returned with a note. */
const PRIMAL_REFUSE = 1e-6;

interface Solve {
  built: BuiltProblem;
  res: QpResult;
  w: Float64Array;
  /** Solved without the turnover cap, whose optimum meets it: the cap is not binding (no row of it in `built`). */
  capSlack?: boolean;
}

/**
 * An alpha of another scale than the risk model's periods (annual expected returns against a daily
 * model, PyPortfolioOpt's convention: 8% a year is 5 daily volatilities of a typical name): the
 * median |alpha| (over the names with a nonzero one) and the median one-period volatility of the
 * names, when the first exceeds half the second (a Sharpe ratio of 0.5 per name and period, 8 a
 * year on daily data); null otherwise. `optimize` notes that the risk term then counts for nothing,
 * `maxSharpe` that its ratio is of alpha's scale over one period's volatility.
 */
export function alphaScale(m: RiskModel, alphaOf: ArrayLike<number>): { alpha: number; volatility: number } | null {
  const n = m.assets.length,
    k = m.factors.length;
  const vols: number[] = [],
    sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = m.specificVariance[i];
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) v += m.exposures[i * k + a] * m.factorCovariance[a * k + b] * m.exposures[i * k + b];
    vols.push(Math.sqrt(Math.max(0, v)));
    if (alphaOf[i] !== 0 && Number.isFinite(alphaOf[i])) sizes.push(Math.abs(alphaOf[i]));
  }
  const median = (x: number[]): number => {
    const s = [...x].sort((p, q) => p - q);
    return s.length === 0 ? NaN : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const ma = median(sizes),
    mv = median(vols);
  return ma > 0.5 * mv && mv > 0 ? { alpha: ma, volatility: mv } : null;
}

/** The spec's objective at w: ½γ0(w−b)ᵀΣ(w−b) − αᵀw + Σc|Δw| + ½κ‖Δw‖². */
export function objectiveOf(spec: OptimizeSpec, w: ArrayLike<number>): number {
  const m = spec.riskModel,
    n = m.assets.length;
  const b = spec.benchmark;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = w[i] - (b ? b[i] : 0);
  let f = 0.5 * (spec.riskAversion ?? 1) * varianceOf(m, d);
  const cost = spec.linearCost,
    kappa = spec.tradePenalty ?? 0;
  for (let i = 0; i < n; i++) {
    if (spec.alpha) f -= spec.alpha[i] * w[i];
    const dw = w[i] - (spec.current ? spec.current[i] : 0);
    if (cost !== undefined) f += (typeof cost === 'number' ? cost : cost[i]) * Math.abs(dw);
    f += 0.5 * kappa * dw * dw;
  }
  return f;
}

const pct = (v: number): string => `${+(v * 100).toPrecision(4)}%`;

export async function optimize(spec: OptimizeSpec, options: OptimizeOptions = {}): Promise<OptimizationResult> {
  checkOptionNames<OptimizeSpec>('optimize spec', spec, SPEC_NAMES);
  checkOptionNames<OptimizeConstraints>('optimize spec.constraints', spec.constraints, CONSTRAINT_NAMES);
  checkOptionNames<OptimizeOptions>('optimize options', options, { highs: true, qp: true, milpTimeLimit: true });
  // a time limit of 0 or -1 stopped the MILP at once, reported as the cardinality search giving up
  if (options.milpTimeLimit !== undefined) checkPositive('milpTimeLimit', options.milpTimeLimit);
  const m: RiskModel = spec.riskModel;
  validateRiskModel(m);
  const n = m.assets.length;
  if (n === 0) throw new InputError('the risk model has no assets');
  const c = spec.constraints ?? {};
  const gamma0 = spec.riskAversion ?? 1;
  const teCap = c.trackingError;
  if (teCap !== undefined && !(teCap > 0))
    throw new InputError(`tracking-error cap must be > 0, got ${teCap}`, { options: ['trackingError'] });
  if (c.maxNames !== undefined && !(Number.isInteger(c.maxNames) && c.maxNames >= 1))
    throw new InputError(`maxNames must be a whole number >= 1, got ${c.maxNames}`, { options: ['maxNames'] });
  if (c.minPosition !== undefined && !(c.minPosition > 0))
    throw new InputError(`minPosition must be > 0, got ${c.minPosition}`, { options: ['minPosition'] });
  const benchmark = vectorOf(spec.benchmark, n, 'benchmark weight', m.assets);
  const P = m.periodsPerYear;
  const highsOf = highsGetter(options.highs);

  const diag = { iterations: 0, solves: 0, ms: 0, activeSetSolves: 0 };
  let last: QpResult | null = null;
  let warm: { x?: Float64Array; y?: Float64Array } = {};
  const teOf = (w: ArrayLike<number>): number => {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = w[i] - (benchmark ? benchmark[i] : 0);
    return Math.sqrt(P * varianceOf(m, d));
  };

  // A turnover cap the optimum does not reach leaves the trade variables t (t_i ≥ |Δw_i|, Σt ≤ T)
  // free over a polytope when trades are unpriced, and ADMM then stalls (measured: max-iterations
  // with the constraints violated by 1.3, or a polish rejected at every name). So the problem
  // without the cap is solved first: when its optimum meets the cap it is the capped problem's
  // optimum too (a relaxation whose optimum is feasible), and only a binding cap is solved with it.
  const { turnover: _cap, ...withoutCap } = c;
  const uncapped: OptimizeSpec | null = c.turnover !== undefined ? { ...spec, constraints: withoutCap } : null;
  const current0 = vectorOf(spec.current, n, 'current weight', m.assets) ?? new Float64Array(n);
  const turnoverOf = (w: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(w[i] - current0[i]);
    return s;
  };
  const solveAt = async (gamma: number, lower?: Float64Array, upper?: Float64Array): Promise<Solve> => {
    if (uncapped !== null && c.turnover !== undefined) {
      const free = await solveSpec(uncapped, gamma, lower, upper);
      if (free.res.status === 'solved' && turnoverOf(free.w) <= c.turnover * (1 + 1e-12)) return { ...free, capSlack: true };
    }
    return solveSpec(spec, gamma, lower, upper);
  };
  const solveSpec = async (which: OptimizeSpec, gamma: number, lower?: Float64Array, upper?: Float64Array): Promise<Solve> => {
    const built = buildProblem(which, { riskAversion: gamma, ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) });
    const t0 = performance.now();
    const sameShape = warm.x && warm.x.length === built.problem.hessian.n && warm.y && warm.y.length === built.problem.rows.length;
    let res = solveQp(built.problem, { ...options.qp, ...(sameShape ? warm : {}) });
    diag.ms += performance.now() - t0;
    diag.iterations += res.iterations;
    diag.solves++;
    last = res;
    if (res.status === 'primal-infeasible' || res.status === 'max-iterations') {
      // ADMM's certificate, or no convergence (which an infeasible problem can also cause):
      // HiGHS, when given, decides feasibility and names the smallest conflict; otherwise the
      // certificate's support names a conflicting set.
      if (highsOf) {
        const d = diagnoseInfeasibility(built, await highsOf(), c.turnover);
        if (res.status === 'primal-infeasible' || d.conflicts.length > 0)
          throw new InfeasibleError(d, 'relax one of the conflicting constraints');
      } else if (res.status === 'primal-infeasible' && res.certificate) {
        throw new InfeasibleError(diagnoseFromCertificate(built, res.certificate), 'relax one of the conflicting constraints');
      }
    }
    if (res.status === 'max-iterations' && options.qp?.polish !== false) {
      // A feasible problem ADMM could not finish (a thin feasible set: an exposure floor just inside
      // what the name caps reach left its rows 2e-5 apart after 20,000 iterations on the S&P 500):
      // an active-set iteration from its iterate (or from HiGHS's QP answer) solves it exactly, or
      // the weights are refused below, as before.
      const t1 = performance.now();
      const exact = await exactActiveSetSolve(built.problem, res.x, highsOf, options.qp?.kktTolerance ?? 1e-9);
      diag.ms += performance.now() - t1;
      if (exact !== null) {
        res = { ...res, ...exact };
        last = res;
        diag.activeSetSolves++;
      }
    }
    if (res.status === 'dual-infeasible') {
      throw new InputError('unbounded: the objective can decrease without limit under these constraints', {
        hint: 'add a budget, per-name bounds or a positive risk aversion',
      });
    }
    warm = { x: res.x, y: res.y };
    return { built, res, w: res.x.slice(0, n) };
  };

  // Pre-check: with a turnover cap, the minimum turnover the other constraints need (HiGHS LP).
  if (c.turnover !== undefined && highsOf) {
    const highs = await highsOf();
    const built = buildProblem(spec);
    const cost = new Float64Array(2 * n);
    for (let i = n; i < 2 * n; i++) cost[i] = 1;
    const noCap = buildProblem(spec, { withoutTurnoverCap: true });
    const sol = solveLp(highs, lpModel(noCap, { cost }));
    if (sol.status !== 'optimal' || sol.objective > c.turnover + 1e-9)
      throw new InfeasibleError(diagnoseInfeasibility(built, highs, c.turnover), 'raise the turnover cap or relax the other constraints');
  }

  let capReport: TrackingErrorCapReport | null = null;
  const withCap = async (lower?: Float64Array, upper?: Float64Array): Promise<Solve> => {
    let s = await solveAt(gamma0, lower, upper);
    if (teCap === undefined) return s;
    let te = teOf(s.w);
    if (te <= teCap) {
      capReport = { cap: teCap, achieved: te, binding: false, riskAversion: gamma0, multiplier: 0, bisectionSteps: 0 };
      return s;
    }
    let gLo = gamma0,
      teLo = te,
      gHi = gamma0 > 0 ? gamma0 * 4 : 1,
      hi: Solve | null = null,
      steps = 0;
    for (; steps < 40; steps++) {
      const t = await solveAt(gHi, lower, upper);
      const tt = teOf(t.w);
      if (tt <= teCap) {
        hi = t;
        break;
      }
      gLo = gHi;
      teLo = tt;
      gHi *= 4;
    }
    if (!hi) {
      const minTe = await minimumTrackingError(lower, upper);
      const d = {
        conflicts: [`tracking error ≤ ${pct(teCap)}`],
        minimumTrackingError: minTe,
        message: benchmark
          ? `infeasible: the tracking-error cap ${pct(teCap)} is below ${pct(minTe)}, the smallest tracking error any portfolio meeting the other constraints has (annualised, ex-ante)`
          : `infeasible: the tracking-error cap ${pct(teCap)}, without a benchmark a cap on the volatility, is below ${pct(minTe)}, the smallest volatility any portfolio meeting the other constraints has (annualised, ex-ante)`,
      };
      throw new InfeasibleError(d, 'raise the tracking-error cap or relax the other constraints');
    }
    s = hi;
    te = teOf(s.w);
    // The root of TE(γ) = cap in the bracket [gLo, gHi] (TE above the cap at gLo, at or below it at
    // gHi, where the iterate is kept: always feasible). TE falls roughly as 1/γ, so the secant runs
    // on u = 1/γ (Illinois: an end kept twice has its residual halved), safeguarded by a geometric
    // bisection step when it leaves the bracket or gLo is 0; stops at TE ≥ cap·(1 − 1e-12), where
    // the objective is optimal to ~1e-12 of the multiplier, or when the bracket closes.
    let side = 0;
    let fLo = teLo - teCap,
      fHi = te - teCap;
    while (steps < 100 && te < teCap * (1 - 1e-12)) {
      steps++;
      let g = Math.sqrt(gLo * gHi) || (gLo + gHi) / 2;
      if (gLo > 0 && fLo > 0 && fHi < 0) {
        const uLo = 1 / gLo,
          uHi = 1 / gHi;
        const u = uHi + ((uLo - uHi) * -fHi) / (fLo - fHi);
        if (u > uHi && u < uLo) g = 1 / u;
      }
      const t = await solveAt(g, lower, upper);
      const tt = teOf(t.w);
      if (tt <= teCap) {
        gHi = g;
        s = t;
        te = tt;
        fHi = tt - teCap;
        if (side === 1) fLo /= 2;
        side = 1;
      } else {
        gLo = g;
        fLo = tt - teCap;
        if (side === -1) fHi /= 2;
        side = -1;
      }
      if (gHi / Math.max(gLo, 1e-300) < 1 + 1e-15) break;
    }
    capReport = { cap: teCap, achieved: te, binding: true, riskAversion: gHi, multiplier: gHi - gamma0, bisectionSteps: steps };
    return s;
  };

  const minimumTrackingError = async (lower?: Float64Array, upper?: Float64Array): Promise<number> => {
    const pure: OptimizeSpec = {
      ...spec,
      alpha: undefined,
      linearCost: undefined,
      tradePenalty: 0,
      riskAversion: 1,
      constraints: { ...c, trackingError: undefined },
    };
    const built = buildProblem(pure, { ...(lower ? { lower } : {}), ...(upper ? { upper } : {}) });
    const res = solveQp(built.problem, options.qp);
    return teOf(res.x.slice(0, n));
  };

  let final = await withCap();
  const notes: string[] = [];
  let cardinality: CardinalityReport | null = null;
  if (c.maxNames !== undefined || c.minPosition !== undefined) {
    if (!highsOf)
      throw new InputError('at most K names and a minimum position size are found by a HiGHS MILP, and no HiGHS was given', {
        options: ['highs'],
        hint: "pass optimize(spec, { highs: loadHighs }) with loadHighs from 'factorlab/io' (Node), or a loaded HiGHS instance",
      });
    const highs: HighsRuntime = await highsOf();
    const relaxed = final;
    /**
     * Backward elimination: from the names the continuous optimum holds, solve the QP on the
     * support and drop its smallest weights (a sixteenth of the support at a time, never past K,
     * never a name with a positive lower bound), until at most K names remain; then the QP on those
     * with the minimum position. Null when a step is infeasible (the MILP's support stands). Finer
     * steps find lower objectives at about the same time (the demo's 30-name index basket 3.37e-6
     * against 3.80e-6 a quarter at a time, the S&P 500's 50-name one 6.77e-7 against 7.45e-7).
     */
    const eliminationSupport = async (w0: Float64Array, K: number): Promise<{ inside: Uint8Array; objective: number } | null> => {
      const inside = new Uint8Array(n);
      let count = 0;
      for (let i = 0; i < n; i++)
        if (w0[i] > 1e-9 || bounds.lower[i] > 0) {
          inside[i] = 1;
          count++;
        }
      let w = w0;
      try {
        while (count > K) {
          const drop = Math.max(1, Math.min(count - K, Math.ceil(count / 16)));
          const order = Array.from({ length: n }, (_, i) => i)
            .filter((i) => inside[i] === 1 && !(bounds.lower[i] > 0))
            .sort((x, y) => w[x] - w[y] || x - y);
          if (order.length < drop) return null;
          for (let k = 0; k < drop; k++) inside[order[k]] = 0;
          count -= drop;
          if (count > K) w = (await onSupport(inside, true)).w; // warm: the last support's solution, less a few small weights
        }
        return { inside, objective: objectiveOf(spec, (await onSupport(inside)).w) };
      } catch (e) {
        if (e instanceof InfeasibleError) return null;
        throw e;
      }
    };
    const relaxedObjective = objectiveOf(spec, relaxed.w);
    const built = relaxed.built;
    const bounds = boundsOf(built, n);
    for (let i = 0; i < n; i++)
      if (bounds.lower[i] < 0)
        throw new InputError('at most K names and a minimum position size need long-only weights (every lower bound >= 0)', {
          asset: m.assets[i],
          options: ['maxNames', 'minPosition'],
        });
    const budget = c.budget === undefined ? 1 : c.budget;
    const cap = (i: number): number => Math.min(bounds.upper[i], budget !== null && budget > 0 ? budget : Infinity, 10);
    const minPos = c.minPosition ?? 0;
    const nv = built.problem.hessian.n;
    const extraCols = [
      ...Array.from({ length: n }, () => ({ cost: 0, lower: 0, upper: 1, integer: true })),
      ...Array.from({ length: n }, () => ({ cost: 1, lower: 0, upper: Infinity })),
    ];
    const zi = (i: number): number => nv + i,
      si = (i: number): number => nv + n + i;
    const extraRows: { index: number[]; values: number[]; lower: number; upper: number }[] = [];
    for (let i = 0; i < n; i++) {
      extraRows.push({ index: [i, zi(i)], values: [1, -cap(i)], lower: -Infinity, upper: 0 });
      extraRows.push({ index: [i, zi(i)], values: [1, -Math.max(minPos, bounds.lower[i])], lower: 0, upper: Infinity });
      extraRows.push({ index: [si(i), i], values: [1, -1], lower: -relaxed.w[i], upper: Infinity });
      extraRows.push({ index: [si(i), i], values: [1, 1], lower: relaxed.w[i], upper: Infinity });
    }
    if (c.maxNames !== undefined)
      extraRows.push({
        index: Array.from({ length: n }, (_, i) => zi(i)),
        values: new Array<number>(n).fill(1),
        lower: 0,
        upper: c.maxNames,
      });
    const milp = solveLp(highs, lpModel(built, { extraCols, extraRows }), { time_limit: options.milpTimeLimit ?? 20, mip_rel_gap: 1e-4 });
    const hasSolution =
      milp.x.length === nv + 2 * n && (milp.status === 'optimal' || (milp.status === 'other' && Number.isFinite(milp.x[zi(0)])));
    const words = [
      c.maxNames !== undefined ? `at most ${c.maxNames} names` : '',
      c.minPosition !== undefined ? `every holding ≥ ${pct(c.minPosition)}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const noPortfolio = (why: string): InfeasibleError =>
      new InfeasibleError(
        { conflicts: [words], message: `infeasible: no portfolio with ${words} meets the other constraints (${why})` },
        'allow more names, a smaller minimum position, or wider bands',
      );
    if (milp.status === 'infeasible') throw noPortfolio(`HiGHS MILP status ${milp.status}`);
    // a MILP stopped by its time limit before any integer solution has no support (x all 0): the
    // elimination's support stands alone then (5,774 names and 50 of them: the QP on the empty
    // support was the "conflict" before, every name fixed at 0)
    const inMilp = new Uint8Array(n);
    if (hasSolution) for (let i = 0; i < n; i++) if (milp.x[zi(i)] > 0.5) inMilp[i] = 1;
    /** The QP on a support (names outside fixed at 0, names inside at least the minimum position). */
    const onSupport = async (inside: Uint8Array, warmStart = false): Promise<Solve> => {
      const lower = new Float64Array(n),
        upper = new Float64Array(n);
      for (let i = 0; i < n; i++)
        if (inside[i] === 1) {
          lower[i] = Math.max(bounds.lower[i], minPos);
          upper[i] = bounds.upper[i];
        }
      if (!warmStart) warm = {};
      return withCap(lower, upper);
    };
    /**
     * Local search by exchanges on a support S of at most K names, add-then-drop: a name e outside
     * enters (the QP on S + e), the name the QP on S + e holds least leaves (j, not e), and the
     * exchange is kept when the QP on S + e − j has a lower objective than S's (by more than 1e-12
     * relative; first improvement, then a new round from it). With fewer than K names held, S + e
     * itself is the trial. Entering candidates: the names outside with a positive multiplier y_e on
     * their bound w_e ≤ 0 (the rate at which the objective would fall as w_e rises from 0: the QP's
     * KKT conditions), best first by y_e²/h_e, the fall a step on w_e alone buys, h_e the
     * objective's curvature along w_e (a one-sided second difference of objectiveOf; y_e when it
     * is not positive). By y_e alone a name with a large multiplier and a large variance came
     * first, and the search stopped higher: on four random 8-of-60 tracking problems, all four ended
     * higher (1.127e-5 against 0.952e-5, 1.197e-5 against 1.148e-5). A round stops at the first improvement or after PATIENCE
     * candidates without one; the search stops when a round finds none or after `maxSolves` trial
     * supports (each one QP, or the tracking-error cap's bisection of QPs). Names with a positive
     * lower bound never leave; an infeasible trial is skipped. The support can only get better: the
     * result is S's when no exchange helps.
     */
    const swapSearch = async (
      start: Uint8Array,
      K: number,
    ): Promise<{ inside: Uint8Array; swaps: number; trials: number; before: number }> => {
      const maxSolves = Math.min(60, 20 + K),
        PATIENCE = 10;
      const direct = minPos > 0 && budget !== null && budget > 0 && minPos * (K + 1) > budget * (1 + 1e-12);
      let inside: Uint8Array<ArrayBuffer> = Uint8Array.from(start);
      let current = await onSupport(inside);
      let f = objectiveOf(spec, current.w);
      const before = f;
      let swaps = 0,
        trials = 0;
      // at the continuous optimum's objective already (it held at most K names): nothing to gain
      if (!(f - relaxedObjective > 1e-12 * Math.max(1, Math.abs(f)))) return { inside, swaps, trials, before };
      const better = (g: number): boolean => g < f - 1e-12 * Math.max(1, Math.abs(f));
      /** The QP on a trial support, or null when it is infeasible. */
      const trial = async (support: Uint8Array): Promise<Solve | null> => {
        trials++;
        try {
          return await onSupport(support, true);
        } catch (err) {
          if (err instanceof InfeasibleError) return null;
          throw err;
        }
      };
      const boundRow = new Int32Array(n);
      while (trials < maxSolves) {
        boundRow.fill(-1);
        current.built.labels.forEach((l, r) => {
          if (l.kind === 'bound' && l.asset !== undefined && l.asset < n) boundRow[l.asset] = r;
        });
        const y = current.res.y;
        const enter: { i: number; score: number }[] = [];
        let count = 0;
        const probe = Float64Array.from(current.w);
        const f0 = objectiveOf(spec, probe);
        for (let i = 0; i < n; i++) {
          if (inside[i] === 1) {
            count++;
            continue;
          }
          const r = boundRow[i];
          if (r >= 0 && bounds.upper[i] > 0 && y[r] > 0) {
            // the objective's curvature along w_i (a one-sided second difference: exact for the
            // quadratic, clear of a cost's kink at 0): y²/(2h) is the fall a step on w_i alone buys
            const h = 1e-3;
            probe[i] = h;
            const f1 = objectiveOf(spec, probe);
            probe[i] = 2 * h;
            const f2 = objectiveOf(spec, probe);
            probe[i] = 0;
            const curvature = (f2 - 2 * f1 + f0) / (h * h);
            enter.push({ i, score: curvature > 0 ? (y[r] * y[r]) / curvature : y[r] });
          }
        }
        enter.sort((a, b) => b.score - a.score || a.i - b.i);
        let improved = false,
          failed = 0;
        if (direct && count >= K) {
          // K + 1 names of at least the minimum position exceed the budget, so S + e cannot hold
          // and add-then-drop never tried an exchange (20 names of at least 5% tracking the S&P
          // 500's equal-weight index: no exchange, 4.61% tracking error; 2.95% after 24 of these).
          // The exchange is direct: e for the held name j whose weight moved onto e gives the
          // lowest objective, the pairs tried best first (one per e, PATIENCE trials without gain).
          // Every outside name e against every held j, exactly and cheaply: moving δ = w_j from j
          // to e changes the objective by δ·γ0·((Σd)_e − (Σd)_j) + ½γ0·δ²·(Σ_ee + Σ_jj − 2Σ_ej)
          // − δ(α_e − α_j) plus the cost and trade-penalty terms of the two names (d = w − b), and a
          // band row's value by δ(a_e − a_j). Pairs whose moved weights break an exposure, group or
          // return band come after the others: the QP may still meet the band by moving the other
          // weights, unless they are pinned at the minimum position (a basket of K names at 1/K).
          const w = current.w;
          const { rows, lower, upper } = current.built.problem;
          const banded: { lo: number; hi: number; value: number; coef: Float64Array }[] = [];
          current.built.labels.forEach((l, r) => {
            if (l.kind !== 'exposure' && l.kind !== 'group' && l.kind !== 'return') return;
            const row = rows[r];
            const coef = new Float64Array(n);
            if ('dense' in row) coef.set(row.dense.subarray(0, n));
            else row.index.forEach((i, q) => (i < n ? (coef[i] = row.values[q]) : undefined));
            let value = 0;
            for (let i = 0; i < n; i++) value += coef[i] * w[i];
            banded.push({ lo: lower[r], hi: upper[r], value, coef });
          });
          const g0 = spec.riskAversion ?? 1,
            kappa = spec.tradePenalty ?? 0,
            costOf = (i: number): number =>
              spec.linearCost === undefined ? 0 : typeof spec.linearCost === 'number' ? spec.linearCost : spec.linearCost[i];
          const alphaOf = (i: number): number => (spec.alpha ? spec.alpha[i] : 0);
          const d = new Float64Array(n);
          for (let i = 0; i < n; i++) d[i] = w[i] - (benchmark ? benchmark[i] : 0);
          const sd = covarianceTimes(m, d);
          const k = m.factors.length,
            F = m.factorCovariance,
            B = m.exposures;
          const held: number[] = [];
          for (let i = 0; i < n; i++) if (inside[i] === 1 && !(bounds.lower[i] > 0)) held.push(i);
          // F·B_j and Σ_jj of the held names
          const fbHeld = held.map((j) => {
            const v = new Float64Array(k);
            for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) v[a] += F[a * k + c] * B[j * k + c];
            return v;
          });
          const sjj = held.map((j, h) => {
            let v = m.specificVariance[j];
            for (let a = 0; a < k; a++) v += B[j * k + a] * fbHeld[h][a];
            return v;
          });
          const tradeTerm = (i: number, from: number, to: number): number => {
            const a0 = from - current0[i],
              a1 = to - current0[i];
            return costOf(i) * (Math.abs(a1) - Math.abs(a0)) + 0.5 * kappa * (a1 * a1 - a0 * a0);
          };
          const pairs: { e: number; j: number; score: number; holds: boolean }[] = [];
          const fbE = new Float64Array(k);
          for (let e = 0; e < n; e++) {
            if (inside[e] === 1 || !(bounds.upper[e] > 0)) continue;
            fbE.fill(0);
            for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) fbE[a] += F[a * k + c] * B[e * k + c];
            let see = m.specificVariance[e];
            for (let a = 0; a < k; a++) see += B[e * k + a] * fbE[a];
            let best: { e: number; j: number; score: number; holds: boolean } | null = null;
            held.forEach((j, h) => {
              const delta = w[j];
              if (delta > bounds.upper[e]) return;
              let sej = 0;
              for (let a = 0; a < k; a++) sej += B[e * k + a] * fbHeld[h][a];
              const score =
                delta * g0 * (sd[e] - sd[j]) +
                0.5 * g0 * delta * delta * (see + sjj[h] - 2 * sej) -
                delta * (alphaOf(e) - alphaOf(j)) +
                tradeTerm(e, w[e], w[e] + delta) +
                tradeTerm(j, w[j], 0);
              const ok = banded.every((r) => {
                const v = r.value + delta * (r.coef[e] - r.coef[j]);
                const tol = 1e-9 * Math.max(1, Math.abs(v));
                return v >= r.lo - tol && v <= r.hi + tol;
              });
              if (best === null || (ok && !best.holds) || (ok === best.holds && score < best.score)) best = { e, j, score, holds: ok };
            });
            if (best !== null) pairs.push(best);
          }
          pairs.sort((a, b) => Number(b.holds) - Number(a.holds) || a.score - b.score || a.e - b.e);
          for (const { e, j } of pairs) {
            if (trials >= maxSolves || failed >= PATIENCE) break;
            failed++;
            const next = Uint8Array.from(inside);
            next[j] = 0;
            next[e] = 1;
            const solved = await trial(next);
            if (solved === null) continue;
            const g = objectiveOf(spec, solved.w);
            if (better(g)) {
              inside = next;
              current = solved;
              f = g;
              swaps++;
              improved = true;
              break;
            }
          }
          if (!improved) break;
          continue;
        }
        for (const { i: e } of enter) {
          if (trials >= maxSolves || failed >= PATIENCE) break;
          failed++;
          const plus = Uint8Array.from(inside);
          plus[e] = 1;
          const added = await trial(plus);
          if (added === null) continue;
          let next: Uint8Array<ArrayBuffer> | null = null,
            solved: Solve | null = null;
          if (count < K) {
            next = plus;
            solved = added;
          } else {
            // the name S + e holds least leaves (never e itself, nor a name with a floor)
            let j = -1;
            for (let i = 0; i < n; i++) if (plus[i] === 1 && i !== e && !(bounds.lower[i] > 0) && (j < 0 || added.w[i] < added.w[j])) j = i;
            if (j < 0 || trials >= maxSolves) continue;
            next = Uint8Array.from(plus);
            next[j] = 0;
            solved = await trial(next);
          }
          if (solved === null) continue;
          const g = objectiveOf(spec, solved.w);
          if (better(g)) {
            inside = next;
            current = solved;
            f = g;
            swaps++;
            improved = true;
            break;
          }
        }
        if (!improved) break;
      }
      return { inside, swaps, trials, before };
    };
    // The MILP's support is the K-name portfolio nearest the continuous optimum in Σ|w − w*|, which
    // says little when w* is spread thin (a benchmark or a target's holdings over hundreds of names:
    // every K-name portfolio is about equally far). A second support comes from backward
    // elimination on the QP itself (see eliminationSupport); the better of the two is kept.
    const byElimination = c.maxNames !== undefined ? await eliminationSupport(relaxed.w, c.maxNames) : null;
    // the QP on the MILP's support: its objective, or NaN when there is none or the QP cannot hold it
    let a = NaN;
    if (inMilp.includes(1))
      try {
        a = objectiveOf(spec, (await onSupport(inMilp)).w);
      } catch (e) {
        if (!(e instanceof InfeasibleError)) throw e;
      }
    // With a tracking-error cap, both supports come from the capped optimum, and the QP on each may
    // miss the cap where other supports of K names meet it (an alpha pulls the continuous optimum
    // away from the benchmark): the least-tracking-error support of K names (the same search on the
    // problem without alpha, costs or cap) is tried before the run is called infeasible. Before, it
    // exited 2 "no portfolio with at most K names meets the other constraints (HiGHS MILP status
    // optimal)" under a 5% cap that a 12-name portfolio met at 4.34%.
    let leastTe: Uint8Array | null = null,
      leastTeMethod: CardinalityReport['method'] = 'milp-support';
    if (Number.isNaN(a) && byElimination === null && teCap !== undefined) {
      const pure = await optimize(
        {
          ...spec,
          alpha: undefined,
          linearCost: undefined,
          tradePenalty: 0,
          riskAversion: 1,
          constraints: { ...c, trackingError: undefined },
        },
        options,
      );
      const support = Uint8Array.from(pure.weights, (v) => (v > 0 ? 1 : 0));
      try {
        a = objectiveOf(spec, (await onSupport(support)).w);
        leastTe = support;
        leastTeMethod = pure.data.cardinality?.method ?? 'milp-support';
        notes.push(
          `tracking-error cap: the QP on the ${c.maxNames !== undefined ? "supports found from the capped optimum (the MILP's, backward elimination's)" : "MILP's support nearest the capped optimum"} cannot meet the cap ${pct(teCap)}; the support of the least ${benchmark ? 'tracking error' : 'volatility'} with ${words} (${pct(teOf(pure.weights))}, the same search without alpha or costs) was used instead`,
        );
      } catch (e) {
        if (!(e instanceof InfeasibleError)) throw e;
        const minTe = teOf(pure.weights);
        throw new InfeasibleError(
          {
            conflicts: [`tracking error ≤ ${pct(teCap)}`, words],
            minimumTrackingError: minTe,
            message: `infeasible: the tracking-error cap ${pct(teCap)} is below ${pct(minTe)}, the least ${benchmark ? 'tracking error' : 'volatility'} found for a portfolio with ${words} meeting the other constraints (annualised, ex-ante; the search over supports is a heuristic, not a proof that none is lower)`,
          },
          'raise the tracking-error cap, or allow more names or a smaller minimum position',
        );
      }
    }
    if (Number.isNaN(a) && byElimination === null)
      throw noPortfolio(
        `HiGHS MILP status ${milp.status}${!inMilp.includes(1) && milp.status !== 'optimal' ? ': no support within its time limit' : ''}`,
      );
    let chosen: Uint8Array = leastTe ?? inMilp,
      method: CardinalityReport['method'] = leastTe !== null ? leastTeMethod : 'milp-support';
    if (byElimination !== null && (Number.isNaN(a) || byElimination.objective < a - 1e-12 * Math.max(1, Math.abs(a)))) {
      chosen = byElimination.inside;
      method = 'elimination';
    }
    // Exchanges: the better support is improved by swapping names in and out (swapSearch).
    const exchanged = c.maxNames !== undefined ? await swapSearch(chosen, c.maxNames) : null;
    if (exchanged !== null && exchanged.swaps > 0) chosen = exchanged.inside;
    let support = 0;
    for (let i = 0; i < n; i++) support += chosen[i];
    final = await onSupport(chosen); // solved last, so the cap report and the solver's diagnostics are this support's
    const objective = objectiveOf(spec, final.w);
    cardinality = {
      method,
      maxNames: c.maxNames ?? null,
      minPosition: c.minPosition ?? null,
      names: support, // the names held: counted below, once tiny weights are 0
      support,
      relaxedObjective,
      objective,
      gap: Math.max(0, objective - relaxedObjective),
      supportObjective: exchanged?.before ?? objective,
      swaps: exchanged?.swaps ?? 0,
      swapTrials: exchanged?.trials ?? 0,
      milpStatus: milp.status,
    };
  }

  const w = final.w;
  for (let i = 0; i < n; i++) if (Math.abs(w[i]) < 1e-13) w[i] = 0;
  if (cardinality !== null) {
    let held = 0;
    for (let i = 0; i < n; i++) if (w[i] !== 0) held++;
    cardinality = { ...cardinality, names: held };
  }
  const current = final.built.current;
  let twoWay = 0;
  for (let i = 0; i < n; i++) twoWay += Math.abs(w[i] - current[i]);
  const model = preparedModelOf(m);
  const active = benchmark ? w.map((v, i) => v - benchmark[i]) : null;
  const res = last as unknown as QpResult;
  const solver: SolverDiagnostics = {
    engine: 'osqp',
    status: final.res.status,
    iterations: diag.iterations,
    solves: diag.solves,
    primalResidual: final.res.primalResidual,
    dualResidual: final.res.dualResidual,
    kkt: final.res.kkt,
    polish: final.res.polish,
    rho: final.res.rho,
    rhoUpdates: final.res.rhoUpdates,
    linearSystem: res.linearSystem,
    milliseconds: diag.ms,
  };
  // Weights that break the constraints are not an answer, however the solve ended: refused (a
  // fault of the engine, not of the input, since an infeasible problem is diagnosed above).
  if (final.res.status !== 'solved' && !(final.res.kkt.primal <= PRIMAL_REFUSE))
    throw new Error(
      `the QP engine stopped with status ${final.res.status} at weights that break the constraints by ${final.res.kkt.primal.toPrecision(3)} (primal residual): no answer is returned. Please report the problem (its spec) to factorlab`,
    );
  // Group neutrality with names in no group: every group sits at the benchmark's weight, so the
  // difference between the budget and the benchmark's sum (a benchmark holding cash) falls on the
  // names in no group, which hold it beside their own benchmark weight. Said, not silent.
  if (c.groups?.neutral === true && benchmark && (c.groups.bands ?? []).length === 0) {
    const budget = c.budget === undefined ? 1 : c.budget;
    const outside: number[] = [];
    c.groups.labels.forEach((l, i) => {
      if (l === null) outside.push(i);
    });
    let sb = 0;
    for (let i = 0; i < n; i++) sb += benchmark[i];
    if (budget !== null && outside.length > 0 && Math.abs(budget - sb) > 1e-6) {
      let held = 0,
        bench = 0;
      for (const i of outside) {
        held += w[i];
        bench += benchmark[i];
      }
      notes.push(
        `group neutrality: every group is at the benchmark's weight, so the ${pct(budget - sb)} between the budget (${pct(budget)}) and the benchmark's sum (${pct(sb)}) falls on the ${outside.length} name${outside.length === 1 ? '' : 's'} in no group (${outside
          .slice(0, 6)
          .map((i) => m.assets[i])
          .join(
            ', ',
          )}${outside.length > 6 ? ', ...' : ''}): they hold ${pct(held)} against the benchmark's ${pct(bench)}; give a benchmark that sums to the budget, or put those names in a group`,
      );
    }
  }
  // An alpha of another scale than the risk model's periods (annual expected returns against a
  // daily model, PyPortfolioOpt's convention: 8% a year is 5 daily volatilities of a typical
  // name) makes the risk term count for nothing, and the weights sit at their bounds: a plausible
  // looking book that ignores the risk model. Said when the median |alpha| exceeds half the median
  // per-period volatility of the names (a daily Sharpe ratio of 0.5 per name, 8 a year).
  if (spec.alpha && c.returnFloor === undefined) {
    const scale = alphaScale(m, spec.alpha);
    if (scale !== null)
      notes.push(
        `alpha: the median |alpha|, ${+scale.alpha.toPrecision(3)}, is ${+(scale.alpha / scale.volatility).toPrecision(3)} times the median volatility of a name over one period of the risk model (${pct(scale.volatility)}; ${P} periods a year), so the risk term hardly counts at risk aversion ${+gamma0.toPrecision(6)} and the weights go to their bounds; alpha is per period, as the risk model's returns are: annual expected returns are divided by ${P}; a signal needs a higher risk aversion`,
      );
  }
  if (diag.activeSetSolves > 0)
    notes.push(
      `ADMM did not converge on ${diag.activeSetSolves === 1 ? 'a QP solve' : `${diag.activeSetSolves} QP solves`} (a thin feasible set: a band just inside what the other constraints reach); an active-set iteration from its last iterate solved ${diag.activeSetSolves === 1 ? 'it' : 'them'} exactly (KKT conditions to 1e-9)`,
    );
  if (final.res.status !== 'solved')
    notes.push(
      `the QP engine stopped with status ${final.res.status}: the weights are ADMM's approximate answer (residuals in solver)${final.res.status === 'max-iterations' && !highsOf ? '; the problem may be infeasible: pass a HiGHS runtime (options.highs) to check' : ''}`,
    );
  return new OptimizationResult({
    assets: m.assets,
    factors: m.factors,
    weights: w,
    benchmark,
    current,
    objective: objectiveOf(spec, w),
    exposures: { portfolio: exposuresOf(m, w), benchmark: benchmark ? exposuresOf(m, benchmark) : null },
    risk: {
      periodsPerYear: P,
      volatility: Math.sqrt(P * varianceOf(m, w)),
      trackingError: teOf(w),
      decomposition: decomposeWeights(model, w),
      activeDecomposition: active ? decomposeWeights(model, active) : null,
    },
    turnover: { twoWay, oneWay: twoWay / 2 },
    constraints:
      final.capSlack === true && c.turnover !== undefined
        ? [
            ...constraintRows(final.built, final.res),
            {
              kind: 'turnover',
              name: null,
              relative: 'absolute',
              min: null,
              max: c.turnover,
              value: twoWay,
              multiplier: 0,
              atBound: twoWay >= c.turnover * (1 - 1e-9) ? 'max' : null,
            },
          ]
        : constraintRows(final.built, final.res),
    trackingErrorCap: capReport,
    cardinality,
    solver,
    notes,
  });
}

/** The portfolio-level rows of the built problem at the solution, in the user's terms. */
function constraintRows(built: BuiltProblem, res: QpResult): ConstraintReport[] {
  const p = built.problem,
    x = res.x;
  const out: ConstraintReport[] = [];
  built.labels.forEach((label, r) => {
    if (
      label.kind !== 'budget' &&
      label.kind !== 'exposure' &&
      label.kind !== 'return' &&
      label.kind !== 'group' &&
      label.kind !== 'turnover'
    )
      return;
    const row = p.rows[r];
    let v = 0;
    if ('dense' in row) for (let j = 0; j < row.dense.length; j++) v += row.dense[j] * x[j];
    else for (let q = 0; q < row.index.length; q++) v += row.values[q] * x[row.index[q]];
    const shift = label.shift ?? 0,
      lo = p.lower[r],
      hi = p.upper[r];
    const near = (b: number): boolean => Number.isFinite(b) && Math.abs(v - b) <= 1e-9 * Math.max(1, Math.abs(b));
    out.push({
      kind: label.kind,
      name: label.name ?? null,
      relative: label.relative ?? 'absolute',
      min: Number.isFinite(lo) ? (label.given ? label.given[0] : lo - shift) : null,
      max: Number.isFinite(hi) ? (label.given ? label.given[1] : hi - shift) : null,
      value: v - shift,
      multiplier: res.y[r],
      atBound: lo === hi ? 'equal' : near(lo) ? 'min' : near(hi) ? 'max' : null,
    });
  });
  return out;
}

/** Per-asset bounds of the built problem (−∞/∞ where none). */
function boundsOf(built: BuiltProblem, n: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(n).fill(-Infinity),
    upper = new Float64Array(n).fill(Infinity);
  built.labels.forEach((l, r) => {
    if (l.kind === 'bound' && l.asset !== undefined) {
      lower[l.asset] = built.problem.lower[r];
      upper[l.asset] = built.problem.upper[r];
    }
  });
  return { lower, upper };
}

/**
 * A QP ADMM could not finish, solved exactly by an active-set iteration ({@link refineActiveSet})
 * from ADMM's last iterate, or else from HiGHS's active-set QP answer: x, y and their KKT residuals,
 * or null when neither settles (a degenerate active set, HiGHS failing) or the residuals miss
 * `tolerance` (the caller then refuses the weights, as before).
 */
async function exactActiveSetSolve(
  p: QpProblem,
  admmX: ArrayLike<number>,
  highsOf: (() => Promise<HighsRuntime>) | null,
  tolerance: number,
): Promise<Pick<QpResult, 'status' | 'x' | 'y' | 'objective' | 'kkt' | 'polish' | 'linearSystem'> | null> {
  const a = new ConstraintMatrix(p.rows, p.hessian.n);
  const bounds = [...p.lower, ...p.upper].filter(Number.isFinite).map(Math.abs);
  const scaleP = Math.max(1, ...bounds);
  let qn = 0;
  for (const v of p.q) qn = Math.max(qn, Math.abs(v));
  const starts: (() => Promise<ArrayLike<number> | null>)[] = [
    () => Promise.resolve(admmX),
    async () => {
      if (highsOf === null) return null; // HiGHS is loaded only when ADMM's iterate was not enough
      const hs = solveQpWithHighs(await highsOf(), p);
      return hs.status === 'optimal' ? hs.x : null;
    },
  ];
  for (const start of starts) {
    const x0 = await start();
    if (x0 === null) continue;
    const ex = refineActiveSet(p, a, x0);
    if (ex === null) continue;
    const kkt = kktResiduals(p.hessian, p.q, a, p.lower, p.upper, ex.x, ex.y);
    if (!(kkt.primal <= tolerance * scaleP && kkt.stationarity <= tolerance * Math.max(1, qn) && kkt.complementarity <= tolerance))
      continue;
    const px = hessianTimes(p.hessian, ex.x, new Float64Array(p.hessian.n));
    let objective = 0;
    for (let j = 0; j < px.length; j++) objective += ex.x[j] * (0.5 * px[j] + p.q[j]);
    let lowerActive = 0,
      upperActive = 0;
    for (const s of ex.side)
      if (s < 0) lowerActive++;
      else if (s > 0) upperActive++;
    return {
      status: 'solved',
      x: ex.x,
      y: ex.y,
      objective,
      kkt,
      polish: { status: 'applied', multipliers: 'solve', attempts: ex.steps, lowerActive, upperActive, refinements: 3 },
      linearSystem: 'dense',
    };
  }
  return null;
}

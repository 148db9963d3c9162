/**
 * The portfolio of the highest Sharpe ratio under linear constraints (PyPortfolioOpt's
 * `max_sharpe`, the tangency portfolio):
 *
 *   maximise  S(w) = μᵀw / √(wᵀΣw)   subject to  Σw = B (B > 0), l ≤ w ≤ u, exposure and group bands,
 *
 * μ = `alpha`, the expected excess returns per period (the risk-free rate already subtracted, as
 * the risk model's returns are), Σ the risk model's covariance, B the budget. S is reported per
 * period and annualised (·√P).
 *
 * How (Cornuejols & Tütüncü's homogenisation, as PyPortfolioOpt): S is homogeneous of degree 0, so
 * with y = κ·w (κ > 0) and the scale fixed by μᵀy = s it is the convex QP
 *
 *   minimise ½·yᵀΣy  subject to  μᵀy = s, Σy = B·κ, κ·l ≤ y ≤ κ·u, κ·lo ≤ aᵀy ≤ κ·hi (each band), κ ≥ 0,
 *
 * in the variables (y, κ); then w = y / κ. s = max_i |μ_i| keeps κ near 1 for an unlevered book
 * (any s > 0 gives the same w). The homogenised solve finds the tangency portfolio's expected
 * return r* = μᵀw; the weights returned are then those of the least-risk portfolio with μᵀw ≥ r*
 * (`optimize` with that return floor, PyPortfolioOpt's `efficient_return`), which is the tangency
 * portfolio itself (for Σ positive definite the least-risk portfolio of a given return is unique,
 * and a portfolio of lower risk at return ≥ r* would have a higher ratio), solved and polished on
 * the weights' own scale, with every report `optimize` gives (exposures, constraints, risk).
 *
 * The certificate (`MaxSharpeReport.tangency`): on the efficient frontier σ²(r) (the least variance
 * at return r, every other constraint kept), the multiplier λ of the floor is d(½σ²)/dr, and the
 * ratio r/σ(r) is maximal where σ'(r) = σ/r, that is λ·r/σ² = 1. `tangency` is λ·r* / σ² of the
 * returned weights: 1 at the maximum (to the solver's tolerance); at a kink of the frontier (a
 * bound starting to bind exactly there) it may be anywhere between the two one-sided slopes.
 *
 * Refused (InputError): no `alpha`; a `benchmark` (the active book's ratio, the information ratio,
 * is another problem), a tracking-error cap, a return floor, at most K names or a minimum position,
 * a turnover cap, linear costs or a trade penalty (none of these is homogeneous in (y, κ), or they
 * change what is maximised); a budget that is not positive; constraints under which no portfolio
 * has a positive expected excess return; and a long-short book whose ratio has no maximum (it
 * rises towards that of a dollar-neutral book, weights summing to 0, without reaching it: add
 * per-name bounds). `riskAversion` does not matter (the ratio does not depend on it) and is ignored.
 */
import { InputError } from '../core/errors.js';
import { buildProblem, vectorOf } from './build.js';
import { InfeasibleError } from './diagnose.js';
import { alphaScale, optimize, type OptimizeOptions } from './optimize.js';
import type { ConstraintRow, QpProblem } from './qp/problem.js';
import { solveQp } from './qp/osqp.js';
import { OptimizationResult, type ConstraintReport, type MaxSharpeReport } from './result.js';
import type { RiskModel } from './riskModel.js';
import { validateRiskModel, varianceOf } from './riskModel.js';
import type { OptimizeSpec } from './spec.js';

/** What the homogenised QP of the module doc returns: the tangency weights (y / κ) and its solve. */
interface Tangency {
  w: Float64Array;
  kappa: number;
  iterations: number;
}

function refuse(what: string, hint: string, options: string[]): never {
  throw new InputError(`the maximum Sharpe ratio cannot be combined with ${what}`, { hint, options });
}

/** The spec's parts the homogenisation cannot take (module doc), refused by name. */
function checkMaxSharpeSpec(spec: OptimizeSpec): { alpha: Float64Array; budget: number } {
  const m = spec.riskModel;
  const n = m.assets.length;
  if (spec.alpha === undefined)
    throw new InputError('the maximum Sharpe ratio needs expected returns (alpha), one per asset', {
      hint: 'give the expected excess return of every asset per period as alpha',
      options: ['alpha'],
    });
  const alpha = vectorOf(spec.alpha, n, 'alpha', m.assets) as Float64Array;
  const c = spec.constraints ?? {};
  if (spec.benchmark !== undefined)
    refuse('a benchmark', 'drop the benchmark (the ratio is of the whole portfolio), or minimise risk against it with alpha', [
      'benchmark',
    ]);
  if (c.trackingError !== undefined)
    refuse('a tracking-error cap', 'drop the cap, or bound the weights and exposures instead', ['trackingError']);
  if (c.returnFloor !== undefined) refuse('a return floor', 'drop the floor: the maximum ratio sets its own return', ['returnFloor']);
  if (c.maxNames !== undefined || c.minPosition !== undefined)
    refuse('at most K names or a minimum position', 'drop maxNames and minPosition', ['maxNames', 'minPosition']);
  if (c.turnover !== undefined) refuse('a turnover cap', 'drop the turnover cap', ['turnover']);
  const cost = spec.linearCost;
  const priced = cost !== undefined && (typeof cost === 'number' ? cost !== 0 : Array.from(cost).some((v) => v !== 0));
  if (priced || (spec.tradePenalty ?? 0) !== 0) refuse('trading costs', 'drop linearCost and tradePenalty', ['linearCost', 'tradePenalty']);
  const budget = c.budget === undefined ? 1 : c.budget;
  if (budget === null || !(budget > 0) || !Number.isFinite(budget))
    throw new InputError(`the maximum Sharpe ratio needs a positive budget (weights summing to a number > 0), got ${String(budget)}`, {
      hint: 'give a budget such as 1 (fully invested)',
      options: ['budget'],
    });
  return { alpha, budget };
}

/**
 * The homogenised QP of the module doc on the spec's linear constraints (buildProblem's rows, so
 * the same bounds and bands as `optimize`), and its tangency weights.
 */
function tangency(spec: OptimizeSpec, alpha: Float64Array, options: OptimizeOptions): Tangency {
  const built = buildProblem({ ...spec, alpha: undefined, benchmark: undefined, riskAversion: 1 });
  const { problem } = built;
  if (problem.hessian.kind !== 'factor') throw new Error('maxSharpe: buildProblem gave a dense Hessian');
  const n = built.n,
    nv = n + 1,
    r = problem.hessian.rank;
  if (problem.hessian.n !== n) throw new Error('maxSharpe: unexpected trade variables');
  const diagonal = new Float64Array(nv);
  diagonal.set(problem.hessian.diagonal);
  const loadings = new Float64Array(nv * r);
  loadings.set(problem.hessian.loadings);
  const rows: ConstraintRow[] = [];
  const lo: number[] = [],
    hi: number[] = [];
  const push = (row: ConstraintRow, l: number, u: number): void => {
    rows.push(row);
    lo.push(l);
    hi.push(u);
  };
  // a·w ∈ [l, u] becomes a·y − l·κ ≥ 0 and a·y − u·κ ≤ 0 (one row a·y − l·κ = 0 when l = u)
  const withKappa = (row: ConstraintRow, coef: number): ConstraintRow => {
    if ('dense' in row) {
      const d = new Float64Array(nv);
      d.set(row.dense.subarray(0, n));
      d[n] = coef;
      return { dense: d };
    }
    return { index: [...row.index, n], values: [...row.values, coef] };
  };
  problem.rows.forEach((row, i) => {
    const l = problem.lower[i],
      u = problem.upper[i];
    if (l === u) push(withKappa(row, -l), 0, 0);
    else {
      if (l > -Infinity) push(withKappa(row, -l), 0, Infinity);
      if (u < Infinity) push(withKappa(row, -u), -Infinity, 0);
    }
  });
  let s = 0;
  for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(alpha[i]));
  if (!(s > 0))
    throw new InputError(
      'every expected return (alpha) is 0: no portfolio has a positive expected excess return, so none has a maximal Sharpe ratio',
      {
        hint: 'give expected excess returns per period as alpha',
        options: ['alpha'],
      },
    );
  const mu = new Float64Array(nv);
  mu.set(alpha);
  push({ dense: mu }, s, s);
  push({ index: [n], values: [1] }, 0, Infinity);
  const homogenised: QpProblem = {
    hessian: { kind: 'factor', n: nv, diagonal, rank: r, loadings },
    q: new Float64Array(nv),
    rows,
    lower: Float64Array.from(lo),
    upper: Float64Array.from(hi),
  };
  const res = solveQp(homogenised, options.qp);
  if (res.status === 'primal-infeasible')
    throw new InputError(
      'no portfolio meeting the constraints has a positive expected excess return (alpha), so none has a maximal Sharpe ratio',
      {
        hint: 'check the signs of alpha (expected returns above the risk-free rate are positive), or relax the bounds',
        options: ['alpha'],
      },
    );
  if (res.status !== 'solved')
    throw new InputError(`the maximum Sharpe ratio problem was not solved (${res.status} after ${res.iterations} iterations)`, {
      hint: 'check the constraints; a problem with no portfolio of positive expected return cannot be solved',
    });
  const kappa = res.x[n];
  // κ → 0: y is a direction with Σy = 0 (the budget's row at κ = 0) whose ratio beats every book
  let ynorm = 0;
  for (let i = 0; i < n; i++) ynorm = Math.max(ynorm, Math.abs(res.x[i]));
  if (!(kappa > 1e-9 * Math.max(1, ynorm)))
    throw new InputError(
      'the Sharpe ratio has no maximum under these constraints: it rises towards that of a dollar-neutral book (weights summing to 0) without reaching it',
      { hint: 'bound the weights (long-only, or a minimum and maximum weight per name)', options: ['longOnly', 'minWeight', 'maxWeight'] },
    );
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = res.x[i] / kappa;
  return { w, kappa, iterations: res.iterations };
}

/** A least-risk portfolio at a return floor, with its ratio and the certificate's parts. */
interface Measured {
  result: OptimizationResult;
  expectedReturn: number;
  variance: number;
  sharpe: number;
  /** The floor's multiplier |y|: d(½σ²)/dr. */
  lambda: number;
  tangency: number;
  floor: ConstraintReport | undefined;
}

function measure(m: RiskModel, result: OptimizationResult, alpha: Float64Array): Measured {
  const w = result.weights;
  const variance = varianceOf(m, w);
  const ret = expectedReturn(alpha, w);
  const floor = result.data.constraints.find((c) => c.kind === 'return');
  const lambda = floor === undefined ? NaN : Math.abs(floor.multiplier);
  return {
    result,
    expectedReturn: ret,
    variance,
    sharpe: ret / Math.sqrt(variance),
    lambda,
    tangency: variance > 0 ? (lambda * ret) / variance : NaN,
    floor,
  };
}

/** μᵀw. */
function expectedReturn(alpha: Float64Array, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < alpha.length; i++) s += alpha[i] * w[i];
  return s;
}

/**
 * The weights of the highest Sharpe ratio μᵀw / √(wᵀΣw) under the spec's linear constraints (module
 * doc), with `optimize`'s reports and `maxSharpe` beside them.
 */
export async function maxSharpe(spec: OptimizeSpec, options: OptimizeOptions = {}): Promise<OptimizationResult> {
  const m = spec.riskModel;
  validateRiskModel(m);
  if (m.assets.length === 0) throw new InputError('the risk model has no assets');
  const { alpha } = checkMaxSharpeSpec(spec);
  const t = tangency(spec, alpha, options);
  const rStar = expectedReturn(alpha, t.w);
  const floorSpec = (min: number): OptimizeSpec => ({
    ...spec,
    alpha: undefined,
    riskAversion: 1,
    constraints: { ...(spec.constraints ?? {}), returnFloor: { expected: alpha, min } },
  });
  // r* from the homogenised solve may sit a rounding above the highest return the constraints
  // allow (a tangency portfolio at the corner of the highest return): the floor then lowered by 1e-9 of it
  const atFloor = (r: number): Promise<Measured> =>
    optimize(floorSpec(r), options)
      .catch((e: unknown) => {
        if (e instanceof InfeasibleError) return optimize(floorSpec(r - 1e-9 * Math.abs(r)), options);
        throw e;
      })
      .then((res) => measure(m, res, alpha));
  let best = await atFloor(rStar);
  // r* carries the homogenised solve's error (~1e-9 of the weights). Between two kinks of the
  // frontier σ²(r) = a·r² + b·r + c and λ(r) = a·r + b/2, so g(r) = λ·r − σ² = −b·r/2 − c is linear
  // in r: a secant step from a second point finds its root (λ·r/σ² = 1, module doc) on the same
  // piece. Up to four steps, each kept only when its certificate is nearer 1; its ratio may then be
  // lower in the 11th digit, as a solve whose polish was rejected meets its constraints to ~1e-10.
  if (best.floor !== undefined && best.floor.atBound === 'min') {
    const g = (x: Measured): number => x.lambda * x.expectedReturn - x.variance;
    let prev: Measured | undefined = await atFloor(best.expectedReturn * (1 - 1e-6)).catch(() => undefined);
    for (let step = 0; step < 4 && prev !== undefined && Math.abs(best.tangency - 1) > 1e-12; step++) {
      const r2 = best.expectedReturn - (g(best) * (best.expectedReturn - prev.expectedReturn)) / (g(best) - g(prev));
      if (!Number.isFinite(r2) || Math.abs(r2 - best.expectedReturn) > 1e-3 * Math.abs(best.expectedReturn)) break;
      const next = await atFloor(r2).catch(() => undefined);
      if (next === undefined || !(Math.abs(next.tangency - 1) < Math.abs(best.tangency - 1))) break;
      prev = best;
      best = next;
    }
  }
  const { result, sharpe, variance, expectedReturn: ret } = best;
  const report: MaxSharpeReport = {
    sharpe,
    annualisedSharpe: sharpe * Math.sqrt(m.periodsPerYear),
    expectedReturn: ret,
    volatility: Math.sqrt(variance * m.periodsPerYear),
    tangency: best.tangency,
    scale: t.kappa,
    homogenisedIterations: t.iterations,
  };
  const note =
    `maximum Sharpe ratio ${+report.annualisedSharpe.toPrecision(6)} annualised (${+sharpe.toPrecision(6)} per period): ` +
    `the least-risk portfolio with expected return ≥ ${+ret.toPrecision(6)}, the tangency portfolio's (homogenised QP, PyPortfolioOpt's max_sharpe)`;
  // the weights do not depend on alpha's scale, the ratio does: annual expected returns against a
  // daily model (PyPortfolioOpt's convention) printed an annual Sharpe ratio of 505.8 for one of 2.0
  const scale = alphaScale(m, alpha);
  const P = m.periodsPerYear;
  const scaleNote =
    scale === null
      ? []
      : [
          `alpha: the median |alpha|, ${+scale.alpha.toPrecision(3)}, is ${+(scale.alpha / scale.volatility).toPrecision(3)} times the median volatility of a name over one period of the risk model (${+(scale.volatility * 100).toPrecision(4)}%; ${P} periods a year): the ratio is alpha over one period's volatility, so if alpha holds annual expected returns the annual Sharpe ratio is ${+(report.annualisedSharpe / P).toPrecision(6)}, not ${+report.annualisedSharpe.toPrecision(6)} (the weights are the same at any scale of alpha); alpha is per period, as the risk model's returns are: divide annual expected returns by ${P}`,
        ];
  return new OptimizationResult({ ...result.data, maxSharpe: report, notes: [...result.data.notes, note, ...scaleNote] });
}

/**
 * The efficient frontier under the spec's constraints (PyPortfolioOpt's `plot_efficient_frontier`,
 * as numbers): for expected returns r evenly spaced from r_min, the expected return μᵀw of the
 * least-risk portfolio, to r_max, the highest μᵀw any portfolio meeting the constraints reaches (an
 * LP, HiGHS), the least-risk portfolio with μᵀw ≥ r (`optimize` with that return floor, the
 * spec's risk aversion, benchmark and costs kept: against a benchmark the risk is the tracking
 * error) and its risk, return and ratio. μ = `alpha`, per period.
 *
 * Each point: `target` r, `expectedReturn` μᵀw (≥ r; above it only where the floor does not bind,
 * at the left end), `risk` √(P·(w − b)ᵀΣ(w − b)) annualised (b the benchmark; none: the
 * volatility), `ratio` μᵀ(w − b)·P / risk (μ expected excess returns: the Sharpe ratio without a
 * benchmark, the information ratio against one), `names` held. r_min to r_max in `points` even steps;
 * the last a rounding (1e-9 of r_max) below r_max, which the floor may otherwise miss by a hair.
 * A point whose active weights w − b are all within the solve's resolution (max(1e-12, its KKT
 * primal residual): the benchmark itself, at the left end) has risk 0 and no ratio (NaN): the
 * rounding's risk and return are not a ratio.
 *
 * Refused: linear costs and a trade penalty (each point would minimise risk plus costs, not risk:
 * on 60 S&P names with a 1% cost from an equal-weight book the "frontier" ran 36% above the least
 * risk and fell as the return rose); a turnover cap is a constraint and is kept.
 */
import { InputError } from '../core/errors.js';
import { buildProblem, vectorOf } from './build.js';
import { highsGetter, lpModel, solveLp } from './highs.js';
import { optimize, type OptimizeOptions } from './optimize.js';
import { varianceOf } from './riskModel.js';
import type { FrontierSummary } from './result.js';
import type { OptimizeSpec } from './spec.js';

export interface FrontierPoint {
  target: number;
  expectedReturn: number;
  /** Annualised: volatility without a benchmark, tracking error with one. */
  risk: number;
  /** μᵀ(w − b)·P / risk (P periods a year): the Sharpe ratio, or the information ratio against a benchmark. */
  ratio: number;
  names: number;
  weights: Float64Array;
}

export interface Frontier {
  points: FrontierPoint[];
  /** μᵀw of the least-risk portfolio and the highest μᵀw the constraints allow. */
  minReturn: number;
  maxReturn: number;
}

/** The frontier's points without their weights (OptimizationResultData.frontier). */
export function frontierSummary(f: Frontier): FrontierSummary {
  return {
    minReturn: f.minReturn,
    maxReturn: f.maxReturn,
    points: f.points.map(({ target, expectedReturn, risk, ratio, names }) => ({ target, expectedReturn, risk, ratio, names })),
  };
}

/** `points` (≥ 2) portfolios along the efficient frontier of the spec (module doc). */
export async function efficientFrontier(spec: OptimizeSpec, points: number, options: OptimizeOptions = {}): Promise<Frontier> {
  if (!(Number.isInteger(points) && points >= 2 && points <= 200))
    throw new InputError(`the frontier needs a whole number of points from 2 to 200, got ${points}`, { options: ['points'] });
  const m = spec.riskModel,
    n = m.assets.length;
  if (spec.alpha === undefined)
    throw new InputError('the efficient frontier needs expected returns (alpha)', {
      hint: 'give the expected return of every asset per period as alpha',
      options: ['alpha'],
    });
  const mu = vectorOf(spec.alpha, n, 'alpha', m.assets) as Float64Array;
  const c = spec.constraints ?? {};
  if (c.returnFloor !== undefined || c.trackingError !== undefined || c.maxNames !== undefined || c.minPosition !== undefined)
    throw new InputError(
      'the efficient frontier cannot be combined with a return floor, a tracking-error cap, at most K names or a minimum position',
      {
        hint: 'drop them: each point of the frontier sets its own return floor',
      },
    );
  const cost = spec.linearCost;
  const priced = cost !== undefined && (typeof cost === 'number' ? cost !== 0 : Array.from(cost).some((v) => v !== 0));
  if (priced || (spec.tradePenalty ?? 0) !== 0)
    throw new InputError(
      'the efficient frontier cannot be combined with linear costs or a trade penalty: each point would minimise risk plus costs, not risk',
      {
        hint: 'drop them (a turnover cap keeps the trades bounded), or run optimize --min-return at each return for the cost-aware portfolios',
        options: ['linearCost', 'tradePenalty'],
      },
    );
  const get = highsGetter(options.highs);
  if (get === null)
    throw new InputError('the efficient frontier finds the highest expected return by a HiGHS LP, and no HiGHS was given', {
      options: ['highs'],
    });
  const base: OptimizeSpec = { ...spec, alpha: undefined };
  const at = (floor: number | undefined): Promise<{ w: Float64Array; primal: number }> =>
    optimize(floor === undefined ? base : { ...base, constraints: { ...c, returnFloor: { expected: mu, min: floor } } }, options).then(
      (r) => ({ w: r.weights, primal: r.data.solver.kkt.primal }),
    );
  const dot = (w: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += mu[i] * w[i];
    return s;
  };
  const first = await at(undefined);
  const minReturn = dot(first.w);
  // the highest μᵀw: the LP over the same constraints (the built problem's rows), cost −μ
  const built = buildProblem({ ...base, riskAversion: 1 });
  const lpCost = new Float64Array(built.problem.hessian.n);
  for (let i = 0; i < n; i++) lpCost[i] = -mu[i];
  const lp = solveLp(await get(), lpModel(built, { cost: lpCost }));
  if (lp.status !== 'optimal')
    throw new InputError(
      lp.status === 'unbounded'
        ? 'the expected return has no maximum under these constraints (a long-short book without per-name bounds)'
        : `the highest expected return was not found (HiGHS: ${lp.status})`,
      { hint: 'bound the weights (long-only, or a minimum and maximum weight per name)' },
    );
  const maxReturn = dot(lp.x.subarray(0, n));
  const b = spec.benchmark === undefined ? null : vectorOf(spec.benchmark, n, 'benchmark weight', m.assets);
  const P = m.periodsPerYear;
  const out: FrontierPoint[] = [];
  for (let k = 0; k < points; k++) {
    const target =
      k === 0
        ? minReturn
        : k === points - 1
          ? maxReturn - 1e-9 * Math.abs(maxReturn)
          : minReturn + ((maxReturn - minReturn) * k) / (points - 1);
    const { w, primal } = k === 0 ? first : await at(target);
    const d = new Float64Array(n);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      d[i] = w[i] - (b ? b[i] : 0);
      largest = Math.max(largest, Math.abs(d[i]));
    }
    // active weights at the solve's resolution are the rounding of w = b: no risk, and no ratio
    const flat = largest < Math.max(1e-12, Number.isFinite(primal) ? primal : 0);
    const risk = flat ? 0 : Math.sqrt(P * varianceOf(m, d));
    const ret = dot(w),
      active = dot(d);
    let names = 0;
    for (const v of w) if (v !== 0) names++;
    out.push({ target, expectedReturn: ret, risk, ratio: risk > 0 ? (active * P) / risk : NaN, names, weights: w });
  }
  return { points: out, minReturn, maxReturn };
}

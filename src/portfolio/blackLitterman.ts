/**
 * Black–Litterman expected returns (Black & Litterman 1992; He & Litterman 1999; PyPortfolioOpt's
 * `BlackLittermanModel`, `market_implied_prior_returns`, `market_implied_risk_aversion`): a prior
 * π (by default the returns the market portfolio implies) blended with K views, each a portfolio
 * p_k (a row of P) whose expected return the user states as q_k, with uncertainty ω_k.
 *
 *   market-implied prior   π = δ·Σ·w_mkt (+ rf)
 *   implied risk aversion  δ = (P·mean(r_m) − rf) / (P·var(r_m))   (var with ddof 1, P periods a year)
 *   posterior              μ = π + τΣPᵀ·(τPΣPᵀ + Ω)⁻¹·(Q − Pπ)
 *   view uncertainty       ω_k = τ·p_kᵀΣp_k                         (He & Litterman; PyPortfolioOpt's default)
 *                          ω_k = τ·(1 − c_k)/c_k·p_kᵀΣp_k           (a confidence c_k in [0, 1]: Idzorek's
 *                                                                    closed form, Walters 2014 eq. 41, 44)
 *
 * Ω is diagonal. A confidence of 1 makes ω_k = 0 (the posterior meets the view exactly: p_kᵀμ =
 * q_k); a confidence of 0 is the limit ω_k → ∞, where the view has no effect, so the view is left
 * out exactly (PyPortfolioOpt sets ω_k = 1e6 instead, which moves the posterior by ~1e-7).
 *
 * Σ is given as an operator (v ↦ Σv), so a factor risk model B·F·Bᵀ + D of thousands of names
 * never forms its n × n matrix: the posterior needs ΣPᵀ (K products) and one K × K solve. Every
 * quantity is in the units of Σ, π and the views (PyPortfolioOpt: annual returns and an annual
 * covariance).
 */
import { InputError } from '../core/errors.js';
import { solveSpd } from '../stats/linalg.js';
import { covarianceTimes, type RiskModel } from './riskModel.js';

/** Σ as an operator: n and the product Σ·v. */
export interface CovarianceOperator {
  n: number;
  times(v: ArrayLike<number>): Float64Array;
}

/** A dense symmetric n × n covariance (row-major) as an operator. */
export function denseCovariance(cov: ArrayLike<number>, n: number): CovarianceOperator {
  if (!(Number.isInteger(n) && n >= 1)) throw new InputError(`the covariance needs at least 1 asset, got ${n}`);
  if (cov.length !== n * n) throw new InputError(`the covariance has ${cov.length} values, expected ${n} × ${n}`);
  for (let i = 0; i < n * n; i++)
    if (!Number.isFinite(cov[i]))
      throw new InputError(`the covariance's entry (${Math.floor(i / n)}, ${i % n}) is ${cov[i]}: it must be finite`);
  // a covariance is symmetric with a diagonal ≥ 0: anything else (a matrix of another layout, a
  // correlation-times-something, a transposed block) gave a posterior without a word
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const d = cov[i * n + i];
    if (d < 0) throw new InputError(`the covariance's diagonal entry (${i}, ${i}) is ${d}: a variance is ≥ 0`);
    scale = Math.max(scale, d);
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const a = cov[i * n + j],
        b = cov[j * n + i];
      if (Math.abs(a - b) > 1e-9 * scale)
        throw new InputError(`the covariance is not symmetric: entry (${i}, ${j}) is ${a} and (${j}, ${i}) is ${b}`, {
          hint: 'give the n × n covariance row by row (row-major), the same matrix as its transpose',
        });
    }
  return {
    n,
    times(v) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += cov[i * n + j] * v[j];
        out[i] = s;
      }
      return out;
    },
  };
}

/** A factor risk model's Σ = B·F·Bᵀ + D as an operator, times `scale` (default its periods a year: annual). */
export function riskModelCovariance(m: RiskModel, scale = m.periodsPerYear): CovarianceOperator {
  if (!(scale > 0 && Number.isFinite(scale))) throw new InputError(`the covariance scale must be a positive number, got ${scale}`);
  return {
    n: m.assets.length,
    times(v) {
      const out = covarianceTimes(m, v);
      if (scale !== 1) for (let i = 0; i < out.length; i++) out[i] *= scale;
      return out;
    },
  };
}

/**
 * π = δ·Σ·w + rf with w = `marketWeights` / Σ marketWeights (market capitalisations or weights;
 * PyPortfolioOpt's `market_implied_prior_returns`, whose rf defaults to 0.02: here 0, returns in
 * excess of the risk-free rate).
 */
export function marketImpliedPrior(cov: CovarianceOperator, marketWeights: ArrayLike<number>, delta: number, riskFree = 0): Float64Array {
  if (marketWeights.length !== cov.n)
    throw new InputError(`the market weights have ${marketWeights.length} values, the covariance ${cov.n} assets`);
  if (!(delta > 0 && Number.isFinite(delta))) throw new InputError(`the risk aversion δ must be a positive number, got ${delta}`);
  if (!Number.isFinite(riskFree)) throw new InputError(`the risk-free rate must be finite, got ${riskFree}`);
  let total = 0;
  for (let i = 0; i < marketWeights.length; i++) {
    const v = marketWeights[i];
    if (!(v >= 0 && Number.isFinite(v)))
      throw new InputError(`market weight ${i} is ${v}: market capitalisations and weights must be finite and ≥ 0`);
    total += v;
  }
  if (!(total > 0)) throw new InputError('the market weights sum to 0: there is no market portfolio to imply returns from');
  const w = new Float64Array(cov.n);
  for (let i = 0; i < cov.n; i++) w[i] = marketWeights[i] / total;
  const s = cov.times(w);
  for (let i = 0; i < s.length; i++) s[i] = delta * s[i] + riskFree;
  return s;
}

/**
 * δ = (P·mean(r) − rf) / (P·var(r)) of the market's returns r per period (PyPortfolioOpt's
 * `market_implied_risk_aversion`, from returns rather than prices; var with ddof 1). With returns
 * already in excess of the risk-free rate, rf is 0 and δ = mean(r) / var(r).
 */
export function marketImpliedRiskAversion(returns: ArrayLike<number>, periodsPerYear: number, riskFree = 0): number {
  if (!(periodsPerYear > 0 && Number.isFinite(periodsPerYear)))
    throw new InputError(`periods per year must be a positive number, got ${periodsPerYear}`);
  const n = returns.length;
  if (n < 2) throw new InputError(`the market's risk aversion needs at least 2 returns, got ${n}`);
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(returns[i])) throw new InputError(`market return ${i} is ${returns[i]}: every return must be finite`);
    s += returns[i];
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (returns[i] - mean) * (returns[i] - mean);
  const variance = ss / (n - 1);
  if (!(variance > 0)) throw new InputError('the market returns do not vary: their variance is 0, so no risk aversion is implied');
  return (mean * periodsPerYear - riskFree) / (variance * periodsPerYear);
}

/** One view: the portfolio p (weights on some assets, by index) whose expected return is `value`. */
export interface BlackLittermanView {
  name?: string;
  /** Asset indices (into the covariance's order), each at most once. */
  assets: readonly number[];
  /** p's weight on each of `assets` (1 for an absolute view on one name; +/− for a relative view). */
  weights: readonly number[];
  /** q: the view's expected return, in the units of π. */
  value: number;
  /** Idzorek's confidence in [0, 1] (ω = τ·(1 − c)/c·pᵀΣp); default none: ω = τ·pᵀΣp. */
  confidence?: number;
  /** ω itself (the view's variance), instead of a confidence. */
  omega?: number;
}

export interface BlackLittermanInput {
  cov: CovarianceOperator;
  /** π, one per asset. */
  prior: ArrayLike<number>;
  views: readonly BlackLittermanView[];
  /** τ in (0, 1] (default 0.05). */
  tau?: number;
}

export interface BlackLittermanViewResult {
  name: string;
  value: number;
  /** pᵀπ: what the prior expects of the view's portfolio. */
  prior: number;
  /** pᵀμ: what the posterior expects of it. */
  posterior: number;
  /** ω (null for a view left out at confidence 0). */
  omega: number | null;
  confidence: number | null;
  /** pᵀΣp: the variance of the view's portfolio. */
  variance: number;
}

/** A Black–Litterman alpha beside an optimisation (optimize --views; OptimizationResult's `blackLitterman`). */
export interface BlackLittermanReport {
  tau: number;
  /** δ of the market-implied prior. */
  delta: number;
  /** Where δ came from, in words. */
  deltaSource: string;
  /** Where the market portfolio came from, in words. */
  market: string;
  /** The periods a year by which the annual posterior was divided into the optimiser's alpha. */
  periodsPerYear: number;
  views: BlackLittermanViewResult[];
  /** Per asset of the risk model: market weight, prior and posterior expected return a year. */
  returns: { asset: string; marketWeight: number; prior: number; posterior: number }[];
}

export interface BlackLittermanResult {
  prior: Float64Array;
  posterior: Float64Array;
  tau: number;
  views: BlackLittermanViewResult[];
}

function checkViews(views: readonly BlackLittermanView[], n: number): void {
  views.forEach((v, k) => {
    const name = v.name ?? `view ${k + 1}`;
    if (v.assets.length === 0) throw new InputError(`${name} names no asset`);
    if (v.assets.length !== v.weights.length)
      throw new InputError(`${name} has ${v.assets.length} assets and ${v.weights.length} weights: one weight per asset`);
    const seen = new Set<number>();
    let nonzero = false;
    v.assets.forEach((a, i) => {
      if (!(Number.isInteger(a) && a >= 0 && a < n)) throw new InputError(`${name}: asset index ${a} is not one of the ${n} assets`);
      if (seen.has(a)) throw new InputError(`${name} names asset ${a} twice: give each asset once, with its whole weight`);
      seen.add(a);
      if (!Number.isFinite(v.weights[i])) throw new InputError(`${name}: the weight of asset ${a} is ${v.weights[i]}: it must be finite`);
      if (v.weights[i] !== 0) nonzero = true;
    });
    if (!nonzero) throw new InputError(`${name}: every weight is 0, so the view is about no portfolio`);
    if (!Number.isFinite(v.value)) throw new InputError(`${name}: its expected return is ${v.value}: it must be finite`);
    if (v.confidence !== undefined && v.omega !== undefined) throw new InputError(`${name} has both a confidence and an ω: give one`);
    if (v.confidence !== undefined && !(v.confidence >= 0 && v.confidence <= 1))
      throw new InputError(`${name}: its confidence is ${v.confidence}: it must be between 0 and 1 (0.6 for 60%)`);
    if (v.omega !== undefined && !(v.omega >= 0 && Number.isFinite(v.omega)))
      throw new InputError(`${name}: its ω is ${v.omega}: a view's variance must be finite and ≥ 0`);
  });
}

/** The posterior expected returns of π and the views (module doc). */
export function blackLitterman(input: BlackLittermanInput): BlackLittermanResult {
  const { cov, views } = input;
  const n = cov.n;
  const tau = input.tau ?? 0.05;
  if (!(tau > 0 && tau <= 1)) throw new InputError(`τ must be in (0, 1], got ${tau}`);
  if (input.prior.length !== n) throw new InputError(`the prior has ${input.prior.length} values, the covariance ${n} assets`);
  const prior = Float64Array.from(input.prior);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(prior[i])) throw new InputError(`the prior of asset ${i} is ${prior[i]}: it must be finite`);
  checkViews(views, n);
  const name = (k: number): string => views[k].name ?? `view ${k + 1}`;
  // ΣPᵀ column by column, pᵀΣp and pᵀπ
  const sp: Float64Array[] = [];
  const results: BlackLittermanViewResult[] = views.map((v, k) => {
    const p = new Float64Array(n);
    v.assets.forEach((a, i) => (p[a] = v.weights[i]));
    const s = cov.times(p);
    sp.push(s);
    let variance = 0,
      pp = 0;
    for (let i = 0; i < n; i++) {
      variance += p[i] * s[i];
      pp += p[i] * prior[i];
    }
    if (!(variance > 0))
      throw new InputError(
        `${name(k)}: its portfolio has no variance under the covariance (pᵀΣp = ${variance}), so the view cannot be weighed`,
      );
    const c = v.confidence;
    const omega = v.omega !== undefined ? v.omega : c === undefined ? tau * variance : c === 0 ? null : (tau * (1 - c) * variance) / c;
    return { name: name(k), value: v.value, prior: pp, posterior: NaN, omega, confidence: c ?? null, variance };
  });
  const used = results.map((r, k) => (r.omega === null ? -1 : k)).filter((k) => k >= 0);
  const posterior = Float64Array.from(prior);
  const K = used.length;
  if (K > 0) {
    // M = τPΣPᵀ + Ω (K × K), b = Q − Pπ
    const m = new Float64Array(K * K),
      b = new Float64Array(K);
    for (let a = 0; a < K; a++) {
      const va = views[used[a]];
      for (let c = 0; c < K; c++) {
        const s = sp[used[c]];
        let x = 0;
        va.assets.forEach((i, j) => (x += va.weights[j] * s[i]));
        m[a * K + c] = tau * x;
      }
      m[a * K + a] += results[used[a]].omega as number;
      b[a] = va.value - results[used[a]].prior;
    }
    // symmetrise the rounding of pᵀΣq against qᵀΣp
    for (let a = 0; a < K; a++)
      for (let c = 0; c < a; c++) {
        const x = 0.5 * (m[a * K + c] + m[c * K + a]);
        m[a * K + c] = x;
        m[c * K + a] = x;
      }
    let x: Float64Array;
    try {
      x = solveSpd(m, K, b, 1e-12);
    } catch {
      throw new InputError(
        `the views ${used.map((k) => name(k)).join(', ')} are not independent: with the certainty given (ω = 0 at confidence 1), some view's portfolio is a combination of the others', so the posterior is not defined`,
        { hint: 'give a confidence below 1 to views that overlap, or drop the view that repeats the others' },
      );
    }
    for (let a = 0; a < K; a++) {
      const s = sp[used[a]];
      for (let i = 0; i < n; i++) posterior[i] += tau * s[i] * x[a];
    }
  }
  for (const [k, v] of views.entries()) {
    let pm = 0;
    v.assets.forEach((a, i) => (pm += v.weights[i] * posterior[a]));
    results[k].posterior = pm;
  }
  return { prior, posterior, tau, views: results };
}

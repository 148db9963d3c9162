/**
 * Performance statistics of a return series, with empyrical's conventions (written once, here).
 *
 * r_1..r_n are simple period returns (no NaN: the caller drops or fills them; the engine never
 * makes one), P = periods per year (stated by the caller: 252 daily, 52 weekly, 12 monthly, or
 * what the calendar says), b_1..b_n a benchmark's returns on the same periods, rf a per-period
 * risk-free rate, MAR a per-period minimum acceptable return.
 *
 * - total return          T = Π(1 + r_t) − 1
 * - annualised return     A = (1 + T)^(P / n) − 1                     (compounded, never summed)
 * - annualised volatility σ = std(r, ddof 1) · √P
 * - Sharpe                S = mean(r − rf) / std(r − rf, ddof 1) · √P
 * - downside deviation    D = sqrt(mean(min(r − MAR, 0)²)) · √P     (the mean over ALL n periods,
 *                         not over the losing ones only: empyrical `downside_risk`)
 * - Sortino               mean(r − MAR) · P / D                       (empyrical `sortino_ratio`;
 *                         +Infinity when no period is below MAR and the mean is positive)
 * - drawdown              NAV_t / max_{s≤t} NAV_s − 1 with NAV_0 = 1 before the first return
 *                         (a first-period loss is a drawdown, as empyrical's `max_drawdown`)
 * - maximum drawdown      the most negative drawdown, with the peak, trough and recovery rows
 *                         (recovery: the first row after the trough back at the peak's NAV)
 * - Calmar                A / |max drawdown| (NaN when there is no drawdown)
 * - hit rate              share of periods with r > 0
 * - tracking error        TE = std(r − b, ddof 1) · √P (ex post)
 * - information ratio     IR = mean(r − b) · P / TE = mean(r − b) / std(r − b) · √P (annualised;
 *                         empyrical's `excess_sharpe` is the same ratio without the √P)
 * - beta                  β = cov(r − rf, b − rf) / var(b − rf)      (ddof cancels)
 * - alpha                 α = (1 + mean(r − rf − β(b − rf)))^P − 1    (annualised, compounded, as
 *                         empyrical ≥ 0.5; older versions reported mean(...)·P)
 *
 * - omega                 Ω = Σ max(x_t, 0) / Σ max(−x_t, 0), x_t = r_t − rf_t − τ with
 *                         τ = (1 + required)^(1/P) − 1 for an annual required return (τ = it
 *                         when P = 1); NaN below two periods or without a period below τ
 *                         (empyrical `omega_ratio`)
 * - stability             R² of the least-squares line through Σ_{s≤t} log(1 + r_s) against t
 *                         (empyrical `stability_of_timeseries`)
 * - value at risk         the c-quantile of r (numpy's linear percentile; empyrical
 *                         `value_at_risk`), and the conditional VaR: the mean of the
 *                         ⌊(n − 1)·c⌋ + 1 smallest returns (empyrical `conditional_value_at_risk`)
 * - tail ratio            |95th percentile| / |5th percentile| (empyrical `tail_ratio`)
 * - capture ratios        A(r) / A(b) over all periods, over the periods with b > 0 (up) and
 *                         with b < 0 (down), A annualised on those periods alone (empyrical
 *                         `capture`, `up_capture`, `down_capture`)
 *
 * Fewer than two periods give NaN for every ratio that needs a standard deviation. A constant
 * series (every r_t equal) has a standard deviation of exactly 0, never the 1e-18 of the mean's
 * rounding; a series without spread (centred sum of squares ≤ 1e-12 × raw sum of squares, the
 * constant-regressor tolerance of stats/ols.ts: r − rf, r − b or b − rf constant but for rounding)
 * has a standard deviation of 0 in the Sharpe and information ratios: ±Infinity by the sign of its
 * mean (empyrical's flat line gives Sharpe +∞), NaN for a mean of 0, never ±1e17 from the rounding
 * of the mean; a benchmark without spread has a NaN beta.
 *
 * Bad input throws an InputError naming the argument: a NaN or ±Infinity return (the caller drops
 * or fills missing periods: NaN is not "missing" here, and one NaN would otherwise turn the
 * maximum drawdown into 0), periods per year that are not a finite number > 0, a non-finite
 * risk-free rate or MAR, a VaR cutoff outside [0, 1], a benchmark of another length.
 */
import { checkAllFinite, checkFinite, checkShare, checkPositive } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { pearson } from '../stats/correlation.js';
import { quantileOfSorted } from '../stats/descriptive.js';

export interface Drawdown {
  /** Most negative drawdown, a fraction ≤ 0 (0 when the NAV never falls below a peak). */
  maxDrawdown: number;
  /** Row of the peak before the trough; -1 = the start (NAV 1 before the first return). */
  peakRow: number;
  /** Row of the trough (-1 when there is no drawdown). */
  troughRow: number;
  /** First row after the trough at or above the peak's NAV, or -1 when not recovered. */
  recoveryRow: number;
  /** Rows from the peak to the recovery, or to the last row when not recovered (0 without drawdown). */
  durationRows: number;
}

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** True when every value equals the first (a constant series: zero spread, exactly). */
function isConstant(x: ArrayLike<number>): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** std(x, ddof 1): NaN below two values, exactly 0 for a constant series (not the mean's rounding noise). */
function stdOf(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  if (isConstant(x)) return 0;
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  return Math.sqrt(s / (n - 1));
}

function minus(r: ArrayLike<number>, b: ArrayLike<number> | number): Float64Array {
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) out[i] = r[i] - (typeof b === 'number' ? b : b[i]);
  return out;
}

const MISSING_HINT = 'drop or fill the missing periods first: performance statistics take complete return series';

/** The returns: finite numbers (NaN is not "missing" here). */
function checkReturns(r: ArrayLike<number>, name = 'returns'): void {
  checkAllFinite(name, r, MISSING_HINT);
}

/** Periods per year: a finite number > 0 (0 would annualise to 0, a negative one to garbage). */
function checkPeriods(periodsPerYear: unknown): number {
  return checkPositive('periodsPerYear', periodsPerYear);
}

function checkSameLength(r: ArrayLike<number>, b: ArrayLike<number>): void {
  if (r.length !== b.length)
    throw new InputError(`returns and benchmark have different lengths (${r.length} and ${b.length}): give both on the same periods`);
  checkReturns(r);
  checkReturns(b, 'benchmark');
}

/**
 * A series without spread: its centred sum of squares is at most CONSTANT_TOL times its raw sum
 * of squares (the tolerance stats/ols.ts uses for a constant regressor), so what is left is the
 * rounding of the mean or of a subtraction (r − b of a benchmark and its copy plus a constant).
 */
const CONSTANT_TOL = 1e-12;
function noSpread(x: ArrayLike<number>, mean: number): boolean {
  let c = 0,
    raw = 0;
  for (let i = 0; i < x.length; i++) {
    c += (x[i] - mean) * (x[i] - mean);
    raw += x[i] * x[i];
  }
  return !(c > CONSTANT_TOL * raw);
}

/**
 * The mean over the standard deviation (ddof 1) of x; NaN below two values. Without spread (a
 * constant series) the deviation is 0: ±Infinity by the mean's sign, NaN for a mean of 0
 * (empyrical's flat line: Sharpe +∞), never the mean over its own rounding noise (±1e17).
 */
function meanOverStd(x: ArrayLike<number>): number {
  if (x.length < 2) return NaN;
  const m = meanOf(x);
  return noSpread(x, m) ? m / 0 : m / stdOf(x);
}

/** Ω (see the module comment). `riskFree` a per-period rate or series; `requiredReturn` annual, per period when P = 1. */
export function omegaRatio(
  r: ArrayLike<number>,
  options: { riskFree?: number | ArrayLike<number>; requiredReturn?: number; periodsPerYear?: number } = {},
): number {
  checkReturns(r);
  const n = r.length;
  const P = checkPeriods(options.periodsPerYear ?? 252),
    req = checkFinite('requiredReturn', options.requiredReturn ?? 0),
    rf = options.riskFree ?? 0;
  if (typeof rf !== 'number') {
    if (rf.length !== n)
      throw new InputError(`riskFree has ${rf.length} values, expected ${n} (one per return period)`, { options: ['riskFree'] });
    checkAllFinite('riskFree', rf, MISSING_HINT);
  } else checkFinite('riskFree', rf);
  if (n < 2) return NaN;
  let tau: number;
  if (P === 1) tau = req;
  else if (req <= -1) return NaN;
  else tau = Math.pow(1 + req, 1 / P) - 1;
  let up = 0,
    down = 0;
  for (let i = 0; i < n; i++) {
    const x = r[i] - (typeof rf === 'number' ? rf : rf[i]) - tau;
    if (x > 0) up += x;
    else if (x < 0) down -= x;
  }
  return down > 0 ? up / down : NaN;
}

/** R² of the straight line through the cumulative log returns (see the module comment); NaN below two periods. */
export function stability(r: ArrayLike<number>): number {
  checkReturns(r);
  const n = r.length;
  if (n < 2) return NaN;
  const cum = new Float64Array(n),
    t = new Float64Array(n);
  let c = 0;
  for (let i = 0; i < n; i++) {
    c += Math.log1p(r[i]);
    cum[i] = c;
    t[i] = i;
  }
  const rho = pearson(t, cum);
  return rho * rho;
}

function sortedCopy(r: ArrayLike<number>): Float64Array {
  return Float64Array.from(r).sort();
}

/** numpy.percentile(r, 100·c): the linear quantile at 100·c / 100 (numpy's own rounding of the percent); NaN for no periods. */
function percentile(s: Float64Array, c: number): number {
  return s.length === 0 ? NaN : quantileOfSorted(s, 0, s.length, (100 * c) / 100);
}

/** Historical value at risk: the c-quantile of the returns (default c = 0.05); NaN for no periods. */
export function valueAtRisk(r: ArrayLike<number>, cutoff = 0.05): number {
  checkReturns(r);
  checkShare('cutoff', cutoff);
  return percentile(sortedCopy(r), cutoff);
}

/** Conditional VaR (expected shortfall): the mean of the ⌊(n − 1)·c⌋ + 1 smallest returns; NaN for no periods. */
export function conditionalValueAtRisk(r: ArrayLike<number>, cutoff = 0.05): number {
  checkReturns(r);
  checkShare('cutoff', cutoff);
  const n = r.length;
  if (n === 0) return NaN;
  const s = sortedCopy(r);
  const k = Math.floor((n - 1) * cutoff);
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += s[i];
  return sum / (k + 1);
}

/** |95th percentile| / |5th percentile| of the returns; NaN for no periods. */
export function tailRatio(r: ArrayLike<number>): number {
  checkReturns(r);
  const s = sortedCopy(r);
  return Math.abs(percentile(s, 0.95)) / Math.abs(percentile(s, 0.05));
}

/** A(r) / A(b): annualised return over the benchmark's on the same periods (empyrical `capture`); NaN for no periods. */
export function captureRatio(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkSameLength(r, b);
  checkPeriods(periodsPerYear);
  return annualReturn(r, periodsPerYear) / annualReturn(b, periodsPerYear);
}

function captureWhere(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number, keep: (x: number) => boolean): number {
  checkSameLength(r, b);
  const rs: number[] = [],
    bs: number[] = [];
  for (let i = 0; i < r.length; i++)
    if (keep(b[i])) {
      rs.push(r[i]);
      bs.push(b[i]);
    }
  return captureRatio(rs, bs, periodsPerYear);
}

/** {@link captureRatio} over the periods where the benchmark rose (empyrical `up_capture`). */
export function upCapture(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  return captureWhere(r, b, periodsPerYear, (x) => x > 0);
}

/** {@link captureRatio} over the periods where the benchmark fell (empyrical `down_capture`). */
export function downCapture(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  return captureWhere(r, b, periodsPerYear, (x) => x < 0);
}

/** Π(1 + r_t) − 1 (0 for no periods). */
export function totalReturn(r: ArrayLike<number>): number {
  checkReturns(r);
  let g = 1;
  for (let i = 0; i < r.length; i++) g *= 1 + r[i];
  return g - 1;
}

/** (1 + T)^(P / n) − 1, compounded; NaN for no periods. */
export function annualReturn(r: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriods(periodsPerYear);
  if (r.length === 0) return NaN;
  return Math.pow(1 + totalReturn(r), periodsPerYear / r.length) - 1;
}

/** std(r, ddof 1) · √P. */
export function annualVolatility(r: ArrayLike<number>, periodsPerYear: number): number {
  checkReturns(r);
  checkPeriods(periodsPerYear);
  return stdOf(r) * Math.sqrt(periodsPerYear);
}

/** mean(r − rf) / std(r − rf, ddof 1) · √P; NaN for a constant r − rf (no volatility) or below two periods. */
export function sharpeRatio(r: ArrayLike<number>, periodsPerYear: number, riskFree = 0): number {
  checkReturns(r);
  checkPeriods(periodsPerYear);
  checkFinite('riskFree', riskFree);
  return meanOverStd(minus(r, riskFree)) * Math.sqrt(periodsPerYear);
}

/** sqrt(mean over all periods of min(r − MAR, 0)²) · √P. */
export function downsideDeviation(r: ArrayLike<number>, periodsPerYear: number, mar = 0): number {
  checkReturns(r);
  checkPeriods(periodsPerYear);
  checkFinite('mar', mar);
  if (r.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < r.length; i++) {
    const d = Math.min(r[i] - mar, 0);
    s += d * d;
  }
  return Math.sqrt(s / r.length) * Math.sqrt(periodsPerYear);
}

/** mean(r − MAR) · P / downside deviation. */
export function sortinoRatio(r: ArrayLike<number>, periodsPerYear: number, mar = 0): number {
  checkReturns(r);
  checkPeriods(periodsPerYear);
  checkFinite('mar', mar);
  if (r.length < 2) return NaN;
  return (meanOf(minus(r, mar)) * periodsPerYear) / downsideDeviation(r, periodsPerYear, mar);
}

/** Drawdown of every row: NAV_t / running peak − 1, the NAV starting at 1 before row 0. */
export function drawdownSeries(r: ArrayLike<number>): Float64Array {
  checkReturns(r);
  const out = new Float64Array(r.length);
  let nav = 1,
    peak = 1;
  for (let i = 0; i < r.length; i++) {
    nav *= 1 + r[i];
    if (nav > peak) peak = nav;
    out[i] = nav / peak - 1;
  }
  return out;
}

/** The maximum drawdown with its peak, trough and recovery rows (see {@link Drawdown}). */
export function maxDrawdown(r: ArrayLike<number>): Drawdown {
  checkReturns(r);
  let nav = 1,
    peak = 1,
    peakRow = -1;
  let worst = 0,
    worstPeakRow = -1,
    troughRow = -1;
  const navs = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) {
    nav *= 1 + r[i];
    navs[i] = nav;
    if (nav > peak) {
      peak = nav;
      peakRow = i;
    }
    const dd = nav / peak - 1;
    if (dd < worst) {
      worst = dd;
      troughRow = i;
      worstPeakRow = peakRow;
    }
  }
  if (troughRow < 0) return { maxDrawdown: 0, peakRow: -1, troughRow: -1, recoveryRow: -1, durationRows: 0 };
  const peakNav = worstPeakRow < 0 ? 1 : navs[worstPeakRow];
  let recoveryRow = -1;
  for (let i = troughRow + 1; i < r.length; i++)
    if (navs[i] >= peakNav) {
      recoveryRow = i;
      break;
    }
  const end = recoveryRow < 0 ? r.length - 1 : recoveryRow;
  return { maxDrawdown: worst, peakRow: worstPeakRow, troughRow, recoveryRow, durationRows: end - worstPeakRow };
}

/** A / |max drawdown|; NaN without a drawdown. */
export function calmarRatio(r: ArrayLike<number>, periodsPerYear: number): number {
  checkPeriods(periodsPerYear);
  const dd = maxDrawdown(r).maxDrawdown;
  return dd < 0 ? annualReturn(r, periodsPerYear) / Math.abs(dd) : NaN;
}

/** Share of periods with r > 0; NaN for no periods. */
export function hitRate(r: ArrayLike<number>): number {
  checkReturns(r);
  if (r.length === 0) return NaN;
  let k = 0;
  for (let i = 0; i < r.length; i++) if (r[i] > 0) k++;
  return k / r.length;
}

/** Ex-post tracking error std(r − b, ddof 1) · √P. */
export function trackingError(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkSameLength(r, b);
  checkPeriods(periodsPerYear);
  return stdOf(minus(r, b)) * Math.sqrt(periodsPerYear);
}

/** mean(r − b) / std(r − b, ddof 1) · √P (annualised); NaN when r − b is constant or below two periods. */
export function informationRatio(r: ArrayLike<number>, b: ArrayLike<number>, periodsPerYear: number): number {
  checkSameLength(r, b);
  checkPeriods(periodsPerYear);
  return meanOverStd(minus(r, b)) * Math.sqrt(periodsPerYear);
}

/** β = cov(r − rf, b − rf) / var(b − rf) and α = (1 + mean(r − rf − β(b − rf)))^P − 1. */
export function alphaBeta(
  r: ArrayLike<number>,
  b: ArrayLike<number>,
  periodsPerYear: number,
  riskFree = 0,
): { alpha: number; beta: number } {
  checkSameLength(r, b);
  checkPeriods(periodsPerYear);
  checkFinite('riskFree', riskFree);
  const n = r.length;
  if (n < 2) return { alpha: NaN, beta: NaN };
  const x = minus(b, riskFree),
    y = minus(r, riskFree);
  const mx = meanOf(x),
    my = meanOf(y);
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  const beta = noSpread(x, mx) ? NaN : sxy / sxx;
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i] - beta * x[i];
  return { alpha: Math.pow(1 + s / n, periodsPerYear) - 1, beta };
}

export interface PerformanceOptions {
  /** Periods per year for annualising (stated in the result). */
  periodsPerYear: number;
  /** Benchmark returns on the same periods (for tracking error, IR, beta, alpha). */
  benchmark?: ArrayLike<number>;
  /** Per-period risk-free rate for Sharpe, alpha and beta (default 0). */
  riskFree?: number;
  /** Per-period minimum acceptable return for Sortino (default 0). */
  mar?: number;
}

export interface Performance {
  periods: number;
  periodsPerYear: number;
  totalReturn: number;
  annualReturn: number;
  annualVolatility: number;
  sharpe: number;
  sortino: number;
  downsideDeviation: number;
  maxDrawdown: Drawdown;
  calmar: number;
  hitRate: number;
  benchmark?: {
    totalReturn: number;
    annualReturn: number;
    trackingError: number;
    informationRatio: number;
    beta: number;
    alpha: number;
  };
}

/** Every statistic above for one return series. */
export function performance(r: ArrayLike<number>, options: PerformanceOptions): Performance {
  const P = checkPeriods(options.periodsPerYear);
  const rf = options.riskFree ?? 0,
    mar = options.mar ?? 0;
  const out: Performance = {
    periods: r.length,
    periodsPerYear: P,
    totalReturn: totalReturn(r),
    annualReturn: annualReturn(r, P),
    annualVolatility: annualVolatility(r, P),
    sharpe: sharpeRatio(r, P, rf),
    sortino: sortinoRatio(r, P, mar),
    downsideDeviation: downsideDeviation(r, P, mar),
    maxDrawdown: maxDrawdown(r),
    calmar: calmarRatio(r, P),
    hitRate: hitRate(r),
  };
  const b = options.benchmark;
  if (b !== undefined) {
    const ab = alphaBeta(r, b, P, rf);
    out.benchmark = {
      totalReturn: totalReturn(b),
      annualReturn: annualReturn(b, P),
      trackingError: trackingError(r, b, P),
      informationRatio: informationRatio(r, b, P),
      beta: ab.beta,
      alpha: ab.alpha,
    };
  }
  return out;
}

/**
 * Replicating baskets: weights on a replicating universe whose factor exposures match a target's
 * fitted exposures, with low specific risk.
 *
 * 1. Fit window: every universe asset's returns and the target's returns are regressed (OLS with a
 *    constant, exposures/fit.ts) on the factor returns; the universe fit gives the risk model
 *    B, F, D (riskModel.ts, F by Ledoit–Wolf unless asked otherwise), the target fit β_T.
 * 2. Basket: minimise the model tracking error to the target,
 *      TE² = (Bᵀw − β_T)ᵀF(Bᵀw − β_T) + (w − h)ᵀD(w − h)   (a target with holdings h),
 *      TE² = (Bᵀw − β_T)ᵀF(Bᵀw − β_T) + wᵀDw + σ²_T        (a return series),
 *    i.e. ½wᵀΣw − (B·F·β_T + D·h)ᵀw up to a constant, subject to Σw = 1, long-only (or the given
 *    bounds), and the exposure match |Bᵀw − β_T|_f ≤ tolerance for every factor (0 = exact);
 *    optionally at most K names (optimize.ts's MILP support). A target given as weights holds them
 *    (h = its weights on the model's assets); the equal-weight index holds 1/N of each of the N
 *    universe names with a return on the fit window's last date. Its specific return is then the
 *    model's h·ε, which a basket of the same names shares: the specific part is (w − h)ᵀD(w − h),
 *    as `optimize` counts active risk against a benchmark. A return series holds nothing the model
 *    knows (h = 0): its residual variance σ²_T in its own fit is taken as independent of the basket.
 *    With an exact match the objective is the specific part alone. Before h was counted, a holdings
 *    target was treated as a return series: the basket was the least specific risk wᵀDw with the
 *    target's exposures rather than the least tracking error to it, and its model tracking error
 *    counted the target's whole residual risk as independent of its own names' (on the S&P 500's
 *    equal-weight index, 1.92% ex ante for a basket that tracked it within 0.75%).
 *    The names a holdings target holds outside the risk model (left out for short histories) count
 *    through β_T only.
 * 3. Evaluation: the basket's return r_p(t) = Σ_i w_i r_i(t) with constant weights (rebalanced
 *    every period; a missing return counts as 0 for its weight, and the share of weight with a
 *    return is reported), against the target's r_T(t): ex-post tracking error
 *    std(r_p − r_T) (ddof 1) × √P and the correlation, in-sample (the fit window) and out-of-sample
 *    (the test window, after the fit window: fit on one, evaluate on the next).
 *
 * A target given as weights over universe assets is the constant-weight portfolio of them (a
 * member without a return on a date counts as a zero return). The equal-weight target
 * (`equalWeight: true`, the CLI's `--target-weights equal`) is the equal-weight index instead: each
 * period the mean return of the universe assets with a return that period, so names not yet listed,
 * delisted or without a price that day are not held (as 1/n weights they were held as cash: on the
 * S&P 500 file, 8 of 523 tickers list only after 2015, and the "equal-weight" target fitted on
 * 2014-2015 had a market beta of 0.984 where the index's is 1.009).
 */
import type { Calendar } from '../core/calendar.js';
import { lowerBound } from '../core/calendar.js';
import { formatIsoDate, parseIsoDate } from '../core/dates.js';
import { checkInteger, checkNonNegative, checkOptionNames, checkPositive, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import type { DatedSeries } from '../core/returns.js';
import { fitExposures } from '../exposures/fit.js';
import { makeStep } from '../exposures/steps.js';
import type { CovarianceOptions } from './covariance.js';
import type { OptimizeOptions } from './optimize.js';
import { optimize } from './optimize.js';
import type { OptimizationResult } from './result.js';
import type { RiskModel } from './riskModel.js';
import { returnsSpan } from '../core/returns.js';
import { exposuresOf, riskModelFromFit } from './riskModel.js';
import type { OptimizeConstraints } from './spec.js';

export type ReplicationTarget =
  | { name: string; returns: DatedSeries }
  | { name: string; weights: Readonly<Record<string, number>> }
  /** The equal-weight index of the universe: each period the mean return of the assets with one. */
  | { name: string; equalWeight: true };

export interface ReplicateInput {
  /** Factor returns (decimal), possibly with a risk-free column. */
  factors: Frame;
  factorNames: readonly string[];
  /** Risk-free column of `factors`: subtracted from every return before the fits. */
  riskFree?: string;
  /** Returns of the replicating universe, date × asset. */
  universe: Panel;
  target: ReplicationTarget;
  /** Fit window (ISO, inclusive). */
  fit: { start?: string; end: string };
  /** Evaluation window (default: every date after the fit window). */
  test?: { start?: string; end?: string };
  /** |Bᵀw − β_T| ≤ tolerance per factor (default 0: exact). null: no match constraint, only the model TE. */
  exposureTolerance?: number | null;
  constraints?: Pick<OptimizeConstraints, 'maxNames' | 'minPosition' | 'maxWeight' | 'minWeight' | 'longOnly'>;
  covariance?: CovarianceOptions;
  periodsPerYear?: number;
  /** Fewest returns an asset (and the target) needs in the fit window (default: coefficients + 2). */
  minObs?: number;
  /**
   * Universe assets that cannot enter the basket (their maximum weight is 0), by name: names that
   * no longer trade at the fit window's end (the CLI's `--stale-after`). Names the risk model left
   * out are ignored.
   */
  untradable?: readonly string[];
}

export interface WindowFit {
  start: string;
  end: string;
  /** Dates with both a basket and a target return (the tracking error's sample). */
  observations: number;
  /** Dates of the universe in the window: more than `observations` where the target (or the basket) has no return. */
  windowDates: number;
  /** Annualised ex-post std(r_p − r_T), ddof 1. */
  trackingError: number;
  correlation: number;
  /** Mean share of the basket's weight with a return on the window's dates. */
  coverage: number;
}

export interface ReplicationData {
  target: string;
  riskModel: RiskModel;
  targetExposures: Float64Array;
  basketExposures: Float64Array;
  /** max_f |Bᵀw − β_T|_f. */
  exposureMismatch: number;
  /** Ex-ante model tracking error √(P·TE²), TE² of the module comment (per period), annualised. */
  modelTrackingError: number;
  inSample: WindowFit;
  outOfSample: WindowFit | null;
  dropped: { asset: string; reason: string }[];
  /**
   * The target's holdings on universe names the risk model left out (a weights target, the
   * equal-weight index): the basket cannot hold them, and they count only through the target's
   * fitted exposures. Largest first.
   */
  targetOutsideModel: { asset: string; weight: number }[];
  optimization: OptimizationResult;
}

export class ReplicationResult {
  constructor(readonly data: ReplicationData) {}
  get weights(): Float64Array {
    return this.data.optimization.weights;
  }
  toJSON(): Record<string, unknown> {
    const d = this.data;
    const exposures: Record<string, { target: number; basket: number; difference: number }> = {};
    d.riskModel.factors.forEach((f, j) => {
      exposures[f] = {
        target: d.targetExposures[j],
        basket: d.basketExposures[j],
        difference: d.basketExposures[j] - d.targetExposures[j],
      };
    });
    const opt = d.optimization.toJSON();
    const holdings = (opt.holdings as { asset: string; weight: number }[])
      .filter((h) => h.weight !== 0)
      .map((h) => ({ asset: h.asset, weight: h.weight }));
    return {
      target: d.target,
      names: holdings.length,
      holdings,
      exposures,
      exposureMismatch: d.exposureMismatch,
      modelTrackingError: d.modelTrackingError,
      inSample: d.inSample,
      outOfSample: d.outOfSample,
      riskModel: {
        factors: d.riskModel.factors,
        assets: d.riskModel.assets.length,
        periodsPerYear: d.riskModel.periodsPerYear,
        estimate: d.riskModel.estimate ?? null,
      },
      dropped: d.dropped,
      targetOutsideModel: d.targetOutsideModel,
      cardinality: opt.cardinality,
      solver: opt.solver,
    };
  }
}

function windowRows(dates: Calendar, start: number, end: number): [number, number] {
  return [lowerBound(dates, start), lowerBound(dates, end + 1)];
}

const REPLICATE_INPUT_NAMES: Readonly<Record<keyof ReplicateInput, true>> = {
  factors: true,
  factorNames: true,
  riskFree: true,
  universe: true,
  target: true,
  fit: true,
  test: true,
  exposureTolerance: true,
  constraints: true,
  covariance: true,
  periodsPerYear: true,
  minObs: true,
  untradable: true,
};
const REPLICATE_CONSTRAINT_NAMES: Readonly<Record<keyof NonNullable<ReplicateInput['constraints']>, true>> = {
  maxNames: true,
  minPosition: true,
  maxWeight: true,
  minWeight: true,
  longOnly: true,
};

/**
 * The input's names and shape: a misspelt field (`exposureTol`, `fit: { from }`, `constraints:
 * { maxweight }`) ran the default, a constraint replicate does not take (`trackingError`) reached
 * the optimiser, and a target that is none of the three kinds was read as weights (a TypeError).
 */
function checkReplicateInput(input: ReplicateInput): void {
  checkOptionNames<ReplicateInput>('replicate input', input, REPLICATE_INPUT_NAMES);
  checkOptionNames<{ start?: string; end: string }>('replicate input.fit', input.fit, { start: true, end: true });
  checkOptionNames<{ start?: string; end?: string }>('replicate input.test', input.test, { start: true, end: true });
  checkOptionNames<NonNullable<ReplicateInput['constraints']>>(
    'replicate input.constraints',
    input.constraints,
    REPLICATE_CONSTRAINT_NAMES,
  );
  const t = input.target as unknown;
  const kinds = typeof t === 'object' && t !== null ? ['returns', 'weights', 'equalWeight'].filter((k) => k in t) : [];
  if (kinds.length !== 1 || typeof (t as { name?: unknown }).name !== 'string')
    throw new InputError(
      `replicate input.target must be { name, returns }, { name, weights } or { name, equalWeight: true }, got ${kinds.length > 1 ? `one with ${kinds.join(' and ')}` : describeValue(t)}`,
    );
  if ('equalWeight' in input.target && (input.target.equalWeight as unknown) !== true)
    throw new InputError(`replicate input.target.equalWeight must be true, got ${describeValue(input.target.equalWeight)}`);
  if (input.periodsPerYear !== undefined) checkPositive('periodsPerYear', input.periodsPerYear);
  if (input.minObs !== undefined) checkInteger('minObs', input.minObs, 1);
  if (input.exposureTolerance !== undefined && input.exposureTolerance !== null)
    checkNonNegative('exposureTolerance', input.exposureTolerance);
}

export async function replicate(input: ReplicateInput, options: OptimizeOptions = {}): Promise<ReplicationResult> {
  checkReplicateInput(input);
  const { universe, factors } = input;
  const fitEnd = parseIsoDate(input.fit.end);
  // the fit window starts no earlier than the first date with a return (not on the first price
  // date of returns computed from prices: F would hold a factor return no regression used)
  const span = returnsSpan(universe);
  const firstReturn = span !== null ? span[0] : universe.dates[0];
  const fitStart = input.fit.start !== undefined ? Math.max(parseIsoDate(input.fit.start), firstReturn) : firstReturn;
  // Target returns on the universe calendar, and its holdings on the universe's columns when it
  // has holdings (weights, the equal-weight index; null for a return series).
  let targetReturns: Float64Array;
  let holdings: Float64Array | null = null;
  const nd = universe.dates.length,
    na = universe.assets.length;
  if ('returns' in input.target) {
    const t = input.target.returns;
    targetReturns = new Float64Array(nd).fill(NaN);
    for (let r = 0; r < nd; r++) {
      const k = lowerBound(t.dates, universe.dates[r]);
      if (k < t.dates.length && t.dates[k] === universe.dates[r]) targetReturns[r] = t.values[k];
    }
  } else if ('equalWeight' in input.target) {
    targetReturns = new Float64Array(nd);
    for (let r = 0; r < nd; r++) {
      let s = 0,
        c = 0;
      for (let j = 0; j < na; j++) {
        const v = universe.values[r * na + j];
        if (Number.isFinite(v)) {
          s += v;
          c++;
        }
      }
      targetReturns[r] = c > 0 ? s / c : NaN;
    }
    holdings = equalIndexHoldings(universe, fitStart, fitEnd);
  } else {
    const w = new Float64Array(na);
    let any = false;
    for (const [asset, v] of Object.entries(input.target.weights)) {
      const j = universe.assetIndex(asset);
      if (j < 0)
        throw new InputError(`target weight on ${asset}, which is not in the replicating universe`, {
          asset,
          hint: 'give target weights only on universe assets, or the target as a return series',
        });
      if (!Number.isFinite(v)) throw new InputError(`target weight is not a finite number (${v})`, { asset });
      w[j] = v;
      any ||= v !== 0;
    }
    if (!any) throw new InputError('the target portfolio has no non-zero weight');
    targetReturns = portfolioSeries(universe, w).returns;
    holdings = w;
  }
  const targetPanel = new Panel(universe.dates, [input.target.name], targetReturns);
  const step = makeStep(input.factorNames);
  const fitOptions = {
    start: formatIsoDate(fitStart),
    end: formatIsoDate(fitEnd),
    residuals: false,
    ...(input.riskFree ? { riskFree: input.riskFree } : {}),
    ...(input.minObs !== undefined ? { minObs: input.minObs } : {}),
  };
  const uFit = fitExposures(factors, universe, [step], [], fitOptions);
  const { model, dropped } = riskModelFromFit(uFit, factors, {
    ...(input.covariance ? { covariance: input.covariance } : {}),
    ...(input.periodsPerYear ? { periodsPerYear: input.periodsPerYear } : {}),
  });
  if (model.assets.length === 0)
    throw new InputError('no universe asset could be fitted in the fit window', { hint: 'use a longer fit window or check the returns' });
  const tFit = fitExposures(factors, targetPanel, [step], [], fitOptions);
  const k = model.factors.length;
  const beta = new Float64Array(k);
  for (let f = 0; f < k; f++) beta[f] = tFit.exposures[model.factors[f]][0];
  if (!beta.every(Number.isFinite))
    throw new InputError(`the target ${input.target.name} could not be fitted in the fit window (too few returns)`, {
      hint: 'use a longer fit window',
    });
  const targetSpecific = tFit.diagnostics[0].residualVol[0] ** 2;
  // A target return too large to be real (a price near zero in a target of universe weights: 1e-300
  // and back is a return of 1e302) overflows its residual variance; the solver then failed on
  // exposure bounds of 1e300 ("passModel failed"). Name the return instead.
  if (!Number.isFinite(targetSpecific) || beta.some((b) => Math.abs(b) > 1e6)) {
    let at = -1;
    for (let t = lowerBound(universe.dates, fitStart); t < nd && universe.dates[t] <= fitEnd; t++)
      if (Number.isFinite(targetReturns[t]) && (at < 0 || Math.abs(targetReturns[t]) > Math.abs(targetReturns[at]))) at = t;
    throw new InputError(
      `the target ${input.target.name} has returns too large to fit${at >= 0 ? ` (${targetReturns[at]} on ${formatIsoDate(universe.dates[at])})` : ''}`,
      { hint: 'a price near zero or a one-day bad tick in the target or the universe it is weighted over: fix the price, or add --clean' },
    );
  }
  // h: the target's holdings on the model's assets (0 for a return series, and for names the model left out)
  const h = new Float64Array(model.assets.length);
  const targetOutsideModel: { asset: string; weight: number }[] = [];
  if (holdings !== null) {
    model.assets.forEach((a, i) => (h[i] = holdings[universe.assetIndex(a)]));
    const inModel = new Set(model.assets);
    universe.assets.forEach((a, j) => {
      if (holdings[j] !== 0 && !inModel.has(a)) targetOutsideModel.push({ asset: a, weight: holdings[j] });
    });
    targetOutsideModel.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight) || (x.asset < y.asset ? -1 : 1));
  }
  // alpha = B·F·β_T + D·h, so that ½wᵀΣw − alphaᵀw is the model TE² / 2 up to a constant.
  const fb = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) fb[a] += model.factorCovariance[a * k + c] * beta[c];
  const alpha = new Float64Array(model.assets.length);
  for (let i = 0; i < model.assets.length; i++) {
    for (let f = 0; f < k; f++) alpha[i] += model.exposures[i * k + f] * fb[f];
    alpha[i] += model.specificVariance[i] * h[i];
  }
  const tol = input.exposureTolerance === undefined ? 0 : input.exposureTolerance;
  const exposures = tol === null ? [] : model.factors.map((f, j) => ({ factor: f, min: beta[j] - tol, max: beta[j] + tol }));
  const optimization = await optimize(
    { riskModel: model, alpha, riskAversion: 1, constraints: { ...input.constraints, ...untradableCaps(model.assets, input), exposures } },
    options,
  );
  const w = optimization.weights;
  const basketExposures = exposuresOf(model, w);
  let mismatch = 0;
  for (let f = 0; f < k; f++) mismatch = Math.max(mismatch, Math.abs(basketExposures[f] - beta[f]));
  const d = new Float64Array(k);
  for (let f = 0; f < k; f++) d[f] = basketExposures[f] - beta[f];
  let factorPart = 0,
    specific = holdings === null ? targetSpecific : 0;
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) factorPart += d[a] * model.factorCovariance[a * k + c] * d[c];
  for (let i = 0; i < w.length; i++) specific += (w[i] - h[i]) ** 2 * model.specificVariance[i];
  const P = model.periodsPerYear;
  // Basket returns on the universe calendar (weights mapped back to universe columns).
  const wu = new Float64Array(na);
  model.assets.forEach((a, i) => {
    wu[universe.assetIndex(a)] = w[i];
  });
  const basket = portfolioSeries(universe, wu);
  const inSample = evaluate(universe.dates, basket, targetReturns, fitStart, fitEnd, P);
  let outOfSample: WindowFit | null = null;
  const testStart = input.test?.start !== undefined ? parseIsoDate(input.test.start) : fitEnd + 1;
  const testEnd = input.test?.end !== undefined ? parseIsoDate(input.test.end) : universe.dates[nd - 1];
  if (testStart <= testEnd && lowerBound(universe.dates, testStart) < lowerBound(universe.dates, testEnd + 1))
    outOfSample = evaluate(universe.dates, basket, targetReturns, testStart, testEnd, P);
  return new ReplicationResult({
    target: input.target.name,
    riskModel: model,
    targetExposures: beta,
    basketExposures,
    exposureMismatch: mismatch,
    modelTrackingError: Math.sqrt(P * (factorPart + specific)),
    inSample,
    outOfSample,
    dropped,
    targetOutsideModel,
    optimization,
  });
}

/**
 * `{ maxWeight }` in the risk model's order with 0 on the input's untradable names (the caller's
 * maxWeight, a number or one per model asset, elsewhere); nothing when there are none.
 */
function untradableCaps(assets: readonly string[], input: ReplicateInput): { maxWeight?: Float64Array } {
  if (input.untradable !== undefined && !(Array.isArray(input.untradable) && input.untradable.every((a) => typeof a === 'string')))
    throw new InputError(`untradable must be a list of asset names, got ${describeValue(input.untradable)}`, { options: ['untradable'] });
  const out = new Set(input.untradable ?? []);
  if (!assets.some((a) => out.has(a))) return {};
  const cap = input.constraints?.maxWeight;
  return {
    maxWeight: Float64Array.from(assets, (a, i) =>
      out.has(a) ? 0 : cap === undefined ? Infinity : typeof cap === 'number' ? cap : cap[i],
    ),
  };
}

/**
 * The equal-weight index's holdings at the end of the fit window: 1/N on each of the N universe
 * assets with a return on the window's last date that has any (the names the index holds into the
 * next period), 0 elsewhere.
 */
function equalIndexHoldings(universe: Panel, fitStart: number, fitEnd: number): Float64Array {
  const na = universe.assets.length;
  const out = new Float64Array(na);
  const first = lowerBound(universe.dates, fitStart);
  for (let r = lowerBound(universe.dates, fitEnd + 1) - 1; r >= first; r--) {
    let n = 0;
    for (let j = 0; j < na; j++) if (Number.isFinite(universe.values[r * na + j])) n++;
    if (n === 0) continue;
    for (let j = 0; j < na; j++) if (Number.isFinite(universe.values[r * na + j])) out[j] = 1 / n;
    break;
  }
  return out;
}

/** r_p(t) = Σ w_i r_i(t), missing returns counted as 0; coverage(t) = Σ_{r_i(t) known} |w_i| / Σ|w_i|. */
export function portfolioSeries(universe: Panel, w: Float64Array): { returns: Float64Array; coverage: Float64Array } {
  const nd = universe.dates.length,
    na = universe.assets.length;
  const out = new Float64Array(nd),
    cov = new Float64Array(nd);
  let gross = 0;
  for (let j = 0; j < na; j++) gross += Math.abs(w[j]);
  for (let r = 0; r < nd; r++) {
    let s = 0,
      c = 0;
    for (let j = 0; j < na; j++) {
      const wj = w[j];
      if (wj === 0) continue;
      const v = universe.values[r * na + j];
      if (Number.isFinite(v)) {
        s += wj * v;
        c += Math.abs(wj);
      }
    }
    out[r] = c > 0 ? s : NaN;
    cov[r] = gross > 0 ? c / gross : 0;
  }
  return { returns: out, coverage: cov };
}

function evaluate(
  dates: Calendar,
  basket: { returns: Float64Array; coverage: Float64Array },
  target: Float64Array,
  start: number,
  end: number,
  P: number,
): WindowFit {
  const [a, b] = windowRows(dates, start, end);
  const diff: number[] = [],
    xs: number[] = [],
    ys: number[] = [];
  let cover = 0,
    nCover = 0;
  for (let r = a; r < b; r++) {
    cover += basket.coverage[r];
    nCover++;
    const x = basket.returns[r],
      y = target[r];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    diff.push(x - y);
    xs.push(x);
    ys.push(y);
  }
  const n = diff.length;
  const mean = (v: number[]): number => v.reduce((s, t) => s + t, 0) / v.length;
  const md = mean(diff);
  const te = n > 1 ? Math.sqrt((diff.reduce((s, t) => s + (t - md) ** 2, 0) / (n - 1)) * P) : NaN;
  const mx = mean(xs),
    my = mean(ys);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return {
    start: formatIsoDate(dates[a] ?? start),
    end: formatIsoDate(dates[b - 1] ?? end),
    observations: n,
    windowDates: nCover,
    trackingError: te,
    correlation: n > 1 ? sxy / Math.sqrt(sxx * syy) : NaN,
    coverage: nCover > 0 ? cover / nCover : 0,
  };
}

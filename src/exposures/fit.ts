/**
 * Fitting the steps of a factor-exposure model to a panel of asset returns.
 *
 * Data: the returns panel's calendar (rows between `start` and `end`) is the fit calendar; the
 * factors are matched to it by date (inner: a date the factor frame lacks is a missing factor row;
 * factor dates without returns are ignored). With `factorScale` every factor value is multiplied
 * by it first (0.01 for percent files). With `riskFree: name`, the return of every asset becomes
 * r_t − rf_t (missing where rf is) and the column is dropped from every step's regressors.
 *
 * Steps run in sequence: step 1 regresses y = the (excess) returns, step s > 1 regresses the
 * residuals of step s − 1, so y = Σ_s (c_s + X_s·b_s) + e_last. Each asset's sample in a step is
 * the rows where its y and every factor of the step are present; fewer than `minObs` rows
 * (default: coefficients + 2) skips the asset for that step and every later one, with a reason.
 * An asset whose raw returns are constant over the sample (max - min <= 1e-10: constant prices)
 * is skipped in every step with that reason: its fit would be rounding noise with huge t-values.
 *
 * Per step and asset (OLS, see stats/ols.ts for every formula; it is statsmodels' OLS): coef, se,
 * t, p (Student t, n − rank df), R² (null for a constant y), adjusted R², residual volatility
 * σ = sqrt(SSR/(n − rank)), nobs; with `neweyWest`, HAC se / t / p (stats/neweyWest.ts: Bartlett
 * kernel, lags floor(4·(n/100)^(2/9)) per asset by default, no small-sample correction, t p-values;
 * computed for all assets at once by stats/neweyWestBatch.ts). With a fixed `lags`, an asset whose
 * sample has no more than `lags` observations gets NaN HAC se / t / p and lags 0 (the kernel cannot
 * have the lags asked for).
 * Constant or collinear regressors get NaN coefficients and are reported per asset (`issues`).
 *
 * Penalised steps (ridge, lasso, elastic net; stats/penalized.ts) report coef, R² and adjusted R²
 * with the same formulas as OLS (R² = 1 − SSR/TSS, TSS centred with a constant, uncentred without),
 * residual volatility sqrt(SSR/(n − p)) with p the number of coefficients, nobs, and the solver's
 * account: `converged`, `iterations` (coordinate-descent sweeps), `dualityGap` (of the returned
 * coefficients, in the objective's units) and `polished` (the exact, verified KKT solution; ridge
 * is closed form: 0 sweeps, gap 0, polished). se, t, p and Newey-West are NaN there: a lasso or
 * ridge estimate is biased and its sampling distribution is not the OLS one, so classical
 * standard errors are not valid.
 *
 * Exposures: for each factor, the sum of its coefficients over the steps that regress on it (the
 * total loading of y on the factor); `alpha` is the sum of the steps' constants. Cross scores rank
 * a summed exposure across assets (crossScore.ts). Residuals are the last step's.
 *
 * Definitions (all of them, in one place): docs/definitions.md#factor-exposures.
 */
import type { Calendar } from '../core/calendar.js';
import { lowerBound, mapCalendar, unionAll } from '../core/calendar.js';
import { formatIsoDate, tryParseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import type { DatedSeries } from '../core/returns.js';
import { DEFAULT_COLLINEAR_TOL, cholesky } from '../stats/linalg.js';
import { neweyWestBatch } from '../stats/neweyWestBatch.js';
import type { NeweyWestBatchOptions, NeweyWestBatchResult } from '../stats/neweyWestBatch.js';
import { olsBatch } from '../stats/ols.js';
import type { OlsBatchResult, OlsOptions } from '../stats/ols.js';
import { elasticNetBatch } from '../stats/penalized.js';
import { crossScore } from './crossScore.js';
import type { CrossScore } from './crossScore.js';
import { coefficientNames } from './steps.js';
import type { Step, StepMethod } from './steps.js';

/** Asset returns: a Panel (date × asset) or named series, each on its own calendar. */
export type AssetReturns = Panel | Readonly<Record<string, DatedSeries>>;

export interface NeweyWestFitOptions {
  /** Fixed maximum lag for every asset (default floor(4·(n/100)^(2/9)) per asset's n). */
  lags?: number;
  /** statsmodels' `use_correction` (× n/(n − rank)); default false. */
  useCorrection?: boolean;
}

export interface FitOptions {
  /** Minimum observations per asset and step (default: number of coefficients + 2). */
  minObs?: number;
  /** Newey-West standard errors for OLS steps (default false). */
  neweyWest?: boolean | NeweyWestFitOptions;
  /** First date (ISO, inclusive). */
  start?: string;
  /** Last date (ISO, inclusive). */
  end?: string;
  /** Return the residual panel (default true). */
  residuals?: boolean;
  /** Multiply every factor value by this (e.g. 0.01 for percent factors). Default 1. */
  factorScale?: number;
  /** Factor column holding the risk-free rate: subtracted from every return, not a regressor. */
  riskFree?: string;
  /**
   * Let the fit use the returns panel's own values as its work space (default false): the
   * risk-free rate is subtracted in place, an asset with constant returns is set to NaN there, and
   * each OLS step writes its residuals over its y, so the residual panel is a view on the returns'
   * buffer (rows start..end). The fit then holds no n × m panel of its own (without it: up to two,
   * the excess returns and the residuals). For a caller that owns the returns and needs them no
   * more (the CLI); the results' analyses that read the returns (`model`, rolling exposures,
   * variance decomposition, report) then refuse. The numbers are the same bits either way.
   */
  overwriteReturns?: boolean;
}

export interface SkippedAsset {
  asset: string;
  /** 1-based step number. */
  step: number;
  reason: string;
}

/** Regressors found constant or collinear on an asset's sample (their coefficients are NaN). */
export interface RegressorIssue {
  asset: string;
  step: number;
  constant: string[];
  collinear: string[];
}

export interface NeweyWestDiagnostics {
  /** Lags used per asset (0 where not fitted). */
  lags: Int32Array;
  /** Asset-major m × p, like `coef`. */
  se: Float64Array;
  t: Float64Array;
  p: Float64Array;
}

/** Diagnostics of one step. Per-coefficient arrays are asset-major: value[j·p + i]. */
export interface StepFit {
  /** 1-based step number. */
  step: number;
  method: StepMethod;
  /** Regressors of the step (the risk-free column removed). */
  factors: string[];
  /** Coefficient names: ['const', ...factors] or the factors. */
  coefficients: string[];
  includeConstant: boolean;
  l1: number;
  l2: number;
  /** Whether regressors were standardised (penalised steps with normalizeIfRegularized). */
  normalize: boolean;
  minObs: number;
  nobs: Int32Array;
  /** 1 where the asset was fitted in this step. */
  fitted: Uint8Array;
  coef: Float64Array;
  /** OLS only (NaN for penalised steps). */
  se: Float64Array;
  t: Float64Array;
  p: Float64Array;
  /** NaN where undefined (constant y) or not fitted: JSON null. */
  r2: Float64Array;
  adjR2: Float64Array;
  residualVol: Float64Array;
  /** Residual degrees of freedom (n − rank for OLS, n − p for penalised fits). */
  dfResid: Int32Array;
  /** Penalised steps: 1 when coordinate descent converged (ridge: always). null for OLS. */
  converged: Uint8Array | null;
  iterations: Int32Array | null;
  /** Penalised steps: duality gap of each asset's coefficients (objective units; 0 for ridge). null for OLS. */
  dualityGap: Float64Array | null;
  /** Penalised steps: 1 when the coefficients are the exact, verified KKT solution (ridge: always). null for OLS. */
  polished: Uint8Array | null;
  /** Newey-West, when asked and the step is OLS. */
  nw: NeweyWestDiagnostics | null;
  skipped: SkippedAsset[];
  issues: RegressorIssue[];
  /** Constant / collinear factors over the dates where every factor of the step is present. */
  factorIssues: { constant: string[]; collinear: string[] };
}

export interface ExposureFit {
  assets: string[];
  /** Fit calendar (the returns' dates within start..end). */
  dates: Calendar;
  /** Every factor regressed on, in order of first appearance over the steps. */
  factors: string[];
  /** Factors then cross-score names: the rows of `exposures`. */
  exposureNames: string[];
  /** Per name, one value per asset (in `assets` order); NaN where not fitted. */
  exposures: Record<string, Float64Array>;
  /** Sum of the steps' constants per asset (0 when no step has one). */
  alpha: Float64Array;
  /** Last step's residuals, date × asset; NaN off each asset's sample. null if not asked. */
  residuals: Panel | null;
  /** One entry per step. */
  diagnostics: StepFit[];
  /** Every skip of every step. */
  skipped: SkippedAsset[];
  issues: RegressorIssue[];
  riskFree: string | null;
  factorScale: number;
  neweyWest: boolean;
}

/** A Panel from named dated series (union of their calendars, NaN where a series lacks a date). */
export function returnsPanel(returns: AssetReturns): Panel {
  if (returns instanceof Panel) return returns;
  const names = Object.keys(returns);
  if (names.length === 0) throw new InputError('no asset returns given', { hint: 'pass a Panel or a record of {dates, values} series' });
  for (const a of names) {
    const s = returns[a];
    if (s === undefined || s.dates === undefined || s.values === undefined || s.dates.length !== s.values.length) {
      throw new InputError('return series must be {dates, values} of equal length', { asset: a });
    }
    for (let i = 1; i < s.dates.length; i++) {
      if (!(s.dates[i] > s.dates[i - 1]))
        throw new InputError('return series dates must be strictly increasing day numbers', { asset: a, date: formatIsoDate(s.dates[i]) });
    }
  }
  const cal = unionAll(names.map((a) => Int32Array.from(returns[a].dates)));
  const m = names.length;
  const out = new Float64Array(cal.length * m).fill(NaN);
  names.forEach((a, j) => {
    const s = returns[a];
    const idx = mapCalendar(Int32Array.from(s.dates), cal);
    for (let i = 0; i < idx.length; i++) out[idx[i] * m + j] = s.values[i];
  });
  return new Panel(cal, names, out);
}

function parseBound(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const d = tryParseIsoDate(v);
  if (Number.isNaN(d)) throw new InputError(`fit option ${name} must be an ISO date yyyy-mm-dd`, { value: v, options: [name] });
  return d;
}

/** Row-major n×k regressors of `factors` on the fit calendar (NaN where the frame lacks a date). */
function designMatrix(frame: Frame, names: readonly string[], rowOf: Int32Array, scale: number): Float64Array {
  const n = rowOf.length,
    k = names.length;
  const x = new Float64Array(n * k);
  names.forEach((name, f) => {
    const s = frame.get(name);
    for (let t = 0; t < n; t++) {
      const r = rowOf[t];
      x[t * k + f] = r >= 0 ? s[r] * scale : NaN;
    }
  });
  return x;
}

/** Constant and collinear columns of X over the rows where every column is present. */
function checkFactors(
  x: Float64Array,
  n: number,
  k: number,
  names: readonly string[],
  intercept: boolean,
): { constant: string[]; collinear: string[] } {
  const mean = new Float64Array(k),
    sq = new Float64Array(k);
  let cnt = 0;
  const ok = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    let good = 1;
    for (let f = 0; f < k; f++)
      if (!Number.isFinite(x[t * k + f])) {
        good = 0;
        break;
      }
    ok[t] = good;
    if (good) {
      cnt++;
      for (let f = 0; f < k; f++) {
        mean[f] += x[t * k + f];
        sq[f] += x[t * k + f] ** 2;
      }
    }
  }
  if (cnt === 0) return { constant: [], collinear: [] };
  if (intercept) for (let f = 0; f < k; f++) mean[f] /= cnt;
  else mean.fill(0);
  const c = new Float64Array(k * k);
  for (let t = 0; t < n; t++) {
    if (!ok[t]) continue;
    for (let f = 0; f < k; f++) {
      const a = x[t * k + f] - mean[f];
      for (let h = 0; h <= f; h++) c[f * k + h] += a * (x[t * k + h] - mean[h]);
    }
  }
  const exclude: number[] = [];
  for (let f = 0; f < k; f++) if (!(c[f * k + f] > 1e-12 * sq[f])) exclude.push(f);
  const fac = cholesky(c, k, { exclude, tol: DEFAULT_COLLINEAR_TOL });
  return { constant: fac.zero.map((f) => names[f]), collinear: fac.collinear.map((f) => names[f]) };
}

interface StepInput {
  y: Float64Array;
  stride: number;
  offset: number;
  /** y is the fit's to overwrite: an OLS step writes its residuals over it (same layout). */
  owned: boolean;
}

/** Largest spread max - min of an asset's returns that still counts as constant (rounding noise). */
export const CONSTANT_RETURN_SPREAD = 1e-10;

/**
 * Assets whose finite raw returns on rows `a .. a+n-1` (at least two of them) all lie within
 * {@link CONSTANT_RETURN_SPREAD} of each other, with that constant value: zero-variance series
 * (constant prices give returns of exactly 0) whose fit would be rounding noise with huge t-values.
 * They are skipped with this reason in every step.
 */
function constantReturnAssets(values: Float64Array, a: number, n: number, m: number): Map<number, number> {
  const lo = new Float64Array(m).fill(Infinity),
    hi = new Float64Array(m).fill(-Infinity),
    k = new Int32Array(m);
  for (let t = 0; t < n; t++) {
    const o = (a + t) * m;
    for (let j = 0; j < m; j++) {
      const v = values[o + j];
      if (v - v !== 0) continue; // NaN or infinite
      k[j]++;
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const out = new Map<number, number>();
  for (let j = 0; j < m; j++) if (k[j] >= 2 && hi[j] - lo[j] <= CONSTANT_RETURN_SPREAD) out.set(j, lo[j]);
  return out;
}

/** One step over every asset. `earlier[j]` = the step that skipped asset j before (0: none). */
function* runStep(
  step: Step,
  stepNo: number,
  factors: string[],
  x: Float64Array,
  n: number,
  assets: readonly string[],
  input: StepInput,
  earlier: Int32Array,
  options: FitOptions,
  wantResiduals: boolean,
  reasons: ReadonlyMap<number, string>,
): Generator<FitRequest, { fit: StepFit; residuals: Float64Array | null }, OlsBatchResult | NeweyWestBatchResult> {
  const m = assets.length,
    k = factors.length;
  const p = k + (step.includeConstant ? 1 : 0);
  const minObs = options.minObs ?? p + 2;
  if (!(Number.isInteger(minObs) && minObs >= 1))
    throw new InputError('fit option minObs must be a positive integer', { value: String(options.minObs), options: ['minObs'] });
  const coefficients = coefficientNames(step, factors);
  const skipped: SkippedAsset[] = [];
  const issues: RegressorIssue[] = [];
  const fitted = new Uint8Array(m);
  const skip = (j: number, nobs: number, why?: string): void => {
    const reason =
      earlier[j] > 0
        ? `skipped in step ${earlier[j]}`
        : (reasons.get(j) ?? why ?? `${nobs} observations, fewer than the minimum ${minObs}`);
    skipped.push({ asset: assets[j], step: stepNo, reason });
    if (earlier[j] === 0) earlier[j] = stepNo;
  };
  const factorIssues = checkFactors(x, n, k, factors, step.includeConstant);
  const nwOpt = options.neweyWest === true ? {} : options.neweyWest === false || options.neweyWest === undefined ? null : options.neweyWest;
  const base = {
    step: stepNo,
    method: step.method,
    factors,
    coefficients,
    includeConstant: step.includeConstant,
    l1: step.l1,
    l2: step.l2,
    minObs,
    skipped,
    issues,
    factorIssues,
    fitted,
  };

  if (step.method === 'ols') {
    const needResid = wantResiduals || nwOpt !== null;
    const olsOptions: OlsOptions = {
      intercept: step.includeConstant,
      minObs,
      residuals: needResid,
      yStride: input.stride,
      yOffset: input.offset,
    };
    // residuals over y when the fit owns it (olsBatch reads each block of series before writing it)
    if (needResid && input.owned && input.stride === m && input.offset === 0) olsOptions.residualsOut = input.y;
    const res = (yield { kind: 'ols', y: input.y, n, m, x, k, options: olsOptions }) as OlsBatchResult;
    for (let j = 0; j < m; j++) fitted[j] = Number.isNaN(res.residualStd[j]) ? 0 : 1;
    for (const is of res.issues) {
      const j = is.series;
      if (is.kind === 'too-few-observations') {
        skip(j, is.nobs, is.nobs >= minObs ? `${is.nobs} observations do not exceed the rank of the regressors` : undefined);
      } else {
        issues.push({
          asset: assets[j],
          step: stepNo,
          constant: is.constant.map((f) => factors[f]),
          collinear: is.collinear.map((f) => factors[f]),
        });
      }
    }
    let nw: NeweyWestDiagnostics | null = null;
    if (nwOpt !== null) {
      const r = (yield {
        kind: 'neweyWest',
        residuals: res.residuals!,
        n,
        m,
        x,
        k,
        intercept: step.includeConstant,
        coef: res.coef,
        dfResid: res.dfResid,
        rank: res.rank,
        options: nwOpt,
      }) as NeweyWestBatchResult;
      // a fixed lag the asset's sample does not exceed: the kernel would be cut to n − 1 lags without a
      // word (other weights than the lag asked for, and than statsmodels' maxlags), so no HAC figures
      const fixed = nwOpt.lags;
      if (fixed !== undefined) {
        for (let j = 0; j < m; j++) {
          if (res.nobs[j] === 0 || res.nobs[j] > fixed) continue;
          r.lags[j] = 0;
          r.se.fill(NaN, j * p, (j + 1) * p);
          r.t.fill(NaN, j * p, (j + 1) * p);
          r.pValue.fill(NaN, j * p, (j + 1) * p);
        }
      }
      nw = { lags: r.lags, se: r.se, t: r.t, p: r.pValue };
    }
    const fit: StepFit = {
      ...base,
      normalize: false,
      nobs: res.nobs,
      coef: res.coef,
      se: res.se,
      t: res.t,
      p: res.pValue,
      r2: res.r2,
      adjR2: res.adjR2,
      residualVol: res.residualStd,
      dfResid: res.dfResid,
      converged: null,
      iterations: null,
      dualityGap: null,
      polished: null,
      nw,
    };
    return { fit, residuals: wantResiduals ? res.residuals : null };
  }

  // penalised
  const res = elasticNetBatch(input.y, n, m, x, k, {
    l1: step.l1,
    l2: step.l2,
    intercept: step.includeConstant,
    normalize: step.normalize,
    tol: step.tol,
    maxIter: step.maxIter,
    polish: step.polish,
    minObs,
    residuals: true,
    yStride: input.stride,
    yOffset: input.offset,
  });
  const resid = res.residuals!;
  const skippedSet = new Set(res.skipped);
  for (const j of res.skipped) skip(j, res.nobs[j]);
  for (const c of res.constant)
    issues.push({ asset: assets[c.series], step: stepNo, constant: c.columns.map((f) => factors[f]), collinear: [] });
  const coef = new Float64Array(m * p).fill(NaN);
  for (let j = 0; j < m; j++) {
    if (skippedSet.has(j)) continue;
    fitted[j] = 1;
    if (step.includeConstant) coef[j * p] = res.intercept[j];
    for (let f = 0; f < k; f++) coef[j * p + p - k + f] = res.coef[j * k + f];
  }
  const { r2, adjR2, residualVol, dfResid } = penalisedFitStats(input, resid, n, m, p, step.includeConstant, res.nobs, fitted);
  const nan = new Float64Array(m * p).fill(NaN);
  const fit: StepFit = {
    ...base,
    normalize: step.normalize,
    nobs: res.nobs,
    coef,
    se: nan,
    t: nan.slice(),
    p: nan.slice(),
    r2,
    adjR2,
    residualVol,
    dfResid,
    converged: res.converged,
    iterations: res.nIter,
    dualityGap: res.dualGap,
    polished: res.polished,
    nw: null,
  };
  return { fit, residuals: resid };
}

/** R², adjusted R², sqrt(SSR/(n − p)) of penalised fits from their residuals (see module doc). */
function penalisedFitStats(
  input: StepInput,
  resid: Float64Array,
  n: number,
  m: number,
  p: number,
  intercept: boolean,
  nobs: Int32Array,
  fitted: Uint8Array,
) {
  const sy = new Float64Array(m),
    ssr = new Float64Array(m),
    tss = new Float64Array(m),
    yy = new Float64Array(m);
  const { y, stride, offset } = input;
  for (let t = 0; t < n; t++) {
    const ro = t * m,
      yo = offset + t * stride;
    for (let j = 0; j < m; j++) {
      const e = resid[ro + j];
      if (e === e) sy[j] += y[yo + j];
    }
  }
  for (let j = 0; j < m; j++) sy[j] = intercept && nobs[j] > 0 ? sy[j] / nobs[j] : 0;
  for (let t = 0; t < n; t++) {
    const ro = t * m,
      yo = offset + t * stride;
    for (let j = 0; j < m; j++) {
      const e = resid[ro + j];
      if (e === e) {
        ssr[j] += e * e;
        const v = y[yo + j];
        const d = v - sy[j];
        tss[j] += d * d;
        yy[j] += v * v;
      }
    }
  }
  const r2 = new Float64Array(m).fill(NaN),
    adjR2 = new Float64Array(m).fill(NaN),
    residualVol = new Float64Array(m).fill(NaN);
  const dfResid = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    if (!fitted[j]) continue;
    const df = nobs[j] - p;
    dfResid[j] = df;
    residualVol[j] = df > 0 ? Math.sqrt(ssr[j] / df) : NaN;
    if (tss[j] > 1e-20 * yy[j]) {
      r2[j] = 1 - ssr[j] / tss[j];
      adjR2[j] = df > 0 ? 1 - ((nobs[j] - (intercept ? 1 : 0)) / df) * (1 - r2[j]) : NaN;
    }
  }
  return { r2, adjR2, residualVol, dfResid };
}

/** One batched OLS the fit needs (the arguments of {@link olsBatch}). */
export interface OlsRequest {
  kind: 'ols';
  y: Float64Array;
  n: number;
  m: number;
  x: Float64Array;
  k: number;
  options: OlsOptions;
}

/** Newey-West standard errors of an OLS step (the arguments of {@link neweyWestBatch}). */
export interface NeweyWestRequest {
  kind: 'neweyWest';
  residuals: Float64Array;
  n: number;
  m: number;
  x: Float64Array;
  k: number;
  intercept: boolean;
  coef: Float64Array;
  dfResid: Int32Array;
  rank: Int32Array;
  options: NeweyWestBatchOptions;
}

export type FitRequest = OlsRequest | NeweyWestRequest;

/** Runs the fit's batched kernels asynchronously, e.g. over worker threads; must equal olsBatch / neweyWestBatch. */
export interface AsyncFitRunner {
  ols(request: OlsRequest): Promise<OlsBatchResult>;
  neweyWest(request: NeweyWestRequest): Promise<NeweyWestBatchResult>;
}

/** The in-process kernels. */
function runSync(q: FitRequest): OlsBatchResult | NeweyWestBatchResult {
  return q.kind === 'ols'
    ? olsBatch(q.y, q.n, q.m, q.x, q.k, q.options)
    : neweyWestBatch(q.residuals, q.n, q.m, q.x, q.k, q.intercept, q.coef, q.dfResid, q.rank, q.options);
}

/**
 * Fits `steps` (in order) of `factors` to `returns`, then the cross scores. See the module doc.
 * Inputs are not modified; bad configuration throws an {@link InputError}.
 */
export function fitExposures(
  factorFrame: Frame,
  returns: AssetReturns,
  steps: readonly Step[],
  crossScores: readonly CrossScore[],
  options: FitOptions = {},
): ExposureFit {
  const g = fitExposureSteps(factorFrame, returns, steps, crossScores, options);
  let r = g.next();
  while (r.done !== true) r = g.next(runSync(r.value));
  return r.value;
}

/**
 * {@link fitExposures} with every OLS step and Newey-West batch run by `runner` (the parallel layer
 * passes its threaded kernels). Everything else is the same code, so the result is the same when
 * the runner's kernels equal olsBatch and neweyWestBatch.
 */
export async function fitExposuresAsync(
  factorFrame: Frame,
  returns: AssetReturns,
  steps: readonly Step[],
  crossScores: readonly CrossScore[],
  options: FitOptions,
  runner: AsyncFitRunner,
): Promise<ExposureFit> {
  const g = fitExposureSteps(factorFrame, returns, steps, crossScores, options);
  let r = g.next();
  while (r.done !== true) {
    const q = r.value;
    r = g.next(q.kind === 'ols' ? await runner.ols(q) : await runner.neweyWest(q));
  }
  return r.value;
}

/** The fit as a generator that yields each OLS it needs and is resumed with its result. */
function* fitExposureSteps(
  factorFrame: Frame,
  returns: AssetReturns,
  steps: readonly Step[],
  crossScores: readonly CrossScore[],
  options: FitOptions,
): Generator<FitRequest, ExposureFit, OlsBatchResult | NeweyWestBatchResult> {
  if (steps.length === 0)
    throw new InputError('no regression steps to fit', {
      hint: 'add factors with addRegressionFactors(frame) or a step with addStep(factors)',
    });
  const panel = returnsPanel(returns);
  const scale = options.factorScale ?? 1;
  if (!(Number.isFinite(scale) && scale !== 0))
    throw new InputError('fit option factorScale must be a finite non-zero number', { value: String(options.factorScale) });
  const rf = options.riskFree;
  if (rf !== undefined && !factorFrame.has(rf)) {
    throw new InputError(`risk-free column ${rf} is not a factor column`, {
      column: rf,
      hint: `factor columns are ${factorFrame.columns.join(', ')}`,
    });
  }
  const stepFactors = steps.map((s, i) => {
    const f = s.factors.filter((name) => name !== rf);
    for (const name of f) {
      if (!factorFrame.has(name))
        throw new InputError(`step ${i + 1} regresses on ${name}, which is not a factor column`, {
          column: name,
          hint: `factor columns are ${factorFrame.columns.join(', ')}`,
        });
    }
    if (f.length === 0)
      throw new InputError(
        `no factor left to regress on once the risk-free column ${rf} is removed${steps.length > 1 ? ` (step ${i + 1})` : ''}`,
        {
          column: rf,
          hint: `choose factors other than ${rf}: the factor columns are ${factorFrame.columns.filter((c) => c !== rf).join(', ')}`,
        },
      );
    return f;
  });
  const from = parseBound('start', options.start),
    to = parseBound('end', options.end);
  const a = from === undefined ? 0 : lowerBound(panel.dates, from);
  const b = to === undefined ? panel.nDates : lowerBound(panel.dates, to + 1);
  const n = Math.max(0, b - a),
    m = panel.nAssets;
  if (n === 0)
    throw new InputError(`no return dates between start ${options.start ?? '(none)'} and end ${options.end ?? '(none)'}`, {
      hint: `returns cover ${formatIsoDate(panel.dates[0] ?? 0)}..${formatIsoDate(panel.dates.at(-1) ?? 0)}; choose start and end inside that range, start before end`,
      options: ['start', 'end'],
    });
  const nwLags = typeof options.neweyWest === 'object' ? options.neweyWest.lags : undefined;
  if (nwLags !== undefined && nwLags >= n)
    throw new InputError(`neweyWest ${nwLags}: the lag is not below the ${n} return dates of the sample`, {
      hint: `choose a lag well below the sample (the default, floor(4(n/100)^(2/9)), is ${Math.floor(4 * (n / 100) ** (2 / 9))} for n = ${n})`,
      options: ['neweyWest'],
    });
  const dates = panel.dates.subarray(a, b);
  const rowOf = mapCalendar(dates, factorFrame.dates);

  const overwrite = options.overwriteReturns === true;
  let input: StepInput = overwrite
    ? { y: panel.values.subarray(a * m, b * m), stride: m, offset: 0, owned: true }
    : { y: panel.values, stride: m, offset: a * m, owned: false };
  const flat = constantReturnAssets(panel.values, a, n, m);
  if (rf !== undefined || flat.size > 0) {
    // y = r − rf (NaN for a constant asset): in place when the fit may overwrite the returns, else a copy the fit owns
    const rfx = rf !== undefined ? designMatrix(factorFrame, [rf], rowOf, scale) : new Float64Array(n);
    const y = overwrite ? input.y : new Float64Array(n * m);
    const flags = new Uint8Array(m);
    for (const j of flat.keys()) flags[j] = 1;
    for (let t = 0; t < n; t++) {
      const r = rfx[t],
        o = (a + t) * m;
      for (let j = 0; j < m; j++) y[t * m + j] = flags[j] === 1 ? NaN : panel.values[o + j] - r;
    }
    input = { y, stride: m, offset: 0, owned: true };
  }
  const reasons = new Map<number, string>();
  for (const [j, v] of flat)
    reasons.set(
      j,
      `its returns are constant (${v}) on every date: no variance to explain (constant prices?), so no coefficient or t-value means anything`,
    );
  if (rf !== undefined) {
    // returns that move only with the risk-free rate (a cash-like series): constant once rf is
    // subtracted, so their fit would be rounding noise with huge t-values
    const y = input.y;
    for (const [j, v] of constantReturnAssets(y, 0, n, m)) {
      if (flat.has(j)) continue;
      for (let t = 0; t < n; t++) y[t * m + j] = NaN;
      reasons.set(
        j,
        `its excess returns (minus ${rf}) are constant (${v}) on every date: no variance to explain (a cash-like series?), so no coefficient or t-value means anything`,
      );
    }
  }

  const earlier = new Int32Array(m);
  const diagnostics: StepFit[] = [];
  let residuals: Float64Array | null = null;
  const wantResid = options.residuals ?? true;
  for (let i = 0; i < steps.length; i++) {
    const x = designMatrix(factorFrame, stepFactors[i], rowOf, scale);
    const last = i === steps.length - 1;
    const r = yield* runStep(steps[i], i + 1, stepFactors[i], x, n, panel.assets, input, earlier, options, !last || wantResid, reasons);
    diagnostics.push(r.fit);
    residuals = r.residuals;
    if (!last) input = { y: r.residuals!, stride: m, offset: 0, owned: true }; // the fit's own array (or the overwritten returns)
  }

  // exposures: summed over steps
  const factors: string[] = [];
  for (const f of stepFactors) for (const name of f) if (!factors.includes(name)) factors.push(name);
  const exposures: Record<string, Float64Array> = {};
  for (const name of factors) exposures[name] = new Float64Array(m);
  const alpha = new Float64Array(m);
  for (const d of diagnostics) {
    const p = d.coefficients.length;
    d.factors.forEach((name, f) => {
      const e = exposures[name],
        off = p - d.factors.length + f;
      for (let j = 0; j < m; j++) e[j] += d.coef[j * p + off];
    });
    if (d.includeConstant) for (let j = 0; j < m; j++) alpha[j] += d.coef[j * p];
  }
  const exposureNames = [...factors];
  for (const cs of crossScores) {
    if (exposures[cs.base] === undefined)
      throw new InputError(`cross score ${cs.name} ranks ${cs.base}, which is not a fitted factor`, {
        hint: `fitted factors are ${factors.join(', ')}`,
      });
    if (exposures[cs.name] !== undefined)
      throw new InputError(`cross score name ${cs.name} is already an exposure name`, { value: cs.name });
    exposures[cs.name] = crossScore(exposures[cs.base]);
    exposureNames.push(cs.name);
  }

  const resPanel = wantResid && residuals !== null ? new Panel(dates.slice(), panel.assets, residuals) : null;
  return {
    assets: [...panel.assets],
    dates: dates.slice(),
    factors,
    exposureNames,
    exposures,
    alpha,
    residuals: resPanel,
    diagnostics,
    skipped: diagnostics.flatMap((d) => d.skipped),
    issues: diagnostics.flatMap((d) => d.issues),
    riskFree: rf ?? null,
    factorScale: scale,
    neweyWest: options.neweyWest !== undefined && options.neweyWest !== false,
  };
}

/**
 * A factor risk model in factor form: the covariance of asset returns is
 *
 *   Σ = B·F·Bᵀ + D
 *
 * with B the n × k exposures (asset-major), F the k × k factor covariance (covariance.ts: sample,
 * EWMA or Ledoit–Wolf) and D = diag(σ²_i) the specific variances (the OLS residual variance
 * SSR / (n − p), as the variance decomposition uses). Per period, in the units of the returns;
 * annualised figures multiply variances by `periodsPerYear`. Σ is never formed: products go
 * through B, F and D (O(n·k)).
 */
import { detectFrequency, lowerBound } from '../core/calendar.js';
import { formatIsoDate } from '../core/dates.js';
import { checkOptionNames, checkPositive } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { ExposureFit } from '../exposures/fit.js';
import type { PreparedModel } from '../exposures/variance.js';
import type { CovarianceMethod, CovarianceOptions } from './covariance.js';
import { estimateCovariance, psdFactor } from './covariance.js';

export interface RiskModel {
  assets: readonly string[];
  factors: readonly string[];
  /** B, n × k asset-major: exposures[i·k + f]. */
  exposures: Float64Array;
  /** F, k × k row-major. */
  factorCovariance: Float64Array;
  /** D, per asset. */
  specificVariance: Float64Array;
  periodsPerYear: number;
  /** How F was estimated (absent for a model given whole). */
  estimate?: { method: CovarianceMethod; nobs: number; start: string; end: string; shrinkage?: number; halfLife?: number };
}

export interface RiskModelFromFitOptions {
  covariance?: CovarianceOptions;
  periodsPerYear?: number;
}

export interface RiskModelFromFit {
  model: RiskModel;
  /** Assets of the fit left out: no exposures or no specific variance. */
  dropped: { asset: string; reason: 'not-fitted' | 'no-specific-variance' }[];
}

/** The risk model of an exposure fit: B = the fitted exposures, D = last step's residual variance,
 * F estimated on the fit's dates where every factor is present. */
export function riskModelFromFit(fit: ExposureFit, factorFrame: Frame, options: RiskModelFromFitOptions = {}): RiskModelFromFit {
  checkOptionNames<RiskModelFromFitOptions>('riskModelFromFit options', options, { covariance: true, periodsPerYear: true });
  if (options.periodsPerYear !== undefined) checkPositive('periodsPerYear', options.periodsPerYear);
  const factors = fit.factors;
  const k = factors.length;
  if (k === 0) throw new InputError('the exposure fit has no factors, so there is no factor risk model');
  const cols = factors.map((f) => {
    const j = factorFrame.columnIndex(f);
    if (j < 0) throw new InputError(`factor ${JSON.stringify(f)} of the fit is not a column of the factor returns`, { column: f });
    return factorFrame.series[j];
  });
  const first = fit.dates[0],
    last = fit.dates[fit.dates.length - 1];
  const a = lowerBound(factorFrame.dates, first),
    b = lowerBound(factorFrame.dates, last + 1);
  const rows: number[] = [];
  for (let t = a; t < b; t++) if (cols.every((c) => Number.isFinite(c[t]))) rows.push(t);
  if (rows.length < k + 2)
    throw new InputError(
      `only ${rows.length} dates with every factor present in the fit window; the factor covariance needs at least ${k + 2}`,
      { hint: 'use a longer window or fewer factors' },
    );
  const x = new Float64Array(rows.length * k);
  rows.forEach((t, r) => {
    for (let f = 0; f < k; f++) x[r * k + f] = cols[f][t];
  });
  const est = estimateCovariance(x, rows.length, k, options.covariance);
  const lastStep = fit.diagnostics[fit.diagnostics.length - 1];
  const keep: number[] = [];
  const dropped: RiskModelFromFit['dropped'] = [];
  for (let i = 0; i < fit.assets.length; i++) {
    if (!factors.every((f) => Number.isFinite(fit.exposures[f][i]))) {
      dropped.push({ asset: fit.assets[i], reason: 'not-fitted' });
      continue;
    }
    const s = lastStep.residualVol[i];
    if (!(Number.isFinite(s) && s >= 0)) {
      dropped.push({ asset: fit.assets[i], reason: 'no-specific-variance' });
      continue;
    }
    keep.push(i);
  }
  // A factor no asset has an exposure to (the fit dropped it as a regressor everywhere: constant
  // over the window, as the daily risk-free rate is at 0 through 2015 when regressed on with
  // --rf-col none, or a combination of the others) leaves every asset out. Said by name: the
  // error was "no asset could be fitted (ARNC: 0 observations)", the first asset the fit skipped,
  // with a hint to check that the returns and factors overlap.
  if (keep.length === 0 && fit.assets.some((_, i) => factors.some((f) => Number.isFinite(fit.exposures[f][i])))) {
    const none = factors.filter((f) => fit.assets.every((_, i) => !Number.isFinite(fit.exposures[f][i])));
    if (none.length > 0) {
      const f = none[0];
      const c = cols[factors.indexOf(f)];
      let lo = Infinity,
        hi = -Infinity;
      for (const t of rows) {
        lo = Math.min(lo, c[t]);
        hi = Math.max(hi, c[t]);
      }
      const window = `${formatIsoDate(first)} .. ${formatIsoDate(last)}`;
      throw new InputError(
        `no asset has an exposure to ${none.length === 1 ? `factor ${f}` : `factors ${none.join(', ')}`}, so every asset is left out of the risk model: ${lo === hi ? `${f} is ${lo} on every date of the fit window ${window}, a constant the intercept already fits` : `${f} is a combination of the other factors and the intercept over the fit window ${window}`}`,
        {
          column: f,
          hint: `leave ${none.length === 1 ? 'it' : 'them'} out of the factors regressed on (the CLI's --factor-cols; a risk-free rate is better subtracted, --rf-col), or fit a window where ${none.length === 1 ? 'it varies' : 'they vary'}`,
        },
      );
    }
  }
  const n = keep.length;
  const exposures = new Float64Array(n * k);
  const specificVariance = new Float64Array(n);
  keep.forEach((i, r) => {
    for (let f = 0; f < k; f++) exposures[r * k + f] = fit.exposures[factors[f]][i];
    specificVariance[r] = lastStep.residualVol[i] ** 2;
  });
  const freq = detectFrequency(fit.dates);
  const periodsPerYear = options.periodsPerYear ?? (Number.isFinite(freq.periodsPerYear) ? freq.periodsPerYear : 252);
  return {
    model: {
      assets: keep.map((i) => fit.assets[i]),
      factors: [...factors],
      exposures,
      factorCovariance: est.matrix,
      specificVariance,
      periodsPerYear,
      estimate: {
        method: est.method,
        nobs: est.nobs,
        start: formatIsoDate(factorFrame.dates[rows[0]]),
        end: formatIsoDate(factorFrame.dates[rows[rows.length - 1]]),
        ...(est.shrinkage !== undefined ? { shrinkage: est.shrinkage } : {}),
        ...(est.halfLife !== undefined ? { halfLife: est.halfLife } : {}),
      },
    },
    dropped,
  };
}

/** Checks sizes and finiteness; bad values name the asset. */
export function validateRiskModel(m: RiskModel): void {
  const n = m.assets.length,
    k = m.factors.length;
  if (m.exposures.length !== n * k)
    throw new InputError(`risk model exposures have ${m.exposures.length} values, expected ${n} assets x ${k} factors`);
  if (m.factorCovariance.length !== k * k)
    throw new InputError(`risk model factor covariance has ${m.factorCovariance.length} values, expected ${k} x ${k}`);
  if (m.specificVariance.length !== n)
    throw new InputError(`risk model has ${m.specificVariance.length} specific variances for ${n} assets`);
  for (let i = 0; i < n; i++) {
    if (!(m.specificVariance[i] >= 0 && Number.isFinite(m.specificVariance[i])))
      throw new InputError(`specific variance ${m.specificVariance[i]} is not a finite non-negative number`, { asset: m.assets[i] });
    for (let f = 0; f < k; f++)
      if (!Number.isFinite(m.exposures[i * k + f]))
        throw new InputError(`exposure to ${m.factors[f]} is not finite`, { asset: m.assets[i] });
  }
}

/** L = B·G with G·Gᵀ = F, so that Σ = D + L·Lᵀ (n × r, r = rank F). */
export function riskLoadings(m: RiskModel): { loadings: Float64Array; rank: number } {
  const n = m.assets.length,
    k = m.factors.length;
  const { factor: g, rank: r } = psdFactor(m.factorCovariance, k);
  const l = new Float64Array(n * r);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < r; c++) {
      let s = 0;
      for (let f = 0; f < k; f++) s += m.exposures[i * k + f] * g[f * r + c];
      l[i * r + c] = s;
    }
  return { loadings: l, rank: r };
}

/** Bᵀw (portfolio exposures). */
export function exposuresOf(m: RiskModel, w: ArrayLike<number>): Float64Array {
  const k = m.factors.length;
  const out = new Float64Array(k);
  for (let i = 0; i < m.assets.length; i++) {
    const wi = w[i];
    if (wi !== 0) for (let f = 0; f < k; f++) out[f] += m.exposures[i * k + f] * wi;
  }
  return out;
}

/** Σ·w through the factor form. */
export function covarianceTimes(m: RiskModel, w: ArrayLike<number>): Float64Array {
  const k = m.factors.length,
    n = m.assets.length;
  const b = exposuresOf(m, w);
  const fb = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) fb[a] += m.factorCovariance[a * k + c] * b[c];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = m.specificVariance[i] * w[i];
    for (let f = 0; f < k; f++) s += m.exposures[i * k + f] * fb[f];
    out[i] = s;
  }
  return out;
}

/** wᵀΣw per period. */
export function varianceOf(m: RiskModel, w: ArrayLike<number>): number {
  const sw = covarianceTimes(m, w);
  let s = 0;
  for (let i = 0; i < sw.length; i++) s += w[i] * sw[i];
  return Math.max(0, s);
}

/** The variance decomposition's prepared model for this risk model (to reuse decomposeWeights). */
export function preparedModelOf(m: RiskModel): PreparedModel {
  const k = m.factors.length;
  const matrix = Array.from({ length: k }, (_, a) => Array.from(m.factorCovariance.subarray(a * k, (a + 1) * k)));
  return {
    factors: [...m.factors],
    assets: m.assets,
    betas: m.exposures,
    specificVariance: m.specificVariance,
    covariance: {
      factors: [...m.factors],
      matrix,
      means: new Array<number>(k).fill(NaN),
      nobs: m.estimate?.nobs ?? 0,
      start: m.estimate?.start ?? '',
      end: m.estimate?.end ?? '',
      ddof: m.estimate?.method === 'sample' ? 1 : 0,
    },
    sigma: m.factorCovariance,
    frequency: m.periodsPerYear === 252 ? 'daily' : m.periodsPerYear === 12 ? 'monthly' : m.periodsPerYear === 52 ? 'weekly' : 'custom',
    periodsPerYear: m.periodsPerYear,
  };
}

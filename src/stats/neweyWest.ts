/**
 * Newey-West (HAC, Bartlett kernel) covariance for OLS coefficients, and the Newey-West standard
 * error of a mean.
 *
 * With the sample rows in order t = 1..n (rows outside the sample are skipped and the remaining
 * rows treated as consecutive, as statsmodels does on NaN-dropped data), design rows z_t
 * ([1, x_t] with an intercept), residuals u_t and g_t = z_t·u_t:
 *   S     = Σ_t g_t g_tᵀ + Σ_{l=1}^{L} w_l Σ_{t=l+1}^{n} (g_t g_{t−l}ᵀ + g_{t−l} g_tᵀ),  w_l = 1 − l/(L + 1)
 *   V_NW  = (ZᵀZ)⁻¹ · S · (ZᵀZ)⁻¹                       (× n/(n − p) only with `useCorrection`)
 *   se = sqrt(diag V_NW), t = coef/se, p-value from Student t with the fit's n − p df (DESIGN.md).
 * Default L = floor(4·(n/100)^(2/9)) (`defaultNeweyWestLags`).
 *
 * Equals statsmodels (checked against 0.13.5):
 *   OLS(y, add_constant(X)).fit(cov_type='HAC', cov_kwds={'maxlags': L, 'use_correction': False}, use_t=True)
 * `maxlags` has no default there (it is required); `use_correction` defaults to False in
 * `fit(cov_type='HAC')` (but to True in the standalone `sandwich_covariance.cov_hac`), and `use_t`
 * defaults to False for robust covariances, i.e. statsmodels' own default p-values are normal;
 * pass `use_t=True` to get our Student-t p-values (`pValueNormal` is also returned).
 *
 * The mean of a series x (NaN skipped): u_t = x_t − x̄,
 *   S = Σ u_t² + 2·Σ_{l=1}^{L} w_l Σ_t u_t u_{t−l},  se(x̄) = sqrt(S) / n,  t = x̄/se,  df = n − 1,
 * which is `OLS(x, ones).fit(cov_type='HAC', cov_kwds={'maxlags': L}, use_t=True)`. For means of
 * h-period overlapping statistics (IC, factor returns at horizon h) the caller passes L = h.
 * A series without spread (constant, or constant but for rounding: `nanNoSpread` in
 * descriptive.ts) has t and p NaN: the statistic is undefined (statsmodels gives inf or a t of
 * 1e15 from the rounding of the mean, scipy's ttest_1samp inf with a warning).
 *
 * Definitions (all of them, in one place): docs/definitions.md#newey-west.
 */
import { checkBoolean, checkInteger, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { nanNoSpread } from './descriptive.js';
import { tTwoSidedPValue, normalTwoSidedPValue } from './distributions.js';
import { inverseDesignGram } from './ols.js';
import type { OlsResult } from './ols.js';

/** floor(4·(n/100)^(2/9)): the Newey-West (1994) rule statsmodels uses when nlags is None. */
export function defaultNeweyWestLags(n: number): number {
  checkInteger('n', n, 0, Infinity, 'a whole number of observations >= 0');
  return n > 0 ? Math.floor(4 * Math.pow(n / 100, 2 / 9)) : 0;
}

export interface NeweyWestOptions {
  /** Maximum lag L (default floor(4·(n/100)^(2/9))). */
  lags?: number;
  /** Multiply by n/(n − p) (statsmodels `use_correction=True`). Default false. */
  useCorrection?: boolean;
}

const NEWEY_WEST_OPTION_NAMES: Readonly<Record<keyof NeweyWestOptions, true>> = { lags: true, useCorrection: true };

/**
 * The lags L to use for n observations: the given lags (a whole number >= 0: a negative one was
 * read as 0, NaN or 1.5 as weights of no kernel) or the default, at most n − 1 (the result states
 * the L used).
 */
function resolveLags(what: string, options: NeweyWestOptions, n: number): number {
  // `{ lag: 5 }` or `{ maxlags: 5 }` (statsmodels' name) ran the default lags without a word
  checkOptionNames<NeweyWestOptions>(`${what} options`, options, NEWEY_WEST_OPTION_NAMES);
  if (options.useCorrection !== undefined) checkBoolean('useCorrection', options.useCorrection);
  const lags =
    options.lags === undefined ? defaultNeweyWestLags(n) : checkInteger('lags', options.lags, 0, Infinity, 'a whole number of lags >= 0');
  return Math.max(0, Math.min(lags, n - 1));
}

export interface NeweyWestOlsResult {
  lags: number;
  /** p×p covariance in coefficient order; NaN rows/columns for dropped regressors. */
  cov: Float64Array;
  se: Float64Array;
  t: Float64Array;
  /** Student t with the fit's residual df. */
  pValue: Float64Array;
  /** Normal two-sided p-values (statsmodels' default use_t=False). */
  pValueNormal: Float64Array;
}

/**
 * Newey-West covariance of the coefficients of `fit`, an {@link ols} result of y on the row-major
 * n×k `x`. The sample is the rows where the fit has a residual.
 */
export function neweyWestOls(fit: OlsResult, x: ArrayLike<number>, k: number, options: NeweyWestOptions = {}): NeweyWestOlsResult {
  const p = fit.p;
  const res = fit.residuals;
  const n = res.length;
  // x must be the fit's design: another k or length reads past it (NaN covariances for some coefficients)
  if (k !== fit.k)
    throw new InputError(`k is ${k} but the fit has ${fit.k} regressors: pass the x and k the fit was made with`, { options: ['k'] });
  if (x.length !== n * k)
    throw new InputError(`x has length ${x.length}, expected ${n} rows x ${k} regressors (the fit's design)`, {
      hint: 'pass the x the fit was made with',
    });
  const rows: number[] = [];
  for (let t = 0; t < n; t++) if (res[t] === res[t]) rows.push(t);
  const nobs = rows.length;
  const lags = resolveLags('neweyWestOls', options, nobs);
  const off = fit.intercept ? 1 : 0;
  // g_t over kept coefficients (dropped ones contribute 0 and end up NaN through H)
  const g = new Float64Array(nobs * p);
  rows.forEach((t, i) => {
    const u = res[t];
    if (fit.intercept) g[i * p] = u;
    for (let f = 0; f < k; f++) g[i * p + off + f] = Number.isNaN(fit.coef[off + f]) ? 0 : x[t * k + f] * u;
  });
  const s = new Float64Array(p * p);
  for (let i = 0; i < nobs; i++) {
    for (let a = 0; a < p; a++) {
      const ga = g[i * p + a];
      for (let b = 0; b < p; b++) s[a * p + b] += ga * g[i * p + b];
    }
  }
  for (let l = 1; l <= lags; l++) {
    const w = 1 - l / (lags + 1);
    for (let i = l; i < nobs; i++) {
      for (let a = 0; a < p; a++) {
        const ga = g[i * p + a],
          gla = g[(i - l) * p + a];
        for (let b = 0; b < p; b++) s[a * p + b] += w * (ga * g[(i - l) * p + b] + gla * g[i * p + b]);
      }
    }
  }
  const inSample = new Uint8Array(n);
  for (const t of rows) inSample[t] = 1;
  const h = inverseDesignGram(x, k, fit.intercept, (t) => inSample[t] === 1, n, fit.coef);
  const hs = new Float64Array(p * p);
  const cov = new Float64Array(p * p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      let v = 0;
      for (let c = 0; c < p; c++) {
        const hv = h[a * p + c];
        if (hv === hv) v += hv * s[c * p + b];
      }
      hs[a * p + b] = Number.isNaN(h[a * p + a]) ? NaN : v;
    }
  const corr = options.useCorrection ? nobs / (nobs - fit.rank) : 1;
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      let v = 0;
      for (let c = 0; c < p; c++) {
        const hv = h[c * p + b];
        if (hv === hv) v += hs[a * p + c] * hv;
      }
      cov[a * p + b] = Number.isNaN(h[b * p + b]) || Number.isNaN(hs[a * p + a]) ? NaN : v * corr;
    }
  const se = new Float64Array(p),
    tt = new Float64Array(p),
    pv = new Float64Array(p),
    pn = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    se[a] = Math.sqrt(cov[a * p + a]);
    tt[a] = fit.coef[a] / se[a];
    pv[a] = tTwoSidedPValue(tt[a], fit.dfResid);
    pn[a] = normalTwoSidedPValue(tt[a]);
  }
  return { lags, cov, se, t: tt, pValue: pv, pValueNormal: pn };
}

export interface NeweyWestMeanResult {
  n: number;
  lags: number;
  mean: number;
  se: number;
  t: number;
  /** Student t, n − 1 df. */
  pValue: number;
}

/** Newey-West standard error, t and p of the mean of `x` (NaN skipped); `lags` default as above. */
export function neweyWestMean(x: ArrayLike<number>, options: NeweyWestOptions = {}): NeweyWestMeanResult {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    if (a !== a) continue;
    // NaN is missing; ±Infinity is not (the mean would be ±Infinity beside a NaN standard error)
    if (a === Infinity || a === -Infinity)
      throw new InputError(`x[${i}] is ${a}: a missing value is NaN, and an infinite one is an error in the data`);
    v.push(a);
  }
  const n = v.length;
  const lags = resolveLags('neweyWestMean', options, n);
  if (n < 2) return { n, lags, mean: n === 1 ? v[0] : NaN, se: NaN, t: NaN, pValue: NaN };
  let mean = 0;
  for (const a of v) mean += a;
  mean /= n;
  const u = v.map((a) => a - mean);
  let s = 0;
  for (let i = 0; i < n; i++) s += u[i] * u[i];
  for (let l = 1; l <= lags; l++) {
    let c = 0;
    for (let i = l; i < n; i++) c += u[i] * u[i - l];
    s += 2 * (1 - l / (lags + 1)) * c;
  }
  if (options.useCorrection) s *= n / (n - 1);
  const se = Math.sqrt(s) / n;
  // without spread (a constant series) se is 0 or the rounding of the mean: t is undefined, not ±Infinity or 3e15
  if (nanNoSpread(v, mean)) return { n, lags, mean, se, t: NaN, pValue: NaN };
  const t = mean / se;
  return { n, lags, mean, se, t, pValue: tTwoSidedPValue(t, n - 1) };
}

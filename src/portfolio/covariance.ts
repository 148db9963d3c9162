/**
 * Factor covariance estimators for the risk model. Input: T × k factor returns, date-major
 * (`x[t·k + f]`), complete rows only (the caller drops dates with a missing factor).
 *
 * - sample:  S = Σ_t (x_t − x̄)(x_t − x̄)ᵀ / (T − ddof), ddof = 1 by default (numpy.cov).
 * - EWMA:    weights w_t ∝ λ^(T−1−t) with λ = 2^(−1/halfLife) (the newest date weighs 1), mean and
 *            covariance weighted: Σ_t w_t (x_t − x̄_w)(x_t − x̄_w)ᵀ / Σ_t w_t (no bias correction;
 *            pandas `ewm(halflife=h, adjust=True).cov(bias=True)` on the last date).
 * - Ledoit–Wolf (the default): O. Ledoit and M. Wolf, "A well-conditioned estimator for
 *   large-dimensional covariance matrices", J. Multivariate Analysis 88 (2004): shrink the
 *   maximum-likelihood covariance S = XcᵀXc / T (Xc centred) towards μI, μ = tr(S)/k:
 *     Σ̂ = (1 − δ)·S + δ·μ·I,   δ = min(β̄, d²) / d²,
 *     d² = ‖S − μI‖²_F / k,   β̄ = (1 / (k·T²))·Σ_t ‖x_t x_tᵀ − S‖²_F
 *   computed as sklearn.covariance.ledoit_wolf_shrinkage does:
 *     β̄ = (Σ_ij (X²ᵀX²)_ij / T − ‖XᵀX‖²_F / T²) / (k·T),  d² = (‖XᵀX‖²_F/T² − 2μ·tr(S) + kμ²) / k.
 *   Equal to sklearn.covariance.LedoitWolf().fit(X).covariance_ (tested through /usr/bin/python3).
 *
 * Arguments (each public function checks them and throws an InputError naming the argument): x an
 * array of t·k finite numbers (NaN is not "missing" here: one NaN made every entry NaN), t a whole
 * number of observations >= 2 (one date has no covariance; the sample estimate needs t > ddof), k
 * a whole number of factors >= 1, ddof a whole number >= 0, the half-life a finite number > 0.
 * The Ledoit–Wolf target (μI) and intensity (δ, in [0, 1]) are computed, not arguments.
 */
import { checkInteger, checkOneOf, checkOptionNames, checkPositive, describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';

/** Factor covariance estimators for the risk model. 'ledoit-wolf' is the default (see the module comment). */
export type CovarianceMethod = 'sample' | 'ewma' | 'ledoit-wolf';

export interface CovarianceEstimate {
  method: CovarianceMethod;
  /** k × k row-major. */
  matrix: Float64Array;
  means: Float64Array;
  nobs: number;
  /** Ledoit–Wolf only: the shrinkage intensity δ in [0, 1]. */
  shrinkage?: number;
  /** EWMA only. */
  halfLife?: number;
}

const DROP_HINT = 'give complete rows of finite factor returns: drop the dates with a missing factor first';

/**
 * x holds t rows of k finite numbers, t >= 2 (more than `ddof` for the sample estimate), k >= 1.
 * One pass over x (cheaper than the estimate, O(t·k²)).
 */
function checkObservations(what: string, x: unknown, t: unknown, k: unknown): void {
  checkInteger('k', k, 1, Infinity, 'a whole number of factors >= 1');
  checkInteger('t', t, 2, Infinity, `a whole number of observations >= 2 (${what} of one date is undefined)`);
  const n = t as number,
    m = k as number;
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number')
    throw new InputError(`x must be an array of ${n} rows x ${m} factors (date-major), got ${describeValue(x)}`, { options: ['x'] });
  const v = x as ArrayLike<number>;
  if (v.length !== n * m)
    throw new InputError(`x has ${v.length} values, expected t·k = ${n} rows x ${m} factors = ${n * m} (date-major: x[t·k + f])`, {
      hint: 'pass the t and k of the rows in x',
      options: ['x'],
    });
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    if (!(typeof a === 'number' && a - a === 0))
      throw new InputError(
        `x[${i}] (row ${Math.floor(i / m)}, factor ${i % m}) is ${describeValue(a)}, expected a finite number: ${what} of a series with a missing value is NaN throughout`,
        { hint: DROP_HINT, options: ['x'] },
      );
  }
}

function means(x: ArrayLike<number>, t: number, k: number, w?: Float64Array): Float64Array {
  const mu = new Float64Array(k);
  let sw = 0;
  for (let i = 0; i < t; i++) {
    const wi = w ? w[i] : 1;
    sw += wi;
    for (let f = 0; f < k; f++) mu[f] += wi * x[i * k + f];
  }
  for (let f = 0; f < k; f++) mu[f] /= sw;
  return mu;
}

export function sampleCovariance(x: ArrayLike<number>, t: number, k: number, ddof = 1): CovarianceEstimate {
  checkObservations('the sample covariance', x, t, k);
  checkInteger('ddof', ddof, 0, Infinity, 'a whole number >= 0 (1: numpy.cov, 0: the maximum-likelihood estimate)');
  if (t - ddof <= 0)
    throw new InputError(`the sample covariance with ddof = ${ddof} needs more than ${ddof} observations, got t = ${t}`, {
      options: ['t', 'ddof'],
    });
  const mu = means(x, t, k);
  const s = new Float64Array(k * k);
  for (let i = 0; i < t; i++) {
    for (let a = 0; a < k; a++) {
      const da = x[i * k + a] - mu[a];
      for (let b = 0; b <= a; b++) s[a * k + b] += da * (x[i * k + b] - mu[b]);
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      s[a * k + b] /= t - ddof;
      s[b * k + a] = s[a * k + b];
    }
  return { method: 'sample', matrix: s, means: mu, nobs: t };
}

/**
 * The sample covariance of columns with missing values (NaN), pairwise as pandas `DataFrame.cov()`:
 * each entry (a, b) over the rows where both are present, each with its own means,
 * Σ (x_a − x̄_a)(x_b − x̄_b) / (n_ab − ddof); NaN where n_ab ≤ ddof. Not necessarily positive
 * semidefinite when the rows differ between pairs. x is t × k, date-major; `counts` gives n_ab.
 */
export function pairwiseCovariance(x: ArrayLike<number>, t: number, k: number, ddof = 1): { matrix: Float64Array; counts: Int32Array } {
  checkInteger('k', k, 1, Infinity, 'a whole number of columns >= 1');
  checkInteger('t', t, 1, Infinity, 'a whole number of rows >= 1');
  checkInteger('ddof', ddof, 0, Infinity, 'a whole number >= 0 (1: pandas DataFrame.cov)');
  if (x.length !== t * k) throw new InputError(`x has ${x.length} values, expected t·k = ${t} x ${k} = ${t * k}`, { options: ['x'] });
  const m = new Float64Array(k * k),
    counts = new Int32Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      let n = 0,
        sa = 0,
        sb = 0;
      for (let i = 0; i < t; i++) {
        const u = x[i * k + a],
          v = x[i * k + b];
        if (u === u && v === v) {
          n++;
          sa += u;
          sb += v;
        }
      }
      let c = NaN;
      if (n > ddof) {
        const ma = sa / n,
          mb = sb / n;
        let s = 0;
        for (let i = 0; i < t; i++) {
          const u = x[i * k + a],
            v = x[i * k + b];
          if (u === u && v === v) s += (u - ma) * (v - mb);
        }
        c = s / (n - ddof);
      }
      m[a * k + b] = c;
      m[b * k + a] = c;
      counts[a * k + b] = n;
      counts[b * k + a] = n;
    }
  return { matrix: m, counts };
}

export function ewmaCovariance(x: ArrayLike<number>, t: number, k: number, halfLife: number): CovarianceEstimate {
  checkObservations('the EWMA covariance', x, t, k);
  checkPositive('halfLife', halfLife);
  const lambda = Math.pow(2, -1 / halfLife);
  const w = new Float64Array(t);
  let sw = 0;
  for (let i = 0; i < t; i++) {
    w[i] = Math.pow(lambda, t - 1 - i);
    sw += w[i];
  }
  const mu = means(x, t, k, w);
  const s = new Float64Array(k * k);
  for (let i = 0; i < t; i++) {
    for (let a = 0; a < k; a++) {
      const da = w[i] * (x[i * k + a] - mu[a]);
      for (let b = 0; b <= a; b++) s[a * k + b] += da * (x[i * k + b] - mu[b]);
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      s[a * k + b] /= sw;
      s[b * k + a] = s[a * k + b];
    }
  return { method: 'ewma', matrix: s, means: mu, nobs: t, halfLife };
}

export function ledoitWolfCovariance(x: ArrayLike<number>, t: number, k: number): CovarianceEstimate {
  checkObservations('the Ledoit-Wolf covariance', x, t, k);
  const mu = means(x, t, k);
  const xc = new Float64Array(t * k);
  for (let i = 0; i < t; i++) for (let f = 0; f < k; f++) xc[i * k + f] = x[i * k + f] - mu[f];
  const xtx = new Float64Array(k * k);
  const x2tx2 = new Float64Array(k * k);
  for (let i = 0; i < t; i++) {
    for (let a = 0; a < k; a++) {
      const va = xc[i * k + a];
      for (let b = 0; b < k; b++) {
        const vb = xc[i * k + b];
        xtx[a * k + b] += va * vb;
        x2tx2[a * k + b] += va * va * vb * vb;
      }
    }
  }
  let trace = 0;
  for (let a = 0; a < k; a++) trace += xtx[a * k + a] / t;
  const m = trace / k;
  let beta_ = 0,
    delta_ = 0;
  for (let p = 0; p < k * k; p++) {
    beta_ += x2tx2[p];
    delta_ += xtx[p] * xtx[p];
  }
  delta_ /= t * t;
  let beta = (beta_ / t - delta_) / (k * t);
  const delta = (delta_ - 2 * m * trace + k * m * m) / k;
  beta = Math.min(beta, delta);
  const shrinkage = beta === 0 ? 0 : beta / delta;
  const s = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = 0; b < k; b++) s[a * k + b] = (1 - shrinkage) * (xtx[a * k + b] / t) + (a === b ? shrinkage * m : 0);
  return { method: 'ledoit-wolf', matrix: s, means: mu, nobs: t, shrinkage };
}

export interface CovarianceOptions {
  method?: CovarianceMethod;
  /** EWMA half-life in periods (default 63). */
  halfLife?: number;
  /** Sample covariance ddof (default 1). */
  ddof?: number;
}

const COVARIANCE_OPTION_NAMES: Readonly<Record<keyof CovarianceOptions, true>> = { method: true, halfLife: true, ddof: true };
const METHODS: readonly CovarianceMethod[] = ['sample', 'ewma', 'ledoit-wolf'];

export function estimateCovariance(x: ArrayLike<number>, t: number, k: number, options: CovarianceOptions = {}): CovarianceEstimate {
  // a misspelt option (half_life, halflife) ran the default without a word; an unknown method ran Ledoit-Wolf
  checkOptionNames<CovarianceOptions>('estimateCovariance options', options, COVARIANCE_OPTION_NAMES);
  const method = checkOneOf('method', options.method ?? 'ledoit-wolf', METHODS);
  if (method === 'sample') return sampleCovariance(x, t, k, options.ddof ?? 1);
  if (method === 'ewma') return ewmaCovariance(x, t, k, options.halfLife ?? 63);
  return ledoitWolfCovariance(x, t, k);
}

/**
 * Symmetric square root factor G with G·Gᵀ = S (k × r, r = number of eigenvalues above
 * 1e-14·λ_max), by cyclic Jacobi rotations: G = V·diag(√λ). Works for PSD, singular S.
 */
export function psdFactor(s: ArrayLike<number>, k: number): { factor: Float64Array; rank: number } {
  const a = Float64Array.from(s);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q] ** 2;
    if (off < 1e-30 * Math.max(1e-300, diagNorm(a, k))) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (apq === 0) continue;
        const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
        const tt = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(tt * tt + 1),
          sn = tt * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p],
            arq = a[r * k + q];
          a[r * k + p] = c * arp - sn * arq;
          a[r * k + q] = sn * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r],
            aqr = a[q * k + r];
          a[p * k + r] = c * apr - sn * aqr;
          a[q * k + r] = sn * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p],
            vrq = v[r * k + q];
          v[r * k + p] = c * vrp - sn * vrq;
          v[r * k + q] = sn * vrp + c * vrq;
        }
      }
    }
  }
  let lmax = 0;
  for (let i = 0; i < k; i++) lmax = Math.max(lmax, a[i * k + i]);
  const keep: number[] = [];
  for (let i = 0; i < k; i++) if (a[i * k + i] > 1e-14 * lmax) keep.push(i);
  const r = keep.length;
  const g = new Float64Array(k * r);
  for (let c = 0; c < r; c++) {
    const sq = Math.sqrt(a[keep[c] * k + keep[c]]);
    for (let i = 0; i < k; i++) g[i * r + c] = v[i * k + keep[c]] * sq;
  }
  return { factor: g, rank: r };
}

function diagNorm(a: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[i * k + i] ** 2;
  return s;
}

/**
 * The synthetic factor model: annualised volatilities, premia and correlations of the
 * Fama-French five factors plus momentum, in the range of their US history (1963-2023).
 *
 * Daily factor excess returns are multivariate normal, `f_t ~ N(mu, Sigma)` with
 * `mu_k = premium_k / 252`, `Sigma = D C D`, `D = diag(vol_k / sqrt(252))` and `C` the
 * correlation matrix below. A draw is `f_t = mu + D L xi_t` where `C = L L'` (Cholesky) and
 * `xi_t` is a vector of independent standard normals.
 *
 * Only the six known factor names are accepted (an unknown one is an InputError: it got a made-up
 * 10% volatility and zero premium silently).
 */
import { describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { cholesky } from '../stats/linalg.js';

/** Trading days per year used to turn annual figures into daily ones. */
export const PERIODS_PER_YEAR = 252;

export interface FactorSpec {
  /** Annualised volatility (decimal), daily sd = vol / sqrt(252). */
  vol: number;
  /** Annualised premium (decimal, arithmetic), daily mean = premium / 252. */
  premium: number;
}

/** The six default factors, in the default order. */
export const DEFAULT_FACTORS: readonly string[] = ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom'];

/** Volatility and premium of each known factor. */
export const FACTOR_SPECS: Readonly<Record<string, FactorSpec>> = {
  mkt_rf: { vol: 0.16, premium: 0.07 },
  smb: { vol: 0.1, premium: 0.02 },
  hml: { vol: 0.1, premium: 0.03 },
  rmw: { vol: 0.07, premium: 0.03 },
  cma: { vol: 0.06, premium: 0.03 },
  mom: { vol: 0.14, premium: 0.06 },
};

/** Pairwise correlations of the known factors (symmetric; unlisted pairs are 0). */
const PAIR_CORRELATIONS: readonly [string, string, number][] = [
  ['mkt_rf', 'smb', 0.2],
  ['mkt_rf', 'hml', -0.1],
  ['mkt_rf', 'rmw', -0.3],
  ['mkt_rf', 'cma', -0.35],
  ['mkt_rf', 'mom', -0.1],
  ['smb', 'hml', 0.05],
  ['smb', 'rmw', -0.3],
  ['smb', 'mom', 0.0],
  ['hml', 'rmw', 0.1],
  ['hml', 'cma', 0.6],
  ['hml', 'mom', -0.3],
  ['rmw', 'cma', 0.1],
  ['rmw', 'mom', 0.1],
  ['cma', 'mom', 0.05],
];

/** Correlation of two factors by name (1 on the diagonal, 0 for unknown pairs). */
export function factorPairCorrelation(a: string, b: string): number {
  if (a === b) return 1;
  for (const [x, y, r] of PAIR_CORRELATIONS) if ((x === a && y === b) || (x === b && y === a)) return r;
  return 0;
}

/** The target model for a list of factor names. */
export interface FactorModel {
  names: string[];
  /** Annualised volatilities. */
  annualVol: Float64Array;
  /** Annualised premia (arithmetic). */
  annualPremium: Float64Array;
  /** Correlation matrix, row-major `K x K`. */
  correlation: Float64Array;
  /** Daily means `premium / 252`. */
  dailyMean: Float64Array;
  /** Daily sds `vol / sqrt(252)`. */
  dailySd: Float64Array;
  /** Lower Cholesky factor of the correlation matrix, row-major `K x K`. */
  cholesky: Float64Array;
}

/**
 * Builds the model for the given factor names (each a key of {@link FACTOR_SPECS}); throws an
 * InputError on an unknown or a duplicate name.
 */
export function factorModel(names: readonly string[]): FactorModel {
  if (!Array.isArray(names)) throw new InputError(`factors must be an array of factor names, got ${describeValue(names)}`);
  const K = names.length;
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || !Object.prototype.hasOwnProperty.call(FACTOR_SPECS, n))
      throw new InputError(
        `factor ${typeof n === 'string' ? JSON.stringify(n) : describeValue(n)} is not a factor the synthetic market knows`,
        {
          hint: `the factors are ${Object.keys(FACTOR_SPECS).join(', ')}`,
        },
      );
    if (seen.has(n)) throw new InputError(`factor ${JSON.stringify(n)} is listed twice`, { hint: 'give each factor once' });
    seen.add(n);
  }
  const annualVol = new Float64Array(K),
    annualPremium = new Float64Array(K);
  const correlation = new Float64Array(K * K);
  names.forEach((n, k) => {
    const spec = FACTOR_SPECS[n];
    annualVol[k] = spec.vol;
    annualPremium[k] = spec.premium;
    for (let l = 0; l < K; l++) correlation[k * K + l] = factorPairCorrelation(n, names[l]);
  });
  const dailySd = annualVol.map((v) => v / Math.sqrt(PERIODS_PER_YEAR));
  const dailyMean = annualPremium.map((p) => p / PERIODS_PER_YEAR);
  return { names: names.slice(), annualVol, annualPremium, correlation, dailyMean, dailySd, cholesky: correlationCholesky(correlation, K) };
}

/**
 * Lower Cholesky factor `L` (row-major) of a positive definite correlation matrix, `A = L L'`,
 * from the stats layer's kernel (only +, -, *, / and sqrt: bit-identical on every engine).
 * Throws a RangeError if the matrix is not positive definite.
 */
function correlationCholesky(a: Float64Array, k: number): Float64Array {
  const f = cholesky(a, k, { tol: 0 });
  if (f.rank < k)
    throw new RangeError(`factor correlation matrix is not positive definite (columns ${[...f.zero, ...f.collinear].join(', ')})`);
  return f.l;
}

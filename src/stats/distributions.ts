/**
 * Distribution functions used for inference: thin wrappers over @stdlib (ports of Boost / Cephes).
 *
 * - `tCdf(x, df)`            = P(T <= x), T ~ Student t with `df` degrees of freedom.
 * - `tTwoSidedPValue(t, df)` = P(|T| >= |t|) = 2·tCdf(−|t|, df)  (scipy: `2 * stats.t.sf(abs(t), df)`).
 *   Computed from the lower tail so tiny p-values keep full relative precision.
 * - `tQuantile(p, df)`       = inverse of tCdf (scipy: `stats.t.ppf(p, df)`).
 * - `normalCdf(x)`           = Φ(x) for the standard normal (scipy: `stats.norm.cdf(x)`).
 * - `normalTwoSidedPValue(z)`= 2·Φ(−|z|).
 *
 * NaN in, NaN out; `df <= 0` gives NaN; `df = Infinity` is accepted (the normal limit).
 */
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/** P(T <= x) for Student t with `df` degrees of freedom. */
export function tCdf(x: number, df: number): number {
  if (!(df > 0)) return NaN;
  if (df === Infinity) return normalCdfImpl(x, 0, 1);
  return tCdfImpl(x, df);
}

/** Two-sided p-value 2·P(T >= |t|) for Student t with `df` degrees of freedom. */
export function tTwoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Quantile (inverse cdf) of Student t: the x with P(T <= x) = p. */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (df === Infinity) return normalQuantileViaT(p);
  return tQuantileImpl(p, df);
}

/** Standard normal cdf Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** Two-sided normal p-value 2·Φ(−|z|). */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalCdfImpl(-Math.abs(z), 0, 1));
}

/** Normal quantile via a t with huge df (max error far below 1e-9 at df = 1e12). */
function normalQuantileViaT(p: number): number {
  return tQuantileImpl(p, 1e12);
}

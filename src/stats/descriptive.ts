import { checkInteger, checkShare } from '../core/checks.js';
/**
 * Descriptive statistics on Float64Array (or any numeric array-like).
 *
 * With x_1..x_n and x̄ = (1/n)·Σ x_i, central moments m_r = (1/n)·Σ (x_i − x̄)^r:
 * - `mean`            x̄ (two-pass corrected: x̄ + (1/n)·Σ (x_i − x̄), which removes most rounding error)
 * - `variance(x, d)`  Σ (x_i − x̄)² / (n − d), ddof `d` default 1 (DESIGN.md); NaN when n − d <= 0
 * - `std(x, d)`       sqrt(variance(x, d))
 * - `skewness`        g1 = m_3 / m_2^{3/2}: scipy.stats.skew defaults (bias=True, no correction)
 * - `kurtosis`        g2 = m_4 / m_2² − 3: scipy.stats.kurtosis defaults (fisher=True → excess, bias=True)
 *   Both are NaN for n = 0 and when the data are constant (m_2 = 0), as scipy 1.10 returns.
 * - `quantile(x, q)`  numpy's default ('linear', Hyndman–Fan type 7): with sorted s_0..s_{n−1},
 *   h = (n − 1)·q, g = h − ⌊h⌋, a = s_⌊h⌋, b = s_⌊h⌋+1: a + g·(b − a), computed as numpy does
 *   (`b − (b − a)·(1 − g)` when g >= 0.5), so the same bits ({@link quantileOfSorted}).
 *
 * - `medianInPlace(a, n)` numpy's median of a[0..n) (the middle value, or the mean of the two middle
 *   values (a + b)/2 when n is even), found by selection ({@link selectKth}, expected O(n)) rather
 *   than a sort.
 *
 * Plain versions propagate NaN (like numpy); the `nan*` versions skip NaN (like numpy's nanmean,
 * nanvar, nanstd, nanquantile and scipy's nan_policy='omit').
 *
 * Definitions (all of them, in one place): docs/definitions.md#descriptive-statistics.
 */

export type NumericArray = ArrayLike<number>;

interface Moments {
  n: number;
  mean: number;
  m2: number;
  m3: number;
  m4: number;
}

/** Count, mean and sums of centred powers (Σd², Σd³, Σd⁴), skipping NaN if `skipNaN`. */
function moments(x: NumericArray, skipNaN: boolean, order: 2 | 4): Moments {
  let n = 0;
  let s = 0;
  const len = x.length;
  for (let i = 0; i < len; i++) {
    const v = x[i];
    if (v !== v) {
      if (skipNaN) continue;
      return { n: len, mean: NaN, m2: NaN, m3: NaN, m4: NaN };
    }
    s += v;
    n++;
  }
  if (n === 0) return { n: 0, mean: NaN, m2: NaN, m3: NaN, m4: NaN };
  let mean = s / n;
  let c = 0;
  for (let i = 0; i < len; i++) {
    const v = x[i];
    if (v === v) c += v - mean;
  }
  mean += c / n;
  let m2 = 0,
    m3 = 0,
    m4 = 0;
  if (order === 2) {
    for (let i = 0; i < len; i++) {
      const v = x[i];
      if (v === v) {
        const d = v - mean;
        m2 += d * d;
      }
    }
  } else {
    for (let i = 0; i < len; i++) {
      const v = x[i];
      if (v === v) {
        const d = v - mean;
        const d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
      }
    }
  }
  return { n, mean, m2, m3, m4 };
}

function meanImpl(x: NumericArray, skipNaN: boolean): number {
  return moments(x, skipNaN, 2).mean;
}
function varianceImpl(x: NumericArray, ddof: number, skipNaN: boolean): number {
  checkInteger('ddof', ddof, 0); // a negative or fractional ddof divided by n + 1 or n − 0.5
  const m = moments(x, skipNaN, 2);
  return m.n - ddof > 0 ? m.m2 / (m.n - ddof) : NaN;
}
/** True when the central second moment is zero up to rounding (scipy's "nearly identical" test). */
function isDegenerate(m: Moments): boolean {
  const scale = Math.abs(m.mean) * 1e-15; // float64 resolution 1e-15, as scipy uses
  return !(m.m2 / m.n > scale * scale);
}
function skewnessImpl(x: NumericArray, skipNaN: boolean): number {
  const m = moments(x, skipNaN, 4);
  if (m.n === 0 || Number.isNaN(m.mean) || isDegenerate(m)) return NaN;
  const m2 = m.m2 / m.n;
  return m.m3 / m.n / (m2 * Math.sqrt(m2));
}
function kurtosisImpl(x: NumericArray, skipNaN: boolean): number {
  const m = moments(x, skipNaN, 4);
  if (m.n === 0 || Number.isNaN(m.mean) || isDegenerate(m)) return NaN;
  const m2 = m.m2 / m.n;
  return m.m4 / m.n / (m2 * m2) - 3;
}

/** Arithmetic mean; NaN if any value is NaN or x is empty. */
export function mean(x: NumericArray): number {
  return meanImpl(x, false);
}
/** Variance with `ddof` (default 1): Σ(x − x̄)²/(n − ddof). */
export function variance(x: NumericArray, ddof = 1): number {
  return varianceImpl(x, ddof, false);
}
/** Standard deviation with `ddof` (default 1). */
export function std(x: NumericArray, ddof = 1): number {
  return Math.sqrt(varianceImpl(x, ddof, false));
}
/** Skewness m3/m2^1.5 (scipy.stats.skew, bias=True). */
export function skewness(x: NumericArray): number {
  return skewnessImpl(x, false);
}
/** Excess kurtosis m4/m2² − 3 (scipy.stats.kurtosis, fisher=True, bias=True). */
export function kurtosis(x: NumericArray): number {
  return kurtosisImpl(x, false);
}

/** Mean of the non-NaN values (NaN if none). */
export function nanMean(x: NumericArray): number {
  return meanImpl(x, true);
}
/** Variance of the non-NaN values with `ddof` (default 1). */
export function nanVariance(x: NumericArray, ddof = 1): number {
  return varianceImpl(x, ddof, true);
}
/** Standard deviation of the non-NaN values with `ddof` (default 1). */
export function nanStd(x: NumericArray, ddof = 1): number {
  return Math.sqrt(varianceImpl(x, ddof, true));
}
/** Skewness of the non-NaN values (scipy.stats.skew, bias=True, nan_policy='omit'). */
export function nanSkewness(x: NumericArray): number {
  return skewnessImpl(x, true);
}
/** Excess kurtosis of the non-NaN values (scipy.stats.kurtosis defaults, nan_policy='omit'). */
export function nanKurtosis(x: NumericArray): number {
  return kurtosisImpl(x, true);
}
/**
 * Relative tolerance of {@link nanNoSpread}: the constant-regressor tolerance of stats/ols.ts and
 * the performance statistics' flat-line test (a coefficient of variation below about 1e-6).
 */
export const NO_SPREAD_TOL = 1e-12;

/**
 * True when the non-NaN values of x have no spread: Σ(x_i − x̄)² <= 1e-12 · Σx_i² over them
 * (`mean` is their x̄), i.e. they are equal, or equal but for the rounding of x̄ (n copies of 0.1
 * have x̄ = 0.1 + 1e-17 and deviations of 1e-17, not 0). Also true for no value and for zeros. A
 * t-statistic of the mean of such a series is undefined (its standard error is 0, or rounding
 * noise that gives t = 3e15), not infinite.
 */
export function nanNoSpread(x: NumericArray, mean: number): boolean {
  let centred = 0,
    raw = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v) continue;
    centred += (v - mean) * (v - mean);
    raw += v * v;
  }
  return !(centred > NO_SPREAD_TOL * raw);
}

/** Number of non-NaN values. */
export function countFinite(x: NumericArray): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) n++;
  return n;
}

/**
 * numpy's linear quantile (`np.quantile(s, p)`, method 'linear', Hyndman–Fan type 7) of the n
 * sorted, NaN-free values s[off .. off + n), with numpy's own operations (numpy >= 1.22 `_lerp`),
 * so the same bits: v = (n − 1)·p, lo = ⌊v⌋, g = v − lo, a = s_lo, b = s_lo+1, d = b − a, and
 * `g >= 0.5 ? b − d·(1 − g) : a + d·g`. It reads s_{n−1} when v >= n − 1 and s_0 when v < 0
 * (numpy interpolates there with d = 0: the same value for finite data, except that numpy turns
 * an endpoint −0 into +0 and an infinite endpoint into NaN), else exactly s_lo and s_lo+1: the
 * quantile labels (signals/quantiles.ts) and the backtest's selection read only these positions.
 * The one definition of the linear quantile in the library; n >= 1 and p in [0, 1] are the caller's.
 */
export function quantileOfSorted(s: NumericArray, off: number, n: number, p: number): number {
  const v = (n - 1) * p;
  if (v >= n - 1) return s[off + n - 1];
  if (v < 0) return s[off];
  const lo = Math.floor(v);
  const a = s[off + lo],
    b = s[off + lo + 1];
  const g = v - lo;
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/** Linear-interpolation quantile of already sorted, NaN-free values (numpy 'linear', bit for bit: {@link quantileOfSorted}); NaN when empty or q is outside [0, 1]. */
export function quantileSorted(sorted: NumericArray, q: number): number {
  const n = sorted.length;
  checkShare('q', q); // q = 2 or 50 (a percent) gave NaN without a word
  if (n === 0) return NaN;
  return quantileOfSorted(sorted, 0, n, q);
}

/**
 * Quantile with numpy's default linear interpolation (`np.quantile(x, q)`); NaN if any value is
 * NaN (numpy propagates NaN), if x is empty, or if q is outside [0, 1]. Does not mutate x.
 */
export function quantile(x: NumericArray, q: number): number {
  checkShare('q', q);
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) return NaN;
  return quantileSorted(Float64Array.from(x).sort(), q);
}

/** Quantile of the non-NaN values (`np.nanquantile(x, q)`). */
export function nanQuantile(x: NumericArray, q: number): number {
  checkShare('q', q);
  const s = Float64Array.from(x).sort(); // typed-array sort puts NaN last
  let n = s.length;
  while (n > 0 && s[n - 1] !== s[n - 1]) n--;
  return quantileSorted(s.subarray(0, n), q);
}

/** Several quantiles of the non-NaN values with one sort. */
export function nanQuantiles(x: NumericArray, qs: NumericArray): Float64Array {
  for (let i = 0; i < qs.length; i++) checkShare(`qs[${i}]`, qs[i]);
  const s = Float64Array.from(x).sort();
  let n = s.length;
  while (n > 0 && s[n - 1] !== s[n - 1]) n--;
  const sorted = s.subarray(0, n);
  const out = new Float64Array(qs.length);
  for (let i = 0; i < qs.length; i++) out[i] = quantileSorted(sorted, qs[i]);
  return out;
}

/**
 * Rearranges a[lo..hi) (NaN-free) so that a[k] holds its k-th smallest value (0-based, lo <= k <
 * hi), with no larger value before k and no smaller one after; returns a[k]. Wirth's selection
 * (Hoare's partition around the median of the range's first, middle and last values), expected
 * O(n); a range still unsettled after 64 partitions (an adversarial order) is sorted instead, so
 * O(n log n) at worst.
 */
export function selectKth(a: Float64Array, k: number, lo = 0, hi = a.length): number {
  let l = lo,
    r = hi - 1,
    rounds = 0;
  while (l < r) {
    if (++rounds > 64) {
      a.subarray(l, r + 1).sort();
      return a[k];
    }
    const u = a[l],
      v = a[(l + r) >> 1],
      w = a[r];
    const x = u < v ? (v < w ? v : u < w ? w : u) : u < w ? u : v < w ? w : v;
    let i = l,
      j = r;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
  return a[k];
}

/**
 * numpy's median of the n NaN-free values a[0..n): the middle one of the sorted values, or
 * (a + b)/2 of the two middle ones when n is even; NaN when n = 0. Rearranges a[0..n)
 * ({@link selectKth}).
 */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n <= 0) return NaN;
  const h = n >> 1;
  const hi = selectKth(a, h, 0, n);
  if (n % 2 === 1) return hi;
  let lo = a[0];
  for (let i = 1; i < h; i++) if (a[i] > lo) lo = a[i];
  return (lo + hi) / 2;
}

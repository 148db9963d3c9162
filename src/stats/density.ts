/**
 * Densities of a one-dimensional sample: a Gaussian kernel density estimate and a histogram.
 *
 * Gaussian KDE (`scipy.stats.gaussian_kde` for one dimension, unweighted): with the n finite
 * values x_i, their sample standard deviation s (ddof = 1) and a bandwidth factor h,
 *   kernel sd   σ_k = h · s
 *   density     f(x) = (1/n) · Σ_i φ((x − x_i)/σ_k) / σ_k,   φ the standard normal density
 *   Scott       h = n^(−1/5)             (scipy's default `bw_method='scott'`)
 *   Silverman   h = (3n/4)^(−1/5)        (`bw_method='silverman'`)
 *   a number    h = that number          (`bw_method=<scalar>`)
 * scipy raises on a degenerate sample (n < 2 or s = 0, a singular covariance); here the result is
 * `degenerate: true` with an empty curve, so a report can draw the points instead.
 * The default grid is `points` (200) equally spaced values from min − 3σ_k to max + 3σ_k.
 *
 * Histogram (`numpy.histogram(x, bins)`): `bins` equal-width bins from min to max (or the given
 * `range`), each bin [e_j, e_{j+1}) half-open except the last, which is closed; with
 * `density: true` the counts are divided by n · width so the histogram integrates to one. A
 * constant sample gets the range [v − 0.5, v + 0.5] (numpy's rule).
 *
 * NaN and ±Infinity values are ignored by both: only the finite values count (numpy's histogram
 * refuses an infinite value without a `range`, scipy's KDE returns NaN).
 */
import { checkBoolean, checkInteger, checkNonNegative, checkOneOf, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';

/** The KDE bandwidth factor h: Scott's rule, Silverman's, or the number itself (see the module comment). */
export type KdeBandwidth = 'scott' | 'silverman' | number;

export interface KdeOptions {
  /** Bandwidth rule or factor (scipy's `bw_method`); default 'scott'. */
  bandwidth?: KdeBandwidth;
  /** Evaluation points, or how many equally spaced points to use (default 200). */
  points?: number | ArrayLike<number>;
  /** Grid margin beyond the data in kernel sds when `points` is a count (default 3). */
  cut?: number;
}

export interface KdeResult {
  /** Finite observations used. */
  n: number;
  /** Bandwidth factor h (scipy `factor`). NaN when degenerate. */
  factor: number;
  /** Kernel standard deviation σ_k = h · s. NaN when degenerate. */
  bandwidth: number;
  x: number[];
  density: number[];
  /** True when n < 2 or the sample is constant: no curve is drawn. */
  degenerate: boolean;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function finiteValues(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

function sampleSd(x: readonly number[]): number {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let ss = 0;
  for (const v of x) ss += (v - m) * (v - m);
  return Math.sqrt(ss / (n - 1));
}

/** Bandwidth factor h for n observations. */
export function kdeFactor(n: number, bandwidth: KdeBandwidth = 'scott'): number {
  if (typeof bandwidth === 'number') {
    if (!(bandwidth > 0) || bandwidth === Infinity)
      throw new InputError(`KDE bandwidth factor must be a finite number > 0, got ${bandwidth}`);
    return bandwidth;
  }
  // 'scot' was Silverman's rule and n = 0 a factor of Infinity, silently
  checkOneOf('bandwidth', bandwidth, ['scott', 'silverman']);
  checkInteger('n', n, 1, Infinity, 'a whole number of observations >= 1');
  if (bandwidth === 'scott') return Math.pow(n, -1 / 5);
  return Math.pow((n * 3) / 4, -1 / 5);
}

/** Gaussian kernel density estimate of a sample, evaluated on a grid or at given points. */
export function gaussianKde(values: ArrayLike<number>, options: KdeOptions = {}): KdeResult {
  checkOptionNames<KdeOptions>('gaussianKde options', options, { bandwidth: true, points: true, cut: true });
  // a NaN cut made every grid point NaN
  if (options.cut !== undefined) checkNonNegative('cut', options.cut);
  const x = finiteValues(values);
  const n = x.length;
  const s = n >= 2 ? sampleSd(x) : NaN;
  if (!(s > 0)) return { n, factor: NaN, bandwidth: NaN, x: [], density: [], degenerate: true };
  const factor = kdeFactor(n, options.bandwidth ?? 'scott');
  const sk = factor * s;
  const pts = options.points ?? 200;
  let grid: number[];
  if (typeof pts === 'number') {
    if (!(Number.isInteger(pts) && pts >= 2)) throw new InputError(`KDE points must be an integer >= 2, got ${pts}`);
    const cut = options.cut ?? 3;
    let lo = Infinity,
      hi = -Infinity;
    for (const v of x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    lo -= cut * sk;
    hi += cut * sk;
    grid = Array.from({ length: pts }, (_, j) => lo + ((hi - lo) * j) / (pts - 1));
  } else {
    grid = Array.from(pts);
  }
  const inv = 1 / sk;
  const norm = (INV_SQRT_2PI * inv) / n;
  const density = grid.map((g) => {
    let acc = 0;
    for (const v of x) {
      const z = (g - v) * inv;
      acc += Math.exp(-0.5 * z * z);
    }
    return acc * norm;
  });
  return { n, factor, bandwidth: sk, x: grid, density, degenerate: false };
}

export interface HistogramOptions {
  /** Number of equal-width bins (default 10, numpy's default). */
  bins?: number;
  /** [lo, hi] of the bins (default the sample's min and max). */
  range?: [number, number];
  /** Divide counts by n · width (default false). */
  density?: boolean;
}

export interface HistogramResult {
  /** bins + 1 edges. */
  edges: number[];
  /** Counts, or densities when `density` was asked. */
  values: number[];
  /** Observations inside the range. */
  n: number;
}

/** Equal-width histogram with numpy's edge rules. An empty sample gives empty arrays. */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): HistogramResult {
  checkOptionNames<HistogramOptions>('histogram options', options, { bins: true, range: true, density: true });
  if (options.density !== undefined) checkBoolean('density', options.density);
  const bins = options.bins ?? 10;
  if (!(Number.isInteger(bins) && bins >= 1)) throw new InputError(`histogram bins must be a positive integer, got ${bins}`);
  const x = finiteValues(values);
  let lo: number, hi: number;
  if (options.range !== undefined) {
    [lo, hi] = options.range;
    // an infinite end made every edge ±Infinity or NaN
    if (!(hi >= lo) || !Number.isFinite(lo) || !Number.isFinite(hi))
      throw new InputError(`histogram range must be two finite numbers with hi >= lo, got [${lo}, ${hi}]`, { options: ['range'] });
  } else {
    if (x.length === 0) return { edges: [], values: [], n: 0 };
    lo = Infinity;
    hi = -Infinity;
    for (const v of x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, j) => (j === bins ? hi : lo + j * width));
  const counts = new Array<number>(bins).fill(0);
  let n = 0;
  for (const v of x) {
    if (v < lo || v > hi) continue;
    let j = Math.floor((v - lo) / width);
    if (j >= bins) j = bins - 1;
    // guard the floating point edge cases against the edges themselves
    while (j > 0 && v < edges[j]) j--;
    while (j < bins - 1 && v >= edges[j + 1]) j++;
    counts[j]++;
    n++;
  }
  const out = options.density === true ? counts.map((c, j) => c / (n * (edges[j + 1] - edges[j]))) : counts;
  return { edges, values: out, n };
}

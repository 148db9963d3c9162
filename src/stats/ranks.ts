/**
 * Average ranks (scipy.stats.rankdata(method='average')) and percentile ranks.
 *
 * For the non-NaN values x_1..x_N: rank(x_i) = #{j : x_j < x_i} + (#{j : x_j = x_i} + 1) / 2,
 * so ranks run 1..N and tied values share the mean of the ranks they occupy. NaN stays NaN
 * (scipy's nan_policy='omit' per element). Percentile rank = rank / N, so the lowest of four
 * distinct values scores 0.25 and the highest 1 (the seed's cross score).
 *
 * Algorithm: copy the values into a scratch Float64Array, sort it natively (NaN sorts last), then
 * for each value find its lower and upper bound by binary search: O(N log N), no comparator
 * callbacks and no allocation when the caller passes `scratch` of length >= x.length.
 */

/** First index in sorted[0, n) with sorted[i] >= v. */
function lowerBound(sorted: Float64Array, n: number, v: number): number {
  let lo = 0, hi = n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
  return lo;
}
/** First index in sorted[0, n) with sorted[i] > v. */
function upperBound(sorted: Float64Array, n: number, v: number): number {
  let lo = 0, hi = n;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] <= v) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * Average ranks (1-based) of `x` into `out` (allocated if absent); returns `out` and writes the
 * count of non-NaN values nowhere — use {@link rankCount} or `percentileRanks` if you need it.
 * `scratch` (length >= x.length) avoids an allocation.
 */
export function averageRanks(x: ArrayLike<number>, out?: Float64Array, scratch?: Float64Array): Float64Array {
  const n = x.length;
  const res = out ?? new Float64Array(n);
  const s = scratch !== undefined && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  rankInto(x, n, res, s);
  return res;
}

/** Ranks into `res`, returns N (the number of non-NaN values). */
function rankInto(x: ArrayLike<number>, n: number, res: Float64Array, s: Float64Array): number {
  for (let i = 0; i < n; i++) s[i] = x[i];
  s.sort();
  let m = n;
  while (m > 0 && s[m - 1] !== s[m - 1]) m--;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) { res[i] = NaN; continue; }
    const lo = lowerBound(s, m, v);
    const hi = upperBound(s, m, v);
    res[i] = (lo + hi + 1) / 2; // mean of ranks lo+1 .. hi
  }
  return m;
}

/** Percentile ranks rank / N (N = number of non-NaN values); NaN stays NaN. */
export function percentileRanks(x: ArrayLike<number>, out?: Float64Array, scratch?: Float64Array): Float64Array {
  const n = x.length;
  const res = out ?? new Float64Array(n);
  const s = scratch !== undefined && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  const m = rankInto(x, n, res, s);
  for (let i = 0; i < n; i++) res[i] /= m;
  return res;
}

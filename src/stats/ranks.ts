/**
 * Average ranks (scipy.stats.rankdata(method='average')) and percentile ranks.
 *
 * For the non-NaN values x_1..x_N: rank(x_i) = #{j : x_j < x_i} + (#{j : x_j = x_i} + 1) / 2,
 * so ranks run 1..N and tied values share the mean of the ranks they occupy (−0 and +0 tie). NaN
 * stays NaN (scipy's nan_policy='omit' per element). Percentile rank = rank / N, so the lowest of
 * four distinct values scores 0.25 and the highest 1 (the seed's cross score).
 *
 * Algorithm: an LSD radix argsort of the values' IEEE-754 bits made order-preserving (flip all
 * bits of negatives, the sign bit of the rest), one read pass for all eight byte histograms,
 * then 8 scatter passes of 8 bits over a permutation, skipping passes whose digit is the same for
 * every value; then one walk over the sorted order assigning
 * each run of equal values its mean rank. O(N) with no comparator callbacks, and no allocation
 * when the caller passes a {@link RankScratch} — cross-sections of thousands of assets on
 * thousands of dates are the use.
 */

/** Reusable buffers for ranking up to `capacity` values. */
export interface RankScratch {
  readonly capacity: number;
  readonly values: Float64Array;
  readonly words: Uint32Array; // view on `values`: lo, hi words (little-endian)
  readonly permA: Uint32Array;
  readonly permB: Uint32Array;
  readonly count: Uint32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function createRankScratch(capacity: number): RankScratch {
  const values = new Float64Array(Math.max(capacity, 1));
  return {
    capacity,
    values,
    words: new Uint32Array(values.buffer),
    permA: new Uint32Array(Math.max(capacity, 1)),
    permB: new Uint32Array(Math.max(capacity, 1)),
    count: new Uint32Array(8 * 256),
  };
}

/**
 * Sorts the first n entries of `s.values` (no NaN) by value and returns the permutation (a view of
 * one of the scratch's permutation buffers): values[perm[0]] <= values[perm[1]] <= ...
 */
function argsortValues(s: RankScratch, n: number): Uint32Array {
  const { values, words, count } = s;
  let perm = s.permA, other = s.permB;
  for (let i = 0; i < n; i++) perm[i] = i;
  if (!LITTLE_ENDIAN) {
    // big-endian engines are not known to exist for JS today; keep a correct fallback
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
    for (let i = 0; i < n; i++) perm[i] = idx[i];
    return perm;
  }
  // order-preserving transform of the bits, in place (values are restored from `words` below)
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) { words[2 * i + 1] = ~hi >>> 0; words[2 * i] = ~words[2 * i] >>> 0; }
    else words[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  // all eight byte histograms in one read pass
  count.fill(0);
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i], hi = words[2 * i + 1];
    count[lo & 255]++; count[256 + ((lo >>> 8) & 255)]++; count[512 + ((lo >>> 16) & 255)]++; count[768 + (lo >>> 24)]++;
    count[1024 + (hi & 255)]++; count[1280 + ((hi >>> 8) & 255)]++; count[1536 + ((hi >>> 16) & 255)]++; count[1792 + (hi >>> 24)]++;
  }
  for (let pass = 0; pass < 8; pass++) {
    const w = pass < 4 ? 0 : 1;
    const shift = (pass & 3) * 8;
    const base = pass * 256;
    if (count[base + ((words[w] >>> shift) & 255)] === n) continue; // every value has this digit
    let sum = 0;
    for (let d = base; d < base + 256; d++) { const c = count[d]; count[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const p = perm[i];
      other[count[base + ((words[2 * p + w] >>> shift) & 255)]++] = p;
    }
    const t = perm; perm = other; other = t;
  }
  // undo the transform
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    if (hi & 0x80000000) words[2 * i + 1] = (hi & 0x7fffffff) >>> 0;
    else { words[2 * i + 1] = ~hi >>> 0; words[2 * i] = ~words[2 * i] >>> 0; }
  }
  return perm;
}

/**
 * Average ranks of `src[0 .. n)` (no NaN) into `dst[0 .. n)` using the scratch. Internal kernel
 * shared with the correlation module.
 */
export function ranksInto(src: ArrayLike<number>, n: number, dst: Float64Array, s: RankScratch): void {
  const v = s.values;
  for (let i = 0; i < n; i++) v[i] = src[i];
  const perm = argsortValues(s, n);
  let i = 0;
  while (i < n) {
    const x = v[perm[i]];
    let j = i + 1;
    while (j < n && v[perm[j]] === x) j++;
    const r = (i + j + 1) / 2; // mean of ranks i+1 .. j
    for (let q = i; q < j; q++) dst[perm[q]] = r;
    i = j;
  }
}

function ensure(s: RankScratch | undefined, n: number): RankScratch {
  return s !== undefined && s.capacity >= n ? s : createRankScratch(n);
}

/** Ranks into `res`; returns N, the number of non-NaN values. */
function rankWithNaN(x: ArrayLike<number>, res: Float64Array, s: RankScratch): number {
  const n = x.length;
  // compact the non-NaN values into res, rank them in place, spread them back
  let m = 0;
  for (let i = 0; i < n; i++) { const v = x[i]; if (v === v) { res[m++] = v; } }
  if (m === n) { ranksInto(res, n, res, s); return n; }
  // with NaN: rank the compacted values, then spread them to their positions from the back
  ranksInto(res, m, res, s);
  let k = m - 1;
  for (let i = n - 1; i >= 0; i--) {
    const v = x[i];
    res[i] = v === v ? res[k--] : NaN;
  }
  return m;
}

/**
 * Average ranks (1-based) of `x` into `out` (allocated if absent); NaN stays NaN. Pass a
 * {@link RankScratch} (capacity >= x.length) to rank without allocating.
 */
export function averageRanks(x: ArrayLike<number>, out?: Float64Array, scratch?: RankScratch): Float64Array {
  const res = out ?? new Float64Array(x.length);
  rankWithNaN(x, res, ensure(scratch, x.length));
  return res;
}

/** Percentile ranks rank / N (N = number of non-NaN values); NaN stays NaN. */
export function percentileRanks(x: ArrayLike<number>, out?: Float64Array, scratch?: RankScratch): Float64Array {
  const res = out ?? new Float64Array(x.length);
  const m = rankWithNaN(x, res, ensure(scratch, x.length));
  for (let i = 0; i < x.length; i++) res[i] /= m;
  return res;
}

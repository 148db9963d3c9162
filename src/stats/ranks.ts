/**
 * Average ranks (scipy.stats.rankdata(method='average')) and percentile ranks.
 *
 * For the non-NaN values x_1..x_N: rank(x_i) = #{j : x_j < x_i} + (#{j : x_j = x_i} + 1) / 2,
 * so ranks run 1..N and tied values share the mean of the ranks they occupy (−0 and +0 tie). NaN
 * stays NaN (scipy's nan_policy='omit' per element). Percentile rank = rank / N, so the lowest of
 * four distinct values scores 0.25 and the highest 1 (the seed's cross score).
 *
 * Algorithm (O(N), no comparator callbacks, no allocation with a {@link RankScratch}):
 * 1. Map each value's IEEE-754 bits to an order-preserving pair of unsigned words (flip every bit
 *    of a negative, the sign bit of the rest; −0 is mapped to +0's key so the two stay adjacent).
 * 2. LSD radix argsort on the HIGH word only, carrying (key, index) pairs and skipping passes
 *    whose digit is the same for every value: four 8-bit passes below 1,024 values, three passes
 *    of 11, 11 and 10 bits from there on (where 2,048 buckets cost less than a fourth pass); up to
 *    24 values, an insertion sort on (high, low) instead.
 * 3. One walk over the sorted order: a run of equal high words (values that agree in sign,
 *    exponent and the top 20 mantissa bits — rare for real data) is ordered by the low word
 *    (insertion sort, or four 8-bit radix passes when the run is longer than 32), then each run
 *    of equal values gets its mean rank.
 * Cross-sections of thousands of assets on thousands of dates are the use (~3x faster than eight
 * byte passes over both words). {@link rowRanks} ranks every row of a date-major panel at once.
 * Above 24 values the same algorithm runs as a WebAssembly kernel when the engine has it
 * (scripts/gen-ols-wasm.mjs, `rank`); ranks are exact integers or halves, so both give the same bits.
 */
import { InputError } from '../core/errors.js';
import { rankKernel } from './olsWasm.js';

/** Reusable buffers for ranking up to `capacity` values. */
export interface RankScratch {
  readonly capacity: number;
  /** A copy of the values being ranked. */
  readonly values: Float64Array;
  /** View on `values`: lo, hi words (little-endian). */
  readonly words: Uint32Array;
  /** Order-preserving low words, by original position. */
  readonly lo: Uint32Array;
  readonly keyA: Uint32Array;
  readonly keyB: Uint32Array;
  readonly idxA: Uint32Array;
  readonly idxB: Uint32Array;
  /** Three 2048-bucket histograms, then one of 256. */
  readonly count: Uint32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LONG_RUN = 32;

export function createRankScratch(capacity: number): RankScratch {
  const c = Math.max(capacity, 1);
  const values = new Float64Array(c);
  return {
    capacity,
    values,
    words: new Uint32Array(values.buffer),
    lo: new Uint32Array(c),
    keyA: new Uint32Array(c),
    keyB: new Uint32Array(c),
    idxA: new Uint32Array(c),
    idxB: new Uint32Array(c),
    count: new Uint32Array(3 * 2048 + 256),
  };
}

/** Orders idx[i .. j) by the low keys `lo[idx[.]]` (four 8-bit LSD passes via `tmp`). */
function sortRunByLow(idx: Uint32Array, tmp: Uint32Array, i: number, j: number, lo: Uint32Array, count: Uint32Array): void {
  let src = idx,
    dst = tmp;
  const h = 3 * 2048;
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0, h, h + 256);
    for (let a = i; a < j; a++) count[h + ((lo[src[a]] >>> shift) & 255)]++;
    let sum = i;
    for (let d = h; d < h + 256; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let a = i; a < j; a++) {
      const p = src[a];
      dst[count[h + ((lo[p] >>> shift) & 255)]++] = p;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // an even number of passes: the result is back in idx
}

/** Below this many values a plain insertion sort on the (high, low) keys is the fastest. */
const SMALL = 24;
/** From this many values on, 11-bit digits (3 passes, 2,048 buckets) beat 8-bit ones (4 passes, 256). */
export const WIDE_DIGITS_FROM = 1024;

/**
 * Sorts the first n entries of `s.values` (no NaN) by value and returns the permutation (a view of
 * one of the scratch's index buffers): values[perm[0]] <= values[perm[1]] <= ... (−0 and +0 in
 * either order). `wideFrom` (tests only) moves the 8-bit / 11-bit digit threshold.
 */
export function argsortValues(s: RankScratch, n: number, wideFrom = WIDE_DIGITS_FROM): Uint32Array {
  if (!LITTLE_ENDIAN) {
    // big-endian engines are not known to exist for JS today; keep a correct fallback
    const v = s.values;
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
    for (let i = 0; i < n; i++) s.idxA[i] = idx[i];
    return s.idxA;
  }
  const odd = radixHigh(s, n, wideFrom);
  const ia = odd ? s.idxB : s.idxA;
  fixHighRuns(odd ? s.keyB : s.keyA, ia, odd ? s.idxA : s.idxB, s.lo, s.count, n);
  return ia;
}

/**
 * Steps 1 and 2 of the module comment: keys, then the high-word radix passes (or, up to SMALL
 * values, a full insertion sort). Returns true when the sorted keys and positions ended in the B
 * buffers (an odd number of passes ran). Each step is its own small function: V8 optimises each
 * quickly and a rare branch (equal high words) deoptimises only the step that has it.
 */
function radixHigh(s: RankScratch, n: number, wideFrom: number): boolean {
  orderKeys(s.words, s.keyA, s.lo, s.idxA, n);
  if (n <= SMALL) {
    insertionSortKeys(s.keyA, s.lo, s.idxA, n);
    return false;
  }
  const wide = n >= wideFrom;
  const bits = wide ? 11 : 8,
    nPass = wide ? 3 : 4;
  if (wide) histogram11(s.keyA, s.count, n);
  else histogram8(s.keyA, s.count, n);
  let ka = s.keyA,
    kb = s.keyB,
    ia = s.idxA,
    ib = s.idxB,
    odd = false;
  for (let pass = 0; pass < nPass; pass++) {
    if (scatterPass(ka, ia, kb, ib, s.count, n, pass * (1 << bits), pass * bits, (1 << bits) - 1)) {
      let t = ka;
      ka = kb;
      kb = t;
      t = ia;
      ia = ib;
      ib = t;
      odd = !odd;
    }
  }
  return odd;
}

/** Order-preserving (high, low) keys of the values' bits; −0 gets +0's key. */
function orderKeys(words: Uint32Array, ka: Uint32Array, lo: Uint32Array, ia: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let h = words[2 * i + 1],
      l = words[2 * i];
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else h = (h | 0x80000000) >>> 0;
    if (h === 0x7fffffff && l === 0xffffffff) {
      h = 0x80000000;
      l = 0;
    } // −0 keyed as +0
    ka[i] = h;
    lo[i] = l;
    ia[i] = i;
  }
}

/** Insertion sort of positions by (high key, low key), keys moved along. */
function insertionSortKeys(ka: Uint32Array, lo: Uint32Array, ia: Uint32Array, n: number): void {
  for (let a = 1; a < n; a++) {
    const h = ka[a],
      l = lo[a];
    let b = a - 1;
    while (b >= 0 && (ka[b] > h || (ka[b] === h && lo[ia[b]] > l))) {
      ka[b + 1] = ka[b];
      ia[b + 1] = ia[b];
      b--;
    }
    ka[b + 1] = h;
    ia[b + 1] = a;
  }
}

function histogram11(ka: Uint32Array, count: Uint32Array, n: number): void {
  count.fill(0, 0, 3 * 2048);
  for (let i = 0; i < n; i++) {
    const h = ka[i];
    count[h & 2047]++;
    count[2048 + ((h >>> 11) & 2047)]++;
    count[4096 + (h >>> 22)]++;
  }
}

function histogram8(ka: Uint32Array, count: Uint32Array, n: number): void {
  count.fill(0, 0, 4 * 256);
  for (let i = 0; i < n; i++) {
    const h = ka[i];
    count[h & 255]++;
    count[256 + ((h >>> 8) & 255)]++;
    count[512 + ((h >>> 16) & 255)]++;
    count[768 + (h >>> 24)]++;
  }
}

/** One LSD pass from (ka, ia) into (kb, ib); false (nothing moved) when every key has the same digit. */
function scatterPass(
  ka: Uint32Array,
  ia: Uint32Array,
  kb: Uint32Array,
  ib: Uint32Array,
  count: Uint32Array,
  n: number,
  base: number,
  shift: number,
  mask: number,
): boolean {
  if (count[base + ((ka[0] >>> shift) & mask)] === n) return false;
  let sum = 0;
  for (let d = base; d <= base + mask; d++) {
    const c = count[d];
    count[d] = sum;
    sum += c;
  }
  for (let i = 0; i < n; i++) {
    const k = ka[i];
    const p = count[base + ((k >>> shift) & mask)]++;
    kb[p] = k;
    ib[p] = ia[i];
  }
  return true;
}

/** Orders each run of equal high keys in ka by the low key (insertion sort, or radix when long). */
function fixHighRuns(ka: Uint32Array, ia: Uint32Array, ib: Uint32Array, lo: Uint32Array, count: Uint32Array, n: number): void {
  let i = 0;
  while (i < n) {
    const k = ka[i];
    let j = i + 1;
    while (j < n && ka[j] === k) j++;
    if (j - i > 1) sortRun(ia, ib, i, j, lo, count);
    i = j;
  }
}

function sortRun(ia: Uint32Array, ib: Uint32Array, i: number, j: number, lo: Uint32Array, count: Uint32Array): void {
  if (j - i > LONG_RUN) {
    sortRunByLow(ia, ib, i, j, lo, count);
    return;
  }
  for (let a = i + 1; a < j; a++) {
    const p = ia[a],
      l = lo[p];
    let b = a - 1;
    while (b >= i && lo[ia[b]] > l) {
      ia[b + 1] = ia[b];
      b--;
    }
    ia[b + 1] = p;
  }
}

/**
 * Average ranks of `src[0 .. n)` (no NaN) into `dst[0 .. n)` using the scratch. Internal kernel
 * shared with the correlation module.
 */
export function ranksInto(src: ArrayLike<number>, n: number, dst: Float64Array, s: RankScratch): void {
  // the WebAssembly kernel (olsWasm.ts; null where the engine lacks WebAssembly SIMD): same ranks
  const wasm = n > SMALL ? rankKernel() : null;
  if (wasm !== null) {
    wasm.rank(src, n, dst);
    return;
  }
  ranksIntoJs(src, n, dst, s);
}

/** {@link ranksInto} in JavaScript (the route without WebAssembly; exported for the tests). */
export function ranksIntoJs(src: ArrayLike<number>, n: number, dst: Float64Array, s: RankScratch): void {
  const v = s.values;
  for (let i = 0; i < n; i++) v[i] = src[i];
  if (!LITTLE_ENDIAN) {
    assignRanks(v, argsortValues(s, n), 0, n, dst);
    return;
  }
  // Step 3 fused with the ranks: a value alone in its high word (the usual case) is settled by one
  // sequential key comparison; only a run of equal high words is ordered by the low word and
  // searched for ties (equal values always share their high word: −0 is keyed as +0).
  const odd = radixHigh(s, n, WIDE_DIGITS_FROM);
  const ka = odd ? s.keyB : s.keyA,
    ia = odd ? s.idxB : s.idxA,
    ib = odd ? s.idxA : s.idxB;
  let i = 0;
  while (i < n) {
    const k = ka[i];
    let j = i + 1;
    while (j < n && ka[j] === k) j++;
    if (j === i + 1) dst[ia[i]] = j;
    else {
      sortRun(ia, ib, i, j, s.lo, s.count);
      assignRanks(v, ia, i, j, dst);
    }
    i = j;
  }
}

/** Mean ranks of the sorted positions perm[i .. j): each run of equal values gets (p + q + 1) / 2. */
function assignRanks(v: Float64Array, perm: Uint32Array, i: number, j: number, dst: Float64Array): void {
  let p = i;
  while (p < j) {
    const x = v[perm[p]];
    let q = p + 1;
    while (q < j && v[perm[q]] === x) q++;
    const r = (p + q + 1) / 2; // mean of ranks p+1 .. q
    for (let z = p; z < q; z++) dst[perm[z]] = r;
    p = q;
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
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v === v) {
      res[m++] = v;
    }
  }
  if (m === n) {
    ranksInto(res, n, res, s);
    return n;
  }
  // with NaN: rank the compacted values, then spread them to their positions from the back
  ranksInto(res, m, res, s);
  let k = m - 1;
  for (let i = n - 1; i >= 0; i--) {
    const v = x[i];
    res[i] = v === v ? res[k--] : NaN;
  }
  return m;
}

/** `out` has room for every rank (a shorter one silently lost the last ranks). */
function checkOut(out: Float64Array, n: number): void {
  if (out.length < n) throw new InputError(`out has ${out.length} values, fewer than the ${n} to rank`, { options: ['out'] });
}

/**
 * Average ranks (1-based) of `x` into `out` (allocated if absent); NaN stays NaN. Pass a
 * {@link RankScratch} (capacity >= x.length) to rank without allocating.
 */
export function averageRanks(x: ArrayLike<number>, out?: Float64Array, scratch?: RankScratch): Float64Array {
  if (out !== undefined) checkOut(out, x.length);
  const res = out ?? new Float64Array(x.length);
  rankWithNaN(x, res, ensure(scratch, x.length));
  return res;
}

/** Percentile ranks rank / N (N = number of non-NaN values); NaN stays NaN. */
export function percentileRanks(x: ArrayLike<number>, out?: Float64Array, scratch?: RankScratch): Float64Array {
  if (out !== undefined) checkOut(out, x.length);
  const res = out ?? new Float64Array(x.length);
  const m = rankWithNaN(x, res, ensure(scratch, x.length));
  for (let i = 0; i < x.length; i++) res[i] /= m;
  return res;
}

/**
 * Average ranks of every row of a date-major `nRows x nCols` matrix (each row ranked on its own,
 * NaN stays NaN): `out[t·nCols + j] = averageRanks(row t)[j]`. Returns `out` (allocated if absent).
 */
export function rowRanks(values: Float64Array, nRows: number, nCols: number, out?: Float64Array, scratch?: RankScratch): Float64Array {
  if (values.length !== nRows * nCols) throw new RangeError(`rowRanks: ${values.length} values, expected ${nRows} x ${nCols}`);
  const res = out ?? new Float64Array(nRows * nCols);
  if (res.length !== values.length) throw new RangeError('rowRanks: out has the wrong length');
  const s = ensure(scratch, nCols);
  for (let t = 0; t < nRows; t++) rankWithNaN(values.subarray(t * nCols, (t + 1) * nCols), res.subarray(t * nCols, (t + 1) * nCols), s);
  return res;
}

/** The less-count of a NaN cell in {@link RowLessCounts}. */
export const NO_LESS_COUNT = 0xffffffff;

/**
 * For every cell of a date-major `nRows x nCols` matrix, the number of its row's values strictly
 * below it: `less[r·nCols + c] = #{j : x[r, j] < x[r, c]}` (NaN values not counted; −0 and +0
 * equal), {@link NO_LESS_COUNT} for a NaN cell; `count[r]` = the row's non-NaN values. Equal
 * values share their less-count, and distinct values have distinct ones, so the average ranks of
 * ANY subset of a row follow from its cells' less-counts by a counting pass
 * ({@link ranksFromLessCounts}) with no sort: a row sorted once serves every subset of it (the
 * forward returns of a zoo, ranked among each factor's complete pairs).
 */
export interface RowLessCounts {
  readonly nRows: number;
  readonly nCols: number;
  readonly less: Uint32Array;
  readonly count: Int32Array;
}

/**
 * The {@link RowLessCounts} of `values` (date-major `nRows x nCols`): each row sorted once
 * ({@link argsortValues}). `alloc` makes the buffers (default an ArrayBuffer; a SharedArrayBuffer
 * lets worker threads read them in place).
 */
export function rowLessCounts(
  values: Float64Array,
  nRows: number,
  nCols: number,
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
): RowLessCounts {
  if (values.length !== nRows * nCols) throw new RangeError(`rowLessCounts: ${values.length} values, expected ${nRows} x ${nCols}`);
  const less = new Uint32Array(alloc(nRows * nCols * 4)),
    count = new Int32Array(alloc(nRows * 4));
  const s = createRankScratch(nCols);
  const col = new Int32Array(Math.max(nCols, 1));
  for (let r = 0; r < nRows; r++) {
    const off = r * nCols;
    let n = 0;
    for (let j = 0; j < nCols; j++) {
      const v = values[off + j];
      if (v === v) {
        s.values[n] = v;
        col[n++] = j;
      } else less[off + j] = NO_LESS_COUNT;
    }
    count[r] = n;
    if (n === 0) continue;
    const perm = argsortValues(s, n);
    const v = s.values;
    // walk the sorted values: a run of equal values starts at the number of values below it
    let start = 0,
      prev = v[perm[0]];
    for (let i = 0; i < n; i++) {
      const x = v[perm[i]];
      if (x !== prev) {
        start = i;
        prev = x;
      }
      less[off + col[perm[i]]] = start;
    }
  }
  return { nRows, nCols, less, count };
}

/**
 * Average ranks (module doc) of n values of one row, from their less-counts in that row
 * (`less[0..n)`, {@link RowLessCounts}; each below `size`, the row's non-NaN count), into
 * `dst[0..n)`. With k_a the number of the n values whose less-count is a (they are equal, and
 * smaller than those of larger a), the p = Σ_{a' < a} k_a' values below them rank 1..p, so each
 * of them gets the mean of ranks p + 1 .. p + k_a, (2p + k_a + 1) / 2 — exactly what
 * {@link averageRanks} gives these n values. Counting, not sorting: one pass over the n values,
 * one over the row's `size` run starts, one more over the n. `counts` (Int32, at least `size`
 * long) and `rankAt` (at least `size`) are scratch. Returns the number of values counted: n,
 * unless a less-count was out of range (not a value of this row; the caller treats that as a bug).
 */
export function ranksFromLessCounts(
  less: ArrayLike<number>,
  n: number,
  size: number,
  counts: Int32Array,
  rankAt: Float64Array,
  dst: Float64Array,
): number {
  counts.fill(0, 0, size);
  for (let i = 0; i < n; i++) counts[less[i]]++; // an index past `size` lands past the filled part or nowhere (typed arrays ignore it)
  let below = 0;
  for (let a = 0; a < size; a++) {
    const k = counts[a];
    rankAt[a] = (2 * below + k + 1) / 2;
    below += k;
  }
  for (let i = 0; i < n; i++) dst[i] = rankAt[less[i]];
  return below;
}

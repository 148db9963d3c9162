/**
 * Pearson and Spearman correlation with pairwise NaN deletion.
 *
 * Over the pairs (x_i, y_i) where both are non-NaN (n of them):
 *   pearson  r = Σ (x_i − x̄)(y_i − ȳ) / sqrt(Σ (x_i − x̄)² · Σ (y_i − ȳ)²)   (two-pass, like numpy)
 *   spearman ρ = pearson(avgrank(x), avgrank(y)), ranks taken within the n complete pairs
 *               (scipy.stats.spearmanr; ties share their mean rank, DESIGN.md)
 * NaN when n < 2 or either side has zero variance. The result is clamped to [−1, 1].
 *
 * `*At` variants read x[index[i]], y[index[i]] for i < count, so a cross-section loop over a
 * date-major Panel (index = row offset + asset) allocates nothing once a
 * {@link CorrelationScratch} exists. `spearmanRanksAt` takes x already ranked (e.g. a factor row
 * ranked once and shared by several horizons) and ranks only y: the same number as `spearmanAt`
 * whenever the indexed pairs are exactly the values those ranks were taken over.
 * `spearmanRanked` / `spearmanReturnsRanked` take y's ranks among the pairs as given (e.g. from a
 * presorted row, stats `rankRowSubset`): the same number again, as the ranks are the same.
 */

import { InputError } from '../core/errors.js';
import { createRankScratch, ranksInto } from './ranks.js';
import type { RankScratch } from './ranks.js';

/** Reusable buffers for the index-list variants (size = the largest cross-section). */
export interface CorrelationScratch {
  readonly capacity: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly ra: Float64Array;
  readonly rb: Float64Array;
  readonly ranks: RankScratch;
}

export function createCorrelationScratch(capacity: number): CorrelationScratch {
  return {
    capacity,
    a: new Float64Array(capacity),
    b: new Float64Array(capacity),
    ra: new Float64Array(capacity),
    rb: new Float64Array(capacity),
    ranks: createRankScratch(capacity),
  };
}

/** Pearson of two NaN-free arrays of length n (n >= 0). */
function pearsonDense(a: Float64Array, b: Float64Array, n: number): number {
  if (n < 2) return NaN;
  let sa = 0,
    sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
  }
  const ma = sa / n,
    mb = sb / n;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma,
      db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return NaN;
  const r = sab / Math.sqrt(saa * sbb);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Copies the complete pairs (x[idx], y[idx]) into scratch a, b; returns their count. */
function gather(x: ArrayLike<number>, y: ArrayLike<number>, index: ArrayLike<number> | null, count: number, s: CorrelationScratch): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const k = index === null ? i : index[i];
    const u = x[k],
      v = y[k];
    if (u === u && v === v) {
      s.a[n] = u;
      s.b[n] = v;
      n++;
    }
  }
  return n;
}

function ensure(s: CorrelationScratch | undefined, n: number): CorrelationScratch {
  return s !== undefined && s.capacity >= n ? s : createCorrelationScratch(n);
}

/** x and y pair by position, so they must be as long as each other (an InputError; it was a RangeError). */
function lengthsDiffer(what: string, nx: number, ny: number): InputError {
  return new InputError(`${what}: x has ${nx} values and y ${ny}: they pair by position and must be as long as each other`, {
    hint: 'align the two series first (NaN where one is missing)',
  });
}

/** Pearson correlation of x and y over the pairs where both are present. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, scratch?: CorrelationScratch): number {
  if (x.length !== y.length) throw lengthsDiffer('pearson', x.length, y.length);
  const s = ensure(scratch, x.length);
  return pearsonDense(s.a, s.b, gather(x, y, null, x.length, s));
}

/** Spearman correlation (Pearson of average ranks of the complete pairs). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>, scratch?: CorrelationScratch): number {
  if (x.length !== y.length) throw lengthsDiffer('spearman', x.length, y.length);
  const s = ensure(scratch, x.length);
  return spearmanOfGathered(s, gather(x, y, null, x.length, s));
}

/** Pearson over x[index[i]], y[index[i]] for i < count (count defaults to index.length). */
export function pearsonAt(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  index: ArrayLike<number>,
  scratch: CorrelationScratch,
  count = index.length,
): number {
  const s = ensure(scratch, count);
  return pearsonDense(s.a, s.b, gather(x, y, index, count, s));
}

/** Spearman over x[index[i]], y[index[i]] for i < count (count defaults to index.length). */
export function spearmanAt(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  index: ArrayLike<number>,
  scratch: CorrelationScratch,
  count = index.length,
): number {
  const s = ensure(scratch, count);
  return spearmanOfGathered(s, gather(x, y, index, count, s));
}

/** Spearman of the n pairs gathered into s.a, s.b: x ranked into s.ra, then {@link spearmanGathered}. */
export function spearmanOfGathered(s: CorrelationScratch, n: number): number {
  if (n < 2) return NaN;
  ranksInto(s.a, n, s.ra, s.ranks);
  return spearmanGathered(s, n);
}

/**
 * {@link spearmanAt} with x's average ranks given: `xRanks[index[i]]` must be the average ranks of
 * x within exactly the complete pairs that `index[0 .. count)` selects (for example a factor row
 * ranked once, when every non-NaN factor value of the row has a return). Only y is ranked here.
 */
export function spearmanRanksAt(
  xRanks: ArrayLike<number>,
  y: ArrayLike<number>,
  index: ArrayLike<number>,
  scratch: CorrelationScratch,
  count = index.length,
): number {
  const s = ensure(scratch, count);
  let n = 0;
  for (let i = 0; i < count; i++) {
    const k = index[i];
    const u = xRanks[k],
      v = y[k];
    if (u === u && v === v) {
      s.ra[n] = u;
      s.b[n] = v;
      n++;
    }
  }
  if (n < 2) return NaN;
  ranksInto(s.b, n, s.rb, s.ranks);
  return pearsonDense(s.ra, s.rb, n);
}

/**
 * Pearson of pairs already gathered into the scratch: `s.a[0..n)` = x, `s.b[0..n)` = y (no NaN).
 * The same number as {@link pearsonAt} over those pairs, without a second gather.
 */
export function pearsonGathered(s: CorrelationScratch, n: number): number {
  return pearsonDense(s.a, s.b, n);
}

/**
 * Spearman of pairs already gathered into the scratch, with x's average ranks among them in
 * `s.ra[0..n)` and y in `s.b[0..n)`: the same number as {@link spearmanRanksAt}. Only y is ranked.
 */
export function spearmanGathered(s: CorrelationScratch, n: number): number {
  if (n < 2) return NaN;
  ranksInto(s.b, n, s.rb, s.ranks);
  return pearsonDense(s.ra, s.rb, n);
}

/**
 * Spearman of n gathered pairs with both sides' average ranks among them given: x's in
 * `s.ra[0..n)`, y's in `s.rb[0..n)`. The same number as {@link spearmanGathered} (which ranks y
 * into s.rb itself) when s.rb holds those ranks.
 */
export function spearmanRanked(s: CorrelationScratch, n: number): number {
  if (n < 2) return NaN;
  return pearsonDense(s.ra, s.rb, n);
}

/**
 * Spearman of n gathered pairs, x in `s.a[0..n)` (ranked here into s.ra) and y's average ranks
 * among the pairs given in `s.rb[0..n)`: the same number as {@link spearmanOfGathered}.
 */
export function spearmanReturnsRanked(s: CorrelationScratch, n: number): number {
  if (n < 2) return NaN;
  ranksInto(s.a, n, s.ra, s.ranks);
  return pearsonDense(s.ra, s.rb, n);
}

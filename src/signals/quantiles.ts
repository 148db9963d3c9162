/**
 * Quantile (group) backtest: labels per date, mean forward return per quantile, the
 * top-minus-bottom spread, a factor-weighted long-short return, compounded NAVs and a
 * monotonicity score.
 *
 * ## Labels (1..Q per date, 1 = lowest factor values, 0 = no label)
 *
 * Default: `pandas.qcut(x, Q)` on each date's cross-section of finite factor values x_1..x_n
 * (optionally within each group: industry-neutral labels). Edges e_0..e_Q are the empirical
 * quantiles at p_k = k·(1/Q) (numpy `linspace`), by numpy's default linear interpolation
 * (virtual index v = (n − 1)·p, a = s[floor v], b = s[floor v + 1], γ = v − floor v,
 * e = a + (b − a)·γ if γ < 0.5 else b − (b − a)·(1 − γ), reproduced operation by operation).
 * Bins are right-closed, the first includes the minimum:
 *
 *   label(x) = 1 + #{k in 1..Q−1 : e_k < x}        (x = e_0 → 1; x < e_0 or x > e_Q → 0)
 *
 * which is pandas `searchsorted(edges, x, side='left')` with `include_lowest=True`.
 * The edge positions inherit numpy's rounding: for Q = 7 and n = 8, 5·(1/7)·7 = 4.999…, so the
 * edge falls an ulp below the 6th value and `pd.qcut(range(8), 7)` labels it 6, leaving bin 5
 * empty. We reproduce that (labels equal pandas'); labels are invariant to strictly increasing
 * transforms of the factor whenever the positions are exact (Q a power of two, e.g. 2, 4, 8).
 *
 * **Tie policy** (instead of pandas' "Bin edges must be unique"): edges are never dropped or
 * renumbered. When ties make edges collide, the formula above still applies: a value equal to a
 * repeated edge goes to the LOWEST bin that contains it, labels keep their 1..Q meaning by rank
 * position, and the bins between colliding edges are simply empty on that date. Whenever the edges
 * are distinct this equals `pd.qcut(x, Q, labels=False) + 1` exactly. A cross-section (date, or
 * date × group) with fewer than two distinct values carries no ordering and gets no labels
 * (counted in `singleValueSections`). Example: x = [1, 1, 1, 1, 2], Q = 5 gives edges
 * [1, 1, 1, 1, 1.2, 2] and labels [1, 1, 1, 1, 5].
 *
 * Other binnings: `quantileEdges` (custom probabilities, like `pd.qcut(x, [0, .1, .5, .9, 1])`),
 * `bins` (Q equal-width bins per date between the date's min and max, `pd.cut(x, Q)`), and
 * `binEdges` (fixed value edges, right-closed, the first including its lower edge; values outside
 * get no label).
 *
 * ## Returns
 *
 * For quantile q and date t, `mean_q(t)` is the equal-weighted mean forward return of the labelled
 * assets with a forward return (NaN when none). Over dates: `meanOverDates_q` = the mean of the
 * per-date means (not the pooled mean over all observations), `std` of the per-date means
 * (ddof 1) and `stdError = std / sqrt(n_q)` (alphalens `mean_return_by_quantile`). Variants:
 * `demeaned` subtracts the date's universe mean (all labelled assets with a forward return);
 * `weighted` uses weights w (e.g. market cap; non-finite or non-positive weights skipped), and
 * `weightedDemeaned` subtracts the weighted universe mean.
 *
 * Spread: `spread(t) = mean_Q(t) − mean_1(t)`, with n, mean, std, t = mean / (std / √n), Student-t
 * p (n − 1 df), and Newey-West t and p with `nwLags` (default: the rebalance step, h for a daily
 * factor) — the per-date spreads overlap when h > 1.
 *
 * Factor-weighted long-short (alphalens `factor_returns(demeaned=True)`): on each date, over the
 * assets with a factor value and a forward return, w_j = (f_j − mean f) / Σ|f_k − mean f| (gross 1,
 * net 0) and the return is Σ w_j fwd_j.
 *
 * NAV: a quantile portfolio rebalanced every `step` formation dates (default h: every h-th date of a
 * daily factor — non-overlapping h-row holdings, the seed's weekly rebalance when h = 5). Starting
 * at 1 on the first formation date, NAV_k = Π_{i<=k} (1 + mean_q(t_i)) over t_0, t_step, ...; a
 * period whose mean is NaN (empty quantile) is held in cash (return 0) and counted in
 * `cashPeriods`. Annualised return = NAV_end^(periodsPerYear / (step · periods)) − 1 (compounded;
 * periodsPerYear of the factor calendar). Monotonicity: Spearman correlation between the quantile
 * number and meanOverDates (quantiles with a finite mean only).
 */
import { checkInteger, checkLength, checkOptionNames, checkPositive, checkSameGrid, describeValue } from '../core/checks.js';
import type { Panel } from '../core/panel.js';
import { InputError } from '../core/errors.js';
import { meanTest, type MeanTest } from './summary.js';
import { spearman } from '../stats/correlation.js';
import { quantileOfSorted } from '../stats/descriptive.js';
import { createRankScratch, rowRanks, type RankScratch } from '../stats/ranks.js';
import type { GroupCodes } from './groups.js';
import type { NumArray } from './ic.js';

/**
 * How a cross-section is binned. `zeroAware` (alphalens' `zero_aware`, for signals whose sign
 * means something): the negative values get labels 1..Q/2 by their own quantiles (or bins) and the
 * values ≥ 0 get Q/2+1..Q by theirs, in every section; Q must be even.
 */
export type BinSpec =
  | { quantiles: number; zeroAware?: boolean }
  | { quantileEdges: readonly number[] }
  | { bins: number; zeroAware?: boolean }
  | { binEdges: readonly number[] };

export const DEFAULT_QUANTILES = 5;

export interface QuantileLabelOptions {
  /** A number Q (= `{quantiles: Q}`) or a {@link BinSpec}. Default 5 quantiles. */
  binning?: number | BinSpec;
  /** Compute labels inside each group per date (industry-neutral). Needs `groups`. */
  byGroup?: boolean;
  groups?: GroupCodes;
  /** Only label cells where this panel (same shape) is finite, e.g. a horizon's forward returns. */
  mask?: Panel;
  /**
   * The factor's row ranks (stats `rowRanks` of this factor panel), so that no row is ranked here
   * (every section, with or without groups and mask, is ordered from them). Only a speed-up: the
   * labels are the same.
   */
  factorRanks?: Float64Array;
}

export interface QuantileLabels {
  dates: Int32Array;
  assets: readonly string[];
  /** Number of labels Q. */
  quantiles: number;
  /** Date-major labels 1..Q, 0 = no label. */
  labels: Int32Array;
  /** Finite factor cells (inside the mask) left without a label. */
  unlabeled: number;
  /** Cross-sections (dates, or date × group) with fewer than two distinct values. */
  singleValueSections: number;
}

/** numpy.linspace(0, 1, q + 1): k * (1 / q), the last set to 1. */
export function linspaceProbabilities(q: number): Float64Array {
  const out = new Float64Array(q + 1);
  const step = 1 / q;
  for (let k = 0; k <= q; k++) out[k] = k * step + 0;
  out[q] = 1;
  return out;
}

/** numpy.quantile(sorted, p) with method 'linear', bit for bit: stats {@link quantileOfSorted} of the first n values. */
export function numpyQuantileSorted(s: ArrayLike<number>, n: number, p: number): number {
  return quantileOfSorted(s, 0, n, p);
}

/**
 * {@link numpyQuantileSorted} of the n sorted values s[off .. off + n) (stats `quantileOfSorted`,
 * the one definition). It reads s[n − 1] when (n − 1)·p >= n − 1, s[0] when (n − 1)·p < 0, else
 * s[lo] and s[lo + 1] with lo = floor((n − 1)·p): {@link readEdgePositions} reads exactly these positions.
 */
const quantileAt = quantileOfSorted;

/** A binning checked and resolved: the kind of edges, the number of labels q, and the probabilities or fixed edges. */
export interface ResolvedBinning {
  kind: 'quantiles' | 'bins' | 'binEdges';
  /** Labels 1..q. */
  q: number;
  /** Quantile probabilities (zero-aware: those of each side's q / 2 quantiles). */
  probs?: Float64Array;
  edges?: Float64Array;
  /** Zero-aware: each sign's values binned apart into q / 2 labels (see {@link BinSpec}). */
  zeroAware?: boolean;
}

/** Validates a binning (an `InputError` for a bad one) and resolves it: probabilities for quantiles, fixed edges for `binEdges`. */
export function resolveBinning(b: number | BinSpec | undefined): ResolvedBinning {
  if (b !== undefined && typeof b !== 'number' && (typeof b !== 'object' || b === null))
    throw new InputError(
      `binning must be a number of quantiles or a BinSpec ({ quantiles }, { quantileEdges }, { bins } or { binEdges }), got ${describeValue(b)}`,
      {
        options: ['binning'],
      },
    );
  const spec: BinSpec = b === undefined ? { quantiles: DEFAULT_QUANTILES } : typeof b === 'number' ? { quantiles: b } : b;
  if (!('quantiles' in spec || 'quantileEdges' in spec || 'bins' in spec || 'binEdges' in spec))
    throw new InputError(`binning has none of quantiles, quantileEdges, bins, binEdges (keys: ${Object.keys(spec).join(', ') || 'none'})`, {
      options: ['binning'],
    });
  const checkQ = (q: number, what: string): number => {
    if (!Number.isInteger(q) || q < 1) throw new InputError(`${what} must be a whole number >= 1, got ${q}`);
    return q;
  };
  const checkEdges = (e: readonly number[], what: string, lo = -Infinity, hi = Infinity): Float64Array => {
    if (!Array.isArray(e) && !ArrayBuffer.isView(e)) throw new InputError(`${what} must be an array of numbers, got ${describeValue(e)}`);
    if (e.length < 2) throw new InputError(`${what} needs at least two edges`);
    for (let i = 0; i < e.length; i++) {
      if (!(e[i] >= lo && e[i] <= hi)) throw new InputError(`${what}: edge ${e[i]} is outside [${lo}, ${hi}]`);
      if (i > 0 && !(e[i] > e[i - 1])) throw new InputError(`${what} must be strictly increasing`, { value: e.join(',') });
    }
    return Float64Array.from(e);
  };
  const checkZeroAware = (q: number, what: string): number => {
    if (q < 2 || q % 2 !== 0)
      throw new InputError(
        `zero-aware ${what} split the labels evenly between negative and non-negative values: ${what} must be even, got ${q}`,
        {
          hint: `use ${q < 2 ? 2 : q + 1} ${what}`,
        },
      );
    return q / 2;
  };
  if ('quantiles' in spec) {
    const q = checkQ(spec.quantiles, 'quantiles');
    if (spec.zeroAware === true)
      return { kind: 'quantiles', q, probs: linspaceProbabilities(checkZeroAware(q, 'quantiles')), zeroAware: true };
    return { kind: 'quantiles', q, probs: linspaceProbabilities(q) };
  }
  if ('quantileEdges' in spec) {
    const p = checkEdges(spec.quantileEdges, 'quantile edges', 0, 1);
    return { kind: 'quantiles', q: p.length - 1, probs: p };
  }
  if ('bins' in spec) {
    const q = checkQ(spec.bins, 'bins');
    if (spec.zeroAware === true) {
      checkZeroAware(q, 'bins');
      return { kind: 'bins', q, zeroAware: true };
    }
    return { kind: 'bins', q };
  }
  const e = checkEdges(spec.binEdges, 'bin edges');
  return { kind: 'binEdges', q: e.length - 1, edges: e };
}

/**
 * THE tie rule, plainly: the label of v against the edges e[eo .. eo + q] is
 * 1 + #{k in 1..q−1 : e_k < v} when e_0 <= v <= e_q, else 0 (NaN too). Every fast route below
 * ({@link countLabel}, {@link searchLabel}, {@link positionLabels}, the general route's walk) is
 * this rule computed another way; statistics/quantiles.ts labels by it for the reference, and
 * registry.test.ts checks the routes against it.
 */
export function quantileLabel(e: ArrayLike<number>, eo: number, q: number, v: number): number {
  if (!(v >= e[eo] && v <= e[eo + q])) return 0;
  let label = 1;
  for (let k = 1; k < q; k++) if (e[eo + k] < v) label++;
  return label;
}

/** Up to this many labels a value's label is counted against every interior edge (no branches); above, binary search. */
const COUNTED_LABELS_MAX = 32;

/**
 * Edges of the section whose n >= 1 values lie sorted in s[off .. off + n) into e[eo .. eo + q].
 * A section with fewer than two distinct values gets e_0 = +∞ and e_q = −∞ (so that every value
 * falls outside: no labels) and returns false.
 */
function sectionEdges(r: ResolvedBinning, s: Float64Array, off: number, n: number, e: Float64Array, eo: number): boolean {
  const q = r.q;
  const mn = s[off],
    mx = s[off + n - 1];
  if (!(mx > mn)) {
    e[eo] = Infinity;
    e[eo + q] = -Infinity;
    return false;
  }
  if (r.kind === 'quantiles') {
    const p = r.probs as Float64Array;
    for (let k = 0; k <= q; k++) e[eo + k] = quantileAt(s, off, n, p[k]);
  } else {
    // pandas.cut(x, q): numpy.linspace(mn, mx, q + 1), first edge lowered by 0.1% of the range
    const step = (mx - mn) / q;
    for (let k = 0; k <= q; k++) e[eo + k] = k * step + mn;
    e[eo + q] = mx;
    e[eo] -= (mx - mn) * 0.001;
  }
  return true;
}

/**
 * Whether the labels of these edges may be counted ({@link countLabel}): q is small and
 * e_0 <= e_1 <= … <= e_q (no NaN). Then #{k in 1..q−1 : e_k < v} is a prefix length and equals
 * the binary search of {@link searchLabel}, so both give the same label.
 */
function countable(e: Float64Array, eo: number, q: number): boolean {
  if (q > COUNTED_LABELS_MAX) return false;
  for (let k = 0; k < q; k++) if (!(e[eo + k] <= e[eo + k + 1])) return false;
  return true;
}

/**
 * The label of v by the definition, 1 + #{k in 1..q−1 : e_k < v}, 0 outside [e_0, e_q] or for NaN;
 * countable edges only. Comparisons become 0/1 numbers (`+(a < b)`): no branch on the data.
 */
function countLabel(e: Float64Array, eo: number, q: number, v: number): number {
  let lab = 1;
  for (let k = 1; k < q; k++) lab += +(e[eo + k] < v);
  return lab * (+(v >= e[eo]) & +(v <= e[eo + q]));
}

/** The first sorted position whose value is > e, from the values at 0, n − 1 and around x = (n − 1)·p; −1 when those cannot tell. */
function firstAbove(s: Float64Array, n: number, x: number, e: number): number {
  if (e >= s[n - 1]) return n;
  if (e < s[0]) return 0;
  if (x >= n - 1) return -1;
  const lo = Math.floor(x);
  return s[lo] <= e && e < s[lo + 1] ? lo + 1 : -1;
}

/** The first sorted position whose value is >= e (see {@link firstAbove}); −1 when unknown. */
function firstAtLeast(s: Float64Array, n: number, x: number, e: number): number {
  if (e <= s[0]) return 0;
  if (e > s[n - 1]) return n;
  if (x >= n - 1) return -1;
  const lo = Math.floor(x);
  return s[lo] < e && e <= s[lo + 1] ? lo + 1 : -1;
}

/**
 * Labels by sorted position for a whole-row section of n values whose quantile edges e (countable)
 * came from the values at the marked positions of `s`: with lower = the first position whose value
 * is >= e_0, upper_k = the first position whose value is > e_k, a value at position p has the label
 * 0 if p < lower or p >= upper_q, else 1 + #{k in 1..q−1 : p >= upper_k} — the definition, as
 * e_k < v ⟺ p >= upper_k on sorted values. Each threshold is certified by the two known values
 * around its edge (e.g. s[lo] <= e_k < s[lo + 1]); when one cannot be (a tie at the edge) returns
 * false. Writes table[p + 1] for p in [0, n) (table[0] = 0 stays the label of NaN) and returns true.
 */
function positionLabels(r: ResolvedBinning, s: Float64Array, n: number, e: Float64Array, up: Int32Array, table: Int32Array): boolean {
  const q = r.q,
    p = r.probs as Float64Array;
  const lower = firstAtLeast(s, n, (n - 1) * p[0], e[0]);
  if (lower < 0) return false;
  for (let k = 1; k <= q; k++) {
    up[k] = firstAbove(s, n, (n - 1) * p[k], e[k]);
    if (up[k] < 0) return false;
  }
  // positions [up_{k−1}, up_k) get label k (up_0 = 0), then 0 below `lower` and from up_q on
  const upper = up[q];
  up[0] = 0;
  for (let k = 1; k <= q; k++) {
    const from = Math.min(up[k - 1], upper),
      to = Math.min(k < q ? up[k] : upper, upper);
    if (to > from) table.fill(k, from + 1, to + 1);
  }
  table.fill(0, 1, lower + 1);
  table.fill(0, upper + 1, n + 1);
  table[0] = 0;
  return true;
}

/** The label of a non-NaN v by binary search over the edges (the first k in [1, q) with e_k >= v, else q); 0 outside [e_0, e_q]. */
function searchLabel(e: Float64Array, eo: number, q: number, v: number): number {
  if (v < e[eo] || v > e[eo + q]) return 0;
  let lo = 1,
    hi = q;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[eo + mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * sorted[p] = the value at sorted position p of a row, read through `inv` (inv[floor(x)] = an asset
 * whose rank x has centre p = floor(x − 1), written by {@link scanRow}); false when no rank of the
 * row has centre p (p lies inside a run of ties; inv[p + 1] is then stale and fails the check).
 */
function readPosition(
  p: number,
  inv: Int32Array,
  R: Float64Array,
  ro: number,
  fv: Float64Array,
  base: number,
  sorted: Float64Array,
): boolean {
  const j = inv[p + 1],
    x = R[ro + j];
  if (!(x === x) || (x | 0) !== p + 1) return false;
  sorted[p] = fv[base + j];
  return true;
}

/**
 * Reads into `sorted` the positions that {@link sectionEdges} reads for a whole-row section of n
 * values: 0 and n − 1 (minimum, maximum), and for quantile edges the positions {@link quantileAt}
 * reads. False when one of them is hidden in a run of ties.
 */
function readEdgePositions(
  r: ResolvedBinning,
  n: number,
  inv: Int32Array,
  R: Float64Array,
  ro: number,
  fv: Float64Array,
  base: number,
  sorted: Float64Array,
): boolean {
  if (!readPosition(0, inv, R, ro, fv, base, sorted) || !readPosition(n - 1, inv, R, ro, fv, base, sorted)) return false;
  if (r.kind === 'quantiles') {
    const p = r.probs as Float64Array;
    for (let k = 0; k <= r.q; k++) {
      const v = (n - 1) * p[k];
      if (v >= n - 1 || v < 0) continue; // position n − 1 or 0, read above
      const lo = Math.floor(v);
      if (!readPosition(lo, inv, R, ro, fv, base, sorted) || !readPosition(lo + 1, inv, R, ro, fv, base, sorted)) return false;
    }
  }
  return true;
}

/** Number of labels Q of a binning (validates it: an `InputError` for a bad specification). */
export function quantileCount(binning: number | BinSpec | undefined): number {
  return resolveBinning(binning).q;
}

/** Quantile labels per date (see the module comment for the definition and the tie policy). */
export function quantileLabels(factor: Panel, options: QuantileLabelOptions = {}): QuantileLabels {
  // `{ quantiles: 10 }` (for `binning`) labelled quintiles without a word
  checkOptionNames<QuantileLabelOptions>('quantileLabels options', options, {
    binning: true,
    byGroup: true,
    groups: true,
    mask: true,
    factorRanks: true,
  });
  if (options.mask !== undefined) checkSameGrid('factor', factor, 'mask', options.mask);
  const n = factor.nDates,
    m = factor.nAssets;
  const labels = new Int32Array(n * m);
  const unlabeled = [0],
    single = [0];
  const q = quantileLabelRows(factor, options, labels, 0, n, { unlabeled, single }, true);
  return { dates: factor.dates, assets: factor.assets, quantiles: q, labels, unlabeled: unlabeled[0], singleValueSections: single[0] };
}

/**
 * One pass over a row without groups: inv[floor(x)] = j for each asset j with rank x (a NaN rank
 * writes inv[0], unused), cnt[0] = the non-NaN values, cnt[1] = those of them that are ±Infinity
 * or NaN in the mask. (The row loops are small functions of their own: V8 compiles them tighter.)
 */
function scanRow(
  fv: Float64Array,
  mv: Float64Array | undefined,
  base: number,
  m: number,
  R: Float64Array,
  ro: number,
  inv: Int32Array,
  cnt: Int32Array,
): void {
  let present = 0,
    outside = 0;
  if (mv === undefined) {
    for (let j = 0; j < m; j++) {
      const v = fv[base + j],
        x = R[ro + j];
      present += +(v === v);
      outside += +(Math.abs(v) === Infinity);
      inv[(x === x ? x : 0) | 0] = j;
    }
  } else {
    for (let j = 0; j < m; j++) {
      const v = fv[base + j],
        w = mv[base + j],
        x = R[ro + j];
      present += +(v === v);
      outside += +(Math.abs(v) === Infinity) | (+(v === v) & +!(w === w));
      inv[(x === x ? x : 0) | 0] = j;
    }
  }
  cnt[0] = present;
  cnt[1] = outside;
}

/** labels[base + j] = table[floor(rank)] (table[0] = 0 for NaN); returns the labelled count when `count`, else 0. */
function labelByPosition(
  R: Float64Array,
  ro: number,
  table: Int32Array,
  labels: Int32Array,
  base: number,
  m: number,
  count: boolean,
): number {
  if (!count) {
    for (let j = 0; j < m; j++) {
      const x = R[ro + j];
      labels[base + j] = table[(x === x ? x : 0) | 0];
    }
    return 0;
  }
  let labelled = 0;
  for (let j = 0; j < m; j++) {
    const x = R[ro + j];
    const lab = table[(x === x ? x : 0) | 0];
    labels[base + j] = lab;
    labelled += +(lab !== 0);
  }
  return labelled;
}

/** member[j] = 1 for the finite values of the row inside the mask, else 0 (no branches). */
function markMembers(fv: Float64Array, mv: Float64Array | undefined, base: number, m: number, member: Int32Array): void {
  if (mv === undefined)
    for (let j = 0; j < m; j++) {
      const v = fv[base + j];
      member[j] = +(v - v === 0);
    }
  else
    for (let j = 0; j < m; j++) {
      const v = fv[base + j],
        w = mv[base + j];
      member[j] = +(v - v === 0) & +(w === w);
    }
}

/** labels[base + j] = table[floor(rank)] for the members (member[j] != 0), 0 for the others. */
function labelMembers(
  R: Float64Array,
  ro: number,
  table: Int32Array,
  member: Int32Array,
  labels: Int32Array,
  base: number,
  m: number,
): void {
  for (let j = 0; j < m; j++) {
    const x = R[ro + j];
    labels[base + j] = table[(x === x ? x : 0) | 0] * +(member[j] !== 0);
  }
}

/** labels[base + j] = 1 + #{k in 1..q−1 : e_k < v} inside [e_0, e_q], else 0 (NaN too), countable edges; returns the labelled count. */
function labelByCount(fv: Float64Array, base: number, m: number, e: Float64Array, q: number, labels: Int32Array): number {
  const e0 = e[0],
    eq = e[q];
  let labelled = 0;
  for (let j = 0; j < m; j++) {
    const v = fv[base + j];
    let lab = 1;
    for (let k = 1; k < q; k++) lab += +(e[k] < v);
    const inside = +(v >= e0) & +(v <= eq);
    labels[base + j] = lab * inside;
    labelled += inside;
  }
  return labelled;
}

/**
 * Zero-aware labels: each section (date, or date × group) split by sign, each part binned apart
 * into q / 2 labels, the part ≥ 0 shifted up by q / 2. Routed through the by-group kernel with
 * group codes 2g + (v ≥ 0) over rows [t0, t1) (the factor's row ranks order every part too).
 */
function zeroAwareLabelRows(
  factor: Panel,
  options: QuantileLabelOptions,
  r: ResolvedBinning,
  labels: Int32Array,
  t0: number,
  t1: number,
  counts: { unlabeled: NumArray; single: NumArray } | undefined,
  total: boolean,
): number {
  const m = factor.nAssets,
    fv = factor.values,
    half = r.q / 2;
  const groups = options.byGroup === true ? options.groups : undefined;
  if (options.byGroup === true && groups === undefined)
    throw new InputError('quantiles by group (byGroup) need groups', { hint: 'pass groups', options: ['byGroup', 'groups'] });
  if (groups !== undefined && groups.codes.length !== fv.length) throw new InputError("group codes must have the factor panel's shape");
  const G = groups === undefined ? 1 : groups.names.length;
  const codes = new Int32Array(fv.length);
  for (let c = t0 * m; c < t1 * m; c++) {
    const g = groups === undefined ? 0 : groups.codes[c];
    codes[c] = g < 0 ? g : g >= G ? 2 * G : 2 * g + +(fv[c] >= 0); // a code past the names stays past them
  }
  const names = Array.from({ length: 2 * G }, (_, k) => `${groups === undefined ? '' : groups.names[k >> 1]}${k & 1 ? '+' : '-'}`);
  const binning: BinSpec = r.kind === 'bins' ? { bins: half } : { quantiles: half };
  const { factorRanks, mask } = options;
  quantileLabelRows(
    factor,
    {
      binning,
      byGroup: true,
      groups: { names, codes },
      ...(mask !== undefined ? { mask } : {}),
      ...(factorRanks !== undefined ? { factorRanks } : {}),
    },
    labels,
    t0,
    t1,
    counts,
    total,
  );
  for (let c = t0 * m; c < t1 * m; c++) if (labels[c] !== 0 && fv[c] >= 0) labels[c] += half;
  return r.q;
}

/**
 * The labels of the formation rows [t0, t1) into `labels` (date-major, the factor panel's shape) at
 * those rows; returns Q. With `counts`, the unlabeled cells and single-valued sections of row t are
 * written to counts.unlabeled[t] and counts.single[t] (`total`: added up into index 0 instead). The
 * range kernel of {@link quantileLabels}: a row's labels do not depend on the range, and the checks
 * run before the loop.
 *
 * How (per row; the labels are those of the definition, whatever the route):
 * - The row's average ranks (`factorRanks`, or ranked here) give each value its sorted position:
 *   a run of e equal values at positions i..j−1 has rank r = (i + j + 1) / 2, and its "centre"
 *   floor(r − 1) lies inside the run.
 * - Whole-row section (no groups; every non-NaN value finite and inside the mask): the edges only
 *   read the values at a few sorted positions (0, n − 1 and two per edge, see
 *   {@link readEdgePositions}); the counting pass also records which asset's rank has each centre,
 *   and each needed position is read from it. If a tie run hides one of them (not the centre of any
 *   run), the row takes the general route. Labels then go by sorted position through a table
 *   ({@link positionLabels}) when the edges' thresholds are certain, else by counting.
 * - General route (groups, mask, ±Infinity, ties): the section members are bucketed by centre
 *   position and read back in position order, which lays out each section's values sorted (the
 *   sections of all groups in one walk), then each section's edges.
 * - A value's label is then counted against the edges without branches, 1 + #{k : e_k < v}
 *   (edges non-decreasing and Q <= 32, see {@link countable}), else found by binary search.
 */
export function quantileLabelRows(
  factor: Panel,
  options: QuantileLabelOptions,
  labels: Int32Array,
  t0: number,
  t1: number,
  counts?: { unlabeled: NumArray; single: NumArray },
  total = false,
): number {
  const r = resolveBinning(options.binning);
  if (r.zeroAware === true) return zeroAwareLabelRows(factor, options, r, labels, t0, t1, counts, total);
  const n = factor.nDates,
    m = factor.nAssets,
    fv = factor.values;
  const mask = options.mask;
  if (mask !== undefined && (mask.nDates !== n || mask.nAssets !== m))
    throw new InputError("quantile mask must have the factor panel's shape");
  const groups = options.byGroup === true ? options.groups : undefined;
  if (options.byGroup === true && groups === undefined)
    throw new InputError('quantiles by group (byGroup) need groups', { hint: 'pass groups', options: ['byGroup', 'groups'] });
  if (groups !== undefined && groups.codes.length !== n * m) throw new InputError("group codes must have the factor panel's shape");
  const fr = options.factorRanks;
  if (fr !== undefined && fr.length !== n * m)
    throw new InputError(`factorRanks has ${fr.length} values, expected ${n * m} (one rank per cell of the factor panel)`, {
      options: ['factorRanks'],
    });
  if (labels.length !== n * m) throw new RangeError(`labels has ${labels.length} cells, expected ${n * m}`);
  const q = r.q,
    Q1 = q + 1;
  const codes = groups === undefined ? undefined : groups.codes;
  const G = groups === undefined ? 1 : groups.names.length;
  const mv = mask === undefined ? undefined : mask.values;
  const put = (t: number, unlabeled: number, single: number): void => {
    if (counts === undefined) return;
    if (total) {
      counts.unlabeled[0] += unlabeled;
      counts.single[0] += single;
    } else {
      counts.unlabeled[t] = unlabeled;
      counts.single[t] = single;
    }
  };
  if (r.kind === 'binEdges') {
    // fixed edges: no ordering needed; the same edges for every group
    const fixed = r.edges as Float64Array,
      counted = countable(fixed, 0, q);
    for (let t = t0; t < t1; t++) {
      const base = t * m;
      let unlabeled = 0;
      for (let j = 0; j < m; j++) {
        const v = fv[base + j];
        let lab = 0;
        if (v === v && v !== Infinity && v !== -Infinity && (mv === undefined || mv[base + j] === mv[base + j])) {
          const g = codes === undefined ? 0 : codes[base + j];
          if (g >= 0 && g < G) {
            lab = counted ? countLabel(fixed, 0, q, v) : searchLabel(fixed, 0, q, v);
            if (lab === 0) unlabeled++;
          } else if (g < 0) unlabeled++;
        }
        labels[base + j] = lab;
      }
      put(t, unlabeled, 0);
    }
    return q;
  }
  const e = new Float64Array(G * Q1),
    counted = new Uint8Array(G);
  const own = fr === undefined ? new Float64Array(m) : null,
    rs = fr === undefined ? createRankScratch(m) : null;
  const member = new Int32Array(m),
    sorted = new Float64Array(m);
  const head = new Int32Array(m + 1).fill(-1),
    next = new Int32Array(m);
  const size = new Int32Array(G),
    fill = new Int32Array(G),
    start = new Int32Array(G),
    kp = new Int32Array(G);
  const inv = new Int32Array(m + 1),
    cnt = new Int32Array(2),
    up = new Int32Array(Q1),
    table = new Int32Array(m + 1);
  for (let t = t0; t < t1; t++) {
    const base = t * m;
    let unlabeled = 0,
      single = 0;
    // members: finite, inside the mask, in a group (member[j] = group + 1, 0 = not a member)
    let present = 0,
      c = 0;
    size.fill(0);
    let R: Float64Array, ro: number;
    if (fr !== undefined) {
      R = fr;
      ro = base;
    } else {
      R = own as Float64Array;
      ro = 0;
      rowRanks(fv.subarray(base, base + m), 1, m, R, rs as RankScratch);
    }
    if (codes === undefined) {
      scanRow(fv, mv, base, m, R, ro, inv, cnt);
      present = cnt[0];
      c = present - cnt[1];
      size[0] = c;
    } else {
      for (let j = 0; j < m; j++) {
        member[j] = 0;
        const v = fv[base + j];
        if (!(v === v)) continue;
        present++;
        if (v === Infinity || v === -Infinity) continue;
        if (mv !== undefined && !(mv[base + j] === mv[base + j])) continue;
        const g = codes[base + j];
        if (g < 0) {
          unlabeled++;
          continue;
        } // finite cells without a group are not labelled (counted)
        if (g >= G) continue;
        member[j] = g + 1;
        size[g]++;
        c++;
      }
    }
    if (c === 0) {
      labels.fill(0, base, base + m);
      put(t, unlabeled, single);
      continue;
    }
    const unlabeledNoGroup = unlabeled;
    if (codes === undefined && c === present) {
      // whole-row section: read the values at the sorted positions the edges read
      const found = readEdgePositions(r, c, inv, R, ro, fv, base, sorted);
      if (found) {
        if (!sectionEdges(r, sorted, 0, c, e, 0)) {
          single++;
          unlabeled += c;
          labels.fill(0, base, base + m);
          put(t, unlabeled, single);
          continue;
        }
        let labelled = 0;
        if (countable(e, 0, q) && r.kind === 'quantiles' && positionLabels(r, sorted, c, e, up, table)) {
          // a value's label is that of its sorted position (its run's centre; NaN: table[0] = 0)
          const all = table[1] !== 0 && table[c] !== 0; // the minimum and the maximum are labelled: all are
          labelled = all ? c : labelByPosition(R, ro, table, labels, base, m, true);
          if (all) labelByPosition(R, ro, table, labels, base, m, false);
        } else if (countable(e, 0, q)) {
          labelled = labelByCount(fv, base, m, e, q, labels);
        } else {
          for (let j = 0; j < m; j++) {
            const v = fv[base + j];
            const lab = v === v ? searchLabel(e, 0, q, v) : 0;
            labels[base + j] = lab;
            if (lab !== 0) labelled++;
          }
        }
        put(t, unlabeled + c - labelled, single);
        continue;
      }
    }
    // general route: bucket the members by centre position, walk the positions in order
    if (codes === undefined) markMembers(fv, mv, base, m, member);
    // chains by centre + 1 (head[0] collects the non-members)
    for (let j = 0; j < m; j++) {
      const x = R[ro + j];
      const h = ((x === x ? x : 0) | 0) * +(member[j] !== 0);
      next[j] = head[h];
      head[h] = j;
    }
    head[0] = -1;
    for (let g = 0, o = 0; g < G; g++) {
      start[g] = o;
      fill[g] = o;
      o += size[g];
    }
    for (let p = 1; p <= present; p++) {
      for (let j = head[p]; j >= 0; j = next[j]) {
        const g = member[j] - 1;
        sorted[fill[g]++] = fv[base + j];
      }
    }
    for (let g = 0; g < G; g++) {
      if (size[g] === 0) continue;
      if (!sectionEdges(r, sorted, start[g], size[g], e, g * Q1)) single++;
      counted[g] = countable(e, g * Q1, q) ? 1 : 0;
      kp[g] = 1;
    }
    // labels by position: the members at one centre share their value, so (in one group) their label
    let byPosition = true;
    for (let p = 1; p <= present; p++) {
      let j = head[p];
      if (j < 0) continue;
      head[p] = -1;
      const g = member[j] - 1,
        eo = g * Q1,
        v = fv[base + j];
      let lab = 0;
      if (counted[g] === 0) lab = searchLabel(e, eo, q, v);
      else if (v >= e[eo] && v <= e[eo + q]) {
        // values come in ascending order within a group: the count of edges below only grows
        let k = kp[g];
        while (k < q && e[eo + k] < v) k++;
        kp[g] = k;
        lab = k;
      }
      table[p] = lab;
      let members = 0;
      for (; j >= 0; j = next[j]) {
        members++;
        if (member[j] - 1 !== g) byPosition = false;
      }
      if (lab === 0) unlabeled += members;
    }
    if (byPosition) {
      labelMembers(R, ro, table, member, labels, base, m);
      put(t, unlabeled, single);
      continue;
    }
    // tied values of different groups share a centre: label cell by cell
    unlabeled = unlabeledNoGroup;
    for (let j = 0; j < m; j++) {
      const mg = member[j];
      if (mg === 0) {
        labels[base + j] = 0;
        continue;
      }
      const v = fv[base + j],
        eo = (mg - 1) * Q1;
      const lab = counted[mg - 1] === 1 ? countLabel(e, eo, q, v) : searchLabel(e, eo, q, v);
      labels[base + j] = lab;
      if (lab === 0) unlabeled++;
    }
    put(t, unlabeled, single);
  }
  return q;
}

/** Statistics of a per-date series (NaN skipped): summary.ts {@link MeanTest} with its Newey-West t flattened (the JSON of spreads). */
export interface SeriesStats extends Omit<MeanTest, 'neweyWest'> {
  nwLags: number;
  tStatNW: number;
  pValueNW: number;
}

/** n, mean, std (ddof 1), t = mean / (std / √n), Student-t p (n − 1 df), Newey-West t and p: summary.ts `meanTest`. */
export function seriesStats(x: ArrayLike<number>, nwLags: number): SeriesStats {
  const { n, mean, std, stdError, tStat, pValue, neweyWest: nw } = meanTest(x, nwLags);
  return { n, mean, std, stdError, tStat, pValue, nwLags: nw.lags, tStatNW: nw.t, pValueNW: nw.pValue };
}

/** Per-quantile mean returns of one variant. */
export interface QuantileMeans {
  /** perDate[q - 1][t]: mean forward return of quantile q on date t (NaN when empty). */
  perDate: Float64Array[];
  /** Mean of the per-date means, per quantile. */
  meanOverDates: Float64Array;
  /** Std (ddof 1) of the per-date means. */
  std: Float64Array;
  /** std / sqrt(number of dates with a mean). */
  stdError: Float64Array;
  /** Dates with a mean, per quantile. */
  nDates: Int32Array;
  /** Top minus bottom per date and its statistics. */
  spread: Float64Array;
  spreadStats: SeriesStats;
}

export interface QuantileNav {
  /** Formation dates of the rebalances (day numbers). */
  dates: Int32Array;
  /** values[q - 1][k]: NAV after the k-th holding period (starts from 1). */
  values: Float64Array[];
  step: number;
  /** Periods held in cash because the quantile was empty, per quantile. */
  cashPeriods: Int32Array;
  /** NAV_end^(periodsPerYear / (step · periods)) − 1 per quantile. */
  annualizedReturn: Float64Array;
}

export interface QuantileReturns {
  horizon: number;
  quantiles: number;
  dates: Int32Array;
  /** Assets per quantile per date: count[q - 1][t]. */
  count: Int32Array[];
  equal: QuantileMeans;
  demeaned: QuantileMeans;
  weighted?: QuantileMeans;
  weightedDemeaned?: QuantileMeans;
  nav: QuantileNav;
  monotonicity: number;
  /** Present when the factor panel was given. */
  factorWeighted?: { perDate: Float64Array; stats: SeriesStats };
}

export interface QuantileReturnOptions {
  /** Horizon h of the forward returns (rows of the price calendar). */
  horizon: number;
  /** Rebalance every `step` formation dates for the NAV (default h). */
  step?: number;
  /** Newey-West lags for the spread (default step). */
  nwLags?: number;
  /** Periods per year of the formation calendar (default NaN: no annualised return). */
  periodsPerYear?: number;
  weights?: Panel;
  /** The factor panel, for the factor-weighted long-short return. */
  factor?: Panel;
}

function summarise(perDate: Float64Array[], q: number, nwLags: number): QuantileMeans {
  const meanOverDates = new Float64Array(q),
    std = new Float64Array(q),
    stdError = new Float64Array(q),
    nDates = new Int32Array(q);
  for (let k = 0; k < q; k++) {
    const s = seriesStats(perDate[k], 0);
    meanOverDates[k] = s.mean;
    std[k] = s.std;
    stdError[k] = s.stdError;
    nDates[k] = s.n;
  }
  const nd = q > 0 ? perDate[0].length : 0;
  const spread = new Float64Array(nd);
  for (let t = 0; t < nd; t++) spread[t] = perDate[q - 1][t] - perDate[0][t];
  return { perDate, meanOverDates, std, stdError, nDates, spread, spreadStats: seriesStats(spread, nwLags) };
}

/**
 * Per-date outputs of the quantile means: `count[q − 1][t]`, `equal`, `demeaned` (and with weights
 * `weighted`, `weightedDemeaned`) per quantile; `factorWeighted[t]` when the factor is given.
 */
export interface QuantileMeanRows {
  count: NumArray[];
  equal: NumArray[];
  demeaned: NumArray[];
  weighted?: NumArray[];
  weightedDemeaned?: NumArray[];
  factorWeighted?: NumArray;
}

/** Fresh per-date outputs for n dates and Q quantiles (NaN means, zero counts); `alloc` makes each buffer. */
export function createQuantileMeanRows(
  n: number,
  Q: number,
  withWeights: boolean,
  withFactor: boolean,
  alloc: (bytes: number) => ArrayBufferLike = (b) => new ArrayBuffer(b),
): {
  count: Int32Array[];
  equal: Float64Array[];
  demeaned: Float64Array[];
  weighted?: Float64Array[];
  weightedDemeaned?: Float64Array[];
  factorWeighted?: Float64Array;
} {
  const f = (): Float64Array => new Float64Array(alloc(n * 8)).fill(NaN);
  const mk = (): Float64Array[] => Array.from({ length: Q }, f);
  return {
    count: Array.from({ length: Q }, () => new Int32Array(alloc(n * 4))),
    equal: mk(),
    demeaned: mk(),
    ...(withWeights ? { weighted: mk(), weightedDemeaned: mk() } : {}),
    ...(withFactor ? { factorWeighted: f() } : {}),
  };
}

/**
 * The quantile means of the formation rows [t0, t1) into `out` (the range kernel of
 * {@link quantileReturns}; each row is computed alone). Rows without a mean are written NaN.
 */
export function quantileMeanRows(
  labels: QuantileLabels,
  forward: Panel,
  options: Pick<QuantileReturnOptions, 'weights' | 'factor'>,
  out: QuantileMeanRows,
  t0: number,
  t1: number,
): void {
  const n = labels.dates.length,
    m = labels.assets.length,
    Q = labels.quantiles;
  if (forward.nDates !== n || forward.nAssets !== m)
    throw new InputError("forward returns must have the labels' shape (formation dates x assets)");
  const w = options.weights;
  if (w !== undefined && (w.nDates !== n || w.nAssets !== m))
    throw new InputError("weights must have the labels' shape (formation dates x assets)");
  const L = labels.labels,
    fw = forward.values;
  const { count, equal: eq, demeaned: dm } = out;
  const wt = w !== undefined ? out.weighted : undefined,
    wdm = w !== undefined ? out.weightedDemeaned : undefined;
  const sum = new Float64Array(Q),
    cnt = new Int32Array(Q),
    wsum = new Float64Array(Q),
    wtot = new Float64Array(Q);
  for (let t = t0; t < t1; t++) {
    sum.fill(0);
    cnt.fill(0);
    wsum.fill(0);
    wtot.fill(0);
    let all = 0,
      allN = 0,
      wall = 0,
      wallW = 0;
    const base = t * m;
    for (let j = 0; j < m; j++) {
      const l = L[base + j];
      if (l === 0) continue;
      const r = fw[base + j];
      if (!(r === r)) continue;
      sum[l - 1] += r;
      cnt[l - 1]++;
      all += r;
      allN++;
      if (w !== undefined) {
        const wj = w.values[base + j];
        if (wj > 0 && wj !== Infinity) {
          wsum[l - 1] += wj * r;
          wtot[l - 1] += wj;
          wall += wj * r;
          wallW += wj;
        }
      }
    }
    const uMean = all / allN,
      uwMean = wall / wallW;
    for (let k = 0; k < Q; k++) {
      count[k][t] = cnt[k];
      if (cnt[k] > 0) {
        eq[k][t] = sum[k] / cnt[k];
        dm[k][t] = eq[k][t] - uMean;
      } else {
        eq[k][t] = NaN;
        dm[k][t] = NaN;
      }
      if (wt !== undefined && wdm !== undefined) {
        if (wtot[k] > 0) {
          wt[k][t] = wsum[k] / wtot[k];
          wdm[k][t] = wt[k][t] - uwMean;
        } else {
          wt[k][t] = NaN;
          wdm[k][t] = NaN;
        }
      }
    }
  }
  if (options.factor !== undefined && out.factorWeighted !== undefined)
    factorWeightedRows(options.factor, forward, out.factorWeighted, t0, t1);
}

/**
 * {@link quantileMeanRows} of one date t without weights, from its complete pairs: `y[0..n)` the
 * forward returns of the pairs and `labels[0..n)` their labels (0 = none), in asset order, when
 * the pairs are every labelled cell of the row with a return (the joint universe, analyze.ts). The
 * same sums in the same order (each label's returns and all labelled returns, by ascending asset),
 * so the same numbers: the unlabelled pairs go to a bucket of their own (`sum[0]`) and add +0 to
 * the total, which leaves it unchanged bit for bit (a sum started at +0 is never −0). `sum` and
 * `cnt` are scratch of Q + 1 entries. Writes `out.count`, `out.equal` and `out.demeaned` at t.
 */
export function quantileMeansOfPairs(
  labels: Int32Array,
  y: Float64Array,
  n: number,
  Q: number,
  out: QuantileMeanRows,
  t: number,
  sum: Float64Array,
  cnt: Int32Array,
): void {
  sum.fill(0);
  cnt.fill(0);
  let all = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i],
      r = y[i];
    sum[l] += r;
    cnt[l]++;
    all += l !== 0 ? r : 0;
  }
  const uMean = all / (n - cnt[0]);
  const { count, equal: eq, demeaned: dm } = out;
  for (let k = 0; k < Q; k++) {
    const c = cnt[k + 1];
    count[k][t] = c;
    if (c > 0) {
      eq[k][t] = sum[k + 1] / c;
      dm[k][t] = eq[k][t] - uMean;
    } else {
      eq[k][t] = NaN;
      dm[k][t] = NaN;
    }
  }
}

/** Mean forward return per quantile and date, variants, spread, NAV and monotonicity. */
export function quantileReturns(labels: QuantileLabels, forward: Panel, options: QuantileReturnOptions): QuantileReturns {
  if (typeof options !== 'object' || options === null)
    throw new InputError(`quantileReturns needs options with the horizon, got ${describeValue(options)}`, { hint: 'e.g. { horizon: 5 }' });
  checkOptionNames<QuantileReturnOptions>('quantileReturns options', options, {
    horizon: true,
    step: true,
    nwLags: true,
    periodsPerYear: true,
    weights: true,
    factor: true,
  });
  checkSameGrid('quantile labels', labels, 'forward returns', forward);
  if (options.weights !== undefined) checkSameGrid('quantile labels', labels, 'weights', options.weights);
  if (options.factor !== undefined) checkSameGrid('quantile labels', labels, 'factor', options.factor);
  const n = labels.dates.length,
    Q = labels.quantiles;
  const rows = createQuantileMeanRows(n, Q, options.weights !== undefined, options.factor !== undefined);
  quantileMeanRows(labels, forward, options, rows, 0, n);
  return quantileReturnsFromRows(labels.dates, Q, rows, options);
}

/** {@link QuantileReturns} from the per-date means of every formation date (summaries, spread, NAV, monotonicity). */
export function quantileReturnsFromRows(
  dates: Int32Array,
  Q: number,
  rows: {
    count: Int32Array[];
    equal: Float64Array[];
    demeaned: Float64Array[];
    weighted?: Float64Array[];
    weightedDemeaned?: Float64Array[];
    factorWeighted?: Float64Array;
  },
  options: QuantileReturnOptions,
): QuantileReturns {
  const h = options.horizon;
  const step = options.step ?? h;
  // a negative or fractional nwLags was clamped or used as a kernel weight; periodsPerYear 0 annualised to 0
  const nwLags = checkInteger('nwLags', options.nwLags ?? step, 0, Infinity, 'a whole number of lags >= 0');
  if (options.periodsPerYear !== undefined) checkPositive('periodsPerYear', options.periodsPerYear);
  const equal = summarise(rows.equal, Q, nwLags);
  const out: QuantileReturns = {
    horizon: h,
    quantiles: Q,
    dates,
    count: rows.count,
    equal,
    demeaned: summarise(rows.demeaned, Q, nwLags),
    nav: quantileNav(dates, rows.equal, step, options.periodsPerYear ?? NaN),
    monotonicity: monotonicity(equal.meanOverDates),
  };
  if (rows.weighted !== undefined && rows.weightedDemeaned !== undefined) {
    out.weighted = summarise(rows.weighted, Q, nwLags);
    out.weightedDemeaned = summarise(rows.weightedDemeaned, Q, nwLags);
  }
  if (rows.factorWeighted !== undefined) {
    const perDate = rows.factorWeighted;
    out.factorWeighted = { perDate, stats: seriesStats(perDate, nwLags) };
  }
  return out;
}

/**
 * Compounded NAV of each quantile rebalanced every `step` formation dates (see module comment).
 * `perDate[q - 1][t]` is the holding-period return of quantile q formed on date t.
 */
export function quantileNav(dates: Int32Array, perDate: readonly Float64Array[], step: number, periodsPerYear: number): QuantileNav {
  if (!Number.isInteger(step) || step < 1) throw new InputError(`rebalance step must be a whole number >= 1, got ${step}`);
  // NaN: not annualised (the default of quantileReturns without periodsPerYear); 0 or a negative number annualised to garbage
  if (!Number.isNaN(periodsPerYear)) checkPositive('periodsPerYear', periodsPerYear);
  const n = dates.length,
    Q = perDate.length;
  for (let k = 0; k < Q; k++) checkLength(`perDate[${k}]`, perDate[k].length, n, 'one mean per formation date'); // shorter read undefined: NaN NAVs
  const rows: number[] = [];
  for (let t = 0; t < n; t += step) rows.push(t);
  const values = perDate.map(() => new Float64Array(rows.length));
  const cashPeriods = new Int32Array(Q);
  const annualizedReturn = new Float64Array(Q).fill(NaN);
  for (let k = 0; k < Q; k++) {
    let nav = 1;
    rows.forEach((t, i) => {
      const r = perDate[k][t];
      if (r === r) nav *= 1 + r;
      else cashPeriods[k]++;
      values[k][i] = nav;
    });
    if (rows.length > 0) annualizedReturn[k] = Math.pow(nav, periodsPerYear / (step * rows.length)) - 1;
  }
  return { dates: Int32Array.from(rows, (t) => dates[t]), values, step, cashPeriods, annualizedReturn };
}

/**
 * Spearman correlation between 1..Q and the mean returns (finite ones only); NaN when fewer than
 * three quantiles have a mean: over two points a rank correlation is ±1 whatever the returns (a
 * 0/1 flag fills one or two quantiles), which would read as a perfectly monotone factor.
 */
export function monotonicity(meanOverDates: ArrayLike<number>): number {
  let finite = 0;
  for (let i = 0; i < meanOverDates.length; i++) if (Number.isFinite(meanOverDates[i])) finite++;
  if (finite < 3) return NaN;
  const q = Float64Array.from({ length: meanOverDates.length }, (_, i) => i + 1);
  return spearman(q, meanOverDates);
}

/**
 * Factor-weighted long-short return per date (alphalens `factor_returns(demeaned=True)`):
 * over assets with a finite factor and forward return, w = (f − mean f) / Σ|f − mean f|,
 * return Σ w · fwd. NaN when fewer than two assets or all factor values are equal. The one-pass
 * route of factorWeights.ts `factorReturns` with its defaults (the definition, with the group-adjusted
 * and equal-weight variants), checked against it in factorWeights.test.ts.
 */
export function factorWeightedReturns(factor: Panel, forward: Panel): Float64Array {
  // a forward panel of the same shape on other dates or assets was paired cell by cell, silently
  checkSameGrid('factor', factor, 'forward returns', forward);
  const out = new Float64Array(factor.nDates).fill(NaN);
  factorWeightedRows(factor, forward, out, 0, factor.nDates);
  return out;
}

/** {@link factorWeightedReturns} of the formation rows [t0, t1) into out[t] (NaN written where undefined). */
export function factorWeightedRows(factor: Panel, forward: Panel, out: NumArray, t0: number, t1: number): void {
  const m = factor.nAssets;
  if (forward.nDates !== factor.nDates || forward.nAssets !== m)
    throw new InputError('factor and forward returns must have the same shape');
  const fv = factor.values,
    rv = forward.values;
  for (let t = t0; t < t1; t++) {
    const base = t * m;
    out[t] = NaN;
    let s = 0,
      c = 0;
    for (let j = 0; j < m; j++) {
      const f = fv[base + j],
        r = rv[base + j];
      if (f === f && r === r) {
        s += f;
        c++;
      }
    }
    if (c < 2) continue;
    const mu = s / c;
    let gross = 0,
      ret = 0;
    for (let j = 0; j < m; j++) {
      const f = fv[base + j],
        r = rv[base + j];
      if (f === f && r === r) {
        const d = f - mu;
        gross += Math.abs(d);
        ret += d * r;
      }
    }
    if (gross > 0) out[t] = ret / gross;
  }
}

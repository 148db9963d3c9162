/**
 * Cross-sectional selection helpers shared by the rules: the tradable names with a signal, ranked,
 * and `pandas.qcut` labels of one cross-section.
 *
 * Ranking: signal descending; ties keep the panel's asset order (a stable sort), so a rule's picks
 * never depend on anything but the signal and the asset order.
 *
 * Quantile labels: `pandas.qcut(x, Q, labels=False) + 1` over the finite signals of the candidates
 * (1 = lowest): edges e_k = numpy.quantile(x, k/Q) (linear interpolation, numpy's own operations,
 * `numpyQuantileSorted`), label(x) = 1 + #{k in 1..Q−1 : e_k < x}. Ties are never an error: a value
 * equal to a repeated edge goes to the lowest bin holding it (the signals layer's tie policy,
 * quantiles.ts). Fewer than two distinct values: no labels (0).
 */
import { linspaceProbabilities, numpyQuantileSorted } from '../signals/quantiles.js';

/** Indices j with candidate[j] = 1 and a finite signal, ordered by signal descending (ties: by j). */
export function rankedCandidates(signal: ArrayLike<number>, candidate: ArrayLike<number>): number[] {
  const idx: number[] = [];
  for (let j = 0; j < signal.length; j++) if (candidate[j] === 1 && Number.isFinite(signal[j])) idx.push(j);
  idx.sort((a, b) => signal[b] - signal[a] || a - b);
  return idx;
}

/**
 * qcut labels 1..Q of the members `idx` (their signals must be finite); 0 for all when fewer than
 * two distinct values. Returns labels aligned with `idx`.
 */
export function qcutLabels(signal: ArrayLike<number>, idx: readonly number[], quantiles: number): Int32Array {
  const n = idx.length;
  const labels = new Int32Array(n);
  if (n === 0) return labels;
  const s = Float64Array.from(idx, (j) => signal[j]).sort();
  if (s[0] === s[n - 1]) return labels;
  const p = linspaceProbabilities(quantiles);
  const edges = new Float64Array(quantiles + 1);
  for (let k = 0; k <= quantiles; k++) edges[k] = numpyQuantileSorted(s, n, p[k]);
  for (let i = 0; i < n; i++) {
    const x = signal[idx[i]];
    let label = 1;
    for (let k = 1; k < quantiles; k++) if (edges[k] < x) label++;
    labels[i] = label;
  }
  return labels;
}

/**
 * The k-th smallest (0-based) of buf[0..n), by quickselect (median-of-three pivots); `buf` is
 * permuted so that buf[k] is that value, everything before it ≤ and everything after it ≥.
 */
export function selectKth(buf: Float64Array, n: number, k: number): number {
  let lo = 0,
    hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three to buf[mid]
    if (buf[mid] < buf[lo]) swap(buf, mid, lo);
    if (buf[hi] < buf[lo]) swap(buf, hi, lo);
    if (buf[hi] < buf[mid]) swap(buf, hi, mid);
    const pivot = buf[mid];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i++;
      while (buf[j] > pivot) j--;
      if (i <= j) {
        swap(buf, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k];
  }
  return buf[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * numpy.quantile(x, p) (linear) of the n values in buf[0..n) from two order statistics instead of
 * a sort: the same positions and the same interpolation as `numpyQuantileSorted` (which does the
 * arithmetic), so the same bits. `buf` is permuted.
 */
export function quantileBySelection(buf: Float64Array, n: number, p: number): number {
  const v = (n - 1) * p;
  if (v >= n - 1 || v < 0) {
    let x = buf[0];
    for (let i = 1; i < n; i++) x = v < 0 ? Math.min(x, buf[i]) : Math.max(x, buf[i]);
    return x;
  }
  const lo = Math.floor(v);
  const a = selectKth(buf, n, lo);
  let b = Infinity;
  for (let i = lo + 1; i < n; i++) if (buf[i] < b) b = buf[i];
  const view: Record<number, number> & { length: number } = { length: n };
  view[lo] = a;
  view[lo + 1] = b;
  return numpyQuantileSorted(view, n, p);
}

/**
 * The names of one qcut quantile without labelling every name: label(x) = q exactly when
 * e_{q−1} < x (q ≥ 2) and x ≤ e_q (q ≤ Q − 1), with e_k the numpy quantile at k/Q (linspace) of
 * the candidates' signals: the same set as {@link qcutLabels} (tested), in O(n).
 * `scratch` must hold at least `idx.length` values.
 */
export function qcutMembers(
  signal: ArrayLike<number>,
  idx: ArrayLike<number>,
  count: number,
  quantiles: number,
  q: number,
  scratch: Float64Array,
): number[] {
  const out: number[] = [];
  if (count === 0) return out;
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = signal[idx[i]];
    scratch[i] = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min === max) return out;
  const p = linspaceProbabilities(quantiles);
  const lower = q >= 2 ? quantileBySelection(scratch, count, p[q - 1]) : -Infinity;
  const upper = q <= quantiles - 1 ? quantileBySelection(scratch, count, p[q]) : Infinity;
  for (let i = 0; i < count; i++) {
    const x = signal[idx[i]];
    if ((q < 2 || lower < x) && (q > quantiles - 1 || x <= upper)) out.push(idx[i]);
  }
  return out;
}

/**
 * The first `n` names of the ranking {@link rankedCandidates} gives (signal descending, ties by
 * column) among `idx[0..count)` (finite signals, increasing columns), as a set, in O(count): the
 * n-th largest value v by selection; every name above v, then the names equal to v in column
 * order until there are n. `scratch` must hold `count` values.
 */
export function topByValue(signal: ArrayLike<number>, idx: ArrayLike<number>, count: number, n: number, scratch: Float64Array): number[] {
  const out: number[] = [];
  if (count === 0) return out;
  if (n >= count) {
    for (let i = 0; i < count; i++) out.push(idx[i]);
    return out;
  }
  for (let i = 0; i < count; i++) scratch[i] = signal[idx[i]];
  const v = selectKth(scratch, count, count - n);
  let above = 0;
  for (let i = 0; i < count; i++)
    if (signal[idx[i]] > v) {
      out.push(idx[i]);
      above++;
    }
  for (let i = 0, k = above; i < count && k < n; i++)
    if (signal[idx[i]] === v) {
      out.push(idx[i]);
      k++;
    }
  return out;
}

/**
 * qcut's top bin (label Q) or bottom bin (label 1) of the tradable names with a finite signal, in
 * one pass over the cross-section: the same names as {@link qcutMembers} (tested on random
 * sequences), faster because the edge is found among a few names instead of all of them.
 *
 * The bin's edge e is numpy's quantile at p = (Q−1)/Q (top) or 1/Q (bottom), interpolated between
 * the order statistics at ascending ranks lo = floor((k−1)p) and lo + 1. The pass keeps only the
 * names beyond a guess g (signal > g for the top, < g for the bottom): the top c values hold ranks
 * k−c .. k−1, the bottom c ranks 0 .. c−1, so when both ranks fall among them the edge is selected
 * there, and every member (beyond e, which is beyond g) is among them too. The guess comes from
 * the previous call (a little wider than that call's bin); when it is not wide enough, or on the
 * first call, every name is used. The guess changes only the work, never the result.
 */
export class TailBin {
  private guess = NaN;
  private idx = new Int32Array(0);
  private val = new Float64Array(0);
  private buf = new Float64Array(0);
  /** The kept names' minimum and maximum, from the keep* passes. */
  private readonly range = new Float64Array(2);
  private readonly p: number;

  constructor(
    readonly quantiles: number,
    readonly top: boolean,
  ) {
    this.p = linspaceProbabilities(quantiles)[top ? quantiles - 1 : 1];
  }

  /** The bin's names, increasing columns. */
  members(signal: ArrayLike<number>, tradable: ArrayLike<number>): Int32Array {
    const m = signal.length;
    if (this.idx.length < m) {
      this.idx = new Int32Array(m);
      this.val = new Float64Array(m);
      this.buf = new Float64Array(m);
    }
    const first = this.scan(signal, tradable, this.guess);
    if (first !== undefined) return first;
    return this.scan(signal, tradable, NaN) ?? new Int32Array(0);
  }

  /** One pass with guess g (NaN: keep every name); undefined when g was not wide enough. */
  private scan(signal: ArrayLike<number>, tradable: ArrayLike<number>, g: number): Int32Array | undefined {
    const { idx, val, buf, top, range } = this;
    // The loops live in small functions of their own: inside this one, V8 compiled them on-stack
    // (OSR) before the rarer branches below had run, and that code was thrown away and re-entered
    // on every call (about a hundred deoptimisations a run, most of this method's time).
    const k = compactCandidates(signal, tradable, idx);
    const c =
      g !== g
        ? keepAll(signal, idx, k, val, buf, range)
        : top
          ? keepAbove(signal, idx, k, g, val, buf, range)
          : keepBelow(signal, idx, k, g, val, buf, range);
    const min = range[0],
      max = range[1];
    if (k === 0 || min === max) return new Int32Array(0);
    const v = (k - 1) * this.p;
    const offset = top ? k - c : 0; // ascending rank of the kept names' first
    let e: number;
    if (v >= k - 1 || v < 0) {
      // the edge is the maximum (or minimum) itself
      e = v < 0 ? min : max;
    } else {
      const lo = Math.floor(v);
      if (lo < offset || lo + 1 > offset + c - 1) return undefined;
      const a = selectKth(buf, c, lo - offset);
      const b = minOf(buf, lo - offset + 1, c);
      const s: Record<number, number> & { length: number } = { length: k };
      s[lo] = a;
      s[lo + 1] = b;
      e = numpyQuantileSorted(s, k, this.p);
    }
    const n = top ? filterAbove(idx, val, c, e) : filterAtMost(idx, val, c, e);
    this.nextGuess(k, n, c);
    return idx.slice(0, n);
  }

  /** A guess keeping about 1.5 times this bin (plus 16) next time, from the kept values (buf, permuted by the selection). */
  private nextGuess(k: number, members: number, c: number): void {
    const want = Math.min(k, Math.ceil(1.5 * members) + 16);
    if (want >= c) {
      if (c === k) this.guess = NaN;
      return;
    }
    // the top: the value just below the `want` largest kept; the bottom: just above the `want` smallest
    this.guess = this.top ? selectKth(this.buf, c, c - want - 1) : selectKth(this.buf, c, want);
  }
}

/**
 * The columns j with tradable[j] = 1 and a finite signal, increasing, into idx; returns their
 * count. Branch-free (the conditions are data-dependent, so branches would mispredict): every
 * column is written, the count advances past the kept ones only.
 */
function compactCandidates(signal: ArrayLike<number>, tradable: ArrayLike<number>, idx: Int32Array): number {
  const m = signal.length;
  let k = 0;
  for (let j = 0; j < m; j++) {
    const x = signal[j];
    idx[k] = j;
    k += tradable[j] & +(x - x === 0);
  }
  return k;
}

/** The signals of idx[0..k) into val and buf; range = [min, max] of them; returns k. */
function keepAll(signal: ArrayLike<number>, idx: Int32Array, k: number, val: Float64Array, buf: Float64Array, range: Float64Array): number {
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < k; i++) {
    const x = signal[idx[i]];
    val[i] = x;
    buf[i] = x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  range[0] = min;
  range[1] = max;
  return k;
}

/**
 * idx[0..k) compacted (in order) to the names with signal > g, their signals into val and buf;
 * range = [min, max] over all k names; returns the count kept.
 */
function keepAbove(
  signal: ArrayLike<number>,
  idx: Int32Array,
  k: number,
  g: number,
  val: Float64Array,
  buf: Float64Array,
  range: Float64Array,
): number {
  let c = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < k; i++) {
    const j = idx[i],
      x = signal[j];
    min = Math.min(min, x);
    max = Math.max(max, x);
    idx[c] = j;
    val[c] = x;
    buf[c] = x;
    c += +(x > g);
  }
  range[0] = min;
  range[1] = max;
  return c;
}

/** {@link keepAbove} with signal < g. */
function keepBelow(
  signal: ArrayLike<number>,
  idx: Int32Array,
  k: number,
  g: number,
  val: Float64Array,
  buf: Float64Array,
  range: Float64Array,
): number {
  let c = 0,
    min = Infinity,
    max = -Infinity;
  for (let i = 0; i < k; i++) {
    const j = idx[i],
      x = signal[j];
    min = Math.min(min, x);
    max = Math.max(max, x);
    idx[c] = j;
    val[c] = x;
    buf[c] = x;
    c += +(x < g);
  }
  range[0] = min;
  range[1] = max;
  return c;
}

/** idx[0..c) compacted (in order) to the names with val > e; returns their count. */
function filterAbove(idx: Int32Array, val: Float64Array, c: number, e: number): number {
  let n = 0;
  for (let i = 0; i < c; i++) if (val[i] > e) idx[n++] = idx[i];
  return n;
}

/** idx[0..c) compacted (in order) to the names with val ≤ e; returns their count. */
function filterAtMost(idx: Int32Array, val: Float64Array, c: number, e: number): number {
  let n = 0;
  for (let i = 0; i < c; i++) if (val[i] <= e) idx[n++] = idx[i];
  return n;
}

/** min of buf[from..to) (Infinity when empty). */
function minOf(buf: Float64Array, from: number, to: number): number {
  let b = Infinity;
  for (let i = from; i < to; i++) if (buf[i] < b) b = buf[i];
  return b;
}

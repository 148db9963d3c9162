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
import { checkInteger } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import { linspaceProbabilities, numpyQuantileSorted } from '../signals/quantiles.js';
import { quantileOfSorted } from '../stats/descriptive.js';
import type { Int32Slab } from './slab.js';

/**
 * The candidates of a signal row: the names j with tradable[j] = 1 and a finite signal s_j, in
 * increasing columns: `assets[0..count)` and `values[i] = s_{assets[i]}` beside them.
 */
export interface Candidates {
  count: number;
  assets: Int32Array;
  values: Float64Array;
}

/** A candidates buffer for m assets. */
export function candidatesBuffer(m: number): Candidates {
  // a public helper: 1.5 or -1 was the typed array's own RangeError (exit 1, a fault of factorlab)
  checkInteger('m', m, 0, Infinity, 'a whole number of assets >= 0');
  return { count: 0, assets: new Int32Array(m), values: new Float64Array(m) };
}

/**
 * Compacts a signal row by a tradable row: the names j with tradable[j] = 1 and a finite signal,
 * increasing, with their signals, into `out` (which must hold one entry per asset); returns out.
 */
export function compactCandidates(signal: ArrayLike<number>, tradable: ArrayLike<number>, out: Candidates): Candidates {
  out.count = compactInto(signal, tradable, out.assets, out.values);
  return out;
}

function compactInto(signal: ArrayLike<number>, tradable: ArrayLike<number>, assets: Int32Array, values: Float64Array): number {
  const m = signal.length;
  let k = 0;
  // branch-free (the conditions are data-dependent): every column is written, k advances past the kept ones
  for (let j = 0; j < m; j++) {
    const x = signal[j];
    assets[k] = j;
    values[k] = x;
    k += tradable[j] & +(x - x === 0);
  }
  return k;
}

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
  // a public helper: quantiles 2.5 labelled names 1..3 and 0 or NaN labelled every name 1; a member
  // without a finite signal, or a column past the signal, was sorted in as NaN and moved the edges:
  // labels, silently
  checkInteger('quantiles', quantiles, 1);
  const n = idx.length;
  for (let i = 0; i < n; i++) {
    const j = idx[i];
    if (!(Number.isInteger(j) && j >= 0 && j < signal.length))
      throw new InputError(`idx[${i}] is ${j}, expected a column of the signal (a whole number in 0..${signal.length - 1})`, {
        options: ['idx'],
      });
    if (!Number.isFinite(signal[j]))
      throw new InputError(`the signal of member idx[${i}] (column ${j}) is ${signal[j]}, expected a finite number`, {
        hint: 'leave names without a signal out of idx (rankedCandidates does)',
      });
  }
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
  return interpolateAt(a, b, lo, n, p);
}

/** The two order statistics at ascending ranks lo and lo + 1 (of n values), in a reused pair. */
const orderPair = new Float64Array(2);

/**
 * numpy.quantile(x, p) (linear) of n values from their order statistics a (rank lo) and b (rank
 * lo + 1), lo = floor((n − 1)·p) inside 0..n − 2: `quantileOfSorted`'s arithmetic (the one
 * definition), reading the pair as the sorted values' positions lo and lo + 1.
 */
function interpolateAt(a: number, b: number, lo: number, n: number, p: number): number {
  orderPair[0] = a;
  orderPair[1] = b;
  return quantileOfSorted(orderPair, -lo, n, p);
}

/**
 * The names of one qcut quantile without labelling every name: label(x) = q exactly when
 * e_{q−1} < x (q ≥ 2) and x ≤ e_q (q ≤ Q − 1), with e_k the numpy quantile at k/Q (linspace) of
 * the candidates' signals: the same set as {@link qcutLabels} (tested), in O(n), increasing.
 * `scratch` must hold at least `c.count` values.
 */
export function qcutMembers(c: Candidates, quantiles: number, q: number, scratch: Float64Array, slab?: Int32Slab): Int32Array {
  const count = c.count,
    values = c.values,
    assets = c.assets;
  if (count === 0) return new Int32Array(0);
  let min = Infinity,
    max = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = values[i];
    scratch[i] = x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min === max) return new Int32Array(0);
  const p = linspaceProbabilities(quantiles);
  const lower = q >= 2 ? quantileBySelection(scratch, count, p[q - 1]) : -Infinity;
  const upper = q <= quantiles - 1 ? quantileBySelection(scratch, count, p[q]) : Infinity;
  let n = 0;
  for (let i = 0; i < count; i++) {
    const x = values[i];
    n += +((q < 2 || lower < x) && (q > quantiles - 1 || x <= upper));
  }
  const out = slab === undefined ? new Int32Array(n) : slab.take(n);
  for (let i = 0, k = 0; i < count; i++) {
    const x = values[i];
    if ((q < 2 || lower < x) && (q > quantiles - 1 || x <= upper)) out[k++] = assets[i];
  }
  return out;
}

/**
 * The first `n` names of the ranking {@link rankedCandidates} gives (signal descending, ties by
 * column) among the candidates, as a set in increasing columns, in O(count): the n-th largest
 * value v by selection; every name above v, and the names equal to v in column order until there
 * are n. `scratch` must hold `c.count` values.
 */
export function topOfCandidates(c: Candidates, n: number, scratch: Float64Array, slab?: Int32Slab): Int32Array {
  const count = c.count,
    values = c.values,
    assets = c.assets;
  const take = (k: number): Int32Array => (slab === undefined ? new Int32Array(k) : slab.take(k));
  if (n >= count) {
    const all = take(count);
    all.set(assets.subarray(0, count));
    return all;
  }
  for (let i = 0; i < count; i++) scratch[i] = values[i];
  const v = selectKth(scratch, count, count - n);
  let above = 0;
  for (let i = 0; i < count; i++) above += +(values[i] > v);
  const out = take(n);
  let k = 0,
    ties = n - above;
  for (let i = 0; i < count; i++) {
    const x = values[i];
    if (x > v || (x === v && ties-- > 0)) out[k++] = assets[i];
  }
  return out;
}

/**
 * {@link topOfCandidates} of the names `idx[0..count)` (finite signals, increasing columns): the
 * first `n` of the ranking, as a set (increasing columns). `scratch` must hold `count` values.
 */
export function topByValue(signal: ArrayLike<number>, idx: ArrayLike<number>, count: number, n: number, scratch: Float64Array): number[] {
  // a public helper: a negative n was a typed array's RangeError (exit 1), a count past idx read
  // undefined columns, a short scratch picked the wrong names ([0, 0] for the top 2 of [1, 3, 2])
  checkInteger('count', count, 0, idx.length, `a whole number in 0..${idx.length} (the names of idx to rank)`);
  checkInteger('n', n, 1, Infinity, 'a whole number of names >= 1');
  if (!(scratch instanceof Float64Array) || scratch.length < count)
    throw new InputError(
      `scratch must be a Float64Array of at least count (${count}) values, got ${scratch instanceof Float64Array ? `${scratch.length}` : 'another type'}`,
    );
  const c = candidatesBuffer(count);
  for (let i = 0; i < count; i++) {
    c.assets[i] = idx[i];
    c.values[i] = signal[idx[i]];
  }
  c.count = count;
  return Array.from(topOfCandidates(c, n, scratch));
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
  private readonly kc = new Int32Array(2);
  private readonly p: number;

  constructor(
    readonly quantiles: number,
    readonly top: boolean,
  ) {
    this.p = linspaceProbabilities(quantiles)[top ? quantiles - 1 : 1];
  }

  /** The bin's names among the tradable names with a finite signal, increasing columns. */
  members(signal: ArrayLike<number>, tradable: ArrayLike<number>): Int32Array {
    return this.select(compactCandidates(signal, tradable, candidatesBuffer(signal.length)));
  }

  /** The bin's names among the candidates, increasing columns (a new array, or a view from `slab`). */
  select(c: Candidates, slab?: Int32Slab): Int32Array {
    const m = c.assets.length; // the buffer's room: sized once, not to each row's count
    if (this.idx.length < c.count) {
      this.idx = new Int32Array(m);
      this.val = new Float64Array(m);
      this.buf = new Float64Array(m);
    }
    // No candidates (e.g. the rows before a momentum lookback): no bin, and scan is not run (nor
    // compiled early on rows that would take only its first branch).
    if (c.count === 0) return slab === undefined ? new Int32Array(0) : slab.take(0);
    let n = this.scan(c, this.guess);
    if (n < 0) n = this.scan(c, NaN);
    const out = slab === undefined ? new Int32Array(n) : slab.take(n);
    out.set(this.idx.subarray(0, n));
    return out;
  }

  /**
   * {@link select} from a fused pass over the signal source (`keep`, e.g. momentum computed and
   * tested in the same loop: see {@link TailKeep}) instead of candidates: the candidates are never
   * written out and read again. The same names as `select` of the candidates (tested). `m`: the
   * number of assets (the buffers' room).
   */
  selectKept(keep: TailKeep, m: number, slab?: Int32Slab): Int32Array {
    if (this.idx.length < m) {
      this.idx = new Int32Array(m);
      this.val = new Float64Array(m);
      this.buf = new Float64Array(m);
    }
    const kc = this.kc;
    keep(this.guess, this.top, this.idx, this.val, this.buf, kc);
    let n = kc[0] === 0 ? 0 : this.edge(kc[0], kc[1]);
    if (n < 0) {
      keep(NaN, this.top, this.idx, this.val, this.buf, kc);
      n = this.edge(kc[0], kc[1]);
    }
    const out = slab === undefined ? new Int32Array(n) : slab.take(n);
    out.set(this.idx.subarray(0, n));
    return out;
  }

  /** One pass with guess g (NaN: keep every name): the bin's size n (its names in idx[0..n)), or −1 when g was not wide enough. */
  private scan(cands: Candidates, g: number): number {
    const { idx, val, buf, top } = this;
    const k = cands.count,
      assets = cands.assets,
      values = cands.values;
    // Each loop lives in a small function of its own that returns right after it: V8 compiles a
    // long loop on-stack (OSR) during its first call, before the code after it has run, and an
    // OSR'd function whose later code lacks type feedback deoptimises there on every call (the
    // cached OSR code is re-entered each time: about a hundred deoptimisations a run).
    const c =
      g !== g
        ? keepAll(assets, values, k, idx, val, buf)
        : top
          ? keepAbove(assets, values, k, g, idx, val, buf)
          : keepBelow(assets, values, k, g, idx, val, buf);
    return this.edge(k, c);
  }

  /**
   * The bin from the c names of k candidates kept beyond the guess (in idx, val and buf): its size
   * n (its names compacted in idx[0..n)), or −1 when the guess was not wide enough.
   */
  private edge(k: number, c: number): number {
    const { idx, val, buf, top } = this;
    if (k === 0) return 0;
    // Fewer than two distinct values: no bin. With 0 < c < k the guess split the values, so they
    // differ; with c = 0 the guess was not wide enough (the full scan decides).
    if (c === 0) return -1;
    if (c === k && minOf(val, 0, c) === maxOf(val, 0, c)) return 0;
    const v = (k - 1) * this.p;
    const offset = top ? k - c : 0; // ascending rank of the kept names' first
    let e: number;
    if (v >= k - 1 || v < 0) {
      // the edge is the maximum (or minimum) itself, which is among the kept names (beyond the guess)
      e = v < 0 ? minOf(val, 0, c) : maxOf(val, 0, c);
    } else {
      const lo = Math.floor(v);
      if (lo < offset || lo + 1 > offset + c - 1) return -1;
      const a = selectKth(buf, c, lo - offset);
      const b = minOf(buf, lo - offset + 1, c);
      e = interpolateAt(a, b, lo, k, this.p);
    }
    const n = top ? filterAbove(idx, val, c, e) : filterAtMost(idx, val, c, e);
    this.nextGuess(k, n, c);
    return n;
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
 * A fused pass for {@link TailBin.selectKept}: over the row's names in increasing columns, the
 * candidates (tradable, finite signal) are counted into res[0] = k, and those with signal x > g
 * (`top`) or x < g (bottom) — every candidate when g is NaN — are written in order to idx (column),
 * val and buf (x, twice), their count into res[1] = c. Exactly what {@link TailBin.select}'s pass
 * keeps from the row's candidates.
 */
export type TailKeep = (g: number, top: boolean, idx: Int32Array, val: Float64Array, buf: Float64Array, res: Int32Array) => void;

/** The k candidates into idx, val and buf; returns k. */
function keepAll(assets: Int32Array, values: Float64Array, k: number, idx: Int32Array, val: Float64Array, buf: Float64Array): number {
  for (let i = 0; i < k; i++) {
    const x = values[i];
    idx[i] = assets[i];
    val[i] = x;
    buf[i] = x;
  }
  return k;
}

/** The candidates with value > g, in order, into idx, val and buf; returns their count. */
function keepAbove(
  assets: Int32Array,
  values: Float64Array,
  k: number,
  g: number,
  idx: Int32Array,
  val: Float64Array,
  buf: Float64Array,
): number {
  let c = 0;
  // branch-free: every candidate is written, c advances past the kept ones
  for (let i = 0; i < k; i++) {
    const x = values[i];
    idx[c] = assets[i];
    val[c] = x;
    buf[c] = x;
    c += +(x > g);
  }
  return c;
}

/** {@link keepAbove} with value < g. */
function keepBelow(
  assets: Int32Array,
  values: Float64Array,
  k: number,
  g: number,
  idx: Int32Array,
  val: Float64Array,
  buf: Float64Array,
): number {
  let c = 0;
  for (let i = 0; i < k; i++) {
    const x = values[i];
    idx[c] = assets[i];
    val[c] = x;
    buf[c] = x;
    c += +(x < g);
  }
  return c;
}

/** idx[0..c) compacted (in order) to the names with val > e; returns their count. */
function filterAbove(idx: Int32Array, val: Float64Array, c: number, e: number): number {
  let n = 0;
  // branch-free: about a quarter of the kept names fall below the edge, in no order a branch predicts
  for (let i = 0; i < c; i++) {
    idx[n] = idx[i];
    n += +(val[i] > e);
  }
  return n;
}

/** idx[0..c) compacted (in order) to the names with val ≤ e; returns their count. */
function filterAtMost(idx: Int32Array, val: Float64Array, c: number, e: number): number {
  let n = 0;
  for (let i = 0; i < c; i++) {
    idx[n] = idx[i];
    n += +(val[i] <= e);
  }
  return n;
}

/** min of buf[from..to) (Infinity when empty). */
function minOf(buf: Float64Array, from: number, to: number): number {
  let b = Infinity;
  for (let i = from; i < to; i++) if (buf[i] < b) b = buf[i];
  return b;
}

/** max of buf[from..to) (−Infinity when empty). */
function maxOf(buf: Float64Array, from: number, to: number): number {
  let b = -Infinity;
  for (let i = from; i < to; i++) if (buf[i] > b) b = buf[i];
  return b;
}

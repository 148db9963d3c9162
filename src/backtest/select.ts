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
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three to buf[mid]
    if (buf[mid] < buf[lo]) swap(buf, mid, lo);
    if (buf[hi] < buf[lo]) swap(buf, hi, lo);
    if (buf[hi] < buf[mid]) swap(buf, hi, mid);
    const pivot = buf[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (buf[i] < pivot) i++;
      while (buf[j] > pivot) j--;
      if (i <= j) { swap(buf, i, j); i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k];
  }
  return buf[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]; a[i] = a[j]; a[j] = t;
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
export function qcutMembers(signal: ArrayLike<number>, idx: ArrayLike<number>, count: number, quantiles: number, q: number, scratch: Float64Array): number[] {
  const out: number[] = [];
  if (count === 0) return out;
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < count; i++) { const x = signal[idx[i]]; scratch[i] = x; if (x < min) min = x; if (x > max) max = x; }
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

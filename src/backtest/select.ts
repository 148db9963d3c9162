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
import { linspaceProbabilities, numpyQuantileSorted } from '../signals/index.js';

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

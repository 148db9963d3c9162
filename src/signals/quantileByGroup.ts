/**
 * Mean forward return by quantile within each group, and group-demeaned quantile returns
 * (alphalens `mean_return_by_quantile(by_group=True)` and `demeaned` with `group_adjust=True`).
 *
 * With labels ℓ_j(t) ∈ 1..Q (0 = none), groups g_j(t) (−1 = none) and forward returns r_j(t):
 *
 *   m_gq(t) = mean of r_j(t) over the assets j with ℓ_j(t) = q, g_j(t) = g and r_j(t) finite
 *             (NaN when there is none)
 *   mean_gq = mean over the dates with a finite m_gq(t) (the mean of per-date means, as the
 *             ungrouped quantile means); n_gq those dates; stdError_gq = std(m_gq(·), ddof 1) / √n_gq
 *
 * Group-demeaned: d_j(t) = r_j(t) − ḡ(t), ḡ(t) the mean of r over the labelled assets of j's group
 * on date t (finite r only); then per date and quantile the mean of d over the quantile's labelled
 * assets with a group, and over dates as above. Assets without a group are left out of both.
 */
import type { Panel } from '../core/panel.js';
import { InputError } from '../core/errors.js';
import type { GroupCodes } from './groups.js';
import type { QuantileLabels } from './quantiles.js';

export interface QuantileByGroup {
  groups: string[];
  quantiles: number;
  /** meanOverDates[g][q − 1]; NaN when no date has that cell. */
  meanOverDates: number[][];
  stdError: number[][];
  /** Dates with a finite per-date mean, [g][q − 1]. */
  dates: number[][];
  /** Group-demeaned returns by quantile (over every group). */
  groupDemeaned: { perDate: Float64Array[]; meanOverDates: number[]; stdError: number[]; dates: number[] };
}

/** Over-date mean and standard error of the finite values of a per-date series (two passes, exact). */
function seriesMean(x: Float64Array): { mean: number; se: number; n: number } {
  let s = 0,
    n = 0;
  for (const v of x)
    if (v === v) {
      s += v;
      n++;
    }
  if (n === 0) return { mean: NaN, se: NaN, n };
  const mean = s / n;
  let ss = 0;
  for (const v of x) if (v === v) ss += (v - mean) * (v - mean);
  return { mean, se: n > 1 ? Math.sqrt(ss / (n - 1) / n) : NaN, n };
}

/** See the module comment. `labels`, `forward` and `groups.codes` share one dates × assets grid. */
export function quantileByGroup(labels: QuantileLabels, forward: Panel, groups: GroupCodes): QuantileByGroup {
  const nd = labels.dates.length,
    m = labels.assets.length,
    Q = labels.quantiles,
    G = groups.names.length;
  if (labels.labels.length !== nd * m) throw new InputError(`labels hold ${labels.labels.length} cells for ${nd} dates x ${m} assets`);
  if (forward.nDates !== nd || forward.nAssets !== m)
    throw new InputError(`forward returns are ${forward.nDates} x ${forward.nAssets}, the labels ${nd} x ${m}`);
  if (groups.codes.length !== nd * m) throw new InputError(`group codes hold ${groups.codes.length} cells, the labels ${nd * m}`);
  const L = labels.labels,
    C = groups.codes,
    R = forward.values;
  const perDate = Array.from({ length: G * Q }, () => new Float64Array(nd).fill(NaN));
  const demeaned = Array.from({ length: Q }, () => new Float64Array(nd).fill(NaN));
  const cellSum = new Float64Array(G * Q),
    cellN = new Int32Array(G * Q);
  const gSum = new Float64Array(G),
    gN = new Int32Array(G);
  const dSum = new Float64Array(Q),
    dN = new Int32Array(Q);
  for (let t = 0; t < nd; t++) {
    cellSum.fill(0);
    cellN.fill(0);
    gSum.fill(0);
    gN.fill(0);
    dSum.fill(0);
    dN.fill(0);
    const o = t * m;
    for (let j = 0; j < m; j++) {
      const q = L[o + j],
        g = C[o + j],
        r = R[o + j];
      if (q < 1 || g < 0 || r !== r) continue;
      cellSum[g * Q + q - 1] += r;
      cellN[g * Q + q - 1]++;
      gSum[g] += r;
      gN[g]++;
    }
    for (let c = 0; c < G * Q; c++) if (cellN[c] > 0) perDate[c][t] = cellSum[c] / cellN[c];
    for (let j = 0; j < m; j++) {
      const q = L[o + j],
        g = C[o + j],
        r = R[o + j];
      if (q < 1 || g < 0 || r !== r) continue;
      dSum[q - 1] += r - gSum[g] / gN[g];
      dN[q - 1]++;
    }
    for (let q = 0; q < Q; q++) if (dN[q] > 0) demeaned[q][t] = dSum[q] / dN[q];
  }
  const meanOverDates: number[][] = [],
    stdError: number[][] = [],
    dates: number[][] = [];
  for (let g = 0; g < G; g++) {
    meanOverDates.push([]);
    stdError.push([]);
    dates.push([]);
    for (let q = 0; q < Q; q++) {
      const s = seriesMean(perDate[g * Q + q]);
      meanOverDates[g].push(s.mean);
      stdError[g].push(s.se);
      dates[g].push(s.n);
    }
  }
  const dm = demeaned.map(seriesMean);
  return {
    groups: groups.names.slice(),
    quantiles: Q,
    meanOverDates,
    stdError,
    dates,
    groupDemeaned: { perDate: demeaned, meanOverDates: dm.map((s) => s.mean), stdError: dm.map((s) => s.se), dates: dm.map((s) => s.n) },
  };
}

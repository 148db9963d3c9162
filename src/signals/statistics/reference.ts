/**
 * Plain helpers of the statistics' reference implementations (statistic.ts `reference`): the
 * definitions written the obvious way, with no shared scratch, no fused passes and no tricks, so
 * that each fast route can be checked against them (registry.test.ts). Slow on purpose.
 */
import type { Panel } from '../../core/panel.js';

/** The complete pairs (factor row t, return row u): both values non-NaN, in asset order, with their asset indices. */
export function completePairs(factor: Panel, forward: Panel, t: number, u = t): { x: number[]; y: number[]; j: number[] } {
  const m = factor.nAssets,
    x: number[] = [],
    y: number[] = [],
    j: number[] = [];
  if (u >= forward.nDates) return { x, y, j };
  for (let k = 0; k < m; k++) {
    const a = factor.values[t * m + k],
      b = forward.values[u * m + k];
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      x.push(a);
      y.push(b);
      j.push(k);
    }
  }
  return { x, y, j };
}

export function mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

/** Pearson correlation, two passes about the means; NaN below 2 values or with a constant side. */
export function pearsonPlain(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  const mx = mean(x),
    my = mean(y);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (!(sxx > 0) || !(syy > 0)) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Average ranks 1..n (ties share the mean of their positions), by sorting; NaN stays NaN and is not counted. */
export function averageRanksPlain(x: readonly number[]): number[] {
  const idx = x
    .map((_, i) => i)
    .filter((i) => !Number.isNaN(x[i]))
    .sort((a, b) => x[a] - x[b]);
  const r = x.map(() => NaN);
  for (let i = 0; i < idx.length;) {
    let k = i;
    while (k + 1 < idx.length && x[idx[k + 1]] === x[idx[i]]) k++;
    for (let q = i; q <= k; q++) r[idx[q]] = (i + k) / 2 + 1;
    i = k + 1;
  }
  return r;
}

/** Spearman correlation: Pearson of the average ranks. */
export function spearmanPlain(x: readonly number[], y: readonly number[]): number {
  return pearsonPlain(averageRanksPlain(x), averageRanksPlain(y));
}

/** A per-date array of n values, every one `fill`. */
export function filled(n: number, fill: number): Float64Array {
  return new Float64Array(n).fill(fill);
}

/** Solves the k × k system A z = b (row-major A) by Gaussian elimination with partial pivoting; null when singular. */
export function solveLinear(a: readonly number[], b: readonly number[], k: number): number[] | null {
  const M = a.slice(),
    z = b.slice();
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]) > Math.abs(M[p * k + c])) p = r;
    if (M[p * k + c] === 0) return null;
    if (p !== c) {
      for (let q = 0; q < k; q++) [M[c * k + q], M[p * k + q]] = [M[p * k + q], M[c * k + q]];
      [z[c], z[p]] = [z[p], z[c]];
    }
    for (let r = c + 1; r < k; r++) {
      const f = M[r * k + c] / M[c * k + c];
      for (let q = c; q < k; q++) M[r * k + q] -= f * M[c * k + q];
      z[r] -= f * z[c];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = z[c];
    for (let q = c + 1; q < k; q++) s -= M[c * k + q] * z[q];
    z[c] = s / M[c * k + c];
  }
  return z;
}

/**
 * Weighted least squares of y on the columns of X (n × k, row-major) by the normal equations
 * XᵀWX β = XᵀWy: the coefficients, the weighted residual sum of squares and (XᵀWX)⁻¹; null when
 * XᵀWX is singular.
 */
export function wlsPlain(
  X: readonly number[],
  y: readonly number[],
  w: readonly number[],
  n: number,
  k: number,
): { beta: number[]; ssr: number; inverse: number[] } | null {
  const A = new Array<number>(k * k).fill(0),
    b = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      b[p] += w[i] * X[i * k + p] * y[i];
      for (let q = 0; q < k; q++) A[p * k + q] += w[i] * X[i * k + p] * X[i * k + q];
    }
  }
  const beta = solveLinear(A, b, k);
  if (beta === null) return null;
  const inverse = new Array<number>(k * k);
  for (let q = 0; q < k; q++) {
    const col = solveLinear(
      A,
      Array.from({ length: k }, (_, p) => (p === q ? 1 : 0)),
      k,
    );
    if (col === null) return null;
    for (let p = 0; p < k; p++) inverse[p * k + q] = col[p];
  }
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let p = 0; p < k; p++) fit += X[i * k + p] * beta[p];
    ssr += w[i] * (y[i] - fit) ** 2;
  }
  return { beta, ssr, inverse };
}

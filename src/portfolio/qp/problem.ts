/**
 * The quadratic program the engine solves, and the structures it exploits:
 *
 *   minimise ½·xᵀPx + qᵀx   subject to   l ≤ Ax ≤ u
 *
 * with P symmetric positive semi-definite and l_i = −∞ / u_i = +∞ allowed (l_i = u_i is an
 * equality). P comes either dense (small problems, tests) or in factor form
 * P = diag(d) + L·Lᵀ with L of n × r (a factor risk model B·F·Bᵀ + D is this with L = B·F^½),
 * so that no n × n matrix is ever formed. Rows of A come either dense (budget, exposures, groups)
 * or sparse with one or two entries (bounds, turnover pairs); see constraints.ts.
 */

/** P = `matrix` (row-major n × n, symmetric PSD). */
export interface DenseHessian {
  kind: 'dense';
  n: number;
  matrix: Float64Array;
}

/** P = diag(`diagonal`) + L·Lᵀ with L = `loadings`, row-major n × `rank`. */
export interface FactorHessian {
  kind: 'factor';
  n: number;
  diagonal: Float64Array;
  rank: number;
  loadings: Float64Array;
}

export type Hessian = DenseHessian | FactorHessian;

/** A constraint row: dense over all n variables, or sparse (indices with their coefficients). */
export type ConstraintRow = { dense: Float64Array } | { index: readonly number[]; values: readonly number[] };

export interface QpProblem {
  hessian: Hessian;
  q: Float64Array;
  rows: readonly ConstraintRow[];
  lower: Float64Array;
  upper: Float64Array;
}

/** y = P·x. */
export function hessianTimes(h: Hessian, x: ArrayLike<number>, y: Float64Array): Float64Array {
  const n = h.n;
  if (h.kind === 'dense') {
    const m = h.matrix;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const r = i * n;
      for (let j = 0; j < n; j++) s += m[r + j] * x[j];
      y[i] = s;
    }
    return y;
  }
  const { diagonal: d, rank: k, loadings: l } = h;
  const t = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const r = i * k;
    for (let c = 0; c < k; c++) t[c] += l[r + c] * xi;
  }
  for (let i = 0; i < n; i++) {
    let s = d[i] * x[i];
    const r = i * k;
    for (let c = 0; c < k; c++) s += l[r + c] * t[c];
    y[i] = s;
  }
  return y;
}

/** The dense n × n form of P (tests and the dense path only). */
export function denseHessian(h: Hessian): Float64Array {
  if (h.kind === 'dense') return h.matrix;
  const n = h.n,
    k = h.rank,
    l = h.loadings;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = i === j ? h.diagonal[i] : 0;
      for (let c = 0; c < k; c++) s += l[i * k + c] * l[j * k + c];
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  }
  return m;
}

export function infNorm(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m) m = a;
  }
  return m;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Hierarchical risk parity (López de Prado, 2016; PyPortfolioOpt's `HRPOpt`): long-only weights
 * summing to 1 from a covariance matrix Σ alone, no inversion and no expected returns.
 *
 * 1. Distance: ρ_ij = Σ_ij / √(Σ_ii·Σ_jj), d_ij = √((1 − ρ_ij) / 2).
 * 2. Single-linkage clustering on d (scipy `linkage(squareform(d), 'single')`): the minimum
 *    spanning tree by Prim's algorithm from asset 0, its edges sorted by length (stable), merged in
 *    that order; each merge row (a, b, d, size) names the two clusters' ids with the smaller first,
 *    a new cluster n + k for the k-th merge, as scipy's linkage matrix.
 * 3. Quasi-diagonal order: the leaves of the tree in pre-order, left (a) before right (b) (scipy
 *    `to_tree(link).pre_order()`).
 * 4. Recursive bisection: the ordered list is split in halves (the first half ⌊len/2⌋ long) down to
 *    single names; at each split the two halves' variances V_1, V_2 under inverse-variance weights
 *    within each half (w ∝ 1/Σ_ii, V = wᵀΣw) give the first half α = 1 − V_1/(V_1 + V_2) of the
 *    parent's weight and the second 1 − α.
 *
 * Ties in the distances (two exactly equal correlations) may be merged in another order than
 * scipy's; with real data they do not occur. PyPortfolioOpt's `HRPOpt(returns)` uses the sample
 * covariance of the returns (pandas `returns.cov()`), `HRPOpt(cov_matrix=...)` the given one with
 * its correlation rounded to 6 decimals; this takes Σ as given, unrounded.
 */
import { InputError } from '../core/errors.js';

export interface HrpResult {
  /** Weights per asset (input order): ≥ 0, summing to 1. */
  weights: Float64Array;
  /** The quasi-diagonal order (asset indices). */
  order: Int32Array;
  /** scipy's linkage matrix, (n − 1) × 4 row-major: cluster a, cluster b, distance, size. */
  linkage: Float64Array;
}

/** Checks Σ (n × n, finite, symmetric, positive diagonal) and gives its distance matrix. */
function distances(cov: ArrayLike<number>, n: number, assets: readonly string[] | undefined): Float64Array {
  if (!(Number.isInteger(n) && n >= 1)) throw new InputError(`the covariance needs at least 1 asset, got ${n}`);
  if (cov.length !== n * n) throw new InputError(`the covariance has ${cov.length} values, expected ${n} × ${n}`);
  const name = (i: number): string => assets?.[i] ?? `asset ${i}`;
  for (let i = 0; i < n; i++) {
    const v = cov[i * n + i];
    if (!(v > 0 && Number.isFinite(v)))
      throw new InputError(`the variance of ${name(i)} is ${v}: hierarchical risk parity needs a positive variance for every asset`, {
        ...(assets ? { asset: name(i) } : {}),
        hint: 'leave out the names without returns (or with a constant price)',
      });
  }
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const c = cov[i * n + j];
      if (!Number.isFinite(c))
        throw new InputError(`the covariance of ${name(i)} and ${name(j)} is ${c}`, { hint: 'give a finite covariance' });
      if (j > i && Math.abs(c - cov[j * n + i]) > 1e-12 * Math.sqrt(cov[i * n + i] * cov[j * n + j]))
        throw new InputError(`the covariance is not symmetric at ${name(i)}, ${name(j)}: ${c} against ${cov[j * n + i]}`, {
          hint: 'give a symmetric covariance matrix',
        });
      const rho = c / Math.sqrt(cov[i * n + i] * cov[j * n + j]);
      d[i * n + j] = i === j ? 0 : Math.sqrt(Math.max(0, (1 - rho) / 2));
    }
  return d;
}

/** Single linkage as scipy computes it (module doc, step 2): the linkage matrix. */
export function singleLinkage(d: Float64Array, n: number): Float64Array {
  // Prim's algorithm from 0: each step joins the nearest node outside the tree (the first of equal ones)
  const inTree = new Uint8Array(n);
  const best = new Float64Array(n).fill(Infinity);
  const edges: { x: number; y: number; dist: number }[] = [];
  let x = 0;
  inTree[0] = 1;
  for (let k = 0; k < n - 1; k++) {
    let y = -1,
      dy = Infinity;
    for (let j = 0; j < n; j++) {
      if (inTree[j]) continue;
      const v = d[x * n + j];
      if (v < best[j]) best[j] = v;
      if (best[j] < dy) {
        dy = best[j];
        y = j;
      }
    }
    edges.push({ x, y, dist: dy });
    inTree[y] = 1;
    x = y;
  }
  edges.sort((a, b) => a.dist - b.dist); // stable (ES2019)
  // union-find over clusters, each merge a new id n + k
  const parent = new Int32Array(2 * n - 1).map((_, i) => i);
  const size = new Float64Array(2 * n - 1).fill(1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const z = new Float64Array((n - 1) * 4);
  edges.forEach((e, k) => {
    const a = find(e.x),
      b = find(e.y);
    const id = n + k;
    z[k * 4] = Math.min(a, b);
    z[k * 4 + 1] = Math.max(a, b);
    z[k * 4 + 2] = e.dist;
    size[id] = size[a] + size[b];
    z[k * 4 + 3] = size[id];
    parent[a] = id;
    parent[b] = id;
  });
  return z;
}

/** The leaves in pre-order, left child first (module doc, step 3). */
export function quasiDiagonalOrder(z: Float64Array, n: number): Int32Array {
  const order = new Int32Array(n);
  if (n === 1) return order;
  let k = 0;
  const stack = [2 * n - 2];
  while (stack.length > 0) {
    const c = stack.pop() as number;
    if (c < n) {
      order[k++] = c;
      continue;
    }
    const row = c - n;
    stack.push(z[row * 4 + 1], z[row * 4]); // right pushed first: the left is visited first
  }
  return order;
}

/** wᵀΣw with w ∝ 1/Σ_ii over `items` (module doc, step 4). */
function clusterVariance(cov: ArrayLike<number>, n: number, items: Int32Array): number {
  let s = 0;
  for (const i of items) s += 1 / cov[i * n + i];
  let v = 0;
  for (const i of items) {
    const wi = 1 / cov[i * n + i] / s;
    for (const j of items) v += wi * cov[i * n + j] * (1 / cov[j * n + j] / s);
  }
  return v;
}

/**
 * Hierarchical risk parity weights of a covariance matrix Σ (n × n, row-major; module doc).
 * `assets` only names them in errors.
 */
export function hierarchicalRiskParity(cov: ArrayLike<number>, n: number, assets?: readonly string[]): HrpResult {
  const d = distances(cov, n, assets);
  const linkage = singleLinkage(d, n);
  const order = quasiDiagonalOrder(linkage, n);
  const w = new Float64Array(n).fill(1);
  let clusters: Int32Array[] = [order];
  while (clusters.length > 0) {
    const next: Int32Array[] = [];
    for (const c of clusters) if (c.length > 1) next.push(c.subarray(0, c.length >> 1), c.subarray(c.length >> 1));
    for (let k = 0; k < next.length; k += 2) {
      const v1 = clusterVariance(cov, n, next[k]),
        v2 = clusterVariance(cov, n, next[k + 1]);
      const alpha = 1 - v1 / (v1 + v2);
      for (const i of next[k]) w[i] *= alpha;
      for (const i of next[k + 1]) w[i] *= 1 - alpha;
    }
    clusters = next;
  }
  return { weights: w, order, linkage };
}

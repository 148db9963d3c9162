import { checkInteger, checkLength, checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
/**
 * Small dense symmetric positive (semi-)definite kernels on row-major Float64Array (k up to ~50).
 *
 * `cholesky(A, k)` factors A = L·Lᵀ column by column (Cholesky–Crout) with a rank check instead of
 * pivoting. At column j the pivot is
 *     d_j = A_jj − Σ_{p<j} L_jp²,
 * which for a Gram matrix A = XᵀX is the residual sum of squares of column j regressed on the
 * earlier kept columns. Column j is
 *   - `zero`       when A_jj <= 0 (an all-zero column, or a constant one in a centred Gram), and
 *   - `collinear`  when d_j <= tol·A_jj, i.e. 1 − R²_j <= tol, R²_j being the R² of column j on the
 *                  earlier kept columns (variance inflation factor >= 1/tol).
 * Default tol = 1e-10: far above rounding (exactly dependent columns leave d_j/A_jj ≈ 1e-15), and
 * a column with VIF 1e10 would lose ~10 of 16 significant digits anyway. A flagged column gets a
 * zero row and column in L and is left out of solves (its solution component is 0 and its inverse
 * row/column NaN), so the rest is the fit of the reduced, full-rank system. Because the check runs
 * in column order, the column reported from a dependent set is the last one — the factor the user
 * added — rather than whichever a pivoting rule would pick.
 *
 * `choleskySolve` solves A·x = b with the factor; `choleskyInverse` forms A⁻¹ (k³ work) for the
 * kept columns. The rare eigen problem is in eigen.ts (ml-matrix), kept apart so that fits do not
 * load ml-matrix.
 */

export const DEFAULT_COLLINEAR_TOL = 1e-10;

export interface CholeskyFactor {
  readonly k: number;
  /** Lower-triangular factor, row-major k×k; dropped columns have zero rows and columns. */
  readonly l: Float64Array;
  /** 1 where the column was dropped (zero or collinear). */
  readonly dropped: Uint8Array;
  /** Columns with A_jj <= 0 (or excluded by the caller), ascending. */
  readonly zero: number[];
  /** Columns that are (numerically) linear combinations of earlier kept columns, ascending. */
  readonly collinear: number[];
  /** Number of kept columns. */
  readonly rank: number;
}

export interface CholeskyOptions {
  /** Relative pivot tolerance (see module doc). Default 1e-10. */
  tol?: number;
  /** Columns the caller already knows to drop (e.g. constant regressors): reported as `zero`. */
  exclude?: ArrayLike<number>;
  /** Output buffer for L (length >= k²), to avoid allocation in loops. */
  out?: Float64Array;
}

/** Cholesky factor of the symmetric k×k matrix `a` (only the lower triangle is read). */
export function cholesky(a: ArrayLike<number>, k: number, options: CholeskyOptions = {}): CholeskyFactor {
  checkOptionNames<CholeskyOptions>('cholesky options', options, { tol: true, exclude: true, out: true });
  checkInteger('k', k, 0, Infinity, 'a whole number of columns >= 0');
  checkLength('a', a.length, k * k, `a ${k} x ${k} matrix`);
  const tol = options.tol ?? DEFAULT_COLLINEAR_TOL;
  const l = options.out !== undefined && options.out.length >= k * k ? options.out : new Float64Array(k * k);
  l.fill(0, 0, k * k);
  const dropped = new Uint8Array(k);
  if (options.exclude !== undefined) for (let i = 0; i < options.exclude.length; i++) dropped[options.exclude[i]] = 2;
  const zero: number[] = [];
  const collinear: number[] = [];
  let rank = 0;
  for (let j = 0; j < k; j++) {
    const ajj = a[j * k + j];
    if (dropped[j] === 2 || !(ajj > 0)) {
      dropped[j] = 1;
      zero.push(j);
      continue;
    }
    let d = ajj;
    const rj = j * k;
    for (let p = 0; p < j; p++) d -= l[rj + p] * l[rj + p];
    if (!(d > tol * ajj)) {
      dropped[j] = 1;
      collinear.push(j);
      continue;
    }
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let s = a[ri + j];
      for (let p = 0; p < j; p++) s -= l[ri + p] * l[rj + p];
      l[ri + j] = s / ljj;
    }
    rank++;
  }
  return { k, l, dropped, zero, collinear, rank };
}

/** Solves A·x = b with the factor of A; dropped components of x are 0. Writes into `out`. */
export function choleskySolve(f: CholeskyFactor, b: ArrayLike<number>, out?: Float64Array): Float64Array {
  const { k, l, dropped } = f;
  checkLength('b', b.length, k, `one value per column of the ${k} x ${k} matrix`);
  const x = out ?? new Float64Array(k);
  // forward: L·z = b
  for (let i = 0; i < k; i++) {
    if (dropped[i]) {
      x[i] = 0;
      continue;
    }
    let s = b[i];
    const ri = i * k;
    for (let p = 0; p < i; p++) s -= l[ri + p] * x[p];
    x[i] = s / l[ri + i];
  }
  // backward: Lᵀ·x = z
  for (let i = k - 1; i >= 0; i--) {
    if (dropped[i]) {
      x[i] = 0;
      continue;
    }
    let s = x[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
    x[i] = s / l[i * k + i];
  }
  return x;
}

/**
 * Inverse of A from its factor: (Lᵀ)⁻¹·L⁻¹ on the kept columns, NaN in rows/columns of dropped
 * ones (the inverse of the reduced matrix, padded). Row-major k×k.
 */
export function choleskyInverse(f: CholeskyFactor, out?: Float64Array, scratch?: Float64Array): Float64Array {
  const { k } = f;
  const inv = out !== undefined && out.length >= k * k ? out : new Float64Array(k * k);
  // W = L⁻¹ (lower triangular) in a scratch buffer (`scratch`, length >= k², avoids an allocation)
  const w = scratch !== undefined && scratch.length >= k * k ? scratch : new Float64Array(k * k);
  invertLower(k, f.dropped, f.l, w, inv, NaN);
  return inv;
}

/**
 * The kernel of {@link choleskyInverse} on raw arrays: W = L⁻¹ on the kept columns (into `w`),
 * then A⁻¹ = Wᵀ·W, (A⁻¹)_ij = Σ_{p >= max(i,j)} W_pi·W_pj, into `inv`; rows and columns of
 * dropped columns get `droppedValue` (NaN to mark them, 0 so that products need no branch).
 */
export function invertLower(
  k: number,
  dropped: ArrayLike<number>,
  l: ArrayLike<number>,
  w: Float64Array,
  inv: Float64Array,
  droppedValue: number,
): void {
  w.fill(0, 0, k * k);
  for (let j = 0; j < k; j++) {
    if (dropped[j]) continue;
    w[j * k + j] = 1 / l[j * k + j];
    for (let i = j + 1; i < k; i++) {
      if (dropped[i]) continue;
      let s = 0;
      const ri = i * k;
      for (let p = j; p < i; p++) s -= l[ri + p] * w[p * k + j];
      w[ri + j] = s / l[ri + i];
    }
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = droppedValue;
      if (!dropped[i] && !dropped[j]) {
        s = 0;
        for (let p = i; p < k; p++) s += w[p * k + i] * w[p * k + j];
      }
      inv[i * k + j] = s;
      inv[j * k + i] = s;
    }
  }
}

/** Solves the SPD system A·x = b, throwing an InputError if A is rank deficient or not finite. */
export function solveSpd(a: ArrayLike<number>, k: number, b: ArrayLike<number>, tol = DEFAULT_COLLINEAR_TOL): Float64Array {
  const f = cholesky(a, k, { tol });
  if (f.rank < k) throw singular('solveSpd', a, k, f);
  return choleskySolve(f, b);
}

/** Inverse of the SPD matrix A, throwing an InputError if it is rank deficient or not finite. */
export function inverseSpd(a: ArrayLike<number>, k: number, tol = DEFAULT_COLLINEAR_TOL): Float64Array {
  const f = cholesky(a, k, { tol });
  if (f.rank < k) throw singular('inverseSpd', a, k, f);
  return choleskyInverse(f);
}

/**
 * The caller's matrix has no inverse: an InputError (it was a RangeError) naming the dropped
 * columns, or the first non-finite entry of the lower triangle (a NaN was called "singular").
 */
function singular(what: string, a: ArrayLike<number>, k: number, f: CholeskyFactor): InputError {
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++)
      if (!Number.isFinite(a[i * k + j]))
        return new InputError(`${what}: a[${i}, ${j}] is ${a[i * k + j]}: the matrix must be finite`, { options: ['a'] });
  return new InputError(
    `${what}: the matrix is singular (dropped columns ${[...f.zero, ...f.collinear].sort((p, q) => p - q).join(', ')})`,
    { hint: 'a symmetric positive definite matrix is needed: drop or combine the collinear columns' },
  );
}

/** C = Aᵀ·A for a row-major n×k matrix A (k×k, symmetric). */
export function gram(a: ArrayLike<number>, n: number, k: number, out?: Float64Array): Float64Array {
  checkInteger('n', n, 0, Infinity, 'a whole number of rows >= 0');
  checkInteger('k', k, 0, Infinity, 'a whole number of columns >= 0');
  checkLength('a', a.length, n * k, `${n} rows x ${k} columns`);
  const g = out ?? new Float64Array(k * k);
  g.fill(0, 0, k * k);
  for (let t = 0; t < n; t++) {
    const r = t * k;
    for (let i = 0; i < k; i++) {
      const v = a[r + i];
      if (v === 0) continue;
      for (let j = 0; j <= i; j++) g[i * k + j] += v * a[r + j];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) g[j * k + i] = g[i * k + j];
  return g;
}

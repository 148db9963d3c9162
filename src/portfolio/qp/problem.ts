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
import { checkInteger, describeValue } from '../../core/checks.js';
import { InputError } from '../../core/errors.js';

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

/**
 * The caller's problem, checked before any solver reads it (solveQp, HiGHS's formulation in
 * ../highs.ts, and the LP/MILP route's lpModel, which reads a built problem too: one definition,
 * so every engine refuses the same problems with the same words). An {@link InputError} naming
 * the part and the entry:
 *
 * - the Hessian: kind 'dense' or 'factor', n a whole number; a dense matrix of n × n finite values,
 *   symmetric (HiGHS reads only its lower triangle and OSQP the whole: an asymmetric one was two
 *   different problems, silently); a factor form's diagonal of n finite values >= 0 and loadings
 *   of n × rank finite values;
 * - q of n finite values;
 * - the rows and their bounds as {@link checkLinearRows} checks them.
 *
 * A NaN or ∞ entry ran to a NaN solution or a solver's "error" status; a bound of the wrong length
 * read past its end (undefined: no bound). O(size of the problem), once per solve.
 */
export function checkQpProblem(problem: QpProblem): void {
  if (typeof problem !== 'object' || problem === null)
    throw new InputError(`the QP problem must be an object, got ${describeValue(problem)}`);
  const h = problem.hessian as Hessian | undefined;
  if (typeof h !== 'object' || h === null || (h.kind !== 'dense' && h.kind !== 'factor'))
    throw new InputError(
      `QP hessian must be { kind: 'dense', n, matrix } or { kind: 'factor', n, diagonal, rank, loadings }, got ${typeof h === 'object' && h !== null ? `kind ${describeValue((h as { kind?: unknown }).kind)}` : describeValue(h)}`,
    );
  const n = checkInteger('QP hessian.n', h.n, 0, Infinity, 'a whole number of variables >= 0');
  if (h.kind === 'dense') {
    const m = checkFiniteValues('QP hessian.matrix', h.matrix, n * n, `n × n = ${n} × ${n}, row-major`);
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(m[i]));
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++)
        if (Math.abs(m[i * n + j] - m[j * n + i]) > 1e-9 * scale)
          throw new InputError(
            `QP hessian.matrix is not symmetric: entry (${i}, ${j}) is ${m[i * n + j]} and (${j}, ${i}) is ${m[j * n + i]}`,
            { hint: 'give P symmetric, e.g. (P + Pᵀ) / 2: the objective ½xᵀPx is the same' },
          );
  } else {
    const d = checkFiniteValues('QP hessian.diagonal', h.diagonal, n, 'one value per variable');
    for (let j = 0; j < n; j++)
      if (d[j] < 0)
        throw new InputError(`QP hessian.diagonal[${j}] is ${d[j]}: P = diag(d) + L·Lᵀ must be positive semi-definite (d >= 0)`);
    const r = checkInteger('QP hessian.rank', h.rank, 0, Infinity, 'a whole number of factors >= 0');
    checkFiniteValues('QP hessian.loadings', h.loadings, n * r, `n × rank = ${n} × ${r}, row-major`);
  }
  checkFiniteValues('QP q', problem.q, n, 'one value per variable');
  checkLinearRows('QP', n, problem.rows, problem.lower, problem.upper);
}

/**
 * `x` as an array (plain or typed) of exactly `length` finite numbers, returned; else an
 * {@link InputError} naming `name` (e.g. `QP q`, `LP cost`) and the first bad index. `what` says
 * what the values are (`one value per variable`).
 */
export function checkFiniteValues(name: string, x: unknown, length: number, what: string): ArrayLike<number> {
  if (!ArrayBuffer.isView(x) && !Array.isArray(x))
    throw new InputError(`${name} must be an array of numbers (${what}), got ${describeValue(x)}`);
  const v = x as ArrayLike<number>;
  if (v.length !== length) throw new InputError(`${name} has ${v.length} values, expected ${length} (${what})`);
  for (let i = 0; i < length; i++)
    if (typeof v[i] !== 'number' || !Number.isFinite(v[i]))
      throw new InputError(`${name}[${i}] is ${describeValue(v[i])}, expected a finite number`);
  return v;
}

/**
 * Linear rows over n variables and their bounds (`label` starts each message: `QP`, `LP`):
 *
 * - every row: dense of n finite values, or sparse with as many finite values as indices, each
 *   index a whole number in [0, n);
 * - lower and upper of one value per row, and each row's pair as {@link checkBoundPair} checks it.
 */
function checkLinearRows(label: string, n: number, rows: unknown, lower: unknown, upper: unknown): void {
  if (!Array.isArray(rows)) throw new InputError(`${label} rows must be an array of constraint rows, got ${describeValue(rows)}`);
  const m = rows.length;
  rows.forEach((row: unknown, i) => checkConstraintRow(`${label} rows[${i}]`, row, n));
  if (!ArrayBuffer.isView(lower) && !Array.isArray(lower))
    throw new InputError(`${label} lower must be an array of numbers (one bound per row), got ${describeValue(lower)}`);
  if (!ArrayBuffer.isView(upper) && !Array.isArray(upper))
    throw new InputError(`${label} upper must be an array of numbers (one bound per row), got ${describeValue(upper)}`);
  const lo = lower as ArrayLike<unknown>,
    up = upper as ArrayLike<unknown>;
  if (lo.length !== m || up.length !== m)
    throw new InputError(`${label} dimensions do not match: ${m} constraint rows but lower has ${lo.length} and upper ${up.length} values`);
  for (let i = 0; i < m; i++) checkBoundPair(`${label} row ${i}`, lo[i], up[i]);
}

/** One constraint row `name` (e.g. `QP rows[3]`): { dense } of n finite values, or { index, values } as {@link checkLinearRows} says. */
export function checkConstraintRow(name: string, row: unknown, n: number): void {
  if (typeof row !== 'object' || row === null)
    throw new InputError(`${name} must be { dense } or { index, values }, got ${describeValue(row)}`);
  if ('dense' in row) {
    checkFiniteValues(`${name}.dense`, row.dense, n, 'one coefficient per variable');
    return;
  }
  const index = (row as { index?: unknown }).index;
  if (!Array.isArray(index) && !ArrayBuffer.isView(index))
    throw new InputError(`${name} must be { dense } or { index, values }, got no index`);
  const idx = index as ArrayLike<number>;
  checkFiniteValues(`${name}.values`, (row as { values?: unknown }).values, idx.length, 'one coefficient per index');
  for (let p = 0; p < idx.length; p++)
    if (!(Number.isInteger(idx[p]) && idx[p] >= 0 && idx[p] < n))
      throw new InputError(`${name}.index[${p}] is ${describeValue(idx[p])}, expected a variable index in 0..${n - 1}`);
}

/**
 * The bounds of a row or (`of`) a variable (`name`: `QP row 3`, `LP extraCols[0]`): numbers, neither NaN,
 * lower <= upper, lower below +∞ and upper above −∞ (±∞ on the other side: one-sided).
 */
export function checkBoundPair(name: string, l: unknown, u: unknown, of: 'row' | 'variable' = 'row'): void {
  if (typeof l !== 'number' || typeof u !== 'number' || Number.isNaN(l) || Number.isNaN(u))
    throw new InputError(
      `${name}: lower bound ${describeValue(l)}, upper bound ${describeValue(u)}: each must be a number (−∞ / +∞ for none)`,
    );
  if (!(l <= u)) throw new InputError(`${name}: lower bound ${l} above upper bound ${u}`);
  if (l === Infinity || u === -Infinity)
    throw new InputError(
      `${name}: lower bound ${l}, upper bound ${u}: no value satisfies the ${of} (lower must be below +∞, upper above −∞)`,
    );
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

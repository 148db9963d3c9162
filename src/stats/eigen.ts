/**
 * Eigen-decomposition of small symmetric matrices, delegated to ml-matrix. Its own module so that
 * the hot paths (OLS, rolling OLS, penalised fits) never load ml-matrix at start-up.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkAllFinite, checkInteger, checkLength } from '../core/checks.js';

/** Eigen-decomposition of a symmetric k×k matrix: ascending eigenvalues, eigenvectors as columns (row-major k×k). */
export function symmetricEigen(a: ArrayLike<number>, k: number): { values: Float64Array; vectors: Float64Array } {
  checkInteger('k', k, 0, Infinity, 'a whole number of columns >= 0');
  checkLength('a', a.length, k * k, `a ${k} x ${k} matrix`);
  checkAllFinite('a', a, 'the matrix must be finite'); // a NaN was a TypeError deep inside ml-matrix
  const rows: number[][] = [];
  for (let i = 0; i < k; i++) {
    const r: number[] = [];
    for (let j = 0; j < k; j++) r.push(0.5 * (a[i * k + j] + a[j * k + i]));
    rows.push(r);
  }
  const e = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const order = vals.map((_, i) => i).sort((p, q) => vals[p] - vals[q]);
  const vec = e.eigenvectorMatrix;
  const values = new Float64Array(k);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    values[dst] = vals[src];
    for (let i = 0; i < k; i++) vectors[i * k + dst] = vec.get(i, src);
  });
  return { values, vectors };
}

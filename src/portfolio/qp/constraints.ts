/**
 * The constraint matrix A of a QP, split by structure: dense rows (budget, exposures, groups:
 * few rows over many variables) and sparse rows with one or two non-zeros (bounds on a variable,
 * the pair t_i ± w_i of a turnover constraint). The sparse rows' contribution AᵀRA to the linear
 * system is then block diagonal with blocks of size one or two (a variable alone, or a weight with
 * its turnover variable), which the factor-form solver inverts in O(n). A two-entry row whose
 * variables already sit in other blocks, or any row with more entries, is kept dense.
 *
 * `scale` multiplies each row by e_i (the row equilibration of the solver); bounds are scaled by
 * the caller.
 */
import type { ConstraintRow } from './problem.js';

export class ConstraintMatrix {
  readonly m: number;
  readonly n: number;
  /** Row ids (into the original order) of the dense rows, and their values (row-major). */
  readonly denseIds: Int32Array;
  readonly dense: Float64Array;
  /** Sparse rows (CSR over the sparse subset) with their original row ids. */
  readonly sparseIds: Int32Array;
  readonly sparseStart: Int32Array;
  readonly sparseIndex: Int32Array;
  readonly sparseValues: Float64Array;
  /** For every variable, its block partner (another variable) or −1. */
  readonly partner: Int32Array;

  constructor(rows: readonly ConstraintRow[], n: number) {
    this.m = rows.length;
    this.n = n;
    const partner = new Int32Array(n).fill(-1);
    const denseIds: number[] = [];
    const sparseIds: number[] = [];
    const sIndex: number[] = [];
    const sValues: number[] = [];
    const sStart: number[] = [0];
    const denseRows: Float64Array[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if ('dense' in row) {
        if (row.dense.length !== n) throw new Error(`constraint row ${i} has ${row.dense.length} entries for ${n} variables`);
        denseIds.push(i);
        denseRows.push(row.dense);
        continue;
      }
      const idx: number[] = [],
        val: number[] = [];
      for (let p = 0; p < row.index.length; p++) {
        const j = row.index[p];
        if (!(j >= 0 && j < n && Number.isInteger(j))) throw new Error(`constraint row ${i} refers to variable ${j} of ${n}`);
        if (row.values[p] !== 0) {
          idx.push(j);
          val.push(row.values[p]);
        }
      }
      let asSparse = idx.length <= 1;
      if (idx.length === 2) {
        const [a, b] = idx;
        if (a !== b && (partner[a] === b || (partner[a] === -1 && partner[b] === -1))) {
          partner[a] = b;
          partner[b] = a;
          asSparse = true;
        }
      }
      if (asSparse) {
        sparseIds.push(i);
        for (let p = 0; p < idx.length; p++) {
          sIndex.push(idx[p]);
          sValues.push(val[p]);
        }
        sStart.push(sIndex.length);
      } else {
        const d = new Float64Array(n);
        for (let p = 0; p < idx.length; p++) d[idx[p]] += val[p];
        denseIds.push(i);
        denseRows.push(d);
      }
    }
    this.denseIds = Int32Array.from(denseIds);
    this.dense = new Float64Array(denseIds.length * n);
    for (let r = 0; r < denseRows.length; r++) this.dense.set(denseRows[r], r * n);
    this.sparseIds = Int32Array.from(sparseIds);
    this.sparseStart = Int32Array.from(sStart);
    this.sparseIndex = Int32Array.from(sIndex);
    this.sparseValues = Float64Array.from(sValues);
    this.partner = partner;
  }

  /** The same matrix with row i multiplied by e[i]. */
  scaled(e: ArrayLike<number>): ConstraintMatrix {
    const c = Object.create(ConstraintMatrix.prototype) as ConstraintMatrix;
    const dense = Float64Array.from(this.dense);
    const n = this.n;
    for (let r = 0; r < this.denseIds.length; r++) {
      const f = e[this.denseIds[r]];
      for (let j = 0; j < n; j++) dense[r * n + j] *= f;
    }
    const values = Float64Array.from(this.sparseValues);
    for (let r = 0; r < this.sparseIds.length; r++) {
      const f = e[this.sparseIds[r]];
      for (let p = this.sparseStart[r]; p < this.sparseStart[r + 1]; p++) values[p] *= f;
    }
    Object.assign(c, { ...this, dense, sparseValues: values });
    return c;
  }

  /** ∞-norm of each row. */
  rowNorms(): Float64Array {
    const out = new Float64Array(this.m);
    const n = this.n;
    for (let r = 0; r < this.denseIds.length; r++) {
      let mx = 0;
      for (let j = 0; j < n; j++) mx = Math.max(mx, Math.abs(this.dense[r * n + j]));
      out[this.denseIds[r]] = mx;
    }
    for (let r = 0; r < this.sparseIds.length; r++) {
      let mx = 0;
      for (let p = this.sparseStart[r]; p < this.sparseStart[r + 1]; p++) mx = Math.max(mx, Math.abs(this.sparseValues[p]));
      out[this.sparseIds[r]] = mx;
    }
    return out;
  }

  /** out = A·x. */
  times(x: ArrayLike<number>, out: Float64Array): Float64Array {
    const n = this.n;
    for (let r = 0; r < this.denseIds.length; r++) {
      let s = 0;
      const o = r * n;
      for (let j = 0; j < n; j++) s += this.dense[o + j] * x[j];
      out[this.denseIds[r]] = s;
    }
    for (let r = 0; r < this.sparseIds.length; r++) {
      let s = 0;
      for (let p = this.sparseStart[r]; p < this.sparseStart[r + 1]; p++) s += this.sparseValues[p] * x[this.sparseIndex[p]];
      out[this.sparseIds[r]] = s;
    }
    return out;
  }

  /** out = Aᵀ·y. */
  transposeTimes(y: ArrayLike<number>, out: Float64Array): Float64Array {
    const n = this.n;
    out.fill(0);
    for (let r = 0; r < this.denseIds.length; r++) {
      const yr = y[this.denseIds[r]];
      if (yr === 0) continue;
      const o = r * n;
      for (let j = 0; j < n; j++) out[j] += this.dense[o + j] * yr;
    }
    for (let r = 0; r < this.sparseIds.length; r++) {
      const yr = y[this.sparseIds[r]];
      if (yr === 0) continue;
      for (let p = this.sparseStart[r]; p < this.sparseStart[r + 1]; p++) out[this.sparseIndex[p]] += this.sparseValues[p] * yr;
    }
    return out;
  }

  /** Row i as a dense vector (diagnostics, the dense path). */
  row(i: number): Float64Array {
    const out = new Float64Array(this.n);
    const dr = this.denseIds.indexOf(i);
    if (dr >= 0) {
      out.set(this.dense.subarray(dr * this.n, (dr + 1) * this.n));
      return out;
    }
    const sr = this.sparseIds.indexOf(i);
    for (let p = this.sparseStart[sr]; p < this.sparseStart[sr + 1]; p++) out[this.sparseIndex[p]] += this.sparseValues[p];
    return out;
  }
}

/**
 * The linear system of each ADMM step (Stellato et al. 2020, eq. 24, the reduced form):
 *
 *   M·x̃ = b   with   M = P + σI + Aᵀ·diag(ρ)·A
 *
 * M is positive definite for σ > 0. Two routes:
 *
 * - {@link DenseSystem}: M assembled n × n and Cholesky-factored, O(n³); small problems and tests.
 * - {@link FactorSystem}: P = diag(d) + L·Lᵀ and A = [dense rows A_d; one- or two-entry rows A_s]
 *   give M = K + U·C·Uᵀ with K = diag(d) + σI + A_sᵀ·diag(ρ_s)·A_s block diagonal (blocks of one
 *   or two variables), U = [L, A_dᵀ] of n × k and C = diag(1, …, 1, ρ_d). By the Woodbury identity
 *   M⁻¹ = K⁻¹ − K⁻¹U·S⁻¹·UᵀK⁻¹ with the k × k capacitance S = C⁻¹ + UᵀK⁻¹U, so a factorisation
 *   costs O(n·k²) and a solve O(n·k), k = factors + dense rows; no n × n matrix is formed. Dense
 *   rows with ρ_i = 0 (inactive rows while polishing) drop out of U.
 */
import type { ConstraintMatrix } from './constraints.js';
import type { Hessian } from './problem.js';
import { denseHessian } from './problem.js';

export interface LinearSystem {
  /** Factor M for these σ and ρ (length m). */
  factor(sigma: number, rho: Float64Array): void;
  /** out = M⁻¹·b. */
  solve(b: ArrayLike<number>, out: Float64Array): Float64Array;
}

/** In-place Cholesky of a symmetric positive definite k × k matrix (row-major; lower triangle
 * overwritten with L). Throws when a pivot is not positive. */
export function choleskyInPlace(a: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    const rj = j * k;
    let d = a[rj + j];
    for (let p = 0; p < j; p++) d -= a[rj + p] * a[rj + p];
    if (!(d > 0)) throw new Error(`matrix not positive definite at pivot ${j} (${d})`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let s = a[ri + j];
      for (let p = 0; p < j; p++) s -= a[ri + p] * a[rj + p];
      a[ri + j] = s / ljj;
    }
  }
}

/** Solves L·Lᵀ·x = b in place of `x` (x holds b on entry). */
export function choleskySolveInPlace(l: Float64Array, k: number, x: Float64Array): void {
  for (let i = 0; i < k; i++) {
    let s = x[i];
    const ri = i * k;
    for (let p = 0; p < i; p++) s -= l[ri + p] * x[p];
    x[i] = s / l[ri + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = x[i];
    for (let p = i + 1; p < k; p++) s -= l[p * k + i] * x[p];
    x[i] = s / l[i * k + i];
  }
}

export class DenseSystem implements LinearSystem {
  private readonly p: Float64Array;
  private l: Float64Array;
  constructor(
    hessian: Hessian,
    private readonly a: ConstraintMatrix,
  ) {
    this.p = denseHessian(hessian);
    this.l = new Float64Array(0);
  }

  factor(sigma: number, rho: Float64Array): void {
    const n = this.a.n;
    const m = Float64Array.from(this.p);
    for (let i = 0; i < n; i++) m[i * n + i] += sigma;
    for (let r = 0; r < this.a.m; r++) {
      if (rho[r] === 0) continue;
      const row = this.a.row(r);
      const nz: number[] = [];
      for (let j = 0; j < n; j++) if (row[j] !== 0) nz.push(j);
      for (const i of nz) for (const j of nz) m[i * n + j] += rho[r] * row[i] * row[j];
    }
    choleskyInPlace(m, n);
    this.l = m;
  }

  solve(b: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let i = 0; i < b.length; i++) out[i] = b[i];
    choleskySolveInPlace(this.l, this.a.n, out);
    return out;
  }
}

export class FactorSystem implements LinearSystem {
  private readonly n: number;
  /** Inverse of the block-diagonal K: entries (j, j) and (j, partner j). */
  private readonly kInvDiag: Float64Array;
  private readonly kInvOff: Float64Array;
  private k = 0;
  /** K⁻¹·U, row-major n × k. */
  private w = new Float64Array(0);
  private u = new Float64Array(0);
  private s = new Float64Array(0);
  private readonly tmpK: Float64Array;

  private head: Int32Array | null = null;
  private nextRow = new Int32Array(0);

  /** Linked lists of the sparse rows of each two-variable block, headed at its lower variable. */
  private blockRows(): Int32Array {
    if (this.head) return this.head;
    const a = this.a,
      n = this.n;
    const head = new Int32Array(n).fill(-1);
    const next = new Int32Array(a.sparseIds.length).fill(-1);
    for (let r = a.sparseIds.length - 1; r >= 0; r--) {
      const j = a.sparseIndex[a.sparseStart[r]];
      const q = a.partner[j];
      if (q < 0) continue;
      const lo = Math.min(j, q);
      next[r] = head[lo];
      head[lo] = r;
    }
    this.head = head;
    this.nextRow = next;
    return head;
  }

  /** Coefficients (α on variable lo, β on variable hi) of sparse row r. */
  private coefficients(r: number, lo: number, hi: number): [number, number] {
    const a = this.a;
    let al = 0,
      be = 0;
    for (let p = a.sparseStart[r]; p < a.sparseStart[r + 1]; p++) {
      if (a.sparseIndex[p] === lo) al += a.sparseValues[p];
      else if (a.sparseIndex[p] === hi) be += a.sparseValues[p];
    }
    return [al, be];
  }

  constructor(
    private readonly hessian: Hessian & { kind: 'factor' },
    private readonly a: ConstraintMatrix,
  ) {
    this.n = a.n;
    this.kInvDiag = new Float64Array(this.n);
    this.kInvOff = new Float64Array(this.n);
    this.tmpK = new Float64Array(hessian.rank + a.denseIds.length);
  }

  factor(sigma: number, rho: Float64Array): void {
    const n = this.n,
      a = this.a,
      h = this.hessian;
    // K: diagonal and the off-diagonal entry of each two-variable block. A block's inverse is
    // computed from det K = d1·d2 + d1·Σρβ² + d2·Σρα² + Σ_{r<s} ρ_r·ρ_s·(α_r·β_s − α_s·β_r)²
    // (Cauchy–Binet: every term ≥ 0), not from K11·K22 − K12², which cancels catastrophically when
    // ρ = 1/δ is large (polishing) and would stall the iterative refinement.
    const kd = new Float64Array(n),
      ko = new Float64Array(n),
      cross = new Float64Array(n);
    for (let j = 0; j < n; j++) kd[j] = h.diagonal[j] + sigma;
    const head = this.blockRows(),
      next = this.nextRow;
    for (let r = 0; r < a.sparseIds.length; r++) {
      const p0 = a.sparseStart[r],
        p1 = a.sparseStart[r + 1];
      const rr = rho[a.sparseIds[r]];
      if (rr === 0) continue;
      for (let p = p0; p < p1; p++) kd[a.sparseIndex[p]] += rr * a.sparseValues[p] * a.sparseValues[p];
      if (p1 - p0 === 2) {
        const v = rr * a.sparseValues[p0] * a.sparseValues[p0 + 1];
        ko[a.sparseIndex[p0]] += v;
        ko[a.sparseIndex[p0 + 1]] += v;
      }
    }
    for (let j = 0; j < n; j++) {
      const q = a.partner[j];
      if (q < j) continue;
      // Σ_{r<s} ρ_r ρ_s (α_r β_s − α_s β_r)² over the sparse rows of block (j, q).
      let c = 0;
      for (let r = head[j]; r >= 0; r = next[r]) {
        const rr = rho[a.sparseIds[r]];
        if (rr === 0) continue;
        const [ar, br] = this.coefficients(r, j, q);
        for (let s2 = next[r]; s2 >= 0; s2 = next[s2]) {
          const rs = rho[a.sparseIds[s2]];
          if (rs === 0) continue;
          const [as, bs] = this.coefficients(s2, j, q);
          const d = ar * bs - as * br;
          c += rr * rs * d * d;
        }
      }
      cross[j] = c;
    }
    for (let j = 0; j < n; j++) {
      const q = a.partner[j];
      if (q < 0) {
        this.kInvDiag[j] = 1 / kd[j];
        this.kInvOff[j] = 0;
        continue;
      }
      const lo = Math.min(j, q),
        hi = Math.max(j, q);
      const d1 = h.diagonal[lo] + sigma,
        d2 = h.diagonal[hi] + sigma;
      const saa = kd[lo] - d1,
        sbb = kd[hi] - d2;
      const det = d1 * d2 + d1 * sbb + d2 * saa + cross[lo];
      this.kInvDiag[j] = kd[q] / det;
      this.kInvOff[j] = -ko[j] / det;
    }
    // U = [L, A_dᵀ for rows with ρ > 0], C = diag(1, ρ_d).
    const r0 = h.rank;
    const active: number[] = [];
    for (let d = 0; d < a.denseIds.length; d++) if (rho[a.denseIds[d]] > 0) active.push(d);
    const k = r0 + active.length;
    this.k = k;
    const u = new Float64Array(n * k);
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < r0; c++) u[j * k + c] = h.loadings[j * r0 + c];
      for (let c = 0; c < active.length; c++) u[j * k + r0 + c] = a.dense[active[c] * n + j];
    }
    const w = new Float64Array(n * k);
    for (let j = 0; j < n; j++) {
      const q = a.partner[j];
      const dj = this.kInvDiag[j],
        oj = this.kInvOff[j];
      for (let c = 0; c < k; c++) w[j * k + c] = dj * u[j * k + c] + (q >= 0 ? oj * u[q * k + c] : 0);
    }
    const s = new Float64Array(k * k);
    for (let c = 0; c < r0; c++) s[c * k + c] = 1;
    for (let c = 0; c < active.length; c++) s[(r0 + c) * k + r0 + c] = 1 / rho[a.denseIds[active[c]]];
    for (let j = 0; j < n; j++) {
      const oj = j * k;
      for (let c1 = 0; c1 < k; c1++) {
        const uc = u[oj + c1];
        if (uc === 0) continue;
        const row = c1 * k;
        for (let c2 = 0; c2 <= c1; c2++) s[row + c2] += uc * w[oj + c2];
      }
    }
    for (let c1 = 0; c1 < k; c1++) for (let c2 = 0; c2 < c1; c2++) s[c2 * k + c1] = s[c1 * k + c2];
    choleskyInPlace(s, k);
    this.u = u;
    this.w = w;
    this.s = s;
    if (this.tmpK.length < k) throw new Error('capacitance larger than allocated');
  }

  solve(b: ArrayLike<number>, out: Float64Array): Float64Array {
    const n = this.n,
      k = this.k,
      a = this.a,
      u = this.u,
      w = this.w;
    // t = K⁻¹ b
    for (let j = 0; j < n; j++) {
      const q = a.partner[j];
      out[j] = this.kInvDiag[j] * b[j] + (q >= 0 ? this.kInvOff[j] * b[q] : 0);
    }
    if (k === 0) return out;
    const s = this.tmpK.subarray(0, k);
    s.fill(0);
    for (let j = 0; j < n; j++) {
      const t = out[j];
      if (t === 0) continue;
      const o = j * k;
      for (let c = 0; c < k; c++) s[c] += u[o + c] * t;
    }
    choleskySolveInPlace(this.s, k, s);
    for (let j = 0; j < n; j++) {
      const o = j * k;
      let v = 0;
      for (let c = 0; c < k; c++) v += w[o + c] * s[c];
      out[j] -= v;
    }
    return out;
  }
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { cholesky, choleskyInverse, choleskySolve, gram, inverseSpd, solveSpd } from './linalg.js';
import { symmetricEigen } from './eigen.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
function randomMatrix(n: number, k: number, seed: number): Float64Array {
  const r = lcg(seed);
  return Float64Array.from({ length: n * k }, r);
}
function toMatrix(a: ArrayLike<number>, n: number, k: number): Matrix {
  return new Matrix(Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, j) => a[i * k + j])));
}

describe('linalg', () => {
  it('hand-computed 2x2: [[4,2],[2,3]] = L·Lᵀ with L = [[2,0],[1,√2]]', () => {
    const f = cholesky([4, 2, 2, 3], 2);
    expect(Array.from(f.l)).toEqual([2, 0, 1, Math.SQRT2]);
    expect(f.rank).toBe(2);
    const sol = choleskySolve(f, [6, 5]); // 4+2 = 6, 2+3 = 5 → x = (1, 1)
    expect(sol[0]).toBeCloseTo(1, 14);
    expect(sol[1]).toBeCloseTo(1, 14);
    // inverse = 1/8·[[3,-2],[-2,4]]
    const inv = choleskyInverse(f);
    [3 / 8, -2 / 8, -2 / 8, 4 / 8].forEach((v, i) => expect(inv[i]).toBeCloseTo(v, 14));
  });

  it('agrees with ml-matrix on random SPD matrices', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const k = 1 + (seed % 9);
      const x = randomMatrix(3 * k + 5, k, seed);
      const a = gram(x, 3 * k + 5, k);
      const am = toMatrix(a, k, k);
      expect(am.isSymmetric()).toBe(true);
      const ref = new CholeskyDecomposition(am).lowerTriangularMatrix;
      const f = cholesky(a, k);
      expect(f.rank).toBe(k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(f.l[i * k + j]).toBeCloseTo(ref.get(i, j), 12);
      const b = randomMatrix(k, 1, seed + 100);
      const xs = solveSpd(a, k, b);
      const xr = new CholeskyDecomposition(am).solve(toMatrix(b, k, 1));
      for (let i = 0; i < k; i++) expect(xs[i]).toBeCloseTo(xr.get(i, 0), 10);
      const inv = inverseSpd(a, k);
      const ir = inverse(am);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(inv[i * k + j] / ir.get(i, j)).toBeCloseTo(1, 9);
    }
  });

  it('reports zero and collinear columns and solves the reduced system', () => {
    const n = 30;
    const base = randomMatrix(n, 3, 7);
    // columns: c0, c1, 0, c0 + 2·c1, c2
    const x = new Float64Array(n * 5);
    for (let t = 0; t < n; t++) {
      x[t * 5] = base[t * 3];
      x[t * 5 + 1] = base[t * 3 + 1];
      x[t * 5 + 2] = 0;
      x[t * 5 + 3] = base[t * 3] + 2 * base[t * 3 + 1];
      x[t * 5 + 4] = base[t * 3 + 2];
    }
    const a = gram(x, n, 5);
    const f = cholesky(a, 5);
    expect(f.zero).toEqual([2]);
    expect(f.collinear).toEqual([3]);
    expect(f.rank).toBe(3);
    expect(() => solveSpd(a, 5, [1, 1, 1, 1, 1])).toThrow(/dropped columns 2, 3/);
    // reduced solve equals the full-rank solve on columns 0, 1, 4
    const keep = [0, 1, 4];
    const ar = keep.flatMap((i) => keep.map((j) => a[i * 5 + j]));
    const b = [1, 2, 3, 4, 5];
    const xr = solveSpd(
      ar,
      3,
      keep.map((i) => b[i]),
    );
    const xf = choleskySolve(f, b);
    expect(xf[2]).toBe(0);
    expect(xf[3]).toBe(0);
    keep.forEach((c, i) => expect(xf[c]).toBeCloseTo(xr[i], 10));
    const inv = choleskyInverse(f);
    expect(inv[3 * 5 + 3]).toBeNaN();
    // excluded by the caller
    expect(cholesky(a, 5, { exclude: [0] }).zero).toEqual([0, 2]);
  });

  it('symmetric eigen: A·v = λ·v, ascending', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 1e6 }), (k, seed) => {
        const a = gram(randomMatrix(k + 3, k, seed), k + 3, k);
        const { values, vectors } = symmetricEigen(a, k);
        for (let c = 0; c < k; c++) {
          if (c > 0) expect(values[c]).toBeGreaterThanOrEqual(values[c - 1]);
          for (let i = 0; i < k; i++) {
            let av = 0;
            for (let j = 0; j < k; j++) av += a[i * k + j] * vectors[j * k + c];
            expect(av).toBeCloseTo(values[c] * vectors[i * k + c], 10);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

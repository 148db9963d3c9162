import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lnBeta, lnGamma, regularizedIncompleteBeta, stirlingError } from './specialFunctions.js';

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe('lnGamma', () => {
  it('matches factorials, Γ(½) = √π and Γ(n + ½) in closed form', () => {
    let f = 1;
    for (let n = 1; n <= 30; n++) {
      if (n > 1) f *= n - 1;
      expect(Math.abs(lnGamma(n) - Math.log(f))).toBeLessThan(2e-15 * Math.max(1, Math.log(f)));
    }
    expect(Math.abs(lnGamma(0.5) - 0.5 * Math.log(Math.PI))).toBeLessThan(1e-15);
    // Γ(10.5) = (19!!/2^10)·√π = 1133278.3889487855...
    expect(rel(lnGamma(10.5), Math.log(1133278.3889487856))).toBeLessThan(1e-15);
    expect(lnGamma(0)).toBe(Infinity);
    expect(lnGamma(-1)).toBeNaN();
  });

  it('satisfies ln Γ(x+1) = ln Γ(x) + ln x across the Lanczos / Stirling switch', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), (x) => {
        expect(Math.abs(lnGamma(x + 1) - lnGamma(x) - Math.log(x))).toBeLessThan(4e-15 * Math.max(1, Math.abs(lnGamma(x + 1))));
      }),
    );
    expect(stirlingError(10)).toBeCloseTo(lnGamma(10) - (9.5 * Math.log(10) - 10 + 0.5 * Math.log(2 * Math.PI)), 15);
  });
});

describe('lnBeta', () => {
  it('closed forms: B(a, 1) = 1/a, B(½, ½) = π, B(a, ½) ratio of gammas', () => {
    for (const a of [0.3, 1, 7, 12, 1e3, 5e6]) expect(Math.abs(lnBeta(a, 1) + Math.log(a))).toBeLessThan(4e-15 * Math.max(1, Math.log(a)));
    expect(Math.abs(lnBeta(0.5, 0.5) - Math.log(Math.PI))).toBeLessThan(1e-15);
    // B(n, ½) = 2^(2n) (n!)² / (n·(2n)!)... check n = 20 via lnGamma directly (all < 10 is Lanczos only)
    expect(Math.abs(lnBeta(20, 0.5) - (lnGamma(20) + lnGamma(0.5) - lnGamma(20.5)))).toBeLessThan(1e-14);
    expect(Math.abs(lnBeta(30, 40) - (lnGamma(30) + lnGamma(40) - lnGamma(70)))).toBeLessThan(1e-12);
  });

  it('large a, b = ½: B(a, ½)·√a → √π with ln(B(a,½)√a/√π) = 1/(8a) − 1/(192a³) + O(a⁻⁵)', () => {
    for (const a of [1e4, 1e6, 5e6]) {
      expect(Math.abs(lnBeta(a, 0.5) + 0.5 * Math.log(a) - 0.5 * Math.log(Math.PI) - (1 / (8 * a) - 1 / (192 * a * a * a)))).toBeLessThan(
        1e-15,
      );
    }
  });
});

describe('regularizedIncompleteBeta', () => {
  it('closed forms: I_x(a, 1) = x^a, I_x(1, b) = 1 − (1−x)^b, I_x(2, 2) = 3x² − 2x³', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (x, a) => {
        expect(rel(regularizedIncompleteBeta(x, a, 1), Math.pow(x, a))).toBeLessThan(1e-12);
        expect(rel(regularizedIncompleteBeta(x, 1, a), -Math.expm1(a * Math.log1p(-x)))).toBeLessThan(1e-12);
        expect(rel(regularizedIncompleteBeta(x, 2, 2), x * x * (3 - 2 * x))).toBeLessThan(1e-12);
      }),
    );
  });

  it('symmetry I_x(a, b) = 1 − I_{1−x}(b, a), bounds and monotonicity', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        fc.double({ min: 0.2, max: 200, noNaN: true }),
        (x, a, b) => {
          const i = regularizedIncompleteBeta(x, a, b);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(i).toBeLessThanOrEqual(1);
          expect(i + regularizedIncompleteBeta(1 - x, b, a)).toBeCloseTo(1, 13);
          expect(regularizedIncompleteBeta(Math.min(1, x + 1e-3), a, b)).toBeGreaterThanOrEqual(i);
        },
      ),
    );
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(0.5, 3, 3)).toBeCloseTo(0.5, 15);
    expect(regularizedIncompleteBeta(1.5, 2, 3)).toBeNaN();
  });
});

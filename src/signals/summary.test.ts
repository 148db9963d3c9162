import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../core/errors.js';
import { summarizeSeries } from './summary.js';

describe('summarizeSeries', () => {
  it('a bad horizon, lag count or periods per year is an InputError naming the option (it was a RangeError)', () => {
    for (const [options, name] of [
      [{ horizon: 0 }, 'horizon'],
      [{ horizon: 1.5 }, 'horizon'],
      [{ lags: -1 }, 'lags'],
      [{ periodsPerYear: 0 }, 'periodsPerYear'],
      [{ periodsPerYear: Infinity }, 'periodsPerYear'],
    ] as const) {
      let caught: unknown;
      try {
        summarizeSeries([0.1, 0.2, 0.3], options);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).message).toContain(name);
    }
  });

  it('matches hand-computed values (and scipy: ttest_1samp, skew, kurtosis, statsmodels HAC)', () => {
    const x = [0.01, NaN, 0.05, -0.02, 0.04];
    const s = summarizeSeries(x, { horizon: 1, periodsPerYear: 252 });
    expect(s.n).toBe(4);
    expect(s.mean).toBeCloseTo(0.02, 15);
    expect(s.std).toBeCloseTo(Math.sqrt(0.001), 15); // Σd² = 0.003, ddof 1
    expect(s.ir).toBeCloseTo(0.02 / Math.sqrt(0.001), 12);
    expect(s.irAnnualized).toBeCloseTo((0.02 / Math.sqrt(0.001)) * Math.sqrt(252), 10);
    expect(s.tStat).toBeCloseTo(1.264911064067352, 12);
    expect(s.pValue).toBeCloseTo(0.29522893659953103, 12);
    expect(s.skew).toBeCloseTo(-0.36514837167011116, 12);
    expect(s.kurtosis).toBeCloseTo(-1.4266666666666663, 12);
    expect(s.tStatNW).toBeCloseTo(3.02371578, 7); // statsmodels OLS(x, 1) HAC maxlags=1, use_t
    expect(s.pValueNW).toBeCloseTo(0.05659209, 7);
    expect(s.nwLags).toBe(1);
    expect(s.sharePositive).toBe(0.75);
    expect(s.shareAboveThreshold).toBe(0.5);
    expect(s.meanAbs).toBeCloseTo(0.03, 15);
  });

  it('annualises with sqrt(P / h) and uses lags h for Newey-West by default', () => {
    const x = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 0.05 + 0.01);
    const s = summarizeSeries(x, { horizon: 5, periodsPerYear: 12 });
    expect(s.irAnnualized).toBeCloseTo(s.ir * Math.sqrt(12 / 5), 12);
    expect(s.nwLags).toBe(5);
    // Newey-West by brute force: S = Σu² + 2 Σ_l (1 − l/(L+1)) Σ u_t u_{t−l}
    const u = x.map((v) => v - s.mean);
    let S = u.reduce((a, b) => a + b * b, 0);
    for (let l = 1; l <= 5; l++) {
      let c = 0;
      for (let t = l; t < u.length; t++) c += u[t] * u[t - l];
      S += 2 * (1 - l / 6) * c;
    }
    expect(s.tStatNW).toBeCloseTo(s.mean / (Math.sqrt(S) / u.length), 10);
  });

  it('is NaN, not 0, when undefined', () => {
    const s = summarizeSeries([NaN, NaN]);
    expect(s.n).toBe(0);
    expect(s.mean).toBeNaN();
    expect(s.sharePositive).toBeNaN();
    const one = summarizeSeries([0.1]);
    expect(one.mean).toBe(0.1);
    expect(one.std).toBeNaN();
    expect(one.tStat).toBeNaN();
  });

  it('shares are in [0, 1] and t = ir·sqrt(n) for any series', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 40 }), (x) => {
        const s = summarizeSeries(x);
        expect(s.sharePositive).toBeGreaterThanOrEqual(0);
        expect(s.sharePositive).toBeLessThanOrEqual(1);
        if (s.std > 1e-9) expect(s.tStat).toBeCloseTo(s.ir * Math.sqrt(s.n), 6);
      }),
    );
  });
});

/**
 * Bad arguments to the exported regressions, Newey-West and descriptive statistics: an InputError
 * naming the argument, what it got and what is expected, never a number (before: `k = '1'` gave
 * NaN coefficients, `intercept: 'no'` fitted an intercept, a negative l2 or lags were used or
 * clamped, an infinite y gave NaN coefficients with a standard error of 0, a mismatched x gave
 * Newey-West standard errors for some coefficients and NaN for the others).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { quantile, std } from './descriptive.js';
import { symmetricEigen } from './eigen.js';
import { cholesky, gram } from './linalg.js';
import { neweyWestMean, neweyWestOls } from './neweyWest.js';
import { ols, olsBatch } from './ols.js';
import { elasticNet, elasticNetBatch, lasso, ridge } from './penalized.js';
import { averageRanks } from './ranks.js';

const n = 30;
const x = Float64Array.from({ length: n }, (_, t) => Math.sin(t));
const y = Float64Array.from({ length: n }, (_, t) => 0.5 * x[t] + 0.1 * Math.cos(3 * t));

describe('regressions: bad options and sizes', () => {
  it('k, intercept, minObs and tol of the wrong type or range', () => {
    expect(() => ols(y, x, '1' as unknown as number)).toThrow('k must be a whole number of regressors >= 0, got "1" (a string)');
    expect(() => ols(y, x, 1, { intercept: 'no' as unknown as boolean })).toThrow('intercept must be true or false, got "no" (a string)');
    expect(() => ols(y, x, 1, { minObs: 0 })).toThrow('minObs must be a whole number >= 1, got 0');
    expect(() => olsBatch({ y, n: 7.5, m: 1, x, k: 1 })).toThrow('n must be a whole number of rows >= 0, got 7.5');
  });

  it('penalties, tol and maxIter: finite and >= 0 / a whole number >= 1 (a negative l2 was fitted, maxIter 0 returned the zero start)', () => {
    for (const [f, o, msg] of [
      [ridge, { l2: -1 }, 'l2 must be a finite number >= 0, got -1'],
      [ridge, { l2: NaN }, 'l2 must be a finite number >= 0, got NaN'],
      [ridge, { l2: '0.1' }, 'l2 must be a finite number >= 0, got "0.1" (a string)'],
      [lasso, { l1: Infinity }, 'l1 must be a finite number >= 0, got Infinity'],
      [elasticNet, { l1: 0.1, maxIter: 0 }, 'maxIter must be a whole number >= 1, got 0'],
      [elasticNet, { l1: 0.1, tol: NaN }, 'tol must be a finite number >= 0, got NaN'],
    ] as const)
      expect(() => f(y, x, 1, o as never)).toThrow(msg);
    expect(() => elasticNetBatch({ y, n, m: 1, x, k: 1 }, { l1: -0.1 })).toThrow('l1 must be a finite number >= 0, got -0.1');
  });

  it('±Infinity anywhere in y or X names the series and row (NaN stays missing)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: n - 1 }), fc.constantFrom(Infinity, -Infinity), fc.boolean(), (t, bad, inY) => {
        const yy = y.slice(),
          xx = x.slice();
        if (inY) yy[t] = bad;
        else xx[t] = bad;
        const where = inY ? `y has ${bad} in series 0 at row ${t}` : `X has ${bad} at row ${t}, column 0`;
        expect(() => ols(yy, xx, 1)).toThrow(where);
        expect(() => olsBatch({ y: yy, n, m: 1, x: xx, k: 1 }, { kernel: 'js' })).toThrow(where);
        expect(() => elasticNet(yy, xx, 1, { l1: 1e-3 })).toThrow(inY ? `y has ${bad} at row ${t}` : where);
        expect(() => ridge(yy, xx, 1, { l2: 1e-3 })).toThrow(InputError);
        expect(() => elasticNetBatch({ y: yy, n, m: 1, x: xx, k: 1 }, { l1: 1e-3 })).toThrow(where);
      }),
      { numRuns: 40 },
    );
    const yy = y.slice();
    yy[3] = NaN;
    expect(ols(yy, x, 1).nobs).toBe(n - 1);
  });
});

describe('Newey-West: lags and the fit design', () => {
  const fit = ols(y, x, 1);
  it('lags must be a whole number >= 0 (a negative one was read as 0, NaN kept as the stated lags)', () => {
    for (const lags of [-1, 1.5, NaN, '2'])
      expect(() => neweyWestOls(fit, x, 1, { lags: lags as number })).toThrow(/lags must be a whole number of lags >= 0/);
    expect(() => neweyWestMean(y, { lags: -3 })).toThrow('lags must be a whole number of lags >= 0, got -3');
    expect(neweyWestMean(y, { lags: 1000 }).lags).toBe(n - 1); // stated in the result
  });

  it('an x or k other than the fit design is refused (it gave a standard error for the intercept and NaN for the slope)', () => {
    expect(() => neweyWestOls(fit, x.subarray(0, 10), 1)).toThrow('x has length 10, expected 30 rows x 1 regressors');
    expect(() => neweyWestOls(fit, x, 2)).toThrow('k is 2 but the fit has 1 regressors');
  });

  it('neweyWestMean: ±Infinity is not missing', () => {
    expect(() => neweyWestMean([0.1, Infinity, 0.2])).toThrow('x[1] is Infinity');
    expect(neweyWestMean([0.1, NaN, 0.2, 0.3]).n).toBe(3);
  });
});

describe('descriptive statistics, ranks and linear algebra: sizes and ranges', () => {
  it('ddof and q out of range', () => {
    expect(() => std([1, 2, 3], -1)).toThrow('ddof must be a whole number >= 0, got -1');
    expect(() => std([1, 2, 3], 1.5)).toThrow(InputError);
    expect(() => quantile([1, 2, 3], 50)).toThrow('q must be a number in [0, 1], got 50');
  });

  it('an out buffer too short for the ranks, and matrices of the wrong size', () => {
    expect(() => averageRanks([3, 2, 1], new Float64Array(2))).toThrow('out has 2 values, fewer than the 3 to rank');
    expect(() => cholesky([1, 0, 0], 2)).toThrow('a has 3 values, expected 4 (a 2 x 2 matrix)');
    expect(() => gram([1, 2, 3], 2, 2)).toThrow('a has 3 values, expected 4 (2 rows x 2 columns)');
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow('a has 3 values, expected 4');
  });
});

describe('rollingOls options', () => {
  it('minObs above the window (no window could be fitted: all NaN) and a non-boolean includeConstant are refused', async () => {
    const { rollingOls } = await import('./rollingOls.js');
    expect(() => rollingOls({ y, n, m: 1, x, k: 1 }, { window: 5, minObs: 8 })).toThrow(
      'minObs must be a whole number in 1..5 (the window), got 8',
    );
    expect(() => rollingOls({ y, n, m: 1, x, k: 1 }, { window: 5, minObs: 0 })).toThrow(InputError);
    expect(() => rollingOls({ y, n, m: 1, x, k: 1 }, { window: 5, includeConstant: 'yes' as unknown as boolean })).toThrow(
      'includeConstant must be true or false',
    );
  });
});

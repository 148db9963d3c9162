/**
 * The library audit of the stats layer's public names: option objects refuse misspelt names (they
 * ran the default without a word: `lasso(y, x, k, { lambda: 1 })` fitted OLS), and shape or value
 * mistakes of the caller are InputErrors naming the argument (they were RangeErrors, a TypeError,
 * or a silently meaningless result).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { pearson, spearman } from './correlation.js';
import { gaussianKde, histogram, kdeFactor } from './density.js';
import { symmetricEigen } from './eigen.js';
import { cholesky, inverseSpd, solveSpd } from './linalg.js';
import { neweyWestBatch } from './neweyWestBatch.js';
import { neweyWestMean, neweyWestOls } from './neweyWest.js';
import { ols, olsBatch } from './ols.js';
import { elasticNet, elasticNetBatch, lasso, ridge } from './penalized.js';
import { rollingOls } from './rollingOls.js';

const x = Float64Array.from([1, 2, 3, 4, 5]);
const y = Float64Array.from([2, 1, 4, 3, 6]);
const bad = <T>(o: object): T => o as unknown as T;

describe('misspelt options are InputErrors naming the nearest option', () => {
  it('regressions', () => {
    expect(() => ols(y, x, 1, bad({ intercpt: false }))).toThrow('ols options: unknown option "intercpt" (did you mean "intercept"?)');
    expect(() => olsBatch({ y, n: 5, m: 1, x, k: 1 }, bad({ minObs: 3, residual: false }))).toThrow(
      /olsBatch options: unknown option "residual"/,
    );
    expect(() => lasso(y, x, 1, bad({ lambda: 0.1 }))).toThrow('lasso options: unknown option "lambda"');
    expect(() => lasso(y, x, 1, bad({ l2: 0.5 }))).toThrow('lasso options: unknown option "l2"'); // was overwritten with 0
    expect(() => ridge(y, x, 1, bad({ alpha: 1 }))).toThrow('ridge options: unknown option "alpha"');
    expect(() => elasticNet(y, x, 1, bad({ l1: 0.1, maxIters: 5 }))).toThrow(/did you mean "maxIter"/);
    expect(() => elasticNetBatch({ y, n: 5, m: 1, x, k: 1 }, bad({ l1: 0.1, minObss: 3 }))).toThrow(
      /elasticNetBatch options: unknown option "minObss"/,
    );
    expect(() => rollingOls({ y, n: 5, m: 1, x, k: 1 }, bad({ windw: 3 }))).toThrow(
      /rollingOls options: unknown option "windw" \(did you mean "window"\?\)/,
    );
  });

  it('Newey-West, densities, Cholesky', () => {
    expect(() => neweyWestMean(x, bad({ maxlags: 2 }))).toThrow('neweyWestMean options: unknown option "maxlags"');
    const fit = ols(y, x, 1);
    expect(() => neweyWestOls(fit, x, 1, bad({ lag: 2 }))).toThrow(/neweyWestOls options: unknown option "lag" \(did you mean "lags"\?\)/);
    expect(() =>
      neweyWestBatch(
        { residuals: fit.residuals, n: 5, m: 1, x, k: 1, intercept: true, coef: fit.coef, dfResid: [fit.dfResid], rank: [fit.rank] },
        bad({ lag: 1 }),
      ),
    ).toThrow(/neweyWestBatch options: unknown option "lag"/);
    expect(() => histogram(x, bad({ bin: 5 }))).toThrow(/histogram options: unknown option "bin" \(did you mean "bins"\?\)/);
    expect(() => gaussianKde(x, bad({ bw: 0.5 }))).toThrow('gaussianKde options: unknown option "bw"');
    expect(() => cholesky([1, 0, 0, 1], 2, bad({ tolerance: 1 }))).toThrow('cholesky options: unknown option "tolerance"');
  });

  it('the right names still run, with the same numbers', () => {
    expect(ols(y, x, 1, { intercept: true }).coef).toEqual(ols(y, x, 1).coef);
    expect(lasso(y, x, 1, { l1: 0 }).coef).toEqual(elasticNet(y, x, 1, { l1: 0, l2: 0 }).coef);
    expect(neweyWestMean(x, { lags: 1 }).se).toBe(neweyWestMean(x, { lags: 1, useCorrection: false }).se);
  });
});

describe('shapes and values of the caller are InputErrors', () => {
  it('pearson and spearman of series of different lengths (a RangeError before)', () => {
    expect(() => pearson(x, y.subarray(0, 4))).toThrow('pearson: x has 5 values and y 4');
    expect(() => spearman(x, y.subarray(0, 4))).toThrow(InputError);
  });

  it('X of the wrong length for ols, olsBatch and the penalised fits (RangeErrors before)', () => {
    expect(() => ols(y, x.subarray(0, 4), 1)).toThrow('X has length 4, expected 5 rows x 1 regressors = 5');
    expect(() => olsBatch({ y, n: 4, m: 1, x, k: 1 })).toThrow(InputError);
    expect(() => olsBatch({ y: y.subarray(0, 2), n: 5, m: 1, x, k: 1 })).toThrow(InputError);
    expect(() => lasso(y, x.subarray(0, 4), 1, { l1: 0.1 })).toThrow("X has length 4, expected 5 rows (y's length) x 1 regressors = 5");
  });

  it('rollingOls: window, reanchorEvery and shapes (RangeErrors and a TypeError before)', () => {
    const d = { y, n: 5, m: 1, x, k: 1 };
    expect(() => rollingOls(d, { window: 0 })).toThrow('window must be a whole number of rows >= 1, got 0');
    expect(() => rollingOls(d, bad({ window: '3' }))).toThrow('window must be a whole number of rows >= 1, got "3" (a string)');
    expect(() => rollingOls(d, bad(undefined as unknown as object))).toThrow('rolling regression options must be an object with a window');
    expect(() => rollingOls(d, { window: 3, reanchorEvery: 0 })).toThrow(InputError);
    expect(() => rollingOls({ ...d, x: x.subarray(0, 3) }, { window: 3 })).toThrow(InputError);
    expect(() => rollingOls({ ...d, y: y.subarray(0, 3) }, { window: 3 })).toThrow(InputError);
    // with partial windows asked for, the leading windows are fitted
    expect(rollingOls(d, { window: 6, partial: true }).coef[1 * 5 + 4]).toBeCloseTo(ols(y, x, 1).coef[1], 12);
  });

  it('a singular or non-finite matrix: an InputError saying which (a RangeError calling NaN "singular" before)', () => {
    expect(() => solveSpd([1, 1, 1, 1], 2, [1, 2])).toThrow('solveSpd: the matrix is singular (dropped columns 1)');
    expect(() => inverseSpd([NaN, 0, 0, 1], 2)).toThrow('inverseSpd: a[0, 0] is NaN: the matrix must be finite');
    expect(() => symmetricEigen([NaN, 0, 0, 1], 2)).toThrow(InputError); // a TypeError inside ml-matrix before
  });

  it('KDE and histogram options that made NaN or a silent other rule', () => {
    expect(() => gaussianKde(x, { cut: NaN })).toThrow('cut must be a finite number >= 0, got NaN'); // every grid point was NaN
    expect(() => kdeFactor(5, bad({}) as never)).toThrow(InputError);
    expect(() => kdeFactor(5, 'scot' as never)).toThrow("bandwidth must be one of 'scott', 'silverman'"); // was Silverman's rule
    expect(() => kdeFactor(0)).toThrow(InputError); // was Infinity
    expect(() => histogram(x, { range: [0, Infinity] })).toThrow(InputError);
    expect(() => histogram(x, bad({ density: 'yes' }))).toThrow(InputError);
    expect(kdeFactor(5, 'silverman')).toBeCloseTo(Math.pow(15 / 4, -1 / 5), 15);
  });
});

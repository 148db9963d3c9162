/**
 * The library audit of the exposures layer's public names: misspelt options are InputErrors naming
 * the nearest option (they ran the default without a word: `weightsFill: 'ffil'` meant no fill, so
 * every portfolio return after the first date was NaN), and the caller's arguments are InputErrors
 * naming them (a RangeError, an unsorted calendar and a negative ddof were taken before).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import { varianceModelOf } from './analyses.js';
import { FactorExposures } from './factorExposures.js';
import { exposureReportData } from './report.js';
import { defaultWeightsMaxAge, portfolioReturns, rollingPortfolioExposures, rollingRegression } from './rolling.js';
import { factorCovariance, varianceDecomposition, varianceDecompositionOnDate } from './variance.js';
import { makeStep } from './steps.js';

const market = syntheticMarket({ seed: 11, nAssets: 8, nDates: 90, missingShare: 0, lateListingShare: 0, delistingShare: 0 });
const factors = market.factorReturns.select(['mkt_rf', 'smb']);
const returns = market.returns;
const monthly = Int32Array.from(market.dates.filter((_, t) => t % 21 === 0));
const weights = new Panel(
  monthly,
  returns.assets,
  Float64Array.from({ length: monthly.length * returns.nAssets }, () => 1 / returns.nAssets),
);
const bad = <T>(o: object): T => o as unknown as T;

describe('rolling exposures and portfolio returns', () => {
  it("weightsFill 'ffil' is an InputError (it meant no fill: every return after the first weights date was NaN)", () => {
    expect(() => portfolioReturns(returns, weights, { weightsFill: 'ffil' as never })).toThrow(
      "weightsFill must be one of 'none', 'ffill', got \"ffil\" (a string)",
    );
    expect(() => rollingPortfolioExposures(returns, factors, weights, { window: 20, weightsFill: 'forward' as never })).toThrow(InputError);
    const r = portfolioReturns(returns, weights, { weightsFill: 'ffill' });
    expect(Number.isFinite(r.values[30])).toBe(true);
  });

  it('misspelt options name the nearest one', () => {
    expect(() => portfolioReturns(returns, weights, bad({ weightFill: 'none' }))).toThrow(
      'portfolioReturns options: unknown option "weightFill" (did you mean "weightsFill"?)',
    );
    expect(() => portfolioReturns(returns, weights, { renormalize: 'yes' as never })).toThrow('renormalize must be true or false');
    expect(() => rollingPortfolioExposures(returns, factors, weights, bad({ window: 20, renormalise: true }))).toThrow(
      /rollingPortfolioExposures options: unknown option "renormalise" \(did you mean "renormalize"\?\)/,
    );
    expect(() => rollingRegression(market.rf, factors, bad({ window: 20, intercept: false }))).toThrow(
      'rollingRegression options: unknown option "intercept"',
    );
  });

  it('rollingRegression: a series of the wrong length is an InputError (a RangeError before); dated series are checked', () => {
    expect(() => rollingRegression(new Float64Array(10), factors, { window: 20 })).toThrow(
      'series has 10 values, expected 90 (one value per factor date, or pass a dated series { dates, values })',
    );
    expect(() => rollingRegression({ dates: Int32Array.from([3, 1]), values: [1, 2] }, factors, { window: 20 })).toThrow(InputError);
    expect(() => rollingRegression({ dates: market.dates, values: [1, 2] }, factors, { window: 20 })).toThrow(InputError);
    expect(rollingRegression(market.rf, factors, { window: 20 }).columns).toEqual(['const', 'mkt_rf', 'smb', 'r2', 'residual_std', 'nobs']);
  });

  it('defaultWeightsMaxAge refuses an unsorted calendar (it gave a limit from the shuffled gaps)', () => {
    expect(() => defaultWeightsMaxAge(market.dates, Int32Array.from([monthly[2], monthly[0], monthly[1]]))).toThrow(
      /weightsDates must be strictly increasing day numbers: row 1/,
    );
    expect(() => defaultWeightsMaxAge(Int32Array.from([5, 3]), monthly)).toThrow(InputError);
    expect(defaultWeightsMaxAge(market.dates, monthly)).toBeGreaterThan(1);
  });
});

describe('variance decomposition', () => {
  const fe = new FactorExposures().addRegressionFactors(factors);
  const fit = fe.fit(returns);
  const model = varianceModelOf(fit.model);

  it('factorCovariance: covarianceDdof a whole number >= 0 (-1 divided by n + 1), misspelt options and window keys refused', () => {
    expect(() => factorCovariance(factors, ['mkt_rf'], { covarianceDdof: -1 })).toThrow(
      'covarianceDdof must be a whole number >= 0, got -1',
    );
    expect(() => factorCovariance(factors, ['mkt_rf'], bad({ ddof: 0 }))).toThrow('factorCovariance options: unknown option "ddof"');
    expect(() => factorCovariance(factors, ['mkt_rf'], { window: bad({ from: '2018-03-01' }) })).toThrow('window: unknown option "from"');
    expect(factorCovariance(factors, ['mkt_rf'], { covarianceDdof: 0 }).covariance.ddof).toBe(0);
  });

  it('varianceDecomposition(OnDate), exposureReportData and the results methods refuse misspelt options', () => {
    const w = new Float64Array(returns.nAssets).fill(0.125);
    expect(() => varianceDecomposition({ ...model, weights: w }, bad({ periodPerYear: 252 }))).toThrow(/did you mean "periodsPerYear"/);
    expect(() => varianceDecompositionOnDate(model, weights, monthly[1], bad({ ddof: 0 }))).toThrow(
      /varianceDecompositionOnDate options: unknown option "ddof"/,
    );
    expect(() => exposureReportData({ ...model, date: monthly[1], weights: w }, bad({ bins: 5 }))).toThrow(
      /exposureReportData options: unknown option "bins"/,
    );
    expect(() => fit.varianceDecomposition(w, bad({ dat: '2018-03-01' }))).toThrow(/did you mean "date"/);
    expect(() => fit.report(w, bad({ rollingWindows: 30 }))).toThrow(/did you mean "rollingWindow"/);
    expect(() => fit.portfolioRollingRegression(weights, bad({ window: 20, weightFill: 'none' }))).toThrow(
      /portfolioRollingRegression options: unknown option "weightFill"/,
    );
    expect(fit.portfolioRollingRegression(weights, { window: 20, weightsFill: 'ffill', renormalize: false }).columns).toContain('mkt_rf');
    expect(fit.varianceDecomposition(weights, { date: '2018-03-01', covarianceDdof: 0 }).covariance.ddof).toBe(0);
  });
});

describe('FactorExposures configuration', () => {
  it('misspelt addRegressionFactors and step options are InputErrors (the default step was fitted)', () => {
    expect(() => new FactorExposures().addRegressionFactors(factors, bad({ steps: false }))).toThrow(
      /addRegressionFactors options: unknown option "steps" \(did you mean "step"\?\)/,
    );
    expect(() => new FactorExposures().addRegressionFactors(factors, { step: 'no' as never })).toThrow('step must be true or false');
    expect(() => new FactorExposures().addStep(['mkt_rf'], bad({ intercept: false }))).toThrow('step options: unknown option "intercept"');
    expect(() => new FactorExposures().addStep(['mkt_rf'], bad({ l2: 1, normalize: false }))).toThrow(
      /did you mean "normalizeIfRegularized"|unknown option "normalize"/,
    );
    expect(() => new FactorExposures().addStep(['mkt_rf'], { includeConstant: 0 as never })).toThrow(
      'includeConstant must be true or false',
    );
    expect(new FactorExposures().addRegressionFactors(factors, { stepOptions: { l2: 0.1 } }).steps[0].method).toBe('ridge');
  });
});

describe('regression steps', () => {
  it('a tol that is not a finite number > 0 and a maxIter that is not a whole number >= 1 are InputErrors naming them', () => {
    // tol: Infinity stopped the coordinate descent after one sweep, returning unconverged coefficients
    for (const tol of [Infinity, 0, -1, NaN, '1e-8'])
      expect(() => makeStep(['mkt_rf'], { l1: 0.1, tol: tol as number })).toThrow(/tol.*a finite number > 0/);
    for (const maxIter of [0, 1.5, Infinity])
      expect(() => makeStep(['mkt_rf'], { l1: 0.1, maxIter })).toThrow(/maxIter.*a whole number >= 1/);
    expect(() => makeStep(['mkt_rf'], { l1: 0.1, tol: Infinity })).toThrow(InputError);
    expect(makeStep(['mkt_rf'], { l1: 0.1, tol: 1e-9, maxIter: 50 })).toMatchObject({ tol: 1e-9, maxIter: 50 });
  });
});

import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { excessReturns, simpleReturns } from '../core/returns.js';
import { syntheticMarket } from '../synthetic/market.js';
import { equalWeightPanel, fitWindowOf } from './analyses.js';
import { FactorExposures } from './factorExposures.js';
import { rollingPortfolioExposures } from './rolling.js';

describe('FactorExposures analyses on a fit', () => {
  const market = syntheticMarket({ seed: 17, nAssets: 40, nDates: 400 });
  const factorsWithRf = new Frame(market.dates, [...market.factorReturns.columns, 'rf'], [...market.factorReturns.series, market.rf]);
  const fe = new FactorExposures().addRegressionFactors(factorsWithRf);
  const start = '2018-03-01';
  const fit = fe.fit(market.returns, { riskFree: 'rf', start });
  const m = market.assets.length;
  // Hold the first 10 assets equally, then switch to the next 10 from row 250.
  const w = new Float64Array(market.dates.length * m).fill(NaN);
  for (let t = 0; t < market.dates.length; t++) for (let j = 0; j < 10; j++) w[t * m + j + (t >= 250 ? 10 : 0)] = 0.1;
  const weights = new Panel(market.dates, market.assets, w);

  it("the model is the fit's excess returns from start, and factors without rf", () => {
    const model = fit.model;
    expect(model.factors.columns).toEqual(market.factorReturns.columns);
    expect(model.returns.dates[0]).toBe(fit.dates[0]);
    const direct = excessReturns(market.returns.sliceDates(fit.dates[0]), market.rf.subarray(market.returns.nDates - model.returns.nDates));
    expect(Array.from(model.returns.values)).toEqual(Array.from(direct.values));
    // the estimator keeps no fit: another fit on other dates leaves this one's model alone
    const other = fe.fit(market.returns, { riskFree: 'rf', start: '2018-06-01' });
    expect(other.model.returns.dates[0]).toBeGreaterThan(fit.model.returns.dates[0]);
    expect(fit.model).toBe(model);
  });

  it('rollingExposures equals the rolling kernel on the same excess returns', () => {
    const a = fit.rollingExposures(weights, { window: 60 });
    const b = rollingPortfolioExposures(fit.model.returns, fit.model.factors, weights, { window: 60 });
    expect(a.exposures.toJSON()).toEqual(b.exposures.toJSON());
    const t = a.exposures.nDates - 1;
    // Equal weights of 0.1: the covered share is 0.1 per asset with betas on that window.
    expect(a.assetsUsed[t]).toBeGreaterThanOrEqual(8);
    expect(a.coveredWeight[t]).toBeCloseTo(a.assetsUsed[t] * 0.1, 12);
    expect(a.exposures.get('mkt_rf')[t]).toBeGreaterThan(0.3);
  });

  it("the portfolio's own rolling regression has the factor columns and fit statistics", () => {
    const r = fit.portfolioRollingRegression(weights, { window: 60 });
    expect(r.columns).toEqual(['const', ...market.factorReturns.columns, 'r2', 'residual_std', 'nobs']);
    const last = r.nDates - 1;
    expect(r.get('nobs')[last]).toBe(60);
    expect(r.get('r2')[last]).toBeGreaterThan(0);
  });

  it("varianceDecomposition: b'Σb from the fit's betas (checked with ml-matrix) plus Σ w²σ², shares sum to one", () => {
    const v = fit.varianceDecomposition(weights);
    const p = v.portfolio;
    const names = fit.factors;
    const held: number[] = Array.from({ length: m }, (_, j) => (j >= 10 && j < 20 ? 0.1 : 0));
    const b = names.map((f) => held.reduce((s, wj, j) => s + wj * fit.exposures[f][j], 0));
    const F = new Matrix(fit.model.factors.series.map((s) => Array.from(s))).transpose();
    const mean = F.mean('column');
    const C = F.clone().subRowVector(mean);
    const sigma = C.transpose()
      .mmul(C)
      .div(F.rows - 1);
    const bv = Matrix.columnVector(b);
    const systematic = bv.transpose().mmul(sigma).mmul(bv).get(0, 0);
    expect(p.systematicVariance).toBeCloseTo(systematic, 14);
    const vol = fit.diagnostics[0].residualVol;
    const specific = held.reduce((s, wj, j) => s + wj * wj * vol[j] * vol[j], 0);
    expect(p.specificVariance).toBeCloseTo(specific, 15);
    const factorShares = Object.values(p.shares.factors).reduce((s, x) => s + x, 0);
    expect(factorShares).toBeCloseTo(p.shares.systematic, 12);
    expect(p.shares.systematic + p.shares.specific).toBeCloseTo(1, 12);
    expect(v.equalWeight.totalVariance).toBeGreaterThan(0);
  });

  it('returns from prices: F is estimated over the dates with returns, not the first price date', () => {
    // simple returns have none on the first price date; its factor return entered no regression
    const fromPrices = fe.fit(simpleReturns(market.prices), { riskFree: 'rf' });
    expect(fromPrices.dates[0]).toBe(market.dates[0]);
    expect(fitWindowOf(fromPrices.model)).toEqual({ start: market.dates[1], end: market.dates[market.dates.length - 1] });
    const held: number[] = Array.from({ length: m }, (_, j) => (j < 10 ? 0.1 : 0));
    const v = fromPrices.varianceDecomposition(held);
    const b = fromPrices.factors.map((f) => held.reduce((s, wj, j) => s + wj * fromPrices.exposures[f][j], 0));
    const covariance = (rows: number) => {
      const F = new Matrix(fromPrices.model.factors.series.map((x) => Array.from(x).slice(-rows))).transpose();
      const C = F.clone().subRowVector(F.mean('column'));
      const bv = Matrix.columnVector(b);
      return bv
        .transpose()
        .mmul(
          C.transpose()
            .mmul(C)
            .div(F.rows - 1),
        )
        .mmul(bv)
        .get(0, 0);
    };
    const withReturns = covariance(market.dates.length - 1);
    expect(v.portfolio.systematicVariance).toBeCloseTo(withReturns, 15);
    expect(Math.abs(withReturns - covariance(market.dates.length))).toBeGreaterThan(1e-9); // the first date would move it
    // the report's window is the same one
    expect(fromPrices.report(held).varianceDecomposition.portfolio.systematicVariance).toBe(v.portfolio.systematicVariance);
  });

  it('report: plain JSON with exposures through time for the portfolio and its equal-weight combination', () => {
    const r = fit.report(weights, { rollingWindow: 60 });
    const json = JSON.parse(JSON.stringify(r)) as typeof r;
    expect(json).toEqual(JSON.parse(JSON.stringify(r)));
    expect(r.exposuresThroughTime.rolling).not.toBeNull();
    expect(r.exposuresThroughTime.equalWeightRolling).not.toBeNull();
    expect(r.distributions.length).toBe(market.factorReturns.columns.length);
  });

  it('equalWeightPanel: 1/N over held assets per date', () => {
    const e = equalWeightPanel(new Panel(Int32Array.from([0, 1]), ['a', 'b', 'c'], Float64Array.from([0.5, 0.2, 0, NaN, NaN, NaN])));
    expect(Array.from(e.values)).toEqual([0.5, 0.5, NaN, NaN, NaN, NaN]);
  });
});

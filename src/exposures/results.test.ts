import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Frame } from '../core/frame.js';
import { syntheticMarket } from '../synthetic/market.js';
import { FactorExposures } from './factorExposures.js';
import { fitExposures } from './fit.js';
import { exposureFitToJson } from './json.js';
import { ExposureResults } from './results.js';
import { makeStep } from './steps.js';
import { makeCrossScore } from './crossScore.js';

const market = syntheticMarket({ seed: 5, nAssets: 12, nDates: 160 });
const factorsWithRf = new Frame(market.dates, [...market.factorReturns.columns, 'rf'], [...market.factorReturns.series, market.rf]);
const regressors = ['mkt_rf', 'smb', 'hml'];

function estimator(): FactorExposures {
  return new FactorExposures().addRegressionFactors(factorsWithRf, { step: false }).addStep(regressors).addCrossScore('smb_rank', 'smb');
}

describe('ExposureResults', () => {
  it("JSON.stringify(results) is the JSON of the plain fit plus notes (the CLI's --json), computed by the function route", () => {
    const options = { riskFree: 'rf', neweyWest: true, start: '2018-02-01' };
    const results = estimator().fit(market.returns, options);
    const plain = fitExposures(factorsWithRf, market.returns, [makeStep(regressors)], [makeCrossScore('smb_rank', 'smb')], options);
    expect(JSON.stringify(results)).toBe(JSON.stringify({ ...exposureFitToJson(plain), notes: [] }));
    const noted = results.withNotes(['read prices.csv', 'rf: subtracted']);
    expect(JSON.parse(JSON.stringify(noted)).notes).toEqual(['read prices.csv', 'rf: subtracted']);
    expect(Object.keys(JSON.parse(JSON.stringify(noted))).at(-1)).toBe('notes'); // last, as the CLI has always written it
    expect(results.notes).toEqual([]); // withNotes returns a copy
  });

  it('carries every field of the fit unchanged (the same arrays) and the options it ran with', () => {
    const results = estimator().fit(market.returns, { riskFree: 'rf' });
    const plain = fitExposures(factorsWithRf, market.returns, [makeStep(regressors)], [makeCrossScore('smb_rank', 'smb')], {
      riskFree: 'rf',
    });
    expect(results.assets).toEqual(plain.assets);
    expect(Array.from(results.diagnostics[0].coef)).toEqual(Array.from(plain.diagnostics[0].coef));
    expect(Array.from(results.exposures.smb_rank)).toEqual(Array.from(plain.exposures.smb_rank));
    expect(results.options).toEqual({ riskFree: 'rf' });
  });

  it('tableRows: one row per asset with asset, nobs, coefficients, cross scores, se_/t_/p_, r2, adj_r2, residual_vol', () => {
    const results = estimator().fit(market.returns, { riskFree: 'rf' });
    const rows = results.tableRows();
    expect(rows).toHaveLength(market.assets.length);
    expect(Object.keys(rows[0])).toEqual([
      'asset',
      'nobs',
      'const',
      'mkt_rf',
      'smb',
      'hml',
      'smb_rank',
      'se_const',
      't_const',
      'p_const',
      'se_mkt_rf',
      't_mkt_rf',
      'p_mkt_rf',
      'se_smb',
      't_smb',
      'p_smb',
      'se_hml',
      't_hml',
      'p_hml',
      'r2',
      'adj_r2',
      'residual_vol',
    ]);
    const d = results.diagnostics[0];
    const j = 3;
    expect(rows[j].asset).toBe(market.assets[j]);
    expect(rows[j].smb).toBe(d.coef[j * 4 + 2]);
    expect(rows[j].t_hml).toBe(d.t[j * 4 + 3]);
    expect(rows[j].smb_rank).toBe(results.exposures.smb_rank[j]);
    expect(rows[j].residual_vol).toBe(d.residualVol[j]);
  });

  it('the estimator keeps no fit: fitting other returns leaves earlier results (and their model) as they were', () => {
    const fe = estimator();
    const a = fe.fit(market.returns, { riskFree: 'rf' });
    const modelBefore = a.model;
    const half = market.returns.sliceDates(market.dates[80]);
    const b = fe.fit(half, { riskFree: 'rf' });
    expect(b.dates.length).toBeLessThan(a.dates.length);
    expect(a.model).toBe(modelBefore);
    expect(a.model.returns.nDates).toBe(a.dates.length);
    expect(b.model.returns.nDates).toBe(b.dates.length);
  });

  it('property: JSON.stringify(results) round-trips to toJSON() with NaN as null, for any sample window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 20, max: 59 }), (from, len) => {
        const start = market.returns.isoDates()[from];
        const end = market.returns.isoDates()[Math.min(from + len, market.dates.length - 1)];
        const results = estimator().fit(market.returns, { riskFree: 'rf', start, end });
        const text = JSON.stringify(results);
        expect(text).not.toMatch(/NaN|Infinity/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(results.toJSON())));
        expect(results).toBeInstanceOf(ExposureResults);
      }),
      { numRuns: 15 },
    );
  });
});

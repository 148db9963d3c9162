import { describe, expect, it } from 'vitest';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { FactorExposures } from './factorExposures.js';
import { exposureFitToJson } from './json.js';

function setup() {
  const n = 80;
  const dates = Int32Array.from({ length: n }, (_, t) => 19000 + t);
  const mkt = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.sin(t * 1.1));
  const smb = Float64Array.from({ length: n }, (_, t) => 0.01 * Math.cos(t * 0.37));
  const frame = new Frame(dates, ['mkt_rf', 'smb'], [mkt, smb]);
  const cols = {
    a: Float64Array.from({ length: n }, (_, t) => 0.001 + 1.1 * mkt[t] + 0.2 * smb[t] + 0.002 * Math.sin(t * 2.9)),
    flat: new Float64Array(n).fill(0.0004),
    short: Float64Array.from({ length: n }, (_, t) => (t < 3 ? 0.01 * t : NaN)),
  };
  return { frame, panel: Panel.fromColumns(dates, cols) };
}

describe('exposureFitToJson', () => {
  it('has the issue schema: factors, assets with coef/se/t/p keyed by const and factors, r2, adjR2, residualVol, skipped', () => {
    const { frame, panel } = setup();
    const fit = new FactorExposures().addRegressionFactors(frame).fit(panel);
    const j = JSON.parse(JSON.stringify(exposureFitToJson(fit)));
    expect(j.factors).toEqual(['mkt_rf', 'smb']);
    expect(j.assets.map((a: { asset: string }) => a.asset)).toEqual(['a']); // flat: constant returns, skipped
    const a = j.assets[0];
    expect(Object.keys(a)).toEqual(['asset', 'nobs', 'coef', 'se', 't', 'p', 'r2', 'adjR2', 'residualVol']);
    expect(Object.keys(a.coef)).toEqual(['const', 'mkt_rf', 'smb']);
    expect(a.nobs).toBe(80);
    const d = fit.diagnostics[0];
    expect(a.coef.mkt_rf).toBe(d.coef[1]);
    expect(a.se.const).toBe(d.se[0]);
    expect(a.p.smb).toBe(d.p[2]);
    expect(a.r2).toBe(d.r2[0]);
    expect(j.skipped).toEqual([
      { asset: 'flat', reason: expect.stringMatching(/^its returns are constant \(0\.0004\) on every date/) as unknown },
      { asset: 'short', reason: '3 observations, fewer than the minimum 5' },
    ]);
    expect(j.steps).toBeUndefined();
    expect(a.nw).toBeUndefined();
    expect(j.exposures.short.mkt_rf).toBeNull();
    expect(j.dates).toEqual({ start: '2022-01-08', end: '2022-03-28', count: 80 });
  });

  it('nw block when Newey-West was asked; penalised steps add converged/iterations/dualityGap/polished with null se; several steps add `steps`', () => {
    const { frame, panel } = setup();
    const fit = new FactorExposures()
      .addRegressionFactors(frame)
      .addStep(['smb'], { l1: 1e-6, includeConstant: false })
      .fit(panel, { neweyWest: { lags: 3 } });
    const j = JSON.parse(JSON.stringify(exposureFitToJson(fit)));
    expect(j.assets[0].nw.lags).toBe(3);
    expect(j.assets[0].nw.se.mkt_rf).toBe(fit.diagnostics[0].nw!.se[1]);
    expect(j.steps).toHaveLength(2);
    expect(j.steps[0].step).toBe(1);
    expect(j.steps[0].assets).toEqual(j.assets); // top level = first step
    const s2 = j.steps[1];
    expect(s2.method).toBe('lasso');
    expect(s2.factors).toEqual(['smb']);
    expect(Object.keys(s2.assets[0].coef)).toEqual(['smb']);
    expect(s2.assets[0].se.smb).toBeNull();
    expect(s2.assets[0].converged).toBe(true);
    expect(s2.assets[0].iterations).toBeGreaterThan(0);
    expect(s2.assets[0].polished).toBe(true);
    expect(s2.assets[0].dualityGap).toBe(fit.diagnostics[1].dualityGap![0]);
    expect(Math.abs(s2.assets[0].dualityGap)).toBeLessThan(1e-18);
    expect(j.assets[0].polished).toBeUndefined(); // OLS step: no solver account
    expect(j.assets[0].dualityGap).toBeUndefined();
    expect(s2.assets[0].nw).toBeUndefined();
    expect(s2.skipped).toEqual([
      { asset: 'flat', reason: 'skipped in step 1' },
      { asset: 'short', reason: 'skipped in step 1' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { runBacktest } from './engine.js';
import { holdingsPanel, strategyExposures } from './exposures.js';

/**
 * Three assets whose returns are exactly α_i + β_i1·f1 + β_i2·f2; a zero-cost portfolio rebalanced
 * every row to w = (.5, .3, .2). Its return is then exactly Σ w_i α_i + (Σ w_i β_i)·f, so the
 * strategy's rolling regression and its holdings-weighted exposures must both be Σ w_i β_i.
 */
function market(n: number) {
  let s = 7;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const beta = [
      [1.2, 0.5],
      [0.8, -0.4],
      [1.0, 1.5],
    ],
    alpha = [0.0002, -0.0001, 0];
  const dates = Int32Array.from({ length: n }, (_, t) => 19000 + t);
  const f1 = new Float64Array(n),
    f2 = new Float64Array(n),
    rf = new Float64Array(n);
  const p = new Float64Array(n * 3);
  for (let j = 0; j < 3; j++) p[j] = 10 * (j + 1);
  for (let t = 1; t < n; t++) {
    f1[t] = 0.02 * rnd();
    f2[t] = 0.01 * rnd();
    rf[t] = 0.0001;
    for (let j = 0; j < 3; j++) p[t * 3 + j] = p[(t - 1) * 3 + j] * (1 + rf[t] + alpha[j] + beta[j][0] * f1[t] + beta[j][1] * f2[t]);
  }
  return { prices: new Panel(dates, ['A', 'B', 'C'], p), factors: new Frame(dates, ['mkt', 'smb', 'rf'], [f1, f2, rf]), beta };
}

describe('strategy exposures', () => {
  const { prices, factors, beta } = market(80);
  const w = [0.5, 0.3, 0.2];
  const res = runBacktest(prices, { rule: () => Float64Array.from(w), schedule: { kind: 'daily' }, recordHoldings: true });
  const want = [0, 1].map((f) => w.reduce((a, x, j) => a + x * beta[j][f], 0));
  const ex = strategyExposures(res, prices, factors, { window: 20, riskFree: 'rf' });

  it('the rolling regression of the strategy return recovers Σ w_i β_i (R² = 1)', () => {
    expect(ex.factors).toEqual(['mkt', 'smb']);
    const mkt = ex.regression.get('mkt'),
      smb = ex.regression.get('smb'),
      r2 = ex.regression.get('r2');
    let checked = 0;
    for (let i = 21; i < res.dates.length; i++) {
      expect(mkt[i]).toBeCloseTo(want[0], 10);
      expect(smb[i]).toBeCloseTo(want[1], 10);
      expect(r2[i]).toBeCloseTo(1, 10);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
    // before a full window: no estimate
    expect(Number.isNaN(mkt[5])).toBe(true);
  });

  it('the holdings-weighted exposures Σ w_i(t) β_i(t) equal it too, with every weight covered', () => {
    const h = ex.holdings;
    if (h === undefined) throw new Error('holdings exposures expected');
    const mkt = h.exposures.get('mkt'),
      smb = h.exposures.get('smb');
    for (let i = 21; i < res.dates.length; i++) {
      expect(mkt[i]).toBeCloseTo(want[0], 10);
      expect(smb[i]).toBeCloseTo(want[1], 10);
      expect(h.coveredWeight[i]).toBeCloseTo(1, 12);
      expect(h.assetsUsed[i]).toBe(3);
    }
  });

  it("holdingsPanel is each row's book over the names ever held", () => {
    const panel = holdingsPanel(res, prices.assets);
    expect(panel.assets).toEqual(['A', 'B', 'C']);
    expect(Array.from(panel.values.subarray(3 * 10, 3 * 11))).toEqual(w);
    expect(() =>
      holdingsPanel(runBacktest(prices, { rule: () => Float64Array.from(w), schedule: { kind: 'daily' } }), prices.assets),
    ).toThrow(/recordHoldings/);
  });
});

import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { Rng } from '../synthetic/random.js';
import { syntheticMarket } from '../synthetic/market.js';
import { combineFactorsWithPrices } from './combineWithPrices.js';

describe('combineFactorsWithPrices', () => {
  const market = syntheticMarket({ seed: 9, nAssets: 150, nDates: 300, signalIC: 0.1 });
  const rng = new Rng(3);
  const noise = market.signal.map((v) => (v === v ? rng.normal(0, 1) : NaN));
  const factors = { signal: market.signal, noise };

  it('IC weights lean on the factor that predicts', () => {
    const r = combineFactorsWithPrices(factors, market.prices, { method: 'ic', window: 20, horizon: 1 });
    const ws = r.weights.get('signal'),
      wn = r.weights.get('noise');
    let s = 0,
      n = 0,
      k = 0;
    for (let t = 0; t < ws.length; t++)
      if (ws[t] === ws[t]) {
        s += ws[t];
        n += Math.abs(wn[t]);
        k++;
      }
    expect(k).toBeGreaterThan(200);
    expect(s / k).toBeGreaterThan(0.6);
    expect(s / k).toBeGreaterThan(n / k);
  });

  it('uses no price after the formation date: changing later prices leaves earlier weights unchanged', () => {
    const cut = 200;
    const later = market.prices.values.slice();
    const m = market.prices.nAssets;
    for (let i = (cut + 1) * m; i < later.length; i++) if (later[i] === later[i]) later[i] *= 1 + 0.2 * Math.sin(i);
    const changed = new Panel(market.prices.dates, market.prices.assets, later);
    const a = combineFactorsWithPrices(factors, market.prices, { method: 'icir', window: 12, horizon: 5 });
    const b = combineFactorsWithPrices(factors, changed, { method: 'icir', window: 12, horizon: 5 });
    for (const k of ['signal', 'noise']) {
      expect(Array.from(b.weights.get(k).subarray(0, cut + 1))).toEqual(Array.from(a.weights.get(k).subarray(0, cut + 1)));
      expect(Array.from(b.weights.get(k).subarray(cut + 10))).not.toEqual(Array.from(a.weights.get(k).subarray(cut + 10)));
    }
    for (let i = 0; i <= cut * m; i++) expect(Object.is(b.composite.values[i], a.composite.values[i])).toBe(true);
  });

  it('equal weights need no prices; IC weights do, and say so', () => {
    const r = combineFactorsWithPrices(factors, undefined, { method: 'equal' });
    expect(r.weights.get('signal')[0]).toBe(0.5);
    expect(() => combineFactorsWithPrices(factors, undefined, { method: 'ic' })).toThrow(/needs prices/);
  });
});

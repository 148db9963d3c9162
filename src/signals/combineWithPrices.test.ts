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

  it('keeps the latest formation dates, whose forward returns are not realised yet, with weights from earlier ICs', () => {
    const h = 5;
    const r = combineFactorsWithPrices(factors, market.prices, { method: 'icir', window: 12, horizon: h });
    const nd = market.signal.nDates;
    expect(r.composite.nDates).toBe(nd);
    expect(r.composite.dates[nd - 1]).toBe(market.signal.dates[nd - 1]);
    const w = r.weights.get('signal');
    for (let t = nd - h; t < nd; t++) expect(Number.isFinite(w[t])).toBe(true);
    // the last date's window holds the rows realised by then: those up to nd - 1 - h
    const ics = r.ics?.get('signal') as Float64Array;
    for (let t = nd - h; t < nd; t++) expect(Number.isNaN(ics[t])).toBe(true);
    let row = 0;
    for (let j = 0; j < market.signal.nAssets; j++) if (Number.isFinite(r.composite.values[(nd - 1) * market.signal.nAssets + j])) row++;
    expect(row).toBeGreaterThan(100);
  });

  it('keeps factor dates past the last price, weighted by the ICs the prices realised', () => {
    const cut = 250;
    const prices = new Panel(
      market.prices.dates.subarray(0, cut),
      market.prices.assets,
      market.prices.values.slice(0, cut * market.prices.nAssets),
    );
    const full = combineFactorsWithPrices(factors, market.prices, { method: 'ic', window: 20, horizon: 1 });
    const r = combineFactorsWithPrices(factors, prices, { method: 'ic', window: 20, horizon: 1 });
    expect(r.composite.nDates).toBe(market.signal.nDates);
    // the last IC realised by the cut prices is that of row cut - 2: every later date weighs as row cut - 1 does
    const w = r.weights.get('signal');
    for (let t = cut - 1; t < w.length; t++) expect(w[t]).toBe(full.weights.get('signal')[cut - 1]);
  });

  it('equal weights need no prices; IC weights do, and say so', () => {
    const r = combineFactorsWithPrices(factors, undefined, { method: 'equal' });
    expect(r.weights.get('signal')[0]).toBe(0.5);
    expect(() => combineFactorsWithPrices(factors, undefined, { method: 'ic' })).toThrow(/needs prices/);
  });
});

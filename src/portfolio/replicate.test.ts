/**
 * Replicating baskets on a seeded synthetic market (planted exposures, no missing data, so a
 * weighted portfolio's fitted exposures are exactly the weighted sum of its members' — OLS is
 * linear in y on a common sample).
 */
import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../core/dates.js';
import { loadHighs } from '../io/highs.js';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import { replicate } from './replicate.js';
import { varianceOf } from './riskModel.js';

const market = syntheticMarket({
  seed: 7,
  nAssets: 60,
  nDates: 500,
  missingShare: 0,
  lateListingShare: 0,
  delistingShare: 0,
  badTicks: 0,
  factors: ['mkt_rf', 'smb', 'hml'],
});
const fitEnd = formatIsoDate(market.dates[299]);
const names = market.assets;

describe('replicate', () => {
  it('an equal-weight target: exposures matched exactly, specific risk no more than the target weights would carry', async () => {
    const weights = Object.fromEntries(names.map((a) => [a, 1 / names.length]));
    const r = await replicate({
      factors: market.factorReturns,
      factorNames: ['mkt_rf', 'smb', 'hml'],
      universe: market.returns,
      target: { name: 'EW', weights },
      fit: { end: fitEnd },
    });
    const d = r.data;
    expect(d.exposureMismatch).toBeLessThan(1e-9);
    expect(d.optimization.data.solver.kkt.stationarity).toBeLessThan(1e-9);
    // The target's own weights are feasible (same exposures, budget 1, long-only): the basket's
    // specific variance can only be lower.
    const m = d.riskModel;
    const wt = new Float64Array(m.assets.length).fill(1 / names.length);
    let specT = 0,
      specB = 0;
    for (let i = 0; i < wt.length; i++) {
      specT += wt[i] ** 2 * m.specificVariance[i];
      specB += r.weights[i] ** 2 * m.specificVariance[i];
    }
    expect(specB).toBeLessThanOrEqual(specT * (1 + 1e-9));
    expect(d.inSample.observations).toBe(299); // the first date has no return
    expect(d.outOfSample!.observations).toBe(200);
    expect(d.outOfSample!.start).toBe(formatIsoDate(market.dates[300]));
    expect(d.inSample.trackingError).toBeGreaterThan(0);
    expect(d.inSample.correlation).toBeGreaterThan(0.9);
    // The model TE is the factor-model identity: √(P·(wᵀDw + σ²_T)) when exposures match.
    expect(d.modelTrackingError).toBeGreaterThan(Math.sqrt(252 * specB) * (1 - 1e-12));
    expect(varianceOf(m, r.weights)).toBeGreaterThan(0);
  });

  it('at most K names: no more than K held, exposures within the tolerance, JSON carries both windows', async () => {
    const weights = Object.fromEntries(names.map((a, i) => [a, (i + 1) / ((names.length * (names.length + 1)) / 2)]));
    const r = await replicate(
      {
        factors: market.factorReturns,
        factorNames: ['mkt_rf', 'smb', 'hml'],
        universe: market.returns,
        target: { name: 'tilted', weights },
        fit: { end: fitEnd },
        exposureTolerance: 0.02,
        constraints: { maxNames: 12 },
      },
      { highs: loadHighs },
    );
    const held = Array.from(r.weights).filter((w) => w !== 0).length;
    expect(held).toBeLessThanOrEqual(12);
    expect(r.data.exposureMismatch).toBeLessThanOrEqual(0.02 + 1e-9);
    const json = JSON.parse(JSON.stringify(r)) as {
      names: number;
      inSample: { trackingError: number };
      outOfSample: { trackingError: number };
      cardinality: { gap: number; names: number; support: number };
    };
    expect(json.names).toBe(held);
    expect(json.cardinality.names).toBe(held); // it was the MILP's support (30 where 18 were held)
    expect(json.cardinality.support).toBeGreaterThanOrEqual(held);
    expect(json.outOfSample.trackingError).toBeGreaterThan(0);
    expect(json.cardinality.gap).toBeGreaterThanOrEqual(0);
  });

  it('the equal-weight target is the equal-weight index: each period the mean of the returns there are, not 1/n with missing names as cash', async () => {
    // a quarter of the universe lists only at row 200: as 1/n weights those names were cash before,
    // and the target's market beta three quarters of the index's
    const na = names.length,
      nd = market.dates.length;
    const values = Float64Array.from(market.returns.values);
    for (let t = 0; t < 200; t++) for (let j = 0; j < na / 4; j++) values[t * na + j] = NaN;
    const universe = new Panel(market.returns.dates, names, values);
    const mean = new Float64Array(nd);
    for (let t = 0; t < nd; t++) {
      let s = 0,
        c = 0;
      for (let j = 0; j < na; j++)
        if (Number.isFinite(values[t * na + j])) {
          s += values[t * na + j];
          c++;
        }
      mean[t] = c > 0 ? s / c : NaN;
    }
    const base = {
      factors: market.factorReturns,
      factorNames: ['mkt_rf', 'smb', 'hml'],
      universe,
      fit: { end: fitEnd },
      exposureTolerance: 0.05,
    };
    const index = await replicate({ ...base, target: { name: 'EW', equalWeight: true } });
    const series = await replicate({ ...base, target: { name: 'EW', returns: { dates: market.returns.dates, values: mean } } });
    const cash = await replicate({ ...base, target: { name: 'EW', weights: Object.fromEntries(names.map((a) => [a, 1 / na])) } });
    for (let f = 0; f < 3; f++) expect(index.data.targetExposures[f]).toBeCloseTo(series.data.targetExposures[f], 12);
    expect(index.data.inSample.trackingError).toBeCloseTo(series.data.inSample.trackingError, 12);
    // the 1/n portfolio of the same names is another target: its beta is diluted by the cash
    expect(cash.data.targetExposures[0]).toBeLessThan(0.9 * index.data.targetExposures[0]);
  });

  it('minObs: a universe name with fewer returns in the fit window is left out of the risk model, with its count', async () => {
    const na = names.length;
    const values = Float64Array.from(market.returns.values);
    for (let t = 0; t < 250; t++) values[t * na] = NaN; // the first name: 49 returns before fitEnd
    const universe = new Panel(market.returns.dates, names, values);
    const base = { factors: market.factorReturns, factorNames: ['mkt_rf', 'smb', 'hml'], universe, fit: { end: fitEnd } };
    const target = { name: 'EW', equalWeight: true as const };
    const loose = await replicate({ ...base, target, exposureTolerance: 0.05 });
    expect(loose.data.riskModel.assets).toContain(names[0]);
    const strict = await replicate({ ...base, target, exposureTolerance: 0.05, minObs: 100 });
    expect(strict.data.riskModel.assets).not.toContain(names[0]);
    expect(strict.data.dropped).toEqual([{ asset: names[0], reason: 'not-fitted' }]);
  });
});

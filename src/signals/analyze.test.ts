import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import { analysisHeadlines, analyzeFactor } from './analyze.js';
import { prepareFactorData } from './factorData.js';
import { icAnalysis, icByGroup, icMonthlyTable } from './ic.js';

describe('analyzeFactor', () => {
  const market = syntheticMarket({ seed: 5, nAssets: 200, nDates: 400, signalIC: 0.08 });
  const result = analyzeFactor({ factor: market.signal, prices: market.prices }, { horizons: [1, 5], quantiles: 5 });

  it('has the JSON shape of the issue for every horizon', () => {
    const json = JSON.parse(JSON.stringify(result)) as Record<string, Record<string, Record<string, unknown>>>;
    for (const h of ['1', '5']) {
      expect(Object.keys(json.ic[h])).toEqual(expect.arrayContaining(['dates', 'pearson', 'spearman', 'n', 'summary']));
      const s = (json.ic[h].summary as Record<string, Record<string, unknown>>).pearson;
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining([
          'n',
          'mean',
          'std',
          'ir',
          'tStat',
          'pValue',
          'tStatNW',
          'pValueNW',
          'sharePositive',
          'shareAboveThreshold',
        ]),
      );
      expect(Object.keys(json.quantiles[h])).toEqual(expect.arrayContaining(['dates', 'meanReturn', 'meanOverDates', 'spread']));
      expect(Object.keys(json.quantiles[h].meanReturn as object)).toEqual(['1', '2', '3', '4', '5']);
      expect(Object.keys(json.regression[h])).toEqual(expect.arrayContaining(['dates', 'factorReturn', 't', 'summary']));
      expect(Object.keys(json.regression[h].summary as object)).toEqual(
        expect.arrayContaining(['meanFactorReturn', 'tStat', 'tStatNW', 'meanAbsT', 'shareAbsTAbove2', 'meanR2']),
      );
      expect(json.turnover[h]).toBeDefined();
    }
    expect(json.dataLoss).toBeDefined();
  });

  it('annualises with periodsPerYear: 252 detected for weekdays, 365 for a 7-day calendar, or as given', () => {
    expect(result.periodsPerYear).toBe(252);
    const s = result.ic['1'].summary.pearson;
    expect(s.irAnnualized).toBeCloseTo(s.ir * Math.sqrt(252), 12);
    const given = analyzeFactor({ factor: market.signal, prices: market.prices }, { horizons: [1], periodsPerYear: 260 });
    expect(given.periodsPerYear).toBe(260);
    expect(given.ic['1'].summary.pearson.irAnnualized).toBeCloseTo(given.ic['1'].summary.pearson.ir * Math.sqrt(260), 12);
    // the same market on a 7-day calendar (every calendar day from 2021-01-01)
    const start = Date.UTC(2021, 0, 1) / 86400000;
    const days = Int32Array.from(market.signal.dates, (_, i) => start + i);
    const onDays = (p: Panel): Panel => new Panel(days, p.assets, p.values);
    const crypto = analyzeFactor({ factor: onDays(market.signal), prices: onDays(market.prices) }, { horizons: [1] });
    expect(crypto.periodsPerYear).toBe(365);
    expect(() => analyzeFactor({ factor: market.signal, prices: market.prices }, { periodsPerYear: 0 })).toThrow(
      /periodsPerYear must be a number > 0/,
    );
  });

  it('recovers the planted IC at the planted horizon, within sampling error', () => {
    const s = result.ic['1'].summary.pearson;
    expect(Math.abs(s.mean - 0.08)).toBeLessThan((4 * s.std) / Math.sqrt(s.n));
  });

  it('per-horizon statistics equal the building blocks run on the same prepared data', () => {
    const data = prepareFactorData({ factor: market.signal, prices: market.prices, horizons: [1, 5] });
    const ic5 = icAnalysis(data.factor, data.forward.get(5) as Panel, { horizon: 5, periodsPerYear: 252 });
    expect(result.ic['5'].pearson).toEqual(ic5.pearson);
    expect(result.ic['5'].summary.spearman.tStatNW).toBe(ic5.summary.spearman.tStatNW);
    expect(result.steps).toEqual({ '1': 1, '5': 5 });
  });

  it('a predictive signal gives a positive, monotone top-minus-bottom spread', () => {
    const q = result.quantiles['1'];
    expect(q.spread.mean).toBeGreaterThan(0);
    expect(q.monotonicity).toBeGreaterThan(0.8);
    const means = [1, 2, 3, 4, 5].map((k) => q.meanOverDates[String(k)]);
    expect(means[4]).toBeGreaterThan(means[0]);
    const head = analysisHeadlines(result)[0];
    expect(head.horizon).toBe(1);
    expect(head.spreadMean).toBe(q.spread.mean);
    expect(head.turnoverTop).toBeGreaterThan(0);
    expect(head.turnoverTop).toBeLessThan(1);
  });

  it('pairwise and joint universes agree at one horizon', () => {
    const a = analyzeFactor({ factor: market.signal, prices: market.prices }, { horizons: [1], universe: 'joint' });
    const b = analyzeFactor({ factor: market.signal, prices: market.prices }, { horizons: [1], universe: 'pairwise' });
    expect(b.ic['1'].pearson).toEqual(a.ic['1'].pearson);
    expect(b.quantiles['1'].meanOverDates).toEqual(a.quantiles['1'].meanOverDates);
  });

  it('month-by-year IC tables, IC by group and IC decay equal their building blocks', () => {
    const groups = Object.fromEntries(market.assets.map((a) => [a, market.sectors[a]]));
    const r = analyzeFactor({ factor: market.signal, prices: market.prices }, { horizons: [1], groups, decayLags: [0, 1, 2] });
    const data = prepareFactorData({ factor: market.signal, prices: market.prices, horizons: [1], groups });
    const fwd = data.forward.get(1) as Panel;
    expect(r.icMonthly['1'].spearman).toEqual(icMonthlyTable(data.dates, r.ic['1'].spearman));
    const byGroup = icByGroup(data.factor, fwd, data.groups!, { horizon: 1, periodsPerYear: 252 });
    expect(r.icByGroup?.['1'].summary.map((g) => g.spearman.mean)).toEqual(byGroup.summary.map((g) => g.spearman.mean));
    expect(r.icByGroup?.['1'].groups.length).toBe(10);
    const decay = r.icDecay?.['1'] ?? [];
    expect(decay.map((d) => d.lag)).toEqual([0, 1, 2]);
    expect(decay[0].spearman.mean).toBe(r.ic['1'].summary.spearman.mean);
    // The planted signal is persistent (AR(1) 0.95): the IC fades slowly with the lag.
    expect(decay[2].pearson.mean).toBeLessThan(decay[0].pearson.mean);
    expect(decay[2].pearson.mean).toBeGreaterThan(0);
  });
});

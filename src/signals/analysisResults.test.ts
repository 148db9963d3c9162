import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import {
  analysisHeadlines,
  analyzeFactor,
  analyzeFactorData,
  factorDataInput,
  headlineTable,
  FactorAnalysisResults,
  type FactorAnalysis,
} from './analyze.js';
import { prepareFactorData } from './factorData.js';
import { quantileLabels } from './quantiles.js';

const market = syntheticMarket({ seed: 11, nAssets: 60, nDates: 160, signalIC: 0.08 });
const groups = Object.fromEntries(market.assets.map((a) => [a, market.sectors[a]]));
const input = { factor: market.signal, prices: market.prices };

/** The keys of the plain analysis, in the JSON's order (the sections in registry order, then dataLoss). */
const HEAD = [
  'horizons',
  'steps',
  'universe',
  'minAssets',
  'icThreshold',
  'executionLag',
  'periodsPerYear',
  'nDates',
  'nAssets',
  'firstDate',
  'lastDate',
];

describe('FactorAnalysisResults', () => {
  const options = { horizons: [1, 3], quantiles: 4, groups, decayLags: [0, 2] };
  const r = analyzeFactor(input, options);

  it('is the plain analysis: own properties in the JSON order, toJSON is that object, the prepared data is not serialised', () => {
    expect(r).toBeInstanceOf(FactorAnalysisResults);
    expect(Object.keys(r)).toEqual([...HEAD, 'ic', 'quantiles', 'regression', 'turnover', 'icMonthly', 'icByGroup', 'icDecay', 'dataLoss']);
    expect(Object.keys(r.toJSON())).toEqual(Object.keys(r));
    const json = JSON.stringify(r);
    expect(json).toBe(JSON.stringify(r.toJSON()));
    expect(json).toBe(JSON.stringify({ ...r })); // code that spread the plain object gets the same JSON
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(parsed).not.toHaveProperty('data');
    expect(parsed).not.toHaveProperty('options');
    // without groups or decay lags those sections are absent, as in the plain object
    expect(Object.keys(analyzeFactor(input, { horizons: [1] }))).toEqual([
      ...HEAD,
      'ic',
      'quantiles',
      'regression',
      'turnover',
      'icMonthly',
      'dataLoss',
    ]);
  });

  it('keeps the prepared factor data: the same numbers as preparing it again', () => {
    const again = prepareFactorData(factorDataInput(input, options));
    expect(Array.from(r.data.dates)).toEqual(Array.from(again.dates));
    expect(Array.from(r.data.factor.values)).toEqual(Array.from(again.factor.values));
    for (const h of [1, 3]) expect(Array.from(r.data.forward.get(h)!.values)).toEqual(Array.from(again.forward.get(h)!.values));
    expect(Array.from(r.data.entryRows)).toEqual(Array.from(again.entryRows));
    expect(r.options.quantiles).toBe(4);
    // analyzeFactorData keeps the very data it was given
    expect(analyzeFactorData(again, options).data).toBe(again);
  });

  it('quantileLabels(h) are the analysis binning of its universe: one set in joint, masked per horizon in pairwise', () => {
    const joint = r.quantileLabels(1);
    expect(r.quantileLabels(3)).toBe(joint); // computed once
    const fresh = quantileLabels(r.data.factor, { binning: 4, groups: r.data.groups });
    expect(Array.from(joint.labels)).toEqual(Array.from(fresh.labels));
    // the labels count what the quantile section counts
    const counts = r.quantiles['1'].count;
    let labelled = 0;
    for (const l of joint.labels) if (l > 0) labelled++;
    expect(labelled).toBe(Object.values(counts).reduce((s, c) => s + c.reduce((a, b) => a + b, 0), 0));
    const pw = analyzeFactor(input, { horizons: [1, 3], quantiles: 3, universe: 'pairwise', byGroup: true, groups });
    const masked = quantileLabels(pw.data.factor, { binning: 3, byGroup: true, groups: pw.data.groups, mask: pw.data.forward.get(3) });
    expect(Array.from(pw.quantileLabels(3).labels)).toEqual(Array.from(masked.labels));
    expect(pw.quantileLabels(3)).not.toBe(pw.quantileLabels(1));
    expect(() => r.quantileLabels(2)).toThrow("quantileLabels: horizon 2 is not one of the analysis's (1, 3)");
    expect(() => r.quantileLabels(2)).toThrow(InputError); // a RangeError before
  });

  it("headlines() are each statistic's numbers by name (the same as reading the sections by hand), also from the parsed JSON", () => {
    const heads = r.headlines();
    expect(heads).toEqual(analysisHeadlines(r));
    heads.forEach((h, i) => {
      const k = String(options.horizons[i]);
      const q = r.quantiles[k],
        to = r.turnover[k],
        reg = r.regression[k].summary;
      expect(h).toEqual({
        horizon: options.horizons[i],
        ic: r.ic[k].summary.pearson,
        rankIc: r.ic[k].summary.spearman,
        spreadMean: q.spread.mean,
        spreadT: q.spread.tStat,
        spreadTNW: q.spread.tStatNW,
        monotonicity: q.monotonicity,
        meanAbsT: reg.meanAbsT,
        shareAbsTAbove2: reg.shareAbsTAbove2,
        meanFactorReturn: reg.meanFactorReturn,
        factorReturnTNW: reg.tStatNW,
        turnoverTop: to.meanByQuantile['4'],
        turnoverBottom: to.meanByQuantile['1'],
        rankAutocorrelation: to.rankAutocorrelation.mean,
      });
    });
    // the zoo reads a result parsed back from JSON: the same numbers (finite ones; NaN came back as null)
    const parsed = JSON.parse(JSON.stringify(r)) as FactorAnalysis;
    expect(analysisHeadlines(parsed)[0].spreadMean).toBe(heads[0].spreadMean);
    expect(r.headlineTable()).toEqual(headlineTable(r));
    expect(r.headlineTable().map((row) => row.label)).toContain('turnover top / bottom');
  });

  it('a statistic that did not run gives NaN headlines (one formation date per rebalance: no turnover)', () => {
    const few = analyzeFactor(input, { horizons: [1], quantiles: 2 });
    const noTurnover: FactorAnalysis = { ...few.toJSON(), turnover: {} };
    const h = analysisHeadlines(noTurnover)[0];
    expect(h.turnoverTop).toBeNaN();
    expect(h.rankAutocorrelation).toBeNaN();
    expect(h.spreadMean).toBe(few.quantiles['1'].spread.mean);
  });

  it('property: on random panels toJSON, spread and JSON.stringify agree, and the kept forward returns are p(e + h) / p(e) − 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 4, max: 12 }), fc.integer({ min: 12, max: 40 }), (seed, m, n) => {
        const mk = syntheticMarket({ seed, nAssets: m, nDates: n });
        const res = analyzeFactor({ factor: mk.signal, prices: mk.prices }, { horizons: [1, 2], minAssets: 2, maxLoss: 1 });
        const json = JSON.stringify(res);
        expect(JSON.stringify(res.toJSON())).toBe(json);
        expect(JSON.stringify({ ...res })).toBe(json);
        const d = res.data,
          p = mk.prices;
        for (let t = 0; t < d.dates.length; t++) {
          for (let j = 0; j < m; j++) {
            const v = d.forward.get(2)!.values[t * m + j];
            if (v === v)
              expect(v).toBe(
                p.values[(d.entryRows[t] + 2) * p.nAssets + p.assetIndex(d.assets[j])] /
                  p.values[d.entryRows[t] * p.nAssets + p.assetIndex(d.assets[j])] -
                  1,
              );
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('FactorAnalysisResults built by hand', () => {
  it('wraps a plain analysis with its data and options', () => {
    const data = prepareFactorData({ ...input, horizons: [1] });
    const plain = analyzeFactorData(data, { horizons: [1] }).toJSON();
    const res = new FactorAnalysisResults(plain, data, { horizons: [1] });
    expect(JSON.stringify(res)).toBe(JSON.stringify(plain));
    expect(res.data).toBe(data);
    expect(res.ic['1'].n.length).toBe(data.dates.length);
    expect(new Panel(data.dates, data.assets, data.factor.values).nDates).toBe(res.nDates);
  });
});

/**
 * The library audit of the signals layer's public names: misspelt options are InputErrors naming
 * the nearest option (they ran the default without a word: `quantileLabels(f, { quantiles: 10 })`
 * labelled quintiles), two panels paired cell by cell must be on one grid, and the caller's
 * arguments are InputErrors naming them (RangeErrors and silent NaN weights before).
 */
import { describe, expect, it } from 'vitest';
import { forwardReturns } from '../core/returns.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { syntheticMarket } from '../synthetic/market.js';
import { combineFactors, trailingIcWeights } from './composite.js';
import { combineFactorsWithPrices } from './combineWithPrices.js';
import { eventReturns } from './eventReturns.js';
import { factorReturns, factorWeights } from './factorWeights.js';
import { icAnalysis, icByGroup, icDecay, informationCoefficient } from './ic.js';
import { momentum } from './momentum.js';
import { neutralize, rankTransform, winsorize } from './preprocess.js';
import { factorWeightedReturns, quantileLabels, quantileReturns } from './quantiles.js';
import { regressionTest } from './regression.js';
import { summarizeSeries } from './summary.js';
import { factorRankAutocorrelation } from './turnover.js';

const market = syntheticMarket({ seed: 5, nAssets: 12, nDates: 80 });
const factor = market.signal;
const forward = forwardReturns(market.prices, [1]).get(1)!;
const bad = <T>(o: object): T => o as unknown as T;

describe('misspelt options name the nearest option', () => {
  it('IC, quantiles, regression, summaries', () => {
    expect(() => informationCoefficient(factor, forward, bad({ minAsset: 5 }))).toThrow(
      'informationCoefficient options: unknown option "minAsset" (did you mean "minAssets"?)',
    );
    expect(() => icAnalysis(factor, forward, bad({ horizn: 5 }))).toThrow(/icAnalysis options: unknown option "horizn"/);
    expect(() => icDecay(factor, forward, bad({ decaylags: [0, 1] }))).toThrow(/did you mean "decayLags"/);
    const groups = { names: ['g'], codes: new Int32Array(factor.values.length) };
    expect(() => icByGroup(factor, forward, groups, bad({ lag: 2 }))).toThrow(/icByGroup options: unknown option "lag"/);
    expect(() => quantileLabels(factor, bad({ quantiles: 10 }))).toThrow('quantileLabels options: unknown option "quantiles"');
    const labels = quantileLabels(factor, { binning: 3 });
    expect(labels.quantiles).toBe(3);
    expect(() => quantileReturns(labels, forward, bad({ horizon: 1, nwLag: 2 }))).toThrow(/did you mean "nwLags"/);
    expect(() => quantileReturns(labels, forward, undefined as never)).toThrow('quantileReturns needs options with the horizon'); // a TypeError before
    expect(() => regressionTest(factor, forward, bad({ weight: factor }))).toThrow(/regressionTest options: unknown option "weight"/);
    expect(() => summarizeSeries([1, 2, 3], bad({ horizn: 2 }))).toThrow(/summarizeSeries options: unknown option "horizn"/);
  });

  it('preprocessing, factor weights, momentum, composites, event returns', () => {
    expect(() => winsorize(factor, bad({ limits: 0.01 }))).toThrow('winsorize options: unknown option "limits"');
    expect(() => rankTransform(factor, bad({ pct: true }))).toThrow('rankTransform options: unknown option "pct"');
    expect(() => neutralize(factor, bad({ group: {} }))).toThrow(/did you mean "groups"/);
    expect(() => factorWeights(factor, bad({ demean: false }))).toThrow(/did you mean "demeaned"/);
    expect(() => factorReturns(factor, forward, bad({ mask: factor }))).toThrow('factorReturns options: unknown option "mask"');
    expect(() => momentum(market.prices, bad({ lookbak: 20 }))).toThrow(/did you mean "lookback"/);
    expect(() => combineFactors({ a: factor, b: factor }, bad({ methd: 'ic' }))).toThrow(/did you mean "method"/);
    expect(() => combineFactorsWithPrices({ a: factor }, market.prices, bad({ windows: 6 }))).toThrow(/did you mean "window"/);
    expect(() =>
      eventReturns(
        { prices: market.prices, entryRows: Int32Array.from({ length: 80 }, (_, t) => t), labels: quantileLabels(factor) },
        bad({ befor: 3 }),
      ),
    ).toThrow(/eventReturns options: unknown option "befor"/);
  });

  it('the right names give the same numbers as the defaults they spell', () => {
    expect(informationCoefficient(factor, forward, { minAssets: 3 }).pearson).toEqual(informationCoefficient(factor, forward).pearson);
    expect(summarizeSeries([1, 2, 4], { horizon: 1 })).toEqual(summarizeSeries([1, 2, 4]));
    expect(combineFactorsWithPrices({ a: factor }, market.prices, { method: 'equal' }).composite.values).toEqual(
      combineFactors({ a: factor }).composite.values,
    );
  });
});

describe('arguments', () => {
  it('factorWeightedReturns pairs the panels cell by cell: another asset order is an InputError (it was paired silently)', () => {
    const reordered = forward.selectAssets(forward.assets.slice().reverse());
    expect(() => factorWeightedReturns(factor, reordered)).toThrow(/forward returns and factor differ at column 0/);
    const shifted = new Panel(
      forward.dates.map((d) => d + 1),
      forward.assets,
      forward.values,
    );
    expect(() => factorWeightedReturns(factor, shifted)).toThrow(InputError);
  });

  it('factorRanks of the wrong length: an InputError naming it (a RangeError before)', () => {
    expect(() => factorRankAutocorrelation(factor, 1, new Float64Array(3))).toThrow(/factorRanks has 3 values/);
    expect(() => informationCoefficient(factor, forward, { factorRanks: new Float64Array(3) })).toThrow(InputError);
    expect(() => quantileLabels(factor, { factorRanks: new Float64Array(3) })).toThrow(InputError);
  });

  it('trailingIcWeights checks its arguments (a horizon of 0 used the same row, a string window or unknown method gave NaN weights)', () => {
    const o = { horizon: 1, window: 5, minPeriods: 1 };
    expect(() => trailingIcWeights([[1, 2]], [1, 2], 'ic', { ...o, horizon: 0 })).toThrow(
      'horizon must be a whole number of rows >= 1, got 0',
    );
    expect(() => trailingIcWeights([[1, 2]], [1, 2], 'ic', bad({ ...o, window: '5' }))).toThrow(InputError);
    expect(() => trailingIcWeights([[1, 2]], [1, 2], 'icr' as never, o)).toThrow("method must be one of 'ic', 'icir'");
    expect(() => trailingIcWeights([[1, 2, 3]], [1, 2], 'ic', o)).toThrow('ics[0] has 3 values, expected 2');
    expect(() => trailingIcWeights([[1, 2]], [1, 2], 'ic', { ...o, minPeriods: 6 })).toThrow(InputError);
    expect(Array.from(trailingIcWeights([[0.1, 0.2, 0.3]], [1, 2, 3], 'ic', o)[0])).toEqual([NaN, 1, 1]);
  });
});

/**
 * Two panels that a function pairs cell by cell (factor and forward returns, factor and mask,
 * weights, size) must be on the same dates and assets. Before, only the shape was compared in most
 * places, so a forward-return panel on another calendar, or with its assets in another order, gave
 * an IC, a regression or quantile returns from misaligned cells without a word.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { combineFactors } from './composite.js';
import { factorReturns, factorWeights } from './factorWeights.js';
import { icAnalysis, informationCoefficient } from './ic.js';
import { neutralize } from './preprocess.js';
import { quantileLabels, quantileReturns } from './quantiles.js';
import { regressionTest } from './regression.js';

const nd = 12,
  m = 6;
const dates = makeCalendar(Array.from({ length: nd }, (_, t) => 19000 + t));
const assets = Array.from({ length: m }, (_, j) => `A${j}`);
const values = (seed: number) => Float64Array.from({ length: nd * m }, (_, i) => Math.sin(i * 1.7 + seed));
const factor = new Panel(dates, assets, values(1));
const forward = new Panel(
  dates,
  assets,
  values(2).map((x) => x / 100),
);

/** Every public function that pairs `forward` with the factor cell by cell. */
const pairings: [string, (fwd: Panel) => unknown][] = [
  ['informationCoefficient', (f) => informationCoefficient(factor, f)],
  ['icAnalysis', (f) => icAnalysis(factor, f)],
  ['regressionTest', (f) => regressionTest(factor, f)],
  ['factorReturns', (f) => factorReturns(factor, f)],
  ['factorWeights mask', (f) => factorWeights(factor, { mask: f })],
  ['quantileLabels mask', (f) => quantileLabels(factor, { mask: f })],
  ['quantileReturns', (f) => quantileReturns(quantileLabels(factor, { binning: 3 }), f, { horizon: 1 })],
  ['combineFactors forward', (f) => combineFactors({ a: factor, b: factor }, { method: 'ic', forward: f, window: 3 })],
  ['combineFactors second factor', (f) => combineFactors({ a: factor, b: f })],
  [
    'neutralize size',
    (f) => neutralize(factor, { size: f.values.some((x) => x <= 0) ? new Panel(f.dates, f.assets, f.values.map(Math.abs)) : f }),
  ],
];

describe('panels paired cell by cell must share dates and assets', () => {
  it.each(pairings)('%s accepts the same grid', (_, call) => {
    expect(() => call(forward)).not.toThrow();
  });

  it.each(pairings)('%s refuses any other order of the same assets, naming the first differing column', (_, call) => {
    fc.assert(
      fc.property(fc.shuffledSubarray(assets, { minLength: m, maxLength: m }), (order) => {
        fc.pre(order.some((a, j) => a !== assets[j]));
        const j = order.findIndex((a, k) => a !== assets[k]);
        const shuffled = new Panel(dates, order, forward.values);
        expect(() => call(shuffled)).toThrow(InputError);
        expect(() => call(shuffled)).toThrow(`differ at column ${j} (asset "${order[j]}" vs "${assets[j]}")`);
      }),
      { numRuns: 20 },
    );
  });

  it.each(pairings)('%s refuses the same shape on other dates, naming the first differing row', (_, call) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: nd - 1 }), fc.integer({ min: 1, max: 400 }), (from, shift) => {
        const moved = makeCalendar(Array.from(dates, (d, t) => (t >= from ? d + shift + 1000 : d)));
        expect(() => call(new Panel(moved, assets, forward.values))).toThrow(`differ at row ${from}`);
      }),
      { numRuns: 20 },
    );
  });
});

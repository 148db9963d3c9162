/**
 * Option values a JavaScript caller can get wrong in the single-factor functions: an InputError
 * naming the option, never a silent default (an unknown scale read as 'rank', period as monthly,
 * IC flavour as Pearson) or a clamped lag.
 */
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { combineFactors } from './composite.js';
import { icByPeriod } from './ic.js';
import { rankTransform } from './preprocess.js';
import { quantileLabels, quantileNav, quantileReturns } from './quantiles.js';
import { regressionTest } from './regression.js';
import { meanTest } from './summary.js';

const nd = 12,
  m = 6;
const dates = makeCalendar(Array.from({ length: nd }, (_, t) => 19000 + t));
const assets = Array.from({ length: m }, (_, j) => `A${j}`);
const factor = new Panel(
  dates,
  assets,
  Float64Array.from({ length: nd * m }, (_, i) => Math.sin(i * 1.7)),
);
const forward = new Panel(
  dates,
  assets,
  Float64Array.from({ length: nd * m }, (_, i) => Math.cos(i * 0.9) / 100),
);

describe('signals: option values', () => {
  it('string options outside their list', () => {
    expect(() => rankTransform(factor, { scale: 'pct' as never })).toThrow(`scale must be one of 'rank', 'unit', got "pct" (a string)`);
    expect(() => regressionTest(factor, forward, { factorScale: 'rank' as never })).toThrow(`factorScale must be one of 'raw', 'zscore'`);
    expect(() => regressionTest(factor, forward, { weights: factor, weightTransform: 'log' as never })).toThrow(
      'weightTransform must be one of',
    );
    expect(() => icByPeriod(dates, new Float64Array(nd), 'week' as never)).toThrow(
      `period must be one of 'weekly', 'monthly', 'quarterly', 'annual'`,
    );
    expect(() => combineFactors({ a: factor, b: factor }, { method: 'ic', forward, ic: 'kendall' as never, window: 3 })).toThrow(
      `ic must be one of 'spearman', 'pearson'`,
    );
  });

  it('binning of the wrong type or without a known key (a TypeError before)', () => {
    expect(() => quantileLabels(factor, { binning: '5' as never })).toThrow('binning must be a number of quantiles or a BinSpec');
    expect(() => quantileLabels(factor, { binning: { quantile: 3 } as never })).toThrow(
      'binning has none of quantiles, quantileEdges, bins, binEdges (keys: quantile)',
    );
  });

  it('Newey-West lags and periods per year of quantile returns, and per-date means of another length', () => {
    const labels = quantileLabels(factor, { binning: 3 });
    expect(() => quantileReturns(labels, forward, { horizon: 1, nwLags: -2 })).toThrow(
      'nwLags must be a whole number of lags >= 0, got -2',
    );
    expect(() => quantileReturns(labels, forward, { horizon: 1, periodsPerYear: 0 })).toThrow(
      'periodsPerYear must be a finite number > 0, got 0',
    );
    expect(() => quantileNav(dates, [new Float64Array(3)], 1, 252)).toThrow('perDate[0] has 3 values, expected 12');
    expect(() => meanTest([0.1, 0.2, 0.3], -1)).toThrow('lags must be a whole number of Newey-West lags >= 0, got -1');
  });
});

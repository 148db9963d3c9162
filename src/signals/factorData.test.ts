import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { syntheticMarket } from '../synthetic/market.js';
import { prepareFactorData, rebalanceStep } from './factorData.js';

// 9 trading days, 4 assets. C lacks a price on 01-05; D stops after 01-09.
const PD = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12']);
const prices = Panel.fromColumns(PD, {
  A: [10, 11, 12, 13, 14, 15, 16, 17, 18],
  B: [20, 19, 18, 17, 16, 15, 14, 13, 12],
  C: [5, 5.5, 6, NaN, 7, 7.5, 8, 8.5, 9],
  D: [40, 41, 42, 43, 44, 45, NaN, NaN, NaN],
});

function dailyFactor(): Panel {
  return new Panel(PD, ['A', 'B', 'C', 'D'], Float64Array.from({ length: 36 }, (_, i) => (i * 7) % 11));
}

describe('prepareFactorData', () => {
  it('daily factor: forward returns equal core forwardReturns at the formation rows (joint universe)', () => {
    const fd = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1, 2], minAssets: 1, maxLoss: 1 });
    const core = forwardReturns(prices, [1, 2]);
    expect(fd.universe).toBe('joint');
    expect(fd.periodsPerYear).toBe(252);
    for (let r = 0; r < fd.dates.length; r++) {
      const t = fd.entryRows[r];
      expect(fd.dates[r]).toBe(PD[t]);
      for (let j = 0; j < 4; j++) {
        const f1 = core.get(1)?.at(t, j) ?? NaN, f2 = core.get(2)?.at(t, j) ?? NaN;
        const both = Number.isFinite(f1) && Number.isFinite(f2);
        expect(fd.forward.get(1)?.at(r, j)).toBe(both ? f1 : NaN);
        expect(fd.forward.get(2)?.at(r, j)).toBe(both ? f2 : NaN);
        expect(fd.factor.at(r, j)).toBe(both ? dailyFactor().at(t, j) : NaN);
      }
    }
    // the last two rows have no 2-row forward return for anyone: dropped dates
    expect(fd.dates.length).toBe(7);
    // account: 36 observations; no-price: C row 3, D rows 6..8 (4). Missing forward returns:
    // h = 1: row 8 (A, B, C), D row 5, C row 2 = 5; h = 2: rows 7, 8 (6), D rows 4, 5, C row 1 = 9;
    // joint drops the union: 10
    const loss = fd.dataLoss;
    expect(loss.initial).toBe(36);
    expect(loss.common.map((s) => [s.stage, s.dropped])).toEqual([['unmatched-date', 0], ['no-price', 4]]);
    expect(loss.horizons[0].stages[0]).toMatchObject({ stage: 'no-forward-return', dropped: 10, byHorizon: { 1: 5, 2: 9 } });
    expect(loss.horizons[0].remaining).toBe(22);
    expect(loss.horizons[1].remaining).toBe(22);
  });

  it('pairwise: each horizon keeps the assets with its own forward return', () => {
    const fd = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1, 2], universe: 'pairwise', minAssets: 1, maxLoss: 1 });
    const core = forwardReturns(prices, [1]).get(1) as Panel;
    // row 7 (2024-01-11) is kept: it has 1-row forward returns for A, B, C
    expect(fd.dates.length).toBe(8);
    const r7 = fd.dates.indexOf(PD[7]);
    expect(fd.forward.get(1)?.at(r7, 0)).toBe(core.at(7, 0));
    expect(fd.forward.get(2)?.at(r7, 0)).toBeNaN();
    expect(fd.factor.at(r7, 0)).toBe(dailyFactor().at(7, 0));
    expect(fd.dataLoss.horizons.map((h) => h.remaining)).toEqual([27, 23]);
  });

  it('monthly factor dates are matched to the next price date; late and duplicate dates are dropped', () => {
    // 01-06 (Saturday) -> 01-08; 01-07 (Sunday) also -> 01-08: the later one wins; 01-13 is after the prices
    const fdates = calendarFromIso(['2024-01-02', '2024-01-06', '2024-01-07', '2024-01-13']);
    const factor = new Panel(fdates, ['A', 'B', 'C'], Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3]));
    const fd = prepareFactorData({ factor, prices, horizons: [1], minAssets: 1, maxLoss: 1 });
    expect(Array.from(fd.dates)).toEqual([fdates[0], fdates[2]]);
    expect(Array.from(fd.entryRows)).toEqual([0, 4]);
    expect(fd.factor.at(1, 0)).toBe(7);
    expect(fd.forward.get(1)?.at(1, 0)).toBeCloseTo(15 / 14 - 1, 15);
    expect(fd.dataLoss.common[0]).toMatchObject({ stage: 'unmatched-date', dropped: 6, share: 0.5 });
  });

  it('execution lag shifts the entry price', () => {
    const fd = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1], executionLag: 1, minAssets: 1, maxLoss: 1 });
    expect(fd.entryRows[0]).toBe(1);
    expect(fd.forward.get(1)?.at(0, 0)).toBeCloseTo(12 / 11 - 1, 15);
    expect(fd.forward.get(1)?.at(0, 1)).toBeCloseTo(18 / 19 - 1, 15);
  });

  it('dates with fewer than minAssets are dropped and counted', () => {
    const fd = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1], minAssets: 4, maxLoss: 1 });
    // only rows where all four assets have a 1-row forward return survive: 0, 1, 4
    // (C lacks row 3, so rows 2 and 3 fail; D ends after row 5)
    const kept = Array.from(fd.entryRows);
    expect(kept).toEqual([0, 1, 4]);
    for (const t of kept) for (let j = 0; j < 4; j++) expect(fd.factor.at(kept.indexOf(t), j)).not.toBeNaN();
    const s = fd.dataLoss.horizons[0].stages[1];
    expect(s.stage).toBe('below-min-assets');
    expect(s.droppedDates).toBe(8 - kept.length);
    expect(s.remaining).toBe(4 * kept.length);
  });

  it('groups: observations without a group are dropped; weights are read as of the price date', () => {
    const weights = new Panel(calendarFromIso(['2023-12-29', '2024-01-05']), ['A', 'B', 'C', 'D'], Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40]));
    const fd = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1], groups: { A: 'x', B: 'y', D: 'x' }, weights, minAssets: 1, maxLoss: 1 });
    expect(fd.groups?.names).toEqual(['x', 'y']);
    expect(fd.dataLoss.common[2]).toMatchObject({ stage: 'no-group', dropped: 8 }); // C on the 8 rows it has a price
    for (let r = 0; r < fd.dates.length; r++) expect(fd.factor.at(r, 2)).toBeNaN();
    expect(fd.weights?.at(0, 0)).toBe(1);
    const r4 = fd.dates.indexOf(PD[4]);
    expect(fd.weights?.at(r4, 1)).toBe(20);
  });

  it('maxLoss: too much lost throws an InputError naming the stages', () => {
    const factor = new Panel(calendarFromIso(['2024-01-02', '2024-02-01']), ['A', 'Z'], Float64Array.from([1, 2, 3, 4]));
    let err: unknown;
    try { prepareFactorData({ factor, prices, horizons: [1], minAssets: 1 }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/75\.0% of the 4 factor observations were lost/);
    expect((err as Error).message).toMatch(/unmatched-date 50\.0%/);
    expect((err as Error).message).toMatch(/no-price 25\.0%/);
    expect(() => prepareFactorData({ factor, prices, horizons: [0] })).toThrow(/horizon/);
  });

  it('shared forward returns give identical data', () => {
    const shared = forwardReturns(prices, [1, 2]);
    const a = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1, 2], minAssets: 1, maxLoss: 1 });
    const b = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1, 2], minAssets: 1, maxLoss: 1, forwardReturns: shared });
    expect(Array.from(b.forward.get(2)?.values ?? [])).toEqual(Array.from(a.forward.get(2)?.values ?? []));
    expect(() => prepareFactorData({ factor: dailyFactor(), prices, horizons: [5], forwardReturns: shared })).toThrow(/lacks horizon 5/);
  });

  it('rebalance step: h for a daily factor, 1 for a monthly factor at h = 21; monthly periods per year', () => {
    expect(rebalanceStep({ entryRows: Int32Array.from([0, 1, 2, 3]) }, 5)).toBe(5);
    expect(rebalanceStep({ entryRows: Int32Array.from([0, 21, 41, 63, 84]) }, 21)).toBe(1);
    expect(rebalanceStep({ entryRows: Int32Array.from([0, 21, 41, 63, 84]) }, 63)).toBe(3);
    const mkt = syntheticMarket({ seed: 3, nAssets: 20, nDates: 300 });
    const monthEnds = mkt.dates.filter((d, i) => i + 1 < mkt.dates.length && new Date(mkt.dates[i + 1] * 864e5).getUTCMonth() !== new Date(d * 864e5).getUTCMonth());
    const factor = new Panel(Int32Array.from(monthEnds), mkt.assets, Float64Array.from({ length: monthEnds.length * 20 }, (_, i) => (i * 13) % 17));
    const fd = prepareFactorData({ factor, prices: mkt.prices, horizons: [21] });
    expect(fd.periodsPerYear).toBe(12);
    expect(rebalanceStep(fd, 21)).toBe(1);
  });
});

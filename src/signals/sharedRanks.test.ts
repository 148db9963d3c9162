/**
 * The shared factor ranks (stats rowRanks) are only a speed-up: IC, rank autocorrelation and
 * quantile labels computed with them must be bit-identical to the same functions without them,
 * including ties, ±0, infinities, NaN holes, masks (pairwise universe) and groups. The same for
 * the forward returns presorted once for many factors (forwardOrder.ts): every per-date array of
 * the engine is the same with and without them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { createCorrelationScratch, spearmanAt, spearmanRanksAt } from '../stats/correlation.js';
import { averageRanks, NO_LESS_COUNT, ranksFromLessCounts, rowLessCounts, rowRanks } from '../stats/ranks.js';
import { forwardReturns as coreForwardReturns } from '../core/returns.js';
import { analyzeFactor, createPerDateStatistics, factorDataInput, perDateStatistics, type AnalyzeOptions } from './analyze.js';
import { prepareFactorData } from './factorData.js';
import { forwardReturnOrder, returnsOrderFor } from './forwardOrder.js';
import { informationCoefficient, icDecay } from './ic.js';
import { quantileLabels } from './quantiles.js';
import { factorRankAutocorrelation } from './turnover.js';

const DAY0 = 19000;

function panelOf(values: number[], nDates: number, nAssets: number): Panel {
  return new Panel(
    Int32Array.from({ length: nDates }, (_, t) => DAY0 + t),
    Array.from({ length: nAssets }, (_, j) => `A${j}`),
    Float64Array.from(values),
  );
}

const cell = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 2 }).map((k) => k / 2) }, // ties
  { weight: 1, arbitrary: fc.constantFrom(NaN, -0, 0, Infinity, -Infinity) },
);

const shape = fc.record({ nDates: fc.integer({ min: 1, max: 6 }), nAssets: fc.integer({ min: 1, max: 30 }) }).chain(({ nDates, nAssets }) =>
  fc.record({
    nDates: fc.constant(nDates),
    nAssets: fc.constant(nAssets),
    f: fc.array(cell, { minLength: nDates * nAssets, maxLength: nDates * nAssets }),
    r: fc.array(cell, { minLength: nDates * nAssets, maxLength: nDates * nAssets }),
    codes: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: nDates * nAssets, maxLength: nDates * nAssets }),
  }),
);

const same = (a: ArrayLike<number>, b: ArrayLike<number>): void => expect(Array.from(a)).toEqual(Array.from(b));

describe('shared factor ranks change no number', () => {
  it('hand-computed: a joint-universe row uses the shared ranks and gives the textbook rank IC', () => {
    // f = [1, 2, 3, 4], r = [0.1, 0.3, 0.2, 0.4]: ranks [1,2,3,4] vs [1,3,2,4], rho = 1 − 6·2/(4·15) = 0.8
    const f = panelOf([1, 2, 3, 4], 1, 4),
      r = panelOf([0.1, 0.3, 0.2, 0.4], 1, 4);
    const ranks = rowRanks(f.values, 1, 4);
    same(ranks, [1, 2, 3, 4]);
    expect(informationCoefficient(f, r, { factorRanks: ranks }).spearman[0]).toBeCloseTo(0.8, 15);
  });

  it('information coefficient and IC decay (property)', () => {
    fc.assert(
      fc.property(shape, ({ nDates, nAssets, f, r }) => {
        const fp = panelOf(f, nDates, nAssets),
          rp = panelOf(r, nDates, nAssets);
        const ranks = rowRanks(fp.values, nDates, nAssets);
        const a = informationCoefficient(fp, rp, { minAssets: 2 }),
          b = informationCoefficient(fp, rp, { minAssets: 2, factorRanks: ranks });
        expect(b).toEqual(a);
        expect(icDecay(fp, rp, { minAssets: 2, decayLags: [0, 1, 2] })).toEqual(
          icDecay(fp, rp, { minAssets: 2, decayLags: [0, 1, 2], factorRanks: ranks }),
        );
      }),
    );
  });

  it('rank autocorrelation (property)', () => {
    fc.assert(
      fc.property(shape, ({ nDates, nAssets, f }) => {
        const fp = panelOf(f, nDates, nAssets);
        expect(factorRankAutocorrelation(fp, 1, rowRanks(fp.values, nDates, nAssets))).toEqual(factorRankAutocorrelation(fp, 1));
      }),
    );
  });

  it('quantile labels: plain, masked (pairwise), by group, equal-width bins (property)', () => {
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 7 }), ({ nDates, nAssets, f, r, codes }, q) => {
        const fp = panelOf(f, nDates, nAssets),
          mask = panelOf(r, nDates, nAssets);
        const factorRanks = rowRanks(fp.values, nDates, nAssets);
        const groups = { names: ['a', 'b', 'c'], codes: Int32Array.from(codes) };
        for (const o of [
          { binning: q },
          { binning: q, mask },
          { binning: q, byGroup: true, groups },
          { binning: { bins: q } },
          { binning: { quantileEdges: [0, 0.1, 0.5, 1] } },
        ]) {
          expect(quantileLabels(fp, { ...o, factorRanks })).toEqual(quantileLabels(fp, o));
        }
      }),
    );
  });

  it('spearmanRanksAt equals spearmanAt when the ranks are those of the indexed values (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 40 }), (pairs) => {
        const x = pairs.map((p) => p[0]),
          y = pairs.map((p) => p[1]);
        const index = Int32Array.from(x.flatMap((v, i) => (Number.isNaN(v) || Number.isNaN(y[i]) ? [] : [i])));
        const ranks = new Float64Array(x.length).fill(NaN);
        const picked = rowRanks(
          Float64Array.from(index, (i) => x[i]),
          1,
          index.length,
        );
        index.forEach((i, k) => {
          ranks[i] = picked[k];
        });
        const s = createCorrelationScratch(x.length);
        expect(spearmanRanksAt(ranks, y, index, s)).toEqual(spearmanAt(x, y, index, s));
      }),
    );
  });

  it('rejects ranks of the wrong size', () => {
    const f = panelOf([1, 2, 3, 4], 1, 4);
    expect(() => informationCoefficient(f, f, { factorRanks: new Float64Array(3) })).toThrow(/factorRanks/);
    expect(() => quantileLabels(f, { factorRanks: new Float64Array(3) })).toThrow(/factorRanks/);
    expect(() => factorRankAutocorrelation(f, 1, new Float64Array(3))).toThrow(/factorRanks/);
  });
});

describe('presorted forward returns (a zoo) change no number', () => {
  it('hand-computed: less-counts of a row and the ranks of a subset with a tie', () => {
    // row [0.3, NaN, -0, 0.1, 0, 0.3]: below 0.3 are -0, 0.1, 0 (3); -0 and 0 tie at 0
    const lc = rowLessCounts(Float64Array.from([0.3, NaN, -0, 0.1, 0, 0.3]), 1, 6);
    same(lc.less, [3, NO_LESS_COUNT, 0, 2, 0, 3]);
    same(lc.count, [5]);
    // the subset {-0, 0.1, 0.3 (col 5)}: ranks 1, 2, 3; the subset {0, -0, 0.3, 0.3}: 1.5, 1.5, 3.5, 3.5
    const dst = new Float64Array(4);
    const scratch = (): [Int32Array, Float64Array] => [new Int32Array(6), new Float64Array(6)];
    expect(ranksFromLessCounts([0, 2, 3], 3, 5, ...scratch(), dst)).toBe(3);
    same(dst.subarray(0, 3), [1, 2, 3]);
    expect(ranksFromLessCounts([0, 0, 3, 3], 4, 5, ...scratch(), dst)).toBe(4);
    same(dst, [1.5, 1.5, 3.5, 3.5]);
    // a NaN cell's less-count is not a value of the row: it is not counted
    expect(ranksFromLessCounts([0, NO_LESS_COUNT], 2, 5, ...scratch(), dst)).toBe(1);
  });

  it('ranks of any subset from the less-counts equal averageRanks of the subset (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, fc.boolean()), { minLength: 1, maxLength: 60 }), (cells) => {
        const row = Float64Array.from(cells, (c) => c[0]);
        const lc = rowLessCounts(row, 1, row.length);
        const pick = cells.flatMap((c, j) => (c[1] && !Number.isNaN(c[0]) ? [j] : []));
        const dst = new Float64Array(row.length);
        const n = ranksFromLessCounts(
          pick.map((j) => lc.less[j]),
          pick.length,
          lc.count[0],
          new Int32Array(row.length),
          new Float64Array(row.length),
          dst,
        );
        expect(n).toBe(pick.length);
        same(dst.subarray(0, n), averageRanks(pick.map((j) => row[j])));
        // the less-count itself: the number of the row's non-NaN values strictly below
        row.forEach((v, j) => {
          expect(lc.less[j]).toBe(Number.isNaN(v) ? NO_LESS_COUNT : row.filter((w) => w < v).length);
        });
      }),
    );
  });

  const market = fc
    .record({ nDates: fc.integer({ min: 4, max: 9 }), nAssets: fc.integer({ min: 2, max: 14 }) })
    .chain(({ nDates, nAssets }) => {
      const cells = nDates * nAssets;
      return fc.record({
        nDates: fc.constant(nDates),
        nAssets: fc.constant(nAssets),
        f: fc.array(cell, { minLength: cells, maxLength: cells }),
        // the shared forward returns, drawn directly: ties, ±0, ±Inf (never a pair), NaN holes
        r1: fc.array(cell, { minLength: cells, maxLength: cells }),
        r2: fc.array(cell, { minLength: cells, maxLength: cells }),
        prices: fc.array(fc.oneof(fc.constant(NaN), fc.double({ min: 1, max: 2, noNaN: true })), { minLength: cells, maxLength: cells }),
        codes: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: cells, maxLength: cells }),
        universe: fc.constantFrom<'joint' | 'pairwise'>('joint', 'pairwise'),
        lag: fc.integer({ min: 0, max: 2 }),
        groups: fc.boolean(),
        decay: fc.boolean(),
        dropAsset: fc.boolean(),
        cut: fc.integer({ min: 0, max: 9 }),
      });
    });

  it('every per-date array of the engine, with and without the presorted returns (property)', () => {
    fc.assert(
      fc.property(market, (c) => {
        const prices = panelOf(c.prices, c.nDates, c.nAssets);
        const forward = new Map([
          [1, panelOf(c.r1, c.nDates, c.nAssets)],
          [2, panelOf(c.r2, c.nDates, c.nAssets)],
        ]);
        // a factor on fewer assets (its columns are not the prices'), reversed so the columns are mapped
        const keep = Array.from({ length: c.nAssets }, (_, j) => c.nAssets - 1 - j).filter((j) => !(c.dropAsset && j === 0));
        const factor = new Panel(
          prices.dates,
          keep.map((j) => `A${j}`),
          Float64Array.from(
            { length: c.nDates * keep.length },
            (_, i) => c.f[Math.floor(i / keep.length) * c.nAssets + keep[i % keep.length]],
          ),
        );
        const groups = c.groups
          ? {
              names: ['a', 'b', 'c'],
              codes: Int32Array.from({ length: c.nDates * keep.length }, (_, i) => c.codes[i]),
              dates: prices.dates,
              assets: factor.assets,
            }
          : undefined;
        const base: AnalyzeOptions = {
          horizons: [1, 2],
          universe: c.universe,
          executionLag: c.lag,
          minAssets: 2,
          maxLoss: 1,
          forwardReturns: forward,
          ...(c.decay ? { decayLags: [0, 1] } : {}),
          ...(groups ? { groups: Object.fromEntries(factor.assets.map((a, j) => [a, ['a', 'b', 'c'][j % 3]])) } : {}),
        };
        const data = prepareFactorData(factorDataInput({ factor, prices }, base));
        const nd = data.dates.length;
        const withOrder: AnalyzeOptions = { ...base, forwardOrder: forwardReturnOrder(forward) };
        const plain = createPerDateStatistics(data, base),
          fast = createPerDateStatistics(data, withOrder);
        perDateStatistics(data, base, plain, 0, nd);
        const cut = Math.min(c.cut, nd);
        perDateStatistics(data, withOrder, fast, cut, nd);
        perDateStatistics(data, withOrder, fast, 0, cut);
        expect(fast).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('the order serves only the returns it was computed from', () => {
    const prices = panelOf([1, 1, 1, 1, 1, 1, 1, 1, 1], 3, 3);
    const a = new Map([[1, panelOf([0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0, 0, 0], 3, 3)]]);
    const b = new Map([[1, panelOf([0.1, 0.2, 0.3, 0.3, 0.2, 0.1, 0, 0, 0], 3, 3)]]); // equal values, another panel
    const data = prepareFactorData({ factor: panelOf([1, 2, 3, 1, 2, 3, 1, 2, 3], 3, 3), prices, horizons: [1], forwardReturns: a });
    expect(returnsOrderFor(data, forwardReturnOrder(a), 1)).not.toBeNull();
    expect(returnsOrderFor(data, forwardReturnOrder(b), 1)).toBeNull();
    expect(returnsOrderFor(prepareFactorData({ factor: data.factor, prices, horizons: [1] }), forwardReturnOrder(a), 1)).toBeNull();
  });

  it('analyzeFactor: the same result JSON with the presorted returns', () => {
    const prices = panelOf(
      Array.from({ length: 40 * 12 }, (_, i) => 10 + ((i * 7919) % 13) / 4),
      40,
      12,
    );
    const factor = panelOf(
      Array.from({ length: 40 * 12 }, (_, i) => (i % 17 === 3 ? NaN : ((i * 104729) % 11) / 2)),
      40,
      12,
    );
    const forwardReturns = coreForwardReturns(prices, [1, 5]);
    const o: AnalyzeOptions = { horizons: [1, 5], forwardReturns, decayLags: [0, 2], maxLoss: 1 };
    const plain = JSON.stringify(analyzeFactor({ factor, prices }, o).toJSON());
    expect(JSON.stringify(analyzeFactor({ factor, prices }, { ...o, forwardOrder: forwardReturnOrder(forwardReturns) }).toJSON())).toBe(
      plain,
    );
  });
});

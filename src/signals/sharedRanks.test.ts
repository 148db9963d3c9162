/**
 * The shared factor ranks (stats rowRanks) are only a speed-up: IC, rank autocorrelation and
 * quantile labels computed with them must be bit-identical to the same functions without them,
 * including ties, ±0, infinities, NaN holes, masks (pairwise universe) and groups.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Panel } from '../core/panel.js';
import { createCorrelationScratch, spearmanAt, spearmanRanksAt } from '../stats/correlation.js';
import { rowRanks } from '../stats/ranks.js';
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

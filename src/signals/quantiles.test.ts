import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { quantileSorted } from '../stats/descriptive.js';
import { syntheticMarket } from '../synthetic/market.js';
import { prepareFactorData } from './factorData.js';
import { rowRanks } from '../stats/ranks.js';
import type { GroupCodes } from './groups.js';
import {
  createQuantileMeanRows,
  factorWeightedReturns,
  linspaceProbabilities,
  monotonicity,
  numpyQuantileSorted,
  quantileLabels,
  quantileMeanRows,
  quantileNav,
  quantileReturns,
  seriesStats,
  type BinSpec,
  type QuantileLabels,
} from './quantiles.js';

const D2 = calendarFromIso(['2024-01-02', '2024-01-03']);

function panel(rows: number[][], dates = calendarFromIso(rows.map((_, i) => `2024-01-${String(i + 2).padStart(2, '0')}`))): Panel {
  const m = rows[0].length;
  return new Panel(
    dates,
    Array.from({ length: m }, (_, j) => `A${j}`),
    Float64Array.from(rows.flat()),
  );
}

function labelsOf(rows: number[][], binning?: Parameters<typeof quantileLabels>[1]): number[][] {
  const p = panel(rows);
  const l = quantileLabels(p, binning);
  return rows.map((r, t) => Array.from(l.labels.subarray(t * r.length, (t + 1) * r.length)));
}

/**
 * Independent route: sort, edges, then a linear count of edges below each value. `textbook` uses
 * stats quantileSorted at k / q (exact only when k / q is: q a power of two); otherwise numpy's
 * edges at k * (1 / q), whose rounding pandas inherits (e.g. 5 * (1/7) * 7 < 5 moves an edge
 * just below a data value).
 */
function bruteLabels(x: number[], q: number, textbook: boolean): number[] {
  const s = x.slice().sort((a, b) => a - b);
  if (s[0] === s[s.length - 1]) return x.map(() => 0);
  const e = Array.from({ length: q + 1 }, (_, k) => (textbook ? quantileSorted(s, k / q) : numpyQuantileSorted(s, s.length, k * (1 / q))));
  return x.map((v) => {
    let c = 1;
    for (let k = 1; k < q; k++) if (e[k] < v) c++;
    return c;
  });
}

describe('numpy quantile edges', () => {
  it('reproduces numpy.quantile bit for bit', () => {
    // np.quantile([0.1,0.2,0.7,1.3,2.9], np.linspace(0,1,6)) and np.quantile([0.1,0.2,0.7], 0.6)
    const s = [0.1, 0.2, 0.7, 1.3, 2.9];
    expect(Array.from(linspaceProbabilities(5), (p) => numpyQuantileSorted(s, 5, p))).toEqual([
      0.1, 0.18000000000000002, 0.5, 0.9400000000000002, 1.6200000000000003, 2.9,
    ]);
    expect(numpyQuantileSorted([0.1, 0.2, 0.7], 3, 0.6)).toBe(0.3);
    expect(linspaceProbabilities(5)[3]).toBe(0.6000000000000001);
  });
});

describe('quantileLabels', () => {
  it('four assets, two dates: pandas.qcut labels', () => {
    expect(
      labelsOf(
        [
          [1, 2, 3, 4],
          [40, 10, 30, 20],
        ],
        { binning: 4 },
      ),
    ).toEqual([
      [1, 2, 3, 4],
      [4, 1, 3, 2],
    ]);
    expect(
      labelsOf(
        [
          [1, 2, 3, 4],
          [40, 10, 30, 20],
        ],
        { binning: 2 },
      ),
    ).toEqual([
      [1, 1, 2, 2],
      [2, 1, 2, 1],
    ]);
    // pd.qcut([0.3,-1.2,5.5,2.0,0.3,7.1,-0.4], 3, labels=False) + 1 = [1,1,3,2,1,3,1]
    expect(labelsOf([[0.3, -1.2, 5.5, 2.0, 0.3, 7.1, -0.4]], { binning: 3 })).toEqual([[1, 1, 3, 2, 1, 3, 1]]);
  });

  it('missing values get no label and do not count', () => {
    expect(labelsOf([[1, NaN, 3, 4, 2]], { binning: 2 })).toEqual([[1, 0, 2, 2, 1]]);
  });

  it('tie policy: colliding edges put tied values in the lowest bin, labels keep 1..Q', () => {
    // edges [1,1,1,1,1.2,2]
    expect(labelsOf([[1, 1, 1, 1, 2]], { binning: 5 })).toEqual([[1, 1, 1, 1, 5]]);
    // edges [1,1,1.5,2,2]: 2 goes to bin 3 (the lowest bin whose right edge is 2)
    expect(labelsOf([[1, 1, 2, 2]], { binning: 4 })).toEqual([[1, 1, 3, 3]]);
    // binary factor [0,0,0,1,1]: edges [0,0,0,0.4,1,1]
    expect(labelsOf([[0, 0, 0, 1, 1]], { binning: 5 })).toEqual([[1, 1, 1, 4, 4]]);
  });

  it('too few distinct values: a single-valued cross-section gets no labels, counted', () => {
    const l = quantileLabels(
      panel([
        [3, 3, 3],
        [1, 2, 3],
      ]),
      { binning: 5 },
    );
    expect(Array.from(l.labels)).toEqual([0, 0, 0, 1, 3, 5]);
    expect(l.singleValueSections).toBe(1);
    expect(l.unlabeled).toBe(3);
    // fewer values than quantiles: two values, five quantiles -> edges [1,1.2,1.4,1.6,1.8,2]
    expect(labelsOf([[2, 1]], { binning: 5 })).toEqual([[5, 1]]);
  });

  it('custom quantile edges, equal-width bins, fixed value edges', () => {
    // pd.qcut(x, [0, .1, .5, 1]) on 1..10: edges [1, 1.9, 5.5, 10]
    expect(labelsOf([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], { binning: { quantileEdges: [0, 0.1, 0.5, 1] } })).toEqual([
      [1, 2, 2, 2, 2, 3, 3, 3, 3, 3],
    ]);
    // pd.cut([0.3,-1.2,5.5,2.0,0.3,7.1,-0.4], 3, labels=False) + 1 = [1,1,3,2,1,3,1]
    expect(labelsOf([[0.3, -1.2, 5.5, 2.0, 0.3, 7.1, -0.4]], { binning: { bins: 3 } })).toEqual([[1, 1, 3, 2, 1, 3, 1]]);
    // fixed edges [0, 1, 2]: right-closed, first includes 0, outside -> 0
    expect(labelsOf([[0, 0.5, 1, 1.5, 2, 2.5, -1]], { binning: { binEdges: [0, 1, 2] } })).toEqual([[1, 1, 1, 2, 2, 0, 0]]);
    expect(() => quantileLabels(panel([[1, 2]]), { binning: { binEdges: [1, 1] } })).toThrow(/strictly increasing/);
  });

  it('by group: labels computed inside each group per date', () => {
    const p = panel([[1, 2, 3, 10, 20, 30]]);
    const groups = { names: ['a', 'b'], codes: Int32Array.from([0, 0, 0, 1, 1, 1]) };
    const l = quantileLabels(p, { binning: 3, byGroup: true, groups });
    expect(Array.from(l.labels)).toEqual([1, 2, 3, 1, 2, 3]);
    const noGroup = { names: ['a'], codes: Int32Array.from([0, 0, 0, -1, 0, 0]) };
    const l2 = quantileLabels(p, { binning: 2, byGroup: true, groups: noGroup });
    expect(Array.from(l2.labels)).toEqual([1, 1, 1, 0, 2, 2]); // group a = {1,2,3,20,30}: edges [1,3,30]
    expect(l2.unlabeled).toBe(1);
  });

  it("reproduces pandas' rounding of edge positions: pd.qcut(range(8), 7)", () => {
    // 5 * (1/7) * 7 = 4.999...: numpy's edge lands an ulp below 5, so 5 goes to bin 6 and bin 5 is
    // empty. pd.qcut(range(8), 7, labels=False) + 1 = [1,1,2,3,4,6,6,7]. Labels are therefore
    // rank-invariant only when the edge positions are exact (Q a power of two).
    expect(labelsOf([[0, 1, 2, 3, 4, 5, 6, 7]], { binning: 7 })[0]).toEqual([1, 1, 2, 3, 4, 6, 6, 7]);
  });

  it('agrees with a sort-based brute force (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        (xs, q) => {
          const x = xs.map((v) => v / 7);
          expect(labelsOf([x], { binning: q })[0]).toEqual(bruteLabels(x, q, false));
        },
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 }), fc.constantFrom(1, 2, 4, 8), (xs, q) => {
        const x = xs.map((v) => v / 7);
        expect(labelsOf([x], { binning: q })[0]).toEqual(bruteLabels(x, q, true));
      }),
    );
  });

  it('permuting assets permutes labels; strictly increasing transforms change nothing (fast-check)', () => {
    // Q a power of two: the edge positions (n - 1) * k * (1 / Q) are exact (see the next test)
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 2, maxLength: 30 }),
        fc.constantFrom(2, 4, 8),
        fc.integer(),
        (x, q, seed) => {
          const base = labelsOf([x], { binning: q })[0];
          const perm = x.map((_, i) => i);
          let s = seed >>> 0;
          for (let i = perm.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) >>> 0;
            const k = s % (i + 1);
            [perm[i], perm[k]] = [perm[k], perm[i]];
          }
          const permuted = labelsOf([perm.map((i) => x[i])], { binning: q })[0];
          expect(permuted).toEqual(perm.map((i) => base[i]));
          expect(labelsOf([x.map((v) => v * v * v + 5 * v)], { binning: q })[0]).toEqual(base);
          expect(labelsOf([x.map((v) => Math.exp(v / 10))], { binning: q })[0]).toEqual(base);
        },
      ),
    );
  });
});

describe('quantileReturns', () => {
  // date 1: assets A0..A3 (A4 missing); date 2: five assets. Q = 2.
  const factor = new Panel(D2, ['A0', 'A1', 'A2', 'A3', 'A4'], Float64Array.from([1, 2, 3, 4, NaN, 1, 2, 3, 4, 5]));
  const forward = new Panel(D2, ['A0', 'A1', 'A2', 'A3', 'A4'], Float64Array.from([0.01, 0.02, 0.03, 0.04, NaN, 0.1, 0.2, 0.3, 0.4, 0.5]));
  const labels = quantileLabels(factor, { binning: 2 });
  const res = quantileReturns(labels, forward, { horizon: 1, factor });

  it('mean of per-date means, not the pooled mean', () => {
    // labels: date 1 [1,1,2,2], date 2 [1,1,1,2,2]
    expect(Array.from(res.equal.perDate[0])).toEqual([0.015, expect.closeTo(0.2, 15)]);
    expect(res.equal.meanOverDates[0]).toBeCloseTo((0.015 + 0.2) / 2, 15); // 0.1075
    const pooled = (0.01 + 0.02 + 0.1 + 0.2 + 0.3) / 5; // 0.126
    expect(Math.abs(res.equal.meanOverDates[0] - pooled)).toBeGreaterThan(0.01);
    expect(res.equal.meanOverDates[1]).toBeCloseTo((0.035 + 0.45) / 2, 15);
    expect(Array.from(res.count[0])).toEqual([2, 3]);
    // std error: std of the per-date means / sqrt(2)
    expect(res.equal.stdError[0]).toBeCloseTo(Math.abs(0.2 - 0.015) / Math.sqrt(2) / Math.sqrt(2), 14);
  });

  it("demeaned: minus the date's universe mean; spread unchanged", () => {
    expect(res.demeaned.perDate[0][0]).toBeCloseTo(0.015 - 0.025, 15);
    expect(res.demeaned.perDate[1][1]).toBeCloseTo(0.45 - 0.3, 15);
    expect(res.demeaned.spread[1]).toBeCloseTo(res.equal.spread[1], 14);
    expect(Array.from(res.equal.spread)).toEqual([expect.closeTo(0.02, 15), expect.closeTo(0.25, 15)]);
    expect(res.monotonicity).toBeNaN(); // two quantiles: a rank correlation over two points says nothing
  });

  it('weighted means use the weights', () => {
    const w = new Panel(D2, factor.assets, Float64Array.from([1, 3, 1, 1, 1, 1, 1, 2, 1, 1]));
    const r = quantileReturns(labels, forward, { horizon: 1, weights: w });
    expect(r.weighted?.perDate[0][0]).toBeCloseTo((0.01 + 3 * 0.02) / 4, 15);
    expect(r.weighted?.perDate[0][1]).toBeCloseTo((0.1 + 0.2 + 2 * 0.3) / 4, 15);
    const uw = (0.01 + 3 * 0.02 + 0.03 + 0.04) / 6;
    expect(r.weightedDemeaned?.perDate[0][0]).toBeCloseTo((0.01 + 3 * 0.02) / 4 - uw, 15);
  });

  it('factor-weighted long-short: demeaned weights, gross 1', () => {
    // w = [-1.5,-0.5,0.5,1.5]/4
    const ls = factorWeightedReturns(factor, forward);
    expect(Array.from(res.factorWeighted?.perDate ?? [])).toEqual(Array.from(ls));
    expect(ls[0]).toBeCloseTo((-1.5 * 0.01 - 0.5 * 0.02 + 0.5 * 0.03 + 1.5 * 0.04) / 4, 15);
    // date 2: d = [-2,-1,0,1,2], gross 6
    expect(ls[1]).toBeCloseTo((-2 * 0.1 - 0.2 + 0.4 + 2 * 0.5) / 6, 15);
  });

  it('spread statistics: t = mean / (std / sqrt n), p from Student t', () => {
    const s = seriesStats([0.01, 0.03, -0.01, 0.05], 0);
    const mean = 0.02,
      sd = Math.sqrt((0.01 ** 2 + 0.01 ** 2 + 0.03 ** 2 + 0.03 ** 2) / 3);
    expect(s.mean).toBeCloseTo(mean, 15);
    expect(s.std).toBeCloseTo(sd, 15);
    expect(s.tStat).toBeCloseTo(1.5491933384829668, 12);
    expect(s.pValue).toBeCloseTo(0.21910203741704776, 12); // 2 * scipy.stats.t.sf(t, 3)
    // statsmodels OLS(x, ones).fit(cov_type='HAC', cov_kwds={'maxlags': 1}, use_t=True)
    const nw = seriesStats([0.01, 0.03, -0.01, 0.05], 1);
    expect(nw.tStatNW).toBeCloseTo(3.0237157840738176, 12);
    expect(nw.pValueNW).toBeCloseTo(0.05659208796627168, 12);
  });

  it('NAV: every step-th date, compounded; annualised from periods per year', () => {
    const dates = Int32Array.from([0, 1, 2, 3, 4]);
    const nav = quantileNav(dates, [Float64Array.from([0.1, 9, -0.05, 9, NaN])], 2, 12);
    expect(Array.from(nav.dates)).toEqual([0, 2, 4]);
    expect(Array.from(nav.values[0])).toEqual([1.1, expect.closeTo(1.1 * 0.95, 15), expect.closeTo(1.045, 15)]);
    expect(nav.cashPeriods[0]).toBe(1);
    expect(nav.annualizedReturn[0]).toBeCloseTo(Math.pow(1.045, 12 / 6) - 1, 14);
  });

  it('monotonicity is the Spearman correlation of quantile number and mean return', () => {
    expect(monotonicity([0.1, 0.2, 0.3])).toBe(1);
    expect(monotonicity([0.3, 0.2, 0.1])).toBe(-1);
    expect(monotonicity([0.1, 0.3, 0.2, 0.4])).toBeCloseTo(0.8, 14);
  });

  it('monotonicity needs three quantiles with a mean: over two (a 0/1 flag fills one or two) it would be ±1 whatever the returns', () => {
    expect(monotonicity([0.1, 0.2])).toBeNaN();
    expect(monotonicity([NaN, 0.3, NaN, NaN, -0.1])).toBeNaN();
    expect(monotonicity([NaN, 0.3, NaN, 0.1, 0.2])).toBe(-0.5);
  });

  it("the synthetic market's planted signal gives monotone quantile returns", () => {
    const mkt = syntheticMarket({ seed: 7, nAssets: 300, nDates: 400, signalIC: 0.1, missingShare: 0 });
    const fd = prepareFactorData({ factor: mkt.signal, prices: mkt.prices, horizons: [1] });
    const l = quantileLabels(fd.factor);
    const r = quantileReturns(l, fd.forward.get(1) as Panel, { horizon: 1, factor: fd.factor, periodsPerYear: fd.periodsPerYear });
    const m = Array.from(r.equal.meanOverDates);
    for (let k = 1; k < 5; k++) expect(m[k]).toBeGreaterThan(m[k - 1]);
    expect(r.monotonicity).toBe(1);
    expect(r.equal.spreadStats.tStat).toBeGreaterThan(5);
    expect(r.factorWeighted?.stats.mean).toBeGreaterThan(0);
    expect(r.nav.annualizedReturn[4]).toBeGreaterThan(r.nav.annualizedReturn[0]);
  });
});

/**
 * Straightforward labels, section by section (the module's definition): the members of a section
 * are the finite values inside the mask (and in group g); sort a copy, edges by numpy's quantile
 * (or pandas.cut's linspace, or the fixed edges), label = 1 + #{k in 1..Q−1 : e_k < v} inside
 * [e_0, e_Q], else 0; a section with fewer than two distinct values gets no labels.
 */
function referenceLabels(
  values: number[][],
  spec: BinSpec,
  mask?: number[][],
  groups?: { names: string[]; codes: number[][] },
): { labels: number[][]; unlabeled: number; single: number } {
  let unlabeled = 0,
    single = 0;
  const labels = values.map((row, t) => {
    const out = row.map(() => 0);
    const finiteIn = (j: number): boolean => Number.isFinite(row[j]) && (mask === undefined || !Number.isNaN(mask[t][j]));
    const sections =
      groups === undefined
        ? [row.map((_, j) => j).filter(finiteIn)]
        : groups.names.map((_, g) => row.map((_, j) => j).filter((j) => finiteIn(j) && groups.codes[t][j] === g));
    if (groups !== undefined) unlabeled += row.filter((_, j) => finiteIn(j) && groups.codes[t][j] < 0).length;
    for (const members of sections) {
      if (members.length === 0) continue;
      const x = members.map((j) => row[j]);
      let e: number[];
      if ('binEdges' in spec) e = spec.binEdges.slice();
      else {
        const s = x.slice().sort((a, b) => a - b);
        const mn = s[0],
          mx = s[s.length - 1];
        if (!(mx > mn)) {
          single++;
          unlabeled += members.length;
          continue;
        }
        if ('bins' in spec) {
          const q = spec.bins,
            step = (mx - mn) / q;
          e = Array.from({ length: q + 1 }, (_, k) => k * step + mn);
          e[q] = mx;
          e[0] -= (mx - mn) * 0.001;
        } else {
          const p = 'quantiles' in spec ? Array.from(linspaceProbabilities(spec.quantiles)) : spec.quantileEdges;
          e = p.map((pk) => numpyQuantileSorted(s, s.length, pk));
        }
      }
      const q = e.length - 1;
      members.forEach((j) => {
        const v = row[j];
        let lab = 0;
        if (!(v < e[0] || v > e[q])) {
          lab = 1;
          for (let k = 1; k < q; k++) if (e[k] < v) lab++;
        }
        out[j] = lab;
        if (lab === 0) unlabeled++;
      });
    }
    return out;
  });
  return { labels, unlabeled, single };
}

const labelCell = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -4, max: 4 }) },
  { weight: 4, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0) },
);
const specArb: fc.Arbitrary<BinSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }).map((q) => ({ quantiles: q })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 6 })
      .map((a) => ({ quantileEdges: a.sort((x, y) => x - y).map((v) => v / 20) })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }).map((q) => ({ bins: q })) },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.integer({ min: -5, max: 5 }), { minLength: 2, maxLength: 5 })
      .map((a) => ({ binEdges: a.sort((x, y) => x - y) })),
  },
);

describe('quantileLabels against a sort-per-section reference (fast-check)', () => {
  const check = (
    rows: number[][],
    spec: BinSpec,
    opts: { mask?: number[][]; groups?: { names: string[]; codes: number[][] }; ranks: boolean },
  ): void => {
    const p = panel(rows);
    const m = rows[0].length;
    const mask = opts.mask === undefined ? undefined : panel(opts.mask);
    const groups: GroupCodes | undefined =
      opts.groups === undefined ? undefined : { names: opts.groups.names, codes: Int32Array.from(opts.groups.codes.flat()) };
    const factorRanks = opts.ranks ? rowRanks(p.values, rows.length, m) : undefined;
    const got: QuantileLabels = quantileLabels(p, { binning: spec, mask, byGroup: groups !== undefined, groups, factorRanks });
    const want = referenceLabels(rows, spec, opts.mask, opts.groups);
    expect(rows.map((_, t) => Array.from(got.labels.subarray(t * m, (t + 1) * m)))).toEqual(want.labels);
    expect(got.unlabeled).toBe(want.unlabeled);
    expect(got.singleValueSections).toBe(want.single);
  };
  const rowsArb = (mMax: number): fc.Arbitrary<number[][]> =>
    fc
      .integer({ min: 1, max: mMax })
      .chain((m) => fc.array(fc.array(labelCell, { minLength: m, maxLength: m }), { minLength: 1, maxLength: 4 }));

  it('whole rows: NaN, ±Infinity, ties, −0, empty and tiny rows, every binning, with and without the row ranks', () => {
    fc.assert(
      fc.property(rowsArb(40), specArb, fc.boolean(), (rows, spec, ranks) => check(rows, spec, { ranks })),
      { numRuns: 400 },
    );
  });

  it('rows of one value, rows without finite values, and large tied rows (ranks from the radix kernel)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 25, max: 300 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        (m, q, distinct, seed) => {
          let s = seed >>> 0;
          const rnd = (): number => {
            s = (s * 1103515245 + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const rows = [
            Array.from({ length: m }, () => Math.floor(rnd() * distinct)),
            Array.from({ length: m }, () => (rnd() < 0.1 ? NaN : Math.floor(rnd() * distinct) / 3)),
            Array.from({ length: m }, () => 7),
            Array.from({ length: m }, () => (rnd() < 0.5 ? NaN : Infinity)),
            Array.from({ length: m }, () => rnd() - 0.5),
          ];
          check(rows, { quantiles: q }, { ranks: true });
          check(rows, { quantiles: q }, { ranks: false });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('masks and groups (cells without a group, empty groups), with and without the row ranks', () => {
    fc.assert(
      fc.property(
        rowsArb(30),
        specArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        fc.boolean(),
        (rows, spec, ranks, G, seed, useGroups) => {
          let s = seed >>> 0;
          const rnd = (): number => {
            s = (s * 1103515245 + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const mask = rows.map((r) => r.map(() => (rnd() < 0.25 ? NaN : 1)));
          const groups = useGroups
            ? { names: Array.from({ length: G }, (_, g) => `g${g}`), codes: rows.map((r) => r.map(() => Math.floor(rnd() * (G + 1)) - 1)) }
            : undefined;
          check(rows, spec, { ranks, mask, groups });
          check(rows, spec, { ranks, groups });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Straightforward quantile means: per quantile, the labelled forward returns that are not NaN, added in asset order. */
function referenceMeans(labels: QuantileLabels, fwd: Float64Array): { count: number[][]; equal: number[][]; demeaned: number[][] } {
  const n = labels.dates.length,
    m = labels.assets.length,
    Q = labels.quantiles;
  const count = Array.from({ length: Q }, () => new Array<number>(n).fill(0));
  const equal = Array.from({ length: Q }, () => new Array<number>(n).fill(NaN)),
    demeaned = Array.from({ length: Q }, () => new Array<number>(n).fill(NaN));
  for (let t = 0; t < n; t++) {
    let all = 0,
      allN = 0;
    for (let j = 0; j < m; j++) {
      const l = labels.labels[t * m + j],
        r = fwd[t * m + j];
      if (l > 0 && !Number.isNaN(r)) {
        all += r;
        allN++;
      }
    }
    for (let q = 1; q <= Q; q++) {
      let sum = 0,
        c = 0;
      for (let j = 0; j < m; j++) {
        const r = fwd[t * m + j];
        if (labels.labels[t * m + j] === q && !Number.isNaN(r)) {
          sum += r;
          c++;
        }
      }
      count[q - 1][t] = c;
      if (c > 0) {
        equal[q - 1][t] = sum / c;
        demeaned[q - 1][t] = sum / c - all / allN;
      }
    }
  }
  return { count, equal, demeaned };
}

describe('quantileMeanRows against a per-quantile reference (fast-check)', () => {
  it('the same sums in the same order: counts and means bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer(),
        (m, n, q, seed) => {
          let s = seed >>> 0;
          const rnd = (): number => {
            s = (s * 1103515245 + 12345) >>> 0;
            return s / 2 ** 32;
          };
          const f = Array.from({ length: n }, () => Array.from({ length: m }, () => (rnd() < 0.15 ? NaN : Math.floor(rnd() * 6))));
          const fwd = Float64Array.from({ length: n * m }, () => (rnd() < 0.15 ? NaN : (rnd() - 0.5) / 7));
          const labels = quantileLabels(panel(f), { binning: q });
          const out = createQuantileMeanRows(n, q, false, false);
          quantileMeanRows(labels, new Panel(labels.dates, labels.assets, fwd), {}, out, 0, n);
          const want = referenceMeans(labels, fwd);
          for (let k = 0; k < q; k++) {
            expect(Array.from(out.count[k])).toEqual(want.count[k]);
            expect(Array.from(out.equal[k])).toEqual(want.equal[k]);
            expect(Array.from(out.demeaned[k])).toEqual(want.demeaned[k]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

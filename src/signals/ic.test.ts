import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendarFromIso } from '../core/calendar.js';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { syntheticMarket } from '../synthetic/market.js';
import { icAnalysis, icByGroup, icByPeriod, icDecay, icMonthlyTable, informationCoefficient } from './ic.js';

const cal = (n: number): Int32Array => calendarFromIso(Array.from({ length: n }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}`));
const names = (m: number): string[] => Array.from({ length: m }, (_, j) => `A${j}`);
const panel = (rows: number[][]): Panel => new Panel(cal(rows.length), names(rows[0].length), Float64Array.from(rows.flat()));

/** Independent route: O(n²) average ranks and a textbook Pearson on the complete pairs. */
function bruteRanks(x: number[]): number[] {
  return x.map((v) => x.filter((u) => u < v).length + (x.filter((u) => u === v).length + 1) / 2);
}
function brutePearson(x: number[], y: number[]): number {
  const n = x.length,
    mx = x.reduce((a, b) => a + b, 0) / n,
    my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
function bruteIc(f: Panel, r: Panel, t: number): [number, number] {
  const x: number[] = [],
    y: number[] = [];
  for (let j = 0; j < f.nAssets; j++) {
    const a = f.at(t, j),
      b = r.at(t, j);
    if (!Number.isNaN(a) && !Number.isNaN(b)) {
      x.push(a);
      y.push(b);
    }
  }
  return [brutePearson(x, y), brutePearson(bruteRanks(x), bruteRanks(y))];
}

describe('informationCoefficient', () => {
  it('pins IC = +1 and −1 on four assets and two dates, 0.8 by hand, ties as scipy', () => {
    const f = panel([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 1, 2, 3],
      [1, 2, NaN, 4],
    ]);
    const r = panel([
      [0.01, 0.02, 0.03, 0.05],
      [0.4, 0.3, 0.2, 0.1],
      [1, 3, 2, 4],
      [1, 2, 3, 4],
      [NaN, 0.1, 0.2, 0.3],
    ]);
    const ic = informationCoefficient(f, r);
    expect(ic.dates).toEqual(['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04', '2020-01-05']);
    expect(ic.spearman[0]).toBe(1);
    expect(ic.pearson[0]).toBeCloseTo(0.9827076298239908, 14); // not linear, rank-perfect
    expect(ic.pearson[1]).toBeCloseTo(-1, 14);
    expect(ic.spearman[1]).toBeCloseTo(-1, 14);
    expect(ic.pearson[2]).toBeCloseTo(0.8, 14); // Σdxdy = 4, Σdx² = Σdy² = 5
    expect(ic.spearman[2]).toBeCloseTo(0.8, 14);
    expect(ic.spearman[3]).toBeCloseTo(0.9486832980505139, 14); // scipy.stats.spearmanr([1,1,2,3],[1,2,3,4])
    expect(ic.n).toEqual([4, 4, 4, 4, 2]);
    expect(ic.pearson[4]).toBeNaN(); // two pairs < minAssets 3
    expect(ic.skipped).toBe(1);
    expect(ic.skippedTooFew).toBe(1);
  });

  it('marks a constant cross-section NaN and counts it', () => {
    const ic = informationCoefficient(panel([[1, 1, 1, 1]]), panel([[0.1, 0.2, 0.3, 0.4]]));
    expect(ic.pearson[0]).toBeNaN();
    expect(ic.spearman[0]).toBeNaN();
    expect(ic.skipped).toBe(1);
    expect(ic.skippedTooFew).toBe(0);
  });

  const cell = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -20, max: 20 }).map((v) => v / 4) },
    { weight: 1, arbitrary: fc.constant(NaN) },
  );
  const pair = fc
    .integer({ min: 4, max: 12 })
    .chain((m) =>
      fc.tuple(
        fc.array(fc.array(cell, { minLength: m, maxLength: m }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(cell, { minLength: m, maxLength: m }), { minLength: 6, maxLength: 6 }),
      ),
    )
    .map(([a, b]) => [a, b.slice(0, a.length)] as const);

  it('equals brute-force ranks + textbook Pearson on random panels with ties and NaN', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const f = panel(a),
          r = panel(b);
        const ic = informationCoefficient(f, r);
        for (let t = 0; t < f.nDates; t++) {
          const [p, s] = bruteIc(f, r, t);
          if (ic.n[t] < 3 || !Number.isFinite(p)) expect(ic.pearson[t]).toBeNaN();
          else expect(ic.pearson[t]).toBeCloseTo(p, 12);
          if (ic.n[t] < 3 || !Number.isFinite(s)) expect(ic.spearman[t]).toBeNaN();
          else expect(ic.spearman[t]).toBeCloseTo(s, 12);
        }
      }),
    );
  });

  it('rank IC is invariant to strictly increasing transforms; permuting assets changes nothing', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 1000 }), ([a, b], seed) => {
        const f = panel(a),
          r = panel(b);
        const base = informationCoefficient(f, r);
        const g = f.map((v) => Math.exp(v) + v ** 3);
        expect(informationCoefficient(g, r).spearman).toEqual(base.spearman);
        const m = f.nAssets;
        const perm = Array.from({ length: m }, (_, j) => j).sort((x, y) => ((x * 7919 + seed) % 13) - ((y * 7919 + seed) % 13) || x - y);
        const pf = f.selectAssets(perm.map((j) => f.assets[j])),
          pr = r.selectAssets(perm.map((j) => r.assets[j]));
        const p = informationCoefficient(pf, pr);
        expect(p.n).toEqual(base.n);
        p.pearson.forEach((v, t) => (Number.isNaN(base.pearson[t]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(base.pearson[t], 12)));
        p.spearman.forEach((v, t) => (Number.isNaN(base.spearman[t]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(base.spearman[t], 12)));
      }),
    );
  });

  it('rejects panels of different shapes', () => {
    expect(() => informationCoefficient(panel([[1, 2, 3]]), panel([[1, 2, 3, 4]]))).toThrow(/forward returns/);
  });
});

describe('synthetic market: the planted IC is recovered', () => {
  const market = syntheticMarket({ seed: 7, nAssets: 400, nDates: 500, signalIC: 0.06, signalAutocorrelation: 0.9 });
  const fwd1 = forwardReturns(market.prices, [1]).get(1)!;

  it('mean Pearson IC at h = 1 is the planted 0.06 within sampling error', () => {
    const a = icAnalysis(market.signal, fwd1, { horizon: 1 });
    const s = a.summary.pearson;
    expect(market.truth.signalIC).toBe(0.06);
    expect(s.n).toBeGreaterThan(450);
    // standard error of the mean IC ≈ std/sqrt(n); allow 4 of them
    expect(Math.abs(s.mean - 0.06)).toBeLessThan((4 * s.std) / Math.sqrt(s.n));
    expect(s.tStat).toBeGreaterThan(10);
    expect(a.summary.spearman.mean).toBeGreaterThan(0.04);
    expect(s.sharePositive).toBeGreaterThan(0.8);
  });

  it('IC decays like c·ρ^lag (the signal is AR(1) with ρ = 0.9)', () => {
    const decay = icDecay(market.signal, fwd1, { decayLags: [0, 1, 5, 10] });
    expect(decay.map((d) => d.lag)).toEqual([0, 1, 5, 10]);
    expect(decay[0].pearson.mean).toBe(icAnalysis(market.signal, fwd1).summary.pearson.mean);
    for (const d of decay) {
      const se = d.pearson.std / Math.sqrt(d.pearson.n);
      expect(Math.abs(d.pearson.mean - 0.06 * 0.9 ** d.lag)).toBeLessThan(4 * se);
    }
  });

  it('IC by group equals the IC of each group sub-panel', () => {
    const sectors = [...new Set(Object.values(market.sectors))].sort();
    const m = market.assets.length,
      nd = market.dates.length;
    const codes = new Int32Array(nd * m);
    for (let t = 0; t < nd; t++) for (let j = 0; j < m; j++) codes[t * m + j] = sectors.indexOf(market.sectors[market.assets[j]]);
    const byGroup = icByGroup(market.signal, fwd1, { names: sectors, codes });
    expect(byGroup.groups).toEqual(sectors);
    for (const k of [0, 3]) {
      const members = market.assets.filter((a) => market.sectors[a] === sectors[k]);
      const sub = informationCoefficient(market.signal.selectAssets(members), fwd1.selectAssets(members));
      expect(byGroup.n[k]).toEqual(sub.n);
      sub.spearman.forEach((v, t) =>
        Number.isNaN(v) ? expect(byGroup.spearman[k][t]).toBeNaN() : expect(byGroup.spearman[k][t]).toBeCloseTo(v, 12),
      );
      expect(byGroup.summary[k].pearson.mean).toBeCloseTo(
        informationCoefficient(market.signal.selectAssets(members), fwd1.selectAssets(members))
          .pearson.filter((v) => !Number.isNaN(v))
          .reduce((a, b, _, arr) => a + b / arr.length, 0),
        12,
      );
    }
  });
});

describe('icMonthlyTable', () => {
  it('averages by year and month, skipping NaN', () => {
    const dates = calendarFromIso(['2019-12-30', '2020-01-02', '2020-01-03', '2020-02-03', '2020-02-04']);
    const table = icMonthlyTable(dates, [0.1, 0.02, 0.04, NaN, -0.01]);
    expect(table.years).toEqual([2019, 2020]);
    expect(table.mean[0][11]).toBeCloseTo(0.1, 15);
    expect(table.mean[1][0]).toBeCloseTo(0.03, 15);
    expect(table.mean[1][1]).toBeCloseTo(-0.01, 15);
    expect(table.mean[1][2]).toBeNaN();
    expect(table.count[1].slice(0, 3)).toEqual([2, 1, 0]);
  });
});

describe('icByPeriod (alphalens mean_information_coefficient by_time)', () => {
  it('weeks end on Sunday, months, quarters and years at their last day; empty periods are listed with NaN, as pandas Grouper', () => {
    const dates = calendarFromIso(['2015-01-02', '2015-01-05', '2015-01-09', '2015-01-23', '2015-04-01', '2016-02-29']);
    const ic = [0.1, 0.2, NaN, 0.4, 0.5, 0.6];
    const w = icByPeriod(dates, ic, 'weekly');
    expect(w.periods.slice(0, 4)).toEqual(['2015-01-04', '2015-01-11', '2015-01-18', '2015-01-25']);
    expect(w.count.slice(0, 4)).toEqual([1, 1, 0, 1]);
    expect(w.mean[1]).toBeCloseTo(0.2, 15); // the NaN of 01-09 is skipped
    expect(w.mean[2]).toBeNaN();
    expect(w.periods.at(-1)).toBe('2016-03-06');
    expect(w.periods).toHaveLength(62); // pandas: ic.groupby(pd.Grouper(freq='W')) on these dates has 62 groups
    const m = icByPeriod(dates, ic, 'monthly');
    expect(m.periods.slice(0, 4)).toEqual(['2015-01-31', '2015-02-28', '2015-03-31', '2015-04-30']);
    expect(m.mean[0]).toBeCloseTo((0.1 + 0.2 + 0.4) / 3, 15);
    expect(m.periods.at(-1)).toBe('2016-02-29');
    expect(m.periods).toHaveLength(14);
    const q = icByPeriod(dates, ic, 'quarterly');
    expect(q.periods).toEqual(['2015-03-31', '2015-06-30', '2015-09-30', '2015-12-31', '2016-03-31']);
    expect(q.count).toEqual([3, 1, 0, 0, 1]);
    const a = icByPeriod(dates, ic, 'annual');
    expect(a.periods).toEqual(['2015-12-31', '2016-12-31']);
    expect(a.mean[0]).toBeCloseTo((0.1 + 0.2 + 0.4 + 0.5) / 4, 15);
    expect(icByPeriod(calendarFromIso([]), [], 'weekly')).toEqual({ periods: [], mean: [], count: [] });
  });
});

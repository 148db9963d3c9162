import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { forwardReturns } from '../core/returns.js';
import { syntheticMarket } from '../synthetic/market.js';
import {
  canPrepareInPlace,
  createPrepareRowsOutput,
  finishFactorData,
  prepareContext,
  prepareFactorData,
  prepareFactorRows,
  rebalanceStep,
  type FactorData,
  type FactorDataInput,
  type Universe,
} from './factorData.js';

// 9 trading days, 4 assets. C lacks a price on 01-05; D stops after 01-09.
const PD = calendarFromIso([
  '2024-01-02',
  '2024-01-03',
  '2024-01-04',
  '2024-01-05',
  '2024-01-08',
  '2024-01-09',
  '2024-01-10',
  '2024-01-11',
  '2024-01-12',
]);
const prices = Panel.fromColumns(PD, {
  A: [10, 11, 12, 13, 14, 15, 16, 17, 18],
  B: [20, 19, 18, 17, 16, 15, 14, 13, 12],
  C: [5, 5.5, 6, NaN, 7, 7.5, 8, 8.5, 9],
  D: [40, 41, 42, 43, 44, 45, NaN, NaN, NaN],
});

function dailyFactor(): Panel {
  return new Panel(
    PD,
    ['A', 'B', 'C', 'D'],
    Float64Array.from({ length: 36 }, (_, i) => (i * 7) % 11),
  );
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
        const f1 = core.get(1)?.at(t, j) ?? NaN,
          f2 = core.get(2)?.at(t, j) ?? NaN;
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
    expect(loss.common.map((s) => [s.stage, s.dropped])).toEqual([
      ['unmatched-date', 0],
      ['no-price', 4],
    ]);
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
    // 01-06 (Saturday) -> 01-08; 01-07 (Sunday) also -> 01-08: the later one's values win (every asset has both); 01-13 is after the prices
    const fdates = calendarFromIso(['2024-01-02', '2024-01-06', '2024-01-07', '2024-01-13']);
    const factor = new Panel(fdates, ['A', 'B', 'C'], Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3]));
    const fd = prepareFactorData({ factor, prices, horizons: [1], minAssets: 1, maxLoss: 1 });
    expect(Array.from(fd.dates)).toEqual([fdates[0], fdates[2]]);
    expect(Array.from(fd.entryRows)).toEqual([0, 4]);
    expect(fd.factor.at(1, 0)).toBe(7);
    expect(fd.forward.get(1)?.at(1, 0)).toBeCloseTo(15 / 14 - 1, 15);
    expect(fd.dataLoss.common[0]).toMatchObject({ stage: 'unmatched-date', dropped: 6, share: 0.5 });
  });

  it('factor dates on the same trading day merge asset by asset: each asset keeps its latest value (a sparse fundamentals file)', () => {
    // 01-06 (Sat) and 01-07 (Sun) both trade on 01-08. A is known only on Saturday, B only on
    // Sunday, C on both (Sunday's value supersedes Saturday's); 2023-12-29 is before the prices,
    // 01-13 after them.
    const fdates = calendarFromIso(['2023-12-29', '2024-01-06', '2024-01-07', '2024-01-13']);
    const N = NaN;
    const values = Float64Array.from([9, 9, 9, 1, N, 3, N, 2, 4, 5, N, N]);
    const factor = new Panel(fdates, ['A', 'B', 'C'], values);
    const fd = prepareFactorData({ factor, prices, horizons: [1], minAssets: 1, maxLoss: 1 });
    expect(Array.from(fd.dates)).toEqual([fdates[2]]);
    expect(Array.from(fd.entryRows)).toEqual([4]);
    expect([0, 1, 2].map((j) => fd.factor.at(0, j))).toEqual([1, 2, 4]);
    expect(fd.dataLoss.common[0]).toMatchObject({
      stage: 'unmatched-date',
      dropped: 5,
      causes: { before: 3, after: 1, superseded: 1 },
    });
    expect(Array.from(values)).toEqual([9, 9, 9, 1, N, 3, N, 2, 4, 5, N, N]); // the caller's panel is not written
    // with overwriteFactor the merge may go over the caller's panel; the result is the same
    const again = prepareFactorData({
      factor: new Panel(fdates, ['A', 'B', 'C'], values.slice()),
      prices,
      horizons: [1],
      minAssets: 1,
      maxLoss: 1,
      overwriteFactor: true,
    });
    expect([0, 1, 2].map((j) => again.factor.at(0, j))).toEqual([1, 2, 4]);
    expect(again.dataLoss).toEqual(fd.dataLoss);
    // the max-loss message names the causes, the largest first
    expect(() => prepareFactorData({ factor, prices, horizons: [1], minAssets: 1, maxLoss: 0.2 })).toThrow(
      /3 values are dated before the first price date.*1 after the last price date.*1 were replaced by the same asset's value/,
    );
  });

  it('groupAdjust: each (date, group) of the forward returns is demeaned over its present cells (alphalens group_adjust), both universes, the shared order dropped', () => {
    const groups = { A: 'x', B: 'x', C: 'y', D: 'y' };
    for (const universe of ['joint', 'pairwise'] as const) {
      const plain = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1, 2], minAssets: 1, maxLoss: 1, groups, universe });
      const adj = prepareFactorData({
        factor: dailyFactor(),
        prices,
        horizons: [1, 2],
        minAssets: 1,
        maxLoss: 1,
        groups,
        universe,
        groupAdjust: true,
      });
      expect(Array.from(adj.dates)).toEqual(Array.from(plain.dates));
      for (const h of [1, 2]) {
        const a = adj.forward.get(h) as Panel,
          p = plain.forward.get(h) as Panel;
        for (let t = 0; t < a.nDates; t++)
          for (const [j, k] of [
            [0, 1],
            [2, 3],
          ]) {
            const x = p.at(t, j),
              y = p.at(t, k);
            // a group of two present cells: each minus their mean; one present: 0
            const mean = x === x && y === y ? (x + y) / 2 : x === x ? x : y;
            if (x === x) expect(a.at(t, j)).toBeCloseTo(x - mean, 15);
            else expect(a.at(t, j)).toBeNaN();
            if (y === y) expect(a.at(t, k)).toBeCloseTo(y - mean, 15);
            else expect(a.at(t, k)).toBeNaN();
          }
      }
    }
    const shared = forwardReturns(prices, [1]);
    const withOrder = prepareFactorData({
      factor: dailyFactor(),
      prices,
      horizons: [1],
      minAssets: 1,
      maxLoss: 1,
      groups,
      forwardReturns: shared,
    });
    expect(withOrder.forwardSource).toBe(shared);
    const adjusted = prepareFactorData({
      factor: dailyFactor(),
      prices,
      horizons: [1],
      minAssets: 1,
      maxLoss: 1,
      groups,
      forwardReturns: shared,
      groupAdjust: true,
    });
    expect(adjusted.forwardSource).toBeUndefined(); // the presorted order is of the raw returns
    expect(() => prepareFactorData({ factor: dailyFactor(), prices, horizons: [1], minAssets: 1, maxLoss: 1, groupAdjust: true })).toThrow(
      /no groups/,
    );
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
    const weights = new Panel(
      calendarFromIso(['2023-12-29', '2024-01-05']),
      ['A', 'B', 'C', 'D'],
      Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40]),
    );
    const fd = prepareFactorData({
      factor: dailyFactor(),
      prices,
      horizons: [1],
      groups: { A: 'x', B: 'y', D: 'x' },
      weights,
      minAssets: 1,
      maxLoss: 1,
    });
    expect(fd.groups?.names).toEqual(['x', 'y']);
    expect(fd.dataLoss.common[2]).toMatchObject({ stage: 'no-group', dropped: 8 }); // C on the 8 rows it has a price
    for (let r = 0; r < fd.dates.length; r++) expect(fd.factor.at(r, 2)).toBeNaN();
    expect(fd.weights?.at(0, 0)).toBe(1);
    const r4 = fd.dates.indexOf(PD[4]);
    expect(fd.weights?.at(r4, 1)).toBe(20);
  });

  it('weights reported on different days per asset: each asset keeps its own latest (was the latest row, NaN for the rest)', () => {
    // A and B report on 2023-12-29, C and D on 2024-01-03 and B again on 2024-01-05 (a long
    // file of market caps, each name on its own day): every name has a weight from 2024-01-03 on
    const weights = new Panel(
      calendarFromIso(['2023-12-29', '2024-01-03', '2024-01-05']),
      ['A', 'B', 'C', 'D'],
      Float64Array.from([1, 2, NaN, NaN, NaN, NaN, 3, 4, NaN, 20, NaN, NaN]),
    );
    const fd = prepareFactorData({ factor: dailyFactor(), prices, horizons: [1], weights, minAssets: 1, maxLoss: 1 });
    const w = fd.weights;
    if (w === undefined) throw new Error('no weights');
    const row = (iso: string): number[] => {
      const r = fd.dates.indexOf(calendarFromIso([iso])[0]);
      return Array.from(w.values.subarray(r * 4, r * 4 + 4));
    };
    expect(row('2024-01-02')).toEqual([1, 2, NaN, NaN]);
    expect(row('2024-01-03')).toEqual([1, 2, 3, 4]);
    expect(row('2024-01-04')).toEqual([1, 2, 3, 4]);
    expect(row('2024-01-05')).toEqual([1, 20, 3, 4]);
  });

  it('maxLoss: too much lost throws an InputError naming the stages', () => {
    const factor = new Panel(calendarFromIso(['2024-01-02', '2024-02-01']), ['A', 'Z'], Float64Array.from([1, 2, 3, 4]));
    let err: unknown;
    try {
      prepareFactorData({ factor, prices, horizons: [1], minAssets: 1 });
    } catch (e) {
      err = e;
    }
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

  it('shared forward returns give the same data bit for bit on every row kernel (1 to 4 horizons, both universes, groups, lag)', () => {
    const mkt = syntheticMarket({ seed: 4, nAssets: 40, nDates: 120 });
    const holes = mkt.signal.values.map((v, c) => (c % 11 === 0 ? NaN : v));
    const factor = new Panel(mkt.signal.dates, mkt.signal.assets, holes);
    const groups = Object.fromEntries(mkt.prices.assets.slice(0, 35).map((a, j) => [a, `g${j % 3}`]));
    const bits = (a: Float64Array): number[] => Array.from(a); // toEqual: NaN equals NaN, +0 differs from -0
    for (const horizons of [[1], [1, 5], [1, 5, 21], [1, 2, 5, 10]])
      for (const universe of ['joint', 'pairwise'] as const)
        for (const extra of [{}, { groups }, { executionLag: 2 }]) {
          const input = { factor, prices: mkt.prices, horizons, universe, maxLoss: 1, ...extra };
          const own = prepareFactorData(input);
          const sh = prepareFactorData({ ...input, forwardReturns: forwardReturns(mkt.prices, horizons) });
          expect(bits(sh.factor.values)).toEqual(bits(own.factor.values));
          for (const h of horizons) expect(bits((sh.forward.get(h) as Panel).values)).toEqual(bits((own.forward.get(h) as Panel).values));
          expect(Array.from(sh.dates)).toEqual(Array.from(own.dates));
          expect(sh.dataLoss).toEqual(own.dataLoss);
        }
  });

  it('rebalance step: h for a daily factor, 1 for a monthly factor at h = 21; monthly periods per year', () => {
    expect(rebalanceStep({ entryRows: Int32Array.from([0, 1, 2, 3]) }, 5)).toBe(5);
    expect(rebalanceStep({ entryRows: Int32Array.from([0, 21, 41, 63, 84]) }, 21)).toBe(1);
    expect(rebalanceStep({ entryRows: Int32Array.from([0, 21, 41, 63, 84]) }, 63)).toBe(3);
    const mkt = syntheticMarket({ seed: 3, nAssets: 20, nDates: 300 });
    const monthEnds = mkt.dates.filter(
      (d, i) => i + 1 < mkt.dates.length && new Date(mkt.dates[i + 1] * 864e5).getUTCMonth() !== new Date(d * 864e5).getUTCMonth(),
    );
    const factor = new Panel(
      Int32Array.from(monthEnds),
      mkt.assets,
      Float64Array.from({ length: monthEnds.length * 20 }, (_, i) => (i * 13) % 17),
    );
    const fd = prepareFactorData({ factor, prices: mkt.prices, horizons: [21] });
    expect(fd.periodsPerYear).toBe(12);
    expect(rebalanceStep(fd, 21)).toBe(1);
  });
});

/** The module doc's definitions written out plainly, cell by cell (the independent route). */
interface Reference {
  dates: number[];
  entryRows: number[];
  factor: number[][];
  forward: number[][][]; // [k][row][j]
  initial: number;
  common: [string, number][];
  horizons: { noForward: number; byHorizon?: Record<string, number>; below: number; belowDates: number }[];
  weights: number[][];
}

function reference(
  input: FactorDataInput & {
    horizons: readonly number[];
    universe: Universe;
    minAssets: number;
    executionLag: number;
    groups?: Record<string, string>;
    weights?: Panel;
  },
): Reference {
  const { factor, prices, horizons, universe, minAssets, executionLag: lag, groups, weights } = input;
  const np = prices.nDates,
    H = horizons.length,
    isNum = Number.isFinite;
  const matched = Array.from(factor.dates, (d) => (d < prices.dates[0] ? -1 : prices.dates.findIndex((pd) => pd >= d))); // before the first price: unmatched
  // factor dates on the same price date merge into the last, asset by asset (the latest finite value wins)
  const rowsOf = Array.from({ length: factor.nDates }, (_, t) => factor.assets.map((_a, j) => factor.at(t, j)));
  let superseded = 0;
  for (let t = 0; t + 1 < matched.length; t++) {
    if (matched[t] < 0 || matched[t] !== matched[t + 1]) continue;
    rowsOf[t].forEach((v, j) => {
      if (!isNum(v)) return;
      if (isNum(rowsOf[t + 1][j])) superseded++;
      else rowsOf[t + 1][j] = v;
      rowsOf[t][j] = NaN;
    });
    matched[t] = -1;
  }
  const ref: Reference = {
    dates: [],
    entryRows: [],
    factor: [],
    forward: horizons.map(() => []),
    initial: 0,
    common: [],
    horizons: [],
    weights: [],
  };
  let unmatched = 0,
    noPrice = 0,
    noGroup = 0,
    missingAny = 0,
    belowJoint = 0,
    belowDatesJoint = 0;
  const byH = horizons.map(() => 0),
    missingH = horizons.map(() => 0),
    belowH = horizons.map(() => 0),
    belowDatesH = horizons.map(() => 0);
  for (let t = 0; t < factor.nDates; t++) {
    ref.initial += factor.assets.filter((_a, j) => isNum(factor.at(t, j))).length;
    const fv = rowsOf[t];
    if (matched[t] < 0) {
      unmatched += fv.filter(isNum).length;
      continue;
    }
    const e = matched[t] + lag;
    const ok = factor.assets.map((a, j) => {
      if (!isNum(fv[j])) return false;
      const pc = prices.assets.indexOf(a);
      if (pc < 0 || e >= np || Number.isNaN(prices.at(e, pc))) {
        noPrice++;
        return false;
      }
      if (groups !== undefined && groups[a] === undefined) {
        noGroup++;
        return false;
      }
      return true;
    });
    const nOk = ok.filter(Boolean).length;
    const fwd = horizons.map((h) =>
      factor.assets.map((a, j) => {
        const pc = prices.assets.indexOf(a);
        return ok[j] && e + h < np ? prices.at(e + h, pc) / prices.at(e, pc) - 1 : NaN; // written out: the reference does not call core forwardReturn
      }),
    );
    let members: boolean[][]; // [k][j]
    let factorMask: boolean[];
    if (universe === 'joint') {
      const inAll = ok.map((o, j) => o && fwd.every((f) => isNum(f[j])));
      fwd.forEach((f, k) => {
        byH[k] += ok.filter((o, j) => o && !isNum(f[j])).length;
      });
      let c = inAll.filter(Boolean).length;
      missingAny += nOk - c;
      if (c > 0 && c < minAssets) {
        belowJoint += c;
        belowDatesJoint++;
        c = 0;
      }
      if (c === 0) continue;
      members = horizons.map(() => inAll);
      factorMask = inAll;
    } else {
      members = fwd.map((f, k) => {
        const mk = ok.map((o, j) => o && isNum(f[j]));
        const c = mk.filter(Boolean).length;
        missingH[k] += nOk - c;
        if (c > 0 && c < minAssets) {
          belowH[k] += c;
          belowDatesH[k]++;
          return mk.map(() => false);
        }
        return mk;
      });
      if (!members.some((mk) => mk.some(Boolean))) continue;
      factorMask = ok;
    }
    ref.dates.push(factor.dates[t]);
    ref.entryRows.push(e);
    ref.factor.push(fv.map((v, j) => (factorMask[j] ? v : NaN)));
    fwd.forEach((f, k) => ref.forward[k].push(f.map((x, j) => (members[k][j] ? x : NaN))));
    if (weights !== undefined) {
      // each asset's latest weight (a number, NaN = none) on or before the matched price date
      const day = prices.dates[matched[t]];
      ref.weights.push(
        factor.assets.map((a) => {
          const wc = weights.assets.indexOf(a);
          if (wc < 0) return NaN;
          let wr = weights.dates.length - 1;
          while (wr >= 0 && (weights.dates[wr] > day || Number.isNaN(weights.at(wr, wc)))) wr--;
          return wr >= 0 ? weights.at(wr, wc) : NaN;
        }),
      );
    }
  }
  ref.common = [
    ['unmatched-date', unmatched + superseded],
    ['no-price', noPrice],
    ...(groups !== undefined ? [['no-group', noGroup] as [string, number]] : []),
  ];
  for (let k = 0; k < H; k++) {
    if (universe === 'joint') {
      ref.horizons.push({
        noForward: missingAny,
        byHorizon: Object.fromEntries(horizons.map((h, q) => [String(h), byH[q]])),
        below: belowJoint,
        belowDates: belowDatesJoint,
      });
    } else ref.horizons.push({ noForward: missingH[k], below: belowH[k], belowDates: belowDatesH[k] });
  }
  return ref;
}

function expectMatchesReference(fd: FactorData, ref: Reference): void {
  expect(Array.from(fd.dates)).toEqual(ref.dates);
  expect(Array.from(fd.entryRows)).toEqual(ref.entryRows);
  const m = fd.assets.length;
  // Object.is: the same number, NaN for NaN, and 0 / −0 kept apart
  const same = (got: Float64Array, want: number[][]): void => {
    expect(got.length).toBe(want.length * m);
    want.forEach((row, r) =>
      row.forEach((x, j) => {
        if (!Object.is(got[r * m + j], x)) expect([r, j, got[r * m + j]]).toEqual([r, j, x]);
      }),
    );
  };
  same(fd.factor.values, ref.factor);
  if (fd.weights !== undefined) same(fd.weights.values, ref.weights);
  fd.horizons.forEach((h, k) => same((fd.forward.get(h) as Panel).values, ref.forward[k]));
  const loss = fd.dataLoss;
  expect(loss.initial).toBe(ref.initial);
  expect(loss.common.map((s) => [s.stage, s.dropped])).toEqual(ref.common);
  loss.horizons.forEach((h, k) => {
    const want = ref.horizons[k];
    expect(h.stages.map((s) => s.stage)).toEqual(['no-forward-return', 'below-min-assets']);
    expect(h.stages[0].dropped).toBe(want.noForward);
    expect(h.stages[0].byHorizon).toEqual(want.byHorizon);
    expect(h.stages[1]).toMatchObject({ dropped: want.below, droppedDates: want.belowDates });
  });
}

/** A random price panel (NaN, 0, negative and infinite prices among them) and a factor on a related calendar. */
const arbCase = fc.record({
  np: fc.integer({ min: 2, max: 14 }),
  mp: fc.integer({ min: 1, max: 6 }),
  gaps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 14, maxLength: 14 }),
  priceKinds: fc.array(fc.integer({ min: 0, max: 19 }), { minLength: 84, maxLength: 84 }),
  priceVals: fc.array(fc.double({ min: 0.5, max: 200, noNaN: true }), { minLength: 84, maxLength: 84 }),
  calendar: fc.constantFrom('same', 'subset', 'shifted'),
  pick: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
  shifts: fc.array(fc.integer({ min: -2, max: 4 }), { minLength: 40, maxLength: 40 }),
  assetOrder: fc.constantFrom('same', 'reversed', 'subset+unknown'),
  factorVals: fc.array(fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(NaN, NaN, Infinity, -Infinity)), {
    minLength: 400,
    maxLength: 400,
  }),
  horizons: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  universe: fc.constantFrom<Universe>('joint', 'pairwise'),
  minAssets: fc.integer({ min: 1, max: 4 }),
  executionLag: fc.integer({ min: 0, max: 2 }),
  withGroups: fc.boolean(),
  groupPick: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  shared: fc.boolean(),
  weights: fc.constantFrom('none', 'prices', 'shifted'),
});

function buildCase(c: typeof arbCase extends fc.Arbitrary<infer T> ? T : never): Parameters<typeof reference>[0] {
  const pdays: number[] = [];
  let d = 19723; // 2024-01-01
  for (let t = 0; t < c.np; t++) {
    d += c.gaps[t];
    pdays.push(d);
  }
  const passets = Array.from({ length: c.mp }, (_, j) => `P${j}`);
  const pv = Float64Array.from({ length: c.np * c.mp }, (_, i) => {
    const k = c.priceKinds[i];
    // 0, negative and infinite prices are refused since checkPrices (they were read cell by cell
    // into ±Infinity or sign-flipped returns): see the hand case below
    return k === 0 ? NaN : c.priceVals[i];
  });
  const prices = new Panel(Int32Array.from(pdays), passets, pv);
  let fdays: number[];
  if (c.calendar === 'same') fdays = pdays;
  else if (c.calendar === 'subset') {
    fdays = pdays.filter((_, t) => c.pick[t]);
    if (fdays.length === 0) fdays = [pdays[0]];
  } else {
    // off-calendar dates (weekends, month ends, after the last price), several may match one price date
    fdays = [...new Set(pdays.map((x, t) => x + c.shifts[t]))].sort((a, b) => a - b);
  }
  const fassets =
    c.assetOrder === 'same'
      ? passets
      : c.assetOrder === 'reversed'
        ? [...passets].reverse()
        : ['Z0', ...passets.filter((_, j) => c.pick[j + 20]), 'Z1'];
  const fv = Float64Array.from({ length: fdays.length * fassets.length }, (_, i) => c.factorVals[i % 400]);
  const factor = new Panel(Int32Array.from(fdays), fassets, fv);
  const groups = c.withGroups
    ? Object.fromEntries(fassets.filter((_, j) => c.groupPick[j % 8]).map((a, j) => [a, j % 2 === 0 ? 'x' : 'y']))
    : undefined;
  return {
    factor,
    prices,
    horizons: c.horizons,
    universe: c.universe,
    minAssets: c.minAssets,
    executionLag: c.executionLag,
    maxLoss: 1,
    ...(groups !== undefined ? { groups } : {}),
    ...(c.shared ? { forwardReturns: forwardReturns(prices, c.horizons) } : {}),
    // weights: the prices themselves, or dated a day later on the assets in reverse order (first date: none)
    ...(c.weights === 'prices'
      ? { weights: prices }
      : c.weights === 'shifted'
        ? {
            weights: new Panel(
              Int32Array.from(pdays, (x) => x + 1),
              [...passets].reverse(),
              pv.map((_, i) => i % 7),
            ),
          }
        : {}),
  };
}

describe('prepareFactorData against a plain cell-by-cell reference (fast-check)', () => {
  it('forward returns, masks, entry rows, weights and every data-loss counter', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const input = buildCase(c);
        const ref = reference(input);
        if (ref.initial === 0) {
          expect(() => prepareFactorData(input)).toThrow(InputError);
          return;
        }
        expectMatchesReference(prepareFactorData(input), ref);
      }),
      { numRuns: 400 },
    );
  });

  it('rows cut into ranges (prepareFactorRows + finishFactorData) give the one-pass data bit for bit', () => {
    const bits = (a: Float64Array | Int32Array): string => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).join(',');
    fc.assert(
      fc.property(arbCase, fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }), (c, cuts) => {
        const input = buildCase(c);
        if (reference(input).initial === 0) return;
        const one = prepareFactorData(input);
        const ctx = prepareContext(input);
        const bounds = [0, ...cuts.filter((x) => x < ctx.nf).sort((a, b) => a - b), ctx.nf];
        const ranges = bounds.slice(1).map((b, i) => [bounds[i], b] as const);
        const out = createPrepareRowsOutput(ctx, ranges.length);
        [...ranges.keys()].reverse().forEach((q) => prepareFactorRows(ctx, ranges[q][0], ranges[q][1], out, q)); // any order
        const got = finishFactorData(input, ctx, out, ranges);
        expect(bits(got.factor.values)).toBe(bits(one.factor.values));
        for (const h of one.horizons) expect(bits((got.forward.get(h) as Panel).values)).toBe(bits((one.forward.get(h) as Panel).values));
        expect(Array.from(got.dates)).toEqual(Array.from(one.dates));
        expect(got.dataLoss).toEqual(one.dataLoss);
      }),
      { numRuns: 200 },
    );
  });

  it('overwriteFactor: the prepared factor written over the factor panel is the copy route bit for bit (one pass and ranges in any order)', () => {
    const bits = (a: Float64Array | Int32Array): string => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).join(',');
    const copyOf = (p: Panel): Panel => new Panel(p.dates, p.assets, p.values.slice());
    fc.assert(
      fc.property(arbCase, fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }), (c, cuts) => {
        const input = buildCase(c);
        if (reference(input).initial === 0) return;
        const one = prepareFactorData(input);
        const same = (got: ReturnType<typeof prepareFactorData>): void => {
          expect(bits(got.factor.values)).toBe(bits(one.factor.values));
          for (const h of one.horizons) expect(bits((got.forward.get(h) as Panel).values)).toBe(bits((one.forward.get(h) as Panel).values));
          expect(Array.from(got.dates)).toEqual(Array.from(one.dates));
          expect(Array.from(got.entryRows)).toEqual(Array.from(one.entryRows));
          if (one.weights) expect(bits((got.weights as Panel).values)).toBe(bits(one.weights.values));
          expect(got.dataLoss).toEqual(one.dataLoss);
        };
        // one pass, in place
        const mine = copyOf(input.factor);
        const inPlace = prepareFactorData({ ...input, factor: mine, overwriteFactor: true });
        same(inPlace);
        expect(inPlace.factor.values.buffer).toBe(mine.values.buffer);
        // ranges (in any order), in place
        const mine2 = copyOf(input.factor);
        const in2 = { ...input, factor: mine2 };
        const ctx = prepareContext(in2);
        expect(canPrepareInPlace(ctx, ctx.fv, in2.weights)).toBe(true);
        const bounds = [0, ...cuts.filter((x) => x < ctx.nf).sort((a, b) => a - b), ctx.nf];
        const ranges = bounds.slice(1).map((b, i) => [bounds[i], b] as const);
        const out = createPrepareRowsOutput(ctx, ranges.length, undefined, ctx.fv);
        [...ranges.keys()].reverse().forEach((q) => prepareFactorRows(ctx, ranges[q][0], ranges[q][1], out, q));
        same(finishFactorData(in2, ctx, out, ranges));
      }),
      { numRuns: 200 },
    );
  });

  it('overwriteFactor is ignored when the factor panel is also the prices, the weights or a shared forward return', () => {
    const mk = syntheticMarket({ seed: 5, nAssets: 12, nDates: 60, missingShare: 0.1 });
    const prices = mk.prices;
    const before = prices.values.slice();
    const plain = prepareFactorData({ factor: prices, prices: new Panel(prices.dates, prices.assets, before.slice()), maxLoss: 1 });
    // the factor is the prices panel itself
    const got = prepareFactorData({ factor: prices, prices, maxLoss: 1, overwriteFactor: true });
    expect(Array.from(got.factor.values)).toEqual(Array.from(plain.factor.values));
    expect(got.factor.values.buffer).not.toBe(prices.values.buffer);
    expect(Array.from(prices.values)).toEqual(Array.from(before));
    // the factor is the weights panel
    const f = new Panel(prices.dates, prices.assets, mk.signal.values.slice(0, prices.values.length));
    const fBefore = f.values.slice();
    prepareFactorData({ factor: f, prices, weights: f, maxLoss: 1, overwriteFactor: true });
    expect(Array.from(f.values)).toEqual(Array.from(fBefore));
    // the factor shares a buffer with a shared forward return
    const fwd = forwardReturns(prices, [1]);
    const h1 = fwd.get(1) as Panel;
    const g = new Panel(prices.dates, prices.assets, h1.values);
    const gBefore = g.values.slice();
    prepareFactorData({ factor: g, prices, horizons: [1], forwardReturns: fwd, maxLoss: 1, overwriteFactor: true });
    expect(Array.from(g.values)).toEqual(Array.from(gBefore));
  });

  it('hand case: zero, negative and infinite prices are refused naming asset, date and value; an infinite factor value; lag past the prices', () => {
    const pd = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-04']);
    const f = new Panel(pd, ['A', 'B', 'C'], Float64Array.from([1, 2, 3, Infinity, 5, 6, 7, 8, 9]));
    // before: a 0 entry price gave an Infinity forward return (dropped), −3/−2 − 1 = 0.5 was a return
    for (const [bad, where] of [
      [
        { A: [0, 1, 2], B: [2, 3, 1], C: [4, NaN, 6] },
        'asset A, date 2024-01-02: prices must be positive finite numbers (NaN for missing) (value: "0")',
      ],
      [{ A: [1, 1, 2], B: [-2, -3, -1], C: [4, NaN, 6] }, 'asset B, date 2024-01-02'],
      [{ A: [1, 1, 2], B: [2, 3, 1], C: [4, NaN, Infinity] }, 'asset C, date 2024-01-04'],
    ] as const)
      expect(() =>
        prepareFactorData({ factor: f, prices: Panel.fromColumns(pd, bad), horizons: [1], universe: 'pairwise', minAssets: 1, maxLoss: 1 }),
      ).toThrow(where);
    const p = Panel.fromColumns(pd, { A: [1, 1, 2], B: [2, 3, 1], C: [4, NaN, 6] });
    const fd = prepareFactorData({ factor: f, prices: p, horizons: [1], universe: 'pairwise', minAssets: 1, maxLoss: 1 });
    // row 0: A 1/1 − 1, B 3/2 − 1, C NaN / 4 (no return)
    expect(Array.from(fd.forward.get(1)?.values.subarray(0, 3) ?? [])).toEqual([0, 0.5, NaN]);
    // row 1: A ∞ not an observation; B 1/3 − 1; C has no entry price
    expect(fd.forward.get(1)?.at(1, 1)).toBe(1 / 3 - 1);
    expect(fd.dataLoss.initial).toBe(8);
    expect(fd.dataLoss.common.map((s) => s.dropped)).toEqual([0, 1]); // C on row 1
    expect(fd.dataLoss.horizons[0].stages[0].dropped).toBe(1 + 0 + 3); // row 0: C; row 2: all three
    const lagged = prepareFactorData({ factor: f, prices: p, horizons: [1], executionLag: 2, minAssets: 1, maxLoss: 1 });
    // entries 2, 3, 4: rows 1 and 2 enter past the prices (no-price), row 0 has no 1-row return
    expect(lagged.dataLoss.common.map((s) => s.dropped)).toEqual([0, 5]);
    expect(lagged.dataLoss.horizons[0].stages[0].dropped).toBe(3);
    expect(lagged.dates.length).toBe(0);
  });
});

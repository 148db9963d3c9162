import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { parseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { momentum } from '../signals/momentum.js';
import { alignSignal, runBacktest, type BacktestOptions } from './engine.js';
import { quantileLongShort, topN, topkDropout, topQuantile, type Rule } from './rules.js';
import { momentumRows, type SignalRows, type SignalSource } from './signal.js';

const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
const panel = (rows: number[][], assets = ['A', 'B', 'C'], dates = days) =>
  Panel.fromColumns(
    calendarFromIso(dates),
    assets.map((a, j) => [a, rows.map((r) => r[j])] as const),
  );
const fixed =
  (w: number[]): Rule =>
  () =>
    Float64Array.from(w);
const close = (a: number, b: number, tol = 1e-14) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

// Three assets, five days (hand-computed in the comments).
const prices = panel([
  [10, 20, 50],
  [11, 20, 45],
  [12.1, 22, 45],
  [11, 22, 54],
  [11, 24.2, 54],
]);

describe('hand-computed: three assets, five days', () => {
  // fixed weights .5/.3/.2, signal rows 0, 2, 4 (every 2 rows), executed the next row: rows 1 and 3.
  const res = runBacktest(prices, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 2 }, costBps: 10 });

  it('starts at the first execution row and trades from cash', () => {
    expect(res.firstRow).toBe(1);
    expect(Array.from(res.dates)).toEqual(Array.from(calendarFromIso(days.slice(1))));
    // row 1: turnover 1 (cash -> fully invested), cost 10 bp of it
    close(res.turnover[0], 1);
    close(res.costs[0], 0.001);
    close(res.navGross[0], 1);
    close(res.navNet[0], 0.999);
    close(res.netReturns[0], -0.001);
  });

  it('drifts with prices between rebalances', () => {
    // row 2: returns A +10%, B +10%, C 0 -> R = .08; weights .55/1.08, .33/1.08, .2/1.08
    close(res.grossReturns[1], 0.08);
    close(res.navGross[1], 1.08);
    close(res.navNet[1], 0.999 * 1.08);
    expect(res.turnover[1]).toBe(0);
    // row 3: A -1/11, B 0, C +20% -> R = (-.05 + .04) / 1.08 = -.01/1.08
    close(res.grossReturns[2], -0.01 / 1.08);
    close(res.navGross[2], 1.07);
  });

  it('trades back to the target with the drifted weights as the starting point', () => {
    // drifted weights on row 3 before trading: .5/1.07, .33/1.07, .24/1.07
    const rb = res.rebalances[1];
    expect(rb.signalRow).toBe(2);
    expect(rb.row).toBe(3);
    const t = rb.trades;
    if (t === undefined) throw new Error('trades recorded by default');
    expect(Array.from(t.assets)).toEqual([0, 1, 2]);
    close(t.before[0], 0.5 / 1.07);
    close(t.before[1], 0.33 / 1.07);
    close(t.before[2], 0.24 / 1.07);
    close(t.after[0] - t.before[0], 0.035 / 1.07);
    close(t.after[1] - t.before[1], -0.009 / 1.07);
    close(t.after[2] - t.before[2], -0.026 / 1.07);
    expect(Array.from(rb.weights?.weights ?? [])).toEqual([0.5, 0.3, 0.2]);
    close(rb.turnover, 0.07 / 1.07);
    close(rb.oneWayTurnover, 0.035 / 1.07);
    close(rb.cost, (0.001 * 0.07) / 1.07);
    close(res.navNet[2], 0.999 * (1.07 - 0.00007));
  });

  it('row 4: B +10% on the rebalanced weights', () => {
    close(res.grossReturns[3], 0.03);
    close(res.navGross[3], 1.07 * 1.03);
    close(res.navNet[3], 0.999 * (1.07 - 0.00007) * 1.03);
    expect(Array.from(res.holdings)).toEqual([3, 3, 3, 3]);
    // the signal row 4 has no execution row inside the data: no third rebalance
    expect(res.rebalances.length).toBe(2);
  });

  it('a per-name minimum cost in currency', () => {
    // capital 1000, 10 bp: row 1 trades .5/.3/.2 of 1000 -> 0.5, 0.3, 0.2; a minimum of 0.4 lifts two of them
    const r = runBacktest(prices, {
      rule: fixed([0.5, 0.3, 0.2]),
      schedule: { kind: 'every', rows: 2 },
      costBps: 10,
      minCost: 0.4,
      capital: 1000,
    });
    close(r.costs[0], (0.5 + 0.4 + 0.4) / 1000);
  });
});

describe('forced sales and the universe', () => {
  it('maxGap 0: a held name without a price is sold at its last price (return 0) and pays the cost', () => {
    const gap = panel([
      [10, 20, 50],
      [11, 20, 45],
      [12.1, 22, NaN],
      [11, 22, 54],
      [11, 24.2, 54],
    ]);
    const r = runBacktest(gap, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 }, costBps: 10, maxGap: 0 });
    // row 2: C has no price: earns 0, then sold; R = .5*.1 + .3*.1 + .2*0 = .08
    close(r.grossReturns[1], 0.08);
    expect(r.forcedSales).toEqual([{ row: 2, date: parseIsoDate('2024-01-03'), asset: 'C', weight: 0.2 / 1.08, reason: 'no price' }]);
    close(r.turnover[1], 0.2 / 1.08);
    close(r.costs[1], (0.001 * 0.2) / 1.08);
    expect(r.holdings[1]).toBe(2);
    // afterwards C's weight is cash: row 3 R = (.55 * (-1/11) + .33 * 0) / 1.08
    close(r.grossReturns[2], -0.05 / 1.08);
  });

  it('a gap of at most maxGap rows (default 5 on a daily calendar): held at its last price, then the move across the gap', () => {
    const gap = panel([
      [10, 20, 50],
      [11, 20, 45],
      [12.1, 22, NaN],
      [11, 22, 54],
      [11, 24.2, 54],
    ]);
    const r = runBacktest(gap, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 }, costBps: 10 });
    expect(r.maxGap).toBe(5);
    expect(r.forcedSales).toEqual([]);
    expect(r.heldWithoutPrice).toBe(1);
    // row 2: C earns 0 and is held; nothing is traded
    close(r.grossReturns[1], 0.08);
    expect(r.turnover[1]).toBe(0);
    expect(Array.from(r.holdings)).toEqual([3, 3, 3, 3]);
    // row 3: C earns 54/45 − 1 = 20% across the gap: R = (.55·(−1/11) + .33·0 + .2·.2)/1.08 — the NAV of the
    // same prices without the gap (45 on row 2), where C earned 0 on row 2 and 20% on row 3
    close(r.grossReturns[2], -0.01 / 1.08);
    const noGap = runBacktest(prices, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 }, costBps: 10 });
    for (let i = 0; i < noGap.navNet.length; i++) close(r.navNet[i], noGap.navNet[i]);
  });

  it('a gap longer than maxGap: sold at its last price on the first row past it', () => {
    const gap = panel([
      [10, 20, 50],
      [11, 20, 45],
      [12.1, 22, NaN],
      [11, 22, NaN],
      [11, 24.2, 54],
    ]);
    const r = runBacktest(gap, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 }, costBps: 10, maxGap: 1 });
    // row 2: held (1 row without a price); row 3: the second row: sold at its last price, 45 (return 0)
    expect(r.heldWithoutPrice).toBe(1);
    expect(r.forcedSales.map((f) => [f.row, f.asset, f.reason])).toEqual([[3, 'C', 'no price']]);
    // its weight at row 3's close before the sale: .2/1.08 drifted by row 3 (A −1/11, B 0, C 0): .2/1.03
    close(r.forcedSales[0].weight, 0.2 / 1.03);
    close(r.turnover[2], 0.2 / 1.03);
    close(r.costs[2], (0.001 * 0.2) / 1.03);
    expect(Array.from(r.holdings)).toEqual([3, 3, 2, 2]);
  });

  it('a locked name at a rebalance keeps its weight; the other names scale so that the book is the target total', () => {
    // target .5/.3/.2 on signal rows 0 and 2 (executed rows 1 and 3); C has no price on row 3
    const gap = panel([
      [10, 20, 50],
      [11, 20, 45],
      [12.1, 22, 45],
      [11, 22, NaN],
      [11, 24.2, 54],
    ]);
    const r = runBacktest(gap, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 2 }, costBps: 10 });
    // row 3 before the trade: A .5/1.03, B .33/1.03, C .2/1.03 (locked, L = .2/1.03); S = 1, T_L = .2:
    // A and B get .5 and .3 times (1 − L)/.8 = (.83/1.03)/.8
    const k = 0.83 / 1.03 / 0.8;
    const t = r.rebalances[1].trades;
    if (t === undefined) throw new Error('trades recorded by default');
    expect(Array.from(t.assets)).toEqual([0, 1]); // C is not traded
    close(t.after[0], 0.5 * k);
    close(t.after[1], 0.3 * k);
    const w = r.rebalances[1].weights;
    close(
      Array.from(w?.weights ?? []).reduce((a, b) => a + b, 0),
      1,
    );
    close(r.turnover[2], Math.abs(0.5 * k - 0.5 / 1.03) + Math.abs(0.3 * k - 0.33 / 1.03));
    expect(r.rebalances[1].unfilled).toBe(0);
    // row 4: C earns 54/45 − 1 across its gap
    close(r.grossReturns[3], 0.5 * k * 0 + 0.3 * k * 0.1 + (0.2 / 1.03) * 0.2);
  });

  it('a locked name the target drops stays held; the target names share what it leaves', () => {
    // target A, B only (.6/.4) on signal row 2, executed row 3, where C (held from row 1) has no price
    const gap = panel([
      [10, 20, 50],
      [11, 20, 45],
      [12.1, 22, 45],
      [11, 22, NaN],
      [11, 24.2, 54],
    ]);
    let call = 0;
    const rule: Rule = () => (call++ === 0 ? Float64Array.from([0.5, 0.3, 0.2]) : Float64Array.from([0.6, 0.4, 0]));
    const r = runBacktest(gap, { rule, schedule: { kind: 'every', rows: 2 } });
    const w = r.rebalances[1].weights;
    if (w === undefined) throw new Error('weights recorded by default');
    expect(Array.from(w.assets)).toEqual([0, 1, 2]);
    // (S − L)/(S − T_L) = (1 − .2/1.03)/1
    close(w.weights[0], 0.6 * (0.83 / 1.03));
    close(w.weights[1], 0.4 * (0.83 / 1.03));
    close(w.weights[2], 0.2 / 1.03);
    expect(r.forcedSales).toEqual([]);
  });

  it('TopkDropout: a dropped name without a price stays held beside its replacement, then the book comes back to topk, invested', () => {
    // top 2 of A..D, replacing at most 1 a rebalance (every 2 rows). Row 1 buys A and D; D leaves the
    // universe on row 2 (sold: half the book in cash). Signal row 2 fills B and swaps A for C, but A
    // has no price on row 3, so it stays (locked) and B and C share the cash: 3 names. Signal row 4
    // (A priced again) sells A and the two names left share its weight: 2 names, fully invested
    // (before, the book held 3 names to the end)
    const d8 = [...days, '2024-01-08', '2024-01-09', '2024-01-10'];
    const assets = ['A', 'B', 'C', 'D'];
    const px = panel(
      [
        [10, 20, 30, 40],
        [10, 20, 30, 40],
        [10, 20, 30, 40],
        [NaN, 22, 33, 40],
        [12, 21, 36, 40],
        [12, 21, 36, 40],
        [13, 22, 37, 41],
        [13, 22, 37, 41],
      ],
      assets,
      d8,
    );
    const s0 = [3, 1, 0, 2],
      s1 = [1, 3, 2, 0];
    const signal = panel([s0, s0, s1, s1, s1, s1, s1, s1], assets, d8);
    const start = parseIsoDate('2020-01-01');
    const universe = {
      kind: 'membership' as const,
      intervals: [
        { asset: 'A', start },
        { asset: 'B', start },
        { asset: 'C', start },
        { asset: 'D', start, end: parseIsoDate('2024-01-03') },
      ],
    };
    const r = runBacktest(px, { signal, rule: topkDropout(2, 1), schedule: { kind: 'every', rows: 2 }, universe });
    expect(Array.from(r.holdings)).toEqual([2, 1, 3, 3, 2, 2, 2]);
    const after = r.rebalances[2].weights;
    if (after === undefined) throw new Error('weights recorded by default');
    expect(Array.from(after.assets)).toEqual([1, 2]);
    close(after.weights[0] + after.weights[1], 1);
  });

  it('costs of a row that take the whole NAV (c >= 1) are refused with the date, not a negative NAV', () => {
    // a full rotation (turnover 2) at 6000 bp costs 120% of the NAV; before, the NAV went to −0.2 and
    // later costs were max(bps·|Δw|·NAV, 0) = 0 on the negative NAV
    let call = 0;
    const rotate: Rule = () => (call++ % 2 === 0 ? Float64Array.from([1, 0, 0]) : Float64Array.from([0, 1, 0]));
    expect(() => runBacktest(prices, { rule: rotate, schedule: { kind: 'daily' }, costBps: 6000 })).toThrow(
      /the costs of the trades on 2024-01-03 are 120\.0% of the NAV \(turnover 2\.000, costBps \(--cost-bps\) 6000\): they take the whole book/,
    );
    // a minimum cost per name above the capital
    expect(() => runBacktest(prices, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'daily' }, minCost: 1, capital: 2 })).toThrow(
      /are 150\.0% of the NAV .*minCost \(--min-cost\) 1 a name on a NAV of 2\): they take the whole book/,
    );
    // costs below the NAV: a valid run
    call = 0;
    const r = runBacktest(prices, { rule: rotate, schedule: { kind: 'daily' }, costBps: 4000 });
    expect(Array.from(r.navNet).every((x) => x > 0)).toBe(true);
  });

  it('a book that loses its whole NAV (a short that more than doubles) stops with the date and the name, not a flipped NAV', () => {
    // long A, short B (1, −1) from row 1; B goes 20 -> 45 on row 2: R = −1.25
    const squeeze = panel([
      [10, 20, 50],
      [10, 20, 50],
      [10, 45, 50],
      [10, 45, 50],
      [10, 45, 50],
    ]);
    expect(() => runBacktest(squeeze, { rule: fixed([1, -1, 0]), schedule: { kind: 'every', rows: 10 } })).toThrow(
      /the book's return on 2024-01-03 is -125\.0%: it lost its whole NAV \(most in B, held at -100\.0% of the NAV, which moved 125\.0%\)/,
    );
    // B rises 99.95%: the NAV is 0.0005 and the positions ~6,000 times it (weights and returns blew up after it)
    const nearly = panel([
      [10, 20, 50],
      [10, 20, 50],
      [10, 39.99, 50],
      [10, 39.99, 50],
      [10, 39.99, 50],
    ]);
    expect(() => runBacktest(nearly, { rule: fixed([1, -1, 0]), schedule: { kind: 'every', rows: 10 } })).toThrow(
      /on 2024-01-03 the book's positions are 5999 times its NAV: it has lost nearly all of its NAV \(net NAV 0\.0005000 of the starting 1\)/,
    );
    // a loss that leaves the book alive: a valid run
    const loss = panel([
      [10, 20, 50],
      [10, 20, 50],
      [10, 30, 50],
      [10, 30, 50],
      [10, 30, 50],
    ]);
    const r = runBacktest(loss, { rule: fixed([1, -1, 0]), schedule: { kind: 'every', rows: 10 } });
    close(r.navGross[1], 0.5);
  });

  it('maxGap must be a whole number >= 0', () => {
    for (const maxGap of [-1, 0.5, NaN])
      expect(() => runBacktest(prices, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 2 }, maxGap })).toThrow(/maxGap/);
  });

  it('a name that leaves the universe (start <= t < end) is sold at that close, after earning its return', () => {
    const universe = {
      kind: 'membership' as const,
      intervals: [
        { asset: 'A', start: parseIsoDate('2020-01-01') },
        { asset: 'B', start: parseIsoDate('2020-01-01'), end: parseIsoDate('2024-01-04') },
        { asset: 'C', start: parseIsoDate('2020-01-01') },
      ],
    };
    const r = runBacktest(prices, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 }, universe });
    // row 3 (2024-01-04) is B's end: B earns row 3's return (0) and is sold at that close
    expect(r.forcedSales.map((f) => [f.row, f.asset, f.reason])).toEqual([[3, 'B', 'left the universe']]);
    close(r.grossReturns[2], -0.01 / 1.08);
    expect(r.holdings[2]).toBe(2);
  });

  it('a target name that is not tradable on the execution row stays in cash', () => {
    const gap = panel([
      [10, 20, 50],
      [11, 20, NaN],
      [12.1, 22, 45],
      [11, 22, 54],
      [11, 24.2, 54],
    ]);
    const r = runBacktest(gap, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 } });
    expect(r.rebalances[0].unfilled).toBe(1);
    close(r.netExposure[0], 0.8);
  });

  it('refuses execution at the signal close', () => {
    expect(() => runBacktest(prices, { rule: fixed([1, 0, 0]), schedule: { kind: 'daily' }, executionLag: 0 })).toThrow(/look-ahead/);
  });

  it('refuses from / to outside the calendar or not whole rows (they read past the prices: NaN NAVs, negative rows)', () => {
    const run = (o: { from?: number; to?: number }) => () =>
      runBacktest(prices, { rule: fixed([1, 0, 0]), schedule: { kind: 'daily' }, ...o });
    const n = prices.nDates;
    expect(run({ to: n })).toThrow(`to must be a row of the price calendar, a whole number in 0..${n - 1}, got ${n}`);
    expect(run({ from: -1 })).toThrow(/from must be a row of the price calendar/);
    expect(run({ from: 1.5 })).toThrow(/from must be a row of the price calendar/);
    expect(run({ from: 1, to: n - 1 })).not.toThrow();
  });
});

describe('alignSignal', () => {
  it('uses the latest signal dated on or before each price date, by asset name', () => {
    const sig = Panel.fromColumns(calendarFromIso(['2023-12-30', '2024-01-03']), [
      ['C', [1, 2]],
      ['A', [3, 4]],
      ['Z', [5, 6]],
    ]);
    const a = alignSignal(sig, prices);
    expect(Array.from(a.column('A'))).toEqual([3, 3, 4, 4, 4]);
    expect(Array.from(a.column('B')).every(Number.isNaN)).toBe(true);
    expect(Array.from(a.column('C'))).toEqual([1, 1, 2, 2, 2]);
    // at most 2 calendar days old: 2023-12-30 serves 2024-01-01, not 2024-01-02
    expect(Array.from(alignSignal(sig, prices, 2).column('A')).map((x) => (Number.isNaN(x) ? null : x))).toEqual([3, null, 4, 4, 4]);
  });
});

/** A random market: n rows x m assets of positive prices (some missing) and a signal. */
const market = fc
  .record({
    n: fc.integer({ min: 6, max: 30 }),
    m: fc.integer({ min: 2, max: 6 }),
    seed: fc.integer({ min: 1, max: 1e9 }),
    gaps: fc.boolean(),
  })
  .map(({ n, m, seed, gaps }) => {
    let s = seed >>> 0;
    const rnd = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    const dates: string[] = [];
    for (let d = Date.UTC(2020, 0, 1), k = 0; k < n; d += 86_400_000) {
      const wd = new Date(d).getUTCDay();
      if (wd !== 0 && wd !== 6) {
        dates.push(new Date(d).toISOString().slice(0, 10));
        k++;
      }
    }
    const assets = Array.from({ length: m }, (_, j) => `S${j}`);
    const pv = new Float64Array(n * m),
      sv = new Float64Array(n * m);
    for (let j = 0; j < m; j++) {
      let p = 50 + 50 * rnd();
      for (let t = 0; t < n; t++) {
        p *= 1 + 0.08 * (rnd() - 0.5);
        pv[t * m + j] = gaps && rnd() < 0.05 ? NaN : p;
        sv[t * m + j] = rnd();
      }
    }
    const cal = calendarFromIso(dates);
    return { prices: new Panel(cal, assets, pv), signal: new Panel(cal, assets, sv) };
  });

describe('invariants (fast-check)', () => {
  it('zero costs, daily rebalance to fixed weights: NAV = compounded weighted returns', () => {
    fc.assert(
      fc.property(
        market.filter((x) => !Array.from(x.prices.values).some(Number.isNaN)),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        ({ prices: px }, raw) => {
          const m = px.nAssets;
          const total = raw.slice(0, m).reduce((a, b) => a + b, 0);
          fc.pre(total > 0.01);
          const wt = raw.slice(0, m).map((x) => x / total);
          const r = runBacktest(px, { rule: fixed(wt), schedule: { kind: 'daily' } });
          let nav = 1;
          for (let t = r.firstRow + 1; t < px.nDates; t++) {
            let R = 0;
            for (let j = 0; j < m; j++) R += wt[j] * (px.at(t, j) / px.at(t - 1, j) - 1);
            nav *= 1 + R;
            close(r.navNet[t - r.firstRow], nav, 1e-12);
            close(r.navGross[t - r.firstRow], nav, 1e-12);
          }
        },
      ),
    );
  });

  it('a portfolio that never trades pays nothing; buy-and-hold pays only its first purchase', () => {
    fc.assert(
      fc.property(market, ({ prices: px, signal }) => {
        const none = runBacktest(px, {
          signal,
          rule: () => new Float64Array(px.nAssets),
          schedule: { kind: 'daily' },
          costBps: 50,
          minCost: 0.01,
        });
        expect(Array.from(none.costs).every((c) => c === 0)).toBe(true);
        expect(Array.from(none.navNet).every((v) => v === 1)).toBe(true);
        // TopkDropout with n_drop = 0 buys once and then only holds (forced sales aside)
        const hold = runBacktest(px, { signal, rule: topkDropout(2, 0), schedule: { kind: 'daily' }, costBps: 50 });
        for (let i = 1; i < hold.costs.length; i++) {
          const forced = hold.forcedSales.some((f) => f.row === hold.firstRow + i);
          if (!forced && hold.holdings[i - 1] >= 2) expect(hold.costs[i]).toBe(0);
        }
      }),
    );
  });

  it('costs scale linearly with bps (turnover and weights unchanged)', () => {
    fc.assert(
      fc.property(market, fc.double({ min: 0.5, max: 100, noNaN: true }), ({ prices: px, signal }, bps) => {
        const base: BacktestOptions = { signal, rule: topN(2), schedule: { kind: 'every', rows: 2 } };
        const a = runBacktest(px, { ...base, costBps: bps }),
          b = runBacktest(px, { ...base, costBps: 2 * bps });
        expect(Array.from(b.turnover)).toEqual(Array.from(a.turnover));
        expect(Array.from(b.navGross)).toEqual(Array.from(a.navGross));
        for (let i = 0; i < a.costs.length; i++) close(b.costs[i], 2 * a.costs[i], 1e-12);
        for (let i = 0; i < a.costs.length; i++) close(a.costs[i], (bps / 1e4) * a.turnover[i], 1e-12);
      }),
    );
  });

  it('look-ahead guard: results on rows <= t never depend on data after t', () => {
    fc.assert(
      fc.property(
        market,
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom('daily', 'every', 'weekly', 'month-end'),
        fc.integer({ min: 0, max: 3 }),
        ({ prices: px, signal }, k, kind, maxGap) => {
          const n = px.nDates,
            m = px.nAssets;
          const t = 2 + (k % (n - 2));
          const cut = (p: Panel) => new Panel(p.dates.slice(0, t + 1), p.assets, p.values.slice(0, (t + 1) * m));
          const schedule =
            kind === 'every'
              ? { kind: 'every' as const, rows: 3 }
              : kind === 'weekly'
                ? { kind: 'weekly' as const, weekday: 2 }
                : ({ kind } as { kind: 'daily' | 'month-end' });
          const opts = { rule: topN(2), schedule, costBps: 10, maxGap };
          const full = runBacktest(px, { ...opts, signal });
          const part = runBacktest(cut(px), { ...opts, signal: cut(signal) });
          if (part.firstRow < 0) return;
          expect(part.firstRow).toBe(full.firstRow);
          const L = part.navNet.length;
          expect(Array.from(full.navNet.subarray(0, L))).toEqual(Array.from(part.navNet));
          expect(Array.from(full.holdings.subarray(0, L))).toEqual(Array.from(part.holdings));
        },
      ),
    );
  });

  it('without missing prices maxGap changes nothing, bit for bit; with gaps, maxGap 0 never holds a name without a price', () => {
    fc.assert(
      fc.property(market, fc.integer({ min: 1, max: 6 }), ({ prices: px, signal }, maxGap) => {
        const opts = { signal, rule: topN(2), schedule: { kind: 'every' as const, rows: 2 }, costBps: 10 };
        const a = runBacktest(px, { ...opts, maxGap: 0 }),
          b = runBacktest(px, { ...opts, maxGap });
        expect(a.heldWithoutPrice).toBe(0);
        if (!Array.from(px.values).some(Number.isNaN)) {
          expect(Array.from(b.navNet)).toEqual(Array.from(a.navNet));
          expect(b.heldWithoutPrice).toBe(0);
        }
        // a held name is never sold for a gap it is still allowed
        for (const f of b.forcedSales)
          if (f.reason === 'no price') {
            const j = px.assets.indexOf(f.asset);
            for (let t = f.row - maxGap; t <= f.row; t++) expect(Number.isNaN(px.at(t, j))).toBe(true);
          }
      }),
    );
  });

  it('look-ahead guard: shifting the signal one row into the future changes the result', () => {
    // a signal that knows tomorrow's return picks tomorrow's winner; the honest one cannot
    const px = panel([
      [10, 10, 10],
      [11, 9, 10],
      [10, 12, 10],
      [13, 10, 10],
      [12, 13, 10],
    ]);
    const n = px.nDates,
      m = px.nAssets;
    const fwd = new Float64Array(n * m).fill(NaN);
    for (let t = 0; t + 1 < n; t++) for (let j = 0; j < m; j++) fwd[t * m + j] = px.at(t + 1, j) / px.at(t, j) - 1;
    const honest = new Panel(px.dates, px.assets, fwd.slice()); // known at t+1: shift down one row
    const honestValues = new Float64Array(n * m).fill(NaN);
    honestValues.set(fwd.subarray(0, (n - 1) * m), m);
    const honestSignal = new Panel(px.dates, px.assets, honestValues);
    const a = runBacktest(px, { signal: honestSignal, rule: topN(1), schedule: { kind: 'daily' } });
    const b = runBacktest(px, { signal: honest, rule: topN(1), schedule: { kind: 'daily' } });
    expect(Array.from(a.navNet)).not.toEqual(Array.from(b.navNet));
  });
});

describe('targets and histories', () => {
  it("a sparse target {assets, weights} runs exactly as the same dense weights; holdingsHistory is each row's book", () => {
    fc.assert(
      fc.property(market, ({ prices: px, signal }) => {
        const m = px.nAssets;
        const dense: Rule = (ctx) => {
          const w = new Float64Array(m);
          for (let j = 0; j < m; j += 2) w[j] = ctx.signal !== undefined && ctx.signal[j] > 0.5 ? 0.3 : 0.1;
          return w;
        };
        const sparse: Rule = (ctx) => {
          const w = dense(ctx) as Float64Array;
          const assets = Int32Array.from(Array.from(w.keys()).filter((j) => w[j] !== 0));
          return { assets, weights: Float64Array.from(assets, (j) => w[j]) };
        };
        const opts = { signal, schedule: { kind: 'every' as const, rows: 3 }, costBps: 7, recordHoldings: true };
        const a = runBacktest(px, { ...opts, rule: dense }),
          b = runBacktest(px, { ...opts, rule: sparse });
        expect(Array.from(b.navNet)).toEqual(Array.from(a.navNet));
        expect(b.rebalances.map((r) => r.unfilled)).toEqual(a.rebalances.map((r) => r.unfilled));
        const h = a.holdingsHistory;
        if (h === undefined) throw new Error('recorded');
        for (let i = 0; i < a.navNet.length; i++) {
          const k = h.offsets[i + 1] - h.offsets[i];
          expect(k).toBe(a.holdings[i]);
          let s = 0;
          for (let q = h.offsets[i]; q < h.offsets[i + 1]; q++) s += h.weights[q];
          close(s, a.netExposure[i], 1e-12);
        }
        // at a rebalance the history is the rebalance's weights
        for (const rb of a.rebalances) {
          const i = rb.row - a.firstRow;
          expect(Array.from(h.assets.subarray(h.offsets[i], h.offsets[i + 1]))).toEqual(Array.from(rb.weights?.assets ?? []));
        }
      }),
    );
  });

  it('refuses a sparse target whose columns are not increasing', () => {
    expect(() =>
      runBacktest(prices, {
        rule: () => ({ assets: Int32Array.from([2, 0]), weights: Float64Array.from([0.5, 0.5]) }),
        schedule: { kind: 'daily' },
      }),
    ).toThrow(/increasing/);
  });
});

describe('the rule context', () => {
  it('ctx.tradable is member-and-priced on each signal row, though the engine reuses its buffer', () => {
    const px = panel([
      [10, NaN, 50],
      [11, 20, NaN],
      [NaN, 22, 45],
      [11, 22, 54],
      [11, NaN, 54],
    ]);
    const seen: number[][] = [];
    const rule: Rule = (ctx) => {
      seen.push(Array.from(ctx.tradable)); // a copy: the buffer is valid during the call only
      return new Float64Array(3);
    };
    runBacktest(px, { rule, schedule: { kind: 'every', rows: 1 }, to: 4 });
    // signal rows 0..3 (row 4's trade would land outside the run)
    expect(seen).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [0, 1, 1],
      [1, 1, 1],
    ]);
  });
});

describe('the candidates fast path', () => {
  /** A gappy market with point-in-time membership, and its momentum rows. */
  const gappy = fc
    .record({
      n: fc.integer({ min: 8, max: 60 }),
      m: fc.integer({ min: 2, max: 40 }),
      seed: fc.integer({ min: 1, max: 1e9 }),
      gap: fc.constantFrom(0, 0.05, 0.3),
      ties: fc.boolean(),
    })
    .map(({ n, m, seed, gap, ties }) => {
      let s = seed >>> 0;
      const rnd = () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
      };
      const dates = Int32Array.from({ length: n }, (_, t) => 18000 + t);
      const assets = Array.from({ length: m }, (_, j) => `S${j}`);
      const pv = new Float64Array(n * m);
      for (let j = 0; j < m; j++) {
        let p = 50 + 50 * rnd();
        for (let t = 0; t < n; t++) {
          // with ties: prices on a coarse grid, so momentum values repeat
          p = ties ? Math.max(1, Math.round(p * (1 + 0.2 * (rnd() - 0.5)))) : p * (1 + 0.08 * (rnd() - 0.5));
          pv[t * m + j] = rnd() < gap ? NaN : p;
        }
      }
      const intervals = assets.flatMap((a) => {
        const start = 18000 + Math.floor(rnd() * n);
        return rnd() < 0.2
          ? []
          : [{ asset: a, start: rnd() < 0.5 ? 17000 : start, ...(rnd() < 0.5 ? { end: start + 1 + Math.floor(rnd() * n) } : {}) }];
      });
      return { prices: new Panel(dates, assets, pv), intervals, lookback: 2 + Math.floor(rnd() * 4) };
    });

  it('gives the same run as the general path (signal row compacted by the tradable row) and as the momentum panel, bit for bit', () => {
    const rules: [string, () => Rule][] = [
      ['top-n 3', () => topN(3)],
      ['top quantile 4', () => topQuantile(4)],
      ['bottom quantile 5', () => topQuantile(5, 1)],
      ['middle quantile 3 of 5', () => topQuantile(5, 3)],
      ['long-short 3', () => quantileLongShort(3)],
    ];
    fc.assert(
      fc.property(
        gappy,
        fc.constantFrom(...rules),
        fc.constantFrom('daily', 'every'),
        ({ prices: px, intervals, lookback }, [, make], sched) => {
          const fused = momentumRows(px, { lookback, skip: 1 });
          expect(fused.candidatesInto).toBeDefined();
          expect(fused.tailInto).toBeDefined();
          // the same rows without the fast path: the engine compacts row(t) by member and price
          const general: SignalRows = { nDates: fused.nDates, nAssets: fused.nAssets, row: (t) => fused.row(t) };
          // fused candidates but no fused tail: the quantile rules select from the candidates
          const noTail: SignalRows = { ...general, candidatesInto: (t, mb, q, out) => fused.candidatesInto!(t, mb, q, out) };
          const panelSignal = momentum(px, { lookback, skip: 1 });
          // and a rule that never sees ctx.candidates: the rules' own route through ctx.signal and ctx.tradable
          const hand =
            (rule: Rule): Rule =>
            (ctx) =>
              rule({ ...ctx, candidates: undefined, tail: undefined });
          const opts = (signal: SignalSource, rule: Rule): BacktestOptions => ({
            signal,
            rule,
            schedule: sched === 'daily' ? { kind: 'daily' } : { kind: 'every', rows: 3 },
            universe: { kind: 'membership', intervals },
            costBps: 7,
          });
          // a long-short book on these prices (moves of +100% at a price of 1) can lose its NAV: every
          // route then stops with the same error
          const run = (o: BacktestOptions): unknown => {
            try {
              return runBacktest(px, o);
            } catch (e) {
              if (e instanceof InputError) return e.message;
              throw e;
            }
          };
          const a = run(opts(fused, make()));
          for (const b of [
            run(opts(general, make())),
            run(opts(noTail, make())),
            run(opts(panelSignal, make())),
            run(opts(fused, hand(make()))),
          ]) {
            expect(b).toEqual(a); // toEqual compares typed arrays element-wise, with Object.is on numbers
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { formatIsoDate } from '../core/dates.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { equalWeightReturns, seriesReturns } from './benchmark.js';
import { runBacktest } from './engine.js';
import { strategyExposures } from './exposures.js';
import { drawdownSeries, performance } from './performance.js';
import { backtest, backtestResults, BacktestResults, type BacktestJson } from './results.js';
import { topN, type Rule } from './rules.js';

const close = (a: number, b: number, tol = 1e-14) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
const fixed =
  (w: number[]): Rule =>
  () =>
    Float64Array.from(w);

/** What JSON.stringify makes of a value (NaN and ±Infinity become null). */
const viaJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x)) as unknown;
/** The trades of rebalance k: the JSON's trades of its date with its signal date. */
const tradesOf = (json: BacktestJson, k: number) =>
  json.trades.filter((t) => t.date === json.rebalances[k].date && t.signalDate === json.rebalances[k].signalDate);

// The engine test's three assets and five days: fixed weights .5/.3/.2 every two rows, 10 bp.
const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
const small = Panel.fromColumns(calendarFromIso(days), [
  ['A', [10, 11, 12.1, 11, 11]],
  ['B', [20, 20, 22, 22, 24.2]],
  ['C', [50, 45, 45, 54, 54]],
]);

describe('BacktestResults: hand-computed (three assets, five days)', () => {
  const r = backtest(small, {
    rule: fixed([0.5, 0.3, 0.2]),
    schedule: { kind: 'every', rows: 2 },
    costBps: 10,
    periodsPerYear: 252,
    description: { rule: 'fixed', ruleText: 'fixed weights .5/.3/.2' },
  });
  const json = r.toJSON();

  it('states its strategy and settings', () => {
    expect(json.strategy).toBe('fixed weights .5/.3/.2, every 2 rows, trading at the next close');
    expect(json.settings).toEqual({
      rule: 'fixed',
      schedule: 'every 2 rows',
      executionLag: 1,
      costBps: 10,
      minCost: 0,
      capital: 1,
      maxGap: 5,
      periodsPerYear: 252,
      periodsPerYearSource: 'given',
      universe: 'static: the 3 assets of the prices',
      signal: 'none',
    });
    expect(json.notes).toEqual([]);
  });

  it('summarises the run: rows 1..4, rebalances on rows 1 and 3', () => {
    expect(json.summary.firstDate).toBe('2024-01-02');
    expect(json.summary.lastDate).toBe('2024-01-05');
    expect(json.summary.rows).toBe(4);
    expect(json.summary.rebalances).toBe(2);
    // the first rebalance holds something: the statistics cover every row
    expect(json.summary.statisticsFirstDate).toBe('2024-01-02');
    expect(json.summary.statisticsRows).toBe(4);
    expect(json.performance.net.periods).toBe(4);
    expect(json.summary.meanHoldings).toBe(3);
    expect(json.summary.forcedSales).toBe(0);
    // row 1 buys from cash (turnover 1, cost 10 bp); row 3 trades from the drifted .5/.33/.24 (÷1.07) back to .5/.3/.2
    const t3 = (Math.abs(0.5 / 1.07 - 0.5) + Math.abs(0.33 / 1.07 - 0.3) + Math.abs(0.24 / 1.07 - 0.2)) as number;
    close(json.summary.meanTurnover, (1 + t3) / 2);
    close(json.summary.meanOneWayTurnover, (1 + t3) / 4);
    close(json.summary.totalCost, 0.001 * (1 + t3));
    expect(json.series.dates).toEqual(days.slice(1));
    close(json.series.navNet[0], 0.999);
    close(json.series.navGross[1], 1.08);
    close(json.series.drawdown[0], -0.001);
    close(json.series.drawdown[1], 0);
  });

  it('lists every rebalance with weights by asset name and trades with their deltas', () => {
    expect(json.rebalances.map((x) => [x.signalDate, x.date])).toEqual([
      ['2024-01-01', '2024-01-02'],
      ['2024-01-03', '2024-01-04'],
    ]);
    expect(json.rebalances[0].weights).toEqual([
      { asset: 'A', weight: 0.5 },
      { asset: 'B', weight: 0.3 },
      { asset: 'C', weight: 0.2 },
    ]);
    expect(tradesOf(json, 0).map((t) => [t.asset, t.before, t.after, t.delta, t.reason])).toEqual([
      ['A', 0, 0.5, 0.5, 'rebalance'],
      ['B', 0, 0.3, 0.3, 'rebalance'],
      ['C', 0, 0.2, 0.2, 'rebalance'],
    ]);
  });

  it('gives the rows of --nav-out, --weights-out and --trades-out', () => {
    const nav = r.navRows();
    expect(nav).toHaveLength(4);
    expect(Object.keys(nav[0])).toEqual(['date', 'nav_net', 'nav_gross', 'net_return', 'gross_return', 'cost', 'turnover', 'holdings']);
    expect(nav[0].date).toBe('2024-01-02');
    close(nav[0].nav_net as number, 0.999);
    expect(r.weightsRows().slice(0, 2)).toEqual([
      { date: '2024-01-02', asset: 'A', weight: 0.5 },
      { date: '2024-01-02', asset: 'B', weight: 0.3 },
    ]);
    expect(r.tradesRows()[0]).toEqual({
      date: '2024-01-02',
      signal_date: '2024-01-01',
      asset: 'A',
      before: 0,
      after: 0.5,
      delta: 0.5,
      reason: 'rebalance',
    });
  });
});

/** A seeded market: n days × m assets of random-walk prices with a few gaps, a signal, and factor returns. */
function market(seed: number, n = 140, m = 12) {
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const dates: string[] = [];
  for (let d = new Date('2021-01-04T00:00:00Z'); dates.length < n; d = new Date(d.getTime() + 86_400_000))
    if (d.getUTCDay() % 6 !== 0) dates.push(d.toISOString().slice(0, 10));
  const cal = calendarFromIso(dates);
  const mkt = Float64Array.from({ length: n }, () => (rnd() - 0.5) * 0.02);
  const smb = Float64Array.from({ length: n }, () => (rnd() - 0.5) * 0.01);
  const rf = new Float64Array(n).fill(0.0001);
  const px = new Float64Array(n * m),
    sig = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    let p = 50 + 10 * j;
    const beta = 0.5 + j / m;
    for (let t = 0; t < n; t++) {
      p *= 1 + beta * mkt[t] + (j % 2 ? smb[t] : -smb[t]) + (rnd() - 0.5) * 0.01;
      px[t * m + j] = t > 100 && j === 3 ? NaN : p; // asset 3 stops trading: a forced sale
      sig[t * m + j] = j + rnd() * 4;
    }
  }
  const assets = Array.from({ length: m }, (_, j) => `S${j}`);
  return {
    prices: new Panel(cal, assets, px),
    signal: new Panel(cal, assets, sig),
    factors: new Frame(cal, ['mkt_rf', 'smb', 'rf'], [mkt, smb, rf]),
    index: Float64Array.from({ length: n }, (_, t) => 100 * (1 + t / 1000)),
  };
}

describe('BacktestResults: properties computed on first use equal the direct computations', () => {
  const mk = market(7);
  const opts = { signal: mk.signal, rule: topN(4), schedule: { kind: 'weekly', weekday: 4 } as const, costBps: 5 };

  it('performance, drawdown and the benchmark statistics', () => {
    const r = backtest(mk.prices, { ...opts, benchmark: 'equal' });
    const run = runBacktest(mk.prices, opts);
    expect(Array.from(r.run.navNet)).toEqual(Array.from(run.navNet));
    const b = equalWeightReturns(mk.prices, { kind: 'static' }, run.firstRow, run.dates.length);
    expect(Array.from(r.benchmarkReturns ?? [])).toEqual(Array.from(b));
    const ppy = 252; // weekdays: daily
    expect(r.settings.periodsPerYear).toBe(ppy);
    expect(r.settings.periodsPerYearSource).toBe('from the price calendar (daily)');
    const net = performance(run.netReturns, { periodsPerYear: ppy, benchmark: b });
    expect(r.performance.net).toEqual(net);
    expect(r.performance.gross).toEqual(performance(run.grossReturns, { periodsPerYear: ppy, benchmark: b }));
    expect(r.performance).toBe(r.performance); // kept
    expect(Array.from(r.drawdown)).toEqual(Array.from(drawdownSeries(run.netReturns)));
    expect(r.settings.benchmark).toBe('the universe equal-weighted, rebalanced every row');
  });

  it('a benchmark with missing returns: statistics on the periods it has, and a note', () => {
    const run = runBacktest(mk.prices, opts);
    const b = equalWeightReturns(mk.prices, { kind: 'static' }, run.firstRow, run.dates.length);
    b[3] = NaN;
    b[10] = NaN;
    const r = backtestResults(run, mk.prices, { ...opts, benchmarkReturns: b, periodsPerYear: 252 });
    const keep = Array.from(b.keys()).filter((i) => Number.isFinite(b[i]));
    const pick = (x: Float64Array) => Float64Array.from(keep, (i) => x[i]);
    expect(r.performance.net.benchmark).toEqual(performance(pick(run.netReturns), { periodsPerYear: 252, benchmark: pick(b) }).benchmark);
    expect(r.performance.net.periods).toBe(run.netReturns.length);
    expect(r.notes).toEqual([
      `benchmark: 2 of ${b.length} periods have no benchmark return and are left out of its statistics (its total and annual return too, not only tracking error, IR, beta and alpha)`,
    ]);
  });

  it('a series benchmark is its returns on the run dates', () => {
    const r = backtest(mk.prices, { ...opts, benchmark: { levels: mk.index, dates: mk.prices.dates, text: 'the index' } });
    expect(Array.from(r.benchmarkReturns ?? [])).toEqual(Array.from(seriesReturns(mk.index, mk.prices.dates, r.run.dates)));
    expect(r.toJSON().settings.benchmark).toBe('the index');
  });

  it('exposures: the strategy exposures of the run, with the notes after the benchmark note', () => {
    const r = backtest(mk.prices, { ...opts, exposures: { factors: mk.factors, window: 30, riskFree: 'rf', notes: ['factors: read'] } });
    const run = runBacktest(mk.prices, { ...opts, recordHoldings: true });
    const ex = strategyExposures(run, mk.prices, mk.factors, { window: 30, riskFree: 'rf' });
    expect(r.exposures?.regression.toJSON()).toEqual(ex.regression.toJSON());
    expect(Array.from(r.exposures?.holdings?.coveredWeight ?? [])).toEqual(Array.from(ex.holdings?.coveredWeight ?? []));
    expect(r.exposures).toBe(r.exposures);
    const json = r.toJSON();
    expect(json.exposures?.factors).toEqual(['mkt_rf', 'smb']);
    expect(json.exposures?.riskFree).toBe('rf');
    expect(json.exposures?.regression).toEqual(ex.regression.toJSON().columns);
    expect(json.exposures?.holdings?.assetsUsed).toEqual(Array.from(ex.holdings?.assetsUsed ?? []));
    expect(json.notes).toEqual([
      'factors: read',
      `exposures: rolling 30-row OLS on mkt_rf, smb, rf subtracted; ${run.dates.length} of ${run.dates.length} backtest dates have factors`,
    ]);
    // withExposures on results that have exposures replaces them (the notes are not doubled)
    const again = r.withExposures(mk.factors, { window: 40 });
    expect(again.notes).toHaveLength(1);
    expect(again.toJSON().exposures?.window).toBe(40);
    expect(again.toJSON().exposures?.riskFree).toBeNull();
  });

  it('exposures: a bad window, risk-free column or factors are InputErrors naming the option and the value (they were RangeErrors: exit 1, a fault of factorlab)', () => {
    const r = backtest(mk.prices, opts);
    const refused = (f: () => unknown): InputError => {
      let e: unknown;
      try {
        f();
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    };
    expect(refused(() => r.withExposures(mk.factors, { window: 3 })).message).toBe(
      'window must be a whole number of rows >= 5 for 3 factors (a slope each, the constant and one more), got 3',
    );
    expect(refused(() => r.withExposures(mk.factors, { window: '30' as never })).message).toContain(
      'window must be a whole number of rows >= 5',
    );
    expect(refused(() => r.withExposures(mk.factors, { window: 1000 })).message).toMatch(/fewer than the window 1000/);
    const rf = refused(() => r.withExposures(mk.factors, { window: 30, riskFree: 'tbill' }));
    expect(rf.message).toBe(
      'riskFree: no column "tbill" among the factors\n  hint: the factor columns are mkt_rf, smb, rf; leave riskFree out to regress on every column',
    );
    // the CLI names its flag for it (--rf-col)
    expect(rf.options).toEqual(['riskFree']);
    expect(refused(() => r.withExposures(mk.factors, { window: 30, riskFree: 3 as never })).message).toMatch(
      /^riskFree must be the name of a column of the factors, got 3/,
    );
    expect(refused(() => r.withExposures(mk.factors.select(['rf']), { window: 30, riskFree: 'rf' })).message).toMatch(
      /no column besides the risk-free one \(rf\)/,
    );
  });

  it("backtest's benchmark and factors of the wrong shape are InputErrors (a TypeError deep inside before: exit 1)", () => {
    const refused = (o: Record<string, unknown>): string => {
      let e: unknown;
      try {
        backtest(mk.prices, { ...opts, ...o } as never);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).message;
    };
    expect(refused({ benchmark: 'equal-weight' })).toBe(
      `benchmark must be 'equal' or { levels, dates } (a level series and its day numbers), got "equal-weight" (a string)`,
    );
    expect(refused({ benchmark: { levels: [1, 2, 3] } })).toBe(
      "benchmark must be 'equal' or { levels, dates } (a level series and its day numbers), got an object without levels and dates",
    );
    const record = { mkt_rf: new Float64Array(3) };
    expect(refused({ exposures: { factors: record, window: 30 } })).toBe(
      'exposures.factors must be a Frame of factor returns (Frame.fromRecord or readFrame makes one), got a plain object',
    );
    expect(refused({ exposures: { factors: mk.prices, window: 30 } })).toMatch(/got a Panel$/);
    const r = backtest(mk.prices, opts);
    let e: unknown;
    try {
      r.withExposures(record as never, { window: 30 });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(InputError);
  });

  it('periodsPerYear: a bad one given, or none to be told from the price dates, is an InputError naming it; benchmark returns of another length are refused (they were paired by position)', () => {
    const run = runBacktest(mk.prices, opts);
    const refused = (o: Record<string, unknown>, p = mk.prices, rn = run): string => {
      let e: unknown;
      try {
        backtestResults(rn, p, { schedule: opts.schedule, ...o });
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).message;
    };
    // 0, a negative or a string was kept in the settings (and the string coerced by the statistics)
    expect(refused({ periodsPerYear: 0 })).toBe('periodsPerYear must be a finite number > 0, got 0');
    expect(refused({ periodsPerYear: '252' })).toBe('periodsPerYear must be a finite number > 0, got "252" (a string)');
    // one price date: no frequency to tell (a RangeError before)
    const one = Panel.fromColumns(calendarFromIso(['2024-01-02']), [['A', [10]]]);
    const none = runBacktest(one, { rule: fixed([1]), schedule: { kind: 'daily' } });
    expect(refused({}, one, none)).toBe(
      'cannot tell periods per year from the price dates (irregular)\n  hint: give periodsPerYear (252 for daily prices, 52 weekly, 12 monthly)',
    );
    expect(backtestResults(none, one, { schedule: { kind: 'daily' }, periodsPerYear: 252 }).settings.periodsPerYear).toBe(252);
    expect(refused({ benchmarkReturns: new Float64Array(run.dates.length - 1) })).toBe(
      `benchmarkReturns has ${run.dates.length - 1} values, expected ${run.dates.length} (one per row of the run's dates)`,
    );
  });
});

describe('BacktestResults: JSON', () => {
  const mk = market(11);
  const opts = { signal: mk.signal, rule: topN(3), schedule: { kind: 'month-end' } as const, costBps: 10, executionLag: 2 };

  it('JSON.stringify(results) is the JSON of toJSON(), and reading it back gives the same JSON', () => {
    const r = backtest(mk.prices, { ...opts, benchmark: 'equal', exposures: { factors: mk.factors, window: 25, riskFree: 'rf' } });
    const text = JSON.stringify(r);
    expect(text).toBe(JSON.stringify(r.toJSON()));
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    expect(JSON.parse(text)).toEqual(viaJson(r.toJSON()));
    expect(r.toJSON().strategy).toMatch(/^a custom rule, .*month.*, trading 2 rows after the signal$/);
  });

  it('toJSON() returns fresh objects: changing one does not change the results', () => {
    const r = backtest(mk.prices, opts);
    const a = r.toJSON();
    a.notes.push('x');
    a.settings.costBps = 99;
    a.series.navNet[0] = 42;
    const b = r.toJSON();
    expect(b.notes).toEqual([]);
    expect(b.settings.costBps).toBe(10);
    expect(b.series.navNet[0]).toBe(r.run.navNet[0]);
  });

  it('without detail: only the last rebalance lists its weights, none its trades; the rows keep every rebalance', () => {
    const r = backtest(mk.prices, { ...opts, detail: false });
    const json: BacktestJson = r.toJSON();
    const n = json.rebalances.length;
    expect(n).toBeGreaterThan(2);
    expect(json.rebalances.slice(0, -1).every((x) => x.weights.length === 0)).toBe(true);
    expect(json.rebalances[n - 1].weights.length).toBeGreaterThan(0);
    expect(json.trades).toEqual([]);
    // a rebalance lists no trades of its own: the top-level trades have them (the JSON listed them twice)
    expect(json.rebalances.every((x) => !('trades' in x))).toBe(true);
    const full = backtest(mk.prices, opts).toJSON();
    expect(r.weightsRows()).toEqual(full.rebalances.flatMap((x) => x.weights.map((w) => ({ date: x.date, ...w }))));
    expect(r.tradesRows()).toEqual(
      full.trades.map(({ signalDate, ...t }) => ({
        date: t.date,
        signal_date: signalDate,
        asset: t.asset,
        before: t.before,
        after: t.after,
        delta: t.delta,
        reason: t.reason,
      })),
    );
    // the trades with a signal date are the rebalances', in rebalance order
    expect(full.trades.filter((t) => t.signalDate !== null)).toEqual(full.rebalances.flatMap((_, k) => tradesOf(full, k)));
  });

  it('the rows agree with the JSON (property: any seed, rule size, lag and cost)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (seed, top, lag, bps) => {
          const m = market(seed, 60, 8);
          const r = backtest(m.prices, {
            signal: m.signal,
            rule: topN(top),
            schedule: { kind: 'weekly', weekday: 2 },
            executionLag: lag,
            costBps: bps,
            benchmark: 'equal',
          });
          const j = r.toJSON();
          const nav = r.navRows();
          expect(nav.map((x) => x.date)).toEqual(j.series.dates);
          expect(nav.map((x) => x.nav_net)).toEqual(j.series.navNet);
          expect(nav.map((x) => x.benchmark_return)).toEqual(j.series.benchmarkReturns);
          expect(j.series.dates).toEqual(Array.from(r.run.dates, formatIsoDate));
          expect(r.weightsRows().length).toBe(j.rebalances.reduce((a, x) => a + x.weights.length, 0));
          // the summary's total cost is the sum of the rows' costs; the net NAV compounds the net returns
          close(
            j.summary.totalCost,
            j.series.costs.reduce((a, c) => a + c, 0),
            1e-12,
          );
          let v = 1;
          j.series.netReturns.forEach((x, i) => {
            v *= 1 + x;
            close(j.series.navNet[i], v, 1e-12);
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a results object made from a run equals the one backtest() makes', () => {
    const run = runBacktest(mk.prices, opts);
    const a = backtestResults(run, mk.prices, { ...opts });
    const b = backtest(mk.prices, opts);
    expect(a).toBeInstanceOf(BacktestResults);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.settings.signal).toBe('the given signal');
  });
});

describe('BacktestResults: forced sales are trades', () => {
  // fixed weights .5/.3/.2 on rows 0 and 3 (executed on rows 1 and 4); C has no price on row 2 (not a
  // rebalance) and B none on row 4 (a rebalance's execution row); maxGap 0: sold on the first row without a price
  const gaps = Panel.fromColumns(calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']), [
    ['A', [10, 11, 12.1, 11, 11, 12]],
    ['B', [20, 20, 22, 22, NaN, 24]],
    ['C', [50, 45, NaN, 54, 54, 55]],
  ]);
  const r = backtest(gaps, {
    rule: fixed([0.5, 0.3, 0.2]),
    schedule: { kind: 'every', rows: 3 },
    costBps: 10,
    periodsPerYear: 252,
    maxGap: 0,
  });
  const rows = r.tradesRows();
  const json = r.toJSON();

  it('a forced sale on a row without a rebalance is a row of --trades-out, reason "forced: no price", no signal date', () => {
    expect(r.run.forcedSales.map((f) => [formatIsoDate(f.date), f.asset, f.reason])).toEqual([
      ['2024-01-03', 'C', 'no price'],
      ['2024-01-05', 'B', 'no price'],
    ]);
    const c = rows.filter((x) => x.date === '2024-01-03');
    expect(c).toEqual([
      { date: '2024-01-03', signal_date: null, asset: 'C', before: 0.2 / 1.08, after: 0, delta: -0.2 / 1.08, reason: 'forced: no price' },
    ]);
    // the NAV's turnover on that row is that trade
    const i = json.series.dates.indexOf('2024-01-03');
    close(json.series.turnover[i], 0.2 / 1.08);
    expect(json.trades.find((t) => t.date === '2024-01-03')).toEqual({
      date: '2024-01-03',
      signalDate: null,
      asset: 'C',
      before: 0.2 / 1.08,
      after: 0,
      delta: -0.2 / 1.08,
      reason: 'forced: no price',
    });
  });

  it("a forced sale on a rebalance's row is one of its trades, marked forced; the rule's trades are 'rebalance'", () => {
    const onRebalance = rows.filter((x) => x.date === '2024-01-05');
    expect(onRebalance.map((x) => [x.asset, x.signal_date, x.after, x.reason])).toEqual([
      ['A', '2024-01-04', 0.5, 'rebalance'],
      ['B', '2024-01-04', 0, 'forced: no price'],
      ['C', '2024-01-04', 0.2, 'rebalance'],
    ]);
    expect(tradesOf(json, 1).map((t) => [t.asset, t.reason])).toEqual([
      ['A', 'rebalance'],
      ['B', 'forced: no price'],
      ['C', 'rebalance'],
    ]);
  });

  it('every trade is listed once, in date order, and the trades add up to the turnover of every row', () => {
    expect(rows.map((x) => x.date)).toEqual([...rows.map((x) => x.date)].sort());
    expect(json.trades).toHaveLength(rows.length);
    json.series.dates.forEach((d, i) => {
      const sum = rows.filter((x) => x.date === d).reduce((a, x) => a + Math.abs(x.delta), 0);
      close(sum, json.series.turnover[i], 1e-12);
    });
  });

  it('a name that left the universe: reason "forced: left the universe"', () => {
    const universe = {
      kind: 'membership' as const,
      intervals: [
        { asset: 'A', start: 0 },
        { asset: 'B', start: 0 },
        { asset: 'C', start: 0, end: calendarFromIso(['2024-01-04'])[0] },
      ],
    };
    const left = backtest(small, { rule: fixed([0.5, 0.3, 0.2]), schedule: { kind: 'every', rows: 10 }, universe, periodsPerYear: 252 });
    expect(left.tradesRows().filter((x) => x.reason !== 'rebalance')).toEqual([
      {
        date: '2024-01-04',
        signal_date: null,
        asset: 'C',
        before: left.run.forcedSales[0].weight,
        after: 0,
        delta: -left.run.forcedSales[0].weight,
        reason: 'forced: left the universe',
      },
    ]);
  });
});

describe('BacktestResults: the statistics start at the first rebalance that holds something', () => {
  // a signal without values on its first 30 rows (a lookback warming up): the first rebalances hold nothing
  const mk = market(3, 120, 8);
  const sig = mk.signal.values.slice();
  sig.fill(NaN, 0, 30 * 8);
  const signal = new Panel(mk.signal.dates, mk.signal.assets, sig);
  const opts = { signal, rule: topN(3), schedule: { kind: 'weekly', weekday: 4 } as const, costBps: 10, periodsPerYear: 252 };
  const r = backtest(mk.prices, { ...opts, benchmark: 'equal' });
  const run = r.run;
  const first = run.rebalances.find((x) => x.holdings > 0)!;
  const k = first.row - run.firstRow;

  it('the run starts with rebalances that hold nothing (the cash rows are in the series)', () => {
    expect(run.rebalances[0].holdings).toBe(0);
    expect(k).toBeGreaterThan(5);
    expect(Array.from(run.netReturns.subarray(0, k)).every((x) => x === 0)).toBe(true);
    expect(r.statisticsStart).toBe(k);
  });

  it('performance, mean holdings and mean turnover cover rows k.., and the summary says from when', () => {
    // the benchmark over rows k..: its return on row k (a period the strategy spent in cash: row k's
    // own return is the first trade's cost) is 0, as on the run's first row
    const b = r.benchmarkReturns!.slice(k);
    expect(b[0]).not.toBe(0);
    b[0] = 0;
    const net = performance(run.netReturns.subarray(k), { periodsPerYear: 252, benchmark: b });
    expect(r.performance.net.annualReturn).toBe(net.annualReturn);
    expect(r.performance.net.annualVolatility).toBe(net.annualVolatility);
    expect(r.performance.net.hitRate).toBe(net.hitRate);
    expect(r.performance.net.periods).toBe(run.dates.length - k);
    expect(r.performance.net.benchmark).toEqual(net.benchmark);
    expect(r.performance.gross.sharpe).toBe(performance(run.grossReturns.subarray(k), { periodsPerYear: 252 }).sharpe);
    // the total return is the whole NAV's: the rows before hold cash
    close(r.performance.net.totalReturn, run.navNet[run.navNet.length - 1] - 1, 1e-12);
    const s = r.summary;
    expect(s.firstDate).toBe(formatIsoDate(run.dates[0]));
    expect(s.rows).toBe(run.dates.length);
    expect(s.statisticsFirstDate).toBe(formatIsoDate(first.date));
    expect(s.statisticsRows).toBe(run.dates.length - k);
    const held = Array.from(run.holdings.subarray(k));
    close(s.meanHoldings, held.reduce((a, x) => a + x, 0) / held.length);
    const rb = run.rebalances.filter((x) => x.row >= first.row);
    close(s.meanTurnover, rb.reduce((a, x) => a + x.turnover, 0) / rb.length);
    expect(s.rebalances).toBe(run.rebalances.length);
  });

  it("the max drawdown's rows index the run's rows (a peak at the start is the row before the first trade)", () => {
    const own = performance(run.netReturns.subarray(k), { periodsPerYear: 252 }).maxDrawdown;
    const m = r.performance.net.maxDrawdown;
    expect(own.troughRow).toBeGreaterThanOrEqual(0);
    expect(m.maxDrawdown).toBe(own.maxDrawdown);
    expect(m.troughRow).toBe(own.troughRow + k);
    expect(m.peakRow).toBe(own.peakRow + k); // -1 (the start) becomes k - 1, whose NAV is 1
    expect(m.recoveryRow).toBe(own.recoveryRow < 0 ? -1 : own.recoveryRow + k);
    expect(m.durationRows).toBe(own.durationRows);
    // the whole series' drawdown agrees at the trough
    close(r.drawdown[m.troughRow], m.maxDrawdown, 1e-12);
  });

  it("the series (NAV, returns, dates) are the run's, whatever the statistics cover", () => {
    const j = r.toJSON();
    expect(j.series.dates).toEqual(Array.from(run.dates, formatIsoDate));
    expect(j.series.navNet).toEqual(Array.from(run.navNet));
    expect(j.summary.statisticsFirstDate).toBe(formatIsoDate(first.date));
  });
});

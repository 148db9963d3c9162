/**
 * Bad arguments to the backtest's public functions (engine, schedule, benchmark series): an
 * InputError naming the argument, the value and what is expected, never a NaN NAV or a silently
 * misaligned signal.
 */
import { describe, expect, it } from 'vitest';
import { calendarFromIso, makeCalendar } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { EquityFactorBasket } from './basket.js';
import { equalWeightReturns, seriesReturns } from './benchmark.js';
import { runBacktest } from './engine.js';
import { holdingsPanel } from './exposures.js';
import { topN, type Rule } from './rules.js';
import { scheduleRows, type Schedule } from './schedule.js';
import { alignedRows, alignSignal, momentumRows } from './signal.js';

const dates = calendarFromIso(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']);
const assets = ['A', 'B', 'C'];
const prices = () =>
  new Panel(
    dates,
    assets,
    Float64Array.from({ length: 18 }, (_, i) => 100 + ((i * 37) % 11)),
  );
const signal = new Panel(
  dates,
  assets,
  Float64Array.from({ length: 18 }, (_, i) => (i * 7) % 5),
);
const every: Schedule = { kind: 'every', rows: 2 };
/** The InputError `f` throws (the test fails when it throws anything else, or nothing). */
const inputError = (f: () => unknown): InputError => {
  let e: unknown;
  try {
    f();
  } catch (x) {
    e = x;
  }
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
};
const run = (o: Record<string, unknown>, p = prices()) => runBacktest(p, { signal, rule: topN(3), schedule: every, ...o } as never);

describe('runBacktest: bad input', () => {
  it('executionLag, from/to, maxGap and a signal off the grid are InputErrors naming the option and the value (they were RangeErrors: exit 1, a fault of factorlab)', () => {
    const refused = (o: Record<string, unknown>, text: string): void => {
      let e: unknown;
      try {
        run(o);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toContain(text);
    };
    refused({ executionLag: 0 }, 'executionLag must be a whole number >= 1 (trading at the close the signal used is look-ahead), got 0');
    refused({ executionLag: 1.5 }, 'executionLag must be a whole number >= 1');
    refused({ from: -1 }, 'from must be a row of the price calendar, a whole number in 0..5, got -1');
    refused({ to: 6 }, 'to must be a row of the price calendar, a whole number in 0..5, got 6');
    // from after to ran no row and returned an empty backtest
    refused({ from: 4, to: 2 }, 'from (row 4) is after to (row 2): the backtest would run no row');
    refused({ maxGap: -1 }, 'maxGap must be a whole number of rows >= 0 (0 sells a held name on its first row without a price), got -1');
    refused({ maxGap: 2.5 }, 'maxGap must be a whole number of rows >= 0');
    const rows = { nDates: 5, nAssets: 3, row: () => new Float64Array(3) };
    refused({ signal: rows }, "the signal must be on the prices' grid (6 x 3), got 5 x 3");
  });

  it('a signal panel of the prices shape on other dates, or with its assets in another order, is refused (it was traded as if aligned)', () => {
    const other = new Panel(makeCalendar([...dates].map((d) => d + 1000)), assets, signal.values);
    expect(() => run({ signal: other })).toThrow(/the signal and prices differ at row 0/);
    const reordered = new Panel(dates, ['C', 'B', 'A'], signal.values);
    expect(() => run({ signal: reordered })).toThrow(/differ at column 0 \(asset "C" vs "A"\)/);
  });

  it('a zero, negative or infinite price of a held name names the asset and date (the NAV was NaN or garbage)', () => {
    for (const bad of [0, -5, Infinity]) {
      const p = prices();
      p.values[3 * 3 + 1] = bad; // B on 2024-01-04
      expect(() => run({ schedule: { kind: 'daily' } }, p)).toThrow(InputError);
      expect(() => run({ schedule: { kind: 'daily' } }, p)).toThrow(/asset B, date 2024-01-0[34]: prices must be positive finite numbers/);
    }
  });

  it('a rule returning NaN weights, a plain array or the wrong length names the signal date', () => {
    const nan: Rule = () => new Float64Array(3).fill(NaN);
    expect(() => run({ rule: nan })).toThrow(/the rule's target for the signal of 2024-01-01: weight\[0\] is NaN/);
    const plain = (() => [0.5, 0.5, 0]) as unknown as Rule;
    expect(() => run({ rule: plain })).toThrow(/is an array of 3, expected a Float64Array of 3 weights/);
    expect(() => run({ rule: () => new Float64Array(2) })).toThrow(/has 2 weights, expected one per asset \(3\)/);
    expect(() => run({ rule: undefined })).toThrow('rule must be a function');
  });

  it('costs and capital: finite numbers (Infinity made the NAV -Infinity or NaN), not strings', () => {
    expect(() => run({ costBps: Infinity })).toThrow('costBps must be a finite number >= 0, got Infinity');
    expect(() => run({ costBps: '5' })).toThrow('costBps must be a finite number >= 0, got "5" (a string)');
    expect(() => run({ capital: Infinity, minCost: 1 })).toThrow('capital must be a finite number > 0, got Infinity');
    expect(() => run({ schedule: undefined })).toThrow(/schedule must be/);
  });
});

describe('schedule and benchmark series: bad input', () => {
  it('scheduleRows refuses an unknown kind, a negative offset and rows outside the calendar (it returned no rows or negative rows)', () => {
    expect(() => scheduleRows({ kind: 'hourly' } as never, dates)).toThrow(
      `schedule must be { kind: 'daily' | 'weekly' | 'month-end' | 'every', ... } (parseSchedule makes one), got kind "hourly" (a string)`,
    );
    expect(() => scheduleRows({ kind: 'every', rows: 2, offset: -1 }, dates)).toThrow(
      'schedule offset must be a whole number of rows >= 0, got -1',
    );
    expect(() => scheduleRows({ kind: 'daily' }, dates, 0, 10)).toThrow('to must be a row of the calendar, a whole number in 0..5, got 10');
  });

  it('scheduleRows: every 0 rows or a weekday outside 0..6 is an InputError naming the value (it was a RangeError: exit 1)', () => {
    expect(() => scheduleRows({ kind: 'every', rows: 0 }, dates)).toThrow(InputError);
    expect(() => scheduleRows({ kind: 'every', rows: 0 }, dates)).toThrow(
      'schedule rows must be a whole number >= 1 (every N rows), got 0',
    );
    expect(() => scheduleRows({ kind: 'weekly', weekday: 7 } as Schedule, dates)).toThrow(InputError);
    expect(() => scheduleRows({ kind: 'weekly', weekday: 7 } as Schedule, dates)).toThrow(
      'schedule weekday must be a whole number from 0 (Monday) to 6 (Sunday), got 7',
    );
  });

  it('equalWeightReturns refuses rows past the prices (they read as NaN returns)', () => {
    expect(() => equalWeightReturns(prices(), { kind: 'static' }, 0, 100)).toThrow('length must be a whole number of rows in 0..6');
    expect(() => equalWeightReturns(prices(), { kind: 'static' }, -3, 5)).toThrow('firstRow must be a row of the prices');
    expect(equalWeightReturns(prices(), { kind: 'static' }, 1, 5)).toHaveLength(5);
  });

  it('seriesReturns refuses levels and dates of different lengths, and unsorted dates', () => {
    expect(() => seriesReturns([1, 2, 3], dates, dates)).toThrow('levels has 3 values, expected 6');
    expect(() => seriesReturns([1, 2, 3], Int32Array.from([3, 2, 1]), dates)).toThrow('levelDates must be strictly increasing');
  });
});

describe('the other RangeErrors of src/backtest: InputErrors when the caller caused them', () => {
  it("a custom rule's sparse target of mismatched lengths or unordered columns names the signal date (a RangeError before: exit 1)", () => {
    const mismatched: Rule = () => ({ assets: Int32Array.from([0, 1]), weights: Float64Array.from([1]) });
    expect(inputError(() => run({ rule: mismatched })).message).toBe(
      "the rule's target for the signal of 2024-01-01 needs one weight per asset, got 2 assets and 1 weights",
    );
    const unordered: Rule = () => ({ assets: Int32Array.from([2, 1]), weights: Float64Array.from([0.5, 0.5]) });
    expect(inputError(() => run({ rule: unordered })).message).toBe(
      "the rule's target for the signal of 2024-01-01: assets must be increasing columns in 0..2; got 1 after 2",
    );
    const outside: Rule = () => ({ assets: Int32Array.from([3]), weights: Float64Array.from([1]) });
    expect(inputError(() => run({ rule: outside })).message).toBe(
      "the rule's target for the signal of 2024-01-01: assets must be increasing columns in 0..2; got 3 first",
    );
  });

  it('holdingsPanel of a run without its holdings says how to keep them (a RangeError before)', () => {
    const e = inputError(() => holdingsPanel(run({}), assets));
    expect(e.message).toBe('the backtest kept no holdings history\n  hint: run it with recordHoldings: true');
  });

  it("a signal source's row outside its rows is an InputError naming the row (a RangeError before); maxAgeDays NaN, negative or a string is refused (NaN kept every stale date)", () => {
    const rows = momentumRows(prices(), { lookback: 2, skip: 0 });
    expect(inputError(() => rows.row(6)).message).toBe('row must be a row of the prices, a whole number in 0..5, got 6');
    expect(inputError(() => rows.row(-1)).message).toBe('row must be a row of the prices, a whole number in 0..5, got -1');
    expect(inputError(() => alignedRows(signal, prices()).row(1.5)).message).toBe(
      'row must be a row of the prices, a whole number in 0..5, got 1.5',
    );
    for (const bad of [NaN, -1, '5'])
      expect(inputError(() => alignSignal(signal, prices(), bad as number)).message).toMatch(
        /^maxAgeDays must be a number of calendar days >= 0 \(Infinity: no limit\), got /,
      );
    expect(alignSignal(signal, prices(), 0).values).toEqual(signal.values);
  });

  it("the basket: a repeated name, an empty basket, a non-finite weight and a method's wrong answer are InputErrors; an unknown transform is refused (it was applied as 'rank')", () => {
    const basket = () => new EquityFactorBasket().addFactorExposures('x', signal);
    expect(inputError(() => basket().addFactorExposures('x', signal)).message).toBe(
      'the basket already has an input named "x"\n  hint: give each input its own name',
    );
    expect(inputError(() => new EquityFactorBasket().signal(prices())).message).toMatch(/^the basket has no input\n/);
    expect(inputError(() => basket().addRawFactorTimeseries('y', signal, { weight: NaN })).message).toBe(
      'weight must be a finite number, got NaN',
    );
    expect(inputError(() => basket().addRawFactorTimeseries('y', signal, { transform: 'zscor' as never })).message).toBe(
      "transform must be one of 'none', 'zscore', 'rank', got \"zscor\" (a string)",
    );
    expect(inputError(() => basket().addRawFactorTimeseries('y', signal, { wieght: 2 } as never)).message).toMatch(
      /unknown option "wieght" \(did you mean "weight"\?\)/,
    );
    expect(inputError(() => basket().addFactorExposureMethod('m', 5 as never)).message).toBe(
      'input "m" must be a function of the price history, got 5',
    );
    expect(inputError(() => basket().addFactorExposures('p', [1, 2] as never)).message).toBe(
      'input "p" must be a Panel (dates × assets), got an array of 2',
    );
    const short = new EquityFactorBasket().addFactorExposureMethod('m', () => [1]).signal(prices());
    expect(inputError(() => short.row(1)).message).toMatch(/^exposure method m returned 1 values for 3 assets on 2024-01-02\n/);
    const nothing = new EquityFactorBasket().addFactorExposureMethod('m', () => undefined as never).signal(prices());
    expect(inputError(() => nothing.row(1)).message).toMatch(/^exposure method m returned undefined for 3 assets on 2024-01-02\n/);
  });
});

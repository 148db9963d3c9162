/**
 * `factorlab backtest` on a factor file dated by fiscal period end (a fundamentals export): its
 * values are published weeks to months later, so trading them from the next session has look-ahead.
 * Backtest warns as analyze does (the same text), with its own advice; the numbers do not change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, monthEnds, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-period-end');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 260);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets, 3));
/** A long factor file of month-end values whose date column is `dateCol`. */
const fundamentals = (name: string, dateCol: string): string =>
  t.write(
    name,
    `${dateCol},Ticker Symbol,roe\n${monthEnds(2019, 12, 12)
      .flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 5 + j * 11) % 13) + 1}`))
      .join('\n')}\n`,
  );
const periodEnd = fundamentals('fundamentals.csv', 'Period Ending');
const dated = fundamentals('fundamentals-dated.csv', 'date');
const args = (factor: string, ...more: string[]): string[] => [
  'backtest',
  '--prices',
  prices,
  '--factor',
  factor,
  '--latest-per-asset',
  '--schedule',
  'month-end',
  '--top',
  '2',
  ...more,
];
const WARNING =
  /fundamentals\.csv is dated by "Period Ending", a fiscal period's end: such values are published weeks to months later \(a 10-K up to 90 days\), so testing them as dated has look-ahead \(the execution lag is 1 row\): date the file by filing date, or trade each rebalance about 3 months after its signal date with --execution-lag 63/;

describe('backtest: a factor dated by fiscal period end', () => {
  it('warns of the look-ahead on stderr, in the text report and in the JSON notes, with --execution-lag 63 as the fix', async () => {
    const r = await cli(...args(periodEnd));
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(new RegExp(`^factorlab: warning: .*${WARNING.source}`, 'm'));
    expect(r.out).toMatch(new RegExp(`^ {2}warning: .*${WARNING.source}`, 'm'));
    const j = await cli(...args(periodEnd, '--json'));
    expect(j.code, j.err).toBe(0);
    const notes = (JSON.parse(j.out) as { notes: string[] }).notes;
    expect(notes.filter((n) => WARNING.test(n))).toHaveLength(1);
    expect(notes.find((n) => WARNING.test(n))).toMatch(/^warning: /);
  });

  it('a warning only: the same numbers as the file dated "date", which gets no warning; none with --execution-lag 63', async () => {
    const warned = JSON.parse((await cli(...args(periodEnd, '--json'))).out) as { notes: string[]; [k: string]: unknown };
    const plain = await cli(...args(dated, '--json'));
    expect(plain.err).not.toMatch(/fiscal period/);
    const quiet = JSON.parse(plain.out) as { notes: string[]; [k: string]: unknown };
    expect(quiet.notes.some((n) => /fiscal period/.test(n))).toBe(false);
    const numbers = (x: { [k: string]: unknown }): string =>
      JSON.stringify({ ...x, notes: undefined, settings: undefined, generator: undefined }).replaceAll(
        'fundamentals-dated.csv',
        'fundamentals.csv',
      );
    expect(numbers(warned)).toBe(numbers(quiet));
    const lagged = await cli(...args(periodEnd, '--execution-lag', '63'));
    expect(lagged.code, lagged.err).toBe(0);
    expect(lagged.err + lagged.out).not.toMatch(/fiscal period/);
  });
});

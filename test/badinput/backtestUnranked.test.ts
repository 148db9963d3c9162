/**
 * `factorlab backtest` on a rebalance date whose factor cannot rank the names: every tradable name
 * with the same value (a date filled with 0 for missing, a constant column), or too few distinct
 * values for the quantiles. Before, the quantile rules and proportional held nothing that week
 * (the whole book sold, cash until the next rebalance) and top N took the first names in column
 * order, all in silence; now exit 2 naming the file, the date and the value. Ties at the --top
 * cutoff (some tied names picked by column order) are a warning.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('backtest-unranked');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 60); // Monday 2020-01-06 .. ; Fridays are rebalance dates
const assets = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];
const prices = t.write('prices.csv', pricesCsv(days, assets));

/** A long factor file: value(i, j) on date i for asset j. */
function factorFile(name: string, value: (i: number, j: number) => number): string {
  const lines = days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${value(i, j)}`));
  return t.write(name, `date,asset,value\n${lines.join('\n')}\n`);
}

// distinct values on every date: (i*7 + j*13) % 31 over 10 assets
const good = (i: number, j: number): number => ((i * 7 + j * 13) % 31) + 1;
// the same, with every name at 0 on the week of 2020-02-03 .. 2020-02-07 (rows 20..24)
const zeroWeek = factorFile('zero-week.csv', (i, j) => (i >= 20 && i < 25 ? 0 : good(i, j)));
const constant = factorFile('constant.csv', () => 1);
// 0/1 flag with one 0 per date: too few distinct values for 5 quantiles (every name in quantile 1)
const flag = factorFile('flag.csv', (i, j) => (j === i % 10 ? 0 : 1));
// two levels: the --top 3 cutoff falls among the four names at 2
const ties = factorFile('ties.csv', (i, j) => (j < 4 ? 2 : j < 8 ? 1 : 0));

const run = (factor: string, ...args: string[]) => cli('backtest', '--prices', prices, '--factor', factor, ...args);

describe('backtest: a rebalance whose factor cannot rank the names exits 2 naming the date', () => {
  for (const rule of ['top-quantile', 'long-short', 'proportional', 'top-n', 'inverse-vol']) {
    it(`--rule ${rule}: a week of zeros`, async () => {
      const r = await run(zeroWeek, '--rule', rule, ...(rule === 'inverse-vol' ? ['--vol-lookback', '5'] : []));
      expect(r.code, r.err).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        /zero-week\.csv, date 2020-02-07: all 10 tradable names with a factor value have the same value \(0\) on the rebalance date 2020-02-07/,
      );
      expect(r.err).toMatch(
        rule === 'top-n' || rule === 'inverse-vol'
          ? /would pick --top 5 of them by their column order in --prices, not by the factor/
          : /cannot rank them and would hold nothing \(sell everything and hold cash until the next rebalance\)/,
      );
      expect(r.err).toMatch(/hint: .*placeholder \(0 for missing\)/);
    });
  }

  it('industry-neutral: a week of zeros', async () => {
    const groups = t.write('groups.csv', `asset,group\n${assets.map((a, j) => `${a},${j % 2 === 0 ? 'x' : 'y'}`).join('\n')}\n`);
    const r = await run(zeroWeek, '--rule', 'industry-neutral', '--groups', groups, '--quantiles', '2');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/date 2020-02-07: all 10 tradable names .* same value \(0\)/);
  });

  it('a constant factor is refused on the first rebalance (top-n took the first 5 columns)', async () => {
    const r = await run(constant, '--rule', 'top-n');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/constant\.csv, date 2020-01-10: all 10 tradable names with a factor value have the same value \(1\)/);
  });

  it('topk-dropout: refused where it would fill its book by column order, not once the book is full', async () => {
    expect((await run(constant, '--rule', 'topk-dropout')).err).toMatch(/date 2020-01-10: .*--rule topk-dropout would pick --top 5/);
    // the zero week comes after the book is full: topk-dropout keeps its names (no swap for an equal score)
    const kept = await run(zeroWeek, '--rule', 'topk-dropout', '--json');
    expect(kept.code, kept.err).toBe(0);
  });

  it('too few distinct values for --quantiles: the quantile held is empty', async () => {
    const r = await run(flag, '--rule', 'top-quantile', '--quantiles', '5');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(
      /flag\.csv, date 2020-01-10: --rule top-quantile holds nothing on the rebalance date 2020-01-10: the 10 tradable names' factor values take only 2 distinct values \(1 on 9 of them\), too few for --quantiles 5/,
    );
    expect(r.err).toMatch(/hint: fewer --quantiles/);
    // half 0s and half 1s: two quantiles split them
    const half = factorFile('half.csv', (i, j) => ((i + j) % 2 === 0 ? 0 : 1));
    const two = await run(half, '--rule', 'top-quantile', '--quantiles', '2', '--json');
    expect(two.code, two.err).toBe(0);
    expect((JSON.parse(two.out) as { rebalances: { holdings: number }[] }).rebalances.every((x) => x.holdings === 5)).toBe(true);
  });

  it('ties at the --top cutoff: a warning naming the first date, the value and the places; the run goes on', async () => {
    const r = await run(ties, '--rule', 'top-n', '--top', '3', '--json');
    expect(r.code, r.err).toBe(0);
    const w =
      /on 11 of 11 rebalances the --top 3 cutoff fell among names with equal factor values \(the first 2020-01-10: 4 names at 2 for 3 places\): the rule took them in their column order in --prices/;
    expect(r.err).toMatch(w);
    const json = JSON.parse(r.out) as { notes: string[] };
    expect(json.notes.some((n) => w.test(n))).toBe(true);
    // a cutoff between levels is not a tie
    const four = await run(ties, '--rule', 'top-n', '--top', '4', '--json');
    expect(four.code, four.err).toBe(0);
    expect(four.err).not.toMatch(/cutoff/);
  });

  it('a price row with no value at all (a holiday left in the file) on a rebalance date: dropped with a note, the NAV that of the file without it', async () => {
    const lines = pricesCsv(days, assets).trimEnd().split('\n');
    const kept = t.write('kept.csv', `${lines.filter((_, i) => i !== 21).join('\n')}\n`);
    lines[21] = `${days[20]},${assets.map(() => '').join(',')}`; // 2020-02-03, every cell empty
    const holiday = t.write('holiday.csv', `${lines.join('\n')}\n`);
    const r = await cli('backtest', '--prices', holiday, '--factor', factorFile('good-h.csv', good), '--schedule', 'daily', '--json');
    const ref = await cli('backtest', '--prices', kept, '--factor', factorFile('good-h.csv', good), '--schedule', 'daily', '--json');
    expect(r.code, r.err).toBe(0);
    expect(ref.code, ref.err).toBe(0);
    const json = (o: string): { notes: string[]; series: unknown } => JSON.parse(o) as { notes: string[]; series: unknown };
    expect(json(r.out).notes[0]).toMatch(
      /^prices: 1 date with no price for any asset dropped \(2020-02-03\): a row for a day the market was closed/,
    );
    expect(json(r.out).series).toEqual(json(ref.out).series);
  });

  it('a factor with distinct values runs as before, without a warning', async () => {
    const r = await run(factorFile('good.csv', good), '--rule', 'top-quantile', '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
  });
});

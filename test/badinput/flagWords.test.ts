/**
 * Errors in the command's own words: the readers name a value column's flag `--value-col`
 * (inspect's), which analyze and combine call `--factor-col` and which analyze's `--weights` file
 * has no flag for; and a comma-separated list with an empty entry (`--horizons 1,,5`,
 * `--quantile-edges 0,,0.5,1`) is a typo, not the list without it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('flagwords');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 80);
const assets = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const twoColumns = t.write(
  'two.csv',
  `date,asset,f1,f2\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${(i * 7 + j * 3) % 11},${j}`)).join('\n')}\n`,
);
const oneColumn = t.write(
  'one.csv',
  `date,asset,score\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${(i * 7 + j * 3) % 11}`)).join('\n')}\n`,
);

describe('value-column hints name the flag the command has', () => {
  it('analyze: --factor-col for the factor file (a missing column, two numeric columns)', async () => {
    const missing = await cli('analyze', '--prices', prices, '--factor', oneColumn, '--factor-col', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('hint: pass one of the existing columns with --factor-col');
    const two = await cli('analyze', '--prices', prices, '--factor', twoColumns);
    expect(two.code).toBe(2);
    expect(two.err).toContain('hint: pass the value column with --factor-col');
    expect(two.err).not.toContain('--value-col');
  });

  it('analyze --weights with two numeric columns: what the file must hold (analyze has no flag for it)', async () => {
    const r = await cli('analyze', '--prices', prices, '--factor', oneColumn, '--weights', twoColumns);
    expect(r.code).toBe(2);
    expect(r.err).toContain('keep one value column beside the date and the asset');
    expect(r.err).not.toContain('--value-col');
  });

  it('combine: --factor-col', async () => {
    const r = await cli('combine', '--factor', twoColumns, '--factor', oneColumn, '--out', `${t.dir}/c.csv`);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain('--value-col');
  });
});

describe('a list with an empty entry is refused', () => {
  it('analyze --horizons 1,,5 and --quantile-edges 0,,0.5,1: exit 2 naming the entry; a trailing comma is fine', async () => {
    const h = await cli('analyze', '--prices', prices, '--factor', oneColumn, '--horizons', '1,,5');
    expect(h.code).toBe(2);
    expect(h.err).toContain('--horizons 1,,5: entry 2 is empty (two commas in a row)');
    const q = await cli('analyze', '--prices', prices, '--factor', oneColumn, '--quantile-edges', ',0,0.5,1');
    expect(q.code).toBe(2);
    expect(q.err).toContain('entry 1 is empty (a leading comma)');
    const ok = await cli('analyze', '--prices', prices, '--factor', oneColumn, '--horizons', '1,5,', '--json');
    expect(ok.code, ok.err).toBe(0);
  });
});

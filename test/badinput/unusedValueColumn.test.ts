/**
 * A value-column flag (`--price-col`, `--factor-col`, `--value-col`) names the value column of a
 * long table. Given for a file that reads as wide (a column per asset) it has nothing to choose:
 * the run goes on with the file's values (they are the right ones) and says the flag was not used,
 * instead of leaving the user to believe it picked the values. On a long file the flag is used and
 * no such note appears.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('unusedcol');
afterAll(() => t.remove());

const dates = weekdays('2020-01-06', 80);
const assets = Array.from({ length: 12 }, (_, i) => `A${i}`);
const pricesWide = t.write('prices.csv', pricesCsv(dates, assets));
const pricesLong = t.write(
  'prices_long.csv',
  (() => {
    const lines = ['date,ticker,close'];
    const wide = pricesCsv(dates, assets).trim().split('\n').slice(1);
    for (const row of wide) {
      const [d, ...v] = row.split(',');
      v.forEach((x, j) => lines.push(`${d},${assets[j]},${x}`));
    }
    return `${lines.join('\n')}\n`;
  })(),
);
const factorWide = t.write(
  'factor.csv',
  (() => {
    const r = rng(7);
    return `date,${assets.join(',')}\n${dates.map((d) => `${d},${assets.map(() => r().toFixed(5)).join(',')}`).join('\n')}\n`;
  })(),
);
const factors = t.write('ff.csv', factorsCsv(dates));

const NOTE = (file: string, flag: string, col: string): string =>
  `${file}: a wide table (a column per asset), so ${flag} ${col} is not used; if it is a long table (one row per date and asset), name its asset column with --asset-col`;

describe('a value-column flag on a wide file', () => {
  it('analyze --price-col and --factor-col on wide files: the run goes on, and says neither was used', async () => {
    const r = await cli('analyze', '--prices', pricesWide, '--price-col', 'close', '--factor', factorWide, '--factor-col', 'value');
    expect(r.code, r.err).toBe(0);
    const text = r.out + r.err;
    expect(text).toContain(NOTE(pricesWide, '--price-col', 'close'));
    expect(text).toContain(NOTE(factorWide, '--factor-col', 'value'));
    // the same numbers as without the flags
    const plain = await cli('analyze', '--prices', pricesWide, '--factor', factorWide, '--json');
    const flagged = await cli('analyze', '--prices', pricesWide, '--price-col', 'close', '--factor', factorWide, '--json');
    expect(flagged.code, flagged.err).toBe(0);
    const ic = (s: string): unknown => (JSON.parse(s) as { horizons: { ic: unknown }[] }).horizons.map((h) => h.ic);
    expect(ic(flagged.out)).toEqual(ic(plain.out));
  });

  it('exposures --value-col on wide prices names --value-col', async () => {
    const r = await cli('exposures', '--prices', pricesWide, '--factors', factors, '--value-col', 'close');
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toContain(NOTE(pricesWide, '--value-col', 'close'));
  });

  it('backtest --price-col on wide prices', async () => {
    const r = await cli('backtest', '--prices', pricesWide, '--price-col', 'close', '--factor', factorWide, '--top', '3');
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).toContain(NOTE(pricesWide, '--price-col', 'close'));
  });

  it('a long file uses the flag, with no such note', async () => {
    const r = await cli('analyze', '--prices', pricesLong, '--price-col', 'close', '--factor', factorWide);
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).not.toContain('is not used');
  });
});

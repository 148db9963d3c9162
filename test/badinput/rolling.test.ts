/**
 * `rolling --weights` that cannot be fractions of a portfolio (prices, percent): exit 2 naming the
 * file, the date and the gross sum, instead of exposures thousands of times too large.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('rolling');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 200);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C']));
const factors = t.write('factors.csv', factorsCsv(days));
const base = ['rolling', '--prices', prices, '--factors', factors, '--window', '60'];
const weightsOn = (name: string, rows: [string, number][]): string =>
  t.write(name, `date,asset,weight\n${rows.map(([a, w]) => `${days[100]},${a},${w}`).join('\n')}\n`);

describe('rolling --weights that are not fractions', () => {
  it('prices given as weights exit 2 naming the date and Σ|w|', async () => {
    const r = await cli(...base, '--weights', prices);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `${prices.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the --weights on \\d{4}-\\d\\d-\\d\\d sum to [\\d,.]+ in absolute value \\(Σ\\|w\\|, 3 assets\\)`,
      ),
    );
    expect(r.err).toMatch(/hint: give weights as fractions of the portfolio \(.*prices, share counts or market values are not weights/);
    expect(r.out).toBe('');
  });

  it('weights in percent exit 2 with a hint to divide by 100', async () => {
    const r = await cli(
      ...base,
      '--weights',
      weightsOn('pct.csv', [
        ['A', 60],
        ['B', 40],
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain(`the --weights on ${days[100]} sum to 100 in absolute value`);
    expect(r.err).toMatch(/hint: give weights as fractions of the portfolio \(in percent\? divide them by 100\)/);
  });

  it('a long-short book (gross 3) runs', async () => {
    const r = await cli(
      ...base,
      '--weights',
      weightsOn('ls.csv', [
        ['A', 1.5],
        ['B', -1],
        ['C', 0.5],
      ]),
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('an asset,weight file without dates holds its weights on every date: the exposures of the same weights written on each date', async () => {
    const fixed = t.write('fixed.csv', 'asset,weight\nA,0.5\nB,0.3\nC,0.2\n');
    const dated = t.write(
      'dated.csv',
      `date,asset,weight\n${days.flatMap((d) => [`${d},A,0.5`, `${d},B,0.3`, `${d},C,0.2`]).join('\n')}\n`,
    );
    const a = await cli(...base, '--weights', fixed, '--out', t.dir + '/fixed-out.csv');
    const b = await cli(...base, '--weights', dated, '--out', t.dir + '/dated-out.csv');
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(t.dir + '/fixed-out.csv', 'utf8')).toBe(readFileSync(t.dir + '/dated-out.csv', 'utf8'));
  });
});

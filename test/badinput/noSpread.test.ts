/**
 * `analyze` and `zoo` on inputs with no spread across assets: constant prices (every forward return
 * 0) or a factor with one value for every asset on each date. Every cross-sectional statistic is
 * n/a, and the output must say why in a note (the zoo: under its table and in the row's reason),
 * not print a table of n/a unexplained.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('nospread');
afterAll(() => t.remove());

const days = weekdays('2021-01-04', 80);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets, 5));
const flatPrices = t.write('flat.csv', pricesCsv(days, assets, 5, assets));
const r = rng(7);
const factor = t.write(
  'factor.csv',
  `date,${assets.join(',')}\n${days.map((d) => `${d},${assets.map(() => r().toFixed(5)).join(',')}`).join('\n')}\n`,
);
// one value per date (a market-wide series), different from date to date
const flatFactor = t.write(
  'marketwide.csv',
  `date,${assets.join(',')}\n${days.map((d, i) => `${d},${assets.map(() => (i % 7) / 10).join(',')}`).join('\n')}\n`,
);

describe('no cross-sectional spread', () => {
  it('analyze on constant prices: a note says the forward returns are all zero', async () => {
    const o = await cli('analyze', '--factor', factor, '--prices', flatPrices, '--horizons', '1,5');
    expect(o.code, o.err).toBe(0);
    expect(o.out).toMatch(/IC mean +n\/a +n\/a/);
    expect(o.out).toMatch(
      /no cross-sectional spread: the forward returns of .*flat\.csv are equal across assets on every formation date \(all zero: the prices do not move\)/,
    );
  });

  it('analyze on a factor constant across assets: a note names the factor file', async () => {
    const o = await cli('analyze', '--factor', flatFactor, '--prices', prices, '--horizons', '1,5');
    expect(o.code, o.err).toBe(0);
    expect(o.out).toMatch(/IC mean +n\/a +n\/a/);
    expect(o.out).toMatch(/no cross-sectional spread: .*marketwide\.csv gives every asset the same value on each formation date/);
  });

  it('analyze with a spread has no such note', async () => {
    const o = await cli('analyze', '--factor', factor, '--prices', prices, '--horizons', '1,5');
    expect(o.code, o.err).toBe(0);
    expect(o.out).not.toMatch(/no cross-sectional spread/);
  });

  it('zoo: the n/a factor is listed with the reason under the table, and its rows carry it', async () => {
    const table = `${t.dir}/zoo.json`;
    const o = await cli('zoo', '--prices', prices, '--horizons', '1,5', '--table', table, factor, flatFactor);
    expect(o.code, o.err).toBe(0);
    expect(o.out).toMatch(/n\/a:\n +.*marketwide\.csv: no cross-sectional spread: .*gives every asset the same value/);
    expect(o.out).not.toMatch(/factor\.csv: no cross-sectional spread/);
    const { readFileSync } = await import('node:fs');
    const rows = JSON.parse(readFileSync(table, 'utf8')) as { factor: string; status: string; reason: string | null }[];
    for (const row of rows) {
      expect(row.status).toBe('ok');
      if (row.factor.endsWith('marketwide.csv')) expect(row.reason).toMatch(/^no cross-sectional spread/);
      else expect(row.reason).toBeNull();
    }
  });
});

/**
 * `factorlab zoo --horizons` (plus --execution-lag) beyond the price history: every factor would
 * fail alike. Before, each factor file was read and failed on its own with analyze's message (three
 * reasons for one cause); now the zoo stops before any factor, with that message, and writes nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('zoo-horizons');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 40);
const assets = ['A', 'B', 'C', 'D', 'E'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const factor = t.write(
  'f.csv',
  `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 3 + j * 7) % 11) - 5}`)).join('\n')}\n`,
);

describe('zoo: horizons beyond the prices stop the whole zoo', () => {
  it('exit 2 with the rows it needs and has, before any factor; no results, no table', async () => {
    const results = join(t.dir, 'res'),
      table = join(t.dir, 'table.csv');
    const r = await cli('zoo', '--prices', prices, factor, 'momentum:5,0', '--horizons', '1,40', '--results', results, '--table', table);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/--horizons 1,40 reach 40 price rows past a factor date; --prices .*prices\.csv has 40/);
    expect(r.err).not.toMatch(/of 2 factors failed/);
    expect(existsSync(table)).toBe(false);
    expect(existsSync(results) ? readdirSync(results) : []).toEqual([]);
    const lag = await cli('zoo', '--prices', prices, factor, '--horizons', '30', '--execution-lag', '10');
    expect(lag.code, lag.err).toBe(2);
    expect(lag.err).toMatch(/--horizons 30 with --execution-lag 10 reach 40 price rows past a factor date/);
  });
});

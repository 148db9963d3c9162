/**
 * analyze with a monthly factor labelled by calendar month ends beside monthly prices labelled by
 * the last trading day: paired by month (core samePeriodDates), as if the factor had the prices'
 * labels. Before, each such month's value traded at the next month's price, where the next value
 * replaced it: 27.6% of the observations were lost (counted as data loss) on the S&P-like sample.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, monthEnds, pricesCsv, rng, tempDir } from './helpers.js';

const t = tempDir('sameperiod');
afterAll(() => t.remove());

const ends = monthEnds(2012, 1, 60);
const lastWeekday = ends.map((d) => {
  const x = new Date(`${d}T00:00:00Z`);
  while (x.getUTCDay() === 0 || x.getUTCDay() === 6) x.setUTCDate(x.getUTCDate() - 1);
  return x.toISOString().slice(0, 10);
});
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(lastWeekday, assets, 3));
const r = rng(9);
const values = ends.map(() => assets.map(() => r().toFixed(5)));
const factorOn = (dates: readonly string[]) =>
  `date,${assets.join(',')}\n${dates.map((d, i) => `${d},${values[i].join(',')}`).join('\n')}\n`;
const onEnds = t.write('factor-ends.csv', factorOn(ends));
const onPrices = t.write('factor-prices.csv', factorOn(lastWeekday));

type Result = { notes: string[]; ic: unknown; quantiles: unknown; dataLoss: unknown; nDates: number; firstDate: string; lastDate: string };
const read = (name: string): Result => JSON.parse(readFileSync(join(t.dir, name), 'utf8')) as Result;

describe('analyze: factor and prices of one frequency labelled by different days near the period end', () => {
  it('pairs them by month: the same analysis as the factor relabelled to the price dates, with a note', async () => {
    const differ = ends.filter((d, i) => d !== lastWeekday[i]).length;
    expect(differ).toBeGreaterThan(10);
    const common = ['--horizons', '1,3', '--quantiles', '3'];
    const a = await cli('analyze', '--factor', onEnds, '--prices', prices, ...common, '--out', join(t.dir, 'a.json'));
    const b = await cli('analyze', '--factor', onPrices, '--prices', prices, ...common, '--out', join(t.dir, 'b.json'));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const x = read('a.json'),
      y = read('b.json');
    for (const k of ['ic', 'quantiles', 'dataLoss', 'nDates', 'firstDate', 'lastDate'] as const) expect(x[k], k).toEqual(y[k]);
    expect(x.notes.join('\n')).toMatch(
      new RegExp(
        `factor-ends\\.csv: ${differ} of its 60 monthly dates take --prices .*prices\\.csv's date of the same month .* taken as known at the month's last price \\(if the factor uses data from after it, add --execution-lag 1\\)`,
      ),
    );
  });

  it('combine pairs them the same way: the composite and weights of the relabelled factors', async () => {
    const r2 = rng(17);
    const second = ends.map(() => assets.map(() => r2().toFixed(5)));
    const on = (dates: readonly string[], v: string[][]) =>
      `date,${assets.join(',')}\n${dates.map((d, i) => `${d},${v[i].join(',')}`).join('\n')}\n`;
    const e2 = t.write('second-ends.csv', on(ends, second));
    const p2 = t.write('second-prices.csv', on(lastWeekday, second));
    const common = ['--prices', prices, '--method', 'ic', '--window', '6', '--name', 'f,g'];
    const a = await cli(
      'combine',
      '--factor',
      onEnds,
      '--factor',
      e2,
      ...common,
      '--out',
      join(t.dir, 'ca.csv'),
      '--weights-out',
      join(t.dir, 'wa.csv'),
    );
    const b = await cli(
      'combine',
      '--factor',
      onPrices,
      '--factor',
      p2,
      ...common,
      '--out',
      join(t.dir, 'cb.csv'),
      '--weights-out',
      join(t.dir, 'wb.csv'),
    );
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(t.dir, 'ca.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 'cb.csv'), 'utf8'));
    expect(readFileSync(join(t.dir, 'wa.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 'wb.csv'), 'utf8'));
    expect(a.out).toMatch(/second-ends\.csv: \d+ of its 60 monthly dates take --prices/);
  });

  it('mid-month factor labels are not moved', async () => {
    const mid = t.write('factor-mid.csv', factorOn(ends.map((d) => `${d.slice(0, 8)}15`)));
    const a = await cli('analyze', '--factor', mid, '--prices', prices, '--horizons', '1', '--quantiles', '3', '--json');
    expect(a.code, a.err).toBe(0);
    expect(a.out).not.toMatch(/date of the same month/);
  });
});

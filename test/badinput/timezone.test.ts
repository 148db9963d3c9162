/**
 * --timezone: price files whose dates are times in UTC (a vendor's close at 21:00Z) are read as
 * their date in the market's zone; without the flag they are refused with a hint that names it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('timezone');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 120);
const assets = ['A', 'B', 'C', 'D'];
const plain = pricesCsv(days, assets);
// each date as the close in New York written in UTC: 21:00Z (16:00 EST, 17:00 EDT)
const utc = t.write(
  'prices-utc.csv',
  plain
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : line.replace(/^(\d{4}-\d{2}-\d{2})/, '$1T21:00:00Z')))
    .join('\n'),
);
const prices = t.write('prices.csv', plain);
const factors = t.write('factors.csv', factorsCsv(days));

describe('--timezone', () => {
  it('exposures: the UTC closes read in New York give the same fit as the plain dates; without the flag exit 2 naming it', async () => {
    const ref = await cli('exposures', '--prices', prices, '--factors', factors, '--json');
    expect(ref.code, ref.err).toBe(0);
    const r = await cli('exposures', '--prices', utc, '--factors', factors, '--timezone', 'America/New_York', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(ref.out.replaceAll(prices, utc)));
    const refused = await cli('exposures', '--prices', utc, '--factors', factors);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/is a time in UTC that is not midnight/);
    expect(refused.err).toMatch(/give --timezone with the market's zone \(America\/New_York\)/);
  });

  it('read in Tokyo the same closes fall on the next day, so the dates move (and no longer meet the factors on the first)', async () => {
    const r = await cli('inspect', utc, '--timezone', 'Asia/Tokyo', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { firstDate: string; lastDate: string };
    // 21:00Z is 06:00 the next day in Tokyo
    const next = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 864e5).toISOString().slice(0, 10);
    expect(j.firstDate).toBe(next(days[0]));
    expect(j.lastDate).toBe(next(days[days.length - 1]));
  });

  it('backtest: the UTC closes read in New York give the same NAV as the plain dates', async () => {
    const factor = t.write(
      'factor.csv',
      `date,asset,value\n${days.flatMap((d, i) => assets.map((a, j) => `${d},${a},${((i * 7 + j * 13) % 31) + 1}`)).join('\n')}\n`,
    );
    const args = ['--factor', factor, '--top', '2', '--schedule', 'weekly:fri', '--json'];
    const ref = await cli('backtest', '--prices', prices, ...args);
    expect(ref.code, ref.err).toBe(0);
    const r = await cli('backtest', '--prices', utc, ...args, '--timezone', 'America/New_York');
    expect(r.code, r.err).toBe(0);
    const series = (out: string): { dates: string[]; navNet: number[] } =>
      (JSON.parse(out) as { series: { dates: string[]; navNet: number[] } }).series;
    expect(series(r.out).navNet.length).toBeGreaterThan(50);
    expect(series(r.out)).toEqual(series(ref.out));
  });

  it('an unknown zone is exit 2 naming the flag', async () => {
    const r = await cli('analyze', '--factor', prices, '--prices', prices, '--timezone', 'EST5EDT/Nowhere');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--timezone: unknown time zone "EST5EDT/Nowhere"');
    expect(r.err).toMatch(/hint: give an IANA zone name/);
  });

  it('--help of the commands that read panels teaches it', async () => {
    for (const cmd of [
      'analyze',
      'exposures',
      'rolling',
      'optimize',
      'replicate',
      'inspect',
      'backtest',
      'combine',
      'zoo',
      'exposures-zoo',
    ]) {
      const h = await cli(cmd, '--help');
      expect(h.out, cmd).toMatch(/--timezone <zone>/);
    }
  });
});

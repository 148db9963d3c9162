/**
 * Several --factors files of different frequencies (the monthly Fama-French file beside the daily
 * momentum file): exit 2 naming both files and frequencies. Joined on their common dates, the
 * monthly file's month ends that are trading days took the daily file's one-day return as the
 * month's momentum, without a word.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, monthEnds, pricesCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('factor-frequencies');
afterAll(() => t.remove());
const months = monthEnds(2015, 1, 48);
const days = weekdays('2015-01-01', 1000);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const monthlyPrices = t.write('prices-monthly.csv', pricesCsv(months, assets));
const monthly = t.write('ff3-monthly.csv', factorsCsv(months, 2, 1, 'rf', 0.04));
const momCsv = (dates: readonly string[], size: number): string => {
  const r = rng(7);
  return `date,mom\n${dates.map((d) => `${d},${(size * r()).toFixed(6)}`).join('\n')}\n`;
};
const momDaily = t.write('mom-daily.csv', momCsv(days, 0.01));
const momMonthly = t.write('mom-monthly.csv', momCsv(months, 0.04));

describe('--factors files of different frequencies', () => {
  it.each([
    ['exposures', []],
    ['rolling', ['--weights', 'equal', '--window', '24']],
    ['optimize', []],
  ])('%s: monthly factors beside daily momentum exit 2 naming both files', async (command, extra) => {
    const r = await cli(command, '--prices', monthlyPrices, '--factors', monthly, '--factors', momDaily, ...extra);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`the factor files are of different frequencies: ${monthly} is monthly, ${momDaily} is daily`);
    expect(r.err).toMatch(/hint: give every --factors file at one frequency/);
  });

  it('monthly files of one frequency join as before', async () => {
    const r = await cli('exposures', '--prices', monthlyPrices, '--factors', monthly, '--factors', momMonthly, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('"mom"');
  });

  it('two monthly files labelled by different days near the month end (calendar end, last weekday) are joined by period, with a note', async () => {
    // the last weekday of each month: before, the inner join kept only the months whose last day is a weekday
    const lastWeekday = months.map((m) => {
      const d = new Date(`${m}T00:00:00Z`);
      while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() - 1);
      return d.toISOString().slice(0, 10);
    });
    const momLast = t.write('mom-last-weekday.csv', momCsv(lastWeekday, 0.04));
    type Fit = { assets: { nobs: number }[] };
    const one = await cli('exposures', '--prices', monthlyPrices, '--factors', monthly, '--factors', momMonthly, '--json');
    const two = await cli('exposures', '--prices', monthlyPrices, '--factors', monthly, '--factors', momLast, '--json');
    expect(two.code, two.err).toBe(0);
    expect((JSON.parse(two.out) as Fit).assets.map((a) => a.nobs)).toEqual((JSON.parse(one.out) as Fit).assets.map((a) => a.nobs));
    expect(two.out).toMatch(new RegExp(`${momLast}: \\d+ of its 48 monthly dates take the date of ${monthly} in the same period`));
    expect(two.err).not.toMatch(/warning/);
  });
});

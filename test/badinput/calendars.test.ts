/** Class 1: calendars of different frequency, and dates that do not overlap. */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, monthEnds, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('calendars');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 400);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C']));
const monthly = t.write('monthly.csv', factorsCsv(monthEnds(2017, 12, 20), 3, 1, 'rf', 0.03));
const daily = t.write('daily.csv', factorsCsv(days));
const old = t.write('old.csv', factorsCsv(weekdays('1990-01-01', 300)));

describe('frequencies', () => {
  it('daily prices and monthly factors: exposures exits 2 naming both frequencies and --resample monthly', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', monthly);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--prices .*prices\.csv is daily, --factors .*monthly\.csv is monthly/);
    expect(r.err).toMatch(/add --resample monthly/);
    expect(r.out).toBe('');
  });

  it('rolling refuses the same pair the same way (not an all-NaN table)', async () => {
    const r = await cli('rolling', '--prices', prices, '--factors', monthly, '--weights', 'equal', '--window', '12');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is daily, .* is monthly/);
  });

  it('--resample monthly compounds the returns to the factor month ends and says so', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', monthly, '--resample', 'monthly', '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out) as { dates: { start: string; end: string; count: number } };
    // January 2018 is cut by the prices' first date (a period with no whole return): left out
    expect(j.dates.start).toBe('2018-02-28');
    expect(j.dates.count).toBeGreaterThanOrEqual(17);
    const text = await cli('exposures', '--prices', prices, '--factors', monthly, '--resample', 'monthly');
    expect(text.out).toMatch(/daily returns compounded to \d+ monthly periods ending on the factors' dates/);
  });

  it('--resample naming another frequency, or with nothing to resample, exits 2', async () => {
    const a = await cli('exposures', '--prices', prices, '--factors', monthly, '--resample', 'weekly');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/use --resample monthly/);
    const b = await cli('exposures', '--prices', prices, '--factors', daily, '--resample', 'monthly');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/nothing to resample/);
  });

  it('monthly returns on daily factors exits 2 (factors finer than the returns)', async () => {
    const mret = t.write(
      'mret.csv',
      `date,A,B\n${monthEnds(2018, 1, 12)
        .map((d, i) => `${d},${(0.01 * ((i % 3) - 1)).toFixed(3)},${(0.02 * ((i % 2) - 0.5)).toFixed(3)}`)
        .join('\n')}\n`,
    );
    const r = await cli('exposures', '--returns', mret, '--factors', daily);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/factors are finer than the returns/);
  });
});

describe('dates that do not overlap', () => {
  it('factors entirely before the prices: exit 2 naming both ranges', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', old);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no date is in both --prices .* \(2018-01-01 \.\. .*\) and --factors .* \(1990-01-01 \.\. .*\)/);
    expect(r.err).toMatch(/cover different years/);
  });

  it('an empty or reversed --start/--end range exits 2', async () => {
    const a = await cli('exposures', '--prices', prices, '--factors', daily, '--start', '2030-01-01');
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/inside --start 2030-01-01/);
    // the hint gives the range the files share (it said "widen --start/--end" of a range after the data)
    expect(a.err).toMatch(/hint: the files share \d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d: choose --start\/--end inside it/);
    const b = await cli('exposures', '--prices', prices, '--factors', daily, '--start', '2019-01-01', '--end', '2018-06-01');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--start 2019-01-01 is after --end 2018-06-01/);
  });

  it('a small overlap is stated in the output', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', daily, '--start', '2019-01-01', '--end', '2019-02-01');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/only \d+ dates .* in both .*: estimates from so few are fragile/);
    expect(r.err).toMatch(/^factorlab: warning: only \d+ dates/);
    const j = await cli('exposures', '--prices', prices, '--factors', daily, '--start', '2019-01-01', '--end', '2019-02-01', '--json');
    expect((JSON.parse(j.out) as { notes: string[] }).notes.some((n) => /estimates from so few are fragile/.test(n))).toBe(true);
  });

  it('analyze: factor values dated before every price exit 2 naming both ranges', async () => {
    const f = t.write(
      'oldfactor.csv',
      `date,asset,value\n${weekdays('1920-01-01', 30)
        .flatMap((d, i) => ['A', 'B', 'C'].map((a, j) => `${d},${a},${i + j}`))
        .join('\n')}\n`,
    );
    const r = await cli('analyze', '--factor', f, '--prices', prices, '--max-loss', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no factor date lies inside the prices: --factor .* covers 1920-01-01 \.\. .*, --prices .* covers 2018-01-01/);
  });

  it('analyze: a daily factor on monthly prices exits 2 naming both frequencies', async () => {
    const mp = t.write('mprices.csv', pricesCsv(monthEnds(2018, 1, 24), ['A', 'B', 'C', 'D']));
    const f = t.write(
      'dfactor.csv',
      `date,asset,value\n${days
        .slice(0, 200)
        .flatMap((d, i) => ['A', 'B', 'C', 'D'].map((a, j) => `${d},${a},${(i * 3 + j * 5) % 7}`))
        .join('\n')}\n`,
    );
    const r = await cli('analyze', '--factor', f, '--prices', mp, '--horizons', '1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--prices .*mprices\.csv is monthly, --factor .*dfactor\.csv is daily/);
    expect(r.err).toMatch(/--sample monthly/);
  });

  it('analyze: weights dated outside the prices exit 2 naming both ranges', async () => {
    const f = t.write(
      'factor.csv',
      `date,asset,value\n${days
        .slice(0, 60)
        .flatMap((d, i) => ['A', 'B', 'C'].map((a, j) => `${d},${a},${(i * 3 + j * 5) % 7}`))
        .join('\n')}\n`,
    );
    const w = t.write('oldweights.csv', 'date,asset,weight\n1995-01-31,A,1\n1995-01-31,B,2\n1995-01-31,C,3\n');
    const r = await cli('analyze', '--factor', f, '--prices', prices, '--weights', w, '--horizons', '1', '--quantiles', '2');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/oldweights\.csv: the weights \(1995-01-31 \.\. 1995-01-31\) do not overlap the prices \(2018-01-01 \.\. /);
  });

  it('nothing is left behind in the directory', () => {
    expect(t.files()).toEqual([
      'daily.csv',
      'dfactor.csv',
      'factor.csv',
      'monthly.csv',
      'mprices.csv',
      'mret.csv',
      'old.csv',
      'oldfactor.csv',
      'oldweights.csv',
      'prices.csv',
    ]);
  });
});

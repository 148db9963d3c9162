/**
 * Prices on days the daily factors lack (a crypto calendar's weekends, a foreign exchange's session
 * on a US holiday): each return must run from one factor date to the next, the interval the factor
 * return covers. Before, the Friday-to-Saturday return had no factor row (left out, with a note)
 * and the Sunday-to-Monday return was regressed on Monday's factors, which cover Friday to Monday.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('sevenday');
afterAll(() => t.remove());

const everyDay = Array.from({ length: 400 }, (_, i) => new Date(Date.UTC(2019, 0, 1 + i)).toISOString().slice(0, 10));
const tradingDays = everyDay.filter((d) => {
  const w = new Date(`${d}T00:00:00Z`).getUTCDay();
  return w !== 0 && w !== 6 && d !== '2019-07-04' && d !== '2019-11-28'; // two US holidays
});
const factors = t.write('factors.csv', factorsCsv(tradingDays));
const full = pricesCsv(everyDay, ['BTC', 'ETH', 'SOL']).trimEnd().split('\n');
const prices = t.write('crypto.csv', `${full.join('\n')}\n`);
// the independent route: the same prices, only on the factors' dates (pandas: prices.reindex(factor_dates))
const onFactorDates = new Set(tradingDays);
const sampled = t.write('sampled.csv', `${[full[0], ...full.slice(1).filter((l) => onFactorDates.has(l.slice(0, 10)))].join('\n')}\n`);

type Out = { assets: { asset: string; nobs: number; coef: Record<string, number>; se: Record<string, number> }[]; notes: string[] };
const read = (name: string): Out => JSON.parse(readFileSync(join(t.dir, name), 'utf8')) as Out;

describe('prices on days the daily factors lack', () => {
  it('a 7-day calendar against weekday factors: returns from one factor date to the next, as prices.reindex(factor_dates) gives', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', factors, '--out', join(t.dir, 'a.json'));
    const ref = await cli('exposures', '--prices', sampled, '--factors', factors, '--out', join(t.dir, 'b.json'));
    expect(r.code, r.err).toBe(0);
    expect(ref.code, ref.err).toBe(0);
    const a = read('a.json'),
      b = read('b.json');
    expect(a.assets).toEqual(b.assets);
    expect(a.assets[0].nobs).toBe(tradingDays.length - 1);
    const weekends = everyDay.length - tradingDays.length - 2;
    expect(a.notes.join('\n')).toMatch(
      new RegExp(
        `crypto\\.csv: ${everyDay.length - tradingDays.length} price dates inside the range of --factors .* that the factors lack \\(the first 2019-01-05; ${weekends} of them on a Saturday or Sunday: a calendar that trades every day\\) are not used`,
      ),
    );
    // nothing left over to call a missing factor row
    expect(r.err).not.toMatch(/have no factor row/);
  });

  it('a weekday session on a factor holiday: the return runs over the holiday, and the note says so', async () => {
    const weekdayPrices = t.write('foreign.csv', pricesCsv(weekdays('2019-01-01', 280), ['A', 'B']));
    const r = await cli('exposures', '--prices', weekdayPrices, '--factors', factors, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /foreign\.csv: 2 price dates inside the range of --factors .* that the factors lack \(the first 2019-07-04; days the factors' market was closed, such as a foreign holiday/,
    );
  });

  it('a 7-day returns file: compounded to the factor dates, the same fit as the prices give (to rounding)', async () => {
    const rows = full.slice(1).map((l) => l.split(','));
    const rets = rows.slice(1).map((r, i) => [r[0], ...r.slice(1).map((x, j) => String(Number(x) / Number(rows[i][j + 1]) - 1))].join(','));
    const file = t.write('crypto-returns.csv', `${full[0]}\n${rets.join('\n')}\n`);
    const r = await cli('exposures', '--returns', file, '--factors', factors, '--out', join(t.dir, 'ret.json'));
    expect(r.code, r.err).toBe(0);
    const a = read('ret.json'),
      b = read('b.json'); // the prices on the factor dates (first test)
    expect(a.assets.map((x) => x.nobs)).toEqual(b.assets.map((x) => x.nobs));
    for (let i = 0; i < a.assets.length; i++)
      for (const k of Object.keys(b.assets[i].coef)) expect(a.assets[i].coef[k]).toBeCloseTo(b.assets[i].coef[k], 12);
    expect(a.notes.join('\n')).toMatch(
      /crypto-returns\.csv: \d+ return dates inside the range of --factors .* that the factors lack \(the first 2019-01-05\): the returns are compounded to the factor dates/,
    );
  });

  it('rolling takes the same returns', async () => {
    const r = await cli(
      'rolling',
      '--prices',
      prices,
      '--factors',
      factors,
      '--weights',
      'equal',
      '--window',
      '60',
      '--out',
      join(t.dir, 'r.csv'),
    );
    const ref = await cli(
      'rolling',
      '--prices',
      sampled,
      '--factors',
      factors,
      '--weights',
      'equal',
      '--window',
      '60',
      '--out',
      join(t.dir, 's.csv'),
    );
    expect(r.code, r.err).toBe(0);
    expect(ref.code, ref.err).toBe(0);
    expect(readFileSync(join(t.dir, 'r.csv'), 'utf8')).toBe(readFileSync(join(t.dir, 's.csv'), 'utf8'));
  });
});

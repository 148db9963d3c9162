/**
 * Prices that lack some of the factors' dates: a return over a skipped day spans two factor
 * periods and must not be regressed on one day's factors (it was, silently).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, monthEnds, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('skipdates');
afterAll(() => t.remove());
const days = weekdays('2018-01-01', 200);
const factors = t.write('factors.csv', factorsCsv(days));
const full = pricesCsv(days, ['A', 'B', 'C']).trimEnd().split('\n');
// the prices lack days[50] and days[120]: the returns to days[51] and days[121] span two factor days
const gappy = t.write('gappy.csv', `${full.filter((_, i) => i !== 51 && i !== 121).join('\n')}\n`);
const sparse = t.write('sparse.csv', `${full.filter((_, i) => i === 0 || i % 2 === 1).join('\n')}\n`);

describe('prices that skip factor dates', () => {
  it('exposures: the returns over a skipped date are left out, and the output says so', async () => {
    const out = `${t.dir}/fit.json`;
    const r = await cli('exposures', '--prices', gappy, '--factors', factors, '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      new RegExp(
        `lacks 2 dates of --factors .*factors\\.csv inside its range \\(the first ${days[50]}\\), so 2 returns \\(e\\.g\\. to ${days[51]}\\)`,
      ),
    );
    expect(r.out).toMatch(/left out \(set to missing\)/);
    const fit = (await import('node:fs')).readFileSync(out, 'utf8');
    const parsed = JSON.parse(fit) as { assets: { nobs: number }[]; notes: string[] };
    // 198 price dates, 197 returns, 2 of them left out
    expect(parsed.assets.map((a) => a.nobs)).toEqual([195, 195, 195]);
    expect(parsed.notes.some((n) => n.includes('would span several factor periods'))).toBe(true);
  });

  it('exposures and rolling: prices on every other factor date exit 2', async () => {
    const a = await cli('exposures', '--prices', sparse, '--factors', factors);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/sparse\.csv lacks 99 dates of --factors .* would span several factor periods/);
    expect(a.err).toMatch(/give prices on every date of the factors/);
    const b = await cli('rolling', '--prices', sparse, '--factors', factors, '--weights', 'equal', '--window', '30');
    expect(b.code).toBe(2);
  });

  it("prices on the factors' calendar: no note", async () => {
    const r = await cli('exposures', '--prices', t.write('full.csv', `${full.join('\n')}\n`), '--factors', factors);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/span several factor periods/);
  });

  it('monthly prices on the last trading day beside factors on calendar month ends: paired by month, as if labelled by month ends', async () => {
    const ends = monthEnds(2015, 1, 48);
    // the last weekday of each month
    const lastWeekday = ends.map((d) => {
      const x = new Date(`${d}T00:00:00Z`);
      while (x.getUTCDay() === 0 || x.getUTCDay() === 6) x.setUTCDate(x.getUTCDate() - 1);
      return x.toISOString().slice(0, 10);
    });
    const differ = ends.filter((d, i) => d !== lastWeekday[i]).length;
    expect(differ).toBeGreaterThan(5);
    const monthly = t.write('monthly.csv', factorsCsv(ends, 3, 1, 'rf', 0.04));
    const prices = t.write('mprices.csv', pricesCsv(lastWeekday, ['A', 'B']));
    // the same prices labelled by the month ends: the route the pairing must equal
    const relabelled = t.write('mprices-ends.csv', pricesCsv(ends, ['A', 'B']));
    const r = await cli('exposures', '--prices', prices, '--factors', monthly, '--min-obs', '5', '--out', join(t.dir, 'm.json'));
    const ref = await cli('exposures', '--prices', relabelled, '--factors', monthly, '--min-obs', '5', '--out', join(t.dir, 'ref.json'));
    expect(r.code).toBe(0);
    expect(ref.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`mprices\\.csv: ${differ} of its 48 monthly dates take --factors .*'s date of the same month`));
    expect(r.err).not.toMatch(/have no factor row/);
    // a factor month end between two price dates is a labelling difference, not a skipped period
    expect(r.out).not.toMatch(/span several factor periods/);
    const a = JSON.parse(readFileSync(join(t.dir, 'm.json'), 'utf8')) as {
      assets: { asset: string; nobs: number; coef: Record<string, number> }[];
    };
    const b = JSON.parse(readFileSync(join(t.dir, 'ref.json'), 'utf8')) as typeof a;
    expect(a.assets.map((x) => x.nobs)).toEqual([47, 47]);
    expect(a.assets).toEqual(b.assets);
  });

  it('replicate: a monthly target labelled like the prices (last trading day) pairs by month as the universe does', async () => {
    const ends = monthEnds(2015, 1, 60);
    const lastWeekday = ends.map((d) => {
      const x = new Date(`${d}T00:00:00Z`);
      while (x.getUTCDay() === 0 || x.getUTCDay() === 6) x.setUTCDate(x.getUTCDate() - 1);
      return x.toISOString().slice(0, 10);
    });
    const monthly = t.write('rep-factors.csv', factorsCsv(ends, 3, 1, 'rf', 0.04));
    const text = pricesCsv(lastWeekday, ['A', 'B', 'C', 'D'], 4);
    const prices = t.write('rep-prices.csv', text);
    // the fund: an equal-weight book of the four names, rebalanced monthly (so a basket can match it)
    const rows = text
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(1).map(Number));
    const ret = rows.slice(1).map((p, i) => (p.reduce((s, x, j) => s + x / rows[i][j] - 1, 0) / 4).toFixed(10));
    const fund = (dates: readonly string[]) =>
      `date,fund\n${dates
        .slice(1)
        .map((d, i) => `${d},${ret[i]}`)
        .join('\n')}\n`;
    const onPrices = t.write('fund-ltd.csv', fund(lastWeekday));
    const onEnds = t.write('fund-ends.csv', fund(ends));
    const common = ['--prices', prices, '--factors', monthly, '--fit-end', '2018-12-31', '--json'];
    const a = await cli('replicate', ...common, '--target-returns', onPrices);
    const b = await cli('replicate', ...common, '--target-returns', onEnds);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const x = JSON.parse(a.out) as { holdings: unknown; exposures: unknown; inSample: unknown; outOfSample: unknown; notes: string[] };
    const y = JSON.parse(b.out) as typeof x;
    for (const k of ['holdings', 'exposures', 'inSample', 'outOfSample'] as const) expect(x[k], k).toEqual(y[k]);
    expect(x.notes.join('\n')).toMatch(
      /--target-returns .*fund-ltd\.csv: \d+ of its monthly dates take the factors' date of the same period/,
    );
  });

  it('monthly prices labelled mid-month are not paired with calendar months: the unmatched months are named', async () => {
    const ends = monthEnds(2015, 1, 48);
    const mid = ends.map((d) => `${d.slice(0, 8)}15`);
    const monthly = t.write('monthly2.csv', factorsCsv(ends, 3, 1, 'rf', 0.04));
    const prices = t.write('midprices.csv', pricesCsv(mid, ['A', 'B']));
    const r = await cli('exposures', '--prices', prices, '--factors', monthly, '--min-obs', '5');
    expect(r.code).toBe(2); // no date in common
    expect(r.err).toMatch(/no date is in both/);
    // half of them on month ends: the other half is named as lacking a factor row
    const half = t.write(
      'halfprices.csv',
      pricesCsv(
        ends.map((d, i) => (i % 2 === 0 ? d : mid[i])),
        ['A', 'B'],
      ),
    );
    const h = await cli('exposures', '--prices', half, '--factors', monthly, '--min-obs', '5');
    expect(h.code).toBe(0);
    expect(h.err).toMatch(/halfprices\.csv: 24 of its 47 return dates inside the range of --factors .* have no factor row/);
  });

  it('a monthly price file that stops inside a month: its last return covers part of the month and is left out, said so', async () => {
    const ends = monthEnds(2015, 1, 24);
    const monthly = t.write('monthly3.csv', factorsCsv(ends, 3, 1, 'rf', 0.04));
    const stops = [...ends.slice(0, 12), '2016-01-12'];
    const prices = t.write('stops.csv', pricesCsv(stops, ['A', 'B']));
    const r = await cli('exposures', '--prices', prices, '--factors', monthly, '--min-obs', '5', '--json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /stops\.csv: its last return date 2016-01-12 is not the end of a month of --factors .*: the file stops inside a month/,
    );
    expect((JSON.parse(r.out) as { assets: { nobs: number }[] }).assets[0].nobs).toBe(11);
  });
});

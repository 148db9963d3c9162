/**
 * Prices that lack some of the factors' dates: a return over a skipped day spans two factor
 * periods and must not be regressed on one day's factors (it was, silently).
 */
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

  it('monthly prices on the last trading day beside factors on calendar month ends: the unmatched months are named, not silently lost', async () => {
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
    const r = await cli('exposures', '--prices', prices, '--factors', monthly, '--min-obs', '5');
    expect(r.code).toBe(0);
    // the first price date has no return, so its month is not counted
    const lost = ends.slice(1).filter((d, i) => d !== lastWeekday[i + 1]).length;
    expect(r.err).toMatch(new RegExp(`mprices\\.csv: ${lost} of its 47 return dates inside the range of --factors .* have no factor row`));
    expect(r.out).toMatch(/calendar month end/);
    // a factor month end between two price dates is a labelling difference, not a skipped period
    expect(r.out).not.toMatch(/span several factor periods/);
  });
});

/**
 * `--resample` with a --start/--end inside a month: only the months whose days all lie inside the
 * window are compounded and fitted; a month the window cuts is left out with a warning on stderr
 * (before, the month holding --start was compounded whole, days before --start included).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, monthEnds, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('resample-window');
afterAll(() => t.remove());
const prices = t.write('prices.csv', pricesCsv(weekdays('2018-01-01', 400), ['A', 'B', 'C']));
const monthly = t.write('monthly.csv', factorsCsv(monthEnds(2017, 12, 20), 3, 1, 'rf', 0.03));

interface Fit {
  dates: { start: string; end: string; count: number };
  notes: string[];
  assets: unknown;
}

describe('exposures --resample monthly with a mid-month --start/--end', () => {
  it('fits the whole months inside the window, the same numbers as a window on month bounds, and warns of the cut months', async () => {
    const cut = await cli(
      'exposures',
      '--prices',
      prices,
      '--factors',
      monthly,
      '--resample',
      'monthly',
      '--start',
      '2018-03-15',
      '--end',
      '2018-09-14',
      '--json',
    );
    expect(cut.code, cut.err).toBe(0);
    const whole = await cli(
      'exposures',
      '--prices',
      prices,
      '--factors',
      monthly,
      '--resample',
      'monthly',
      '--start',
      '2018-04-01',
      '--end',
      '2018-08-31',
      '--json',
    );
    expect(whole.code, whole.err).toBe(0);
    const a = JSON.parse(cut.out) as Fit,
      b = JSON.parse(whole.out) as Fit;
    expect(a.dates).toEqual({ ...b.dates, start: '2018-04-30', end: '2018-08-31' });
    expect(a.assets).toEqual(b.assets);
    expect(cut.err).toMatch(/warning: --resample: the month ending 2018-03-31 is left out: --start 2018-03-15 is inside it/);
    expect(cut.err).toMatch(/warning: --resample: the month ending 2018-09-30 is left out: --end 2018-09-14 is inside it/);
    expect(a.notes.filter((n) => n.startsWith('--resample: the month ending'))).toHaveLength(2);
    expect(whole.err).not.toMatch(/left out/);
  });
});

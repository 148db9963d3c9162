/**
 * An asset return below -100% in a --returns file (a missing-value code, an unscaled percent value,
 * a typo) was regressed on as it stood: one outlier that moved its asset's every coefficient. Exit 2
 * naming the file, asset, date and value, for every command that reads --returns (exposures,
 * rolling, optimize and replicate share the loader); -100% itself (a price gone to zero) is a return.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, rng, tempDir, weekdays } from './helpers.js';

const t = tempDir('totallossreturns');
afterAll(() => t.remove());
const days = weekdays('2019-01-02', 160);
const factors = t.write('ff.csv', factorsCsv(days));
const assets = ['A', 'B', 'C', 'D'];
const at = 70; // data row of the bad value: date days[at - 1]

/** Decimal returns (about 1% a day) with asset C's return on data row `at` set to `value`, every value times `times`. */
function returnsWith(name: string, value: string, times = 1): string {
  const r = rng(7);
  const lines = [`date,${assets.join(',')}`];
  for (let i = 1; i <= days.length; i++) {
    const cells = assets.map((a) => (a === 'C' && i === at ? value : String(Number(((r() - 0.5) * 0.02 * times).toPrecision(8)))));
    lines.push(`${days[i - 1]},${cells.join(',')}`);
  }
  return t.write(name, `${lines.join('\n')}\n`);
}

describe('an asset return below -100% in --returns', () => {
  const date = days[at - 1];
  it('exit 2 naming the file, asset, date and value (exposures, rolling)', async () => {
    const f = returnsWith('minus150.csv', '-1.5');
    for (const args of [
      ['exposures', '--returns', f, '--factors', factors],
      ['rolling', '--returns', f, '--factors', factors, '--weights', 'equal', '--window', '40'],
    ]) {
      const r = await cli(...args);
      expect(r.code, `${args[0]}: ${r.err}`).toBe(2);
      expect(r.err).toContain(`minus150.csv, asset C, date ${date}: a return of -150% in --returns`);
      expect(r.err).toMatch(/leave the cell empty \(or NA\) for a missing value; returns in percent need --returns-scale 0\.01/);
    }
  });

  it('after --returns-scale: -999 read at 0.01 is refused, -100 at 0.01 (a price gone to zero) is a return', async () => {
    const code = await cli(
      'exposures',
      '--returns',
      returnsWith('pct999.csv', '-999', 100),
      '--factors',
      factors,
      '--returns-scale',
      '0.01',
    );
    expect(code.code, code.err).toBe(2);
    expect(code.err).toContain('a return of -999% in --returns');
    expect(code.err).not.toContain('need --returns-scale'); // the scale was given
    const zero = await cli(
      'exposures',
      '--returns',
      returnsWith('pct100.csv', '-100', 100),
      '--factors',
      factors,
      '--returns-scale',
      '0.01',
    );
    expect(zero.code, zero.err).toBe(0);
  });
});

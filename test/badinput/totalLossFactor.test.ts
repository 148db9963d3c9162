/**
 * A factor return of -100% or less (or -99.99%, Ken French's missing-value code -99.99 read through
 * --factor-scale 0.01) is not a factor return: it was regressed on as it stood, one outlier that
 * moved every beta without a word. Exit 2 naming the file, column, date and value, in decimal,
 * percent and Ken French files, for every command that reads --factors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('totalloss');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 200);
const prices = t.write('prices.csv', pricesCsv(days, ['A', 'B', 'C', 'D']));
const lines = factorsCsv(days).trim().split('\n');
const at = 60; // data row of the bad value: date days[at - 1]

/** The factors with column `col` (1 = mkt_rf, 2 = smb) of data row `at` replaced, every value times `times`. */
function factorsWith(name: string, col: number, value: string, times = 1): string {
  const rows = lines.map((l, i) => {
    if (i === 0) return l;
    const c = l.split(',');
    for (let k = 1; k < c.length; k++) c[k] = String(Number((Number(c[k]) * times).toPrecision(8)));
    if (i === at) c[col] = value;
    return c.join(',');
  });
  return t.write(name, `${rows.join('\n')}\n`);
}

describe('a factor return of -100% or less', () => {
  const date = days[at - 1];
  it('decimal -1 and -1.5: exit 2 naming file, column and date (exposures, rolling)', async () => {
    for (const [name, v, shown] of [
      ['minus1.csv', '-1', '-100%'],
      ['minus1.5.csv', '-1.5', '-150%'],
    ]) {
      const f = factorsWith(name, 1, v);
      for (const args of [
        ['exposures', '--prices', prices, '--factors', f],
        ['rolling', '--prices', prices, '--factors', f, '--weights', 'equal', '--window', '40'],
      ]) {
        const r = await cli(...args);
        expect(r.code, `${args[0]} ${name}: ${r.err}`).toBe(2);
        expect(r.err).toContain(`${name}, column "mkt_rf", date ${date}: a return of ${shown}`);
        expect(r.err).toMatch(/a loss of everything or more in one period/);
        expect(r.err).toMatch(/leave the cell empty \(or NA\) for a missing value/);
      }
    }
  });

  it("percent with --factor-scale 0.01: -99.99 (Ken French's missing code) and -100 are refused with the written value", async () => {
    const code = await cli(
      'exposures',
      '--prices',
      prices,
      '--factors',
      factorsWith('pct_code.csv', 2, '-99.99', 100),
      '--factor-scale',
      '0.01',
    );
    expect(code.code, code.err).toBe(2);
    expect(code.err).toMatch(/column "smb", date .*: a return of -99\.99% \(-99\.99 as written, x 0\.01\)/);
    expect(code.err).toMatch(/Ken French files write -99\.99 and -999 for a missing value/);
    const hundred = await cli(
      'exposures',
      '--prices',
      prices,
      '--factors',
      factorsWith('pct_100.csv', 2, '-100', 100),
      '--factor-scale',
      '0.01',
    );
    expect(hundred.code, hundred.err).toBe(2);
    expect(hundred.err).toMatch(/a return of -100% \(-100 as written, x 0\.01\)/);
  });

  it('a Ken French daily file with -100', async () => {
    const kf = t.write(
      'kf.csv',
      [
        'Date,Mkt-RF,SMB,RF',
        ...lines.slice(1).map((l, i) => {
          const c = l.split(',');
          const d = c[0].replace(/-/g, '');
          return i === at - 1
            ? `${d},-100,${Number(c[2]) * 100},0.01`
            : `${d},${(Number(c[1]) * 100).toFixed(4)},${(Number(c[2]) * 100).toFixed(4)},0.01`;
        }),
      ].join('\n') + '\n',
    );
    const r = await cli('exposures', '--prices', prices, '--factors', kf);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/kf\.csv, column "mkt_rf", date .*: a return of -100%/);
  });

  it('replicate --target-returns: a decimal -100% is refused (percent returns keep their percent hint)', async () => {
    const fund = t.write(
      'fund.csv',
      `date,fund\n${days.map((d, i) => `${d},${i === at - 1 ? '-1' : (((i * 7919) % 200) / 10000 - 0.01).toFixed(5)}`).join('\n')}\n`,
    );
    const factors = factorsWith('factors.csv', 1, lines[at].split(',')[1]);
    const r = await cli(
      'replicate',
      '--prices',
      prices,
      '--factors',
      factors,
      '--exposure-tolerance',
      '0.5',
      '--target-returns',
      fund,
      '--fit-end',
      days[150],
    );
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(`fund.csv, column "fund", date ${date}: a return of -100%`);
  });

  it('a large loss short of -99.99% is a return: read as it stands', async () => {
    const r = await cli('exposures', '--prices', prices, '--factors', factorsWith('minus0.5.csv', 1, '-0.5'));
    expect(r.code, r.err).toBe(0);
  });
});

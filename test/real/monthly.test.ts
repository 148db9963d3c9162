/**
 * Monthly prices labelled by the last trading day (the S&P 500 closes, one row a month) against
 * Ken French's monthly factors labelled by calendar month: `exposures` pairs them by month (core/
 * samePeriod.ts), as a pandas user does with a PeriodIndex. Day by day they share only the months
 * whose last trading day is the calendar's last day (109 of the 153 months), and the other 44 were
 * lost. test/real/python/monthly_reference.py writes the monthly price file and fits statsmodels
 * OLS on the month-paired sample; coefficients and standard errors agree to 1e-9 relative.
 * Fails (never skips) without ../shared/data or the Python modules.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { DATA, dataFile } from './data.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const TICKERS = ['AAPL', 'MSFT', 'XOM', 'JPM', 'GE', 'PG', 'JNJ', 'WMT', 'INTC', 'CSCO'];
const dir = mkdtempSync(join(tmpdir(), 'factorlab-real-monthly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Reference {
  months: number;
  assets: Record<string, { nobs: number; params: Record<string, number>; bse: Record<string, number> }>;
}

describe('monthly prices on the last trading day against Ken French monthly factors (real files)', () => {
  it('pairs every complete month, as statsmodels on a PeriodIndex does', async () => {
    dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
    const factors = dataFile('ff/F-F_Research_Data_Factors.CSV');
    const prices = join(dir, 'monthly.csv');
    const ref = JSON.parse(
      execFileSync('/usr/bin/python3', [join(HERE, 'python/monthly_reference.py'), DATA, TICKERS.join(','), prices], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      }),
    ) as Reference;
    expect(ref.months).toBe(153);
    let err = '';
    const code = await runCli(
      [
        'node',
        'factorlab',
        'exposures',
        '--prices',
        prices,
        '--factors',
        factors,
        '--out',
        join(dir, 'e.json'),
        '--factor-cols',
        'mkt_rf,smb,hml',
      ],
      { stdout: () => undefined, stderr: (t) => (err += t) },
    );
    expect(code, err).toBe(0);
    // the one return left out is the partial last month, and the warning says why
    expect(err).toMatch(/its last return date 2017-11-10 is not the end of a month/);
    const got = JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')) as {
      assets: { asset: string; nobs: number; coef: Record<string, number>; se: Record<string, number> }[];
      notes: string[];
    };
    expect(got.notes.join('\n')).toMatch(/monthly\.csv: 44 of its 155 monthly dates take --factors .*'s date of the same month/);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));
    expect(got.assets.map((a) => a.asset)).toEqual(TICKERS);
    for (const a of got.assets) {
      const r = ref.assets[a.asset];
      expect(a.nobs).toBe(r.nobs);
      for (const k of ['const', 'mkt_rf', 'smb', 'hml']) {
        expect(rel(a.coef[k], r.params[k]), `${a.asset} ${k}`).toBeLessThan(1e-9);
        expect(rel(a.se[k], r.bse[k]), `${a.asset} se ${k}`).toBeLessThan(1e-9);
      }
    }
  });
});

/**
 * `factorlab inspect` on every real file the foundation issue names: shapes and date ranges from
 * ../shared/data/README.md, and the known bad ticks flagged. Fails (never skips) without the data.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { InspectResult } from '../../src/cli/commands/inspect.js';

const DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');
if (!existsSync(DATA)) {
  throw new Error(`The real-data suite needs ${DATA} (the shared market data beside the repository); it is missing.`);
}

async function inspect(file: string, ...flags: string[]): Promise<InspectResult> {
  let out = '', err = '';
  const code = await runCli(['node', 'factorlab', 'inspect', join(DATA, file), '--json', '--max-findings', '1000', ...flags], {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
  });
  expect(code, err).toBe(0);
  return JSON.parse(out) as InspectResult;
}

const KNOWN_BAD_TICKS = [
  'AVB 2010-09-16', 'AVB 2012-12-21', 'BXP 2007-05-02', 'EIX 2009-09-01', 'EIX 2012-03-08', 'EIX 2012-03-22',
  'HST 2009-11-12', 'NUE 2007-01-16', 'PXD 2006-03-16', 'PXD 2013-08-05', 'SLG 2014-03-04',
];

describe('factorlab inspect on the real files', () => {
  it('us/all_stocks_5yr.csv.gz: long, asset column Name, 505 tickers 2013-02-08..2018-02-07', async () => {
    const r = await inspect('us/all_stocks_5yr.csv.gz', '--asset-col', 'Name');
    expect(r).toMatchObject({ layout: 'long', assetCol: 'Name', valueCol: 'close', kind: 'prices', rows: 619040, nAssets: 505, firstDate: '2013-02-08', lastDate: '2018-02-07', frequency: 'daily' });
    expect(r.quality.counts['bad-tick']).toBe(0);
  });

  it('us/us_sp500_adj_ohlcv_2005_2017.csv.gz: 523 tickers 2005-01-03..2017-11-10, the 11 known bad ticks flagged', async () => {
    const r = await inspect('us/us_sp500_adj_ohlcv_2005_2017.csv.gz', '--asset-col', 'ticker');
    expect(r).toMatchObject({ layout: 'long', assetCol: 'ticker', valueCol: 'close', kind: 'prices', rows: 1563128, nAssets: 523, firstDate: '2005-01-03', lastDate: '2017-11-10' });
    const ticks = r.quality.findings.filter((f) => f.kind === 'bad-tick').map((f) => `${f.asset} ${f.date}`).sort();
    expect(ticks).toEqual(KNOWN_BAD_TICKS);
  });

  it('--clean sets exactly those 11 prices to missing, and --strict then passes on bad ticks', async () => {
    const r = await inspect('us/us_sp500_adj_ohlcv_2005_2017.csv.gz', '--clean', '--strict');
    expect(r.cleaned).toEqual({ cells: 11 });
  });

  it('the wide 5,774-ticker matrix: 1,226 days 2013-01-02..2017-11-10, blank = missing', async () => {
    const r = await inspect('us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');
    expect(r).toMatchObject({ layout: 'wide', kind: 'prices', nDates: 1226, nAssets: 5774, firstDate: '2013-01-02', lastDate: '2017-11-10' });
    expect(r.missingShare).toBeGreaterThan(0.05);
    expect(r.missingShare).toBeLessThan(0.5);
    const ticks = r.quality.findings.filter((f) => f.kind === 'bad-tick').map((f) => `${f.asset} ${f.date}`);
    // The two S&P bad ticks that fall in 2013-2017 are in this matrix too (same source).
    expect(ticks).toEqual(expect.arrayContaining(['PXD 2013-08-05', 'SLG 2014-03-04']));
  });

  it('cn/sse50_2021q1_prices.csv (wide, 48 assets x 59 days) and cn/sse50_2021q1_factor.csv (long, 36 dates, 1,728 rows)', async () => {
    const p = await inspect('cn/sse50_2021q1_prices.csv');
    expect(p).toMatchObject({ layout: 'wide', nAssets: 48, nDates: 59, firstDate: '2021-01-04', lastDate: '2021-04-01', kind: 'prices' });
    const f = await inspect('cn/sse50_2021q1_factor.csv');
    expect(f).toMatchObject({ layout: 'long', valueCol: 'factor_value', rows: 1728, nDates: 36, firstDate: '2021-01-04', lastDate: '2021-03-01', kind: 'values' });
  });

  it('Ken French files are recognised and read in decimal', async () => {
    const d = await inspect('ff/F-F_Research_Data_Factors_daily.CSV');
    expect(d).toMatchObject({ layout: 'ken-french', columns: ['mkt_rf', 'smb', 'hml', 'rf'], nDates: 25901, firstDate: '1926-07-01', lastDate: '2024-12-31', frequency: 'daily' });
    const m = await inspect('ff/F-F_Research_Data_5_Factors_2x3.csv');
    expect(m).toMatchObject({ layout: 'ken-french', columns: ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'rf'], firstDate: '1963-07-31', lastDate: '2024-08-31', frequency: 'monthly' });
    const mom = await inspect('ff/F-F_Momentum_Factor_daily.CSV');
    expect(mom).toMatchObject({ columns: ['mom'], nDates: 25800, firstDate: '1926-11-03', lastDate: '2024-12-31' });
  });
});

/**
 * `factorlab inspect` on every real file the foundation issue names: shapes and date ranges from
 * ../shared/data/README.md, and the known bad ticks flagged. Fails (never skips) without the data.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { InspectResult } from '../../src/cli/commands/inspect.js';
import { DATA } from './data.js';

if (!existsSync(DATA)) {
  throw new Error(`The real-data suite needs ${DATA} (the shared market data beside the repository); it is missing.`);
}

async function inspect(file: string, ...flags: string[]): Promise<InspectResult> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', 'inspect', join(DATA, file), '--json', '--max-findings', '1000', ...flags], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  expect(code, err).toBe(0);
  return JSON.parse(out) as InspectResult;
}

const KNOWN_BAD_TICKS = [
  'AVB 2010-09-16',
  'AVB 2012-12-21',
  'BXP 2007-05-02',
  'EIX 2009-09-01',
  'EIX 2012-03-08',
  'EIX 2012-03-22',
  'HST 2009-11-12',
  'NUE 2007-01-16',
  'PXD 2006-03-16',
  'PXD 2013-08-05',
  'SLG 2014-03-04',
];

describe('factorlab inspect on the real files', () => {
  it('us/all_stocks_5yr.csv.gz: long, asset column Name, 505 tickers 2013-02-08..2018-02-07', async () => {
    const r = await inspect('us/all_stocks_5yr.csv.gz', '--asset-col', 'Name');
    expect(r).toMatchObject({
      layout: 'long',
      assetCol: 'Name',
      valueCol: 'close',
      kind: 'prices',
      rows: 619040,
      nAssets: 505,
      firstDate: '2013-02-08',
      lastDate: '2018-02-07',
      frequency: 'daily',
    });
    expect(r.quality.counts['bad-tick']).toBe(0);
  });

  it('us/us_sp500_adj_ohlcv_2005_2017.csv.gz: 523 tickers 2005-01-03..2017-11-10, the 11 known bad ticks flagged', async () => {
    const r = await inspect('us/us_sp500_adj_ohlcv_2005_2017.csv.gz', '--asset-col', 'ticker');
    expect(r).toMatchObject({
      layout: 'long',
      assetCol: 'ticker',
      valueCol: 'close',
      kind: 'prices',
      rows: 1563128,
      nAssets: 523,
      firstDate: '2005-01-03',
      lastDate: '2017-11-10',
    });
    const ticks = r.quality.findings
      .filter((f) => f.kind === 'bad-tick')
      .map((f) => `${f.asset} ${f.date}`)
      .sort();
    expect(ticks).toEqual(KNOWN_BAD_TICKS);
  });

  it('--clean sets exactly those 11 prices to missing, and --strict then passes on bad ticks', async () => {
    const r = await inspect('us/us_sp500_adj_ohlcv_2005_2017.csv.gz', '--clean', '--strict');
    expect(r.cleaned).toEqual({ cells: 11 });
  });

  it('the wide 5,774-ticker matrix: 1,226 days 2013-01-02..2017-11-10, blank = missing', async () => {
    const r = await inspect('us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');
    expect(r).toMatchObject({
      layout: 'wide',
      kind: 'prices',
      nDates: 1226,
      nAssets: 5774,
      firstDate: '2013-01-02',
      lastDate: '2017-11-10',
    });
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
    expect(f).toMatchObject({
      layout: 'long',
      valueCol: 'factor_value',
      rows: 1728,
      nDates: 36,
      firstDate: '2021-01-04',
      lastDate: '2021-03-01',
      kind: 'values',
    });
  });

  it('Ken French files are recognised and read in decimal', async () => {
    const d = await inspect('ff/F-F_Research_Data_Factors_daily.CSV');
    expect(d).toMatchObject({
      layout: 'ken-french',
      columns: ['mkt_rf', 'smb', 'hml', 'rf'],
      nDates: 25901,
      firstDate: '1926-07-01',
      lastDate: '2024-12-31',
      frequency: 'daily',
    });
    const m = await inspect('ff/F-F_Research_Data_5_Factors_2x3.csv');
    expect(m).toMatchObject({
      layout: 'ken-french',
      columns: ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'rf'],
      firstDate: '1963-07-31',
      lastDate: '2024-08-31',
      frequency: 'monthly',
    });
    const mom = await inspect('ff/F-F_Momentum_Factor_daily.CSV');
    expect(mom).toMatchObject({ columns: ['mom'], nDates: 25800, firstDate: '1926-11-03', lastDate: '2024-12-31' });
  });
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

describe('factorlab exposures / rolling / analyze on the real files', () => {
  it('exposures: S&P 500 on FF5 + momentum, excess of rf, the 11 bad ticks cleaned', async () => {
    const r = await run(
      'exposures',
      '--prices',
      join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz'),
      '--clean',
      '--factors',
      join(DATA, 'ff/F-F_Research_Data_5_Factors_2x3_daily.CSV'),
      '--factors',
      join(DATA, 'ff/F-F_Momentum_Factor_daily.CSV'),
      '--start',
      '2010-01-01',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as {
      factors: string[];
      assets: { asset: string; nobs: number; coef: Record<string, number>; r2: number }[];
      skipped: unknown[];
    };
    expect(json.factors).toEqual(['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom']);
    expect(json.assets.length + json.skipped.length).toBe(523);
    const betas = json.assets.map((a) => a.coef.mkt_rf).sort((a, b) => a - b);
    const median = betas[betas.length >> 1];
    expect(median).toBeGreaterThan(0.8);
    expect(median).toBeLessThan(1.2);
    const aapl = json.assets.find((a) => a.asset === 'AAPL');
    expect(aapl?.nobs).toBe(1980);
  });

  it('rolling: an equal-weighted S&P 500 portfolio has a market beta near one throughout', async () => {
    const r = await run(
      'rolling',
      '--prices',
      join(DATA, 'us/all_stocks_5yr.csv.gz'),
      '--asset-col',
      'Name',
      '--factors',
      join(DATA, 'ff/F-F_Research_Data_Factors_daily.CSV'),
      '--weights',
      'equal',
      '--window',
      '252',
    );
    expect(r.code, r.err).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^\s+20\d\d-\d\d-\d\d/.test(l));
    expect(rows.length).toBe(10);
    for (const l of rows) {
      const beta = Number(l.trim().split(/\s+/)[1]);
      expect(beta).toBeGreaterThan(0.8);
      expect(beta).toBeLessThan(1.2);
    }
  });

  it('analyze: SSE 50 P/E factor with Shenwan industries; S&P 12-1 momentum sampled monthly with GICS sectors', async () => {
    const a = await run(
      'analyze',
      '--factor',
      join(DATA, 'cn/sse50_2021q1_factor.csv'),
      '--prices',
      join(DATA, 'cn/sse50_2021q1_prices.csv'),
      '--groups',
      join(DATA, 'cn/sse50_2021q1_stock_2_idx.csv'),
      '--group-names',
      join(DATA, 'cn/sse50_2021q1_idx_2_name.csv'),
      '--horizons',
      '1,5',
      '--json',
    );
    expect(a.code, a.err).toBe(0);
    const ja = JSON.parse(a.out) as {
      nDates: number;
      nAssets: number;
      dataLoss: { maxShare: number };
      ic: Record<string, { summary: { spearman: { n: number } } }>;
      inputs: { groups: { groups: string[] } };
    };
    expect([ja.nDates, ja.nAssets]).toEqual([36, 48]);
    expect(ja.ic['1'].summary.spearman.n).toBe(36);
    expect(ja.inputs.groups.groups).toContain('银行');
    const b = await run(
      'analyze',
      '--factor',
      'momentum',
      '--sample',
      'monthly',
      '--prices',
      join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz'),
      '--clean',
      '--groups',
      join(DATA, 'us/nyse_securities_gics_2017.csv'),
      '--group-asset-col',
      'Ticker symbol',
      '--group-col',
      'GICS Sector',
      '--horizons',
      '21',
      '--json',
    );
    expect(b.code, b.err).toBe(0);
    const jb = JSON.parse(b.out) as {
      periodsPerYear: number;
      steps: Record<string, number>;
      inputs: { prices: { cleaned: number } };
      dataLoss: { maxShare: number };
      quantiles: Record<string, { quantiles: number }>;
    };
    expect(jb.periodsPerYear).toBe(12);
    expect(jb.steps['21']).toBe(1);
    expect(jb.inputs.prices.cleaned).toBe(11);
    expect(jb.dataLoss.maxShare).toBeLessThan(0.1);
    expect(jb.quantiles['21'].quantiles).toBe(5);
  });
});

describe('bad input on the real files (issue 9)', () => {
  const SP = join(DATA, 'us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
  const FF_MONTHLY = join(DATA, 'ff/F-F_Research_Data_Factors.CSV');

  it('daily S&P prices with monthly Ken French factors: exit 2 naming both frequencies, in exposures and rolling', async () => {
    for (const args of [['exposures'], ['rolling', '--weights', 'equal', '--window', '24']]) {
      const r = await run(...args, '--prices', SP, '--factors', FF_MONTHLY);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/is daily, --factors .*F-F_Research_Data_Factors\.CSV is monthly/);
      expect(r.err).toMatch(/--resample monthly/);
    }
  });

  it('the HS300 factor (600010.XSHG) against the SSE 50 prices (600010): exit 2 saying the names differ by an exchange suffix, in analyze, backtest and combine', async () => {
    const HS300 = join(DATA, 'cn/hs300_vol5_factor_2018.csv'),
      SSE = join(DATA, 'cn/sse50_2021q1_prices.csv'),
      SSE_FACTOR = join(DATA, 'cn/sse50_2021q1_factor.csv');
    for (const args of [
      ['analyze', '--prices', SSE, '--factor', HS300],
      ['backtest', '--prices', SSE, '--factor', HS300],
      ['combine', '--factor', HS300, '--factor', SSE_FACTOR, '--out', join(tmpdir(), 'factorlab-never-written.csv')],
    ]) {
      const r = await run(...args);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toMatch(/no asset in common|is in --prices/);
      expect(r.err).toMatch(
        /hint: the names differ by an exchange suffix or prefix \(600010 in .*, 600010\.XSHG in .*hs300_vol5_factor_2018.*; \d+ names would match without it\)/,
      );
    }
  });

  it('--resample monthly: AAPL on monthly FF3 has a market beta near one, from about 150 months', async () => {
    const r = await run('exposures', '--prices', SP, '--factors', FF_MONTHLY, '--resample', 'monthly', '--clean', '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as { assets: { asset: string; nobs: number; coef: Record<string, number> }[] };
    const aapl = json.assets.find((a) => a.asset === 'AAPL');
    expect(aapl?.nobs).toBeGreaterThan(140);
    expect(aapl?.coef.mkt_rf).toBeGreaterThan(0.7);
    expect(aapl?.coef.mkt_rf).toBeLessThan(1.8);
  });

  it('inspect --clean with --max-findings 10 cleans all 11 bad ticks', async () => {
    let out = '',
      err = '';
    const code = await runCli(['node', 'factorlab', 'inspect', SP, '--clean', '--max-findings', '10', '--json'], {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
    });
    expect(code, err).toBe(0);
    const j = JSON.parse(out) as InspectResult;
    expect(j.cleaned?.cells).toBe(11);
    expect(j.quality.counts['bad-tick']).toBe(11);
  });
});

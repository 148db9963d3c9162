/**
 * `factorlab backtest` on real data against a plain pandas/numpy computation of the same rule
 * (test/real/python/backtest_reference.py, written from the definitions in src/backtest/engine.ts):
 * the NAVs to 1e-10, and the statistics against pandas.
 * - the seed's strategy on the SSE 50 sample: top 5 by 1/PE, weekly on Friday, 10 bp;
 * - monthly top 50 by 12-1 momentum among point-in-time S&P 500 members, 5 bp;
 * - daily top decile by 12-1 momentum over the 5,774-ticker matrix, 2 bp.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { BacktestOutput } from '../../src/cli/commands/backtest.js';
import { dataFile } from './data.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'backtest_reference.py');

interface Reference {
  firstDate: string;
  dates: string[];
  navGross: number[];
  navNet: number[];
  stats: Record<string, number>;
}

function reference(spec: Record<string, unknown>): Reference {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: apt-get install python3-pandas`);
  const res = spawnSync(PYTHON, [SCRIPT, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0)
    throw new Error(`${SCRIPT} failed${/ModuleNotFoundError/.test(res.stderr) ? ' (apt-get install python3-pandas)' : ''}:\n${res.stderr}`);
  return JSON.parse(res.stdout) as Reference;
}

async function factorlab(...args: string[]): Promise<BacktestOutput> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', 'backtest', ...args, '--json'], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  expect(code, err).toBe(0);
  return JSON.parse(out) as BacktestOutput;
}

function compare(ours: BacktestOutput, ref: Reference): void {
  expect(ours.series.dates).toEqual(ref.dates);
  let worst = 0;
  for (let i = 0; i < ref.navNet.length; i++) {
    worst = Math.max(worst, Math.abs(ours.series.navNet[i] - ref.navNet[i]), Math.abs(ours.series.navGross[i] - ref.navGross[i]));
  }
  expect(worst).toBeLessThan(1e-10);
  const net = ours.performance.net;
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
  expect(rel(net.totalReturn, ref.stats.totalReturn)).toBeLessThan(1e-10);
  expect(rel(net.annualReturn, ref.stats.annualReturn)).toBeLessThan(1e-10);
  expect(rel(net.annualVolatility, ref.stats.annualVolatility)).toBeLessThan(1e-10);
  expect(rel(net.sharpe, ref.stats.sharpe)).toBeLessThan(1e-10);
  expect(rel(net.sortino, ref.stats.sortino)).toBeLessThan(1e-10);
  expect(rel(net.maxDrawdown.maxDrawdown, ref.stats.maxDrawdown)).toBeLessThan(1e-10);
}

describe('backtest on real data against pandas', () => {
  it('the seed: SSE 50, top 5 by 1/PE, weekly on Friday, next close, 10 bp', async () => {
    const prices = dataFile('cn/sse50_2021q1_prices.csv'),
      factor = dataFile('cn/sse50_2021q1_factor.csv');
    const ours = await factorlab(
      '--prices',
      prices,
      '--factor',
      factor,
      '--reciprocal',
      '--rule',
      'top-n',
      '--top',
      '5',
      '--schedule',
      'weekly:fri',
      '--cost-bps',
      '10',
    );
    const ref = reference({ prices, factor, reciprocal: true, schedule: 'weekly:fri', bps: 10, rule: 'top-n', top: 5 });
    compare(ours, ref);
    expect(ours.summary.rebalances).toBe(12);
    expect(ours.rebalances.every((r) => r.holdings === 5)).toBe(true);
    expect(ours.settings.periodsPerYear).toBe(252);
  });

  it('S&P 500: monthly top 50 by 12-1 momentum among point-in-time members, 5 bp', async () => {
    const prices = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz'),
      membership = dataFile('us/sp500_ticker_start_end.csv');
    const ours = await factorlab(
      '--prices',
      prices,
      '--factor',
      'momentum',
      '--membership',
      membership,
      '--schedule',
      'month-end',
      '--top',
      '50',
      '--cost-bps',
      '5',
    );
    const ref = reference({
      prices,
      prices_layout: 'long',
      asset_col: 'ticker',
      price_col: 'close',
      factor: 'momentum',
      membership,
      schedule: 'month-end',
      bps: 5,
      rule: 'top-n',
      top: 50,
    });
    compare(ours, ref);
    // the file lacks some held names on a few days (2011-02-17: AKAM, CRM, CTSH, EL, ...): held through the gap
    expect(ours.summary.heldWithoutPrice).toBeGreaterThan(0);
  });

  it('S&P 500 monthly top 50 with --max-gap 0: a held name is sold on its first day without a price', async () => {
    const prices = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
    const membership = dataFile('us/sp500_ticker_start_end.csv');
    const ours = await factorlab(
      '--prices',
      prices,
      '--factor',
      'momentum',
      '--membership',
      membership,
      '--schedule',
      'month-end',
      '--top',
      '50',
      '--cost-bps',
      '5',
      '--max-gap',
      '0',
    );
    const ref = reference({
      prices,
      prices_layout: 'long',
      asset_col: 'ticker',
      price_col: 'close',
      factor: 'momentum',
      membership,
      schedule: 'month-end',
      bps: 5,
      rule: 'top-n',
      top: 50,
      max_gap: 0,
    });
    compare(ours, ref);
    expect(ours.summary.forcedSales).toBeGreaterThan(0);
    expect(ours.summary.heldWithoutPrice).toBe(0);
  });

  it('5,774 tickers: daily top decile by 12-1 momentum, 2 bp', async () => {
    const prices = dataFile('us/us_all_stocks_adj_close_wide_2013_2017.csv.gz');
    const ours = await factorlab(
      '--prices',
      prices,
      '--factor',
      'momentum',
      '--rule',
      'top-quantile',
      '--quantiles',
      '10',
      '--schedule',
      'daily',
      '--cost-bps',
      '2',
    );
    const ref = reference({ prices, factor: 'momentum', schedule: 'daily', bps: 2, rule: 'top-quantile', quantiles: 10 });
    compare(ours, ref);
  });
});

describe("the strategy's exposures through time (--factors) against numpy least squares", () => {
  it('S&P 500 monthly top 50: the rolling regression of its return and Σ w_i β_i of its book', async () => {
    const prices = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz'),
      membership = dataFile('us/sp500_ticker_start_end.csv');
    const ours = await factorlab(
      '--prices',
      prices,
      '--factor',
      'momentum',
      '--membership',
      membership,
      '--schedule',
      'month-end',
      '--top',
      '50',
      '--cost-bps',
      '5',
      '--start',
      '2010-01-01',
      '--end',
      '2012-12-31',
      '--factors',
      dataFile('ff/F-F_Research_Data_Factors_daily.CSV'),
      '--exposure-window',
      '63',
    );
    const ex = ours.exposures;
    if (ex === undefined || ex.holdings === undefined) throw new Error('exposures expected');
    expect(ex.factors).toEqual(['mkt_rf', 'smb', 'hml']);
    expect(ex.riskFree).toBe('rf');
    const checks = ours.rebalances
      .filter((_, k) => k % 6 === 5)
      .map((r) => ({ date: r.date, weights: Object.fromEntries(r.weights.map((w) => [w.asset, w.weight])) }));
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'bt-exp-'));
    try {
      const file = join(dir, 'spec.json');
      writeFileSync(file, JSON.stringify({ dates: ours.series.dates, netReturns: ours.series.netReturns, window: 63, checks }));
      const res = spawnSync(PYTHON, [join(dirname(SCRIPT), 'backtest_exposures_reference.py'), dataFile(''), file], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      expect(res.status, res.stderr).toBe(0);
      const ref = JSON.parse(res.stdout) as { regression: Record<string, number[]>; holdings: Record<string, number[]> };
      let compared = 0;
      ours.series.dates.forEach((d, i) => {
        const want = ref.regression[d];
        if (want === undefined) return;
        ex.factors.forEach((f, k) => expect(Math.abs((ex.regression[f][i] ?? NaN) - want[k])).toBeLessThan(1e-8));
        compared++;
      });
      expect(compared).toBeGreaterThan(600);
      expect(checks.length).toBeGreaterThan(4);
      for (const c of checks) {
        const i = ours.series.dates.indexOf(c.date);
        ex.factors.forEach((f, k) => expect(Math.abs((ex.holdings?.exposures[f][i] ?? NaN) - ref.holdings[c.date][k])).toBeLessThan(1e-8));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `factorlab backtest --benchmark equal` on real data: the statistics it prints against the
 * benchmark (the equal-weighted point-in-time S&P 500 members, its total and annual return,
 * tracking error, information ratio, beta, alpha), Calmar, hit rate, the mean turnover and the
 * costs, against pandas (test/real/python/backtest_benchmark_reference.py, from the definitions).
 * test/real/backtest.test.ts checks the NAVs, the return, volatility, Sharpe, Sortino and drawdown.
 *
 * Monthly top 50 by 12-1 momentum from the start of the prices: the first year is the momentum
 * warm-up in cash, so the statistics start at the first rebalance that holds something, and the
 * benchmark's return over the period before it (the strategy held cash) is not counted.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { BacktestOutput } from '../../src/cli/commands/backtest.js';
import { dataFile } from './data.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'backtest_benchmark_reference.py');

interface Reference {
  annualReturn: number;
  calmar: number;
  hitRate: number;
  benchmarkTotalReturn: number;
  benchmarkAnnualReturn: number;
  trackingError: number;
  informationRatio: number;
  beta: number;
  alpha: number;
  totalCost: number;
  meanTurnover: number;
  benchmark: (number | null)[];
  statisticsRows: number;
}

describe('backtest against its benchmark on real data, against pandas', () => {
  it('S&P 500 monthly top 50 by momentum vs the equal-weighted members: TE, IR, beta, alpha, Calmar, hit rate, turnover, costs', async () => {
    const prices = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz'),
      membership = dataFile('us/sp500_ticker_start_end.csv');
    let out = '',
      err = '';
    const code = await runCli(
      [
        'node',
        'factorlab',
        'backtest',
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
        '--benchmark',
        'equal',
        '--json',
      ],
      { stdout: (t) => void (out += t), stderr: (t) => void (err += t) },
    );
    expect(code, err).toBe(0);
    const ours = JSON.parse(out) as BacktestOutput;
    const spec = {
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
    };
    const res = spawnSync('/usr/bin/python3', [SCRIPT, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(res.status, res.stderr).toBe(0);
    const ref = JSON.parse(res.stdout) as Reference;

    // the warm-up: the statistics start a year in
    expect(ours.summary.statisticsRows).toBe(ref.statisticsRows);
    expect(ours.summary.statisticsRows).toBeLessThan(ours.summary.rows - 200);
    // the benchmark series, row by row
    const bench = ours.series.benchmarkReturns ?? [];
    expect(bench.length).toBe(ref.benchmark.length);
    let worst = 0;
    bench.forEach((x, i) => {
      const want = ref.benchmark[i];
      if (want === null) expect(x).toBeNull();
      else worst = Math.max(worst, Math.abs((x ?? NaN) - want));
    });
    expect(worst).toBeLessThan(1e-12);

    const rel = (a: number | undefined, b: number) => Math.abs((a ?? NaN) - b) / Math.max(1, Math.abs(b));
    const net = ours.performance.net,
      b = net.benchmark;
    expect(rel(net.annualReturn, ref.annualReturn)).toBeLessThan(1e-10);
    expect(rel(net.calmar, ref.calmar)).toBeLessThan(1e-10);
    expect(rel(net.hitRate, ref.hitRate)).toBeLessThan(1e-12);
    expect(rel(b?.totalReturn, ref.benchmarkTotalReturn)).toBeLessThan(1e-10);
    expect(rel(b?.annualReturn, ref.benchmarkAnnualReturn)).toBeLessThan(1e-10);
    expect(rel(b?.trackingError, ref.trackingError)).toBeLessThan(1e-10);
    expect(rel(b?.informationRatio, ref.informationRatio)).toBeLessThan(1e-10);
    expect(rel(b?.beta, ref.beta)).toBeLessThan(1e-10);
    expect(rel(b?.alpha, ref.alpha)).toBeLessThan(1e-10);
    expect(rel(ours.summary.totalCost, ref.totalCost)).toBeLessThan(1e-10);
    expect(rel(ours.summary.meanTurnover, ref.meanTurnover)).toBeLessThan(1e-10);
  });
});

/**
 * `factorlab demo` end to end on a small market: every file is written and reads back, the planted
 * bad ticks are the ones found, the planted exposures and IC are recovered within sampling error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DemoSummary, runDemo } from '../../../src/cli/commands/demo.js';
import { runCli } from '../../../src/cli/run.js';
import { tempDir } from '../../tempDir.js';

describe('factorlab demo', () => {
  const out = join(tempDir('factorlab-demo-'), 'demo');
  let summary: DemoSummary;

  it('writes the market, reads it back exactly and finds every planted bad tick', async () => {
    summary = await runDemo({ out, seed: 11, assets: 120, days: 500, json: true });
    expect(readdirSync(out).sort()).toEqual([
      'backtest.html',
      'exposures.html',
      'factors.csv',
      'placebo.csv',
      'prices.csv',
      'sectors.csv',
      'signal.csv',
      'summary.json',
      'tearsheet.html',
      'truth.json',
    ]);
    expect(summary.reports.map((r) => r.file)).toEqual([
      join(out, 'exposures.html'),
      join(out, 'tearsheet.html'),
      join(out, 'backtest.html'),
    ]);
    for (const r of summary.reports) expect(r.bytes).toBeLessThan(3e6); // the browser tests open them
    expect(summary.ingest).toEqual({ nDates: 500, nAssets: 120, maxAbsDifference: 0 });
    expect(summary.market.plantedBadTicks).toHaveLength(3);
    expect(summary.quality.badTicksFound).toBe(3);
    expect(summary.quality.plantedBadTicksFound).toBe(3);
    const onDisk = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as DemoSummary;
    expect(onDisk.exposures).toEqual(summary.exposures);
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as { assets: string[]; exposures: Record<string, number[]> };
    expect(truth.assets).toHaveLength(120);
    expect(Object.keys(truth.exposures)).toEqual(summary.market.factors);
  });

  it('recovers the planted exposures: about 95% of them within 2 standard errors', () => {
    expect(summary.exposures.fitted).toBe(120);
    for (const f of summary.exposures.factors) {
      // 120 assets: the share within 2 s.e. is binomial(120, 0.954); 4 sd below is ~0.88.
      expect(f.coverage2se, f.factor).toBeGreaterThan(0.87);
      expect(Math.abs(f.estimatedMean - f.plantedMean), f.factor).toBeLessThan((4 * f.rmse) / Math.sqrt(120));
    }
  });

  it('recovers the planted IC within sampling error', () => {
    const s = summary.signal;
    expect(s.plantedIC).toBe(0.05);
    const se = s.icStd / Math.sqrt(s.dates);
    expect(Math.abs(s.meanIC - s.plantedIC)).toBeLessThan(4 * se);
    expect(s.tStat).toBeGreaterThan(5);
  });

  it('backtests the planted signal: the numbers `factorlab backtest` gives for the command it prints', async () => {
    const b = summary.backtest;
    expect(b.rebalances).toBeGreaterThan(10);
    expect(b.informationRatio).toBeGreaterThan(0); // a planted IC of 0.05 beats the equal-weighted universe
    let json = '';
    const code = await runCli(
      [
        'node',
        'factorlab',
        'backtest',
        '--prices',
        join(out, 'prices.csv'),
        '--factor',
        join(out, 'signal.csv'),
        '--clean',
        '--rule',
        'top-quantile',
        '--quantiles',
        '5',
        '--schedule',
        'month-end',
        '--cost-bps',
        '10',
        '--benchmark',
        'equal',
        '--json',
      ],
      {
        stdout: (t) => {
          json += t;
        },
        stderr: () => undefined,
      },
    );
    expect(code).toBe(0);
    const cli = JSON.parse(json) as {
      summary: { rebalances: number; firstDate: string };
      performance: { net: { annualReturn: number; sharpe: number; benchmark: { annualReturn: number; informationRatio: number } } };
    };
    expect(cli.summary.rebalances).toBe(b.rebalances);
    expect(cli.summary.firstDate).toBe(b.firstDate);
    expect(cli.performance.net.annualReturn).toBeCloseTo(b.annualReturn, 12);
    expect(cli.performance.net.sharpe).toBeCloseTo(b.sharpe, 12);
    expect(cli.performance.net.benchmark.annualReturn).toBeCloseTo(b.benchmarkAnnualReturn, 12);
    expect(cli.performance.net.benchmark.informationRatio).toBeCloseTo(b.informationRatio, 12);
  });

  it('prints a readable summary, and --json the same numbers', async () => {
    let text = '';
    const code = await runCli(['node', 'factorlab', 'demo', '--out', join(out, 'again'), '--assets', '40', '--days', '120'], {
      stdout: (t) => {
        text += t;
      },
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    expect(text).toMatch(/40 assets x 120 trading days/);
    expect(text).toMatch(/within 2 s\.e\./);
    expect(text).toMatch(/planted IC 0\.05/);
    expect(text).toMatch(/backtest +top quintile of the signal/);
    let json = '';
    await runCli(['node', 'factorlab', 'demo', '--out', join(out, 'again'), '--assets', '40', '--days', '120', '--json'], {
      stdout: (t) => {
        json += t;
      },
      stderr: () => undefined,
    });
    expect((JSON.parse(json) as DemoSummary).market.nAssets).toBe(40);
  });

  it('refuses a market too small for the tour or too large for the machine, before writing anything', async () => {
    for (const [args, want] of [
      [['--assets', '9'], /--assets must be an integer of at least 10/],
      [['--days', '119'], /--days must be an integer of at least 120/],
      [['--assets', '100000', '--days', '5000'], /500,000,000 asset-days; the demo makes at most 20,000,000/],
    ] as const) {
      let err = '';
      const dir = join(out, `refused-${args.join('')}`);
      const code = await runCli(['node', 'factorlab', 'demo', '--out', dir, ...args], {
        stdout: () => undefined,
        stderr: (t) => {
          err += t;
        },
      });
      expect(code).toBe(2);
      expect(err).toMatch(want);
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('rejects a bad option with exit code 2', async () => {
    let err = '';
    const code = await runCli(['node', 'factorlab', 'demo', '--assets', '0'], {
      stdout: () => undefined,
      stderr: (t) => {
        err += t;
      },
    });
    expect(code).toBe(2);
    expect(err).toMatch(/--assets must be an integer of at least 1/);
  });
});

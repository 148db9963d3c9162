/**
 * The backtest's results object is the CLI's JSON by construction: for several rules, schedules,
 * benchmarks and factor files, `JSON.stringify(await runBacktestCommand(flags))` is byte for byte
 * what `factorlab backtest --json` prints and, indented, what `--out` writes, and the `--nav-out`,
 * `--weights-out` and `--trades-out` tables are the object's rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktestCommand, type BacktestFlags } from '../../../src/cli/commands/backtest.js';
import { cli, pricesCsv, rng, tempDir, weekdays } from '../../badinput/helpers.js';

const t = tempDir('backtest-json');
afterAll(() => t.remove());
const days = weekdays('2020-01-06', 90);
const assets = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const r = rng(5);
const factor = t.write(
  'factor.csv',
  `date,asset,value\n${days.flatMap((d) => assets.map((a, j) => `${d},${a},${(j + r() * 6).toFixed(4)}`)).join('\n')}\n`,
);
const groups = t.write('groups.csv', 'asset,group\nA,x\nB,x\nC,x\nD,y\nE,y\nF,y\nG,z\nH,z\n');
const index = t.write('index.csv', pricesCsv(days, ['IDX', 'OTHER'], 9));
const factors = t.write(
  'factors.csv',
  `date,mkt_rf,smb,rf\n${days.map((d) => `${d},${(r() / 50).toFixed(5)},${(r() / 100).toFixed(5)},0.0001`).join('\n')}\n`,
);

const defaults: BacktestFlags = {
  prices,
  factor,
  rule: 'top-n',
  top: 3,
  quantiles: 4,
  nDrop: 1,
  volLookback: 20,
  schedule: { kind: 'weekly', weekday: 4 },
  executionLag: 1,
  costBps: 0,
  minCost: 0,
  capital: 1_000_000,
  exposureWindow: 30,
  json: true,
};

const cases: [string, Partial<BacktestFlags>, string[]][] = [
  [
    'top-n weekly, equal-weighted benchmark',
    { costBps: 10, benchmark: 'equal' },
    ['--top', '3', '--cost-bps', '10', '--benchmark', 'equal'],
  ],
  [
    'long-short every 5 rows, lag 2, a benchmark column, given periods per year',
    {
      rule: 'long-short',
      schedule: { kind: 'every', rows: 5, offset: 1 },
      executionLag: 2,
      benchmark: index,
      benchmarkCol: 'IDX',
      periodsPerYear: 250,
    },
    [
      '--rule',
      'long-short',
      '--quantiles',
      '4',
      '--schedule',
      'every:5:1',
      '--execution-lag',
      '2',
      '--benchmark',
      index,
      '--benchmark-col',
      'IDX',
      '--periods-per-year',
      '250',
    ],
  ],
  [
    'industry-neutral month end with a minimum cost',
    { rule: 'industry-neutral', groups, schedule: { kind: 'month-end' }, costBps: 5, minCost: 50, capital: 100_000, lowerIsBetter: true },
    [
      '--rule',
      'industry-neutral',
      '--quantiles',
      '4',
      '--groups',
      groups,
      '--schedule',
      'month-end',
      '--cost-bps',
      '5',
      '--min-cost',
      '50',
      '--capital',
      '100000',
      '--lower-is-better',
    ],
  ],
  [
    'topk-dropout with factor exposures, the risk-free column subtracted',
    { rule: 'topk-dropout', top: 4, nDrop: 2, factors: [factors], benchmark: 'equal' },
    ['--rule', 'topk-dropout', '--top', '4', '--n-drop', '2', '--factors', factors, '--exposure-window', '30', '--benchmark', 'equal'],
  ],
  [
    'inverse volatility without a factor, daily, exposures with --rf-col none',
    { rule: 'inverse-vol', factor: undefined, schedule: { kind: 'daily' }, factors: [factors], rfCol: 'none', start: '2020-02-01' },
    [
      '--rule',
      'inverse-vol',
      '--vol-lookback',
      '20',
      '--schedule',
      'daily',
      '--factors',
      factors,
      '--exposure-window',
      '30',
      '--rf-col',
      'none',
      '--start',
      '2020-02-01',
    ],
  ],
];

describe('backtest: the results object serialises to the CLI JSON', () => {
  cases.forEach(([name, flags, args], k) => {
    it(name, async () => {
      const results = await runBacktestCommand({ ...defaults, ...flags });
      const base = ['backtest', '--prices', prices, ...(flags.factor === undefined && 'factor' in flags ? [] : ['--factor', factor])];
      const printed = await cli(...base, ...args, '--json');
      expect(printed.code, printed.err).toBe(0);
      expect(printed.out).toBe(`${JSON.stringify(results)}\n`);
      const out = join(t.dir, `result-${k}.json`),
        nav = join(t.dir, `nav-${k}.csv`),
        weights = join(t.dir, `weights-${k}.json`),
        trades = join(t.dir, `trades-${k}.json`);
      const written = await cli(...base, ...args, '--out', out, '--nav-out', nav, '--weights-out', weights, '--trades-out', trades);
      expect(written.code, written.err).toBe(0);
      // --out writes the same JSON indented (io writeJsonAtomic)
      expect(readFileSync(out, 'utf8')).toBe(`${JSON.stringify(results, null, 2)}\n`);
      const json = results.toJSON();
      expect(JSON.parse(readFileSync(weights, 'utf8'))).toEqual(JSON.parse(JSON.stringify(results.weightsRows())));
      expect(JSON.parse(readFileSync(trades, 'utf8'))).toEqual(JSON.parse(JSON.stringify(results.tradesRows())));
      const navLines = readFileSync(nav, 'utf8').trim().split('\n');
      expect(navLines).toHaveLength(json.series.dates.length + 1);
      expect(navLines[0].split(',')).toEqual(Object.keys(results.navRows()[0]));
      if ((flags.factors ?? []).length > 0)
        expect(json.exposures?.factors).toEqual(flags.rfCol === 'none' ? ['mkt_rf', 'smb', 'rf'] : ['mkt_rf', 'smb']);
      // the summary printed without --json is drawn from the same object
      const summary = await cli(...base, ...args);
      expect(summary.out).toContain(`factorlab backtest: ${json.strategy}`);
    });
  });
});

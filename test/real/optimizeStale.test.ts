/**
 * Names that stop trading before the fit window's end, on the S&P 500 file: LVLT's last price is
 * 2017-10-31, 8 dates before the file's (and the window's) end, 2017-11-10 (Level 3, bought by
 * CenturyLink). optimize no longer buys it (it held 1/522 of it with --benchmark equal, 0.19%),
 * leaves it out of the equal benchmark, holds a current position in it unchanged; replicate keeps
 * it out of the basket. The only other name of the file that stops early, DD (2017-11-09), has
 * constant prices in this window and is left out of the risk model altogether.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { tempDir } from '../tempDir.js';
import { dataFile } from './data.js';

const PRICES = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
const FF5 = dataFile('ff/F-F_Research_Data_5_Factors_2x3_daily.CSV');
const MOM = dataFile('ff/F-F_Momentum_Factor_daily.CSV');
const dir = tempDir('factorlab-real-stale-');
const data = ['--prices', PRICES, '--clean', '--factors', FF5, '--factors', MOM, '--start', '2016-06-01'];
const common = [...data, '--end', '2017-11-10'];

interface Json {
  holdings: { asset: string; weight: number; benchmark?: number; trade: number }[];
  notes: string[];
}
async function json(...args: string[]): Promise<Json> {
  let out = '',
    err = '';
  const code = await runCli(['node', 'factorlab', ...args, '--json'], {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
  });
  expect(code, err).toBe(0);
  return JSON.parse(out) as Json;
}
const of = (j: Json, asset: string) => j.holdings.find((h) => h.asset === asset);

describe('optimize and replicate on the S&P 500: LVLT, delisted 8 dates before the window end', () => {
  it('optimize --benchmark equal: LVLT weight 0 and out of the benchmark (1/521 on the others); --stale-after 0 buys it as before', async () => {
    const j = await json('optimize', ...common, '--benchmark', 'equal', '--max-weight', '0.02');
    const stale = j.holdings.filter((h) => h.weight === 0 && h.benchmark === 0).map((h) => h.asset);
    expect(stale).toEqual(['LVLT']);
    expect(of(j, 'AAPL')?.benchmark).toBeCloseTo(1 / 521, 15);
    expect(j.notes.join('\n')).toMatch(
      /1 asset of the risk model has no return in the last 5 dates of the window \(delisted or suspended\?\), so cannot be traded at its end, 2017-11-10: 1 not bought \(weight 0\): LVLT \(last 2017-10-31\)/,
    );
    expect(j.notes.join('\n')).toMatch(/benchmark: equal weights over the 521 of the 522 assets of the risk model that can be traded/);
    const before = await json('optimize', ...common, '--benchmark', 'equal', '--max-weight', '0.02', '--stale-after', '0');
    expect(of(before, 'LVLT')?.weight).toBeCloseTo(1 / 522, 9);
  });

  it('optimize with LVLT held (1%) and a turnover cap: it stays at 1%, no trade', async () => {
    const current = join(dir, 'current.csv');
    writeFileSync(current, 'asset,weight\nLVLT,0.01\nAAPL,0.5\nMSFT,0.49\n');
    const j = await json('optimize', ...common, '--current', current, '--max-weight', '0.05', '--turnover', '1.8');
    expect(of(j, 'LVLT')?.weight).toBeCloseTo(0.01, 12);
    expect(of(j, 'LVLT')?.trade).toBeCloseTo(0, 12);
    expect(j.notes.join('\n')).toMatch(/1 name held fixed at its current weight: LVLT \(last 2017-10-31, 1%\)/);
  });

  it('replicate with a target that holds LVLT: the basket does not', async () => {
    const target = join(dir, 'target.csv');
    writeFileSync(target, 'asset,weight\nLVLT,0.2\nAAPL,0.4\nMSFT,0.4\n');
    const args = ['--fit-end', '2017-11-10', '--end', '2017-11-10', '--target-weights', target, '--exposure-tolerance', '0.01'];
    const j = await json('replicate', ...data, ...args);
    expect(of(j, 'LVLT')).toBeUndefined();
    expect(j.notes.join('\n')).toMatch(/1 universe asset has no return in the last 5 dates of the fit window .*: LVLT \(last 2017-10-31\)/);
    const before = await json('replicate', ...data, ...args, '--stale-after', '0');
    expect(of(before, 'LVLT')?.weight).toBeGreaterThan(0);
  });
});

/**
 * A fundamentals file as it comes (Kaggle's NYSE fundamentals: a pandas index, "Ticker Symbol",
 * "Period Ending", one column per item) tested with `analyze --as-of monthly` against the
 * all_stocks_5yr closes, against pandas merge_asof + scipy (test/real/python/fundamentals_reference.py)
 * to 1e-12 per date: the column detection, the carry of each company's latest report to the price
 * month ends (at most --max-age days), the execution lag and the per-date rank and Pearson IC.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzeOutput } from '../../src/cli/commands/analyze.js';
import { runCli } from '../../src/cli/run.js';
import { dataFile } from './data.js';

const FUND = dataFile('us/nyse_fundamentals_2012_2016.csv');
const PRICES = dataFile('us/all_stocks_5yr.csv.gz');
const SCRIPT = join(__dirname, 'python', 'fundamentals_reference.py');
const dir = mkdtempSync(join(tmpdir(), 'factorlab-fund-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ref {
  dates: string[];
  n: number[];
  spearman: number[];
  pearson: number[];
}

describe('a fundamentals factor carried to month ends (real files)', () => {
  it('analyze --as-of monthly --execution-lag 63: per-date rank IC and IC equal pandas merge_asof + scipy', async () => {
    const out = join(dir, 'roe.json');
    let err = '';
    const code = await runCli(
      [
        'node',
        'factorlab',
        'analyze',
        '--factor',
        FUND,
        '--factor-col',
        'After Tax ROE',
        '--prices',
        PRICES,
        '--as-of',
        'monthly',
        '--max-age',
        '366',
      ].concat(['--execution-lag', '63', '--horizons', '21', '--min-assets', '3', '--max-loss', '1', '--out', out, '--quiet']),
      { stdout: () => undefined, stderr: (t) => (err += t) },
    );
    expect(code, err).toBe(0);
    const got = JSON.parse(readFileSync(out, 'utf8')) as AnalyzeOutput;
    expect(got.inputs.factor.layout).toBe('long');
    expect(got.periodsPerYear).toBe(12);
    expect(got.notes.join('\n')).not.toContain('look-ahead'); // a lag of 63 rows covers the filing delay

    const res = spawnSync('/usr/bin/python3', [SCRIPT, FUND, PRICES, 'After Tax ROE', '63', '21', '366'], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(res.status, res.stderr).toBe(0);
    const ref = JSON.parse(res.stdout) as Ref;
    const ic = got.ic['21'];
    expect(ic.dates).toEqual(ref.dates);
    expect(ref.dates.length).toBeGreaterThan(50);
    expect(Array.from(ic.n)).toEqual(ref.n);
    for (let i = 0; i < ref.dates.length; i++) {
      expect(Math.abs(Number(ic.spearman[i]) - ref.spearman[i]), `rank IC ${ref.dates[i]}`).toBeLessThan(1e-12);
      expect(Math.abs(Number(ic.pearson[i]) - ref.pearson[i]), `IC ${ref.dates[i]}`).toBeLessThan(1e-12);
    }
  });
});

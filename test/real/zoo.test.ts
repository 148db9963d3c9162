/**
 * `factorlab zoo` on real files: the S&P 500 valuation snapshots (dated by UTC commit times) with
 * --timezone, and the NYSE fundamentals with FILE#*. Fails (never skips) without the data.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { expandFactorArgs } from '../../src/zoo/specs.js';
import { tempDir } from '../tempDir.js';
import { dataFile } from './data.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
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

const dir = tempDir('factorlab-real-zoo-');
const SNAPSHOTS = dataFile('us/sp500_valuation_snapshots_2024_2026.csv.gz');

describe('zoo --timezone on the valuation snapshots (UTC commit times)', () => {
  const table = [
    '--price-col',
    'price',
    '--date-col',
    'snapshot_commit_utc',
    '--asset-col',
    'symbol',
    '--horizons',
    '1,5',
    '--threads',
    '1',
  ];

  it('read in UTC: every JSON is the one of a copy dated by the UTC date as written', async () => {
    // the copy: each snapshot's time cut to its date (2024-10-10T13:22:51Z -> 2024-10-10)
    const plain = join(dir, 'snapshots-dates.csv.gz');
    const text = gunzipSync(readFileSync(SNAPSHOTS)).toString('utf8');
    writeFileSync(plain, gzipSync(text.replace(/^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}Z,/gm, '$1,')));
    const cols = '#price_to_book,price_to_sales';
    const ref = await cli('zoo', '--prices', plain, `${plain}${cols}`, ...table, '--results', join(dir, 'plain'), '--json');
    expect(ref.code, ref.err).toBe(0);
    const r = await cli(
      'zoo',
      '--prices',
      SNAPSHOTS,
      `${SNAPSHOTS}${cols}`,
      ...table,
      '--timezone',
      'UTC',
      '--results',
      join(dir, 'utc'),
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out.replaceAll(SNAPSHOTS, plain)).toBe(ref.out);
    const names = readdirSync(join(dir, 'plain')).sort();
    expect(names).toHaveLength(2);
    for (const name of names) {
      const utc = readFileSync(
        join(dir, 'utc', name.replace('snapshots-dates.csv.gz', 'sp500_valuation_snapshots_2024_2026.csv.gz')),
        'utf8',
      );
      expect(utc.replaceAll(SNAPSHOTS, plain), name).toBe(readFileSync(join(dir, 'plain', name), 'utf8'));
    }
    const j = JSON.parse(readFileSync(join(dir, 'utc', readdirSync(join(dir, 'utc'))[0]), 'utf8')) as {
      firstDate: string;
      nAssets: number;
    };
    expect(j.firstDate).toBe('2024-10-10');
    expect(j.nAssets).toBeGreaterThan(450);
  });

  it('read in New York two snapshots fall on 2026-05-15: exit 2 naming the file, asset, date and both lines', async () => {
    const r = await cli('zoo', '--prices', SNAPSHOTS, `${SNAPSHOTS}#price_to_book`, ...table, '--timezone', 'America/New_York');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/sp500_valuation_snapshots_2024_2026\.csv\.gz:\d+, asset MMM, date 2026-05-15: duplicate row/);
  });
});

describe('zoo FILE#* on the NYSE fundamentals', () => {
  const FUND = dataFile('us/nyse_fundamentals_2012_2016.csv');

  it('"For Year" (the fiscal-year label) is left out with a note naming it; the 75 fundamentals stay; named, it runs', async () => {
    const notes: string[] = [];
    const specs = await expandFactorArgs([`${FUND}#*`], {}, (n) => notes.push(n));
    const cols = specs.map((s) => s.factorCol);
    expect(cols).toHaveLength(75);
    expect(cols).not.toContain('For Year');
    expect(cols).toEqual(expect.arrayContaining(['Net Income', 'Earnings Per Share', 'Estimated Shares Outstanding', 'Cash Ratio']));
    expect(notes).toEqual([
      `${FUND}#*: left out "For Year" (99.5+% of its values are whole numbers within a year of the row's date: a year label): numbers, but a label, not a factor; to test it anyway, name it: '${FUND}#For Year'`,
    ]);
    const prices = dataFile('us/us_sp500_adj_ohlcv_2005_2017.csv.gz');
    const r = await cli('zoo', '--prices', prices, `${FUND}#For Year,Net Income`, '--horizons', '21', '--as-of', 'monthly', '--json');
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(r.out) as { factor: string; status: string }[];
    expect(rows.map((x) => `${x.factor} ${x.status}`).sort()).toEqual([`${FUND}#For Year ok`, `${FUND}#Net Income ok`]);
    expect(r.err).not.toContain('left out');
  });
});

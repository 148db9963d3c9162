/**
 * Classes found by the CLI fuzz (fuzz.test.ts) that fit no other file:
 * - `backtest --membership members.csv.gz` was read as plain text: exit 2 "needs ticker, start
 *   and end columns; the columns are: ?U?;..." (the compressed bytes as the header). It reads
 *   `.csv.gz` like every other input; a truncated stream or a binary file is named as such.
 * - `--factor-cols mkt_rf,mkt_rf` was exit 2 "factor mkt_rf appears twice in one step", naming
 *   no flag and giving no hint; `analyze --horizons 1,1` likewise ("horizon 1 is listed twice").
 * - `replicate --target-weights` over a universe with a price of 1e-300 (a return of 1e302 and back)
 *   was exit 1 "internal error: passModel failed with HiGHS status -1": the target's exposure
 *   bounds were 1e300. It is exit 2 naming the return and its date, with --clean as the way out.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, factorsCsv, pricesCsv, tempDir, weekdays } from './helpers.js';

const t = tempDir('fuzz-found');
afterAll(() => t.remove());
const days = weekdays('2019-01-01', 150);
const assets = ['A', 'B', 'C', 'D', 'E', 'F'];
const prices = t.write('prices.csv', pricesCsv(days, assets));
const signal = t.write('signal.csv', pricesCsv(days, assets, 7));
const factors = t.write('factors.csv', factorsCsv(days));
const members = `ticker,start,end\n${assets.map((a, j) => `${a},2018-01-01,${j === 5 ? days[100] : ''}`).join('\n')}\n`;

function put(name: string, data: Buffer): string {
  const p = join(t.dir, name);
  writeFileSync(p, data);
  return p;
}

describe('backtest --membership: .csv.gz and binary files', () => {
  const base = ['backtest', '--prices', prices, '--factor', signal, '--top', '2', '--schedule', 'weekly', '--json', '--membership'];

  it('a .csv.gz membership file gives the backtest of the plain file', async () => {
    const a = await cli(...base, t.write('m.csv', members));
    const b = await cli(...base, put('m.csv.gz', gzipSync(members)));
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    const nav = (out: string): unknown => (JSON.parse(out) as { series: { navNet: unknown } }).series.navNet;
    expect(nav(b.out)).toEqual(nav(a.out));
  });

  it('a truncated .csv.gz and gzip without .gz exit 2 saying what the file is, no bytes printed', async () => {
    const z = gzipSync(members);
    for (const [file, problem] of [
      [put('cut.csv.gz', z.subarray(0, 25)), /the gzip file is truncated or corrupt/],
      [put('bin.csv', z), /this is not a text table: .*a gzip file without a \.gz name/],
    ] as const) {
      const r = await cli(...base, file);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(file);
      expect(r.err).toMatch(problem);
      expect(r.err).toContain('hint:');
      expect(r.err).not.toMatch(/needs ticker, start and end columns/);
    }
  });
});

describe('--factor-cols naming a factor twice', () => {
  it('names the flag and the factor, with a hint, on every regression command', async () => {
    for (const cols of ['mkt_rf,mkt_rf', 'smb,MKT_RF,mkt_rf']) {
      for (const cmd of [
        ['exposures', '--prices', prices, '--factors', factors],
        ['rolling', '--prices', prices, '--factors', factors, '--weights', 'equal', '--window', '60'],
      ]) {
        const r = await cli(...cmd, '--factor-cols', cols);
        expect(r.code, r.err).toBe(2);
        expect(r.err).toMatch(/--factor-cols names the factor mkt_rf twice/);
        expect(r.err).toContain('hint: name each factor once');
      }
    }
  });
});

describe('analyze --horizons naming a horizon twice', () => {
  it('names the flag, with a hint', async () => {
    const r = await cli('analyze', '--factor', signal, '--prices', prices, '--horizons', '1,5,1');
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/horizon 1 is listed twice in --horizons/);
    expect(r.err).toContain('hint: give each horizon once, e.g. --horizons 1,5,21');
  });
});

describe('replicate: a target with a return too large to be real', () => {
  it('exit 2 naming the return and date (was an internal error); --clean replicates', async () => {
    const lines = pricesCsv(days, assets).split('\n');
    const cells = lines[60].split(',');
    cells[2] = '1e-300';
    lines[60] = cells.join(',');
    const tiny = t.write('tiny.csv', lines.join('\n'));
    const args = [
      'replicate',
      '--prices',
      tiny,
      '--factors',
      factors,
      '--fit-end',
      days[100],
      '--target-weights',
      'equal',
      '--max-names',
      '3',
    ];
    const out = join(t.dir, 'never.json');
    const r = await cli(...args, '--out', out);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(new RegExp(`the target equal-weight universe has returns too large to fit \\([0-9.e+]+ on ${days[60]}\\)`));
    expect(r.err).toMatch(/hint: .*add --clean/);
    expect(r.err).not.toMatch(/internal error|HiGHS/);
    expect(t.files()).not.toContain('never.json');
    const c = await cli(...args, '--clean');
    expect(c.code, c.err).toBe(0);
  });
});

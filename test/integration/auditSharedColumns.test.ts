/**
 * `--asset-col` / `--date-col` name the columns of every file of a run. `rolling`'s weights and
 * `combine`'s factors beside long prices whose asset column needs the flag (`Stock` here; the
 * README's `--asset-col Name` on all_stocks_5yr) stopped with "no asset column", and the hint
 * ("pass one of the existing columns with --asset-col") would have broken the prices: no flag
 * read both. A file without the named column is now read with its own columns detected, with a note.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { Rng } from '../../src/synthetic/random.js';
import { tempDir } from '../tempDir.js';

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

const dir = tempDir('factorlab-audit-shared-columns-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const rng = new Rng(11);
const nd = 160,
  na = 8;
const dates: string[] = [];
for (let d = new Date(Date.UTC(2021, 0, 4)); dates.length < nd; d.setUTCDate(d.getUTCDate() + 1))
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
const assets = Array.from({ length: na }, (_, j) => `S${j}`);
const mkt = dates.map(() => rng.normal(0, 0.01));
const smb = dates.map(() => rng.normal(0, 0.005));
const price = assets.map(() => [100]);
for (let t = 1; t < nd; t++)
  for (let j = 0; j < na; j++) price[j].push(price[j][t - 1] * (1 + (0.5 + 0.1 * j) * mkt[t] + 0.3 * smb[t] + rng.normal(0, 0.01)));

// long prices whose asset column ('Stock') is not one factorlab detects: --asset-col Stock is needed
const prices = file(
  'prices.csv',
  ['date,Stock,close', ...dates.flatMap((d, t) => assets.map((a, j) => `${d},${a},${price[j][t].toFixed(6)}`))].join('\n') + '\n',
);
const factors = file('factors.csv', ['date,mkt_rf,smb,rf', ...dates.map((d, t) => `${d},${mkt[t]},${smb[t]},0.0001`)].join('\n') + '\n');
const wideWeights = file(
  'weights_wide.csv',
  `date,${assets.join(',')}\n${dates[60]},${assets.map((_, j) => (j < 4 ? 0.25 : 0)).join(',')}\n`,
);
const longWeights = file(
  'weights_long.csv',
  ['date,Stock,weight', ...assets.map((a, j) => `${dates[60]},${a},${j < 4 ? 0.25 : 0}`)].join('\n') + '\n',
);

describe('rolling: --asset-col of long prices beside a weights file without that column', () => {
  it('reads a wide weights file with its own columns, with a note, and gives the numbers of the same weights in long form', async () => {
    const outWide = join(dir, 'rolling_wide.csv'),
      outLong = join(dir, 'rolling_long.csv');
    const common = ['rolling', '--prices', prices, '--asset-col', 'Stock', '--factors', factors, '--window', '40', '--threads', '1'];
    const wide = await cli(...common, '--weights', wideWeights, '--out', outWide);
    expect(wide.err).not.toMatch(/error/);
    expect(wide.code).toBe(0);
    expect(wide.out).toMatch(/weights_wide\.csv: no column "Stock" \(--asset-col\), which names a column of another file of the run/);
    const long = await cli(...common, '--weights', longWeights, '--out', outLong);
    expect(long.code).toBe(0);
    expect(long.out).not.toMatch(/no column "Stock"/);
    expect(readFileSync(outWide, 'utf8')).toBe(readFileSync(outLong, 'utf8'));
  });

  it('a weights file that cannot be read either way keeps its own error, the hint naming the shared flag', async () => {
    const bad = file('weights_bad.txt', 'S0 0.5\nS1 0.5\n');
    const r = await cli('rolling', '--prices', prices, '--asset-col', 'Stock', '--factors', factors, '--window', '40', '--weights', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/weights_bad\.txt.*no asset column "Stock"; the columns are: S0 0\.5/);
    expect(r.err).toMatch(
      /--asset-col "Stock" names a column of every file of the run; read without it, .*weights_bad\.txt fails too \(no date column found/,
    );
  });
});

describe('combine: --asset-col of long prices beside factor files without that column', () => {
  const wideFactor = (name: string, f: (t: number, j: number) => number): string =>
    file(name, [`date,${assets.join(',')}`, ...dates.map((d, t) => `${d},${assets.map((_, j) => f(t, j)).join(',')}`)].join('\n') + '\n');
  const longFactor = (name: string, f: (t: number, j: number) => number): string =>
    file(name, ['date,Stock,value', ...dates.flatMap((d, t) => assets.map((a, j) => `${d},${a},${f(t, j)}`))].join('\n') + '\n');
  const beta = (_t: number, j: number): number => j + 0.01 * Math.sin(_t + j);
  const noise = (t: number, j: number): number => Math.cos(3 * t + 7 * j);

  it('reads wide factors with their own columns (a note each) and gives the composite of the same factors written long', async () => {
    const outWide = join(dir, 'combine_wide.csv'),
      outLong = join(dir, 'combine_long.csv');
    const common = ['combine', '--prices', prices, '--asset-col', 'Stock', '--method', 'ic', '--window', '20', '--name', 'beta,noise'];
    const wide = await cli(
      ...common,
      '--factor',
      wideFactor('beta_w.csv', beta),
      '--factor',
      wideFactor('noise_w.csv', noise),
      '--out',
      outWide,
    );
    expect(wide.err).not.toMatch(/error/);
    expect(wide.code).toBe(0);
    expect(wide.out).toMatch(/beta_w\.csv: no column "Stock" \(--asset-col\).*\(wide: date "date", a column per asset\)/);
    expect(wide.out).toMatch(/noise_w\.csv: no column "Stock" \(--asset-col\)/);
    const long = await cli(
      ...common,
      '--factor',
      longFactor('beta_l.csv', beta),
      '--factor',
      longFactor('noise_l.csv', noise),
      '--out',
      outLong,
    );
    expect(long.code).toBe(0);
    expect(readFileSync(outWide, 'utf8')).toBe(readFileSync(outLong, 'utf8'));
  });

  it("an --asset-col that is a column of no file is exit 2: the prices' columns listed when they need one, else the files named", async () => {
    const r = await cli(
      'combine',
      '--factor',
      wideFactor('beta_w2.csv', beta),
      '--prices',
      prices,
      '--asset-col',
      'Stok',
      '--out',
      join(dir, 'x.csv'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/prices\.csv.*no asset column "Stok"; the columns are: date, Stock, close/);
    const widePrices = file(
      'prices_wide.csv',
      [`date,${assets.join(',')}`, ...dates.map((d, t) => `${d},${assets.map((_, j) => price[j][t].toFixed(6)).join(',')}`)].join('\n') +
        '\n',
    );
    const both = await cli(
      'combine',
      '--factor',
      wideFactor('beta_w3.csv', beta),
      '--prices',
      widePrices,
      '--asset-col',
      'Stok',
      '--out',
      join(dir, 'y.csv'),
    );
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--asset-col "Stok" is a column of none of the files \(.*beta_w3\.csv, .*prices_wide\.csv\)/);
  });
});

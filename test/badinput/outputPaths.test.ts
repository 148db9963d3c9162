/**
 * Class 7, output paths: a bad --out (or --residuals, --weights-out, demo --out) is the user's
 * input: exit 2, the message names the path and says what to do, and it is refused before any
 * work, so nothing is written (not even a first output of several).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runBuilt } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-outputs-'));
const f = (name: string): string => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  assertBuilt();
  const dates = Array.from({ length: 40 }, (_, t) => new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10));
  writeFileSync(f('prices.csv'), `date,A,B,C\n${dates.map((d, t) => `${d},${10 + t},${20 + (t % 3)},${30 - t / 10}`).join('\n')}\n`);
  writeFileSync(
    f('signal.csv'),
    `date,asset,value\n${dates.flatMap((d, t) => ['A', 'B', 'C'].map((a, j) => `${d},${a},${Math.sin(t + j)}`)).join('\n')}\n`,
  );
  writeFileSync(
    f('signal2.csv'),
    `date,asset,value\n${dates.flatMap((d, t) => ['A', 'B', 'C'].map((a, j) => `${d},${a},${Math.cos(t * j)}`)).join('\n')}\n`,
  );
  writeFileSync(f('factors.csv'), `date,mkt_rf,rf\n${dates.map((d, t) => `${d},${Math.sin(t) / 100},0.0001`).join('\n')}\n`);
  mkdirSync(f('existing-dir.csv'));
  writeFileSync(f('afile'), 'not a directory');
});

/** Runs the CLI and checks: exit 2, the message names `path` and has a hint, and `dir` is unchanged. */
async function refused(args: string[], path: string, problem: RegExp): Promise<string> {
  const before = readdirSync(dir).sort();
  const r = await runBuilt(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(problem);
  expect(r.stderr).toContain('hint:');
  expect(r.stderr).not.toContain('fault in factorlab');
  expect(readdirSync(dir).sort()).toEqual(before); // nothing written, no temporary file
  return r.stderr;
}

describe('output paths: exit 2 before any work', () => {
  it('--out into a missing directory: "create it first"', async () => {
    const out = f('missing/sub/x.csv');
    const err = await refused(['inspect', f('prices.csv'), '--out', out], out, /does not exist/);
    expect(err).toContain('create it first');
  });

  it('--out onto an existing directory', async () => {
    await refused(['inspect', f('prices.csv'), '--out', f('existing-dir.csv')], f('existing-dir.csv'), /is a directory/);
  });

  it('--out under a file', async () => {
    await refused(['inspect', f('prices.csv'), '--out', f('afile/x.csv')], f('afile/x.csv'), /is not a directory/);
  });

  it('unknown extensions are refused by every command, listing the accepted ones', async () => {
    const xlsx = f('x.xlsx');
    const accepted = /\.csv, \.csv\.gz, \.parquet or \.json/;
    await refused(['inspect', f('prices.csv'), '--out', xlsx], xlsx, accepted);
    await refused(['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', xlsx], xlsx, accepted);
    await refused(
      ['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--residuals', f('r.txt')],
      f('r.txt'),
      accepted,
    );
    await refused(
      ['rolling', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--weights', 'equal', '--window', '10', '--out', xlsx],
      xlsx,
      accepted,
    );
    await refused(['combine', '--factor', f('signal.csv'), '--factor', f('signal2.csv'), '--out', xlsx], xlsx, accepted);
  });

  it('analyze --out writes JSON only: .csv is refused, not filled with JSON', async () => {
    const out = f('r.csv');
    const err = await refused(
      ['analyze', '--factor', f('signal.csv'), '--prices', f('prices.csv'), '--horizons', '1', '--out', out],
      out,
      /--out cannot write \.csv; it writes \.json/,
    );
    expect(err).toContain('hint:');
  });

  it('combine validates --weights-out before writing --out', async () => {
    const out = f('composite.csv'),
      weights = f('nowhere/weights.csv');
    await refused(
      ['combine', '--factor', f('signal.csv'), '--factor', f('signal2.csv'), '--out', out, '--weights-out', weights],
      weights,
      /does not exist/,
    );
  });

  it('two flags naming the same file', async () => {
    const out = f('same.csv');
    await refused(
      ['combine', '--factor', f('signal.csv'), '--factor', f('signal2.csv'), '--out', out, '--weights-out', join(dir, '.', 'same.csv')],
      out,
      /--out and --weights-out name the same file/,
    );
    await refused(
      ['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', f('fit.csv'), '--residuals', f('fit.csv')],
      f('fit.csv'),
      /name the same file/,
    );
  });

  it('an output naming one of the inputs is refused, whatever the spelling; an earlier output may be replaced', async () => {
    const { readFileSync } = await import('node:fs');
    const prices = readFileSync(f('prices.csv'), 'utf8');
    const signal = readFileSync(f('signal.csv'), 'utf8');
    const cases: [string[], string, RegExp][] = [
      [
        ['exposures', '--prices', f('prices.csv'), '--factors', f('factors.csv'), '--out', join(dir, '.', 'prices.csv')],
        'prices.csv',
        /--out .* is also an input/,
      ],
      [['inspect', f('prices.csv'), '--out', f('prices.csv')], 'prices.csv', /--out .* is also an input/],
      [
        ['combine', '--factor', f('signal.csv'), '--factor', f('signal2.csv'), `--out=${f('signal.csv')}`],
        'signal.csv',
        /--out .* is also an input/,
      ],
      [['zoo', '--prices', f('prices.csv'), f('signal.csv'), '--table', f('signal.csv')], 'signal.csv', /--table .* is also an input/],
      [
        ['analyze', '--prices', f('prices.csv'), '--factor', f('signal.csv'), '--report', f('prices.csv')],
        'prices.csv',
        /--report cannot write \.csv/,
      ],
    ];
    for (const [args, name, problem] of cases) await refused(args, name, problem);
    expect(readFileSync(f('prices.csv'), 'utf8')).toBe(prices);
    expect(readFileSync(f('signal.csv'), 'utf8')).toBe(signal);
    // an output from an earlier run is named once (as the output) and is replaced
    for (let k = 0; k < 2; k++) {
      const r = await runBuilt(['inspect', f('prices.csv'), '--out', f('again.csv')]);
      expect(r.code, r.stderr).toBe(0);
    }
    rmSync(f('again.csv'));
  });

  it('an output that is the file a symbolic-link input points to is refused; an output that is a link replaces the link only', async () => {
    const { readFileSync, symlinkSync, lstatSync } = await import('node:fs');
    const prices = readFileSync(f('prices.csv'), 'utf8');
    symlinkSync(f('prices.csv'), f('prices-link.csv'));
    // the input through a link, the output its target: writing would replace the data the link reads
    await refused(['inspect', f('prices-link.csv'), '--out', f('prices.csv')], 'prices.csv', /--out .* is also an input/);
    await refused(['inspect', `--out=${f('prices.csv')}`, f('prices-link.csv')], 'prices.csv', /--out .* is also an input/);
    expect(readFileSync(f('prices.csv'), 'utf8')).toBe(prices);
    // the output a link to the input: the rename replaces the link, not the file it pointed to
    const r = await runBuilt(['inspect', f('prices.csv'), '--out', f('prices-link.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(f('prices-link.csv')).isSymbolicLink()).toBe(false);
    expect(readFileSync(f('prices.csv'), 'utf8')).toBe(prices);
    rmSync(f('prices-link.csv'));
  });

  it('demo --out onto an existing file', async () => {
    await refused(['demo', '--out', f('afile'), '--assets', '10', '--days', '120'], f('afile'), /exists and is not a directory/);
  });

  it('a good path still works (the check refuses only what is wrong)', async () => {
    const r = await runBuilt(['inspect', f('prices.csv'), '--out', f('ok.parquet')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir)).toContain('ok.parquet');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

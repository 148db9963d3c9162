import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { checkOutput, checkOutputDirectory, checkOutputs, outputFormatOf, TABLE_FORMATS } from '../../../src/io/outputs.js';
import { tempDir } from './helpers.js';

const file = tempDir();
const dir = file('');
const table = { flag: '--out', formats: TABLE_FORMATS };

function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('outputFormatOf', () => {
  it('reads the format from the extension, any case; anything else is undefined', () => {
    expect(['a.csv', 'a.CSV.GZ', 'dir.x/a.parquet', 'a.pq', 'a.Json', 'a.gz', 'a.xlsx', 'csv', 'a.csv.bak'].map(outputFormatOf)).toEqual([
      'csv',
      'csv.gz',
      'parquet',
      'parquet',
      'json',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('checkOutput', () => {
  it('returns the format of a good path (new or existing file)', () => {
    expect(checkOutput(join(dir, 'new.csv.gz'), table)).toBe('csv.gz');
    writeFileSync(join(dir, 'old.json'), '{}');
    expect(checkOutput(join(dir, 'old.json'), { flag: '--out', formats: ['json'] })).toBe('json');
  });

  it('unknown extension: names the flag, the path and the accepted extensions', () => {
    const e = refusal(() => checkOutput(join(dir, 'x.xlsx'), table));
    expect(e.message).toContain('x.xlsx');
    expect(e.message).toContain('--out: unknown extension ".xlsx"; --out writes .csv, .csv.gz, .parquet or .json');
    expect(refusal(() => checkOutput(join(dir, 'noext'), table)).message).toContain('unknown extension (none)');
  });

  it('mismatched extension: a JSON-only flag refuses .csv', () => {
    const e = refusal(() => checkOutput(join(dir, 'r.csv'), { flag: '--out', formats: ['json'] }));
    expect(e.message).toContain('--out cannot write .csv; it writes .json');
    expect(e.hint).toContain('.json');
  });

  it('missing parent directory: "create it first"', () => {
    const target = join(dir, 'missing', 'deeper', 'r.csv');
    const e = refusal(() => checkOutput(target, table));
    expect(e.message).toContain(target);
    expect(e.message).toContain(`the directory ${join(dir, 'missing', 'deeper')} does not exist`);
    expect(e.hint).toContain('create it first');
  });

  it('the target is a directory', () => {
    mkdirSync(join(dir, 'adir.csv'));
    const e = refusal(() => checkOutput(join(dir, 'adir.csv'), table));
    expect(e.message).toMatch(/adir\.csv is a directory/);
  });

  it('a directory without an extension is reported as a directory, not as an unknown extension', () => {
    mkdirSync(join(dir, 'results'));
    const e = refusal(() => checkOutput(join(dir, 'results'), table));
    expect(e.message).toMatch(/results is a directory/);
    expect(e.hint).toContain(join(dir, 'results', 'result.csv'));
  });

  it('the parent is a file, not a directory', () => {
    writeFileSync(join(dir, 'plainfile'), 'x');
    const e = refusal(() => checkOutput(join(dir, 'plainfile', 'r.csv'), table));
    expect(e.message).toContain('is not a directory');
  });

  it.skipIf(process.getuid?.() === 0)('the parent cannot be written in (not as root: root may write anywhere)', () => {
    const ro = join(dir, 'readonly');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    try {
      expect(refusal(() => checkOutput(join(ro, 'r.csv'), table)).message).toContain('permission denied');
    } finally {
      chmodSync(ro, 0o700);
    }
  });

  it('an empty path', () => {
    expect(refusal(() => checkOutput('', table)).message).toContain('--out needs a file name');
  });

  it('touches nothing on disk', () => {
    const before = readdirSync(dir).sort();
    for (const p of ['a.csv', 'b.xlsx', join('nope', 'c.csv')]) {
      try {
        checkOutput(join(dir, p), table);
      } catch {
        /* refusals are tested above */
      }
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('checkOutputs', () => {
  it('skips unused flags and returns the formats in order', () => {
    expect(
      checkOutputs([
        { path: join(dir, 'a.csv'), flag: '--out', formats: TABLE_FORMATS },
        { path: undefined, flag: '--weights-out', formats: TABLE_FORMATS },
        { path: join(dir, 'w.parquet'), flag: '--residuals', formats: TABLE_FORMATS },
      ]),
    ).toEqual(['csv', undefined, 'parquet']);
  });

  it('two flags naming the same file (also through a symlinked directory) are refused', () => {
    const e = refusal(() =>
      checkOutputs([
        { path: join(dir, 'same.csv'), flag: '--out', formats: TABLE_FORMATS },
        { path: join(dir, '.', 'same.csv'), flag: '--weights-out', formats: TABLE_FORMATS },
      ]),
    );
    expect(e.message).toContain('--out and --weights-out name the same file');
    symlinkSync(dir, join(dir, 'link'));
    expect(() =>
      checkOutputs([
        { path: join(dir, 'same.csv'), flag: '--out', formats: TABLE_FORMATS },
        { path: join(dir, 'link', 'same.csv'), flag: '--residuals', formats: TABLE_FORMATS },
      ]),
    ).toThrow('--out and --residuals name the same file');
  });

  it('the first bad output is reported before any duplicate check', () => {
    expect(() =>
      checkOutputs([
        { path: join(dir, 'ok.csv'), flag: '--out', formats: TABLE_FORMATS },
        { path: join(dir, 'bad.txt'), flag: '--weights-out', formats: TABLE_FORMATS },
      ]),
    ).toThrow('--weights-out: unknown extension ".txt"');
  });
});

describe('checkOutputDirectory', () => {
  it('an existing directory or a new one under a writable directory is fine', () => {
    expect(() => checkOutputDirectory(dir, '--out')).not.toThrow();
    expect(() => checkOutputDirectory(join(dir, 'new', 'nested'), '--out')).not.toThrow();
  });

  it('an existing file is refused', () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const e = refusal(() => checkOutputDirectory(join(dir, 'afile'), '--out'));
    expect(e.message).toContain('afile exists and is not a directory');
  });

  it('a path under a file is refused', () => {
    writeFileSync(join(dir, 'afile2'), 'x');
    expect(() => checkOutputDirectory(join(dir, 'afile2', 'sub'), '--out')).toThrow('is not a directory');
  });

  it('a file to be written that is an existing directory is refused', () => {
    mkdirSync(join(dir, 'demo', 'prices.csv'), { recursive: true });
    const e = refusal(() => checkOutputDirectory(join(dir, 'demo'), '--out', ['prices.csv', 'factors.csv']));
    expect(e.message).toContain('prices.csv is a directory');
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandFactorArgs, globRegExp } from './specs.js';
import { tempDir } from '../../test/tempDir.js';

const dir = tempDir('factorlab-specs-');
const f = (n: string): string => join(dir, n);
mkdirSync(f('factors'));
for (const n of ['b.csv', 'a.csv', 'c.parquet', 'notes.txt', '.hidden.csv', 'd.csv.gz'])
  writeFileSync(f(`factors/${n}`), 'date,asset,value\n');
writeFileSync(f('multi.csv'), 'date,asset,value_a,mom,label\n2024-01-02,A,1.5,2,x\n2024-01-03,B,2.5,3,y\n');

describe('expandFactorArgs', () => {
  it('a folder gives its table files in name order, hidden and other files left out', async () => {
    const specs = await expandFactorArgs([f('factors')]);
    expect(specs.map((s) => s.name)).toEqual(['a.csv', 'b.csv', 'c.parquet', 'd.csv.gz'].map((n) => f(`factors/${n}`)));
    expect(specs.every((s) => s.factor === s.name && s.factorCol === undefined)).toBe(true);
  });

  it('a glob matches file names in its directory; none is an error naming the pattern', async () => {
    expect((await expandFactorArgs([f('factors/*.csv')])).map((s) => s.name)).toEqual([f('factors/a.csv'), f('factors/b.csv')]);
    expect((await expandFactorArgs([f('factors/?.csv*')])).map((s) => s.name)).toEqual([
      f('factors/a.csv'),
      f('factors/b.csv'),
      f('factors/d.csv.gz'),
    ]);
    await expect(expandFactorArgs([f('factors/*.xlsx')])).rejects.toThrow(/no file matches \*\.xlsx/);
  });

  it('momentum specs, FILE#cols and FILE#* (numeric columns besides date and asset), duplicates once', async () => {
    const specs = await expandFactorArgs(['momentum', 'momentum:60,5', `${f('multi.csv')}#mom`, `${f('multi.csv')}#*`, 'momentum']);
    expect(specs).toEqual([
      { name: 'momentum', factor: 'momentum', momentum: true },
      { name: 'momentum:60,5', factor: 'momentum:60,5', momentum: true },
      { name: `${f('multi.csv')}#mom`, factor: f('multi.csv'), factorCol: 'mom' },
      { name: `${f('multi.csv')}#value_a`, factor: f('multi.csv'), factorCol: 'value_a' },
    ]);
  });

  it('the same factor under another name runs once, under the first name: ./f.csv, a folder and a glob over it, momentum:252,21', async () => {
    const specs = await expandFactorArgs(
      [f('factors/a.csv'), `${dir}/./factors/a.csv`, f('factors'), f('factors/*.csv'), 'momentum', 'momentum:252,21', 'momentum:252,20'],
      {},
    );
    expect(specs.map((s) => s.name)).toEqual([
      f('factors/a.csv'),
      f('factors/b.csv'),
      f('factors/c.parquet'),
      f('factors/d.csv.gz'),
      'momentum',
      'momentum:252,20',
    ]);
    // a column of a file is another factor than the file
    const cols = await expandFactorArgs([`${f('multi.csv')}#mom`, `${dir}/./multi.csv#mom`, f('multi.csv')]);
    expect(cols.map((s) => s.name)).toEqual([`${f('multi.csv')}#mom`, f('multi.csv')]);
  });

  it("FILE#* of a pandas export with its index (Kaggle's fundamentals): the row numbers are not a factor, the period end is the date", async () => {
    writeFileSync(
      f('fund.csv'),
      ',Ticker Symbol,Period Ending,Net Income,For Year\n0,AAL,2012-12-31,-1876.0,2012\n1,AAP,2012-12-29,388.0,2012\n',
    );
    expect((await expandFactorArgs([`${f('fund.csv')}#*`])).map((s) => s.factorCol)).toEqual(['Net Income', 'For Year']);
  });

  it('FILE#* counts a column of numbers with a cell DuckDB cannot read (NA, #DIV/0!): typed as text, still a factor; a label column is not', async () => {
    writeFileSync(
      f('na.csv'),
      'date,asset,score,label\n2024-01-02,A,1.5,x\n2024-01-03,A,NA,y\n2024-01-04,A,#DIV/0!,z\n2024-01-05,A,2.5,w\n',
    );
    expect((await expandFactorArgs([`${f('na.csv')}#*`])).map((s) => s.factorCol)).toEqual(['score']);
  });

  it('a missing file is kept (it becomes a failed row), an empty folder is an error', async () => {
    expect(await expandFactorArgs([f('missing.csv')])).toEqual([{ name: f('missing.csv'), factor: f('missing.csv') }]);
    mkdirSync(f('empty'));
    await expect(expandFactorArgs([f('empty')])).rejects.toThrow(/no table file/);
  });
});

describe('globRegExp', () => {
  it('* and ? are wildcards, every other character literal', () => {
    expect(globRegExp('a*.csv').test('abc.csv')).toBe(true);
    expect(globRegExp('a*.csv').test('abc_csv')).toBe(false);
    expect(globRegExp('f?.csv').test('f1.csv')).toBe(true);
    expect(globRegExp('f?.csv').test('f12.csv')).toBe(false);
    expect(globRegExp('x(1)+[2].csv').test('x(1)+[2].csv')).toBe(true);
  });

  it('property: a pattern without wildcards matches exactly itself', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }).filter((s) => !/[*?]/.test(s)),
        fc.string({ maxLength: 12 }),
        (p, other) => {
          expect(globRegExp(p).test(p)).toBe(true);
          expect(globRegExp(p).test(other)).toBe(other === p);
        },
      ),
    );
  });
});

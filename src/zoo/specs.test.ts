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
    const notes: string[] = [];
    expect((await expandFactorArgs([`${f('fund.csv')}#*`], {}, (n) => notes.push(n))).map((s) => s.factorCol)).toEqual(['Net Income']);
    expect(notes).toEqual([
      `${f('fund.csv')}#*: left out "For Year" (100% of its values are whole numbers within a year of the row's date: a year label): numbers, but a label, not a factor; to test it anyway, name it: '${f('fund.csv')}#For Year'`,
    ]);
    // named, it is tested
    expect((await expandFactorArgs([`${f('fund.csv')}#For Year`])).map((s) => s.factorCol)).toEqual(['For Year']);
  });

  it('FILE#* leaves out labels by what they hold, whatever their name: fiscal years, row numbers, identifiers; real factors stay', async () => {
    const rows = [
      // date, asset, fy (fiscal year: the year of the period end, or the one before for a January end), n (row number), gvkey, score (1..3), near (values near the year, not whole), year_ret (fractions named ...year)
      ['2012-12-31', 'A', 2012, 0, 1004, 1, 2012.4, 0.1],
      ['2013-01-31', 'B', 2012, 1, 1045, 2, 2013.2, -0.2],
      ['2013-12-31', 'A', 2013, 2, 1004, 3, 2011.9, 0.05],
      ['2014-02-01', 'B', 2013, 3, 1045, 1, 2014.7, 0.3],
      ['2014-12-31', 'A', 2014, 4, 1004, 2, 2016.1, -0.1],
      ['2015-01-30', 'B', 2014, 5, 1045, 3, 2015.5, 0.2],
    ];
    writeFileSync(f('labels.csv'), `date,asset,fy,n,gvkey,score,near,year_ret\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const notes: string[] = [];
    const specs = await expandFactorArgs([`${f('labels.csv')}#*`], {}, (n) => notes.push(n));
    expect(specs.map((s) => s.factorCol)).toEqual(['score', 'near', 'year_ret']);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('left out 3 columns of numbers that are labels, not factors:');
    expect(notes[0]).toContain(`"fy" (100% of its values are whole numbers within a year of the row's date: a year label)`);
    expect(notes[0]).toContain('"n" (whole numbers counting 0..5, each once: a row number)');
    expect(notes[0]).toContain('"gvkey" (whole numbers named "gvkey": an identifier or label)');
    expect(notes[0]).toMatch(/to test one anyway, name it: .*labels\.csv#fy$/);
    // every numeric column a label: the error names them
    writeFileSync(f('only-labels.csv'), `date,asset,fy\n${rows.map((r) => r.slice(0, 3).join(',')).join('\n')}\n`);
    await expect(expandFactorArgs([`${f('only-labels.csv')}#*`])).rejects.toThrow(
      /#\*: no factor column besides the date and asset columns and the label columns "fy"/,
    );
  });

  it('FILE#* with --timezone: the year of a UTC time is the year of its date in the zone', async () => {
    // 2013-01-01T03:00Z is 2012-12-31 in New York: the fiscal year 2012 label
    writeFileSync(
      f('utc.csv'),
      'date,asset,fy,v\n2013-01-01T03:00:00Z,A,2012,0.5\n2013-01-01T03:00:00Z,B,2012,0.1\n2014-01-01T03:00:00Z,A,2013,0.2\n',
    );
    expect((await expandFactorArgs([`${f('utc.csv')}#*`], { timezone: 'America/New_York' })).map((s) => s.factorCol)).toEqual(['v']);
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

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { formatIsoDate } from '../../../src/core/dates.js';
import { readGroups } from '../../../src/io/groups.js';
import { readPanel } from '../../../src/io/readPanel.js';
import { parseDateText } from '../../../src/io/source.js';
import { tempDir } from '../../tempDir.js';

const dir = tempDir('factorlab-groups-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readGroups', () => {
  it('reads a headerless asset,group file, keeping codes like 600010 as text, and maps ids to names', async () => {
    const g = await readGroups(file('idx.csv', '600010,5\n000001,0\n600028,5\n'), { namesFile: file('names.csv', '0,银行\n5,钢铁\n') });
    expect(g.groups).toEqual(
      new Map([
        ['600010', '钢铁'],
        ['000001', '银行'],
        ['600028', '钢铁'],
      ]),
    );
    expect(g.names).toEqual(['钢铁', '银行'].sort());
    expect([g.assetCol, g.groupCol, g.rows]).toEqual(['column0', 'column1', 3]);
  });

  it('finds the asset and group columns of a headed file by name, or takes them from options', async () => {
    const text = '"Ticker symbol","Security","GICS Sector"\n"MMM","3M, Co","Industrials"\n"ABT","Abbott","Health Care"\n';
    const a = await readGroups(file('gics.csv', text), { assetCol: 'Ticker symbol', groupCol: 'GICS Sector' });
    expect(a.groups).toEqual(
      new Map([
        ['MMM', 'Industrials'],
        ['ABT', 'Health Care'],
      ]),
    );
    const b = await readGroups(file('plain.csv', 'Symbol,Security,GICS Sector\nMMM,3M,Industrials\n'));
    expect([b.assetCol, b.groupCol]).toEqual(['Symbol', 'GICS Sector']);
  });

  it('a date column makes membership time-varying rows; an empty label ends membership', async () => {
    const g = await readGroups(file('tv.csv', 'date,asset,sector\n2020-01-01,A,Tech\n2021-01-01,A,\n2020-01-01,B,Energy\n'));
    expect(g.dateCol).toBe('date');
    expect(g.groups).toEqual([
      { date: '2020-01-01', asset: 'A', group: 'Tech' },
      { date: '2021-01-01', asset: 'A', group: null },
      { date: '2020-01-01', asset: 'B', group: 'Energy' },
    ]);
    // the dates a panel takes: yyyymmdd and yyyy/mm/dd read as the same ISO dates
    const compact = await readGroups(file('tv2.csv', 'date,asset,sector\n20200101,A,Tech\n2021/01/01,A,\n20200101,B,Energy\n'));
    expect(compact.groups).toEqual(g.groups);
  });

  it('dated groups take the dates a panel takes (2020-1-1 was refused) and refuse what it refuses (a UTC time not at midnight was read as its date)', async () => {
    const g = await readGroups(
      file('tv3.csv', 'date,asset,sector\n2020-1-1,A,Tech\n2021-01-01T16:00:00-05:00,A,\n2020-01-01T00:00:00Z,B,Energy\n'),
    );
    expect(g.groups).toEqual([
      { date: '2020-01-01', asset: 'A', group: 'Tech' },
      { date: '2021-01-01', asset: 'A', group: null },
      { date: '2020-01-01', asset: 'B', group: 'Energy' },
    ]);
    const utc = readGroups(file('utc.csv', 'date,asset,sector\n2020-01-01,A,Tech\n2020-01-01T21:00:00Z,B,Energy\n'));
    await expect(utc).rejects.toThrow(/utc\.csv:3, column "date": not a date .*a time in UTC that is not midnight/s);
    await expect(readGroups(file('yy.csv', 'date,asset,sector\n20-01-01,A,Tech\n'))).rejects.toThrow(/not a date/);
  });

  it('parseDateText agrees with the panel reader (DuckDB path) on every shape it reads or refuses', async () => {
    const shapes = [
      '2020-01-02',
      '2020-1-2',
      '2020/1/2',
      '20200102',
      '2020-01-02 16:00',
      '2020-01-02T22:00:00-05:00',
      '2020-01-02T00:00:00Z',
      '2020-01-02T21:00:00Z',
      '20-01-02',
      '01/02/2020',
      '2020-01-02 EST',
      '2020-02-30',
    ];
    for (const s of shapes) {
      const f = file('shape.csv', `date,A\n${s},1\n`);
      const panel = await readPanel(f, { engine: 'duckdb' }).then(
        (r) => r.panel.isoDates()[0],
        () => 'refused',
      );
      const d = parseDateText(s);
      expect(Number.isNaN(d) ? 'refused' : formatIsoDate(d), s).toBe(panel);
    }
  });

  it('bad input: one precise InputError each', async () => {
    await expect(readGroups(join(dir, 'nope.csv'))).rejects.toThrow(/file not found/);
    await expect(readGroups(file('empty.csv', ''))).rejects.toThrow(/empty/);
    await expect(readGroups(file('two.csv', 'asset,group\nA,X\nA,Y\n'))).rejects.toThrow(/groups.*two\.csv:3|two\.csv:3.*two groups/s);
    await expect(readGroups(file('cols.csv', 'foo,bar\nA,X\n'))).rejects.toThrow(
      /cannot tell which column holds the asset; the columns are: foo, bar/,
    );
    await expect(readGroups(file('col2.csv', 'asset,group\nA,X\n'), { groupCol: 'sector' })).rejects.toThrow(/no group column "sector"/);
    await expect(readGroups(file('ids.csv', '1,7\n'), { namesFile: file('n.csv', '0,a\n') })).rejects.toThrow(
      /group id "7" is not in the names file/,
    );
    await expect(readGroups(file('bad-date.csv', 'date,asset,group\n2020-13-01,A,X\n'))).rejects.toBeInstanceOf(InputError);
  });
});

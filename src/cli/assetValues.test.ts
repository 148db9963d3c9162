import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAssetValues } from './assetValues.js';
import { readMembership } from './membership.js';

const dir = mkdtempSync(join(tmpdir(), 'factorlab-assetvalues-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readAssetValues: quoted cells and the header delimiter', () => {
  it('an asset name with a comma, quoted, is one cell; quoted numbers are numbers', async () => {
    const v = await readAssetValues(file('q.csv', 'asset,weight\n"Berkshire, Inc.",0.25\nAAPL,"0.75"\n'), 'weights');
    expect([...v.values]).toEqual([
      ['Berkshire, Inc.', 0.25],
      ['AAPL', 0.75],
    ]);
  });
  it('semicolon or tab files, a BOM and CRLF line ends read the same', async () => {
    const want = [
      ['A', 0.5],
      ['B', 0.5],
    ];
    for (const [name, text] of [
      ['semi.csv', 'asset;weight\nA;0.5\nB;0.5\n'],
      ['tab.tsv', 'asset\tweight\nA\t0.5\nB\t0.5\n'],
      ['bom.csv', '\uFEFFasset,weight\r\nA,0.5\r\nB,0.5\r\n'],
    ])
      expect([...(await readAssetValues(file(name, text), 'weights')).values]).toEqual(want);
  });
});

describe('readAssetValues: a file without a header, and number text', () => {
  it('a first row whose value is a number is data, not a header (it was dropped)', async () => {
    const v = await readAssetValues(file('nohdr.csv', 'A001,0.2\nA002,0.3\n'), 'weights');
    expect([...v.values]).toEqual([
      ['A001', 0.2],
      ['A002', 0.3],
    ]);
  });
  it('an asset given twice is refused even when one of its rows is blank (the blank hid the second row)', async () => {
    for (const [name, text, line] of [
      ['dup-blank-second.csv', 'asset,weight\nA,0.5\nA,\nB,0.5\n', 3],
      ['dup-blank-first.csv', 'asset,weight\nA,NaN\nB,0.5\nA,0.5\n', 4],
    ] as const) {
      const p = file(name, text);
      const err = await readAssetValues(p, 'weights').catch((e: unknown) => e);
      expect(String(err)).toContain(`${p}:${line}, asset A: asset A appears twice (lines 2 and ${line})`);
    }
  });
  it('hex, binary or octal literals are not numbers here', async () => {
    for (const x of ['0x1', '0b1', '0o7', 'Infinity'])
      await expect(readAssetValues(file(`bad-${x}.csv`, `asset,weight\nA,${x}\n`), 'weights')).rejects.toThrow(/not a finite number/);
    const ok = await readAssetValues(file('exp.csv', 'asset,weight\nA,1e-2\nB,-.5\nC,+3.\n'), 'weights');
    expect([...ok.values.values()]).toEqual([0.01, -0.5, 3]);
  });
  it("an empty cell, NaN and pandas' missing spellings (NA, #N/A, NULL) are no value; other text names the cause", async () => {
    const v = await readAssetValues(file('na.csv', 'asset,weight\nA,0.5\nB,NA\nC,#N/A\nD,\nE,NaN\nF,NULL\nNA,0.5\n'), 'weights');
    expect([...v.values]).toEqual([
      ['A', 0.5],
      ['NA', 0.5],
    ]);
    await expect(readAssetValues(file('dash.csv', 'asset,weight\nA,0.5\nB,-\n'), 'weights')).rejects.toThrow(
      /"-" is not read as missing here/,
    );
  });
});

describe('readMembership: quoted cells and the header delimiter', () => {
  it('reads quoted tickers and semicolon files as the plain file', () => {
    const plain = readMembership(file('m.csv', 'ticker,start,end\nBRK.B,2010-01-04,\nXOM,2005-01-03,2016-06-30\n'));
    expect(readMembership(file('mq.csv', 'ticker,start,end\n"BRK.B","2010-01-04",""\n"XOM",2005-01-03,2016-06-30\n'))).toEqual(plain);
    expect(readMembership(file('ms.csv', 'ticker;start;end\nBRK.B;2010-01-04;\nXOM;2005-01-03;2016-06-30\n'))).toEqual(plain);
    expect(plain).toHaveLength(2);
    // the dates a panel takes: yyyy/mm/dd and yyyymmdd too
    expect(readMembership(file('md.csv', 'ticker,start,end\nBRK.B,2010/01/04,\nXOM,20050103,2016-06-30\n'))).toEqual(plain);
    expect(() => readMembership(file('mbad.csv', 'ticker,start,end\nA,2010-02-30,\n'))).toThrow(/the start date is not a date/);
  });
});

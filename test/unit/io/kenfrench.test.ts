import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIsoDate } from '../../../src/core/dates.js';
import { isKenFrenchFile, parseKenFrench, readKenFrench, snakeName } from '../../../src/io/kenfrench.js';
import { firstCsvInZip, zipEntries } from '../../../src/io/zip.js';
import { inputError, tempDir } from './helpers.js';
import { crc32, makeZip } from './zipWriter.js';

const file = tempDir();

const DAILY = [
  'This file was created by CMPT_ME_BEME_RETS_DAILY using the 202412 CRSP database.',
  'The Tbill return is the simple daily rate.',
  '',
  ',Mkt-RF,SMB,HML,RF',
  '19260701,    0.10,   -0.25,   -0.27,   0.009',
  '19260702,    0.45,   -0.33,   -0.06,   0.009',
  '19260706,    0.17,    0.30,   -0.39,   0.009',
  '',
  'Copyright 2024 Eugene F. Fama and Kenneth R. French',
  '',
].join('\n');

const MONTHLY = [
  'This file was created by CMPT_ME_BEME_RETS using the 202408 CRSP database.\r',
  '\r',
  ',Mkt-RF,SMB,HML,RF\r',
  '192607,    2.96,   -2.56,   -2.43,    0.22\r',
  '192608,    2.64,   -1.17,    3.82,    0.25\r',
  '192902,  -99.99,   -1.17,    3.82,    0.25\r',
  '\r',
  ' Annual Factors: January-December \r',
  ',Mkt-RF,SMB,HML,RF\r',
  '  1927,   29.47,   -2.04,   -4.54,    3.12\r',
  '  1928,   35.39,    4.51,   -6.17,    3.56\r',
  '\r',
  'Copyright 2024 Eugene F. Fama and Kenneth R. French\r',
].join('\n');

const MOM = [
  'This file was created by CMPT_ME_PRIOR_RETS_DAILY using the 202412 CRSP database.  It,,',
  'contains a momentum factor.,,',
  ',,',
  'Missing data are indicated by -99.99 or -999.,,',
  ',,',
  ',Mom   ,',
  '19261103,0.56,',
  '19261104,-0.5,',
  '19261105,-999,',
  ',,',
  'Copyright 2024 Eugene F. Fama and Kenneth R. French,,',
].join('\n');

describe('parseKenFrench', () => {
  it('daily: skips the text header, percent -> decimal, snake_case names, stops at the footer', () => {
    const r = parseKenFrench(DAILY, 'd.CSV');
    expect(r.frequency).toBe('daily');
    expect(r.frame.columns).toEqual(['mkt_rf', 'smb', 'hml', 'rf']);
    expect(r.frame.isoDates()).toEqual(['1926-07-01', '1926-07-02', '1926-07-06']);
    expect(Array.from(r.frame.get('mkt_rf'))).toEqual([0.001, 0.0045, 0.0017]);
    expect(r.frame.get('rf')[0]).toBeCloseTo(0.00009, 15);
    expect(r.title).toBe(
      'This file was created by CMPT_ME_BEME_RETS_DAILY using the 202412 CRSP database. The Tbill return is the simple daily rate.',
    );
    expect(r.annual).toBeUndefined();
  });

  it('percent: false reads the values as written (a file in the layout already in decimal)', () => {
    const r = parseKenFrench(DAILY, 'd.CSV', { percent: false });
    expect(Array.from(r.frame.get('mkt_rf'))).toEqual([0.1, 0.45, 0.17]);
    expect(r.frame.isoDates()).toEqual(parseKenFrench(DAILY, 'd.CSV').frame.isoDates());
  });

  it('monthly: month-end dates, -99.99 is missing, CRLF, annual block dated December 31', () => {
    const r = parseKenFrench(MONTHLY, 'm.CSV');
    expect(r.frequency).toBe('monthly');
    expect(r.frame.isoDates()).toEqual(['1926-07-31', '1926-08-31', '1929-02-28']);
    expect(r.frame.get('mkt_rf')[2]).toBeNaN();
    expect(r.frame.get('smb')[2]).toBeCloseTo(-0.0117, 15);
    expect(r.annual?.isoDates()).toEqual(['1927-12-31', '1928-12-31']);
    expect(Array.from(r.annual!.get('hml'))).toEqual([-0.0454, -0.0617]);
  });

  it('momentum re-saved by a spreadsheet: trailing commas, padded name, -999 missing', () => {
    const r = parseKenFrench(MOM, 'mom.CSV');
    expect(r.frame.columns).toEqual(['mom']);
    expect(Array.from(r.frame.get('mom'))).toEqual([0.0056, -0.005, NaN]);
    expect(r.title).toContain('momentum factor.');
    expect(r.title).toContain('Missing data are indicated by -99.99 or -999.');
  });

  it('bad rows give one located InputError', async () => {
    const bad = DAILY.replace('19260702,    0.45', '19260702,    x.45');
    const e = await inputError(async () => parseKenFrench(bad, 'bad.CSV'));
    expect(e.location).toMatchObject({ file: 'bad.CSV', line: 6, column: 'Mkt-RF', value: 'x.45' });
    const d = await inputError(async () => parseKenFrench(DAILY.replace('19260702', '19260231'), 'bad.CSV'));
    expect(d.location).toMatchObject({ line: 6, value: '19260231' });
    expect((await inputError(async () => parseKenFrench('hello\nworld\n', 'x.CSV'))).message).toContain('no YYYYMMDD');
  });

  it('a blank line inside the data (an edit, two downloads joined) does not end it: the rows after it are read, not dropped', () => {
    const gap = DAILY.replace('19260702,', '\n , , \n19260702,');
    expect(parseKenFrench(gap, 'gap.CSV').frame.isoDates()).toEqual(['1926-07-01', '1926-07-02', '1926-07-06']);
    const monthly = parseKenFrench(MONTHLY.replace('192608,', '\r\n192608,'), 'gap.CSV');
    expect(monthly.frame.isoDates()).toEqual(['1926-07-31', '1926-08-31', '1929-02-28']);
    expect(monthly.annual?.isoDates()).toEqual(['1927-12-31', '1928-12-31']);
  });

  it('a row whose date has the wrong number of digits, or more values than the header, is an error, not the end of the data', async () => {
    const short = await inputError(async () => parseKenFrench(DAILY.replace('19260702,', '1926072,'), 'bad.CSV'));
    expect(short.location).toMatchObject({ file: 'bad.CSV', line: 6, column: 'date', value: '1926072' });
    expect(short.hint).toContain('YYYYMMDD');
    const month = await inputError(async () => parseKenFrench(MONTHLY.replace('192608,', '1926,'), 'bad.CSV'));
    expect(month.location).toMatchObject({ line: 5, value: '1926' });
    const wide = await inputError(async () =>
      parseKenFrench(DAILY.replace('0.45,   -0.33,   -0.06,   0.009', '0.45, -0.33, -0.06, 0.009, 7'), 'w.CSV'),
    );
    expect(wide.location).toMatchObject({ line: 6, value: '7' });
    expect(wide.problem).toContain('the header names 4 columns');
  });

  it('a file of several blocks (the portfolio files: value-weighted, then equal-weighted) reads the first', () => {
    const blocks = [
      'This file was created by CMPT_ME_BEME_RETS using the 202412 CRSP database.',
      '  Average Value Weighted Returns -- Monthly',
      ',SMALL LoBM,SMALL HiBM',
      '192607,    1.20,   -0.50',
      '192608,    2.10,    0.30',
      '',
      '  Average Equal Weighted Returns -- Monthly',
      ',SMALL LoBM,SMALL HiBM',
      '192607,    9.20,   -9.50',
      '192608,    9.10,    9.30',
      '',
    ].join('\n');
    const r = parseKenFrench(blocks, 'p.CSV');
    expect(r.frame.isoDates()).toEqual(['1926-07-31', '1926-08-31']);
    expect(Array.from(r.frame.get('small_lobm'))).toEqual([0.012, 0.021]);
  });

  it('snake names', () => {
    expect(['Mkt-RF', 'SMB', 'Mom   ', 'RF', 'Lo 30', 'ME1 BM2'].map(snakeName)).toEqual([
      'mkt_rf',
      'smb',
      'mom',
      'rf',
      'lo_30',
      'me1_bm2',
    ]);
  });

  it('property: a generated daily file parses back to its values / 100', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (rows) => {
          let day = -10000;
          const lines = ['title line', '', ',Mkt-RF,SMB'];
          const days: number[] = [];
          for (const [g, a, b] of rows) {
            day += g;
            days.push(day);
            lines.push(`${formatIsoDate(day).replace(/-/g, '')},${(a / 100).toFixed(2)},${(b / 100).toFixed(2)}`);
          }
          lines.push('', 'Copyright');
          const r = parseKenFrench(lines.join('\n'), 'p.CSV');
          expect(Array.from(r.frame.dates)).toEqual(days);
          rows.forEach(([, a, b], t) => {
            expect(r.frame.get('mkt_rf')[t]).toBeCloseTo(a / 10000, 12);
            expect(r.frame.get('smb')[t]).toBeCloseTo(b / 10000, 12);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('readKenFrench and zip files', () => {
  it('crc32 of "123456789" is the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('reads the .CSV and a .zip of it (deflated) identically; the first CSV member wins', async () => {
    const csv = file('F-F_Research_Data_Factors.CSV', MONTHLY);
    const zip = file(
      'F-F_Research_Data_Factors_CSV.zip',
      makeZip([
        { name: 'readme.txt', data: 'not this', store: true },
        { name: 'F-F_Research_Data_Factors.CSV', data: MONTHLY },
        { name: 'other.csv', data: DAILY },
      ]),
    );
    const a = await readKenFrench(csv),
      b = await readKenFrench(zip);
    expect(b.frame.toJSON()).toEqual(a.frame.toJSON());
    expect(b.annual!.toJSON()).toEqual(a.annual!.toJSON());
    expect(b.title).toBe(a.title);
  });

  it('zip entries and stored members', () => {
    const z = makeZip([{ name: 'a.csv', data: 'x,y\n', store: true }]);
    expect(zipEntries(z).map((e) => [e.name, e.method, e.size])).toEqual([['a.csv', 0, 4]]);
    expect(firstCsvInZip(z).text).toBe('x,y\n');
  });

  it('isKenFrenchFile sniffs CSVs and zips, rejects other tables and missing files', async () => {
    expect(await isKenFrenchFile(file('kf.CSV', DAILY))).toBe(true);
    expect(await isKenFrenchFile(file('mom.CSV', MOM))).toBe(true);
    expect(await isKenFrenchFile(file('kf.zip', makeZip([{ name: 'x.CSV', data: DAILY }])))).toBe(true);
    // gzipped, as a user stores it: sniffed from its first bytes, read whole
    const { gzipSync } = await import('node:zlib');
    const gz = file('kf.csv.gz', gzipSync(Buffer.from(DAILY)));
    expect(await isKenFrenchFile(gz)).toBe(true);
    expect((await readKenFrench(gz)).frame.get('mkt_rf')).toEqual(parseKenFrench(DAILY, 'd.CSV').frame.get('mkt_rf'));
    expect(await isKenFrenchFile(file('prices.csv', 'date,A\n2024-01-01,1\n'))).toBe(false);
    expect(await isKenFrenchFile(file('compact.csv', 'date,A\n20240101,1\n'))).toBe(false);
    // a wide panel with compact dates and the ticker MOM is not the momentum factor
    expect(await isKenFrenchFile(file('mom_ticker.csv', 'date,MOM,AAPL\n20180102,10,20\n20180103,11,21\n'))).toBe(false);
    expect(await isKenFrenchFile(file('handmade.csv', 'Date,Mkt-RF,SMB,RF\n20180102,0.5,0.1,0.01\n'))).toBe(true);
    expect(await isKenFrenchFile(file('missing.csv'))).toBe(false);
  });
});

describe('percentToDecimal', () => {
  it('moves the decimal point in the text (nearest double), falls back to / 100', async () => {
    const { percentToDecimal } = await import('../../../src/io/kenfrench.js');
    const cases: [string, number][] = [
      ['0.56', 0.0056],
      ['-1.5', -0.015],
      ['12', 0.12],
      ['123.456', 1.23456],
      ['-0.009', -0.00009],
      ['.5', 0.005],
      ['1e2', 1],
    ];
    for (const [s, want] of cases) expect(percentToDecimal(s, Number(s))).toBe(want);
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 7), max: 10 ** 7 }), fc.integer({ min: 0, max: 4 }), (k, d) => {
        const s = (k / 10 ** d).toFixed(d);
        expect(percentToDecimal(s, Number(s))).toBe(Number(`${k}e-${d + 2}`));
      }),
    );
  });
});

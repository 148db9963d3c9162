import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../../src/core/dates.js';
import { Panel } from '../../../src/core/panel.js';
import { readPanel } from '../../../src/io/readPanel.js';
import { writeTable } from '../../../src/io/write.js';
import { inputError, tempDir } from './helpers.js';

const file = tempDir();

describe('readPanel: long tables', () => {
  it('places every value at its (date, asset); assets sorted, dates ascending, gaps NaN', async () => {
    const f = file(
      'long.csv',
      'date,ticker,open,close\n2024-01-03,BBB,1,20.5\n2024-01-02,AAA,1,10\n2024-01-03,AAA,1,11\n2024-01-04,BBB,1,21\n',
    );
    const r = await readPanel(f);
    expect(r.layout).toBe('long');
    expect(r.assetCol).toBe('ticker');
    expect(r.valueCol).toBe('close');
    expect(r.dateCol).toBe('date');
    expect(r.rows).toBe(4);
    expect(r.format).toBe('csv');
    expect(r.columns).toEqual(['date', 'ticker', 'open', 'close']);
    expect(r.panel.assets).toEqual(['AAA', 'BBB']);
    expect(r.panel.isoDates()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(Array.from(r.panel.values)).toEqual([10, NaN, 11, 20.5, NaN, 21]);
  });

  it('chooses the single remaining numeric column when no value name matches', async () => {
    const f = file('bytype.csv', 'Date,Symbol,sector,score\n2024-01-02,X,tech,1.5\n2024-01-02,Y,energy,-2\n');
    const r = await readPanel(f);
    expect(r.valueCol).toBe('score');
    expect(r.assetCol).toBe('Symbol');
    expect(Array.from(r.panel.values)).toEqual([1.5, -2]);
  });

  it('reads factor_value, a gzip file and blank values as NaN', async () => {
    const f = file('f.csv.gz', 'date,asset,factor_value\n2021-01-04,600036,9.5\n2021-01-04,600010,\n', true);
    const r = await readPanel(f);
    expect(r.format).toBe('csv.gz');
    expect(r.valueCol).toBe('factor_value');
    expect(r.panel.assets).toEqual(['600010', '600036']);
    expect(Array.from(r.panel.values)).toEqual([NaN, 9.5]);
  });

  it('honours explicit columns, semicolons, CRLF line ends and reports progress', async () => {
    const f = file('semi.csv', 'day;who;px;qty\r\n2024-01-02;A;1.25;7\r\n2024-01-03;A;2.5;8\r\n');
    const phases: string[] = [];
    const r = await readPanel(f, { dateCol: 'day', assetCol: 'who', valueCol: 'qty', onProgress: (p) => phases.push(p.phase) });
    expect(r.panel.isoDates()).toEqual(['2024-01-02', '2024-01-03']);
    expect(Array.from(r.panel.values)).toEqual([7, 8]);
    expect(phases[0]).toBe('header');
    expect(phases.at(-1)).toBe('done');
  });
});

describe('readPanel: wide tables', () => {
  it('keeps header order, sorts rows by date, an all-blank column is NaN (DOUBLE)', async () => {
    const f = file('wide.csv', 'date,B,A,EMPTY\n2024-01-03,2,3,\n2024-01-02,1.5,,\n2024-01-04,,4,\n');
    const r = await readPanel(f);
    expect(r.layout).toBe('wide');
    expect(r.assetCol).toBeUndefined();
    expect(r.panel.assets).toEqual(['B', 'A', 'EMPTY']);
    expect(r.panel.isoDates()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(Array.from(r.panel.values)).toEqual([1.5, NaN, NaN, 2, 3, NaN, NaN, 4, NaN]);
  });

  it('treats an unnamed first column (pandas index) as the date and accepts yyyymmdd and time parts', async () => {
    const f = file('idx.csv', ',X,Y\n20240102,1,2\n2024-01-03 00:00:00,3,4\n');
    const r = await readPanel(f);
    expect(r.dateCol).toBe('column0');
    expect(r.panel.isoDates()).toEqual(['2024-01-02', '2024-01-03']);
    expect(Array.from(r.panel.values)).toEqual([1, 2, 3, 4]);
  });

  it('reads many columns (600) with blanks exactly', async () => {
    const m = 600,
      n = 40;
    const names = Array.from({ length: m }, (_, j) => `S${j}`);
    const lines = ['date,' + names.join(',')];
    const expected: number[] = [];
    for (let t = 0; t < n; t++) {
      const row: string[] = [];
      for (let j = 0; j < m; j++) {
        const v = (t * 7 + j * 13) % 11 === 0 ? NaN : t + j / 1000;
        expected.push(v);
        row.push(Number.isNaN(v) ? '' : String(v));
      }
      lines.push(`${2000 + t}-01-01,${row.join(',')}`);
    }
    const r = await readPanel(file('many.csv', lines.join('\n') + '\n'));
    expect(r.panel.nDates).toBe(n);
    expect(Array.from(r.panel.values)).toEqual(expected);
  });
});

describe('readPanel: shared memory', () => {
  it('shared: true gives the same panel on a SharedArrayBuffer (long, wide, wide with unsorted rows)', async () => {
    const files = [
      file('shared-long.csv', 'date,ticker,close\n2024-01-03,BBB,20.5\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n'),
      file('shared-wide.csv', 'date,AAA,BBB\n2024-01-02,1,2\n2024-01-03,,4\n'),
      file('shared-unsorted.csv', 'date,AAA,BBB\n2024-01-05,5,6\n2024-01-02,1,2\n2024-01-03,3,\n'),
    ];
    for (const f of files) {
      const plain = await readPanel(f),
        shared = await readPanel(f, { shared: true });
      expect(plain.panel.values.buffer).toBeInstanceOf(ArrayBuffer);
      expect(shared.panel.values.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(shared.panel.values)).toEqual(Array.from(plain.panel.values));
      expect(shared.panel.assets).toEqual(plain.panel.assets);
      expect(Array.from(shared.panel.dates)).toEqual(Array.from(plain.panel.dates));
    }
  });
});

describe('readPanel: round trips through writeTable (property)', () => {
  const panelArb = fc
    .record({
      nDates: fc.integer({ min: 1, max: 8 }),
      nAssets: fc.integer({ min: 1, max: 6 }),
      startDay: fc.integer({ min: 0, max: 20000 }),
    })
    .chain(({ nDates, nAssets, startDay }) =>
      fc
        .record({
          gaps: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: nDates, maxLength: nDates }),
          values: fc.array(fc.oneof(fc.constant(NaN), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
            minLength: nDates * nAssets,
            maxLength: nDates * nAssets,
          }),
        })
        .map(({ gaps, values }) => {
          const dates = new Int32Array(nDates);
          let d = startDay;
          gaps.forEach((g, t) => {
            d += g;
            dates[t] = d;
          });
          const assets = Array.from({ length: nAssets }, (_, j) => `A${String(j).padStart(2, '0')}`);
          return new Panel(
            dates,
            assets,
            Float64Array.from(values, (v) => (Object.is(v, -0) ? 0 : v)),
          );
        }),
    );

  const sameCells = (a: Panel, b: Panel): void => {
    expect(Array.from(b.dates)).toEqual(Array.from(a.dates));
    expect(b.assets).toEqual(a.assets);
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  };

  it('wide CSV', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(panelArb, async (p) => {
        const f = file(`rt${k++}.csv`);
        await writeTable(f, p, { wide: true });
        sameCells(p, (await readPanel(f)).panel);
      }),
      { numRuns: 25 },
    );
  });

  it('long Parquet (assets that all have a value)', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(panelArb, async (p0) => {
        const p = p0.map((v, t, j) => (t === 0 || j === 0 ? 1 + t + j : v)); // every date and asset present
        const f = file(`rt${k++}.parquet`);
        await writeTable(f, p);
        const r = await readPanel(f);
        expect(r.format).toBe('parquet');
        expect(r.layout).toBe('long');
        sameCells(p, r.panel);
      }),
      { numRuns: 15 },
    );
  });
});

describe('readPanel: one precise InputError for bad input', () => {
  it('missing file', async () => {
    const e = await inputError(() => readPanel(file('nope.csv')));
    expect(e.message).toContain('file not found');
  });

  it('empty file and header-only file', async () => {
    expect((await inputError(() => readPanel(file('empty.csv', '')))).message).toContain('empty');
    expect((await inputError(() => readPanel(file('hdr.csv', 'date,A,B\n')))).message).toContain('no data rows');
  });

  it('no date column: lists the columns and suggests --date-col', async () => {
    const e = await inputError(() => readPanel(file('nodate.csv', 'when,A\n2024-01-01,1\n')));
    expect(e.message).toContain('when, A');
    expect(e.hint).toContain('--date-col');
  });

  it('unknown explicit column lists the ones that exist', async () => {
    const e = await inputError(() => readPanel(file('l.csv', 'date,asset,value\n2024-01-01,A,1\n'), { valueCol: 'px' }));
    expect(e.message).toContain('no value column "px"');
    expect(e.message).toContain('date, asset, value');
  });

  it('ambiguous value column asks for --value-col', async () => {
    const e = await inputError(() => readPanel(file('amb.csv', 'date,asset,a,b\n2024-01-01,A,1,2\n')));
    expect(e.message).toContain('2 numeric columns (a, b)');
    expect(e.hint).toContain('--value-col');
  });

  it('unparseable date: file, line and value', async () => {
    const f = file('baddate.csv', 'date,asset,value\n2024-01-01,A,1\n2024-01-02,A,2\n2024-13-45,A,3\n');
    const e = await inputError(() => readPanel(f));
    expect(e.location).toMatchObject({ file: f, line: 4, column: 'date', value: '2024-13-45' });
    const w = await inputError(() => readPanel(file('baddatew.csv', 'date,A\n2024-01-01,1\nyesterday,2\n')));
    expect(w.location).toMatchObject({ line: 3, value: 'yesterday' });
  });

  it('text in a number column: line, column and value (long and wide)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `2024-01-01,A${i},${i}`);
    rows[2500] = '2024-01-01,A2500,n/a.';
    const f = file('text.csv', 'date,asset,value\n' + rows.join('\n') + '\n');
    const e = await inputError(() => readPanel(f));
    expect(e.location).toMatchObject({ file: f, line: 2502, column: 'value', value: 'n/a.' });
    const w = file('textw.csv', 'date,A,B\n2024-01-01,1,2\n2024-01-02,3,oops\n');
    expect((await inputError(() => readPanel(w))).location).toMatchObject({ line: 3, column: 'B', value: 'oops' });
  });

  it("one asset's price bars (Yahoo's Date,Open,High,Low,Close,Adj Close,Volume) are refused as a wide panel, with what to do; --layout wide reads them", async () => {
    const f = file('bars.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,296.2,300.6,295.2,300.4,298.8,33870100\n');
    const e = await inputError(() => readPanel(f));
    expect(e.message).toMatch(/the columns look like one asset's price bars .* the volume a price/);
    expect(e.hint).toMatch(/df\[\["Adj Close"\]\]\.rename/);
    expect((await readPanel(f, { layout: 'wide' })).panel.assets).toEqual(['Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume']);
    // tickers that are words (LOW, OPEN) in a real wide panel are assets
    const w = file('words.csv', 'date,LOW,OPEN,HIGH,AAPL\n2020-01-02,1,2,3,4\n');
    expect((await readPanel(w)).panel.assets).toEqual(['LOW', 'OPEN', 'HIGH', 'AAPL']);
  });

  it('text in a number column on the DuckDB path (a quoted "1,234.5") names the date and asset too', async () => {
    const long = file('quoted_long.csv', 'date,asset,value\n2024-01-01,A,1\n2024-01-01,B,"1,234.5"\n');
    const e = await inputError(() => readPanel(long));
    expect(e.location).toMatchObject({ line: 3, column: 'value', asset: 'B', date: '2024-01-01', value: '1,234.5' });
    expect(e.hint).toMatch(/without thousands separators/);
    const wide = file('quoted_wide.csv', 'date,A,B\n2024-01-01,1,2\n2024-01-02,3,"1,234.5"\n');
    expect((await inputError(() => readPanel(wide))).location).toMatchObject({
      line: 3,
      column: 'B',
      asset: 'B',
      date: '2024-01-02',
      value: '1,234.5',
    });
  });

  it('duplicate (date, asset) in long data names both lines', async () => {
    const f = file('dup.csv', 'date,asset,value\n2024-01-01,A,1\n2024-01-01,B,2\n2024-01-02,A,3\n2024-01-01,A,4\n');
    const e = await inputError(() => readPanel(f));
    expect(e.message).toContain('lines 2 and 5');
    expect(e.location).toMatchObject({ asset: 'A', date: '2024-01-01', line: 2 });
  });

  it('duplicate date in wide data names both lines', async () => {
    const e = await inputError(() => readPanel(file('dupw.csv', 'date,A\n2024-01-02,1\n2024-01-01,2\n2024-01-02,3\n')));
    expect(e.message).toContain('duplicate date 2024-01-02 on lines 2 and 4');
  });

  it('non-positive prices when kind is prices (long and wide), accepted otherwise', async () => {
    const f = file('neg.csv', 'date,asset,close\n2024-01-01,A,1\n2024-01-02,A,0\n');
    const e = await inputError(() => readPanel(f, { kind: 'prices' }));
    expect(e.location).toMatchObject({ line: 3, asset: 'A', date: '2024-01-02', value: '0' });
    expect((await readPanel(f)).panel.values[1]).toBe(0);
    const w = file('negw.csv', 'date,A,B\n2024-01-02,1,2\n2024-01-01,3,-4\n');
    const ew = await inputError(() => readPanel(w, { kind: 'prices' }));
    expect(ew.location).toMatchObject({ line: 3, column: 'B', date: '2024-01-01', value: '-4' });
  });

  it('a row with too many fields is one InputError, not a DuckDB stack', async () => {
    const e = await inputError(() => readPanel(file('ragged.csv', 'date,A\n2024-01-01,1\n2024-01-02,2,3\n')));
    expect(e.message).toContain('cannot read the table: the row has 3 fields, the header has 2');
    expect(e.location.line).toBe(3);
  });

  it('duplicate header names', async () => {
    const e = await inputError(() => readPanel(file('duph.csv', 'date,A,A\n2024-01-01,1,2\n')));
    expect(e.message).toContain('appears twice');
  });
});

describe('parse check', () => {
  it('dates in the test data are real', () => {
    expect(parseIsoDate('2024-01-02')).toBe(19724);
  });
});

describe('readPanel: files whose columns were not recognised', () => {
  it('a long fundamentals export (Kaggle: pandas index, "Ticker Symbol", "Period Ending") is read as long', async () => {
    const f = file(
      'fundamentals.csv',
      ',Ticker Symbol,Period Ending,Net Income,After Tax ROE\n0,AAL,2012-12-31,-1876000000.0,23.0\n1,AAL,2013-12-31,-1834000000.0,67.0\n2,AAP,2012-12-29,388000000.0,32.0\n',
    );
    const r = await readPanel(f, { valueCol: 'After Tax ROE' });
    expect(r).toMatchObject({ layout: 'long', dateCol: 'Period Ending', assetCol: 'Ticker Symbol', valueCol: 'After Tax ROE' });
    expect(r.panel.isoDates()).toEqual(['2012-12-29', '2012-12-31', '2013-12-31']);
    expect(Array.from(r.panel.values)).toEqual([NaN, 32, 23, NaN, 67, NaN]);
  });

  it('text in a table read as wide: the hint names the column as the asset column of a long file', async () => {
    const f = file('ids.csv', 'date,Security Code,close\n2024-01-02,AAL,14.75\n2024-01-03,AAL,14.46\n');
    const e = await inputError(() => readPanel(f));
    expect(e.message).toContain('not a number');
    expect(e.message).toContain('--asset-col "Security Code"');
    expect(e.message).toContain('if the cell is a typo, fix it or leave it empty');
    // a word below numbers in the same column is a stray cell of a wide file, not an asset column
    const typo = file('typo.csv', 'date,AAA,BBB\n2024-01-02,1.5,2.5\n2024-01-03,1.6,abc\n');
    const t = await inputError(() => readPanel(typo));
    expect(t.message).toMatch(/typo\.csv:3, column "BBB", asset BBB, date 2024-01-03: not a number \(value: "abc"\)/);
    expect(t.message).toContain('column "BBB" holds numbers above this cell: fix the cell, or leave it empty');
    expect(t.message).not.toContain('--asset-col');
    // a number-like mistake keeps the number hint
    const g = file('comma.csv', 'date,AAA\n2024-01-02,"1,5"\n');
    expect((await inputError(() => readPanel(g))).message).toContain('1.5, not 1,5');
  });
});

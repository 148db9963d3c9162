/**
 * The fast CSV reader (src/io/csv/) against the DuckDB path, and the located errors of both:
 * non-finite values, truncated or corrupt gzip, blank lines, dialects, declines.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, formatIsoDate } from '../../../src/core/dates.js';
import { Declined } from '../../../src/io/csv/decline.js';
import { MISSING_TOKENS } from '../../../src/io/csv/number.js';
import { duckdbStats, holdDuckdb, withConnection } from '../../../src/io/duckdb.js';
import { readFrame } from '../../../src/io/readFrame.js';
import { readPanel, type LoadedPanel } from '../../../src/io/readPanel.js';
import { unterminatedLastLine } from '../../../src/io/csv/lines.js';
import { inputError, tempDir } from './helpers.js';

const file = tempDir();
const DAY0 = daysFromCivil(2020, 1, 1);

function sameRead(a: LoadedPanel, b: LoadedPanel): void {
  expect(a.rows).toBe(b.rows);
  expect(a.layout).toBe(b.layout);
  expect(a.valueCol).toBe(b.valueCol);
  expect(a.panel.assets).toEqual(b.panel.assets);
  expect(Array.from(a.panel.dates)).toEqual(Array.from(b.panel.dates));
  const x = a.panel.values,
    y = b.panel.values;
  expect(x.length).toBe(y.length);
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) bad++;
  expect(bad).toBe(0);
}

/**
 * The fast read into memory from `alloc` (readPanel's option for a zoo's reused buffers), every byte
 * garbage (0x7f) when handed out and larger than asked: the values must not depend on it. Returns
 * the read and whether its values are a view of a buffer `alloc` gave.
 */
async function readIntoGarbage(f: string): Promise<{ read: LoadedPanel; inGiven: boolean }> {
  const given: ArrayBuffer[] = [];
  const read = await readPanel(f, {
    engine: 'fast',
    threads: 1,
    alloc: (bytes) => {
      const b = new ArrayBuffer(bytes + 24);
      new Uint8Array(b).fill(0x7f);
      given.push(b);
      return b;
    },
  });
  return { read, inGiven: given.includes(read.panel.values.buffer as ArrayBuffer) };
}

const cellArb = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => String(v)) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 8 })).map(([i, k]) => (i / 10 ** k).toFixed(k)),
  },
  { weight: 1, arbitrary: fc.double({ min: 1e-300, max: 1e300, noNaN: true }).map((v) => v.toExponential()) },
  { weight: 1, arbitrary: fc.constantFrom('', 'NaN', 'nan', '-0', '.5', '5.', '007', ' 1.25 ') },
  { weight: 1, arbitrary: fc.constantFrom(...MISSING_TOKENS) },
);

const dialectArb = fc.record({
  delim: fc.constantFrom(',', ';', '\t', '|'),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  gzip: fc.boolean(),
});

function writeText(name: string, lines: string[], d: { crlf: boolean; finalNewline: boolean; gzip: boolean }): string {
  const text = lines.join(d.crlf ? '\r\n' : '\n') + (d.finalNewline ? (d.crlf ? '\r\n' : '\n') : '');
  return file(d.gzip ? `${name}.csv.gz` : `${name}.csv`, text, d.gzip);
}

describe('fast reader == DuckDB reader (property, plain and gzip)', () => {
  it('wide: random cells (blank, NaN, exponents, -0), unsorted dates, any delimiter and line end', async () => {
    let k = 0;
    await holdDuckdb(() =>
      fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 25 }),
          fc.integer({ min: 1, max: 6 }),
          dialectArb,
          fc.array(cellArb, { minLength: 150, maxLength: 150 }),
          async (days, m, d, cells) => {
            const lines = [['date', ...Array.from({ length: m }, (_, j) => `S${j}`)].join(d.delim)];
            days.forEach((t, i) =>
              lines.push(
                [formatIsoDate(DAY0 + t), ...Array.from({ length: m }, (_, j) => cells[(i * m + j) % cells.length])].join(d.delim),
              ),
            );
            const f = writeText(`w${k++}`, lines, d);
            const duck = await readPanel(f, { engine: 'duckdb' });
            sameRead(await readPanel(f, { engine: 'fast' }), duck);
            sameRead((await readIntoGarbage(f)).read, duck);
          },
        ),
        { numRuns: 30 },
      ),
    );
  });

  it('long: shuffled rows, extra columns, assets with non-ASCII names (UTF-8 byte order)', async () => {
    let k = 0;
    const names = ['A', 'BB', 'b', 'Z9', 'Ä', 'é1', '600036', 'x y'];
    await holdDuckdb(() =>
      fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: names.length - 1 })), {
            minLength: 1,
            maxLength: 60,
            selector: ([t, a]) => `${t}/${a}`,
          }),
          dialectArb,
          fc.array(cellArb, { minLength: 60, maxLength: 60 }),
          async (pairs, d, cells) => {
            const lines = [['date', 'ticker', 'open', 'close', 'volume'].join(d.delim)];
            pairs.forEach(([t, a], i) => lines.push([formatIsoDate(DAY0 + t), names[a], 'x', cells[i], String(i)].join(d.delim)));
            const f = writeText(`l${k++}`, lines, d);
            const duck = await readPanel(f, { engine: 'duckdb' });
            sameRead(await readPanel(f, { engine: 'fast' }), duck);
            const into = await readIntoGarbage(f);
            sameRead(into.read, duck);
            expect(into.inGiven).toBe(true); // a long read's panel is always the given memory
          },
        ),
        { numRuns: 30 },
      ),
    );
  });
});

describe('reads into memory the caller gives (readPanel alloc)', () => {
  it('a wide file past the first block and a long gzip file: the values are a view of the given memory, as read without it', async () => {
    const m = 7;
    const lines = [['date', ...Array.from({ length: m }, (_, j) => `S${j}`)].join(',')];
    for (let t = 0; t < 300; t++)
      lines.push(
        [
          formatIsoDate(DAY0 + ((t * 37) % 300)),
          ...Array.from({ length: m }, (_, j) => ((t + j) % 11 === 0 ? '' : String((t * m + j) / 8))),
        ].join(','),
      );
    const long = ['date,ticker,close'];
    for (let t = 0; t < 120; t++)
      for (let a = 0; a < 5; a++) if ((t + a) % 7 !== 0) long.push(`${formatIsoDate(DAY0 + t)},T${a},${1 + t / 4 + a}`);
    for (const f of [
      writeText('alloc-wide', lines, { crlf: false, finalNewline: true, gzip: false }),
      writeText('alloc-long', long, { crlf: false, finalNewline: true, gzip: true }),
    ]) {
      const into = await readIntoGarbage(f);
      expect(into.inGiven).toBe(true);
      sameRead(into.read, await readPanel(f, { engine: 'fast' }));
      sameRead(into.read, await holdDuckdb(() => readPanel(f, { engine: 'duckdb' })));
    }
  });
});

describe('long date,asset,value in date-major order (the one-pass route of csv/long.ts)', () => {
  it('equals the DuckDB read: gaps in the asset order, a repeated asset, spaces around names, odd cells', async () => {
    let k = 0;
    const names = ['A', 'BB', 'b', 'Z9', 'Ä', 'é1', '600036', 'x y'];
    await holdDuckdb(() =>
      fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 12 }),
          fc.array(fc.boolean(), { minLength: 96, maxLength: 96 }),
          fc.array(fc.nat(40), { maxLength: 3 }),
          dialectArb,
          fc.array(cellArb, { minLength: 96, maxLength: 96 }),
          fc.constantFrom('', ' '),
          async (nd, present, twice, d, cells, pad) => {
            const lines = [['date', 'asset', 'value'].join(d.delim)];
            let i = 0,
              rowNo = 0;
            for (let t = 0; t < nd; t++) {
              for (let a = 0; a < names.length; a++, i++) {
                if (!present[i % present.length]) continue;
                // a row of the previous asset again now and then (a duplicate unless it was absent before)
                const name = twice.includes(rowNo++) && a > 0 ? `${pad}${names[a - 1]}` : names[a];
                lines.push([formatIsoDate(DAY0 + 3 * t), name, cells[i % cells.length]].join(d.delim));
              }
            }
            if (lines.length === 1) return;
            const f = writeText(`dm${k++}`, lines, d);
            let fast: LoadedPanel | Error, duck: LoadedPanel | Error;
            try {
              fast = await readPanel(f, { engine: 'fast' });
            } catch (e) {
              fast = e as Error;
            }
            try {
              duck = await readPanel(f, { engine: 'duckdb' });
            } catch (e) {
              duck = e as Error;
            }
            if (fast instanceof Error || duck instanceof Error) {
              // both refuse a duplicate (date, asset), naming the same date and asset
              expect(fast).toBeInstanceOf(Error);
              expect(duck).toBeInstanceOf(Error);
              expect((fast as Error).message).toMatch(/duplicate row/);
              return;
            }
            sameRead(fast, duck);
          },
        ),
        { numRuns: 40 },
      ),
    );
  });

  it('an error after rows read by the one-pass route is located exactly (line, asset, date, value)', async () => {
    const rows = ['date,asset,close', '2024-01-02,A,1', '2024-01-02,B,2', '2024-01-03,A,1.5', '2024-01-03,B,2.5', '2024-01-04,A,1.25'];
    for (const [bad, want] of [
      ['2024-01-04,B,n/a.', { line: 7, asset: 'B', date: '2024-01-04', value: 'n/a.' }],
      ['2024-01-04,B,inf', { line: 7, asset: 'B', date: '2024-01-04', value: 'inf' }],
      ['2024-01-04,B,0', { line: 7, asset: 'B', date: '2024-01-04', value: '0' }],
      ['2024-01-04,B,2,9', { line: 7 }],
      ['2024-01-04,A,3', { line: 6, asset: 'A', date: '2024-01-04' }], // the duplicate names its first line (and both in the message)
    ] as const) {
      const f = file(`dmerr${bad.length}${bad.at(-1)}.csv`, `${[...rows, bad].join('\n')}\n`);
      const e = await inputError(() => readPanel(f, { engine: 'fast', kind: 'prices' }));
      expect(e.location).toMatchObject(want);
    }
    // and the same rows with good values read as DuckDB reads them
    const ok = file('dmok.csv', `${[...rows, '2024-01-04,B,2.75'].join('\n')}\n`);
    sameRead(await readPanel(ok, { engine: 'fast' }), await readPanel(ok, { engine: 'duckdb' }));
  });
});

describe('no DuckDB on the fast path', () => {
  it('CSV, CSV.gz and readFrame reads create no DuckDB instance', async () => {
    const before = duckdbStats().opened;
    const text = 'date,A,B\n2024-01-02,1,2\n2024-01-03,3,\n';
    await readPanel(file('nd.csv', text));
    await readPanel(file('nd.csv.gz', text, true));
    await readPanel(file('ndl.csv', 'date,asset,value\n2024-01-02,A,1\n'));
    const fr = await readFrame(file('nd.csv'));
    expect(Array.from(fr.series[1])).toEqual([2, NaN]);
    expect(duckdbStats().opened).toBe(before);
  });
});

describe('non-finite values are an InputError on every path (issue 9, class 2)', () => {
  const variants = ['inf', 'Infinity', '-inf', '-Infinity', '1e400', '-1E+999'];
  for (const engine of ['fast', 'duckdb'] as const) {
    it(`wide and long, ${engine}: file, line, column, asset, date and the value`, async () => {
      for (const v of variants) {
        const w = file(`infw-${engine}-${v}.csv`, `date,A,B\n2024-01-02,1,2\n2024-01-03,3,${v}\n`);
        const e = await inputError(() => readPanel(w, { engine }));
        expect(e.message).toContain('not a finite number');
        expect(e.hint).toContain('leave the cell empty for a missing value');
        expect(e.location).toMatchObject({ file: w, line: 3, column: 'B', asset: 'B', date: '2024-01-03', value: v });
        const l = file(`infl-${engine}-${v}.csv`, `date,asset,value\n2024-01-02,A,1\n2024-01-03,B,${v}\n`);
        const el = await inputError(() => readPanel(l, { engine, kind: 'returns' }));
        expect(el.location).toMatchObject({ file: l, line: 3, column: 'value', asset: 'B', date: '2024-01-03', value: v });
      }
    });
  }
  it('Parquet (DuckDB path): long and wide', async () => {
    const long = file('infl.parquet'),
      wide = file('infw.parquet');
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 'A', 1.0), (DATE '2024-01-03', 'A', 'inf'::DOUBLE)) t(date, asset, value)) TO '${long}' (FORMAT parquet)`,
      );
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 1.0, 2.0), (DATE '2024-01-03', '-inf'::DOUBLE, 2.0)) t(date, A, B)) TO '${wide}' (FORMAT parquet)`,
      );
    });
    const el = await inputError(() => readPanel(long));
    expect(el.message).toContain('not a finite number');
    expect(el.location).toMatchObject({ line: 3, column: 'value', asset: 'A', date: '2024-01-03', value: 'inf' });
    const ew = await inputError(() => readPanel(wide));
    expect(ew.location).toMatchObject({ line: 3, column: 'A', asset: 'A', date: '2024-01-03', value: '-inf' });
  });

  it('a wide Parquet file with true/false columns beside the assets is refused naming them; one of flags only is read as 0/1', async () => {
    const mixed = file('flags-mixed.parquet'),
      only = file('flags-only.parquet');
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 1.0, 2.0, true), (DATE '2024-01-03', 1.5, 2.5, false)) t(date, A, B, is_holiday)) TO '${mixed}' (FORMAT parquet)`,
      );
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', true, false), (DATE '2024-01-03', false, true)) t(date, A, B)) TO '${only}' (FORMAT parquet)`,
      );
    });
    const e = await inputError(() => readPanel(mixed));
    expect(e.problem).toBe(
      '1 of the 3 value columns holds true/false, not numbers (is_holiday): in a wide table every column is an asset, so each would be read as an asset of 0/1 values',
    );
    expect(e.location).toMatchObject({ file: mixed, column: 'is_holiday' });
    expect(Array.from((await readPanel(only)).panel.values)).toEqual([1, 0, 0, 1]);
  });

  it('Parquet time-zone-aware dates: read at midnight UTC, refused elsewhere (a Shanghai midnight is 16:00 UTC the day before)', async () => {
    const utc = file('tz-utc.parquet'),
      sh = file('tz-sh.parquet');
    await withConnection(async (con) => {
      const rows = `(VALUES (TIMESTAMP '2018-01-02', 1.0, 2.0), (TIMESTAMP '2018-01-03', 1.5, 2.5)) t(d, A, B)`;
      await con.run(`COPY (SELECT timezone('UTC', d) AS date, A, B FROM ${rows}) TO '${utc}' (FORMAT parquet)`);
      await con.run(`COPY (SELECT timezone('Asia/Shanghai', d) AS date, A, B FROM ${rows}) TO '${sh}' (FORMAT parquet)`);
    });
    const ok = await readPanel(utc);
    expect(Array.from(ok.panel.dates, formatIsoDate)).toEqual(['2018-01-02', '2018-01-03']);
    expect(Array.from(ok.panel.values)).toEqual([1, 2, 1.5, 2.5]);
    const e = await inputError(() => readPanel(sh));
    expect(e.message).toContain('a time-zone-aware timestamp that is not midnight UTC');
    expect(e.location).toMatchObject({ line: 2, column: 'date' });
    expect(e.hint).toMatch(/timestamps without a time zone/);
  });

  it('a .parquet file DuckDB cannot read: the hint says what it is (CSV text, gzip, zip, a cut-short Parquet file)', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['text.parquet', 'date,A\n2024-01-02,1\n', /it is text, not Parquet \(a CSV named \.parquet\?\): rename it \.csv/],
      ['gz.parquet', gzipSync('date,A\n2024-01-02,1\n'), /it is gzip-compressed, not Parquet: a gzipped CSV must be named \.csv\.gz/],
      ['zip.parquet', Buffer.from('PK\u0003\u0004\u0000\u0000junk'), /it is a zip \(or Excel \.xlsx\) file/],
      ['cut.parquet', 'PAR1\u0000\u0001', /it starts as a Parquet file but is cut short or damaged/],
    ];
    for (const [name, body, hint] of cases) {
      const f = file(name);
      writeFileSync(f, body);
      const e = await inputError(() => readPanel(f));
      expect(e.message, name).toContain('cannot read as Parquet');
      expect(e.hint, name).toMatch(hint);
    }
  });

  it('timezone: times with an offset (CSV text, zoned Parquet) are read as their date in that zone; times without one as written', async () => {
    // 2024-01-03T01:30Z is 20:30 on 01-02 in New York and 09:30 on 01-03 in Shanghai
    const csv = file(
      'tz-long.csv',
      'date,asset,value\n2024-01-02T15:00:00Z,A,1\n2024-01-03T01:30:00Z,B,2\n2024-01-03 16:00:00-05:00,A,3\n2024-01-04 10:00:00,B,4\n',
    );
    for (const engine of ['auto', 'duckdb'] as const) {
      const ny = await readPanel(csv, { engine, timezone: 'America/New_York' });
      expect(ny.panel.isoDates(), engine).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
      expect(Array.from(ny.panel.values)).toEqual([1, 2, 3, NaN, NaN, 4]);
      const sh = await readPanel(csv, { engine, timezone: 'Asia/Shanghai' });
      // 01-02T15Z is 23:00 in Shanghai (01-02); 01-03T01:30Z 09:30 (01-03); 16:00-05:00 is 05:00 on 01-04 there
      expect(sh.panel.isoDates(), engine).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
      expect(Array.from(sh.panel.values)).toEqual([1, NaN, NaN, 2, 3, 4]);
    }
    // without a zone the same file is refused at its first UTC time that is not midnight, and the hint names --timezone
    const e = await inputError(() => readPanel(csv));
    expect(e.location).toMatchObject({ line: 2, column: 'date' });
    expect(e.hint).toMatch(/give --timezone with the market's zone/);
    const pq = file('tz-zoned.parquet');
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT timezone('UTC', d) AS date, A FROM (VALUES (TIMESTAMP '2018-01-02 21:00:00', 1.0), (TIMESTAMP '2018-01-03 21:00:00', 2.0)) t(d, A)) TO '${pq}' (FORMAT parquet)`,
      );
    });
    const nyPq = await readPanel(pq, { timezone: 'America/New_York' });
    expect(nyPq.panel.isoDates()).toEqual(['2018-01-02', '2018-01-03']);
    const tokyo = await readPanel(pq, { timezone: 'Asia/Tokyo' });
    expect(tokyo.panel.isoDates()).toEqual(['2018-01-03', '2018-01-04']);
    expect((await inputError(() => readPanel(pq))).hint).toMatch(/give --timezone/);
    expect((await inputError(() => readPanel(csv, { timezone: 'Mars/Olympus' }))).message).toContain('unknown time zone "Mars/Olympus"');
  });

  it("pandas' missing spellings (NA, #N/A, NULL, None, <NA>) are missing on both paths; an asset named NA is an asset", async () => {
    const long = file(
      'na_long.csv',
      'date,asset,close\n2024-01-02,NA,1\n2024-01-02,B,NA\n2024-01-03,NA,#N/A\n2024-01-03,B,2\n2024-01-04,NA,NULL\n2024-01-04,B,<NA>\n',
    );
    const wide = file('na_wide.csv', 'date,NA,B\n2024-01-02,1,NA\n2024-01-03,#N/A,2\n2024-01-04,NULL,None\n');
    for (const f of [long, wide]) {
      const fast = await readPanel(f, { engine: 'fast' });
      const duck = await readPanel(f, { engine: 'duckdb' });
      sameRead(fast, duck);
      expect(fast.panel.assets).toEqual(f === wide ? ['NA', 'B'] : ['B', 'NA']);
      expect(
        Array.from(fast.panel.values)
          .filter((v) => !Number.isNaN(v))
          .sort(),
      ).toEqual([1, 2]);
    }
    const pq = file('na_text.parquet');
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 'NA', '1.5'), (DATE '2024-01-02', 'B', 'NA'), (DATE '2024-01-03', 'NA', ' NULL '), (DATE '2024-01-03', 'B', '3')) t(date, asset, value)) TO '${pq}' (FORMAT parquet)`,
      );
    });
    const p = (await readPanel(pq)).panel;
    expect(p.assets).toEqual(['B', 'NA']);
    expect(Array.from(p.values)).toEqual([NaN, 1.5, 3, NaN]);
  });

  it('Parquet text values: an empty string is missing, as an empty CSV cell; other text is located', async () => {
    const ok = file('strvals.parquet'),
      bad = file('strbad.parquet');
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 'A', '1.5'), (DATE '2024-01-02', 'B', ''), (DATE '2024-01-03', 'A', ' 2.5 '), (DATE '2024-01-03', 'B', '3')) t(date, asset, value)) TO '${ok}' (FORMAT parquet)`,
      );
      await con.run(
        `COPY (SELECT * FROM (VALUES (DATE '2024-01-02', 'A', '1.5'), (DATE '2024-01-03', 'A', 'x')) t(date, asset, value)) TO '${bad}' (FORMAT parquet)`,
      );
    });
    const p = (await readPanel(ok)).panel;
    expect(Array.from(p.values)).toEqual([1.5, NaN, 2.5, 3]);
    const e = await inputError(() => readPanel(bad));
    expect(e.location).toMatchObject({ line: 3, column: 'value', value: 'x' });
  });

  it('columns equal but for case: read apart by the fast reader, refused with their names by DuckDB (not a message about quotes)', async () => {
    const f = file('case.csv', 'date,aapl,AAPL\n2018-01-02,10,20\n2018-01-03,11,21\n');
    const fast = await readPanel(f, { engine: 'fast' });
    expect([...fast.panel.assets].sort()).toEqual(['AAPL', 'aapl']);
    const e = await inputError(() => readPanel(f, { engine: 'duckdb' }));
    expect(e.message).toMatch(/the columns "aapl" and "AAPL" differ only in case/);
  });

  it('a .json table is refused by name (a JSON --out read back failed with "no date column found; the columns are: [")', async () => {
    const f = file('t.json', '[{"date":"2024-01-02","asset":"A","value":1}]\n');
    for (const engine of ['fast', 'duckdb'] as const) {
      const e = await inputError(() => readPanel(f, { engine }));
      expect(e.message).toMatch(/a JSON file: tables are read from CSV, CSV\.gz or Parquet/);
    }
    await expect(readFrame(f)).rejects.toThrow(/a JSON file/);
  });

  it('CR-only line ends are refused with the way to convert them (they read as a header and no rows)', async () => {
    const f = file('cr.csv', 'date,A,B\r2024-01-02,1,2\r2024-01-03,1.5,2.5\r');
    for (const engine of ['fast', 'duckdb'] as const) {
      const e = await inputError(() => readPanel(f, { engine }));
      expect(e.message).toMatch(/the lines end in a carriage return alone/);
      expect(e.hint).toMatch(/tr '\\r' '\\n'/);
    }
  });

  it('\\r\\r\\n line ends (CRLF converted twice) are refused with the cause and the fix, on both paths and gzip, panels and frames', async () => {
    const text = 'date,A,B\r\r\n2024-01-02,1,2\r\r\n2024-01-03,1.5,2.5\r\r\n';
    const plain = file('crcr.csv', text);
    const gz = file('crcr.csv.gz', gzipSync(text));
    const quoted = file('crcr-q.csv', text.replace(/2024-01-0(\d)/g, '"2024-01-0$1"'));
    for (const f of [plain, gz, quoted])
      for (const engine of ['fast', 'duckdb'] as const) {
        const e = await inputError(() => readPanel(f, { engine }));
        expect(e.message).toMatch(
          /the lines end in two carriage returns and a newline \(\\r\\r\\n\), a CRLF file whose line ends were converted twice/,
        );
        expect(e.hint).toMatch(f.endsWith('.gz') ? /gunzip -c .* \| tr -d '\\r' \| gzip/ : /tr -d '\\r' < /);
      }
    await expect(readFrame(plain)).rejects.toThrow(/two carriage returns and a newline/);
  });

  it('one line ending in \\r\\r\\n inside a CRLF file: "not a number" says the line ends in a stray carriage return', async () => {
    const f = file('crcr-one.csv', 'date,A,B\r\n2024-01-02,1,2\r\r\n2024-01-03,1.5,2.5\r\n');
    const e = await inputError(() => readPanel(f, { engine: 'fast' }));
    expect(e.message).toMatch(/crcr-one\.csv:2, column "B".*not a number/);
    expect(e.hint).toMatch(/the line ends in a stray carriage return \(\\r\\r\\n/);
  });

  it('readPanel: a trailing comma on every line leaves no empty asset, on both paths, shared memory kept', async () => {
    const plain = file('p-plain.csv', 'date,A,B\n2024-01-02,1,2\n2024-01-03,1.5,2.5\n');
    const trail = file('p-trail.csv', 'date,A,B,\n2024-01-02,1,2,\n2024-01-03,1.5,2.5,\n');
    for (const engine of ['fast', 'duckdb'] as const) {
      const a = await readPanel(plain, { engine }),
        b = await readPanel(trail, { engine, shared: true });
      expect(b.panel.assets).toEqual(['A', 'B']);
      expect(Array.from(b.panel.values)).toEqual(Array.from(a.panel.values));
      expect(b.panel.values.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('readFrame: a trailing comma on every line (an unnamed, empty last column) is no factor, on both paths', async () => {
    const plain = file('ff-plain.csv', 'date,mkt_rf,rf\n2024-01-02,0.1,0.01\n2024-01-03,0.2,0.01\n');
    const trail = file('ff-trail.csv', 'date,mkt_rf,rf,\n2024-01-02,0.1,0.01,\n2024-01-03,0.2,0.01,\n');
    for (const engine of ['fast', 'duckdb'] as const) {
      const a = await readFrame(plain, { engine }),
        b = await readFrame(trail, { engine });
      expect(b.columns).toEqual(['mkt_rf', 'rf']);
      expect(Array.from(b.get('mkt_rf'))).toEqual(Array.from(a.get('mkt_rf')));
    }
    // an unnamed last column with values stays (it is data)
    const kept = await readFrame(file('ff-kept.csv', 'date,mkt_rf,\n2024-01-02,0.1,0.5\n2024-01-03,0.2,0.6\n'));
    expect(kept.columns.length).toBe(2);
  });

  it('readFrame (factor files) too, on both paths', async () => {
    const f = file('inff.csv', 'date,mkt_rf,rf\n2024-01-02,0.1,0.01\n2024-01-03,inf,0.01\n');
    for (const engine of ['fast', 'duckdb'] as const) {
      const e = await inputError(() => readFrame(f, { engine }));
      expect(e.location).toMatchObject({ line: 3, column: 'mkt_rf', value: 'inf' });
    }
  });
});

describe('truncated or corrupt gzip is an InputError (issue 9, class 3)', () => {
  const text = 'date,A\n' + Array.from({ length: 20_000 }, (_, i) => `${formatIsoDate(DAY0 + i)},${i}.123456`).join('\n') + '\n';
  const gz = gzipSync(text);
  const cut = file('cut.csv.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
  const flipped = Buffer.from(gz);
  flipped[gz.length - 6] ^= 0xff; // CRC
  const bad = file('crc.csv.gz', flipped);
  for (const engine of ['fast', 'duckdb'] as const) {
    it(`${engine}: head -c N and a damaged CRC`, async () => {
      for (const f of [cut, bad]) {
        const e = await inputError(() => readPanel(f, { engine }));
        expect(e.message).toContain(`${f}: the gzip file is truncated or corrupt`);
        expect(e.hint).toContain('re-download or re-compress');
      }
      const fe = await inputError(() => readFrame(cut, { engine }));
      expect(fe.message).toContain('truncated or corrupt');
    });
  }
  it('a plain CSV cut mid-row is a ragged row on its last line', async () => {
    const f = file('cut.csv', 'date,A,B\n2024-01-02,1,2\n2024-01-03,3');
    for (const engine of ['fast', 'duckdb'] as const) {
      const e = await inputError(() => readPanel(f, { engine }));
      expect(e.message).toContain('the row has 2 fields, the header has 3');
      expect(e.location.line).toBe(3);
    }
  });
});

describe('fast reader: dialects, blank lines and located errors', () => {
  it('BOM, CRLF, tab / pipe / semicolon, no final newline, blank lines skipped', async () => {
    for (const d of ['\t', '|', ';']) {
      const f = file(
        `dial${d === '\t' ? 'tab' : d === '|' ? 'pipe' : 'semi'}.csv`,
        `\uFEFFdate${d}A${d}B\r\n2024-01-03${d}3${d}4\r\n\r\n2024-01-02${d}1${d}\r\n\n2024-01-04${d}${d}6`,
      );
      const r = await readPanel(f, { engine: 'fast' });
      expect(r.panel.isoDates()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
      expect(Array.from(r.panel.values)).toEqual([1, NaN, 3, 4, NaN, 6]);
      expect(r.rows).toBe(3);
    }
  });

  it('lines of spaces or tabs are blank lines: skipped as pandas skips them (they were refused as "the row has 1 fields"), wide, long, frames, gzip', async () => {
    const wide = 'date,A,B\n2024-01-02,1,2\n   \n2024-01-03,1.5,2.5\n\t\n \r\n2024-01-04,2,3\n  \n';
    const long = 'date,asset,value\n2024-01-02,A,1\n2024-01-02,B,2\n \t \n2024-01-03,A,1.5\n2024-01-03,B,2.5\n';
    const w = await readPanel(file('ws-wide.csv', wide), { engine: 'fast' });
    expect(w.panel.isoDates()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(Array.from(w.panel.values)).toEqual([1, 2, 1.5, 2.5, 2, 3]);
    expect(w.rows).toBe(3);
    const wz = await readPanel(file('ws-wide.csv.gz', gzipSync(wide)), { engine: 'fast' });
    expect(Array.from(wz.panel.values)).toEqual([1, 2, 1.5, 2.5, 2, 3]);
    const l = await readPanel(file('ws-long.csv', long), { engine: 'fast' });
    expect(Array.from(l.panel.values)).toEqual([1, 2, 1.5, 2.5]);
    const fr = await readFrame(file('ws-frame.csv', wide));
    expect(Array.from(fr.get('A'))).toEqual([1, 1.5, 2]);
    // line numbers stay physical past them
    const e = await inputError(() => readPanel(file('ws-bad.csv', 'date,A\n2024-01-02,1\n  \n2024-01-03,x\n'), { engine: 'fast' }));
    expect(e.location).toMatchObject({ line: 4, value: 'x' });
  });

  it('a line of spaces in a file DuckDB reads (quoted fields) is named as blank, with what to do, not "the row has 1 fields"', async () => {
    const f = file('ws-quoted.csv', 'date,A,B\n"2024-01-02",1,2\n   \n"2024-01-03",1.5,2.5\n');
    for (const engine of ['auto', 'duckdb'] as const) {
      const e = await inputError(() => readPanel(f, { engine }));
      expect(e.location).toMatchObject({ line: 3 });
      expect(e.message).toMatch(/the line is blank but for spaces or tabs/);
      expect(e.hint).toMatch(/delete the line, or leave it empty/);
    }
    // a ragged row of text is still ragged
    const r = await inputError(() =>
      readPanel(file('ragged-quoted.csv', 'date,A,B\n"2024-01-02",1,2\n"2024-01-03"\n'), { engine: 'duckdb' }),
    );
    expect(r.message).toMatch(/the row has 1 fields, the header has 3/);
  });

  it('an error on a last line without a line end (a file cut off mid-write) says so, on both paths; with a line end it does not', async () => {
    const cut = 'date,A,B\n2024-01-02,1,2\n2024-01-03,1.5';
    for (const [name, text] of [
      ['cut.csv', cut],
      ['cut-q.csv', cut.replace(/2024-01-0(\d)/g, '"2024-01-0$1"')],
    ] as const)
      for (const engine of ['auto', 'duckdb'] as const) {
        const e = await inputError(() => readPanel(file(name, text), { engine }));
        expect(e.location).toMatchObject({ line: 3 });
        expect(e.message).toMatch(/the row has 2 fields, the header has 3/);
        expect(e.hint).toMatch(
          /^the last line has no line end, as a file cut off mid-write has: .*get it again whole; else complete or delete the line; check that every row/,
        );
      }
    const long = await inputError(() =>
      readPanel(file('cut-long.csv', 'date,asset,value\n2024-01-02,A,1\n2024-01-02,B,2\n2024-01-03,A'), { engine: 'fast' }),
    );
    expect(long.location).toMatchObject({ line: 4 });
    expect(long.hint).toMatch(/cut off mid-write/);
    const number = await inputError(() => readPanel(file('cut-number.csv', 'date,A\n2024-01-02,1\n2024-01-03,1.2e'), { engine: 'fast' }));
    expect(number.message).toMatch(/not a number/);
    expect(number.hint).toMatch(/cut off mid-write/);
    const whole = await inputError(() => readPanel(file('ragged-last.csv', `${cut}\n`), { engine: 'fast' }));
    expect(whole.hint).not.toMatch(/cut off/);
    // an error on an earlier line of such a file is not about the cut
    const earlier = await inputError(() => readPanel(file('cut-earlier.csv', 'date,A\n2024-01-02,x\n2024-01-03,1'), { engine: 'fast' }));
    expect(earlier.hint).not.toMatch(/cut off/);
  });

  it('unterminatedLastLine: the last line of a file without a final newline; nothing for a terminated file, a header alone or a trailing blank', async () => {
    expect(await unterminatedLastLine(file('u1.csv', 'date,A\n2024-01-02,1\n2024-01-03,1.5'))).toBe('2024-01-03,1.5');
    expect(await unterminatedLastLine(file('u2.csv', 'date,A\r\n2024-01-02,1\r\n2024-01-03,1.5'))).toBe('2024-01-03,1.5');
    expect(await unterminatedLastLine(file('u3.csv', 'date,A\n2024-01-02,1\n'))).toBeUndefined();
    expect(await unterminatedLastLine(file('u4.csv', 'date,A\r\n2024-01-02,1\r\n\r'))).toBeUndefined();
    expect(await unterminatedLastLine(file('u5.csv', 'date,A\n2024-01-02,1\n  '))).toBeUndefined();
    expect(await unterminatedLastLine(file('u6.csv', 'date,A'))).toBeUndefined();
    expect(await unterminatedLastLine(file('u7.csv', ''))).toBeUndefined();
  });

  it('line numbers are physical: blank lines before a bad cell count', async () => {
    const f = file('blank.csv', 'date,A\n2024-01-02,1\n\n\n2024-01-03,x\n');
    const e = await inputError(() => readPanel(f, { engine: 'fast' }));
    expect(e.location).toMatchObject({ line: 5, column: 'A', asset: 'A', date: '2024-01-03', value: 'x' });
    expect(e.message).toContain('not a number');
  });

  it('every error class with its fields', async () => {
    const cases: [string, string, Record<string, unknown>, RegExp, { kind?: 'prices' }?][] = [
      ['date,A,B\n2024-01-02,1\n', 'wide short row', { line: 2 }, /the row has 2 fields, the header has 3/],
      ['date,A\n2024-01-02,1,2\n', 'wide long row', { line: 2 }, /the row has 3 fields, the header has 2/],
      ['date,A\n2024-01-02,1\n,2\n', 'missing date', { line: 3, column: 'date', value: '' }, /missing date/],
      ['date,A\n2024-02-30,1\n', 'invalid date', { line: 2, column: 'date', value: '2024-02-30' }, /not a date/],
      [
        'date,A\n2024-01-02,1\n2024-01-02,2\n',
        'duplicate date',
        { line: 3, date: '2024-01-02' },
        /duplicate date 2024-01-02 on lines 2 and 3/,
      ],
      [
        'date,A,B\n2024-01-02,1,0\n',
        'wide non-positive',
        { line: 2, column: 'B', asset: 'B', date: '2024-01-02', value: '0' },
        /zero or negative/,
        { kind: 'prices' },
      ],
      ['date,asset,close\n2024-01-02,A,1\n2024-01-02, ,2\n', 'missing asset', { line: 3, column: 'asset' }, /missing asset/],
      [
        'date,asset,close\n2024-01-02,A,1\n2024-01-03,A,n.a.\n',
        'long text',
        { line: 3, column: 'close', asset: 'A', date: '2024-01-03', value: 'n.a.' },
        /not a number/,
      ],
      [
        'date,asset,close\n2024-01-02,A,1\n2024-01-03,A,-2\n',
        'long non-positive',
        { line: 3, column: 'close', asset: 'A', date: '2024-01-03', value: '-2' },
        /zero or negative/,
        { kind: 'prices' },
      ],
      [
        'date,asset,close\n2024-01-02,A,1\n2024-01-02,B,1\n2024-01-02,A,3\n',
        'long duplicate',
        { line: 2, asset: 'A', date: '2024-01-02' },
        /asset A on 2024-01-02 appears on lines 2 and 4/,
      ],
      ['date,asset,close\n2024-01-02,A\n', 'long short row', { line: 2 }, /the row has 2 fields, the header has 3/],
    ];
    for (const [text, name, loc, msg, opts] of cases) {
      const f = file(`err-${name.replace(/ /g, '-')}.csv`, text);
      const e = await inputError(() => readPanel(f, { engine: 'fast', ...opts }));
      expect(e.message, name).toMatch(msg);
      expect(e.location, name).toMatchObject({ file: f, ...loc });
    }
  });

  it('declines quoted fields and DuckDB-only date shapes: auto falls back to DuckDB, fast throws Declined', async () => {
    const q = file('quoted.csv', 'date,asset,close\n2024-01-02,"A,1",5\n2024-01-02,B,6\n');
    const r = await readPanel(q);
    expect(r.panel.assets).toEqual(['A,1', 'B']);
    await expect(readPanel(q, { engine: 'fast' })).rejects.toBeInstanceOf(Declined);
    const s = file('slash.csv', 'date,A\n2024/01/03,2\n2024/01/02,1\n');
    expect(Array.from((await readPanel(s)).panel.values)).toEqual([1, 2]);
    await expect(readPanel(s, { engine: 'fast' })).rejects.toBeInstanceOf(Declined);
  });

  it('date shapes: the written date on every path (wide, long, frame; fast and DuckDB), whatever the time and a non-zero offset', async () => {
    const shapes: [string, string][] = [
      ['2024-01-02', '2024-01-03'],
      ['2024-1-2', '2024-1-3'],
      ['2024/01/02', '2024/1/3'],
      ['20240102', '20240103'],
      ['2024-01-02 16:00:00', '2024-01-03T16:00'],
      ['2024-01-02T22:00:00-05:00', '2024-01-03 22:00:00-0500'],
      ['2024-01-02T00:00:00+09:00', '2024-01-03T01:30:00+09:00'],
      ['2024-01-02T00:00:00Z', '2024-01-03 00:00:00+00:00'],
      ['2024-01-02T00:00:00.000Z', '2024-01-03T00Z'],
    ];
    for (const [a, b] of shapes) {
      const wide = file('shape-wide.csv', `date,A,B\n${a},1,2\n${b},3,4\n`);
      const long = file('shape-long.csv', `date,asset,value\n${a},A,1\n${a},B,2\n${b},A,3\n${b},B,4\n`);
      for (const engine of ['auto', 'duckdb'] as const) {
        for (const f of [wide, long]) {
          const r = await readPanel(f, { engine });
          expect(r.panel.isoDates(), `${a} ${engine} ${f}`).toEqual(['2024-01-02', '2024-01-03']);
          expect(Array.from(r.panel.values)).toEqual([1, 2, 3, 4]);
        }
        expect((await readFrame(wide, { engine })).isoDates()).toEqual(['2024-01-02', '2024-01-03']);
      }
    }
  });

  it('dates refused on every path, with a hint that names the cause: a UTC time not at midnight, a two-digit year (DuckDB: the year 24), day/month, a zone name or era', async () => {
    const cases: [string, RegExp][] = [
      ['2024-01-02T21:00:00Z', /a time in UTC that is not midnight: the market's date is unknown/],
      ['2024-01-02 15:00:00+00:00', /a time in UTC that is not midnight/],
      ['24-01-02', /month\/day or day\/month, which cannot be told apart/], // DuckDB's cast read it as the year 24
      ['02/01/2024', /month\/day or day\/month/],
      ['2024-01-02 16:00:00 EST', /a time or suffix this reader does not take/],
      ['2024-01-02 BC', /a time or suffix this reader does not take/],
    ];
    for (const [bad, hint] of cases) {
      const wide = file('bad-wide.csv', `date,A\n2024-01-01,1\n${bad},2\n`);
      const long = file('bad-long.csv', `date,asset,value\n2024-01-01,A,1\n${bad},A,2\n`);
      for (const engine of ['auto', 'duckdb'] as const)
        for (const f of [wide, long]) {
          const e = await inputError(() => readPanel(f, { engine }));
          expect(e.location, `${bad} ${engine} ${f}`).toMatchObject({ line: 3, column: 'date', value: bad });
          expect(e.hint, bad).toMatch(hint);
        }
      await expect(readFrame(wide)).rejects.toThrow(/not a date/);
    }
  });

  it('a bad date shape only DuckDB reads is still located by the fallback', async () => {
    const e = await inputError(() => readPanel(file('yest.csv', 'date,A\n2024-01-02,1\n\nyesterday,2\n')));
    expect(e.location).toMatchObject({ column: 'date', value: 'yesterday' });
  });

  it('a large wide file streams through several chunks and equals the DuckDB read', async () => {
    const m = 300,
      n = 400;
    const lines = ['date,' + Array.from({ length: m }, (_, j) => `S${j}`).join(',')];
    for (let t = n - 1; t >= 0; t--)
      lines.push(
        `${formatIsoDate(DAY0 + t)},${Array.from({ length: m }, (_, j) => ((t * 31 + j * 17) % 23 === 0 ? '' : ((t + 1) * 1.001 + j / 7).toFixed(6))).join(',')}`,
      );
    const f = file('big.csv');
    writeFileSync(f, lines.join('\n'));
    sameRead(await readPanel(f, { engine: 'fast', shared: true }), await readPanel(f, { engine: 'duckdb' }));
  });
});

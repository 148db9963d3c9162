import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../../../src/core/calendar.js';
import { Frame } from '../../../src/core/frame.js';
import { Panel } from '../../../src/core/panel.js';
import { Table } from '../../../src/core/table.js';
import { readFrame } from '../../../src/io/readFrame.js';
import { readPanel } from '../../../src/io/readPanel.js';
import { tempPaths } from '../../../src/io/tempFiles.js';
import {
  GZIP_MEMBER_BYTES,
  toCsv,
  writeAtomic,
  writeJsonAtomic,
  writeOutputsTogether,
  writeTable,
  writeTextAtomic,
} from '../../../src/io/write.js';
import { tempDir } from './helpers.js';

const file = tempDir();
const dates = calendarFromIso(['2024-01-02', '2024-01-03']);
const panel = new Panel(dates, ['A', 'B,C'], Float64Array.from([1.5, NaN, -2, 3]));

describe('writers', () => {
  it('panel long and wide CSV text, NaN empty / skipped, quoting', () => {
    expect(toCsv(panel)).toBe('date,asset,value\n2024-01-02,A,1.5\n2024-01-03,A,-2\n2024-01-03,"B,C",3\n');
    expect(toCsv(panel, { wide: true })).toBe('date,A,"B,C"\n2024-01-02,1.5,\n2024-01-03,-2,3\n');
  });

  it('frame and records', () => {
    const f = new Frame(dates, ['mkt_rf', 'rf'], [Float64Array.from([0.01, NaN]), Float64Array.from([0.0001, 0.0002])]);
    expect(toCsv(f)).toBe('date,mkt_rf,rf\n2024-01-02,0.01,0.0001\n2024-01-03,,0.0002\n');
    expect(
      toCsv([
        { a: 1, b: 'x"y' },
        { c: true, a: Infinity },
      ]),
    ).toBe('a,b,c\n1,"x""y",\n,,true\n');
  });

  it('a Table is written as its records are, byte for byte, in every format', async () => {
    const table = new Table([
      { name: 'date', kind: 'text', codes: Int32Array.from([0, 0, 1, 1]), dictionary: ['2024-01-02', '2024-01-03'] },
      { name: 'signal_date', kind: 'text', codes: Int32Array.from([0, -1, 1, 1]), dictionary: ['2024-01-01', '2024-01-02'] },
      { name: 'asset', kind: 'text', codes: Int32Array.from([1, 0, 2, 1]), dictionary: ['A', 'B,C', 'D"E'] },
      { name: 'weight', kind: 'number', values: Float64Array.from([0.1, NaN, 1 / 3, -2e-17]) },
    ]);
    const records = table.toRecords();
    expect(toCsv(table)).toBe(toCsv(records));
    expect(toCsv(table)).toBe(
      'date,signal_date,asset,weight\n2024-01-02,2024-01-01,"B,C",0.1\n2024-01-02,,A,\n2024-01-03,2024-01-02,"D""E",0.3333333333333333\n2024-01-03,2024-01-02,"B,C",-2e-17\n',
    );
    for (const ext of ['csv', 'csv.gz', 'json', 'parquet']) {
      const a = file(`table.${ext}`),
        b = file(`records.${ext}`);
      await writeTable(a, table);
      await writeTable(b, records);
      expect(readFileSync(a).equals(readFileSync(b)), ext).toBe(true);
    }
  });

  it('.csv.gz is written as gzip members compressed side by side: one gzip stream, the same text, read back whole', async () => {
    // 800,000 long rows (2.4 M cells: the parallel formatter's size with 2 threads), ~26 MB of text: ~6 members of GZIP_MEMBER_BYTES
    const n = 400_000;
    const big = new Panel(
      calendarFromIso(Array.from({ length: n }, (_, t) => new Date(Date.UTC(1000, 0, 1 + t)).toISOString().slice(0, 10))),
      ['A', 'B'],
      Float64Array.from({ length: 2 * n }, (_, i) => 1 + i / 3),
    );
    const text = toCsv(big);
    for (const threads of [1, 2]) {
      const gz = file(`big-${threads}.csv.gz`);
      await writeTable(gz, big, { threads });
      const bytes = readFileSync(gz);
      // each member starts with zlib's header 1f 8b 08 00 00000000 (no flags, no time): count them
      const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
      let members = 0;
      for (let at = bytes.indexOf(header); at >= 0; at = bytes.indexOf(header, at + 1)) members++;
      expect(bytes.indexOf(header)).toBe(0);
      expect(members).toBeLessThan(10);
      expect(members).toBeGreaterThanOrEqual(Math.floor(text.length / GZIP_MEMBER_BYTES));
      expect(gunzipSync(bytes).toString('utf8') === text).toBe(true);
    }
    const back = (await readPanel(file('big-2.csv.gz'))).panel;
    expect(back.values.length).toBe(big.values.length);
    expect(back.values.every((v, i) => v === big.values[i])).toBe(true);
    // an empty table is still a valid gzip file of its header line
    const empty = file('empty.csv.gz');
    await writeTable(empty, []);
    expect(gunzipSync(readFileSync(empty)).toString('utf8')).toBe(toCsv([]));
  });

  it('writeTable by extension: .csv, .csv.gz, .json, .parquet; all read back', async () => {
    const csv = file('p.csv'),
      gz = file('p.csv.gz'),
      json = file('p.json'),
      pq = file('p.parquet');
    await writeTable(csv, panel);
    await writeTable(gz, panel, { wide: true });
    await writeTable(json, panel);
    await writeTable(pq, panel, { wide: true });
    expect(readFileSync(csv, 'utf8')).toBe(toCsv(panel));
    expect(gunzipSync(readFileSync(gz)).toString('utf8')).toBe(toCsv(panel, { wide: true }));
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual([
      { date: '2024-01-02', asset: 'A', value: 1.5 },
      { date: '2024-01-03', asset: 'A', value: -2 },
      { date: '2024-01-03', asset: 'B,C', value: 3 },
    ]);
    for (const f of [gz, pq]) {
      const back = (await readPanel(f)).panel;
      expect(back.assets).toEqual(['A', 'B,C']);
      expect(Array.from(back.values)).toEqual([1.5, NaN, -2, 3]);
    }
    const frame = await readFrame(pq, { columns: ['B,C'] });
    expect(frame.columns).toEqual(['B,C']);
    expect(Array.from(frame.get('B,C'))).toEqual([NaN, 3]);
  });

  it('JSON: NaN and infinities become null', async () => {
    const f = file('v.json');
    await writeJsonAtomic(f, { a: NaN, b: [1, Infinity], c: Float64Array.from([2, NaN]) });
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ a: null, b: [1, null], c: [2, null] });
  });

  it('atomic: a failing write leaves the old file and no temporary file', async () => {
    const f = file('keep.txt');
    await writeTextAtomic(f, 'old');
    const before = readdirSync(dirname(f)).length;
    await expect(
      writeAtomic(f, async (tmp) => {
        await writeTextAtomic(`${tmp}.inner`, 'x'); // something else in flight
        const { writeFile } = await import('node:fs/promises');
        await writeFile(tmp, 'half');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readFileSync(f, 'utf8')).toBe('old');
    const left = readdirSync(dirname(f)).filter((n) => n.includes('keep.txt') && n.endsWith('.tmp'));
    expect(left).toEqual([]);
    expect(readdirSync(dirname(f)).length).toBe(before + 1); // only the explicit .inner helper file remains
  });

  it('a failing Parquet write removes its temporary files', async () => {
    const f = file('bad.parquet');
    // A record column mixing text that is not a number with DOUBLE type inference cannot fail; force failure by a directory target.
    await expect(writeTable(`${f}/nested/x.parquet`, panel)).rejects.toThrow();
    expect(existsSync(f)).toBe(false);
  });
});

describe('writeOutputsTogether: the outputs of a run land together or not at all', () => {
  const tmpsOf = (f: string): string[] =>
    readdirSync(dirname(f)).filter((n) => n.startsWith(`.${f.split('/').pop()}.`) && n.endsWith('.tmp'));

  it('nothing is renamed until the scope ends; then every output is, and no temporary file stays', async () => {
    const a = file('together-a.csv'),
      b = file('together-b.json');
    await writeTextAtomic(a, 'old a');
    const inside = await writeOutputsTogether(async () => {
      await writeTable(a, panel);
      await writeJsonAtomic(b, { x: 1 });
      // written whole, but still the old content / absent, and in the registry of temporary paths
      expect(readFileSync(a, 'utf8')).toBe('old a');
      expect(existsSync(b)).toBe(false);
      expect(tmpsOf(a)).toHaveLength(1);
      expect(tempPaths().filter((p) => p.includes('together-'))).toHaveLength(2);
      return 'done';
    });
    expect(inside).toBe('done');
    expect(readFileSync(a, 'utf8')).toBe(toCsv(panel));
    expect(JSON.parse(readFileSync(b, 'utf8'))).toEqual({ x: 1 });
    expect([...tmpsOf(a), ...tmpsOf(b)]).toEqual([]);
    expect(tempPaths().filter((p) => p.includes('together-'))).toEqual([]);
  });

  it('a failure after the first output leaves every target as it was', async () => {
    const a = file('fail-a.csv'),
      b = file('fail-b.csv');
    await writeTextAtomic(a, 'old a');
    await expect(
      writeOutputsTogether(async () => {
        await writeTable(a, panel);
        await writeTable(b, panel);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(readFileSync(a, 'utf8')).toBe('old a');
    expect(existsSync(b)).toBe(false);
    expect([...tmpsOf(a), ...tmpsOf(b)]).toEqual([]);
    expect(tempPaths().filter((p) => p.includes('fail-'))).toEqual([]);
  });

  it('a target written twice in one run gets the second content, and the first temporary file goes', async () => {
    const a = file('twice.txt');
    await writeOutputsTogether(async () => {
      await writeTextAtomic(a, 'first');
      await writeTextAtomic(a, 'second');
      expect(tmpsOf(a)).toHaveLength(1);
    });
    expect(readFileSync(a, 'utf8')).toBe('second');
    expect(tmpsOf(a)).toEqual([]);
  });

  it('outside a scope each output is renamed as it is written (the zoo, the worker)', async () => {
    const a = file('asap.txt');
    await writeTextAtomic(a, 'now');
    expect(readFileSync(a, 'utf8')).toBe('now');
  });
});

/**
 * The streamed writers: every format round-trips, wide and long, with missing cells, asset names
 * that need quoting, empty tables, chunk boundaries and shared memory; temporary files are
 * registered while in flight and gone afterwards.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFromIso } from '../../../src/core/calendar.js';
import { InputError } from '../../../src/core/errors.js';
import { Frame } from '../../../src/core/frame.js';
import { Panel } from '../../../src/core/panel.js';
import { withConnection } from '../../../src/io/duckdb.js';
import { readFrame } from '../../../src/io/readFrame.js';
import { readPanel } from '../../../src/io/readPanel.js';
import { blockRows, tableSource } from '../../../src/io/tableBlocks.js';
import { tempPaths } from '../../../src/io/tempFiles.js';
import { csvChunks, jsonChunks } from '../../../src/io/textBlocks.js';
import { toCsv, writeTable } from '../../../src/io/write.js';
import { tempDir } from './helpers.js';

const file = tempDir();
const dates = calendarFromIso(['2024-01-02', '2024-01-03', '2024-01-05']);
const names = ['plain', 'B,C', 'say "hi"', 'ünï'];
const panel = new Panel(dates, names, Float64Array.from([1.5, NaN, -2, 3, Infinity, 0.1, NaN, 1e-7, -0, 12345.678, 2 ** 60, -Infinity]));
/** The panel as it reads back: non-finite values are missing, -0 is 0. */
const expected = Array.from(panel.values, (v) => (Number.isFinite(v) ? v + 0 : NaN));

function text(chunks: Iterable<Uint8Array>): string {
  return Buffer.concat(Array.from(chunks)).toString('utf8');
}

const sameValues = (a: Float64Array, b: readonly number[]): void => {
  expect(Array.from(a).map((v) => (Object.is(v, -0) ? 0 : v))).toEqual(b);
};

describe('writeTable: round trips through the readers, every format', () => {
  it('CSV, CSV.gz and Parquet, long and wide, read back cell for cell', async () => {
    for (const ext of ['csv', 'csv.gz', 'parquet']) {
      for (const wide of [false, true]) {
        const f = file(`rt-${wide ? 'wide' : 'long'}.${ext}`);
        await writeTable(f, panel, { wide });
        const back = (await readPanel(f, { layout: wide ? 'wide' : 'long' })).panel;
        expect(Array.from(back.dates)).toEqual(Array.from(dates));
        // the reader sorts assets; compare by name
        const order = panel.assets.map((a) => back.assets.indexOf(a));
        expect(order.every((j) => j >= 0)).toBe(true);
        const got = Array.from(
          { length: panel.nDates * panel.nAssets },
          (_, i) => back.values[Math.floor(i / panel.nAssets) * back.nAssets + order[i % panel.nAssets]],
        );
        sameValues(Float64Array.from(got), expected);
      }
    }
  });

  it('JSON: one record per line, null for missing in wide, missing cells skipped in long', async () => {
    const long = file('rt.json'),
      wide = file('rt-wide.json');
    await writeTable(long, panel);
    await writeTable(wide, panel, { wide: true });
    const records = JSON.parse(readFileSync(long, 'utf8')) as { date: string; asset: string; value: number }[];
    expect(records.length).toBe(expected.filter((v) => v === v).length);
    expect(records[0]).toEqual({ date: '2024-01-02', asset: 'plain', value: 1.5 });
    expect(records.map((r) => r.asset)).toContain('say "hi"');
    const rows = JSON.parse(readFileSync(wide, 'utf8')) as Record<string, string | number | null>[];
    expect(rows[1]).toEqual({ date: '2024-01-03', plain: null, 'B,C': 0.1, 'say "hi"': null, ünï: 1e-7 });
    expect(readFileSync(wide, 'utf8').split('\n').length).toBe(panel.nDates + 3); // [, one line per record, ], final newline
  });

  it('CSV text: RFC 4180 quoting, NaN and infinities empty, shortest round-trip numbers', () => {
    expect(toCsv(panel, { wide: true })).toBe(
      'date,plain,"B,C","say ""hi""",ünï\n2024-01-02,1.5,,-2,3\n2024-01-03,,0.1,,1e-7\n2024-01-05,0,12345.678,1152921504606847000,\n',
    );
    const lines = toCsv(new Panel(dates.subarray(0, 1), ['line\nbreak'], Float64Array.of(2))).split('\n');
    expect(lines.slice(0, 3)).toEqual(['date,asset,value', '2024-01-02,"line', 'break",2']);
  });

  it('long panels keep a blank date and a blank asset (one empty-valued row each), in every format', async () => {
    // dates[1] has no value at all, asset C none either
    const p = new Panel(dates, ['A', 'B', 'C'], Float64Array.of(1, 2, NaN, NaN, NaN, NaN, 3, NaN, NaN));
    expect(toCsv(p)).toBe('date,asset,value\n2024-01-02,A,1\n2024-01-02,B,2\n2024-01-02,C,\n2024-01-03,A,\n2024-01-05,A,3\n');
    for (const ext of ['csv', 'csv.gz', 'parquet']) {
      const f = file(`grid.${ext}`);
      await writeTable(f, p);
      const back = (await readPanel(f)).panel;
      expect(Array.from(back.dates)).toEqual(Array.from(dates));
      expect(back.assets).toEqual(['A', 'B', 'C']);
      expect(Array.from(back.values)).toEqual(Array.from(p.values));
    }
  });

  it('a full disk (or a short Parquet write) is an InputError naming the target, and nothing is left', async () => {
    const { writeAtomic } = await import('../../../src/io/write.js');
    const { writeFile } = await import('node:fs/promises');
    const target = file('full.csv');
    for (const fail of [
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
      new Error('short write to x.tmp: 1 of 2 bytes'),
    ]) {
      const e = await writeAtomic(target, async (tmp) => {
        await writeFile(tmp, 'partial');
        throw fail;
      }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).message).toMatch(/full\.csv: no space left on the device/);
      expect(readdirSync(dirname(target)).filter((n) => n.includes('full.csv'))).toEqual([]);
    }
    // any other failure passes through as it was
    const other = new Error('boom');
    await expect(writeAtomic(target, () => Promise.reject(other))).rejects.toBe(other);
  });

  it('empty tables: header only, [] and a Parquet file with no rows', async () => {
    const none = new Panel(dates.subarray(0, 0), ['A', 'B'], new Float64Array(0));
    const allMissing = new Panel(dates, ['A'], new Float64Array(3).fill(NaN));
    expect(toCsv(none)).toBe('date,asset,value\n');
    // every date and asset keeps a row, with an empty value, so the grid survives the round trip
    expect(toCsv(allMissing)).toBe('date,asset,value\n2024-01-02,A,\n2024-01-03,A,\n2024-01-05,A,\n');
    expect(toCsv(none, { wide: true })).toBe('date,A,B\n');
    expect(text(jsonChunks(tableSource(none, false)))).toBe('[]\n');
    expect(JSON.parse(text(jsonChunks(tableSource([], false))))).toEqual([]);
    const f = file('empty.parquet');
    await writeTable(f, new Panel(dates.subarray(0, 0), [], new Float64Array(0)));
    await writeTable(file('empty-wide.parquet'), allMissing, { wide: true });
    const counts = await withConnection(
      async (con) =>
        (
          await con.runAndReadAll(
            `SELECT (SELECT count(*) FROM '${f}'), (SELECT count(*) FROM '${file('empty-wide.parquet')}'), (SELECT count("A") FROM '${file('empty-wide.parquet')}')`,
          )
        ).getRows()[0],
    );
    expect(counts.map(Number)).toEqual([0, 3, 0]);
  });

  it('chunks: any chunk size gives the same text; a chunk holds whole rows', () => {
    const rng = fc.sample(fc.double({ min: -1e3, max: 1e3, noNaN: true }), 40 * 30);
    const big = new Panel(
      Int32Array.from({ length: 40 }, (_, t) => 19000 + t),
      Array.from({ length: 30 }, (_, j) => `S${j}`),
      Float64Array.from(rng),
    );
    for (const wide of [false, true]) {
      const whole = toCsv(big, { wide });
      for (const size of [1, 100, 4096]) {
        const chunks = Array.from(csvChunks(tableSource(big, wide), size));
        expect(text(chunks)).toBe(whole);
        for (const c of chunks) expect(c[c.length - 1]).toBe(0x0a);
        // reuse: every chunk in one piece of memory, the same text when each is used before the next
        expect(text(Array.from(csvChunks(tableSource(big, wide), size, true), (c) => Buffer.from(c)))).toBe(whole);
      }
      expect(text(jsonChunks(tableSource(big, wide), 64))).toBe(text(jsonChunks(tableSource(big, wide))));
    }
  });

  it('blocks hold at most 64 Ki cells and 2,048 rows, at least one row', () => {
    expect(blockRows(3)).toBe(2048);
    expect(blockRows(5775)).toBe(11);
    expect(blockRows(1_000_000)).toBe(1);
    const src = tableSource(
      new Panel(
        Int32Array.from({ length: 50 }, (_, t) => t),
        Array.from({ length: 5000 }, (_, j) => `A${j}`),
        new Float64Array(250_000).fill(1),
      ),
      true,
    );
    let rows = 0;
    for (const b of src.blocks()) {
      expect(b.rows * 5001).toBeLessThanOrEqual(1 << 16);
      rows += b.rows;
    }
    expect(rows).toBe(50);
  });

  it('frames and records (mixed, boolean, object and missing cells) in every format', async () => {
    const shared = new Float64Array(new SharedArrayBuffer(24)).fill(0.25);
    const frame = new Frame(dates, ['mkt_rf', 'rf'], [Float64Array.from([0.01, NaN, -0.02]), shared]);
    const fp = file('frame.parquet');
    await writeTable(fp, frame);
    const back = await readFrame(fp);
    expect(Array.from(back.get('mkt_rf'))).toEqual([0.01, NaN, -0.02]);
    expect(Array.from(back.get('rf'))).toEqual([0.25, 0.25, 0.25]);
    const records = [
      { asset: 'A', n: 1, ok: true, extra: { x: 1 } },
      { asset: 'B,"b"', n: null, ok: false },
      { asset: null, n: NaN, mixed: 3 },
      { mixed: 'x' },
    ];
    expect(toCsv(records)).toBe('asset,n,ok,extra,mixed\nA,1,true,"{""x"":1}",\n"B,""b""",,false,,\n,,,,3\n,,,,x\n');
    const fj = file('records.json');
    await writeTable(fj, records);
    expect(JSON.parse(readFileSync(fj, 'utf8'))).toEqual([
      { asset: 'A', n: 1, ok: 'true', extra: '{"x":1}', mixed: null },
      { asset: 'B,"b"', n: null, ok: 'false', extra: null, mixed: null },
      { asset: null, n: null, ok: null, extra: null, mixed: '3' },
      { asset: null, n: null, ok: null, extra: null, mixed: 'x' },
    ]);
    const rp = file('records.parquet');
    await writeTable(rp, records);
    const rows = await withConnection(async (con) => (await con.runAndReadAll(`SELECT asset, n, ok, mixed FROM '${rp}'`)).getRows());
    expect(rows).toEqual([
      ['A', 1, 'true', null],
      ['B,"b"', null, 'false', null],
      [null, null, null, '3'],
      [null, null, null, 'x'],
    ]);
  });

  it('Parquet: NULLs in one block do not leak into the next (DuckDB reuses the output vectors)', async () => {
    const n = 5000; // three blocks of up to 2,048 rows
    const a = Float64Array.from({ length: n }, (_, t) => (t < 2048 && t % 3 === 0 ? NaN : t));
    const b = Float64Array.from({ length: n }, (_, t) => (t >= 4096 ? NaN : -t));
    const f = file('blocks.parquet');
    await writeTable(
      f,
      new Frame(
        Int32Array.from({ length: n }, (_, t) => t),
        ['a', 'b'],
        [a, b],
      ),
    );
    const back = await readFrame(f);
    expect(Array.from(back.get('a'))).toEqual(Array.from(a));
    expect(Array.from(back.get('b'))).toEqual(Array.from(b)); // -0 stays -0 in Parquet
  });

  it('gzip output is a valid gzip stream of the CSV', async () => {
    const f = file('g.csv.gz');
    await writeTable(f, panel);
    expect(gunzipSync(readFileSync(f)).toString('utf8')).toBe(toCsv(panel));
  });
});

describe('writeTable: property round trips', () => {
  const panelArb = fc
    .record({ nDates: fc.integer({ min: 1, max: 6 }), nAssets: fc.integer({ min: 1, max: 5 }) })
    .chain(({ nDates, nAssets }) =>
      fc
        .array(
          fc.oneof(fc.constant(NaN), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: -100, max: 100, noNaN: true })),
          { minLength: nDates * nAssets, maxLength: nDates * nAssets },
        )
        .map(
          (values) =>
            new Panel(
              Int32Array.from({ length: nDates }, (_, t) => 18000 + 3 * t),
              Array.from({ length: nAssets }, (_, j) => `A${j}`),
              Float64Array.from(values, (v) => v + 0),
            ),
        ),
    );

  it('long CSV.gz, wide Parquet and JSON give back every finite double exactly', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(panelArb, async (p) => {
        const gz = file(`p${k}.csv.gz`),
          pq = file(`p${k}.parquet`),
          js = file(`p${k++}.json`);
        await writeTable(
          gz,
          p.map((v, t, j) => (t === 0 || j === 0 ? 1 : v)),
        );
        await writeTable(pq, p, { wide: true });
        await writeTable(js, p, { wide: true });
        const fromGz = (await readPanel(gz, { layout: 'long' })).panel;
        expect(Array.from(fromGz.values)).toEqual(Array.from(p.map((v, t, j) => (t === 0 || j === 0 ? 1 : v)).values));
        const fromPq = (await readPanel(pq, { layout: 'wide' })).panel;
        expect(Array.from(fromPq.values)).toEqual(Array.from(p.values));
        const rows = JSON.parse(readFileSync(js, 'utf8')) as Record<string, number | null>[];
        expect(rows.flatMap((r) => p.assets.map((a) => r[a] ?? NaN))).toEqual(Array.from(p.values));
      }),
      { numRuns: 15 },
    );
  });
});

describe('writeTable: refusals and temporary files', () => {
  it('an unknown extension is an InputError and nothing is written', async () => {
    const f = file('x.xlsx');
    await expect(writeTable(f, panel)).rejects.toThrow(InputError);
    await expect(writeTable(f, panel)).rejects.toThrow(/\.csv, \.csv\.gz, \.parquet or \.json/);
    expect(existsSync(f)).toBe(false);
  });

  it('the temporary file is registered while the write is in flight, and gone afterwards', async () => {
    const f = file('tracked.csv');
    const before = readdirSync(dirname(f)).filter((n) => n.endsWith('.tmp'));
    const pending = writeTable(f, panel);
    const inFlight = tempPaths();
    expect(inFlight.length).toBe(1);
    expect(inFlight[0]).toMatch(/\.tracked\.csv\.\d+\.[0-9a-f]+\.tmp$/);
    await pending;
    expect(tempPaths()).toEqual([]);
    expect(readdirSync(dirname(f)).filter((n) => n.endsWith('.tmp'))).toEqual(before);
  });
});

/**
 * The TypeScript Parquet writer (src/io/parquet/): its Thrift compact and RLE-hybrid encoders on
 * hand-computed bytes, then whole files read back by two independent readers, DuckDB and
 * hyparquet (pure JavaScript), value for value (types, NULLs, -0, empty strings, unicode, 0 rows,
 * many row groups), against what DuckDB's own writer produced from the same source (schema,
 * values, statistics), and as a fast-check property over random tables.
 */
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { withConnection } from '../../../src/io/duckdb.js';
import { writeParquetDuckDB } from '../../../src/io/parquet/duckdbWrite.js';
import { bitWidth, ByteSink, encodeHybrid } from '../../../src/io/parquet/rle.js';
import { CompactWriter, CT } from '../../../src/io/parquet/thrift.js';
import { writeParquetFile } from '../../../src/io/parquet/writer.js';
import { parquetDecline, writeParquet } from '../../../src/io/parquetWrite.js';
import type { Block, TableColumn, TableSource } from '../../../src/io/tableBlocks.js';
import { tempDir } from './helpers.js';

const file = tempDir();

/** A column of a test table: days, numbers (NaN / ±Infinity = NULL) or strings (null = NULL). */
type Col =
  | { name: string; kind: 'date'; values: number[] }
  | { name: string; kind: 'number'; values: number[] }
  | { name: string; kind: 'text'; values: (string | null)[] };

/** A TableSource over plain columns, in blocks of `blockSize` rows (text coded by first occurrence). */
function source(cols: Col[], blockSize = 7): TableSource {
  const n = cols.length > 0 ? cols[0].values.length : 0;
  const coded = cols.map((c) => {
    if (c.kind !== 'text') return null;
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const codes = c.values.map((s) => {
      if (s === null) return -1;
      let k = index.get(s);
      if (k === undefined) {
        k = dictionary.length;
        index.set(s, k);
        dictionary.push(s);
      }
      return k;
    });
    return { dictionary, codes };
  });
  const columns: TableColumn[] = cols.map((c, k) =>
    c.kind === 'text' ? { name: c.name, kind: 'text', dictionary: coded[k]?.dictionary ?? [] } : { name: c.name, kind: c.kind },
  );
  return {
    columns,
    rowCount: n,
    *blocks(): Generator<Block> {
      for (let r0 = 0; r0 < n; r0 += blockSize) {
        const r1 = Math.min(n, r0 + blockSize);
        yield {
          rows: r1 - r0,
          data: cols.map((c, k) => {
            if (c.kind === 'number') return Float64Array.from(c.values.slice(r0, r1));
            if (c.kind === 'date') return Int32Array.from(c.values.slice(r0, r1));
            return Int32Array.from((coded[k]?.codes ?? []).slice(r0, r1));
          }),
        };
      }
    },
  };
}

/** What a reader should give back for column `c`, row `r`: null for NULL, days for dates. */
function expectedCell(c: Col, r: number): number | string | null {
  const v = c.values[r];
  if (c.kind === 'number') return Number.isFinite(v) ? (v as number) : null;
  return v;
}

const same = (a: unknown, b: unknown): boolean => Object.is(a, b) || (typeof a === 'bigint' && Number(a) === b);

async function readDuckDB(f: string, cols: Col[]): Promise<{ rows: unknown[][]; types: string[] }> {
  return withConnection(async (con) => {
    // dates as day numbers, doubles with their sign bit (-0) intact
    const select = cols
      .map((c, k) => {
        const q = `"${c.name.replace(/"/g, '""')}"`;
        return c.kind === 'date' ? `(${q} - DATE '1970-01-01')::INTEGER AS c${k}` : `${q} AS c${k}`;
      })
      .join(', ');
    const rows = (await con.runAndReadAll(`SELECT ${select} FROM read_parquet('${f}')`)).getRows() as unknown[][];
    const types = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${f}')`)).getRows().map((r) => String(r[1]));
    return { rows, types };
  });
}

async function readHyparquet(f: string): Promise<Record<string, unknown>[]> {
  const b = readFileSync(f);
  const ab = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  return (await parquetReadObjects({ file: ab, parsers: { dateFromDays: (d: number) => d } })) as Record<string, unknown>[];
}

const typeOf = { date: 'DATE', number: 'DOUBLE', text: 'VARCHAR' } as const;

/** Writes `cols` with the TypeScript writer and checks both readers give every cell back. */
async function roundTrip(name: string, cols: Col[], groupCells?: number): Promise<string> {
  const f = file(name);
  await writeParquetFile(f, source(cols), { groupCells });
  const n = cols.length > 0 ? cols[0].values.length : 0;
  const duck = await readDuckDB(f, cols);
  expect(duck.types).toEqual(cols.map((c) => typeOf[c.kind]));
  expect(duck.rows.length).toBe(n);
  const hy = await readHyparquet(f);
  expect(hy.length).toBe(n);
  for (let r = 0; r < n; r++)
    cols.forEach((c, k) => {
      const want = expectedCell(c, r);
      const got = duck.rows[r][k];
      if (!same(got, want))
        expect({ reader: 'duckdb', r, column: c.name, got }).toEqual({ reader: 'duckdb', r, column: c.name, got: want });
      const h = hy[r][c.name];
      if (!same(h, want))
        expect({ reader: 'hyparquet', r, column: c.name, got: h }).toEqual({ reader: 'hyparquet', r, column: c.name, got: want });
    });
  return f;
}

describe('Thrift compact protocol', () => {
  it('field headers, zigzag varints, lists, booleans, nested structs (hand-computed bytes)', () => {
    const w = new CompactWriter();
    w.i32(1, 5); // delta 1, type I32 (5): 0x15; zigzag(5) = 10
    w.i32(3, -1); // delta 2: 0x25; zigzag(-1) = 1
    w.i64(20, 300); // delta 17 > 15: type byte 0x06, zigzag(20) = 40 (0x28); zigzag(300) = 600 = 0xd8 0x04
    w.bool(21, true); // delta 1, TRUE (1): 0x11
    w.listHeader(22, CT.I32, 2); // 0x19, (2 << 4) | 5 = 0x25
    w.zigzag(1);
    w.zigzag(-2); // 2, 3
    w.beginStruct(23); // 0x1c; nested ids restart
    w.string(1, 'é'); // 0x18, length 2, 0xc3 0xa9
    w.endStruct(); // 0x00
    w.listHeader(24, CT.STRUCT, 15); // 0x19, 0xfc, 15
    w.i64(25, 2 ** 40); // 0x16, zigzag 2^41: varint of 2^41 = 0x80 x5, then 0x40
    w.endStruct();
    expect(Array.from(w.bytes())).toEqual([
      0x15, 10, 0x25, 1, 0x06, 40, 0xd8, 0x04, 0x11, 0x19, 0x25, 2, 3, 0x1c, 0x18, 2, 0xc3, 0xa9, 0x00, 0x19, 0xfc, 15, 0x16, 0x80, 0x80,
      0x80, 0x80, 0x80, 0x40, 0x00,
    ]);
  });
});

/** An independent decoder of the RLE / bit-packing hybrid (the format's description, bit by bit). */
function decodeHybrid(bytes: Uint8Array, w: number, count: number): number[] {
  const out: number[] = [];
  let p = 0;
  const varint = (): number => {
    let v = 0,
      mul = 1,
      b: number;
    do {
      b = bytes[p++];
      v += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return v;
  };
  while (out.length < count) {
    const h = varint();
    if (h % 2 === 0) {
      let v = 0;
      for (let k = 0; k < (w + 7) >> 3; k++) v += bytes[p++] * 256 ** k;
      for (let k = 0; k < h / 2; k++) out.push(v);
    } else {
      const values = ((h - 1) / 2) * 8;
      for (let k = 0; k < values; k++) {
        let v = 0;
        for (let b = 0; b < w; b++) {
          const bit = k * w + b;
          if ((bytes[p + (bit >> 3)] >> (bit & 7)) & 1) v += 2 ** b;
        }
        out.push(v);
      }
      p += ((h - 1) / 2) * w;
    }
  }
  expect(p).toBe(bytes.length);
  return out.slice(0, count);
}

describe('RLE / bit-packing hybrid', () => {
  const enc = (v: number[], w: number): number[] => {
    const s = new ByteSink(4);
    encodeHybrid(v, v.length, w, s);
    return Array.from(s.bytes());
  };

  it('hand-computed: a run, the format document example, padding', () => {
    expect(enc([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 1)).toEqual([20, 1]); // RLE: 10 << 1, value in 1 byte
    expect(enc([300, 300, 300, 300, 300, 300, 300, 300], 9)).toEqual([16, 0x2c, 0x01]); // value in 2 bytes
    // 0..7 at width 3: one group, header (1 << 1) | 1, bytes 10001000 11000110 11111010
    expect(enc([0, 1, 2, 3, 4, 5, 6, 7], 3)).toEqual([3, 0x88, 0xc6, 0xfa]);
    expect(enc([1, 0, 1], 1)).toEqual([3, 0b101]); // one padded group
    expect(bitWidth(0)).toBe(0);
    expect(bitWidth(1)).toBe(1);
    expect(bitWidth(4999)).toBe(13);
    expect(bitWidth(2 ** 31)).toBe(32);
  });

  it('decodes back to the input (fast-check; widths 1..32, runs and noise mixed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }),
        fc.array(fc.tuple(fc.nat({ max: 20 }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 40 }),
        (w, pieces) => {
          const v: number[] = [];
          for (const [len, x] of pieces) {
            const value = Math.floor(x * (2 ** w - 1));
            for (let k = 0; k < len; k++) v.push(len % 3 === 0 ? (value + k) % 2 ** w : value);
          }
          const bytes = new ByteSink(1);
          encodeHybrid(v, v.length, w, bytes);
          expect(decodeHybrid(bytes.bytes(), w, v.length)).toEqual(v);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('writeParquetFile: read back by DuckDB and hyparquet', () => {
  const edge: Col[] = [
    { name: 'date', kind: 'date', values: [19000, 19000, 19001, -1, 0, 2 ** 20] },
    { name: 'value', kind: 'number', values: [1.5, NaN, -0, 0, Infinity, -Infinity] },
    { name: 'small', kind: 'number', values: [Number.MIN_VALUE, -Number.MAX_VALUE, 1e-310, 0.1, 2 ** 53 + 2, -1] },
    { name: 'asset', kind: 'text', values: ['A', '', null, 'ünï 日本 🎉', 'A', 'say "hi", ok'] },
    { name: 'all null', kind: 'text', values: [null, null, null, null, null, null] },
    { name: 'none', kind: 'number', values: [NaN, NaN, NaN, NaN, NaN, NaN] },
  ];

  it('edge values: NULL for NaN / ±Infinity, -0 kept, empty and unicode strings, all-NULL columns', async () => {
    await roundTrip('edge.parquet', edge);
  });

  it('0 rows, and 1 row', async () => {
    await roundTrip(
      'zero.parquet',
      edge.map((c) => ({ ...c, values: [] }) as Col),
    );
    await roundTrip(
      'one.parquet',
      edge.map((c) => ({ ...c, values: c.values.slice(0, 1) }) as Col),
    );
  });

  it('many row groups (a long panel shape: dates repeat, asset codes cycle), dictionaries per group', async () => {
    const m = 37,
      n = 41;
    const cols: Col[] = [
      { name: 'date', kind: 'date', values: Array.from({ length: n * m }, (_, i) => 18000 + Math.floor(i / m)) },
      { name: 'asset', kind: 'text', values: Array.from({ length: n * m }, (_, i) => `S${i % m}`) },
      { name: 'value', kind: 'number', values: Array.from({ length: n * m }, (_, i) => (i % 11 === 0 ? NaN : Math.sin(i) * 1e3)) },
    ];
    const f = await roundTrip('groups.parquet', cols, 3 * 100);
    const b = readFileSync(f);
    const meta = parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    expect(meta.row_groups.length).toBe(Math.ceil((n * m) / 100));
    expect(meta.row_groups[0].columns.map((c) => c.meta_data?.encodings)).toEqual([['RLE_DICTIONARY'], ['RLE_DICTIONARY'], ['PLAIN']]);
    await roundTrip('one-row-groups.parquet', cols, 1); // a row group per row
  });

  it('a source that fails after some row groups were handed to the disk rejects with its error, no write left in flight', async () => {
    const m = 13,
      n = 50;
    const cols: Col[] = [
      { name: 'date', kind: 'date', values: Array.from({ length: n * m }, (_, i) => 18000 + Math.floor(i / m)) },
      { name: 'value', kind: 'number', values: Array.from({ length: n * m }, (_, i) => i / 7) },
    ];
    const good = source(cols);
    let blocks = 0;
    const failing: TableSource = {
      ...good,
      *blocks() {
        for (const b of good.blocks()) {
          if (++blocks === 40) throw new Error('the source broke');
          yield b;
        }
      },
    };
    const f = file('broken.parquet');
    await expect(writeParquetFile(f, failing, { groupCells: 2 * 20 })).rejects.toThrow('the source broke');
    expect(blocks).toBe(40); // several groups were flushed before
  });

  it.runIf(existsSync('/dev/full'))('a write that fails (ENOSPC on /dev/full) rejects with the system error', async () => {
    const m = 13,
      n = 50;
    const cols: Col[] = [
      { name: 'date', kind: 'date', values: Array.from({ length: n * m }, (_, i) => 18000 + Math.floor(i / m)) },
      { name: 'value', kind: 'number', values: Array.from({ length: n * m }, (_, i) => i / 7) },
    ];
    // many row groups: the failure comes while later groups are being encoded
    await expect(writeParquetFile('/dev/full', source(cols), { groupCells: 2 * 20 })).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('a wide table (unique dates: PLAIN) and a date column that turns out too varied mid-group', async () => {
    const n = 300;
    const cols: Col[] = [
      { name: 'date', kind: 'date', values: Array.from({ length: n }, (_, t) => (t < 100 ? 18000 : 18000 + t)) },
      ...Array.from({ length: 5 }, (_, j): Col => ({
        name: `A${j}`,
        kind: 'number',
        values: Array.from({ length: n }, (_, t) => ((t + j) % 7 === 0 ? NaN : t * j - 0.5)),
      })),
    ];
    await roundTrip('wide.parquet', cols);
  });

  it('the same schema, values and statistics as DuckDB writer gave for the same source', async () => {
    const cols = edge.filter((c) => c.name !== 'all null' && c.name !== 'none');
    const ours = file('ours.parquet'),
      theirs = file('theirs.parquet');
    await writeParquetFile(ours, source(cols));
    await writeParquetDuckDB(theirs, source(cols));
    const a = await readDuckDB(ours, cols),
      b = await readDuckDB(theirs, cols);
    expect(a).toEqual(b);
    const q = (f: string): string =>
      `SELECT path_in_schema, type, stats_min_value, stats_max_value, stats_null_count, num_values FROM parquet_metadata('${f}') ORDER BY column_id`;
    const schema = (f: string): string =>
      `SELECT name, type, repetition_type, converted_type FROM parquet_schema('${f}') WHERE type IS NOT NULL`;
    await withConnection(async (con) => {
      const run = async (sql: string): Promise<unknown[][]> => (await con.runAndReadAll(sql)).getRows() as unknown[][];
      expect(await run(schema(ours))).toEqual(await run(schema(theirs)));
      expect(await run(q(ours))).toEqual(await run(q(theirs)));
    });
  });
});

describe('writeParquet: what the TypeScript writer declines', () => {
  it('column names equal ignoring case go through DuckDB (which renames them); no column is an error', async () => {
    const src = source([
      { name: 'x', kind: 'number', values: [1] },
      { name: 'X', kind: 'number', values: [2] },
    ]);
    expect(parquetDecline(src)).toMatch(/repeats/);
    expect(parquetDecline(source(edge0()))).toBeNull();
    const f = file('dup.parquet');
    await writeParquet(f, src);
    const names = await withConnection(async (con) =>
      (await con.runAndReadAll(`DESCRIBE SELECT * FROM '${f}'`)).getRows().map((r) => r[0]),
    );
    expect(names).toEqual(['x', 'X_1']);
    await expect(writeParquet(file('none.parquet'), source([]))).rejects.toThrow(/no column/);
  });
});

function edge0(): Col[] {
  return [{ name: 'a', kind: 'number', values: [1] }];
}

describe('writeParquetFile: property round trip over random tables', () => {
  const colArb: fc.Arbitrary<(n: number) => fc.Arbitrary<Col>> = fc.constantFrom(
    (n: number) =>
      fc
        .array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: n, maxLength: n })
        .map((values): Col => ({ name: '', kind: 'date', values })),
    (n: number) =>
      fc
        .array(fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0), fc.double({ min: -1, max: 1 })), {
          minLength: n,
          maxLength: n,
        })
        .map((values): Col => ({ name: '', kind: 'number', values })),
    (n: number) =>
      fc
        .array(fc.oneof(fc.constant(null), fc.constantFrom('', 'a', 'ünï', '日本'), fc.string({ unit: 'binary', maxLength: 6 })), {
          minLength: n,
          maxLength: n,
        })
        .map((values): Col => ({ name: '', kind: 'text', values })),
  );
  const tableArb = fc
    .record({
      n: fc.integer({ min: 0, max: 60 }),
      kinds: fc.array(colArb, { minLength: 1, maxLength: 4 }),
      groupCells: fc.integer({ min: 1, max: 200 }),
    })
    .chain(({ n, kinds, groupCells }) =>
      fc
        .tuple(fc.tuple(...kinds.map((k) => k(n))), fc.constant(groupCells))
        .map(([cols, g]) => ({ cols: cols.map((c, k) => ({ ...c, name: `c${k}` }) as Col), groupCells: g })),
    );

  it('every cell comes back exactly from both readers', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(tableArb, async ({ cols, groupCells }) => {
        await roundTrip(`prop${k++}.parquet`, cols, groupCells);
      }),
      { numRuns: 40 },
    );
  });
});

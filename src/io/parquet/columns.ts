/**
 * One column chunk of a row group, encoded: the pages (header and body, in file order) and the
 * chunk's metadata. Every column is OPTIONAL (as DuckDB writes them), so every data page starts
 * with its definition levels (1 = value present, 0 = NULL), RLE-hybrid coded with bit width 1
 * behind a 4-byte little-endian length; a chunk without NULLs costs one RLE run of a few bytes.
 *
 * - number -> DOUBLE, PLAIN (8 bytes little-endian per present value). NaN and ±Infinity are
 *   NULL (what the DuckDB writer wrote); -0 stays -0.
 * - date -> INT32 (converted type DATE: days since 1970-01-01). PLAIN when most values differ
 *   (a wide table's date column), else RLE_DICTIONARY (a long table's: a dictionary page of the
 *   distinct days, PLAIN, then the indices RLE-hybrid coded behind a 1-byte bit width).
 * - text -> BYTE_ARRAY (converted type UTF8), RLE_DICTIONARY: the chunk's dictionary is the
 *   column's dictionary entries that occur in it, in first-occurrence order (each entry a 4-byte
 *   length and its UTF-8 bytes).
 * A chunk with no present value is PLAIN with definition levels only.
 *
 * Statistics as DuckDB writes them: null_count; min/max (signed order, deprecated fields) and
 * min_value/max_value for numbers and dates (a zero minimum written as -0, a zero maximum as +0,
 * as the format asks); min_value/max_value (unsigned byte order) and distinct_count for text.
 *
 * The page bodies are views of the caller's row-group buffers where possible (a number column
 * without NULLs is its own PLAIN encoding; with NULLs the present values are compacted in place):
 * the caller must write them out before refilling those buffers.
 */
import { ConvertedType, Encoding, pageHeader, PhysicalType, type Statistics } from './format.js';
import { bitWidth, ByteSink, encodeHybrid } from './rle.js';

export type Kind = 'date' | 'number' | 'text';

export interface EncodedChunk {
  /** Header and body pieces in file order. */
  parts: Uint8Array[];
  /** Bytes of the dictionary page (header included), 0 when there is none; the data page follows it. */
  dictionaryBytes: number;
  totalBytes: number;
  type: number;
  encoding: number;
  numValues: number;
  statistics: Statistics;
}

export function physicalType(kind: Kind): { type: number; convertedType?: number } {
  if (kind === 'number') return { type: PhysicalType.DOUBLE };
  if (kind === 'date') return { type: PhysicalType.INT32, convertedType: ConvertedType.DATE };
  return { type: PhysicalType.BYTE_ARRAY, convertedType: ConvertedType.UTF8 };
}

const le32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n, true);
  return b;
};
const le64f = (x: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return b;
};

function bytesOf(a: Float64Array | Int32Array, n: number): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
}

/** Definition levels of `n` rows (`levels[r]` 1 or 0; null when all are 1) as `<4-byte length><hybrid runs>`. */
function definitionLevels(n: number, levels: Uint8Array | null): Uint8Array {
  const sink = new ByteSink(levels === null ? 16 : (n >> 3) + 16);
  sink.len = 4;
  if (levels === null) {
    if (n > 0) {
      sink.varint(n * 2);
      sink.room(1);
      sink.buf[sink.len++] = 1;
    }
  } else encodeHybrid(levels, n, 1, sink);
  new DataView(sink.buf.buffer).setInt32(0, sink.len - 4, true);
  return sink.bytes();
}

function dataPage(parts: Uint8Array[], rows: number, encoding: number, body: Uint8Array[]): number {
  let size = 0;
  for (const b of body) size += b.length;
  const header = pageHeader('data', rows, encoding, size, size);
  parts.push(header, ...body);
  return header.length + size;
}

function dictionaryPage(parts: Uint8Array[], entries: number, body: Uint8Array[]): number {
  let size = 0;
  for (const b of body) size += b.length;
  const header = pageHeader('dictionary', entries, Encoding.PLAIN, size, size);
  parts.push(header, ...body);
  return header.length + size;
}

/** `<bit width byte><hybrid runs>` of dictionary indices `idx[0..n)` into `entries` entries. */
function indexBody(idx: Int32Array, n: number, entries: number): Uint8Array {
  const w = Math.max(1, bitWidth(entries - 1));
  const sink = new ByteSink(((n * w) >> 3) + 64);
  sink.buf[sink.len++] = w;
  encodeHybrid(idx, n, w, sink);
  return sink.bytes();
}

/** A number column chunk: `values[0..n)`, non-finite = NULL. Compacts `values` in place. */
export function encodeNumbers(values: Float64Array, n: number): EncodedChunk {
  // levels are only materialised from the first NULL on (rows before it are all present)
  let levels: Uint8Array | null = null;
  let k = 0,
    min = Infinity,
    max = -Infinity;
  for (let r = 0; r < n; r++) {
    const x = values[r];
    if (x - x !== 0) {
      if (levels === null) levels = new Uint8Array(n).fill(1, 0, r);
      continue;
    }
    if (levels !== null) levels[r] = 1;
    if (x < min) min = x;
    if (x > max) max = x;
    values[k++] = x; // compaction in place (k === r until the first NULL)
  }
  const nulls = n - k;
  const statistics: Statistics = { nullCount: nulls };
  if (k > 0) {
    statistics.min = statistics.minValue = le64f(min === 0 ? -0 : min);
    statistics.max = statistics.maxValue = le64f(max === 0 ? 0 : max);
  }
  const parts: Uint8Array[] = [];
  const totalBytes = dataPage(parts, n, Encoding.PLAIN, [definitionLevels(n, levels), bytesOf(values, k)]);
  return { parts, dictionaryBytes: 0, totalBytes, type: PhysicalType.DOUBLE, encoding: Encoding.PLAIN, numValues: n, statistics };
}

/** A date column chunk: days `days[0..n)`, never NULL. Overwrites `days` with indices when dictionary coded. */
export function encodeDates(days: Int32Array, n: number): EncodedChunk {
  const levels = definitionLevels(n, null);
  // one pass: min, max and the distinct days in first-occurrence order (their codes written
  // over the days as it goes), giving up on the dictionary past n / 4 of them
  const limit = n >> 2;
  const index = new Map<number, number>();
  const dict: number[] = [];
  let min = 0,
    max = 0,
    last = 0,
    code = -1,
    r = 0;
  if (n > 0) min = max = last = days[0];
  for (; r < n; r++) {
    const x = days[r];
    if (x !== last || code < 0) {
      if (x < min) min = x;
      if (x > max) max = x;
      let c = index.get(x);
      if (c === undefined) {
        if (dict.length === limit) break;
        c = dict.length;
        index.set(x, c);
        dict.push(x);
      }
      last = x;
      code = c;
    }
    days[r] = code;
  }
  const parts: Uint8Array[] = [];
  const statistics: Statistics = { nullCount: 0 };
  if (r < n) {
    // PLAIN: undo the codes written so far, then min / max over the rest
    for (let q = 0; q < r; q++) days[q] = dict[days[q]];
    for (let q = r; q < n; q++) {
      const x = days[q];
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (n > 0) {
    statistics.min = statistics.minValue = le32(min);
    statistics.max = statistics.maxValue = le32(max);
  }
  if (r < n || n === 0) {
    const totalBytes = dataPage(parts, n, Encoding.PLAIN, [levels, bytesOf(days, n)]);
    return { parts, dictionaryBytes: 0, totalBytes, type: PhysicalType.INT32, encoding: Encoding.PLAIN, numValues: n, statistics };
  }
  const dictionaryBytes = dictionaryPage(parts, dict.length, [bytesOf(Int32Array.from(dict), dict.length)]);
  const totalBytes = dictionaryBytes + dataPage(parts, n, Encoding.RLE_DICTIONARY, [levels, indexBody(days, n, dict.length)]);
  return { parts, dictionaryBytes, totalBytes, type: PhysicalType.INT32, encoding: Encoding.RLE_DICTIONARY, numValues: n, statistics };
}

/** Unsigned byte order of two UTF-8 strings. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * A text column chunk: codes `codes[0..n)` into `entries` (the column's dictionary as UTF-8
 * bytes), -1 = NULL. `remap` is scratch of entries.length, all -1 on entry and on return.
 * Overwrites `codes` with the chunk's dictionary indices.
 */
export function encodeText(codes: Int32Array, n: number, entries: readonly Uint8Array[], remap: Int32Array): EncodedChunk {
  // one pass: the chunk's dictionary (remap), indices compacted in place over the codes, and
  // definition levels materialised from the first NULL on
  let levels: Uint8Array | null = null;
  const used: number[] = [];
  let k = 0;
  for (let r = 0; r < n; r++) {
    const c = codes[r];
    if (c < 0) {
      if (levels === null) levels = new Uint8Array(n).fill(1, 0, r);
      continue;
    }
    if (levels !== null) levels[r] = 1;
    let i = remap[c];
    if (i < 0) {
      i = remap[c] = used.length;
      used.push(c);
    }
    codes[k++] = i;
  }
  const nulls = n - k;
  const definition = definitionLevels(n, levels);
  for (const c of used) remap[c] = -1;
  const statistics: Statistics = { nullCount: nulls };
  const parts: Uint8Array[] = [];
  if (k === 0) {
    const totalBytes = dataPage(parts, n, Encoding.PLAIN, [definition]);
    return { parts, dictionaryBytes: 0, totalBytes, type: PhysicalType.BYTE_ARRAY, encoding: Encoding.PLAIN, numValues: n, statistics };
  }
  let min = entries[used[0]],
    max = min;
  let size = 0;
  for (const c of used) size += 4 + entries[c].length;
  const body = new Uint8Array(size);
  const view = new DataView(body.buffer);
  let p = 0;
  for (const c of used) {
    const e = entries[c];
    if (compareBytes(e, min) < 0) min = e;
    if (compareBytes(e, max) > 0) max = e;
    view.setInt32(p, e.length, true);
    body.set(e, p + 4);
    p += 4 + e.length;
  }
  statistics.minValue = min;
  statistics.maxValue = max;
  statistics.distinctCount = used.length;
  const dictionaryBytes = dictionaryPage(parts, used.length, [body]);
  const totalBytes = dictionaryBytes + dataPage(parts, n, Encoding.RLE_DICTIONARY, [definition, indexBody(codes, k, used.length)]);
  return { parts, dictionaryBytes, totalBytes, type: PhysicalType.BYTE_ARRAY, encoding: Encoding.RLE_DICTIONARY, numValues: n, statistics };
}

/**
 * CSV and JSON text of a {@link TableSource}, produced as a sequence of UTF-8 byte chunks of about
 * `chunkBytes` each, so a writer holds one chunk at a time, never the whole text.
 *
 * Cells: numbers as `String(v)` (numberText.ts; the shortest text that parses back to exactly `v`); NaN and
 * ±Infinity as an empty CSV cell and `null` in JSON; dates as `yyyy-mm-dd`; text as is, quoted in
 * CSV (RFC 4180) when it holds a comma, a quote or a line break. CSV has a header line and `\n`
 * line ends. JSON is an array of records, one record per line (`[`, then `{"date":...},` lines,
 * then `]`), keys in column order, every column present in every record.
 *
 * Speed: cells are written as bytes straight into the chunk (dictionary entries, dates and keys
 * encoded once), so the only allocation per cell is the short-lived `String(v)` of a number.
 * Building the text as JS strings instead spent more time in the garbage collector (long rope
 * strings surviving into the old generation) than in formatting.
 */
import { formatIsoDate } from '../core/dates.js';
import { writeNumber } from './numberText.js';
import type { TableColumn, TableSource } from './tableBlocks.js';

/** Bytes per chunk by default: 1 MiB (a chunk grows to hold at least two rows of a very wide table). */
export const CHUNK_BYTES = 1 << 20;

/** Longest `String(v)` of a finite double: `-2.2250738585072014e-308` is 24 characters. */
const MAX_NUMBER_CHARS = 24;

/** RFC 4180 field: quoted when it holds the delimiter, a quote or a line break. */
export function csvText(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const enum Kind {
  Date,
  Number,
  Text,
}

interface Encoded {
  kinds: Kind[];
  /** Text columns: each dictionary entry's bytes; null for other columns. */
  dicts: (Buffer[] | null)[];
  /** Bytes of the text of a missing cell. */
  missing: Buffer;
  /** Bytes written before and after a date's ten digits (`"` in JSON). */
  dateQuote: Buffer;
  /** An upper bound of the bytes of one row, separators and line end included. */
  rowBound: number;
}

function encodeColumns(
  columns: readonly TableColumn[],
  encode: (s: string) => string,
  missing: string,
  dateQuote: string,
  perCell: number,
): Encoded {
  const dicts = columns.map((c) => (c.kind === 'text' ? c.dictionary.map((s) => Buffer.from(encode(s), 'utf8')) : null));
  let rowBound = 2;
  columns.forEach((c, k) => {
    const d = dicts[k];
    const widest =
      d !== null
        ? d.reduce((w, b) => Math.max(w, b.length), missing.length)
        : c.kind === 'date'
          ? 10 + 2 * dateQuote.length
          : MAX_NUMBER_CHARS;
    rowBound += widest + perCell;
  });
  return {
    kinds: columns.map((c) => (c.kind === 'date' ? Kind.Date : c.kind === 'number' ? Kind.Number : Kind.Text)),
    dicts,
    missing: Buffer.from(missing),
    dateQuote: Buffer.from(dateQuote),
    rowBound,
  };
}

/** A chunk being filled. `take()` hands it over and starts the next. */
class Chunk {
  buf: Buffer;
  pos = 0;
  /** `reuse`: the next chunk is written over this one's memory (the consumer is done with it by then). */
  constructor(
    readonly size: number,
    private readonly reuse = false,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    if (!this.reuse) this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    return out;
  }

  bytes(b: Buffer): void {
    if (b.length > 16) {
      this.buf.set(b, this.pos);
      this.pos += b.length;
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** ASCII text (numbers, dates). */
  ascii(s: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  number(x: number): void {
    this.pos = writeNumber(this.buf, this.pos, x);
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }
}

/** `formatIsoDate` with a memo (a table has few distinct dates, each written many times). */
function dateFormatter(): (day: number) => string {
  const memo = new Map<number, string>();
  return (day) => {
    let s = memo.get(day);
    if (s === undefined) {
      s = formatIsoDate(day);
      memo.set(day, s);
    }
    return s;
  };
}

const COMMA = 0x2c,
  NEWLINE = 0x0a;

/** Writes cell `r` of column `c`; `x` is the cell's raw value. */
function cell(out: Chunk, e: Encoded, c: number, x: number, date: (day: number) => string): void {
  const kind = e.kinds[c];
  if (kind === Kind.Number) {
    if (x - x === 0)
      out.number(x); // finite; NaN and infinities are missing
    else out.bytes(e.missing);
  } else if (kind === Kind.Text) {
    if (x >= 0) out.bytes((e.dicts[c] as Buffer[])[x]);
    else out.bytes(e.missing);
  } else {
    out.bytes(e.dateQuote);
    out.ascii(date(x));
    out.bytes(e.dateQuote);
  }
}

/**
 * CSV rows of a table's columns as bytes: the formatting shared by {@link csvChunks} on the calling
 * thread and by the CSV worker (csvWorker.ts), so both write the same bytes for the same rows.
 * Dates are memoised as bytes (a long table repeats each date once per asset).
 */
export class CsvRowWriter {
  /** An upper bound of the bytes of one row, separators and line end included. */
  readonly rowBound: number;
  /** The header line's bytes. */
  readonly header: Buffer;
  private readonly e: Encoded;
  private readonly dates = new Map<number, Buffer>();
  private lastDay = NaN;
  private lastDate: Buffer = Buffer.alloc(0);

  constructor(columns: readonly TableColumn[]) {
    this.e = encodeColumns(columns, csvText, '', '', 1);
    this.rowBound = this.e.rowBound;
    this.header = Buffer.from(`${columns.map((c) => csvText(c.name)).join(',')}\n`, 'utf8');
  }

  private date(day: number): Buffer {
    if (day === this.lastDay) return this.lastDate;
    let b = this.dates.get(day);
    if (b === undefined) {
      b = Buffer.from(formatIsoDate(day), 'latin1');
      this.dates.set(day, b);
    }
    this.lastDay = day;
    this.lastDate = b;
    return b;
  }

  /**
   * Writes rows `r0..r1` of `data` (one array per column, as in a {@link Block}) into `buf` from
   * `pos` and returns the position after them; `buf` must have room for `(r1 - r0) · rowBound` bytes.
   */
  write(data: readonly (Int32Array | Float64Array)[], r0: number, r1: number, buf: Uint8Array, pos: number): number {
    const { kinds, dicts } = this.e;
    const k = kinds.length;
    let p = pos;
    for (let r = r0; r < r1; r++) {
      for (let c = 0; c < k; c++) {
        if (c > 0) buf[p++] = COMMA;
        const x = data[c][r];
        const kind = kinds[c];
        let b: Buffer;
        if (kind === Kind.Number) {
          if (x - x === 0) p = writeNumber(buf, p, x); // finite; NaN and infinities are missing (empty)
          continue;
        } else if (kind === Kind.Text) {
          if (x < 0) continue; // missing: empty
          b = (dicts[c] as Buffer[])[x];
        } else b = this.date(x);
        const n = b.length;
        if (n > 16) buf.set(b, p);
        else for (let i = 0; i < n; i++) buf[p + i] = b[i];
        p += n;
      }
      buf[p++] = NEWLINE;
    }
    return p;
  }
}

/**
 * The CSV bytes of `source` in chunks of about `chunkBytes` (the last may be shorter). With `reuse`
 * every chunk is written into the same memory, so a consumer must be done with a chunk (written it
 * out) before it asks for the next one: no fresh megabyte (and its page faults) per chunk.
 */
export function* csvChunks(source: TableSource, chunkBytes: number = CHUNK_BYTES, reuse = false): Generator<Buffer, void, undefined> {
  const rows = new CsvRowWriter(source.columns);
  const { header, rowBound } = rows;
  const out = new Chunk(Math.max(chunkBytes, 2 * rowBound, header.length), reuse);
  out.bytes(header);
  for (const block of source.blocks()) {
    let r = 0;
    while (r < block.rows) {
      let fit = Math.floor((out.size - out.pos) / rowBound);
      if (fit === 0) {
        yield out.take();
        fit = Math.floor(out.size / rowBound);
      }
      const r1 = Math.min(block.rows, r + fit);
      out.pos = rows.write(block.data, r, r1, out.buf, out.pos);
      r = r1;
    }
  }
  if (out.pos > 0) yield out.take();
}

/** The JSON bytes (an array of records, one per line) of `source` in chunks of about `chunkBytes`. */
export function* jsonChunks(source: TableSource, chunkBytes: number = CHUNK_BYTES): Generator<Buffer, void, undefined> {
  const { columns } = source;
  const keys = columns.map((c, i) => Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`, 'utf8'));
  const e = encodeColumns(columns, (s) => JSON.stringify(s), 'null', '"', 0);
  const rowBound = e.rowBound + keys.reduce((n, b) => n + b.length, 0) + 4;
  const date = dateFormatter();
  const k = columns.length;
  const out = new Chunk(Math.max(chunkBytes, 2 * rowBound, 16));
  out.ascii('[');
  let first = true;
  for (const { rows, data } of source.blocks()) {
    for (let r = 0; r < rows; r++) {
      if (out.pos + rowBound > out.size) yield out.take();
      if (!first) out.byte(COMMA);
      out.byte(NEWLINE);
      first = false;
      if (k === 0) out.ascii('{');
      for (let c = 0; c < k; c++) {
        out.bytes(keys[c]);
        cell(out, e, c, data[c][r], date);
      }
      out.ascii('}');
    }
  }
  out.ascii(first ? ']\n' : '\n]\n');
  yield out.take();
}

/** The whole CSV text of a (small) table: the chunks joined. */
export function csvString(source: TableSource): string {
  return Buffer.concat(Array.from(csvChunks(source))).toString('utf8');
}

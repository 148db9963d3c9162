/**
 * Physical lines of a CSV byte stream, without ever holding the text as one string.
 *
 * `forEachRow` calls `row(buf, start, end, line)` for every data line: `buf[start..end)` is the
 * line without its `\n` or `\r\n`, `line` its 1-based physical line number (the header is line 1
 * and is skipped, with any UTF-8 BOM). Blank lines (empty, or only spaces, tabs and `\r`: what
 * pandas' `skip_blank_lines` skips) are skipped but counted, so later line numbers stay physical.
 * A last line without a final newline is a line.
 * A line that spans two chunks is joined in a small copy; other lines are views into the chunk.
 * A `"` anywhere after the header throws {@link Declined}: quoted fields (which may hold the
 * delimiter or a newline) are left to DuckDB.
 *
 * `firstLine` (default 1) is the physical line number of the stream's first line: a stream that
 * starts at line 1 starts with the header, which is skipped; one that starts later (a byte range
 * of the file that begins at a line start, csv/split.ts) has no header, and every line is data.
 */
import { open } from 'node:fs/promises';
import { InputError } from '../../core/errors.js';
import { Declined } from './decline.js';

export type RowFn = (buf: Buffer, start: number, end: number, line: number) => void;

export interface LineStats {
  /** Data lines handed to `row` (blank lines not counted). */
  rows: number;
  /** Bytes consumed so far (header included). */
  bytes: number;
  /** Physical lines seen so far (blank lines and the header included). */
  lines: number;
}

export async function forEachRow(
  chunks: AsyncIterable<Buffer>,
  row: RowFn,
  onChunk?: (s: LineStats) => void,
  firstLine = 1,
): Promise<LineStats> {
  let line = firstLine - 1;
  const stats: LineStats = { rows: 0, bytes: 0, lines: 0 };
  let carry: Buffer | null = null;

  const region = (buf: Buffer, s: number, e: number): void => {
    while (s < e) {
      let nl = buf.indexOf(10, s);
      if (nl < 0 || nl >= e) nl = e;
      let le = nl;
      if (le > s && buf[le - 1] === 13) le--;
      line++;
      // Line 1 is the header, already read by header.ts.
      if (line > 1 && le > s && !isBlankLine(buf, s, le)) {
        stats.rows++;
        row(buf, s, le, line);
      }
      s = nl + 1;
    }
  };

  const checked = (buf: Buffer, s: number, e: number): void => {
    let from = s;
    if (line === 0) {
      const nl = buf.indexOf(10, s);
      from = nl < 0 || nl >= e ? e : nl + 1;
    }
    const q = buf.indexOf(34, from);
    if (q >= 0 && q < e) throw new Declined('a quoted field', line + 1 + countLines(buf, from, q));
    region(buf, s, e);
  };

  for await (const chunk of chunks) {
    let pos = 0;
    stats.bytes += chunk.length;
    if (carry !== null) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const joined: Buffer = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      carry = null;
      checked(joined, 0, joined.length);
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last < pos) {
      carry = Buffer.from(chunk.subarray(pos));
    } else {
      checked(chunk, pos, last + 1);
      if (last + 1 < chunk.length) carry = Buffer.from(chunk.subarray(last + 1));
    }
    onChunk?.(stats);
  }
  if (carry !== null && carry.length > 0) {
    // the last line, without a line end: an error located on it may be a file cut off mid-write
    try {
      checked(carry, 0, carry.length);
    } catch (e) {
      if (e instanceof InputError && e.location.line === line) throw onCutOffLine(e);
      throw e;
    }
  }
  stats.lines = line - (firstLine - 1);
  return stats;
}

/** True when `buf[s..e)` holds only spaces, tabs and carriage returns (a line that looks empty). */
export function isBlankLine(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * Physical line `n` (1-based, the header is 1) of a CSV or CSV.gz file without its line end, and
 * whether it has one (false: the file's last line, cut off or written without a final newline);
 * undefined past the end. For a message about that line.
 */
export async function physicalLine(chunks: AsyncIterable<Buffer>, n: number): Promise<{ text: string; terminated: boolean } | undefined> {
  let line = 1;
  const parts: Buffer[] = [];
  for await (const chunk of chunks) {
    let s = 0;
    while (s <= chunk.length) {
      const nl = chunk.indexOf(10, s);
      const e = nl < 0 ? chunk.length : nl;
      if (line === n) parts.push(Buffer.from(chunk.subarray(s, e)));
      if (nl < 0) break;
      if (line === n) return { text: Buffer.concat(parts).toString('utf8').replace(/\r$/, ''), terminated: true };
      line++;
      s = nl + 1;
    }
  }
  const text = Buffer.concat(parts).toString('utf8');
  return line === n && text !== '' ? { text, terminated: false } : undefined;
}

/** What an error about a file's last line adds when that line has no line end (see {@link unterminatedLastLine}). */
export const CUT_OFF_HINT =
  'the last line has no line end, as a file cut off mid-write has: if the file was being written, downloaded or copied, get it again whole; else complete or delete the line';

/** An error located on the file's last line, which has no line end: its hint says the file may be cut off. */
export function onCutOffLine(e: InputError): InputError {
  return new InputError(e.problem, {
    ...e.location,
    hint: e.hint === undefined ? CUT_OFF_HINT : `${CUT_OFF_HINT}; ${e.hint}`,
    options: e.options,
  });
}

/**
 * The last line of a plain CSV file when the file does not end with a line end (`\n`), as a file
 * cut off mid-write (an interrupted download, export or copy) does not; undefined when it does, for
 * a file of one line (a header alone), an empty file and gzip (a cut gzip stream is refused by its
 * check, so gzip text without a final newline was written so). Reads the last 64 KiB at most.
 */
export async function unterminatedLastLine(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) return undefined;
    const want = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(want);
    await fh.read(buf, 0, want, size - want);
    if (buf[want - 1] === 10) return undefined;
    const nl = buf.lastIndexOf(10);
    if (nl < 0 && want === size) return undefined; // one line: a header alone
    // after the last line end only spaces, tabs or a carriage return: a blank line, not a cut one
    if (isBlankLine(buf, nl + 1, want)) return undefined;
    return buf
      .subarray(nl + 1)
      .toString('utf8')
      .replace(/\r$/, '');
  } finally {
    await fh.close();
  }
}

function countLines(buf: Buffer, s: number, e: number): number {
  let k = 0;
  for (let i = buf.indexOf(10, s); i >= 0 && i < e; i = buf.indexOf(10, i + 1)) k++;
  return k;
}

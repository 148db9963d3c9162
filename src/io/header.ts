/**
 * The header of a delimited text file (CSV or gzip-compressed CSV), read without DuckDB.
 *
 * We read only the first bytes (streaming gunzip for `.gz`), split the first line into names and
 * choose the delimiter as the most frequent of `,` `\t` `;` `|` outside quotes (`,` if none).
 * Knowing the names and the dialect lets the DuckDB scan run with `auto_detect=false`: on the
 * 5,774-column price matrix DuckDB's sniffer alone takes 10x longer than the scan itself.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from '../core/errors.js';

export interface CsvHeader {
  /** Column names in file order; an empty name becomes `column<i>` (0-based, DuckDB's convention). */
  names: string[];
  delimiter: string;
  /** True when the file ends its first line with `\r\n`. */
  crlf: boolean;
}

const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/** The first line of a (possibly gzip-compressed) text file, or `null` for an empty file. */
export async function readFirstLine(file: string, gzip: boolean): Promise<{ line: string; crlf: boolean } | null> {
  const raw = createReadStream(file, { highWaterMark: 64 * 1024 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const nl = chunk.indexOf(10);
      if (nl >= 0) {
        parts.push(chunk.subarray(0, nl));
        const line = Buffer.concat(parts);
        if (line.length >= 2 && line[line.length - 1] === 13 && line[line.length - 2] === 13) throw doubleCarriageReturn(file, gzip);
        return finish(line, true);
      }
      parts.push(chunk);
      total += chunk.length;
      if (total > MAX_HEADER_BYTES) throw new InputError('the first line is longer than 16 MB; is this a CSV file?', { file });
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new InputError('file not found', { file, hint: 'check the path' });
    if (gzip && (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')) {
      if (startsWithGzipMagic(file)) {
        throw new InputError('the gzip file is truncated or corrupt: its first line cannot be decompressed', {
          file,
          hint: 're-download or re-compress it (a .gz file must be a complete gzip stream)',
        });
      }
      throw new InputError('not a valid gzip file', { file, hint: 'a .gz file must be gzip-compressed; rename it if it is plain CSV' });
    }
    throw e;
  } finally {
    raw.destroy();
    if (stream !== raw) stream.destroy();
  }
  const all = Buffer.concat(parts);
  // no newline at all, but carriage returns inside: lines end in CR alone (classic Mac OS, some exports)
  const cr = all.indexOf(13);
  if (cr >= 0 && cr < all.length - 1)
    throw new InputError('the lines end in a carriage return alone (CR), which this reader does not take', {
      file,
      hint: `convert the line ends to LF, e.g. tr '\\r' '\\n' < ${file} > fixed.csv`,
    });
  return all.length === 0 ? null : finish(all, false);
}

/**
 * Lines ending in `\r\r\n`: a CRLF file whose line ends were converted once more (written in text
 * mode on Windows, as pandas' `to_csv(..., lineterminator='\r\n')` into an open text file does, or
 * unix2dos run twice). Read as CRLF, every row's last cell kept a carriage return, and the error
 * was "not a number" on a value that printed as `99.1?`; refused here with the cause and the fix,
 * as CR-alone line ends are.
 */
export function doubleCarriageReturn(file: string, gzip: boolean): InputError {
  return new InputError(
    'the lines end in two carriage returns and a newline (\\r\\r\\n), a CRLF file whose line ends were converted twice',
    {
      file,
      hint: gzip
        ? `remove the carriage returns, e.g. gunzip -c ${file} | tr -d '\\r' | gzip > fixed.csv.gz (on Windows, write the file with newline='' or in binary mode)`
        : `remove the carriage returns, e.g. tr -d '\\r' < ${file} > fixed.csv (on Windows, write the file with newline='' or in binary mode)`,
    },
  );
}

/** Whether the file begins with the gzip signature 1f 8b (so a decompression error is damage, not a misnamed file). */
function startsWithGzipMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

function finish(buf: Buffer, sawNewline: boolean): { line: string; crlf: boolean } {
  let s = buf.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  const crlf = sawNewline && s.endsWith('\r');
  if (s.endsWith('\r')) s = s.slice(0, -1);
  return { line: s, crlf };
}

/** Splits one CSV line on `delimiter`, honouring `"` quotes (`""` inside quotes is a quote). */
export function splitCsvLine(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter); // no quotes: the same cells, without a character walk
  const out: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuotes = false;
      } else cur += c;
    } else if (c === '"') inQuotes = true;
    else if (c === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The delimiter of a header line: the most frequent of `,` `\t` `;` `|` outside quotes. */
export function guessDelimiter(line: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
    ['|', 0],
  ]);
  let inQuotes = false;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',',
    n = 0;
  for (const [d, k] of counts)
    if (k > n) {
      best = d;
      n = k;
    }
  return best;
}

/** Header names from a header line; empty names become `column<i>`; duplicates are an error. */
export function headerNames(line: string, delimiter: string, file: string): string[] {
  const names = splitCsvLine(line, delimiter).map((s, i) => (s.trim() === '' ? `column${i}` : s.trim()));
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    const prev = seen.get(n);
    if (prev !== undefined) {
      throw new InputError(`column "${n}" appears twice in the header (columns ${prev + 1} and ${i + 1})`, {
        file,
        line: 1,
        column: n,
        hint: 'give every column a distinct name',
      });
    }
    seen.set(n, i);
  });
  return names;
}

/**
 * File signatures worth naming when a binary file is given where a CSV belongs, as they read once
 * decoded as UTF-8 with undecodable bytes shown as `?`.
 */
const SIGNATURES: readonly [string, string][] = [
  ['PAR1', 'a Parquet file'],
  ['PK\u0003\u0004', 'a zip or Excel (.xlsx) file'],
  ['?PNG', 'a PNG image'],
  ['\u001f?\u0008', 'a gzip file without a .gz name'],
  ['????\u0011?', 'an old Excel (.xls) file'],
];

const UTF16 = 'UTF-16 text (what Excel saves as "Unicode Text")';

/** ASCII text in UTF-16 read as UTF-8: every other character a NUL (after a BOM, if any), the others printable. */
function isUtf16(line: string): boolean {
  const s = line.replace(/^\ufffd\ufffd/, ''); // the BOM FF FE / FE FF, undecodable as UTF-8
  if (s.length < 4) return false;
  for (const start of [0, 1]) {
    let nul = 0,
      text = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if ((i & 1) === start) nul += +(c === 0);
      else text += +(c >= 32 || c === 9);
    }
    if (nul >= Math.floor(s.length / 2) - 1 && text >= Math.floor(s.length / 2) - 1) return true;
  }
  return false;
}

/**
 * Whether a header line (decoded as UTF-8) is binary: a NUL, or control characters (C0 but tab and
 * CR, DEL, C1) and undecodable bytes (U+FFFD) in more than 1 % of it. Returns what it looks like
 * ('' when unknown), or undefined for text.
 */
export function binaryKind(line: string): string | undefined {
  let bad = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0) {
      bad = line.length;
      break;
    }
    if ((c < 32 && c !== 9 && c !== 13) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) bad++;
  }
  if (bad === 0 || bad * 100 <= line.length) return undefined;
  if (isUtf16(line)) return UTF16;
  const shown = line.replace(/[\ufffd\u0080-\u009f]/g, '?');
  for (const [sig, what] of SIGNATURES) if (shown.startsWith(sig)) return what;
  return '';
}

/**
 * Refuses a first line (decoded as UTF-8) that is binary: "this is not a text table", naming what
 * it looks like (a Parquet or zip file, gzip without a .gz name, UTF-16 text) and what to give.
 */
export function assertTextLine(line: string, file: string): void {
  const kind = binaryKind(line);
  if (kind !== undefined) {
    const what =
      kind === UTF16 ? `it is ${UTF16}, not UTF-8` : `its first line holds binary data${kind === '' ? '' : ` (it looks like ${kind})`}`;
    throw new InputError(`this is not a text table: ${what}`, {
      file,
      line: 1,
      hint:
        kind === UTF16
          ? 'save it as UTF-8 CSV (Excel: Save As, "CSV UTF-8"), or convert it: iconv -f UTF-16 -t UTF-8 FILE > FILE.csv'
          : /\.zip$/i.test(file)
            ? // a .zip name already: "zip files in .zip" told the user to do what they had done
              'factorlab reads a .zip only as a Ken French download (--factors, in its own layout); unzip it and give the CSV inside (or gzip it as .csv.gz)'
            : /\.xlsx?$/i.test(file)
              ? 'factorlab reads no Excel workbooks: save the sheet as CSV (Excel: Save As, "CSV UTF-8")'
              : 'give a CSV (or .csv.gz) text file; Parquet files must end in .parquet, zip files in .zip',
    });
  }
}

/** Reads and parses the header of a CSV / CSV.gz file. Empty file: InputError. */
export async function readCsvHeader(file: string, gzip: boolean): Promise<CsvHeader> {
  const first = await readFirstLine(file, gzip);
  if (first === null || first.line.trim() === '') {
    throw new InputError('the file is empty (no header line)', {
      file,
      hint: 'the first line must name the columns, e.g. date,asset,value',
    });
  }
  assertTextLine(first.line, file);
  const delimiter = guessDelimiter(first.line);
  return { names: headerNames(first.line, delimiter, file), delimiter, crlf: first.crlf };
}

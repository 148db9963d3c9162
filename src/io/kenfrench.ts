/**
 * Ken French Data Library files (`F-F_Research_Data_Factors_daily.CSV`, `..._5_Factors_2x3.csv`,
 * `F-F_Momentum_Factor_daily.CSV`, ...), as published: CSV text or the `.zip` around it.
 *
 * Layout: free-text description lines; a header line (`,Mkt-RF,SMB,HML,RF`, first field empty or
 * `Date`); rows `YYYYMMDD,...` (daily) or `YYYYMM,...` (monthly); for monthly files a blank line,
 * ` Annual Factors: January-December `, a header and rows `  YYYY,...`; a copyright footer.
 * Spreadsheet re-saves add trailing commas and `\r\n`; both are tolerated. A blank line inside
 * a block is skipped when data rows follow it; a row whose date has the wrong number of digits or
 * that holds more values than the header is an error (either used to end the block there, dropping
 * every later row without a word).
 *
 * Conversions:
 * - values are percent in the file and decimals here: `x / 100` (1.23 -> 0.0123), done by moving
 *   the decimal point in the text so the result is the double nearest the decimal value
 *   (`0.56` -> 0.0056 exactly as `Number('0.0056')`, where `0.56 / 100` would give 0.005600000000000001);
 *   the library's missing codes -99.99 and -999 (and empty cells) become NaN;
 * - daily `YYYYMMDD` -> that day; monthly `YYYYMM` -> the LAST CALENDAR DAY of that month
 *   (199601 -> 1996-01-31), not the last trading day; annual `YYYY` -> December 31;
 * - column names snake_case lower: `Mkt-RF` -> `mkt_rf`, `SMB` -> `smb`, `Mom` -> `mom`, `RF` -> `rf`.
 */
import { open, readFile } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { InputError } from '../core/errors.js';
import { daysFromCivil, daysInMonth, isValidCivil } from '../core/dates.js';
import { Frame } from '../core/frame.js';
import { firstCsvInZip, isZip } from './zip.js';

export interface KenFrenchData {
  /** Daily or monthly factor returns in decimals. */
  frame: Frame;
  frequency: 'daily' | 'monthly';
  /** The description lines at the top of the file, joined with spaces ('' if none). */
  title: string;
  /** The annual block of monthly files (dated December 31), if present. */
  annual?: Frame;
}

/** `Mkt-RF` -> `mkt_rf`: lower case, runs of non-alphanumerics -> `_`, trimmed. */
export function snakeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const DATA_LINE = /^\s*(\d{8}|\d{6})\s*,/;
const ANNUAL_LINE = /^\s*(\d{4})\s*,/;
/** The digits of a row's date: daily `YYYYMMDD`, monthly `YYYYMM`, annual `YYYY`. */
const CODE_LENGTH = { daily: 8, monthly: 6, annual: 4 } as const;
const CODE_DATE = { daily: 'YYYYMMDD', monthly: 'YYYYMM', annual: 'YYYY' } as const;

/** A line of nothing but spaces and commas (a spreadsheet's empty row). */
function isBlankLine(line: string): boolean {
  return /^[\s,]*$/.test(line);
}

/** The date code of a data row (a first field of digits before a comma), or undefined for any other line. */
function rowCode(line: string): string | undefined {
  return /^\s*(\d+)\s*,/.exec(line)?.[1];
}

function fieldsOf(line: string): string[] {
  const f = line.split(',').map((s) => s.trim());
  while (f.length > 1 && f[f.length - 1] === '') f.pop();
  return f;
}

function dayOf(code: string, kind: 'daily' | 'monthly' | 'annual'): number {
  const y = Number(code.slice(0, 4));
  if (kind === 'annual') return daysFromCivil(y, 12, 31);
  const m = Number(code.slice(4, 6));
  if (kind === 'monthly') return m >= 1 && m <= 12 ? daysFromCivil(y, m, daysInMonth(y, m)) : NaN;
  const d = Number(code.slice(6, 8));
  return isValidCivil(y, m, d) ? daysFromCivil(y, m, d) : NaN;
}

/** `s` (a decimal numeral whose value is `v`) divided by 100 via the text: `'-1.5'` -> `-0.015`. */
export function percentToDecimal(s: string, v: number): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (m === null) return v / 100;
  const int = m[2].padStart(3, '0');
  return Number(`${m[1]}${int.slice(0, -2)}.${int.slice(-2)}${m[3] ?? ''}`);
}

/**
 * Parses one block of rows starting at `lines[i]` (the first data row) until a line that is not
 * a data row of this kind. Returns the frame and the index of the first line after the block.
 */
function parseBlock(
  lines: string[],
  start: number,
  header: string[],
  kind: 'daily' | 'monthly' | 'annual',
  file: string,
  percent: boolean,
): { frame: Frame; next: number } {
  const names = header.slice(1).map(snakeName);
  names.forEach((n, k) => {
    if (n === '')
      throw new InputError(`header column ${k + 2} has no name`, { file, line: start, hint: 'is this a Ken French factor file?' });
  });
  const days: number[] = [];
  const cols: number[][] = names.map(() => []);
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (isBlankLine(line)) {
      // a blank line inside the block (an edit, a join of two downloads): the rows after it are
      // still this block's when the next non-blank line is one; anything else ends the block
      let j = i + 1;
      while (j < lines.length && isBlankLine(lines[j])) j++;
      if (j < lines.length && rowCode(lines[j])?.length === CODE_LENGTH[kind]) {
        i = j - 1;
        continue;
      }
      break;
    }
    const code = rowCode(line);
    if (code === undefined) break; // a text line: the block ended (the annual block's title, the footer)
    if (code.length !== CODE_LENGTH[kind])
      throw new InputError('not a date', {
        file,
        line: i + 1,
        column: 'date',
        value: code,
        hint: `a row of this ${kind} block needs a ${CODE_DATE[kind]} date; the rows after it would be lost: fix or delete the line`,
      });
    const f = fieldsOf(line);
    if (f.length > header.length)
      throw new InputError(`${f.length - 1} values, but the header names ${names.length} columns`, {
        file,
        line: i + 1,
        value: f[header.length],
        hint: 'every row needs one value per header column: fix the row or the header',
      });
    const day = dayOf(code, kind);
    if (Number.isNaN(day))
      throw new InputError('not a date', {
        file,
        line: i + 1,
        column: 'date',
        value: code,
        hint: 'Ken French dates are YYYYMMDD (daily) or YYYYMM (monthly)',
      });
    if (days.length > 0 && day <= days[days.length - 1]) {
      throw new InputError('dates are not increasing', { file, line: i + 1, value: code });
    }
    days.push(day);
    for (let k = 0; k < names.length; k++) {
      const s = f[k + 1] ?? '';
      let v = NaN;
      if (s !== '') {
        v = Number(s);
        if (Number.isNaN(v)) throw new InputError('not a number', { file, line: i + 1, column: header[k + 1], value: s });
        v = v === -99.99 || v === -999 ? NaN : percent ? percentToDecimal(s, v) : v;
      }
      cols[k].push(v);
    }
  }
  return {
    frame: new Frame(
      Int32Array.from(days),
      names,
      cols.map((c) => Float64Array.from(c)),
    ),
    next: i,
  };
}

/** How a Ken French file's values are read. */
export interface KenFrenchOptions {
  /**
   * The values are percent, as the Data Library publishes them, and are divided by 100 (default
   * true); false keeps them as written (a file in the same layout already in decimal).
   */
  percent?: boolean;
}

/** Parses the text of a Ken French factor file. `fileName` is used in error messages only. */
export function parseKenFrench(text: string, fileName: string, options: KenFrenchOptions = {}): KenFrenchData {
  const percent = options.percent ?? true;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => DATA_LINE.test(l));
  if (first < 0) {
    throw new InputError('no YYYYMMDD or YYYYMM data rows found', {
      file: fileName,
      hint: 'is this a Ken French Data Library factor file?',
    });
  }
  let h = first - 1;
  while (h >= 0 && lines[h].replace(/,/g, '').trim() === '') h--;
  if (h < 0) throw new InputError('no header line before the first data row', { file: fileName, line: first + 1 });
  const header = fieldsOf(lines[h]);
  if (header.length < 2) throw new InputError('the header names no columns', { file: fileName, line: h + 1 });
  const title = lines
    .slice(0, h)
    .map((l) => l.replace(/,+\s*$/, '').trim())
    .filter((l) => l !== '')
    .join(' ');
  const code = fieldsOf(lines[first])[0];
  const frequency = code.length === 8 ? 'daily' : 'monthly';
  const { frame, next } = parseBlock(lines, first, header, frequency, fileName, percent);
  let annual: Frame | undefined;
  for (let i = next; i < lines.length; i++) {
    if (/copyright/i.test(lines[i])) break;
    if (/annual factors/i.test(lines[i])) {
      let j = i + 1;
      while (j < lines.length && !ANNUAL_LINE.test(lines[j]) && !/copyright/i.test(lines[j])) j++;
      let hh = j - 1;
      while (hh > i && lines[hh].replace(/,/g, '').trim() === '') hh--;
      if (j < lines.length && ANNUAL_LINE.test(lines[j]) && hh > i)
        annual = parseBlock(lines, j, fieldsOf(lines[hh]), 'annual', fileName, percent).frame;
      break;
    }
  }
  return annual === undefined ? { frame, frequency, title } : { frame, frequency, title, annual };
}

/** The gzip magic bytes. */
function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Reads a Ken French file: the CSV itself, the `.zip` it is published in (first CSV member), or the CSV gzipped. */
export async function readKenFrench(file: string, options: KenFrenchOptions = {}): Promise<KenFrenchData> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    throw new InputError('file not found', { file, hint: 'check the path' });
  }
  if (isZip(buf)) {
    const { name, text } = firstCsvInZip(buf, file);
    return parseKenFrench(text, `${file}:${name}`, options);
  }
  if (isGzip(buf)) {
    let text: string;
    try {
      text = gunzipSync(buf).toString('utf8');
    } catch {
      throw new InputError('the gzip file is truncated or corrupt', { file, hint: 're-download or re-compress it' });
    }
    return parseKenFrench(text, file, options);
  }
  return parseKenFrench(buf.toString('utf8'), file, options);
}

/**
 * True when the text looks like a Ken French factor file: compact dates (YYYYMMDD or YYYYMM) after
 * the library's text header (CRSP, Fama, French, CMPT_) or a `Mkt-RF` column. A `Mom` column alone
 * does not make one: a wide panel with compact dates may have the ticker MOM, and reading it as
 * percent would divide its prices by 100.
 */
export function looksLikeKenFrench(head: string): boolean {
  const lines = head.split(/\r?\n/);
  const first = lines.findIndex((l) => DATA_LINE.test(l));
  if (first < 1) return false;
  const before = lines.slice(0, first).join('\n');
  return /CRSP|Fama|French|CMPT_|Mkt-RF/i.test(before);
}

/** Sniffs a path: a Ken French CSV, or a ZIP whose first CSV member is one. Never throws. */
export async function isKenFrenchFile(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    let head: Buffer;
    try {
      const b = Buffer.alloc(8192);
      const { bytesRead } = await fh.read(b, 0, b.length, 0);
      head = b.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
    if (isZip(head)) return looksLikeKenFrench(firstCsvInZip(await readFile(path), path).text.slice(0, 8192));
    // a gzip file's first bytes inflate as far as they go (no error at the cut)
    if (isGzip(head)) return looksLikeKenFrench(gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8'));
    return looksLikeKenFrench(head.toString('utf8'));
  } catch {
    return false;
  }
}

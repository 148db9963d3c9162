/**
 * Point-in-time membership files: `ticker,start,end` (e.g. `sp500_ticker_start_end.csv`: columns
 * `ticker,start_date,end_date`, blank end = still a member). Each line is one interval
 * `start ≤ t < end`. Bad lines stop the run with the file, line and what to do (exit 2).
 *
 * A ticker may have several lines: one per spell, when it left the index and re-joined (48 of the
 * 1,181 tickers of the S&P 500 file do), and two spells may touch (one ends the day the next
 * starts). Two spells of one ticker that overlap, or a line repeated, are refused naming both
 * lines: an overlap is a data error (a typo in a date, two sources pasted together) whose right
 * reading only the user knows. The intervals are checked by the library's one check,
 * `checkMembershipIntervals` (backtest/universe.ts: also an end after the start), given the file
 * and each interval's line; the library's universes refuse the same intervals by index.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError, shown } from '../core/errors.js';
import { assertTextLine, guessDelimiter, splitCsvLine } from '../io/header.js';
import { formatOf, parseDateText } from '../io/source.js';
import type { MembershipInterval } from '../backtest/index.js';
import { checkMembershipIntervals } from '../backtest/universe.js';

const ASSET = ['ticker', 'asset', 'symbol', 'code', 'name'];
const START = ['start', 'start_date', 'from', 'added', 'date_added'];
const END = ['end', 'end_date', 'to', 'removed', 'date_removed'];

export function readMembership(file: string): MembershipInterval[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(`cannot read the membership file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      file,
      hint: 'give an existing ticker,start,end CSV with --membership',
    });
  }
  if (formatOf(file) === 'parquet')
    throw new InputError('a membership file is read as CSV text', { file, hint: 'write it as CSV (or .csv.gz): ticker,start,end' });
  // .csv.gz like every other input; a truncated or corrupt stream is refused, never read in part
  if (formatOf(file) === 'csv.gz') {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new InputError('the gzip file is truncated or corrupt', {
        file,
        hint: 're-download or re-compress it (a .gz file must be a complete gzip stream)',
      });
    }
  }
  const text = bytes.toString('utf8');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.every((l) => l.trim() === ''))
    throw new InputError('the membership file is empty', {
      file,
      hint: 'write a header ticker,start,end and one line per membership spell',
    });
  // a binary file (gzip without a .gz name, xlsx) is named as such, never printed
  assertTextLine(lines[0], file);
  // the header's delimiter, and quoted cells ("BRK.B" or "Berkshire, Inc." is one cell)
  const delimiter = guessDelimiter(lines[0]);
  const header = splitCsvLine(lines[0], delimiter).map((c) => c.trim().toLowerCase());
  // by the names' priority, not the header's order: in `name,ticker,start,end` the ticker is `ticker`
  const find = (names: readonly string[]) => {
    for (const n of names) {
      const k = header.indexOf(n);
      if (k >= 0) return k;
    }
    return -1;
  };
  const a = find(ASSET),
    s = find(START),
    e = find(END);
  if (a < 0 || s < 0 || e < 0) {
    // which one is missing, and the names it goes by (a header `ticker,start` read as having no end)
    const names = (list: readonly string[]): string => `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
    const missing = [
      ...(a < 0 ? [`a ticker column (${names(ASSET)})`] : []),
      ...(s < 0 ? [`a start column (${names(START)})`] : []),
      ...(e < 0 ? [`an end column (${names(END)})`] : []),
    ];
    throw new InputError(
      `a membership file needs ticker, start and end columns; the columns are: ${shown(lines[0], 80)}; missing: ${missing.join('; ')}`,
      {
        file,
        line: 1,
        hint: 'write a header ticker,start,end (dates YYYY-MM-DD, a blank end for current members)',
      },
    );
  }
  const out: MembershipInterval[] = [];
  const lineOf: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = splitCsvLine(lines[i], delimiter).map((c) => c.trim());
    // more cells than the header: an unquoted delimiter inside a cell shifted them (trailing empty cells are fine)
    if (cells.slice(header.length).some((c) => c !== ''))
      throw new InputError(`the line has ${cells.length} cells and the header ${header.length}`, {
        file,
        line: i + 1,
        value: lines[i],
        hint: 'quote a cell that holds the delimiter ("Berkshire, Inc."), or drop the extra cells',
      });
    const asset = cells[a] ?? '';
    if (asset === '') throw new InputError('empty ticker', { file, line: i + 1, hint: 'every line names a ticker' });
    const start = parseDateText(cells[s] ?? '');
    if (Number.isNaN(start))
      throw new InputError('the start date is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD)', {
        file,
        line: i + 1,
        asset,
        value: cells[s] ?? '',
        hint: 'write dates as YYYY-MM-DD',
      });
    const endText = cells[e] ?? '';
    const end = endText === '' ? undefined : parseDateText(endText);
    if (end !== undefined && Number.isNaN(end))
      throw new InputError('the end date is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD; blank for a current member)', {
        file,
        line: i + 1,
        asset,
        value: endText,
      });
    out.push(end === undefined ? { asset, start } : { asset, start, end });
    lineOf.push(i + 1);
  }
  if (out.length === 0)
    throw new InputError('the membership file has a header but no intervals', {
      file,
      hint: 'add one ticker,start,end line per membership spell',
    });
  // an end not after its start, overlapping or repeated spells of a ticker: the library's check, naming the lines
  checkMembershipIntervals(out, { file, lineOf });
  return out;
}

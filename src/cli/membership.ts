/**
 * Point-in-time membership files: `ticker,start,end` (e.g. `sp500_ticker_start_end.csv`: columns
 * `ticker,start_date,end_date`, blank end = still a member). Each line is one interval
 * `start ≤ t < end`. Bad lines stop the run with the file, line and what to do (exit 2).
 *
 * A ticker may have several lines: one per spell, when it left the index and re-joined (48 of the
 * 1,181 tickers of the S&P 500 file do), and two spells may touch (one ends the day the next
 * starts). Two spells of one ticker that overlap, or a line repeated, are refused naming both
 * lines: the backtest took their union without a word, and an overlap is a data error (a typo in
 * a date, two sources pasted together) whose right reading only the user knows.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { formatIsoDate } from '../core/dates.js';
import { InputError, shown } from '../core/errors.js';
import { assertTextLine, guessDelimiter, splitCsvLine } from '../io/header.js';
import { formatOf, parseDateText } from '../io/source.js';
import type { MembershipInterval } from '../backtest/index.js';

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
    if (end !== undefined && end <= start)
      throw new InputError(`the end date ${endText} is not after the start date ${cells[s]} (membership is start <= t < end)`, {
        file,
        line: i + 1,
        asset,
        hint: 'swap the dates, or drop the line',
      });
    out.push(end === undefined ? { asset, start } : { asset, start, end });
    lineOf.push(i + 1);
  }
  if (out.length === 0)
    throw new InputError('the membership file has a header but no intervals', {
      file,
      hint: 'add one ticker,start,end line per membership spell',
    });
  checkOverlaps(out, lineOf, file);
  return out;
}

/** `2015-03-23 .. 2024-09-23`, or `2015-03-23 .. (no end)`. */
const spell = (iv: MembershipInterval): string =>
  `${formatIsoDate(iv.start)} .. ${iv.end === undefined ? '(no end)' : formatIsoDate(iv.end)}`;

/**
 * Refuses two intervals of one ticker that share a day (start <= t < end): a repeated line or an
 * overlap, naming the ticker and both lines. Touching spells (one's end is the next's start) and
 * disjoint ones (left and re-joined) are fine. O(k log k) per ticker with k lines.
 */
function checkOverlaps(intervals: readonly MembershipInterval[], lineOf: readonly number[], file: string): void {
  const byAsset = new Map<string, number[]>();
  intervals.forEach((iv, k) => {
    const list = byAsset.get(iv.asset);
    if (list === undefined) byAsset.set(iv.asset, [k]);
    else list.push(k);
  });
  for (const [asset, ks] of byAsset) {
    if (ks.length < 2) continue;
    ks.sort((x, y) => intervals[x].start - intervals[y].start || lineOf[x] - lineOf[y]);
    for (let q = 1; q < ks.length; q++) {
      const a = intervals[ks[q - 1]],
        b = intervals[ks[q]];
      if (a.end !== undefined && b.start >= a.end) continue;
      const [first, second] = lineOf[ks[q - 1]] < lineOf[ks[q]] ? [ks[q - 1], ks[q]] : [ks[q], ks[q - 1]];
      const same = a.start === b.start && a.end === b.end;
      throw new InputError(
        same
          ? `ticker ${asset} has the same membership interval (${spell(a)}) on lines ${lineOf[first]} and ${lineOf[second]}`
          : `ticker ${asset} has overlapping membership intervals: line ${lineOf[first]} (${spell(intervals[first])}) and line ${lineOf[second]} (${spell(intervals[second])})`,
        {
          file,
          line: lineOf[second],
          asset,
          hint: same
            ? 'drop one of the two lines'
            : 'correct the dates, or merge the two lines into one (the earlier start, the later end); a ticker that left and re-joined has one line per spell, and the spells do not overlap',
        },
      );
    }
  }
}

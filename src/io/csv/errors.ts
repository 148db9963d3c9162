/**
 * The located InputErrors of the CSV readers (fast path and DuckDB path alike): each names the
 * file and physical line, the column, the asset and date when known, the offending text, and what
 * to do.
 */
import { InputError } from '../../core/errors.js';

export interface CellWhere {
  file: string;
  line: number;
  column: string;
  asset?: string;
  date?: string;
}

const where = (w: CellWhere): CellWhere => ({
  file: w.file,
  line: w.line,
  column: w.column,
  ...(w.asset !== undefined ? { asset: w.asset } : {}),
  ...(w.date !== undefined ? { date: w.date } : {}),
});

/**
 * Spellings of "missing" that are not read as missing (the readers take an empty cell, NaN and
 * pandas' default missing spellings such as NA, #N/A, NULL, None): refused like any text, with a
 * hint that names the cause rather than the decimal point.
 */
const MISSING_SPELLINGS = /^(?:na|Na|Null|NONE|none|-|--|\.|#DIV\/0!|#VALUE!|#REF!|#NUM!|nil)$/;

/** What to do about a cell that is not a number: a missing-value spelling, a thousands separator, or other text. */
export function notANumberHint(value: string): string {
  const v = value.trim();
  // a number followed by a carriage return: this line ends in \r\r\n (the header did not, or it was refused)
  if (/\r$/.test(value) && v !== '' && Number.isFinite(Number(v)))
    return "the line ends in a stray carriage return (\\r\\r\\n: a CRLF line end converted twice): remove the carriage returns, e.g. tr -d '\\r' < FILE > fixed.csv";
  if (MISSING_SPELLINGS.test(v))
    return `"${v}" is not read as missing here: leave the cell empty or write NA or NaN (a spreadsheet's error cells: fix or clear them)`;
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(v)) return 'write numbers without thousands separators (1234.5, not 1,234.5)';
  if (/^[+-]?\d+,\d+$/.test(v)) return 'numbers use a dot for decimals (1.5, not 1,5)';
  return 'numbers use a dot for decimals; leave the cell empty (or NA, NaN) for a missing value';
}

/**
 * Text where a number belongs. `wide`: the table is read one column per asset, and a word in it
 * (a ticker such as "AAL") more likely means a long file whose asset column was not recognised:
 * the hint says how to name it.
 */
export function notANumber(w: CellWhere, value: string, wide = false): InputError {
  const v = value.trim();
  const word = wide && /^[A-Za-z][A-Za-z0-9._-]*$/.test(v) && !MISSING_SPELLINGS.test(v);
  // text in the first data row may be a long file's asset column; below it, the column held numbers
  // first, so the cell is a stray word in a wide file (a typo, a note), not an identifier column
  const firstRow = w.line <= 2;
  return new InputError('not a number', {
    ...where(w),
    value,
    hint: word
      ? firstRow
        ? `the table was read as wide (one column per asset) and column "${w.column}" holds text: if the file has one row per date and asset, name its asset column with --asset-col "${w.column}" (and the date column with --date-col); if the cell is a typo, fix it or leave it empty (a missing value)`
        : `column "${w.column}" holds numbers above this cell: fix the cell, or leave it empty (or NA, NaN) for a missing value`
      : notANumberHint(value),
  });
}

/** `inf`, `-Infinity`, `1e400`: accepted by number parsers, meaningless as a price, return or factor value. */
export function notFinite(w: CellWhere, value: string): InputError {
  return new InputError('not a finite number (infinite or too large for a double)', {
    ...where(w),
    value,
    hint: 'leave the cell empty for a missing value',
  });
}

/** A row whose field count differs from the header's. */
export function raggedRow(file: string, line: number, found: number, expected: number): InputError {
  return new InputError(`cannot read the table: the row has ${found} fields, the header has ${expected}`, {
    file,
    line,
    hint: 'check that every row has the same number of fields as the header and that quotes are balanced',
  });
}

/** What to do about a date cell that is not read as a date: day-first or month-first dates are named as such. */
export function badDateHint(raw: string): string {
  const v = raw.trim();
  if (/^\d{4}[-/]\d{1,2}[-/]\d{1,2}[T ][0-9:.]+ ?(Z|[+-]00(:?00)?)$/.test(v))
    return `${JSON.stringify(v)} is a time in UTC that is not midnight: the market's date is unknown (a Tokyo session's midnight is 15:00 UTC the day before); write dates (yyyy-mm-dd), or times in the market's local time with its offset (2020-01-02 16:00:00-05:00), or give --timezone with the market's zone (America/New_York) to read each time's date there`;
  if (/^\d{4}[-/]\d{1,2}[-/]\d{1,2}[T ]/.test(v))
    return `${JSON.stringify(v)} has a time or suffix this reader does not take: write ISO yyyy-mm-dd, optionally with a time (16:00:00) and an offset (-05:00)`;
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}([ T].*)?$/.test(v))
    return `${JSON.stringify(v)} is month/day or day/month, which cannot be told apart: write ISO yyyy-mm-dd (a spreadsheet: format the column as yyyy-mm-dd before saving; pandas: pd.to_datetime(..., format=...) then to_csv)`;
  if (/^\d{5}(\.\d+)?$/.test(v))
    return `${JSON.stringify(v)} looks like a spreadsheet's serial day number (${JSON.stringify(v)} days after 1899-12-30): format the column as yyyy-mm-dd before saving`;
  // Unix time: seconds (9-10 digits) or milliseconds (12-13 digits) since 1970, 1973..2096 either way
  const unix = /^(\d{9,10}|\d{12,13})(\.\d+)?$/.exec(v);
  if (unix !== null) {
    const ms = unix[1].length >= 12;
    const t = Number(v) * (ms ? 1 : 1000);
    if (t >= 1e11 && t < 4e12)
      return `${JSON.stringify(v)} looks like Unix time in ${ms ? 'milliseconds' : 'seconds'} (${new Date(t).toISOString().replace('.000Z', 'Z')}): write dates as yyyy-mm-dd (pandas: pd.to_datetime(col, unit="${ms ? 'ms' : 's'}"); the market's date of a time in UTC depends on its zone: .dt.tz_localize("UTC").dt.tz_convert(ZONE).dt.date)`;
  }
  return 'dates must be ISO yyyy-mm-dd (a time part is ignored) or yyyymmdd';
}

/** An empty or unparseable date cell. */
export function badDate(file: string, line: number, column: string, raw: string): InputError {
  return new InputError(raw.trim() === '' ? 'missing date' : 'not a date', {
    file,
    line,
    column,
    value: raw,
    hint: badDateHint(raw),
  });
}

/** A long row without an asset. */
export function missingAsset(file: string, line: number, column: string): InputError {
  return new InputError('missing asset', { file, line, column, hint: 'every row of a long table needs an asset' });
}

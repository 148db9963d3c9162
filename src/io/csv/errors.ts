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

/** Text where a number belongs. */
export function notANumber(w: CellWhere, value: string): InputError {
  return new InputError('not a number', {
    ...where(w),
    value,
    hint: 'numbers use a dot for decimals; leave the cell empty (or NaN) for a missing value',
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

/** An empty or unparseable date cell. */
export function badDate(file: string, line: number, column: string, raw: string): InputError {
  return new InputError(raw.trim() === '' ? 'missing date' : 'not a date', {
    file,
    line,
    column,
    value: raw,
    hint: 'dates must be ISO yyyy-mm-dd (a time part is ignored) or yyyymmdd',
  });
}

/** A long row without an asset. */
export function missingAsset(file: string, line: number, column: string): InputError {
  return new InputError('missing asset', { file, line, column, hint: 'every row of a long table needs an asset' });
}

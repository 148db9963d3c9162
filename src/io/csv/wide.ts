/**
 * Fast wide CSV parse: `date, A, B, ...` straight from bytes into a date-major matrix.
 *
 * Contract (same as the DuckDB path's `readWideMatrix`): one output column per name in `cols`
 * (header order or the caller's order), other columns ignored; cells read by `parseCell` (blank /
 * NaN = NaN); rows sorted by date (stable), in place when the file is not sorted; a date twice is
 * an error naming both lines. Errors, all located by physical line: a row whose field count
 * differs from the header, text in a number cell, an infinite cell, a zero or negative cell when
 * `prices`, a missing or invalid date. A date of a shape only DuckDB reads throws {@link Declined}.
 */
import { formatIsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { DATE_INVALID, DATE_MISSING, DATE_OTHER, parseDay } from './date.js';
import { Declined } from './decline.js';
import { badDate, notANumber, notFinite, raggedRow } from './errors.js';
import { fieldAt, textOf } from './fields.js';
import { forEachRow } from './lines.js';
import { GrowInt32, RowMatrix } from './matrix.js';
import { nonPositiveCell } from './prices.js';
import { decimalValue, fieldCursor, parseField } from './number.js';

export interface WideSpec {
  file: string;
  delimiter: string;
  /** Every column of the file, in file order. */
  columns: readonly string[];
  dateCol: string;
  /** The value columns, in output order. */
  cols: readonly string[];
  /** Reject zero and negative values. */
  prices: boolean;
  shared: boolean;
  /** Size of the text in bytes (a hint for sizing the matrix). */
  textBytes: number;
  onRows?: (rows: number) => void;
}

export interface WideMatrix {
  /** Day numbers, ascending. */
  days: Int32Array;
  /** `days.length * cols.length` cells, date-major. */
  values: Float64Array;
  /** Physical line of each output row. */
  fileLine: Int32Array;
}

/** Where the rows of a wide parse go: `next` claims the next row and gives the offset of its first cell in `cur`. */
export interface RowSink {
  cur: Float64Array;
  next(bytes: number): number;
}

/** Where the day and physical line of each row go, in row order. */
export interface IntSink {
  push(v: number): void;
}

/**
 * The row callback of a wide parse (for {@link forEachRow}): parses one data line into `store`,
 * its day into `days` and its line into `lines`, or throws the located error (or Declined).
 * `abort` (optional) is polled once per row: when it returns true the parse stops with
 * {@link Aborted} (a split read whose other range failed, csv/split.ts).
 */
export function wideRowFn(
  spec: WideSpec,
  store: RowSink,
  days: IntSink,
  lines: IntSink,
  abort?: () => boolean,
): (b: Buffer, s: number, e: number, line: number) => void {
  const { file, columns, cols, prices } = spec;
  const ncols = columns.length,
    m = cols.length;
  const d = spec.delimiter.charCodeAt(0);
  const dateIdx = columns.indexOf(spec.dateCol);
  if (new Set(cols).size !== m || cols.includes(spec.dateCol)) throw new Declined('a column is asked for twice');
  const roles = new Int32Array(ncols).fill(-2);
  roles[dateIdx] = -1;
  const position = new Map(columns.map((c, k) => [c, k]));
  cols.forEach((c, j) => {
    roles[position.get(c)!] = j;
  });

  const dateText = (b: Buffer, s: number, e: number): string | undefined => {
    const f = fieldAt(b, s, e, d, dateIdx);
    if (f === null) return undefined;
    const day = parseDay(b, f[0], f[1]);
    return day > DATE_OTHER ? formatIsoDate(day) : undefined;
  };
  const cellError = (
    b: Buffer,
    s: number,
    e: number,
    line: number,
    k: number,
    fs: number,
    fe: number,
    v: number | undefined,
  ): InputError => {
    const column = columns[k];
    const date = dateText(b, s, e);
    const w = { file, line, column, asset: column, ...(date !== undefined ? { date } : {}) };
    const raw = textOf(b, fs, fe);
    if (v === undefined) return notANumber(w, raw, true);
    if (v === Infinity || v === -Infinity) return notFinite(w, raw);
    return nonPositiveCell(w, raw);
  };

  return (b: Buffer, s: number, e: number, line: number): void => {
    if (abort !== undefined && abort()) throw new Aborted();
    const off = store.next(e - s + 1);
    const out = store.cur;
    let k = 0,
      pos = s,
      day = DATE_MISSING,
      ds = s,
      de = s;
    for (;;) {
      const role = k < ncols ? roles[k] : -2;
      let fe: number;
      if (role >= 0) {
        // The common cell, `[-]digits[.digits]` before the delimiter or the line end (or nothing:
        // missing), is read here with plain locals, digit for digit as number.ts's scanMantissa
        // (the first 15 significant digits in m, the next up to 4 in l) and valued by the same
        // decimalValue, so the same double as parseField; anything else (a sign '+', spaces, an
        // exponent, more than 19 digits, a near-tie, text) goes to parseField.
        let i = pos;
        const neg = i < e && b[i] === 45;
        if (neg) i++;
        let mm = 0,
          ml = 0,
          nd = 0,
          x = 0,
          any = false;
        for (; i < e; i++) {
          const c = b[i] - 48;
          if (c < 0 || c > 9) break;
          any = true;
          if (nd !== 0 || c !== 0) {
            if (nd < 15) mm = mm * 10 + c;
            else if (nd < 19) ml = ml * 10 + c;
            nd++;
          }
        }
        if (i < e && b[i] === 46)
          for (i++; i < e; i++) {
            const c = b[i] - 48;
            if (c < 0 || c > 9) break;
            any = true;
            if (nd !== 0 || c !== 0) {
              if (nd < 15) mm = mm * 10 + c;
              else if (nd < 19) ml = ml * 10 + c;
              nd++;
            }
            x--;
          }
        let v: number | undefined = NaN; // nothing read: an empty cell, missing
        if ((i === e || b[i] === d) && (any || i === pos) && (!any || (v = decimalValue(mm, nd, ml, x)) === v)) {
          if (neg) v = -v;
          fe = i;
        } else {
          v = parseField(b, pos, e, d);
          fe = fieldCursor.end;
        }
        if (v === undefined || v === Infinity || v === -Infinity || (prices && v <= 0)) {
          // Field count first: a short or long row is reported as such, not as its odd cell.
          const f = countFields(b, s, e, d);
          if (f !== ncols) throw raggedRow(file, line, f, ncols);
          throw cellError(b, s, e, line, k, pos, fe, v);
        }
        out[off + role] = v;
      } else {
        fe = pos;
        while (fe < e && b[fe] !== d) fe++;
        if (role === -1) {
          day = parseDay(b, pos, fe);
          ds = pos;
          de = fe;
        }
      }
      k++;
      if (fe >= e) break;
      pos = fe + 1;
    }
    if (k !== ncols) throw raggedRow(file, line, k, ncols);
    if (day <= DATE_OTHER) {
      if (day === DATE_OTHER) throw new Declined('a date format only DuckDB reads', line);
      if (day === DATE_MISSING || day === DATE_INVALID) throw badDate(file, line, spec.dateCol, textOf(b, ds, de));
    }
    days.push(day);
    lines.push(line);
  };
}

/** A split read stopped because another range failed (never escapes csv/split.ts). */
export class Aborted extends Error {
  constructor() {
    super('the range read was stopped');
    this.name = 'Aborted';
  }
}

/** The error for a file with a header and nothing else. */
export function noRows(file: string): InputError {
  return new InputError('the file has a header but no data rows', { file, hint: 'check that the file is complete' });
}

/**
 * Parses the data lines of a wide CSV given as byte chunks; `alloc` (not with `shared`): memory
 * for the values, reused by the caller from read to read ({@link RowMatrix}).
 */
export async function parseWide(
  chunks: AsyncIterable<Buffer>,
  spec: WideSpec,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<WideMatrix> {
  const store = new RowMatrix(spec.cols.length, spec.textBytes, spec.shared, undefined, alloc);
  const days = new GrowInt32(),
    lines = new GrowInt32();
  const row = wideRowFn(spec, store, days, lines);
  await forEachRow(chunks, row, spec.onRows === undefined ? undefined : (st) => spec.onRows!(st.rows));
  const n = store.rows;
  if (n === 0) throw noRows(spec.file);
  const values = store.finish();
  return sortRows(days.view().slice(), values, lines.view().slice(), spec.cols.length, spec.file, spec.dateCol);
}

function countFields(b: Uint8Array, s: number, e: number, d: number): number {
  let k = 1;
  for (let i = s; i < e; i++) if (b[i] === d) k++;
  return k;
}

/**
 * Sorts the rows by day (stable), permuting the matrix in place cycle by cycle (one row of
 * scratch); a day that occurs twice throws the duplicate-date error naming both lines.
 */
export function sortRows(
  days: Int32Array,
  values: Float64Array,
  fileLine: Int32Array,
  m: number,
  file: string,
  dateCol: string,
): WideMatrix {
  const n = days.length;
  let sorted = true;
  for (let i = 1; i < n; i++)
    if (days[i] <= days[i - 1]) {
      sorted = false;
      break;
    }
  if (sorted) return { days, values, fileLine };
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => days[a] - days[b] || a - b);
  for (let t = 1; t < n; t++) {
    if (days[order[t]] === days[order[t - 1]]) {
      const date = formatIsoDate(days[order[t]]);
      const a = fileLine[order[t - 1]],
        b = fileLine[order[t]];
      throw new InputError(`duplicate date ${date} on lines ${a} and ${b}`, {
        file,
        line: b,
        column: dateCol,
        date,
        hint: 'a wide table needs one row per date',
      });
    }
  }
  const done = new Uint8Array(n);
  const tmp = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    if (done[i] === 1) continue;
    done[i] = 1;
    if (order[i] === i) continue;
    tmp.set(values.subarray(i * m, i * m + m));
    let j = i;
    for (;;) {
      const k = order[j];
      if (k === i) {
        values.set(tmp, j * m);
        break;
      }
      values.copyWithin(j * m, k * m, k * m + m);
      done[k] = 1;
      j = k;
    }
  }
  return { days: Int32Array.from(order, (i) => days[i]), values, fileLine: Int32Array.from(order, (i) => fileLine[i]) };
}

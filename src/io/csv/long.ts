/**
 * Fast long CSV parse: `date, asset, value` (any other columns ignored) straight from bytes into
 * a date-major panel matrix.
 *
 * Contract (same as the DuckDB path): assets are the distinct trimmed asset texts sorted by their
 * UTF-8 bytes (DuckDB's `ORDER BY`), dates the distinct days ascending, every other cell NaN. Rows
 * are collected as (day, asset index, value, line) in typed arrays that double as they fill, with
 * an index looked up from the asset's bytes ({@link ByteIndex}; consecutive rows of one asset reuse
 * the last lookup, and the asset that followed the previous one last time is tried next), then
 * placed. Rows of the plain `date,asset,value` layout that repeat the previous date and the
 * predicted asset are read in one pass (`quick`); any other row is read field by field.
 * Errors, located by physical line: field count differs from the header, missing asset, missing
 * or invalid date, text or an infinite number in the value column, a zero or negative value when
 * `prices`, the same (date, asset) twice (naming both lines). Odd date shapes: {@link Declined}.
 */
import { formatIsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { float64s } from '../../core/panel.js';
import { DATE_INVALID, DATE_MISSING, DATE_OTHER, parseDay } from './date.js';
import { Declined } from './decline.js';
import { badDate, missingAsset, notANumber, notFinite, raggedRow } from './errors.js';
import { textOf } from './fields.js';
import { ByteIndex } from './byteIndex.js';
import { forEachRow } from './lines.js';
import { GrowFloat64, GrowInt32 } from './matrix.js';
import { fieldCursor, parseCell, parseField } from './number.js';
import { nonPositiveCell } from './prices.js';

export interface LongSpec {
  file: string;
  delimiter: string;
  columns: readonly string[];
  dateCol: string;
  assetCol: string;
  valueCol: string;
  prices: boolean;
  shared: boolean;
  onRows?: (rows: number) => void;
}

export interface LongPanel {
  days: Int32Array;
  assets: string[];
  values: Float64Array;
  rows: number;
}

/** UTF-8 byte order of two strings (DuckDB's default VARCHAR order). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The indices of `names` in the UTF-8 byte order of the names ({@link compareUtf8}), each name
 * encoded once (encoding both names in every comparison took 50 ms for 523 tickers).
 */
export function utf8Order(names: readonly string[]): number[] {
  const bytes = names.map((n) => Buffer.from(n, 'utf8'));
  return Array.from(names.keys()).sort((x, y) => Buffer.compare(bytes[x], bytes[y]));
}

/** Parses the data lines of a long CSV given as byte chunks. */
export async function parseLong(chunks: AsyncIterable<Buffer>, spec: LongSpec): Promise<LongPanel> {
  const { file, columns, prices } = spec;
  const ncols = columns.length;
  const d = spec.delimiter.charCodeAt(0);
  const di = columns.indexOf(spec.dateCol),
    ai = columns.indexOf(spec.assetCol),
    vi = columns.indexOf(spec.valueCol);
  const rowDay = new GrowInt32(),
    rowAsset = new GrowInt32(),
    rowLine = new GrowInt32(),
    rowValue = new GrowFloat64();
  const index = new ByteIndex();
  const names: string[] = [];
  let prevIndex = -1;
  // succ[a]: the asset that followed asset a the last time it was read (-1: none yet). A file sorted
  // by date then asset lists the assets in the same order every date, whatever order they were
  // first seen in (a late listing is indexed last but read in its place), so succ predicts the next row.
  let succ = new Int32Array(1024).fill(-1);
  const follow = (a: number): void => {
    if (prevIndex >= 0) {
      if (prevIndex >= succ.length) {
        const g = new Int32Array(succ.length * 2).fill(-1);
        g.set(succ);
        succ = g;
      }
      succ[prevIndex] = a;
    }
    prevIndex = a;
  };
  const prevDate = new Uint8Array(32);
  let prevDateLength = -1,
    prevDay = 0;

  // The common layout date,asset,value: a row is read in one pass from the bytes, comparing the
  // date with the previous row's and the asset with the predicted one while scanning. Anything
  // unusual (another date, an asset not predicted, a value that is not a plain positive decimal,
  // a fourth field) leaves the row to `row` below, which reads it in full and raises the errors.
  const plain = ncols === 3 && di === 0 && ai === 1 && vi === 2;
  const quick = (b: Buffer, s: number, e: number): boolean => {
    const n = prevDateLength;
    if (n <= 0 || s + n >= e || b[s + n] !== d) return false;
    for (let i = 0; i < n; i++) if (b[s + i] !== prevDate[i]) return false;
    const as = s + n + 1;
    const a = prevIndex >= 0 && prevIndex < succ.length && succ[prevIndex] >= 0 ? succ[prevIndex] : prevIndex + 1;
    const len = a < index.size ? index.lengthOf(a) : -1;
    if (len <= 0 || as + len >= e || b[as + len] !== d || !index.equals(a, b, as, as + len)) return false;
    const v = parseField(b, as + len + 1, e, d);
    if (fieldCursor.end !== e || v === undefined || v - v !== 0 || (prices && v <= 0)) return false;
    follow(a);
    rowDay.push(prevDay);
    rowAsset.push(a);
    rowValue.push(v);
    return true;
  };

  const row = (b: Buffer, s: number, e: number, line: number): void => {
    if (plain && quick(b, s, e)) {
      rowLine.push(line);
      return;
    }
    let k = 0,
      pos = s;
    let ds = s,
      de = s,
      as = s,
      ae = s,
      vs = s,
      ve = s;
    for (;;) {
      let fe = pos;
      while (fe < e && b[fe] !== d) fe++;
      if (k === di) {
        ds = pos;
        de = fe;
      } else if (k === ai) {
        as = pos;
        ae = fe;
      } else if (k === vi) {
        vs = pos;
        ve = fe;
      }
      k++;
      if (fe >= e) break;
      pos = fe + 1;
    }
    if (k !== ncols) throw raggedRow(file, line, k, ncols);
    // Same date text as the row before (date-major files repeat it for every asset)? Reuse its day.
    let day = prevDay;
    let sameDate = de - ds === prevDateLength && de - ds <= 32;
    for (let i = 0; sameDate && i < prevDateLength; i++) if (b[ds + i] !== prevDate[i]) sameDate = false;
    if (!sameDate) {
      day = parseDay(b, ds, de);
      if (de - ds <= 32 && day > DATE_OTHER) {
        for (let i = ds; i < de; i++) prevDate[i - ds] = b[i]; // not set(subarray): an object per row
        prevDateLength = de - ds;
        prevDay = day;
      } else prevDateLength = -1;
    }
    if (day <= DATE_OTHER) {
      if (day === DATE_OTHER) throw new Declined('a date format only DuckDB reads', line);
      if (day === DATE_MISSING || day === DATE_INVALID) throw badDate(file, line, spec.dateCol, textOf(b, ds, de));
    }
    while (as < ae && (b[as] === 32 || b[as] === 9)) as++;
    while (ae > as && (b[ae - 1] === 32 || b[ae - 1] === 9)) ae--;
    if (as === ae) throw missingAsset(file, line, spec.assetCol);
    // Same asset as the row before (asset-major files), or the one that followed it last time
    // (date-major files list the assets in the same order every date)? Else a lookup by the bytes.
    let a = prevIndex;
    if (a < 0 || !index.equals(a, b, as, ae)) {
      a = prevIndex >= 0 && prevIndex < succ.length && succ[prevIndex] >= 0 ? succ[prevIndex] : prevIndex + 1;
      if (a >= index.size || !index.equals(a, b, as, ae)) {
        a = index.find(b, as, ae);
        if (a < 0) {
          a = index.add(b, as, ae);
          names.push(textOf(b, as, ae));
        }
      }
    }
    follow(a);
    const v = parseCell(b, vs, ve);
    if (v === undefined || v === Infinity || v === -Infinity || (prices && v <= 0)) {
      const w = { file, line, column: spec.valueCol, asset: names[a], date: formatIsoDate(day) };
      const raw = textOf(b, vs, ve);
      if (v === undefined) throw notANumber(w, raw);
      if (v === Infinity || v === -Infinity) throw notFinite(w, raw);
      throw nonPositiveCell(w, raw);
    }
    rowDay.push(day);
    rowAsset.push(a);
    rowValue.push(v);
    rowLine.push(line);
  };

  await forEachRow(chunks, row, spec.onRows === undefined ? undefined : (st) => spec.onRows!(st.rows));
  const n = rowDay.length;
  if (n === 0) throw new InputError('the file has a header but no data rows', { file, hint: 'check that the file is complete' });
  return place(rowDay.view(), rowAsset.view(), rowValue.view(), rowLine.view(), names, spec);
}

/** Sorts the assets, builds the calendar and places each row's value at its (date, asset) cell. */
function place(
  rowDay: Int32Array,
  rowAsset: Int32Array,
  rowValue: Float64Array,
  rowLine: Int32Array,
  names: string[],
  spec: LongSpec,
): LongPanel {
  const n = rowDay.length,
    m = names.length;
  const byName = utf8Order(names);
  const rank = new Int32Array(m);
  byName.forEach((orig, r) => {
    rank[orig] = r;
  });
  const assets = byName.map((i) => names[i]);
  let minDay = rowDay[0],
    maxDay = rowDay[0];
  for (let i = 1; i < n; i++) {
    const x = rowDay[i];
    if (x < minDay) minDay = x;
    if (x > maxDay) maxDay = x;
  }
  const span = maxDay - minDay + 1;
  const slot = new Int32Array(span).fill(-1);
  for (let i = 0; i < n; i++) slot[rowDay[i] - minDay] = 0;
  let nd = 0;
  const dates = new Int32Array(span);
  for (let k = 0; k < span; k++)
    if (slot[k] === 0) {
      slot[k] = nd;
      dates[nd++] = k + minDay;
    }
  const values = float64s(nd * m, spec.shared).fill(NaN);
  const filled = new Uint8Array(nd * m);
  for (let i = 0; i < n; i++) {
    const p = slot[rowDay[i] - minDay] * m + rank[rowAsset[i]];
    if (filled[p] === 1) throw duplicate(i, rowDay, rowAsset, rowLine, names, spec.file);
    filled[p] = 1;
    values[p] = rowValue[i];
  }
  return { days: dates.slice(0, nd), assets, values, rows: n };
}

function duplicate(i: number, rowDay: Int32Array, rowAsset: Int32Array, rowLine: Int32Array, names: string[], file: string): InputError {
  let first = 0;
  while (rowDay[first] !== rowDay[i] || rowAsset[first] !== rowAsset[i]) first++;
  const asset = names[rowAsset[i]],
    date = formatIsoDate(rowDay[i]);
  return new InputError(`duplicate row: asset ${asset} on ${date} appears on lines ${rowLine[first]} and ${rowLine[i]}`, {
    file,
    line: rowLine[first],
    asset,
    date,
    hint: 'keep one row per (date, asset); aggregate or de-duplicate the data first',
  });
}

/**
 * Long `date, asset, value` CSV read straight into the panel in two passes over the bytes, so the
 * reader never holds per-row arrays: peak memory is the panel plus one byte per cell (the
 * "filled" marks that catch a (date, asset) given twice), against ~20 bytes per row (day, asset,
 * value, line, in arrays that double as they fill) for the one-pass reader in long.ts.
 *
 * Pass 1 reads only the date and asset fields of each row: the distinct days (kept as marks over
 * the day-number range) and the assets (a {@link ByteIndex}, first-seen order). Then the calendar
 * (days ascending) and the asset order (UTF-8 bytes, as long.ts) are fixed and the panel
 * `nDates × nAssets` is allocated, all NaN. Pass 2 reads every row again, parses its value and
 * stores it at `row(day) · m + rank(asset)`. The date of the previous row and the asset that
 * followed the previous one last time are compared byte for byte first, so in a date-major file
 * neither pass hashes an asset nor parses a date on most rows.
 *
 * Same result as long.ts's {@link parseLong} on every file it accepts (assets, calendar, values
 * bit for bit, row count). It throws on the first thing that is not a plain good row (a ragged
 * row, a bad or DuckDB-only date, a missing asset, a bad or non-finite or non-positive value, a
 * duplicate, a quoted field, an empty file): {@link parseLongTwoPass} then reads the file again
 * with parseLong, which raises the located error in file order exactly as before (the error path
 * pays a third read; the good path never does).
 */
import { float64s } from '../../core/panel.js';
import { DATE_OTHER, parseDay } from './date.js';
import { ByteIndex } from './byteIndex.js';
import { Declined } from './decline.js';
import { textOf } from './fields.js';
import { forEachRow } from './lines.js';
import { compareUtf8, parseLong, type LongPanel, type LongSpec } from './long.js';
import { fieldCursor, parseCell, parseField } from './number.js';

/** Not a plain good row (or file): the caller reads the file with parseLong for the located error. */
export class NotPlain extends Error {}

const notPlain = new NotPlain('not a plain row');

/**
 * The two-pass read, falling back to {@link parseLong} (a third read, for its located error or its
 * Declined) when the direct route meets anything but plain good rows.
 */
export async function parseLongTwoPass(open: () => AsyncIterable<Buffer>, spec: LongSpec): Promise<LongPanel> {
  try {
    return await parseLongDirect(open, spec);
  } catch (e) {
    if (!(e instanceof NotPlain) && !(e instanceof Declined)) throw e;
  }
  return parseLong(open(), spec);
}

/**
 * The two passes; throws {@link NotPlain} (or the line splitter's Declined, or a gzip error) on
 * anything else. `open` gives a fresh stream of the file's bytes each time it is called.
 */
export async function parseLongDirect(open: () => AsyncIterable<Buffer>, spec: LongSpec): Promise<LongPanel> {
  const { columns, prices } = spec;
  const ncols = columns.length;
  const d = spec.delimiter.charCodeAt(0);
  const di = columns.indexOf(spec.dateCol),
    ai = columns.indexOf(spec.assetCol),
    vi = columns.indexOf(spec.valueCol);
  const plain = ncols === 3 && di === 0 && ai === 1 && vi === 2;
  const index = new ByteIndex();
  const names: string[] = [];
  // succ[a]: the asset that followed asset a last time (-1: none yet), as in long.ts.
  let succ = new Int32Array(1024).fill(-1);
  let prev = -1;
  const prevDate = new Uint8Array(32);
  let prevDateLength = -1,
    prevDay = 0;
  // Day marks over [lo, lo + mark.length): 1 where a row has that day.
  let lo = 0,
    mark = new Uint8Array(0);
  // Field bounds of the current row (set by `split`).
  let ds = 0,
    de = 0,
    as = 0,
    ae = 0,
    vs = 0,
    ve = 0;
  // Pass 2: row of each day (by day - lo), rank of each asset, the panel and its marks.
  let pass = 1;
  let dayRow = new Int32Array(0);
  let rank = new Int32Array(0);
  let m = 0;
  let values: Float64Array = new Float64Array(0);
  let filled = new Uint8Array(0);
  let rows = 0;

  const split = (b: Buffer, s: number, e: number): void => {
    if (plain) {
      let i = s;
      while (i < e && b[i] !== d) i++;
      if (i >= e) throw notPlain;
      ds = s;
      de = i;
      as = ++i;
      while (i < e && b[i] !== d) i++;
      if (i >= e) throw notPlain;
      ae = i;
      vs = i + 1;
      ve = e; // a fourth field makes the value unreadable: parseField stops at its delimiter
      return;
    }
    let k = 0,
      pos = s;
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
    if (k !== ncols) throw notPlain;
  };

  /** The day of the current row's date (the previous row's when the bytes repeat). */
  const dayOf = (b: Buffer): number => {
    const n = de - ds;
    if (n === prevDateLength) {
      let same = true;
      for (let i = 0; i < n; i++)
        if (b[ds + i] !== prevDate[i]) {
          same = false;
          break;
        }
      if (same) return prevDay;
    }
    const day = parseDay(b, ds, de);
    if (day <= DATE_OTHER) throw notPlain;
    if (n <= 32) {
      prevDate.set(b.subarray(ds, de));
      prevDateLength = n;
      prevDay = day;
      if (pass === 1) markDay(day);
    } else {
      prevDateLength = -1;
      if (pass === 1) markDay(day);
    }
    return day;
  };

  const markDay = (day: number): void => {
    if (mark.length === 0) {
      lo = day - 512;
      mark = new Uint8Array(1024);
    }
    if (day < lo || day >= lo + mark.length) {
      const nlo = Math.min(lo, day - 512),
        nhi = Math.max(lo + mark.length, day + 512);
      const g = new Uint8Array(nhi - nlo);
      g.set(mark, lo - nlo);
      mark = g;
      lo = nlo;
    }
    mark[day - lo] = 1;
  };

  /** The index of the current row's asset (added in pass 1 when new). */
  const assetOf = (b: Buffer): number => {
    let s = as,
      e = ae;
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (s === e) throw notPlain;
    let a = prev >= 0 && prev < succ.length && succ[prev] >= 0 ? succ[prev] : prev + 1;
    if (a >= index.size || !index.equals(a, b, s, e)) {
      if (prev >= 0 && index.equals(prev, b, s, e)) a = prev;
      else {
        a = index.find(b, s, e);
        if (a < 0) {
          if (pass !== 1) throw notPlain;
          a = index.add(b, s, e);
          names.push(textOf(b, s, e));
        }
      }
    }
    if (prev >= 0) {
      if (prev >= succ.length) {
        const g = new Int32Array(Math.max(succ.length * 2, prev + 1)).fill(-1);
        g.set(succ);
        succ = g;
      }
      succ[prev] = a;
    }
    prev = a;
    return a;
  };

  const first = (b: Buffer, s: number, e: number): void => {
    split(b, s, e);
    dayOf(b);
    assetOf(b);
  };

  const second = (b: Buffer, s: number, e: number): void => {
    split(b, s, e);
    const day = dayOf(b);
    const a = assetOf(b);
    let v: number | undefined;
    if (plain) {
      v = parseField(b, vs, ve, d);
      if (fieldCursor.end !== ve) throw notPlain;
    } else v = parseCell(b, vs, ve);
    if (v === undefined || v === Infinity || v === -Infinity || (prices && v <= 0)) throw notPlain;
    const k = day - lo;
    if (k < 0 || k >= mark.length || mark[k] !== 1) throw notPlain; // the file changed between the passes
    const p = dayRow[k] * m + rank[a];
    if (filled[p] !== 0) throw notPlain;
    filled[p] = 1;
    values[p] = v;
    rows++;
  };

  await forEachRow(open(), first);
  m = names.length;
  if (m === 0) throw notPlain;
  const byName = Array.from(names.keys()).sort((x, y) => compareUtf8(names[x], names[y]));
  rank = new Int32Array(m);
  byName.forEach((orig, r) => {
    rank[orig] = r;
  });
  dayRow = new Int32Array(mark.length);
  const dates: number[] = [];
  for (let k = 0; k < mark.length; k++)
    if (mark[k] === 1) {
      dayRow[k] = dates.length;
      dates.push(k + lo);
    }
  const nd = dates.length;
  values = float64s(nd * m, spec.shared).fill(NaN);
  filled = new Uint8Array(nd * m);
  pass = 2;
  prev = -1;
  prevDateLength = -1;
  await forEachRow(open(), second, spec.onRows === undefined ? undefined : (st) => spec.onRows!(st.rows));
  return { days: Int32Array.from(dates), assets: byName.map((i) => names[i]), values, rows };
}

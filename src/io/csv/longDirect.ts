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
 * duplicate, a quoted field, an empty file): {@link readLongDirect} then reads the file again
 * with parseLong, which raises the located error in file order exactly as before (the error path
 * pays a third read; the good path never does).
 */
import { float64s } from '../../core/panel.js';
import { DATE_OTHER, parseDay } from './date.js';
import { ByteIndex } from './byteIndex.js';
import { Declined } from './decline.js';
import { textOf } from './fields.js';
import { forEachRow } from './lines.js';
import { Aborted } from './wide.js';
import { parseLong, utf8Order, type LongPanel, type LongSpec } from './long.js';
import { fieldCursor, parseCell, parseField } from './number.js';

/** Not a plain good row (or file): the caller reads the file with parseLong for the located error. */
export class NotPlain extends Error {}

/** The one NotPlain thrown (no stack to build per throw). */
export const notPlain = new NotPlain('not a plain row');

/**
 * The direct read, falling back to {@link parseLong} (one more read, for its located error or its
 * Declined) when it meets anything but plain good rows. With `onePassRows` > 0 it reads in one
 * pass ({@link parseLongOnePass}) and turns to the two passes ({@link parseLongDirect}) only if the
 * file has more rows than that; otherwise in two passes.
 */
export async function readLongDirect(
  open: () => AsyncIterable<Buffer>,
  spec: LongSpec,
  onePassRows = 0,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<LongPanel> {
  try {
    if (onePassRows > 0)
      try {
        return await parseLongOnePass(open, spec, onePassRows, alloc);
      } catch (e) {
        if (e !== tooManyRows) throw e;
      }
    return await parseLongDirect(open, spec, alloc);
  } catch (e) {
    if (!(e instanceof NotPlain) && !(e instanceof Declined)) throw e;
  }
  return parseLong(open(), spec);
}

/**
 * The two passes; throws {@link NotPlain} (or the line splitter's Declined, or a gzip error) on
 * anything else. `open` gives a fresh stream of the file's bytes each time it is called.
 */
export async function parseLongDirect(
  open: () => AsyncIterable<Buffer>,
  spec: LongSpec,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<LongPanel> {
  const reader = new LongRangeReader(spec);
  await reader.scan(open(), 1);
  const plan = planLong([reader.found()], spec.shared, alloc);
  const rows = await reader.place(open(), 1, plan, 0, spec.onRows);
  return plan.panel(rows);
}

/**
 * One pass: every row's day, asset and value are kept ({@link LongRows}, 16 bytes a row) while the
 * calendar and assets are found, then placed. For a gzip file, whose second pass would inflate it
 * again (or replay 30-50 bytes a row of kept text). Throws {@link tooManyRows} past `maxRows` rows,
 * so that a text larger than its gzip trailer said (several members, or 4 GiB and more) cannot
 * hold more than that.
 */
export async function parseLongOnePass(
  open: () => AsyncIterable<Buffer>,
  spec: LongSpec,
  maxRows = Infinity,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<LongPanel> {
  const reader = new LongRangeReader(spec);
  const rows = new LongRows(maxRows);
  await reader.collect(open(), 1, rows, spec.onRows);
  const plan = planLong([reader.found()], spec.shared, alloc);
  placeRows(rows, plan, 0);
  return plan.panel(rows.length);
}

/** Thrown by {@link LongRows.push} past its limit. */
export const tooManyRows = new Error('more rows than the one-pass read keeps');

/**
 * Rows as (day, asset index, value), in blocks of {@link LongRows.BLOCK} so that growing never
 * copies; at most `limit` rows (to the next block), past which {@link push} throws {@link tooManyRows}.
 */
export class LongRows {
  static readonly BLOCK = 1 << 16;
  readonly days: Int32Array[] = [];
  readonly assets: Int32Array[] = [];
  readonly values: Float64Array[] = [];
  length = 0;
  private at = LongRows.BLOCK;
  private day = new Int32Array(0);
  private asset = new Int32Array(0);
  private value = new Float64Array(0);

  constructor(private readonly limit = Infinity) {}

  push(day: number, asset: number, value: number): void {
    if (this.at === LongRows.BLOCK) {
      if (this.length >= this.limit) throw tooManyRows;
      this.days.push((this.day = new Int32Array(LongRows.BLOCK)));
      this.assets.push((this.asset = new Int32Array(LongRows.BLOCK)));
      this.values.push((this.value = new Float64Array(LongRows.BLOCK)));
      this.at = 0;
    }
    const i = this.at++;
    this.day[i] = day;
    this.asset[i] = asset;
    this.value[i] = value;
    this.length++;
  }
}

/**
 * Places collected rows into `plan`'s panel (`range`: the reader's index in `plan.ranks`), then
 * drops their blocks; {@link notPlain} on a (date, asset) given twice.
 */
export function placeRows(rows: LongRows, plan: Omit<LongPlan, 'panel'>, range: number): void {
  const { lo, dayRow, m, values, filled } = plan;
  const rank = plan.ranks[range];
  const blocks = rows.days.length;
  for (let j = 0; j < blocks; j++) {
    const day = rows.days[j],
      asset = rows.assets[j],
      value = rows.values[j];
    const n = Math.min(LongRows.BLOCK, rows.length - j * LongRows.BLOCK);
    for (let i = 0; i < n; i++) {
      const p = dayRow[day[i] - lo] * m + rank[asset[i]];
      if (filled[p] !== 0) throw notPlain;
      filled[p] = 1;
      values[p] = value[i];
    }
  }
  rows.days.length = rows.assets.length = rows.values.length = 0;
}

/** What pass 1 of one range found: its assets in first-seen order and its days (marks over `[lo, lo + mark.length)`). */
export interface LongFound {
  names: string[];
  lo: number;
  mark: Uint8Array;
}

/** The calendar and asset order of the whole file, the panel being filled and how each range's assets map into it. */
export interface LongPlan {
  /** Day marks of the whole file over `[lo, lo + mark.length)`. */
  lo: number;
  mark: Uint8Array;
  /** Row of each marked day, by `day - lo`. */
  dayRow: Int32Array;
  /** Per range, the column (rank by UTF-8 bytes) of each of its assets by its first-seen index. */
  ranks: Int32Array[];
  m: number;
  /** The panel, all NaN until pass 2, and one mark per cell (1: filled). */
  values: Float64Array;
  filled: Uint8Array;
  /** The panel of the file once pass 2 has placed `rows` rows. */
  panel(rows: number): LongPanel;
}

/**
 * Fixes the calendar (the union of the ranges' days, ascending) and the asset order (the union of
 * their names, sorted by UTF-8 bytes as long.ts), and allocates the panel (NaN) and its marks;
 * throws {@link NotPlain} when there are no assets (no rows). With `alloc` (not with `shared`) the
 * panel is a view of the memory it returns (filled with NaN here: it may hold an earlier panel).
 */
export function planLong(found: readonly LongFound[], shared: boolean, alloc?: (bytes: number) => ArrayBufferLike): LongPlan {
  const all = new Map<string, number>();
  const names: string[] = [];
  for (const f of found)
    for (const n of f.names)
      if (!all.has(n)) {
        all.set(n, names.length);
        names.push(n);
      }
  const m = names.length;
  if (m === 0) throw notPlain;
  const byName = utf8Order(names);
  const rank = new Int32Array(m);
  byName.forEach((orig, r) => {
    rank[orig] = r;
  });
  const ranks = found.map((f) => Int32Array.from(f.names, (n) => rank[all.get(n)!]));
  const withDays = found.filter((f) => f.mark.length > 0);
  const lo = Math.min(...withDays.map((f) => f.lo)),
    hi = Math.max(...withDays.map((f) => f.lo + f.mark.length));
  const mark = new Uint8Array(hi - lo);
  for (const f of withDays) for (let k = 0; k < f.mark.length; k++) if (f.mark[k] === 1) mark[f.lo - lo + k] = 1;
  const dayRow = new Int32Array(mark.length);
  const dates: number[] = [];
  for (let k = 0; k < mark.length; k++)
    if (mark[k] === 1) {
      dayRow[k] = dates.length;
      dates.push(k + lo);
    }
  const nd = dates.length;
  const values = (alloc !== undefined && !shared ? new Float64Array(alloc(nd * m * 8), 0, nd * m) : float64s(nd * m, shared)).fill(NaN);
  const filled = shared ? new Uint8Array(new SharedArrayBuffer(nd * m)) : new Uint8Array(nd * m);
  const assets = byName.map((i) => names[i]);
  return { lo, mark, dayRow, ranks, m, values, filled, panel: (rows) => ({ days: Int32Array.from(dates), assets, values, rows }) };
}

/**
 * The two passes over one stream of a long file's lines (the whole file, or one byte range of it
 * starting at a line start, csv/split.ts): {@link scan} (dates and assets), then, once
 * {@link planLong} has fixed the panel, {@link place} (the values). Throws {@link NotPlain} on
 * anything but plain good rows, and {@link Aborted} when `abort` says another range failed.
 */
export class LongRangeReader {
  private readonly index = new ByteIndex();
  private readonly names: string[] = [];
  // succ[a]: the asset that followed asset a last time (-1: none yet), as in long.ts.
  private succ = new Int32Array(1024).fill(-1);
  private prev = -1;
  private readonly prevDate = new Uint8Array(32);
  private prevDateLength = -1;
  private prevDay = 0;
  // Day marks over [lo, lo + mark.length): 1 where a row has that day.
  private lo = 0;
  private mark = new Uint8Array(0);
  // Field bounds of the current row (set by `split`).
  private ds = 0;
  private de = 0;
  private as = 0;
  private ae = 0;
  private vs = 0;
  private ve = 0;
  private pass = 1;
  private readonly plain: boolean;
  private readonly d: number;
  private readonly di: number;
  private readonly ai: number;
  private readonly vi: number;

  constructor(
    private readonly spec: Omit<LongSpec, 'onRows'>,
    private readonly abort?: () => boolean,
  ) {
    const { columns } = spec;
    this.d = spec.delimiter.charCodeAt(0);
    this.di = columns.indexOf(spec.dateCol);
    this.ai = columns.indexOf(spec.assetCol);
    this.vi = columns.indexOf(spec.valueCol);
    this.plain = columns.length === 3 && this.di === 0 && this.ai === 1 && this.vi === 2;
  }

  /** Pass 1 results. */
  found(): LongFound {
    return { names: this.names, lo: this.lo, mark: this.mark };
  }

  private split(b: Buffer, s: number, e: number): void {
    const d = this.d;
    if (this.plain) {
      let i = s;
      while (i < e && b[i] !== d) i++;
      if (i >= e) throw notPlain;
      this.ds = s;
      this.de = i;
      this.as = ++i;
      while (i < e && b[i] !== d) i++;
      if (i >= e) throw notPlain;
      this.ae = i;
      this.vs = i + 1;
      this.ve = e; // a fourth field makes the value unreadable: parseField stops at its delimiter
      return;
    }
    const { di, ai, vi } = this;
    let k = 0,
      pos = s;
    for (;;) {
      let fe = pos;
      while (fe < e && b[fe] !== d) fe++;
      if (k === di) {
        this.ds = pos;
        this.de = fe;
      } else if (k === ai) {
        this.as = pos;
        this.ae = fe;
      } else if (k === vi) {
        this.vs = pos;
        this.ve = fe;
      }
      k++;
      if (fe >= e) break;
      pos = fe + 1;
    }
    if (k !== this.spec.columns.length) throw notPlain;
  }

  /** The day of the current row's date (the previous row's when the bytes repeat). */
  private dayOf(b: Buffer): number {
    const { ds, de } = this;
    const n = de - ds;
    if (n === this.prevDateLength) {
      const prevDate = this.prevDate;
      let same = true;
      for (let i = 0; i < n; i++)
        if (b[ds + i] !== prevDate[i]) {
          same = false;
          break;
        }
      if (same) return this.prevDay;
    }
    const day = parseDay(b, ds, de);
    if (day <= DATE_OTHER) throw notPlain;
    if (n <= 32) {
      // a byte loop, not set(subarray): a subarray is an object per row (0.1 s a million rows)
      const prevDate = this.prevDate;
      for (let i = 0; i < n; i++) prevDate[i] = b[ds + i];
      this.prevDateLength = n;
      this.prevDay = day;
    } else this.prevDateLength = -1;
    if (this.pass === 1) this.markDay(day);
    return day;
  }

  private markDay(day: number): void {
    if (this.mark.length === 0) {
      this.lo = day - 512;
      this.mark = new Uint8Array(1024);
    }
    const lo = this.lo;
    if (day < lo || day >= lo + this.mark.length) {
      const nlo = Math.min(lo, day - 512),
        nhi = Math.max(lo + this.mark.length, day + 512);
      const g = new Uint8Array(nhi - nlo);
      g.set(this.mark, lo - nlo);
      this.mark = g;
      this.lo = nlo;
    }
    this.mark[day - this.lo] = 1;
  }

  /** The index of the current row's asset (added in pass 1 when new). */
  private assetOf(b: Buffer): number {
    let s = this.as,
      e = this.ae;
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (s === e) throw notPlain;
    const { index, prev } = this;
    let succ = this.succ;
    let a = prev >= 0 && prev < succ.length && succ[prev] >= 0 ? succ[prev] : prev + 1;
    if (a >= index.size || !index.equals(a, b, s, e)) {
      if (prev >= 0 && index.equals(prev, b, s, e)) a = prev;
      else {
        a = index.find(b, s, e);
        if (a < 0) {
          if (this.pass !== 1) throw notPlain;
          a = index.add(b, s, e);
          this.names.push(textOf(b, s, e));
        }
      }
    }
    if (prev >= 0) {
      if (prev >= succ.length) {
        const g = new Int32Array(Math.max(succ.length * 2, prev + 1)).fill(-1);
        g.set(succ);
        this.succ = succ = g;
      }
      succ[prev] = a;
    }
    this.prev = a;
    return a;
  }

  /** The current row's value; {@link notPlain} unless it is a finite number (and positive for prices). */
  private value(b: Buffer): number {
    let v: number | undefined;
    if (this.plain) {
      v = parseField(b, this.vs, this.ve, this.d);
      if (fieldCursor.end !== this.ve) throw notPlain;
    } else v = parseCell(b, this.vs, this.ve);
    if (v === undefined || v === Infinity || v === -Infinity || (this.spec.prices && v <= 0)) throw notPlain;
    return v;
  }

  /**
   * The one-pass route: pass 1 (dates and assets) that also parses each row's value and keeps
   * (day, asset, value) in `rows` ({@link LongRows}), for {@link placeRows} once the plan is fixed.
   */
  async collect(chunks: AsyncIterable<Buffer>, firstLine: number, rows: LongRows, onRows?: (rows: number) => void): Promise<void> {
    const abort = this.abort;
    await forEachRow(
      chunks,
      (b, s, e) => {
        if (abort !== undefined && abort()) throw new Aborted();
        this.split(b, s, e);
        const day = this.dayOf(b);
        const a = this.assetOf(b);
        rows.push(day, a, this.value(b));
      },
      onRows === undefined ? undefined : (st) => onRows(st.rows),
      firstLine,
    );
  }

  /** Pass 1: the dates and assets of every row of `chunks` (whose first line is `firstLine`, 1: the header). */
  async scan(chunks: AsyncIterable<Buffer>, firstLine: number): Promise<void> {
    const abort = this.abort;
    await forEachRow(
      chunks,
      (b, s, e) => {
        if (abort !== undefined && abort()) throw new Aborted();
        this.split(b, s, e);
        this.dayOf(b);
        this.assetOf(b);
      },
      undefined,
      firstLine,
    );
  }

  /**
   * Pass 2: every row's value into `plan`'s panel at (its day's row, its asset's column); `range`
   * is this reader's index in `plan.ranks`. Returns the rows placed.
   */
  async place(
    chunks: AsyncIterable<Buffer>,
    firstLine: number,
    plan: Omit<LongPlan, 'panel'>,
    range: number,
    onRows?: (rows: number) => void,
  ): Promise<number> {
    this.pass = 2;
    this.prev = -1;
    this.prevDateLength = -1;
    const { lo, mark, dayRow, m, values, filled } = plan;
    const rank = plan.ranks[range];
    const abort = this.abort;
    let rows = 0;
    await forEachRow(
      chunks,
      (b, s, e) => {
        if (abort !== undefined && abort()) throw new Aborted();
        this.split(b, s, e);
        const day = this.dayOf(b);
        const a = this.assetOf(b);
        const v = this.value(b);
        const k = day - lo;
        if (k < 0 || k >= mark.length || mark[k] !== 1) throw notPlain; // the file changed between the passes
        const p = dayRow[k] * m + rank[a];
        if (filled[p] !== 0) throw notPlain;
        filled[p] = 1;
        values[p] = v;
        rows++;
      },
      onRows === undefined ? undefined : (st) => onRows(st.rows),
      firstLine,
    );
    return rows;
  }
}

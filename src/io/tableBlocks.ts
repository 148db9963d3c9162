/**
 * A table to be written, as a column schema and a sequence of small column-major blocks of rows,
 * so that every writer (CSV, JSON, Parquet) streams it without ever building the whole table as
 * text or as an array of row arrays.
 *
 * Columns are of three kinds: `date` (day numbers since 1970-01-01 in an Int32Array), `number`
 * (a Float64Array; NaN and ±Infinity are missing) and `text` (an Int32Array of codes into the
 * column's dictionary; -1 is missing). A Panel is written long (`date, asset, value`, one row per
 * finite cell, in date then asset order) or wide (`date, <asset>...`); a Frame as
 * `date, <column>...`; a Table (core/table.ts) as its columns; records as they are (columns = union of keys in first-seen order; a column
 * is `number` when every value is a number, null or undefined, else `text`, with numbers as
 * `String(v)`, booleans as `true`/`false`, other objects as JSON).
 *
 * Memory: a block holds at most {@link BLOCK_CELLS} cells (and at most {@link MAX_BLOCK_ROWS}
 * rows); its arrays are scratch, reused by the next block, so a consumer must finish with a block
 * before asking for the next. Nothing else is allocated per row.
 */
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { Table } from '../core/table.js';

export type ColumnKind = 'date' | 'number' | 'text';

export type TableColumn =
  { name: string; kind: 'date' } | { name: string; kind: 'number' } | { name: string; kind: 'text'; dictionary: readonly string[] };

/** Rows `rows` of every column: Int32Array for date and text columns, Float64Array for numbers. */
export interface Block {
  rows: number;
  data: (Int32Array | Float64Array)[];
}

export interface TableSource {
  columns: readonly TableColumn[];
  /** Rows in all. */
  rowCount: number;
  /** The blocks in row order; each block's arrays are overwritten by the next one. */
  blocks(): Iterable<Block>;
}

export type TableData = Panel | Frame | Table | readonly Record<string, unknown>[];

/** Cells per block: 64 Ki (512 KB of doubles). */
export const BLOCK_CELLS = 1 << 16;
/** Rows per block at most: DuckDB's vector size. */
export const MAX_BLOCK_ROWS = 2048;

/** Rows per block for a table of `nColumns` columns: at least 1, at most {@link MAX_BLOCK_ROWS}. */
export function blockRows(nColumns: number): number {
  return Math.max(1, Math.min(MAX_BLOCK_ROWS, Math.floor(BLOCK_CELLS / Math.max(1, nColumns))));
}

/** The table `data` as a block source (`wide` applies to panels only). */
export function tableSource(data: TableData, wide: boolean): TableSource {
  if (data instanceof Panel) return wide ? widePanel(data) : longPanel(data);
  if (data instanceof Frame) return frameSource(data);
  if (data instanceof Table) return columnTableSource(data);
  return recordsSource(data);
}

function scratch(columns: readonly TableColumn[], rows: number): (Int32Array | Float64Array)[] {
  return columns.map((c) => (c.kind === 'number' ? new Float64Array(rows) : new Int32Array(rows)));
}

/**
 * A panel as `date,asset,value` rows: a row per present cell, and, so that the table keeps the
 * panel's whole grid, an empty-valued row for each date without any value (its first asset) and for
 * each asset without any value (on the first date). Without them a blank date (a holiday row) or a
 * blank asset vanished from the file, and read back the calendar had one row less, which shifts
 * every horizon counted in rows.
 */
function longPanel(panel: Panel): TableSource {
  const { dates, values, nAssets: m } = panel;
  const nd = dates.length;
  const assetSeen = new Uint8Array(m),
    dateSeen = new Uint8Array(nd);
  let rowCount = 0;
  for (let t = 0; t < nd; t++)
    for (let j = 0, i = t * m; j < m; j++, i++)
      if (values[i] - values[i] === 0) {
        rowCount++;
        assetSeen[j] = 1;
        dateSeen[t] = 1;
      }
  // the placeholder rows: (t, 0) for an empty date, (0, j) for an empty asset, counted once each
  const placeholder = (t: number, j: number): boolean => (j === 0 && dateSeen[t] === 0) || (t === 0 && assetSeen[j] === 0);
  if (m > 0) for (let t = 0; t < nd; t++) for (let j = 0; j < (t === 0 ? m : 1); j++) if (placeholder(t, j)) rowCount++;
  const columns: TableColumn[] = [
    { name: 'date', kind: 'date' },
    { name: 'asset', kind: 'text', dictionary: panel.assets },
    { name: 'value', kind: 'number' },
  ];
  return {
    columns,
    rowCount,
    *blocks() {
      const size = MAX_BLOCK_ROWS;
      const [d, a, v] = scratch(columns, size) as [Int32Array, Int32Array, Float64Array];
      const block: Block = { rows: 0, data: [d, a, v] };
      let n = 0;
      for (let t = 0; t < dates.length; t++) {
        const day = dates[t],
          base = t * m;
        for (let j = 0; j < m; j++) {
          let x = values[base + j];
          if (x - x !== 0) {
            if (!placeholder(t, j)) continue; // NaN and ±Infinity: missing, no row
            x = NaN; // an empty value: the date or asset has no other row
          }
          d[n] = day;
          a[n] = j;
          v[n] = x;
          if (++n === size) {
            block.rows = n;
            yield block;
            n = 0;
          }
        }
      }
      if (n > 0) {
        block.rows = n;
        yield block;
      }
    },
  };
}

function widePanel(panel: Panel): TableSource {
  const { dates, values, nAssets: m } = panel;
  const columns: TableColumn[] = [{ name: 'date', kind: 'date' }, ...panel.assets.map((name): TableColumn => ({ name, kind: 'number' }))];
  return {
    columns,
    rowCount: dates.length,
    *blocks() {
      const size = blockRows(columns.length);
      const data = scratch(columns, size);
      const d = data[0] as Int32Array;
      for (let t0 = 0; t0 < dates.length; t0 += size) {
        const rows = Math.min(size, dates.length - t0);
        d.set(dates.subarray(t0, t0 + rows));
        for (let j = 0; j < m; j++) {
          const col = data[j + 1];
          for (let r = 0, p = t0 * m + j; r < rows; r++, p += m) col[r] = values[p];
        }
        yield { rows, data };
      }
    },
  };
}

function frameSource(frame: Frame): TableSource {
  const columns: TableColumn[] = [{ name: 'date', kind: 'date' }, ...frame.columns.map((name): TableColumn => ({ name, kind: 'number' }))];
  return {
    columns,
    rowCount: frame.nDates,
    *blocks() {
      const size = blockRows(columns.length);
      for (let t0 = 0; t0 < frame.nDates; t0 += size) {
        const t1 = Math.min(frame.nDates, t0 + size);
        // Views, not copies: a Frame is stored column by column already.
        yield { rows: t1 - t0, data: [frame.dates.subarray(t0, t1), ...frame.series.map((s) => s.subarray(t0, t1))] };
      }
    },
  };
}

/**
 * A Table as it is: its columns in order, numbers as numbers, text as its codes and dictionary
 * (the rows `tableSource(table.toRecords())` gives, without an object per row).
 */
function columnTableSource(table: Table): TableSource {
  const columns: TableColumn[] = table.columns.map((c) =>
    c.kind === 'number' ? { name: c.name, kind: 'number' } : { name: c.name, kind: 'text', dictionary: c.dictionary },
  );
  const arrays = table.columns.map((c) => (c.kind === 'number' ? c.values : c.codes));
  return {
    columns,
    rowCount: table.rowCount,
    *blocks() {
      const size = blockRows(columns.length);
      for (let i0 = 0; i0 < table.rowCount; i0 += size) {
        const i1 = Math.min(table.rowCount, i0 + size);
        // views, not copies: a Table is stored column by column already
        yield { rows: i1 - i0, data: arrays.map((a) => a.subarray(i0, i1)) };
      }
    },
  };
}

/** A record value as text, or null when missing. */
function textOf(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v) ?? null;
}

function recordsSource(records: readonly Record<string, unknown>[]): TableSource {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
  const columns: TableColumn[] = [];
  // Text columns are coded once up front (records are small: one row per asset or so).
  const codes = new Map<number, Int32Array>();
  names.forEach((name, k) => {
    const numeric = records.every((r) => {
      const v = r[name];
      return v === undefined || v === null || typeof v === 'number';
    });
    if (numeric) {
      columns.push({ name, kind: 'number' });
      return;
    }
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const c = new Int32Array(records.length);
    records.forEach((r, i) => {
      const s = textOf(r[name]);
      if (s === null) {
        c[i] = -1;
        return;
      }
      let code = index.get(s);
      if (code === undefined) {
        code = dictionary.length;
        index.set(s, code);
        dictionary.push(s);
      }
      c[i] = code;
    });
    codes.set(k, c);
    columns.push({ name, kind: 'text', dictionary });
  });
  return {
    columns,
    rowCount: records.length,
    *blocks() {
      const size = blockRows(columns.length);
      const data = scratch(columns, size);
      for (let i0 = 0; i0 < records.length; i0 += size) {
        const rows = Math.min(size, records.length - i0);
        columns.forEach((col, k) => {
          const out = data[k];
          const coded = codes.get(k);
          if (coded !== undefined) out.set(coded.subarray(i0, i0 + rows));
          else
            for (let r = 0; r < rows; r++) {
              const v = records[i0 + r][col.name];
              out[r] = typeof v === 'number' ? v : NaN;
            }
        });
        yield { rows, data };
      }
    },
  };
}

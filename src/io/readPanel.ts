/**
 * `readPanel`: a long (`date, asset, value`) or wide (`date, A, B, ...`) table from CSV, CSV.gz or
 * Parquet into a core {@link Panel} (date-major `Float64Array`, NaN = missing).
 *
 * CSV and CSV.gz go through the fast streaming reader in csv/ (bytes straight into the matrix, no
 * DuckDB loaded); what it declines (quoted fields, date shapes only DuckDB's casts read, a long
 * value column chosen by type) and Parquet go through DuckDB, described below. Both paths reject
 * infinite values (`inf`, `1e400`) and truncated or corrupt gzip streams with a located InputError.
 *
 * Happy path, wide: one DuckDB scan with every asset column declared DOUBLE, results copied from
 * DuckDB's vectors in bulk (vectors.ts), rows sorted by date if the file is not.
 * Happy path, long: one scan into a temp table of (day number, asset, value); the sorted distinct
 * assets and dates; a join that gives each row its asset index; a JS pass that places the values.
 * Cheap checks (NULL day numbers, a cell filled twice, a non-positive price) run on the data as it
 * arrives; only when one fails does a second scan locate the exact line (locate.ts).
 *
 * Assets are ordered as in the header (wide) or sorted by name (long); dates ascending.
 */
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { formatIsoDate } from '../core/dates.js';
import { Panel, float64s } from '../core/panel.js';
import { chooseColumns, chooseValueByType, isNumericType, type Layout } from './columns.js';
import { duckdbMessage, sqlIdent, withConnection } from './duckdb.js';
import {
  locateBadDate,
  locateBadNumber,
  locateDuplicateLong,
  locateMissingAsset,
  locateNonFinite,
  locateNonPositiveLong,
  nonPositive,
} from './locate.js';
import { Declined } from './csv/decline.js';
import { notFinite } from './csv/errors.js';
import { readPanelFast } from './csv/fast.js';
import { onCutOffLine, physicalLine } from './csv/lines.js';
import { fileChunks } from './csv/source.js';
import { defaultThreads } from '../parallel/pool.js';
import {
  assertFile,
  assertNotJsonTable,
  checkedTimezone,
  dayNumberSql,
  doubleSql,
  formatOf,
  openSource,
  scanSql,
  scanType,
  sniffTypes,
  numericTextColumns,
  type TableFormat,
  type TableSource,
} from './source.js';
import { copyDoubles, copyInt32, doubleViews } from './vectors.js';

export type ValueKind = 'prices' | 'returns' | 'values';

export interface ReadProgress {
  phase: string;
  done: number;
  total?: number;
  /** What `done` counts ('rows' while reading). */
  unit?: string;
  /** The file being read. */
  label?: string;
}

export interface ReadPanelOptions {
  layout?: 'auto' | Layout;
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  /** 'prices' rejects zero and negative values. Default 'values'. */
  kind?: ValueKind;
  onProgress?: (p: ReadProgress) => void;
  /**
   * Put the panel's values on a SharedArrayBuffer, which worker threads read in place
   * (parallel/: analyzeFactorParallel, olsBatchParallel) instead of copying it first. Default false.
   */
  shared?: boolean;
  /**
   * Threads that parse a large plain wide CSV (the file cut at line starts, one range per thread,
   * csv/split.ts); default: the available cores. 1 reads on the calling thread. Files under 24 MB,
   * gzip, long files and Parquet are read as before. The result is the same, bit for bit, on any
   * number of threads.
   */
  threads?: number;
  /**
   * Memory for the values, for a caller that reads many panels of one size and reuses it (a zoo's
   * factors; fresh memory costs a page fault per 4 KiB when first written): called for a buffer of
   * at least the bytes asked, of which the panel's values are then a view. Used by the CSV / CSV.gz
   * reads on the calling thread (`threads: 1`, or a file too small to split), not with `shared`.
   */
  alloc?: (bytes: number) => ArrayBufferLike;
  /**
   * Which reader: 'auto' (default) reads CSV / CSV.gz with the fast streaming reader (csv/) and
   * hands the file to DuckDB when that declines (quoted fields, dates only DuckDB's casts read, a
   * long value column chosen by type); Parquet always goes to DuckDB. 'fast' never falls back (a
   * decline is thrown as an Error); 'duckdb' always uses DuckDB. For tests and comparisons.
   */
  engine?: 'auto' | 'fast' | 'duckdb';
  /**
   * An IANA time zone (`America/New_York`): dates written as times with a UTC offset
   * (`2024-10-10T13:22:51Z`, `...-05:00`) and time-zone-aware Parquet timestamps are read as their
   * date in that zone. Without it such a time is read as the date written, and a time in UTC only
   * at midnight (anywhere else the market's date is unknown).
   */
  timezone?: string;
}

export interface LoadedPanel {
  panel: Panel;
  file: string;
  layout: Layout;
  /** Data rows read (not counting the header). */
  rows: number;
  /** Every column of the file, in file order. */
  columns: string[];
  dateCol: string;
  assetCol?: string;
  valueCol?: string;
  format: TableFormat;
}

/** Reads a long or wide table into a Panel. Bad input throws one {@link InputError}. */
export async function readPanel(file: string, options: ReadPanelOptions = {}): Promise<LoadedPanel> {
  const engine = options.engine ?? 'auto';
  const user = options.onProgress;
  // Every event names the file, so a progress line says what is being read.
  if (user !== undefined) options = { ...options, onProgress: (p) => user({ ...p, label: file }) };
  if (engine !== 'duckdb') {
    await assertFile(file);
    assertNotJsonTable(file);
    if (formatOf(file) !== 'parquet') {
      try {
        return withoutUnnamedEmptyLast(await readPanelCsv(file, options));
      } catch (e) {
        if (!(e instanceof Declined) || engine === 'fast') throw e;
      }
    }
  }
  return withoutUnnamedEmptyLast(await readPanelDuckdb(file, options));
}

/**
 * A wide panel without its last column when the header left that column unnamed (`columnN`: a
 * trailing comma on every line, as spreadsheet exports write) and it holds no value: an empty asset
 * that every output would list as skipped. The values are copied once, in that case only, onto the
 * same kind of memory (shared stays shared).
 */
function withoutUnnamedEmptyLast(loaded: LoadedPanel): LoadedPanel {
  const p = loaded.panel,
    m = p.nAssets,
    n = p.nDates;
  if (loaded.layout !== 'wide' || m < 2 || !/^column\d+$/.test(p.assets[m - 1])) return loaded;
  const v = p.values;
  for (let t = 0; t < n; t++) if (v[t * m + m - 1] === v[t * m + m - 1]) return loaded;
  const bytes = n * (m - 1) * 8;
  const out = new Float64Array(v.buffer instanceof SharedArrayBuffer ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  for (let t = 0; t < n; t++) out.set(v.subarray(t * m, t * m + m - 1), t * (m - 1));
  return { ...loaded, panel: new Panel(p.dates, p.assets.slice(0, m - 1), out) };
}

/** The fast path (csv/fast.ts): CSV and CSV.gz without DuckDB. */
async function readPanelCsv(file: string, options: ReadPanelOptions): Promise<LoadedPanel> {
  const progress = options.onProgress ?? (() => undefined);
  progress({ phase: 'header', done: 0 });
  const r = await readPanelFast(file, {
    ...options,
    prices: options.kind === 'prices',
    shared: options.shared ?? false,
    threads: options.threads ?? defaultThreads(),
    onRows: (done) => progress({ phase: 'read', done, unit: 'rows' }),
  });
  const base = { file, columns: r.columns, dateCol: r.dateCol, format: r.format };
  if (r.layout === 'wide') {
    const n = r.wide.days.length;
    progress({ phase: 'done', done: n, total: n });
    return { ...base, panel: new Panel(r.wide.days, r.assets.slice(), r.wide.values), rows: n, layout: 'wide' };
  }
  progress({ phase: 'done', done: r.long.rows, total: r.long.rows });
  return {
    ...base,
    panel: new Panel(r.long.days, r.long.assets, r.long.values),
    rows: r.long.rows,
    layout: 'long',
    assetCol: r.assetCol,
    valueCol: r.valueCol,
  };
}

/** The DuckDB path: Parquet, and CSV the fast path declines. */
async function readPanelDuckdb(file: string, options: ReadPanelOptions): Promise<LoadedPanel> {
  const progress = options.onProgress ?? (() => undefined);
  return withConnection(async (con) => {
    progress({ phase: 'header', done: 0 });
    const opened = await openSource(con, file);
    const src = options.timezone === undefined ? opened : { ...opened, timezone: checkedTimezone(options.timezone, 'timezone') };
    const choice = chooseColumns(src.columns, options, file);
    const base = { file, columns: src.columns, dateCol: choice.dateCol, format: src.format };
    if (choice.layout === 'wide') {
      const assets = src.columns.filter((c) => c !== choice.dateCol);
      const { panel, rows } = await readWide(con, src, choice.dateCol, assets, options.kind ?? 'values', progress, options.shared ?? false);
      return { ...base, panel, rows, layout: 'wide' };
    }
    const assetCol = choice.assetCol!;
    const valueCol = choice.valueCol ?? (await valueByType(con, src, [choice.dateCol, assetCol], file));
    const { panel, rows } = await readLong(
      con,
      src,
      choice.dateCol,
      assetCol,
      valueCol,
      options.kind ?? 'values',
      progress,
      options.shared ?? false,
    );
    return { ...base, panel, rows, layout: 'long', assetCol, valueCol };
  });
}

/**
 * The value column of a long table chosen by type (io `chooseValueByType`), counting the text
 * columns that hold numbers (io `numericTextColumns`) as numeric.
 */
async function valueByType(con: DuckDBConnection, src: TableSource, used: readonly string[], file: string): Promise<string> {
  const types = await sniffTypes(con, src);
  const text = types.filter((c) => !used.includes(c.name) && !isNumericType(c.type)).map((c) => c.name);
  try {
    return chooseValueByType(types, used, file, await numericTextColumns(con, src, text));
  } catch (e) {
    // a header-only file has no numeric column because it has no rows: say that, not "pass the
    // value column with --value-col" (which read it to the same end, or named a flag the command lacks)
    if (e instanceof InputError && (await hasNoRows(con, src))) throw rowsError(file);
    throw e;
  }
}

/** Whether the table has no data row (a header alone); false when DuckDB cannot tell. */
async function hasNoRows(con: DuckDBConnection, src: TableSource): Promise<boolean> {
  try {
    const rows = (await con.runAndReadAll(`SELECT count(*) FROM (SELECT 1 FROM ${scanSql(src)} LIMIT 1)`)).getRows();
    return Number(rows[0][0]) === 0;
  } catch {
    return false;
  }
}

/** Runs `sql`; a DuckDB failure is located (text in a number column, ...) or reported as an InputError. */
async function scanOrLocate<T>(
  con: DuckDBConnection,
  src: TableSource,
  numberCols: readonly string[],
  run: () => Promise<T>,
  keys: { dateCol?: string; assetCol?: string } = {},
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof InputError) throw e;
    try {
      await locateBadNumber(con, src, numberCols, keys.dateCol, keys.assetCol);
    } catch (located) {
      if (located instanceof InputError) throw located;
      // The text scan failed too: a structural problem, reported from DuckDB's own message below.
    }
    throw await blankLineError(src, structuralError(src.file, e));
  }
}

/**
 * The structural error, or when its line is blank but for spaces or tabs (which the fast reader
 * skips, as pandas does) an error that says so: DuckDB, which reads the files the fast reader
 * declines (quoted fields, other date shapes), reads such a line as a row of one field. On the
 * file's last line without a line end, the hint says the file may be cut off (as the fast reader's).
 */
async function blankLineError(src: TableSource, error: InputError): Promise<InputError> {
  const n = error.location.line;
  if (n === undefined || src.format === 'parquet') return error;
  let found: Awaited<ReturnType<typeof physicalLine>>;
  try {
    found = await physicalLine(fileChunks(src.file, src.format === 'csv.gz'), n);
  } catch {
    return error;
  }
  if (found === undefined) return error;
  if (!found.terminated) return onCutOffLine(error);
  if (!/^[ \t\r]+$/.test(found.text)) return error;
  return new InputError('the line is blank but for spaces or tabs', {
    file: src.file,
    line: n,
    hint: 'delete the line, or leave it empty (empty lines are skipped; this file, read by DuckDB for its quoted fields or dates, cannot skip a line of spaces)',
  });
}

/**
 * An InputError from a DuckDB CSV error: its "CSV Error on Line: N" gives the line and its
 * "Expected Number of Columns" sentence the problem, when present.
 */
export function structuralError(file: string, e: unknown): InputError {
  const msg = e instanceof Error ? e.message : String(e);
  const line = /CSV Error on Line: (\d+)/.exec(msg);
  const fields = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(msg);
  const problem =
    fields !== null
      ? `cannot read the table: the row has ${fields[2]} fields, the header has ${fields[1]}`
      : `cannot read the table: ${duckdbMessage(e)}`;
  return new InputError(problem, {
    file,
    ...(line !== null ? { line: Number(line[1]) } : {}),
    hint: 'check that every row has the same number of fields as the header and that quotes are balanced',
  });
}

function rowsError(file: string): InputError {
  return new InputError('the file has a header but no data rows', { file, hint: 'check that the file is complete' });
}

// ---------------------------------------------------------------------------------------------
// Wide

/**
 * Runs `sql` and hands its chunks to `onChunk` one at a time, with the row offset of each; no chunk
 * is kept (a fetched chunk has room for 2,048 rows of every column whatever it holds, ~94 MB of
 * address space for a 5,775-column table, freed only when JS collects it). The query is
 * materialised inside DuckDB (`run`): its errors surface before the first chunk and the row count
 * is known up front. Streaming (`stream`) would save that one copy of the result but costs ~30 %
 * more CPU (DuckDB's threads wait for JS between chunks). Returns the row count.
 */
export async function eachChunk(
  con: DuckDBConnection,
  sql: string,
  onChunk: (chunk: DuckDBDataChunk, r0: number) => void,
): Promise<number> {
  const res = await con.run(sql);
  const n = res.rowCount;
  for (let r0 = 0; r0 < n;) {
    const ch = await res.fetchChunk();
    if (ch === null || ch.rowCount === 0) break;
    onChunk(ch, r0);
    r0 += ch.rowCount;
  }
  return n;
}

/**
 * Wide table: `day` plus one DOUBLE column per name, into a date-major matrix in file row order,
 * then sorted by date. Returns the matrix (on shared memory with `shared`), the day numbers and the
 * file row of each output row.
 */
export async function readWideMatrix(
  con: DuckDBConnection,
  src: TableSource,
  dateCol: string,
  cols: readonly string[],
  progress: (p: ReadProgress) => void,
  shared = false,
): Promise<{ days: Int32Array; values: Float64Array; fileRow: Int32Array }> {
  const declared = new Map<string, string>(cols.map((c) => [c, 'DOUBLE']));
  const day = dayNumberSql(dateCol, scanType(src, dateCol, declared), src.timezone);
  const sql = `SELECT ${day} AS day, ${cols.map((c) => doubleSql(src, c, declared)).join(', ')} FROM ${scanSql(src, declared, true)}`;
  progress({ phase: 'scan', done: 0 });
  const res = await scanOrLocate(con, src, cols, () => con.run(sql), { dateCol });
  const n = res.rowCount;
  if (n === 0) throw rowsError(src.file);
  progress({ phase: 'scan', done: n });
  const m = cols.length;
  const days = new Int32Array(n);
  let values = float64s(n * m, shared);
  // Each chunk is copied as it is fetched and dropped, never all held at once (see eachChunk).
  for (let r0 = 0; r0 < n;) {
    const ch = await res.fetchChunk();
    if (ch === null || ch.rowCount === 0) break;
    const bad = copyInt32(ch, 0, days, r0);
    if (bad >= 0) {
      await locateBadDate(con, src, dateCol);
      throw new InputError('not a date', { file: src.file, line: r0 + bad + 2, column: dateCol });
    }
    copyBlock(ch, m, values, r0);
    r0 += ch.rowCount;
    progress({ phase: 'convert', done: r0, total: n });
  }
  // An infinite value (text `inf`, `1e400`; Parquet doubles) is an error, located by a text scan.
  for (let p = 0; p < values.length; p++) {
    const v = values[p];
    if (v === Infinity || v === -Infinity) {
      await locateNonFinite(con, src, cols, dateCol);
      const t = Math.floor(p / m);
      throw notFinite({ file: src.file, line: t + 2, column: cols[p % m], asset: cols[p % m], date: formatIsoDate(days[t]) }, String(v));
    }
  }
  // Sort rows by date (stable) unless they already are; duplicates are an error.
  let fileRow = new Int32Array(n);
  for (let i = 0; i < n; i++) fileRow[i] = i;
  let sorted = true;
  for (let i = 1; i < n; i++)
    if (days[i] <= days[i - 1]) {
      sorted = false;
      break;
    }
  if (!sorted) {
    const order = Array.from(fileRow).sort((a, b) => days[a] - days[b] || a - b);
    fileRow = Int32Array.from(order);
    const sortedDays = Int32Array.from(order, (i) => days[i]);
    const out = float64s(n * m, shared);
    order.forEach((src0, t) => out.set(values.subarray(src0 * m, src0 * m + m), t * m));
    values = out;
    days.set(sortedDays);
    for (let t = 1; t < n; t++) {
      if (days[t] === days[t - 1]) {
        const date = formatIsoDate(days[t]);
        throw new InputError(`duplicate date ${date} on lines ${fileRow[t - 1] + 2} and ${fileRow[t] + 2}`, {
          file: src.file,
          line: fileRow[t] + 2,
          column: dateCol,
          date,
          hint: 'a wide table needs one row per date',
        });
      }
    }
  }
  return { days, values, fileRow };
}

/** Copies every DOUBLE column 1..m of a chunk into rows r0.. of a date-major matrix, blocked for cache. */
function copyBlock(ch: DuckDBDataChunk, m: number, out: Float64Array, r0: number): void {
  const rc = ch.rowCount;
  if (m <= 16) {
    for (let j = 0; j < m; j++) copyDoubles(ch, j + 1, out, r0 * m + j, m);
    return;
  }
  const views = doubleViews(ch, 1, m);
  const B = 32;
  for (let i0 = 0; i0 < rc; i0 += B) {
    const i1 = Math.min(rc, i0 + B);
    for (let j = 0; j < m; j++) {
      const { items, valid } = views[j];
      let p = (r0 + i0) * m + j;
      if (valid === null) for (let i = i0; i < i1; i++, p += m) out[p] = items[i];
      else for (let i = i0; i < i1; i++, p += m) out[p] = (valid[i >> 3] >> (i & 7)) & 1 ? items[i] : NaN;
    }
  }
}

/**
 * A wide Parquet file whose value columns are partly BOOLEAN (`is_holiday`, `in_index` beside the
 * asset columns): every column of a wide table is an asset, so each flag would be read as an asset
 * of 0/1 values in silence. Exit 2 naming them. A file whose value columns are all BOOLEAN (a panel
 * of flags) is read as 0/1.
 */
function refuseFlagColumns(src: TableSource, assets: readonly string[]): void {
  if (src.format !== 'parquet') return;
  const flags = assets.filter((a) => scanType(src, a, new Map()).toUpperCase() === 'BOOLEAN');
  if (flags.length === 0 || flags.length === assets.length) return;
  const few = flags.slice(0, 3).join(', ') + (flags.length > 3 ? ', ...' : '');
  throw new InputError(
    `${flags.length} of the ${assets.length} value columns ${flags.length === 1 ? 'holds' : 'hold'} true/false, not numbers (${few}): in a wide table every column is an asset, so each would be read as an asset of 0/1 values`,
    {
      file: src.file,
      column: flags[0],
      hint: 'drop the flag columns before writing the file (pandas: df.drop(columns=[...])), or write a 0/1 factor as numbers',
    },
  );
}

async function readWide(
  con: DuckDBConnection,
  src: TableSource,
  dateCol: string,
  assets: readonly string[],
  kind: ValueKind,
  progress: (p: ReadProgress) => void,
  shared: boolean,
): Promise<{ panel: Panel; rows: number }> {
  refuseFlagColumns(src, assets);
  const { days, values, fileRow } = await readWideMatrix(con, src, dateCol, assets, progress, shared);
  const m = assets.length;
  if (kind === 'prices') {
    for (let p = 0; p < values.length; p++) {
      if (values[p] <= 0) {
        const t = Math.floor(p / m),
          j = p % m;
        throw nonPositive(src.file, fileRow[t] + 2, assets[j], assets[j], formatIsoDate(days[t]), String(values[p]));
      }
    }
  }
  progress({ phase: 'done', done: days.length, total: days.length });
  return { panel: new Panel(days, assets.slice(), values), rows: days.length };
}

// ---------------------------------------------------------------------------------------------
// Long

let tempCounter = 0;

async function readLong(
  con: DuckDBConnection,
  src: TableSource,
  dateCol: string,
  assetCol: string,
  valueCol: string,
  kind: ValueKind,
  progress: (p: ReadProgress) => void,
  shared: boolean,
): Promise<{ panel: Panel; rows: number }> {
  // the value column as text, read by numberTextSql: NA, NULL, ... missing without touching an asset named NA
  const declared = new Map<string, string>();
  const raw = `fl_raw_${++tempCounter}`,
    keys = `fl_assets_${tempCounter}`;
  const day = dayNumberSql(dateCol, scanType(src, dateCol, declared), src.timezone);
  const a = sqlIdent(assetCol);
  progress({ phase: 'scan', done: 0 });
  await scanOrLocate(
    con,
    src,
    [valueCol],
    () =>
      con.run(
        `CREATE TEMP TABLE ${raw} AS SELECT ${day} AS d, trim(CAST(${a} AS VARCHAR)) AS a, ${doubleSql(src, valueCol, declared)} AS v FROM ${scanSql(src, declared)}`,
      ),
    { dateCol, assetCol },
  );
  try {
    const stats = (
      await con.runAndReadAll(
        `SELECT count(*), count(*) FILTER (WHERE d IS NULL), count(*) FILTER (WHERE a IS NULL OR a = ''), min(d), max(d) FROM ${raw}`,
      )
    )
      .getRows()[0]
      .map(Number);
    const [n, nullDays, nullAssets, minDay, maxDay] = stats;
    if (n === 0) throw rowsError(src.file);
    if (nullDays > 0) {
      await locateBadDate(con, src, dateCol);
      throw new InputError('not a date', { file: src.file, column: dateCol });
    }
    if (nullAssets > 0) {
      await locateMissingAsset(con, src, assetCol);
      throw new InputError('missing asset', { file: src.file, column: assetCol });
    }
    progress({ phase: 'index', done: n, total: n });
    await con.run(
      `CREATE TEMP TABLE ${keys} AS SELECT a, CAST(row_number() OVER (ORDER BY a) - 1 AS INTEGER) AS ai FROM (SELECT DISTINCT a FROM ${raw}) ORDER BY ai`,
    );
    const assets = (await con.runAndReadAll(`SELECT a FROM ${keys} ORDER BY ai`)).getColumns()[0].map(String);
    // Calendar: distinct days, via a presence table over the day range.
    const span = maxDay - minDay + 1;
    const rowDay = new Int32Array(n),
      rowAsset = new Int32Array(n),
      rowValue = new Float64Array(n);
    await eachChunk(con, `SELECT r.d, k.ai, r.v FROM ${raw} r JOIN ${keys} k USING (a)`, (ch, r0) => {
      copyInt32(ch, 0, rowDay, r0);
      copyInt32(ch, 1, rowAsset, r0);
      copyDoubles(ch, 2, rowValue, r0, 1);
    });
    const slot = new Int32Array(span).fill(-1);
    for (let i = 0; i < n; i++) slot[rowDay[i] - minDay] = 0;
    let nd = 0;
    const dates = new Int32Array(span);
    for (let k = 0; k < span; k++)
      if (slot[k] === 0) {
        slot[k] = nd;
        dates[nd++] = k + minDay;
      }
    const m = assets.length;
    const values = float64s(nd * m, shared).fill(NaN);
    const filled = new Uint8Array(nd * m);
    let dup = false,
      nonPos = false,
      inf = false;
    for (let i = 0; i < n; i++) {
      const p = slot[rowDay[i] - minDay] * m + rowAsset[i];
      if (filled[p] === 1) {
        dup = true;
        break;
      }
      filled[p] = 1;
      const v = rowValue[i];
      values[p] = v;
      if (v <= 0) nonPos = true;
      if (v === Infinity || v === -Infinity) inf = true;
    }
    if (inf) {
      await locateNonFinite(con, src, [valueCol], dateCol, assetCol);
      throw new InputError('a value is infinite', { file: src.file, column: valueCol, hint: 'leave the cell empty for a missing value' });
    }
    if (dup) {
      await locateDuplicateLong(con, src, dateCol, assetCol);
      throw new InputError('duplicate (date, asset) rows', { file: src.file, hint: 'keep one row per (date, asset)' });
    }
    if (kind === 'prices' && nonPos) {
      await locateNonPositiveLong(con, src, dateCol, assetCol, valueCol);
      throw new InputError('a price is zero or negative', { file: src.file, column: valueCol });
    }
    progress({ phase: 'done', done: n, total: n });
    return { panel: new Panel(dates.slice(0, nd), assets, values), rows: n };
  } finally {
    await con.run(`DROP TABLE IF EXISTS ${raw}`);
    await con.run(`DROP TABLE IF EXISTS ${keys}`);
  }
}

/**
 * The DuckDB table expression (`read_csv(...)` / `read_parquet(...)`) that {@link readPanel} scans
 * for `file` with these options. For benchmarks and diagnostics: the bare-scan baseline.
 */
export async function panelScanSql(file: string, options: ReadPanelOptions = {}): Promise<string> {
  return withConnection(async (con) => {
    const src = await openSource(con, file);
    const choice = chooseColumns(src.columns, options, file);
    if (choice.layout === 'wide') {
      return scanSql(src, new Map(src.columns.filter((c) => c !== choice.dateCol).map((c) => [c, 'DOUBLE'])), true);
    }
    return scanSql(src);
  });
}

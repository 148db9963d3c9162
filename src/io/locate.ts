/**
 * Error-path scans that find the exact line of a problem after a cheap check has failed.
 *
 * Each scans the file again with every CSV column as text and numbers the rows with
 * `row_number() OVER ()` (DuckDB keeps file order under its default `preserve_insertion_order`),
 * so `line = row + 1` counts the header as line 1. Blank lines, which DuckDB skips, would shift
 * the count; quoted fields with embedded newlines likewise. Nothing here runs on the happy path.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { formatIsoDate } from '../core/dates.js';
import { sqlIdent } from './duckdb.js';
import { dayNumberSql, isZonedTimestamp, missingTokenSql, scanType, textScanSql, type TableSource } from './source.js';
import { badDateHint, notANumberHint, notFinite } from './csv/errors.js';
import { NON_POSITIVE_PRICE } from './csv/prices.js';

const TEXT = new Map<string, string>();

function numbered(src: TableSource, select: string): string {
  return `SELECT row_number() OVER () + 1 AS line, ${select} FROM ${textScanSql(src)}`;
}

async function firstRow(con: DuckDBConnection, sql: string): Promise<unknown[] | undefined> {
  return (await con.runAndReadAll(sql)).getRows()[0];
}

/** Throws the InputError for the first row whose date is missing or unparseable, if any. */
export async function locateBadDate(con: DuckDBConnection, src: TableSource, dateCol: string): Promise<void> {
  const d = sqlIdent(dateCol);
  const day = dayNumberSql(dateCol, scanType(src, dateCol, TEXT), src.timezone);
  const row = await firstRow(
    con,
    `SELECT line, raw FROM (${numbered(src, `CAST(${d} AS VARCHAR) AS raw, ${day} AS day`)}) WHERE day IS NULL ORDER BY line LIMIT 1`,
  );
  if (row === undefined) return;
  const raw = row[1] === null ? '' : String(row[1]);
  if (row[1] !== null && isZonedTimestamp(scanType(src, dateCol, TEXT)))
    throw new InputError('a time-zone-aware timestamp that is not midnight UTC: its local date cannot be known', {
      file: src.file,
      line: Number(row[0]),
      column: dateCol,
      value: raw,
      hint: "give --timezone with the market's zone (America/New_York) to read each timestamp's date there, or write the dates as dates, or as timestamps without a time zone (pandas: df.index.tz_localize(None).normalize() before to_parquet)",
    });
  throw new InputError(raw.trim() === '' ? 'missing date' : 'not a date', {
    file: src.file,
    line: Number(row[0]),
    column: dateCol,
    value: raw,
    hint: badDateHint(raw),
  });
}

/**
 * Throws the InputError for the first cell of `cols` that is text where a number belongs, naming
 * line, column and value, and with `dateCol` the date (raw text) and the asset (the `assetCol`
 * cell for long data, else the column).
 */
export async function locateBadNumber(
  con: DuckDBConnection,
  src: TableSource,
  cols: readonly string[],
  dateCol?: string,
  assetCol?: string,
): Promise<void> {
  if (cols.length === 0) return;
  const keys = [
    ...(dateCol !== undefined ? [`CAST(${sqlIdent(dateCol)} AS VARCHAR) AS fl__date`] : []),
    ...(assetCol !== undefined ? [`CAST(${sqlIdent(assetCol)} AS VARCHAR) AS fl__asset`] : []),
  ];
  const select = [...keys, ...cols.map((c) => `CAST(${sqlIdent(c)} AS VARCHAR) AS ${sqlIdent(c)}`)].join(', ');
  const exclude = ['line', ...(dateCol !== undefined ? ['fl__date'] : []), ...(assetCol !== undefined ? ['fl__asset'] : [])].join(', ');
  const sql =
    `SELECT line, name, raw${dateCol !== undefined ? ', fl__date' : ', NULL'}${assetCol !== undefined ? ', fl__asset' : ''} FROM (UNPIVOT (${numbered(src, select)}) ON COLUMNS(* EXCLUDE (${exclude})) INTO NAME name VALUE raw) ` +
    `WHERE TRY_CAST(trim(raw) AS DOUBLE) IS NULL AND trim(raw) <> '' AND NOT ${missingTokenSql('trim(raw)')} ORDER BY line LIMIT 1`;
  const row = await firstRow(con, sql);
  if (row === undefined) return;
  const column = String(row[1]);
  throw new InputError('not a number', {
    file: src.file,
    line: Number(row[0]),
    column,
    ...(dateCol !== undefined ? { asset: assetCol !== undefined ? String(row[4]).trim() : column } : {}),
    ...(row[3] !== null && row[3] !== undefined ? { date: String(row[3]).trim() } : {}),
    value: String(row[2]),
    hint: notANumberHint(String(row[2])),
  });
}

/** Throws the InputError for the first row with no asset. */
export async function locateMissingAsset(con: DuckDBConnection, src: TableSource, assetCol: string): Promise<void> {
  const a = sqlIdent(assetCol);
  const row = await firstRow(
    con,
    `SELECT line FROM (${numbered(src, `CAST(${a} AS VARCHAR) AS a`)}) WHERE a IS NULL OR trim(a) = '' ORDER BY line LIMIT 1`,
  );
  if (row === undefined) return;
  throw new InputError('missing asset', {
    file: src.file,
    line: Number(row[0]),
    column: assetCol,
    hint: 'every row of a long table needs an asset',
  });
}

/** Throws the InputError for the first (date, asset) pair that occurs twice in long data. */
export async function locateDuplicateLong(con: DuckDBConnection, src: TableSource, dateCol: string, assetCol: string): Promise<void> {
  const day = dayNumberSql(dateCol, scanType(src, dateCol, TEXT), src.timezone);
  const sql =
    `SELECT a, day, list(line ORDER BY line) AS lines FROM (${numbered(src, `CAST(${sqlIdent(assetCol)} AS VARCHAR) AS a, ${day} AS day`)}) ` +
    `GROUP BY a, day HAVING count(*) > 1 ORDER BY min(line) LIMIT 1`;
  const row = await firstRow(con, sql);
  if (row === undefined) return;
  const lines = listOf(row[2]);
  const date = formatIsoDate(Number(row[1]));
  throw new InputError(`duplicate row: asset ${String(row[0])} on ${date} appears on lines ${lines.join(' and ')}`, {
    file: src.file,
    line: lines[0],
    asset: String(row[0]),
    date,
    hint: 'keep one row per (date, asset); aggregate or de-duplicate the data first',
  });
}

/** Throws the InputError for the first row whose value is zero or negative (prices). */
export async function locateNonPositiveLong(
  con: DuckDBConnection,
  src: TableSource,
  dateCol: string,
  assetCol: string,
  valueCol: string,
): Promise<void> {
  const sql =
    `SELECT line, a, d, v FROM (${numbered(src, `CAST(${sqlIdent(assetCol)} AS VARCHAR) AS a, CAST(${sqlIdent(dateCol)} AS VARCHAR) AS d, CAST(${sqlIdent(valueCol)} AS VARCHAR) AS v`)}) ` +
    `WHERE TRY_CAST(trim(v) AS DOUBLE) <= 0 ORDER BY line LIMIT 1`;
  const row = await firstRow(con, sql);
  if (row === undefined) return;
  throw nonPositive(src.file, Number(row[0]), valueCol, String(row[1]), String(row[2]), String(row[3]));
}

export function nonPositive(file: string, line: number, column: string, asset: string, date: string, value: string): InputError {
  return new InputError(NON_POSITIVE_PRICE, {
    file,
    line,
    column,
    asset,
    date,
    value,
    hint: 'prices must be positive; if the file holds returns, load it with kind "returns"',
  });
}

function listOf(v: unknown): number[] {
  if (v !== null && typeof v === 'object' && 'items' in v) return (v as { items: unknown[] }).items.map(Number);
  if (Array.isArray(v)) return v.map(Number);
  return [];
}

/**
 * Throws the InputError for the first cell of `cols` whose text reads as an infinite double
 * (`inf`, `-Infinity`, `1e400`), naming line, column, date (raw text), asset (the `assetCol` cell
 * for long data, else the column) and value.
 */
export async function locateNonFinite(
  con: DuckDBConnection,
  src: TableSource,
  cols: readonly string[],
  dateCol: string,
  assetCol?: string,
): Promise<void> {
  if (cols.length === 0) return;
  const keys = [
    `CAST(${sqlIdent(dateCol)} AS VARCHAR) AS fl__date`,
    ...(assetCol !== undefined ? [`CAST(${sqlIdent(assetCol)} AS VARCHAR) AS fl__asset`] : []),
  ];
  const select = [...keys, ...cols.map((c) => `CAST(${sqlIdent(c)} AS VARCHAR) AS ${sqlIdent(c)}`)].join(', ');
  const exclude = ['line', 'fl__date', ...(assetCol !== undefined ? ['fl__asset'] : [])].join(', ');
  const sql =
    `SELECT line, name, raw, fl__date${assetCol !== undefined ? ', fl__asset' : ''} FROM (UNPIVOT (${numbered(src, select)}) ON COLUMNS(* EXCLUDE (${exclude})) INTO NAME name VALUE raw) ` +
    `WHERE isinf(TRY_CAST(trim(raw) AS DOUBLE)) ORDER BY line LIMIT 1`;
  const row = await firstRow(con, sql);
  if (row === undefined) return;
  const column = String(row[1]);
  throw notFinite(
    {
      file: src.file,
      line: Number(row[0]),
      column,
      asset: assetCol !== undefined ? String(row[4]).trim() : column,
      ...(row[3] !== null ? { date: String(row[3]).trim() } : {}),
    },
    String(row[2]),
  );
}

/**
 * A table file as DuckDB SQL: format detection, the typed scan and the all-text scan used to
 * locate bad input.
 *
 * CSV / CSV.gz are scanned with `read_csv(..., auto_detect=false)` and an explicit column list
 * built from the header we read ourselves (see header.ts): value columns are declared DOUBLE, so a
 * column that is entirely blank is still DOUBLE (all NULL), never VARCHAR, and the date column is
 * read as text and parsed by {@link dayNumberSql}. Parquet keeps its own types.
 */
import { open, stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { daysFromCivil, isValidCivil } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { duckdbMessage, sqlIdent, sqlString } from './duckdb.js';
import { readCsvHeader } from './header.js';
import { verifyGzip } from './csv/source.js';
import { MISSING_TOKENS } from './csv/number.js';

export type TableFormat = 'csv' | 'csv.gz' | 'parquet';

/** Format from the file name: `.parquet` / `.pq`, `.gz`, anything else is CSV. */
export function formatOf(file: string): TableFormat {
  const f = file.toLowerCase();
  if (f.endsWith('.parquet') || f.endsWith('.pq')) return 'parquet';
  if (f.endsWith('.gz')) return 'csv.gz';
  return 'csv';
}

export interface TableSource {
  file: string;
  format: TableFormat;
  /** Column names in file order. */
  columns: string[];
  /** Parquet: DuckDB type of each column. CSV: undefined (everything is text until declared). */
  types?: Map<string, string>;
  delimiter?: string;
  /**
   * An IANA time zone (`America/New_York`): a time with a UTC offset (`2024-10-10T13:22:51Z`, a
   * time-zone-aware timestamp) is read as its date in that zone. Without one such a time is read as
   * the date written, and a time in UTC only at midnight ({@link dayNumberSql}).
   */
  timezone?: string;
}

/**
 * What a `.parquet` file DuckDB cannot read is, from its first bytes: text (a CSV given a Parquet
 * name), gzip, zip, or a Parquet file that is cut short or damaged (it starts with `PAR1`).
 */
async function notParquetHint(file: string): Promise<string> {
  let head = '';
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(512);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead).toString('latin1');
    } finally {
      await fh.close();
    }
  } catch {
    return 'is it really a Parquet file?';
  }
  if (head.startsWith('PAR1')) return 'it starts as a Parquet file but is cut short or damaged: write or download it again';
  if (head.startsWith('\u001f\u008b')) return 'it is gzip-compressed, not Parquet: a gzipped CSV must be named .csv.gz';
  if (head.startsWith('PK\u0003\u0004')) return 'it is a zip (or Excel .xlsx) file, not Parquet: give the CSV or Parquet file inside';
  if (head.length > 0 && /^[\t\r\n\x20-\x7e\xa0-\xff]*$/.test(head.slice(0, 200)))
    return 'it is text, not Parquet (a CSV named .parquet?): rename it .csv';
  return 'is it really a Parquet file?';
}

/** Fails with an InputError unless `file` is an existing regular file. */
export async function assertFile(file: string): Promise<void> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new InputError('not a file', { file });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('file not found', { file, hint: 'check the path' });
  }
}

/**
 * Refuses column names equal but for case (`aapl` and `AAPL`, `date` and `Date`) on the DuckDB
 * path, whose column names ignore case: it failed on such a CSV with a message about quotes and
 * renamed the second Parquet column (`AAPL_1`), which then matched no other file.
 */
function assertCaseDistinct(names: readonly string[], file: string): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    const k = n.toLowerCase();
    const other = seen.get(k);
    if (other !== undefined && other !== n)
      throw new InputError(
        `the columns ${JSON.stringify(other)} and ${JSON.stringify(n)} differ only in case, which this reader cannot tell apart`,
        {
          file,
          column: n,
          hint: 'rename one of them (asset names are matched exactly, so keep the spelling the other files use)',
        },
      );
    seen.set(k, n);
  }
}

/**
 * Refuses a `.json` table: the readers take CSV, CSV.gz and Parquet (a JSON output of `--out`
 * read back as CSV failed with "no date column found; the columns are: [").
 */
export function assertNotJsonTable(file: string): void {
  if (file.toLowerCase().endsWith('.json'))
    throw new InputError('a JSON file: tables are read from CSV, CSV.gz or Parquet', {
      file,
      hint: 'write the table as .csv, .csv.gz or .parquet (e.g. inspect --out x.parquet) and read that',
    });
}

/** Opens a table file: reads the CSV header or the Parquet schema. */
export async function openSource(con: DuckDBConnection, file: string): Promise<TableSource> {
  await assertFile(file);
  assertNotJsonTable(file);
  const format = formatOf(file);
  if (format !== 'parquet') {
    // DuckDB reads a truncated or corrupt gzip stream silently (fewer rows, a cut-off last value):
    // inflate it once ourselves first, which fails cleanly on such a file.
    if (format === 'csv.gz') await verifyGzip(file);
    const h = await readCsvHeader(file, format === 'csv.gz');
    assertCaseDistinct(h.names, file);
    return { file, format, columns: h.names, delimiter: h.delimiter };
  }
  let rows: unknown[][];
  try {
    rows = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`)).getRows();
    // the names as written: DuckDB renames the second of two names equal but for case (AAPL_1)
    const written = (
      await con.runAndReadAll(`SELECT name FROM parquet_schema(${sqlString(file)}) WHERE num_children IS NULL OR num_children = 0`)
    ).getRows();
    assertCaseDistinct(
      written.map((r) => String(r[0])),
      file,
    );
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read as Parquet: ${duckdbMessage(e)}`, { file, hint: await notParquetHint(file) });
  }
  const types = new Map<string, string>(rows.map((r) => [String(r[0]), String(r[1])]));
  return { file, format, columns: rows.map((r) => String(r[0])), types };
}

/**
 * The SQL table expression scanning the file. CSV: every column in `declared` gets that type,
 * every other column VARCHAR. Parquet: the file as it is (`declared` is applied by casts later).
 */
export function scanSql(src: TableSource, declared: ReadonlyMap<string, string> = new Map(), missingTokens = false): string {
  if (src.format === 'parquet') return `read_parquet(${sqlString(src.file)})`;
  const cols = src.columns.map((c) => `${sqlString(c)}: ${sqlString(declared.get(c) ?? 'VARCHAR')}`).join(', ');
  const buffer = declared.size >= WIDE_SCAN_COLUMNS ? `buffer_size=${WIDE_SCAN_BUFFER}, ` : '';
  // DuckDB's nullstr holds for every column (and force_not_null turns a matched cell into ''), so
  // only a scan whose text columns may lose an `NA` (a wide file's dates: an `NA` date is refused
  // either way) reads the missing spellings here; a long file's value column is text, read by numberTextSql
  const nulls = missingTokens ? `nullstr=[${['', ...MISSING_TOKENS].map(sqlString).join(', ')}], ` : '';
  return (
    `read_csv(${sqlString(src.file)}, header=true, auto_detect=false, delim=${sqlString(src.delimiter ?? ',')}, ` +
    `quote='"', escape='"', ${buffer}${nulls}columns={${cols}})`
  );
}

/** SQL: text `t` (already trimmed) is one of the spellings of missing ({@link MISSING_TOKENS}). */
export function missingTokenSql(t: string): string {
  return `${t} IN (${MISSING_TOKENS.map(sqlString).join(', ')})`;
}

/**
 * SQL: the number a text expression holds, NULL for an empty cell and the spellings of missing
 * (as the fast reader's slowCell); other text fails the cast (and is located).
 */
export function numberTextSql(expr: string): string {
  const t = `trim(${expr})`;
  return `CASE WHEN ${t} = '' OR ${missingTokenSql(t)} THEN NULL ELSE CAST(${t} AS DOUBLE) END`;
}

/**
 * Typed CSV scans with at least this many declared columns read the file in {@link WIDE_SCAN_BUFFER}
 * byte buffers instead of DuckDB's default (a few MB). DuckDB's CSV scanner allocates, per buffer,
 * a parse vector of 2,048 text cells for every column (16 bytes each) and an output chunk (8 bytes
 * each), and peak memory grows with the number of buffers of a scan: for the 5,775-column,
 * 39 MB (uncompressed) price matrix the scan peaks at ~+350 MB with the default and ~+220 MB with
 * one 64 MB buffer, no slower. Narrow (long) files keep the default.
 */
export const WIDE_SCAN_COLUMNS = 256;
export const WIDE_SCAN_BUFFER = 64 * 2 ** 20;

/** Same as {@link scanSql} with every CSV column as text (Parquet unchanged): never fails on a value. */
export function textScanSql(src: TableSource): string {
  return scanSql(src);
}

/** The DuckDB type a column has in a scan built with `declared`. */
export function scanType(src: TableSource, col: string, declared: ReadonlyMap<string, string>): string {
  if (src.format === 'parquet') return src.types?.get(col) ?? 'VARCHAR';
  return declared.get(col) ?? 'VARCHAR';
}

/** A DuckDB type name of a time-zone-aware timestamp (`TIMESTAMP WITH TIME ZONE`, `TIMESTAMPTZ`). */
export function isZonedTimestamp(type: string): boolean {
  const t = type.toUpperCase();
  return t === 'TIMESTAMPTZ' || t.startsWith('TIMESTAMP WITH TIME ZONE');
}

/** A time after the date: `T` or a space, `16:00`, `16:00:00`, `16:00:00.5`, then an optional UTC offset (`Z`, `+05:00`, `-0500`, `+05`). */
const TIME = String.raw`([T ]\d{1,2}(:\d{2}(:\d{2}(\.\d+)?)?)? ?(Z|[+-]\d{2}(:?\d{2})?)?)?`;

/**
 * The text dates the DuckDB path casts (an RE2 expression matched against the whole cell): a
 * four-digit year, `-` or `/`, a month and day of one or two digits (`2019-1-5`), optionally a time
 * with an offset ({@link TIME}); or compact `yyyymmdd`. The date is the one written, whatever the
 * time and a non-zero offset say (pandas' local date of a tz-aware timestamp).
 */
export const TEXT_DATE = String.raw`\d{4}-\d{1,2}-\d{1,2}${TIME}|\d{4}/\d{1,2}/\d{1,2}${TIME}|\d{8}`;

/** A time in UTC (`Z`, `+00:00`, `-0000`, `+00`). */
const UTC_TIME = String.raw`.*[T ][0-9:.]+ ?(Z|[+-]00(:?00)?)`;
/** Midnight UTC. */
const UTC_MIDNIGHT = String.raw`.*[T ]0?0(:00(:00(\.0+)?)?)? ?(Z|[+-]00(:?00)?)`;
/** A time with a UTC offset (any): `Z`, `+05:00`, `-0500`, `+05`. */
const ZONED_TIME = String.raw`.*[T ][0-9:.]+ ?(Z|[+-]\d{2}(:?\d{2})?)`;

const TEXT_DATE_RE = new RegExp(`^(?:${TEXT_DATE})$`),
  UTC_TIME_RE = new RegExp(`^(?:${UTC_TIME})$`),
  UTC_MIDNIGHT_RE = new RegExp(`^(?:${UTC_MIDNIGHT})$`);

/**
 * The day number of a date cell as the panel readers read it ({@link TEXT_DATE}: `2019-01-05`,
 * `2019-1-5`, `2019/01/05`, with a time and an offset, a time in UTC only at midnight; `20190105`),
 * or NaN: for the small files beside a panel (dated groups, membership), so that they take the
 * dates the panel took and refuse the ones it refuses.
 */
export function parseDateText(text: string): number {
  const s = text.trim();
  if (!TEXT_DATE_RE.test(s) || (UTC_TIME_RE.test(s) && !UTC_MIDNIGHT_RE.test(s))) return NaN;
  const m = /^\d{8}$/.test(s) ? /^(\d{4})(\d{2})(\d{2})$/.exec(s) : /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(s);
  if (m === null) return NaN;
  const year = Number(m[1]),
    month = Number(m[2]),
    day = Number(m[3]);
  return isValidCivil(year, month, day) ? daysFromCivil(year, month, day) : NaN;
}

/**
 * SQL: text `s` (trimmed) is a date {@link dayNumberSql} casts: {@link TEXT_DATE}, and a time in
 * UTC only at midnight. A UTC time elsewhere is refused as a time-zone-aware Parquet timestamp is:
 * the market's date is unknown (a Tokyo session's midnight is 15:00 UTC the day before).
 */
export function textDateShapeSql(s: string, timezone?: string): string {
  // with a time zone every time with an offset has a date there (dayNumberSql)
  if (timezone !== undefined) return `regexp_full_match(${s}, '${TEXT_DATE}')`;
  return `(regexp_full_match(${s}, '${TEXT_DATE}') AND NOT (regexp_full_match(${s}, '${UTC_TIME}') AND NOT regexp_full_match(${s}, '${UTC_MIDNIGHT}')))`;
}

/**
 * `zone` if it is an IANA time zone name the runtime knows (`America/New_York`, `Asia/Shanghai`,
 * `UTC`); otherwise an InputError naming the flag.
 */
export function checkedTimezone(zone: string, flag = '--timezone'): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }); // throws a RangeError for an unknown zone
  } catch {
    throw new InputError(`${flag}: unknown time zone ${JSON.stringify(zone)}`, {
      hint: "give an IANA zone name, the market's: America/New_York, Europe/London, Asia/Shanghai, Asia/Tokyo (or UTC)",
    });
  }
  // a name made only of letters, digits, '/', '_', '+' and '-' goes into SQL as a literal
  if (!/^[A-Za-z0-9/_+-]+$/.test(zone))
    throw new InputError(`${flag}: unknown time zone ${JSON.stringify(zone)}`, { hint: 'give an IANA zone name such as America/New_York' });
  return zone;
}

/**
 * SQL for the day number (days since 1970-01-01, INTEGER) of column `col` whose type in the scan
 * is `type`; NULL when the text is not a date. Text accepts {@link TEXT_DATE} (ISO `yyyy-mm-dd`,
 * `yyyy/mm/dd`, one-digit months and days, optionally a time and an offset; compact `yyyymmdd`),
 * with a time in UTC only at midnight; DATE and TIMESTAMP columns convert directly; a
 * time-zone-aware timestamp only at midnight UTC (anywhere else its local date is unknown).
 */
export function dayNumberSql(col: string, type: string, timezone?: string): string {
  const c = sqlIdent(col);
  const t = type.toUpperCase();
  const zone = timezone === undefined ? undefined : sqlString(timezone);
  let date: string;
  if (t === 'DATE') date = c;
  else if (isZonedTimestamp(t) && zone !== undefined) date = `CAST(timezone(${zone}, ${c}) AS DATE)`;
  else if (isZonedTimestamp(t)) {
    // an instant (pandas' tz-aware dates): its local date is known only at UTC midnight, where the
    // UTC date is the date (a Shanghai midnight is 16:00 UTC the day before): NULL otherwise, so
    // the reader refuses it (locate.ts) rather than shift every date by the session's zone
    const u = `timezone('UTC', ${c})`;
    date = `CASE WHEN ${u} = date_trunc('day', ${u}) THEN CAST(${u} AS DATE) END`;
  } else if (t.startsWith('TIMESTAMP')) date = `CAST(${c} AS DATE)`;
  else {
    const s = t === 'VARCHAR' ? `trim(${c})` : `CAST(${c} AS VARCHAR)`;
    // DuckDB's casts read more than dates: '19-01-05' is the year 19, '2019-01-05 BC' a date
    // before Christ, '2019-01-05 EST' a date; only the shapes below are cast (anything else is
    // NULL: refused and located), and a time in UTC ('Z', '+00:00') only at midnight, as a
    // time-zone-aware Parquet timestamp (its local date is unknown elsewhere)
    const written =
      `COALESCE(TRY_CAST(${s} AS DATE), CAST(TRY_CAST(${s} AS TIMESTAMP) AS DATE), ` +
      `CASE WHEN length(${s}) = 8 THEN CAST(TRY_STRPTIME(${s}, '%Y%m%d') AS DATE) END)`;
    // with a time zone, a time with an offset is an instant: its date in that zone
    date =
      zone === undefined
        ? `CASE WHEN ${textDateShapeSql(s)} THEN ${written} END`
        : `CASE WHEN ${textDateShapeSql(s, timezone)} THEN (CASE WHEN regexp_full_match(${s}, '${ZONED_TIME}') ` +
          `THEN CAST(timezone(${zone}, TRY_CAST(${s} AS TIMESTAMPTZ)) AS DATE) ELSE ${written} END) END`;
  }
  return `CAST(date_diff('day', DATE '1970-01-01', ${date}) AS INTEGER)`;
}

/**
 * SQL: the column as DOUBLE. CSV columns declared DOUBLE are read as they are, CSV text columns
 * and Parquet text columns by {@link numberTextSql} (an empty string and NA, NULL, ... are missing,
 * as in a CSV), other Parquet types by a cast.
 */
export function doubleSql(src: TableSource, col: string, declared: ReadonlyMap<string, string> = new Map()): string {
  const c = sqlIdent(col);
  const t = (src.format === 'parquet' ? (src.types?.get(col) ?? '') : (declared.get(col) ?? 'VARCHAR')).toUpperCase();
  if (t === 'VARCHAR') return numberTextSql(c);
  return t === 'DOUBLE' ? c : `CAST(${c} AS DOUBLE)`;
}

/** Sniffs column types with DuckDB's own detector (small files or few columns only). */
export async function sniffTypes(con: DuckDBConnection, src: TableSource): Promise<{ name: string; type: string }[]> {
  if (src.format === 'parquet') return src.columns.map((c) => ({ name: c, type: src.types?.get(c) ?? 'VARCHAR' }));
  const sql = `DESCRIBE SELECT * FROM read_csv(${sqlString(src.file)}, header=true, delim=${sqlString(src.delimiter ?? ',')})`;
  try {
    const rows = (await con.runAndReadAll(sql)).getRows();
    return rows.map((r, i) => ({ name: src.columns[i] ?? String(r[0]), type: String(r[1]) }));
  } catch (e) {
    throw new InputError(`cannot read the CSV: ${duckdbMessage(e)}`, { file: src.file });
  }
}

/**
 * The text columns among `candidates` that hold numbers: at least half of their present cells
 * (not empty, not a spelling of missing) read as a number (`TRY_CAST` of the trimmed text). DuckDB
 * types a column of numbers as text for one cell it cannot read (`#DIV/0!`, `NA`, `n.a.`, `+5`,
 * `0005`), so a value column chosen by type would pass it over: a file whose numeric `score` has
 * one `NA` then had its `volume` taken as the values. One scan over those columns; none when
 * `candidates` is empty.
 */
export async function numericTextColumns(con: DuckDBConnection, src: TableSource, candidates: readonly string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const parts = candidates.map((c, k) => {
    const t = `trim(CAST(${sqlIdent(c)} AS VARCHAR))`;
    return (
      `count(*) FILTER (WHERE ${t} <> '' AND NOT ${missingTokenSql(t)}) AS p${k}, ` +
      `count(*) FILTER (WHERE TRY_CAST(${t} AS DOUBLE) IS NOT NULL) AS n${k}`
    );
  });
  try {
    const row = (await con.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${scanSql(src)}`)).getRows()[0];
    return candidates.filter((_, k) => {
      const present = Number(row[2 * k]),
        numeric = Number(row[2 * k + 1]);
      return numeric > 0 && 2 * numeric >= present;
    });
  } catch {
    return []; // a structural problem: reported by the read itself
  }
}

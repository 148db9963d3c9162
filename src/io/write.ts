/**
 * Atomic writers: every output goes to a temporary file in the target's directory and is renamed
 * over the target only when complete, so a crash or an error never leaves a half-written file
 * (rename within one directory is atomic on POSIX file systems). The temporary file is removed
 * when anything fails.
 *
 * `writeTable` picks the format from the extension: `.csv`, `.csv.gz` (gzip), `.parquet`
 * (through DuckDB), `.json`. Panels are written long (`date,asset,value`, missing cells skipped)
 * unless `{ wide: true }` (`date,<asset>...`, NaN as an empty cell); Frames as `date,<column>...`;
 * records as they are (columns = union of keys in first-seen order). NaN / non-finite numbers
 * become empty cells in CSV and `null` in JSON / Parquet.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatIsoDate } from '../core/dates.js';
import { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { sqlString, withConnection } from './duckdb.js';

export type TableData = Panel | Frame | readonly Record<string, unknown>[];

export interface WriteTableOptions {
  /** Panels: write `date,<asset>...` instead of long `date,asset,value`. */
  wide?: boolean;
}

function tempPath(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Runs `write(tmp)` then renames `tmp` to `file`; removes `tmp` if anything fails. */
export async function writeAtomic(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempPath(file);
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function writeTextAtomic(file: string, text: string | Uint8Array): Promise<void> {
  await writeAtomic(file, (tmp) => writeFile(tmp, text));
}

/** JSON with 2-space indent; NaN and infinities become `null` (JSON has no NaN). */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeTextAtomic(file, `${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Float32Array) return Array.from(v);
  return v;
}

/** A table as header + rows of cells (numbers or strings; NaN for missing). */
interface Table {
  columns: string[];
  /** DuckDB type per column (for Parquet): DATE, VARCHAR or DOUBLE. */
  types: string[];
  rows: (string | number | null)[][];
}

function toTable(data: TableData, wide: boolean): Table {
  if (data instanceof Panel) {
    const dates = data.dates, m = data.nAssets;
    if (wide) {
      const rows = Array.from(dates, (d, t) => [formatIsoDate(d), ...Array.from(data.row(t))]);
      return { columns: ['date', ...data.assets], types: ['DATE', ...data.assets.map(() => 'DOUBLE')], rows };
    }
    const rows: (string | number)[][] = [];
    for (let t = 0; t < dates.length; t++) {
      const d = formatIsoDate(dates[t]);
      for (let j = 0; j < m; j++) {
        const v = data.values[t * m + j];
        if (v === v) rows.push([d, data.assets[j], v]);
      }
    }
    return { columns: ['date', 'asset', 'value'], types: ['DATE', 'VARCHAR', 'DOUBLE'], rows };
  }
  if (data instanceof Frame) {
    const rows = Array.from(data.dates, (d, t) => [formatIsoDate(d), ...data.series.map((s) => s[t])]);
    return { columns: ['date', ...data.columns], types: ['DATE', ...data.columns.map(() => 'DOUBLE')], rows };
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of data) for (const k of Object.keys(r)) if (!seen.has(k)) { seen.add(k); columns.push(k); }
  const rows = data.map((r) => columns.map((c) => cellOf(r[c])));
  const types = columns.map((_, k) => (rows.every((r) => r[k] === null || typeof r[k] === 'number') ? 'DOUBLE' : 'VARCHAR'));
  return { columns, types, rows };
}

function cellOf(v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** RFC 4180 field: quoted when it holds the delimiter, a quote or a line break. */
function csvField(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV text of a table (header line, `\n` line ends). */
export function toCsv(data: TableData, options: WriteTableOptions = {}): string {
  return tableCsv(toTable(data, options.wide === true));
}

function tableCsv({ columns, rows }: Table): string {
  const out = [columns.map(csvField).join(',')];
  for (const r of rows) out.push(r.map(csvField).join(','));
  return `${out.join('\n')}\n`;
}

/** Writes a Panel, Frame or records as CSV / CSV.gz / Parquet / JSON by the file's extension. */
export async function writeTable(file: string, data: TableData, options: WriteTableOptions = {}): Promise<void> {
  const f = file.toLowerCase();
  if (f.endsWith('.json')) {
    const { columns, rows } = toTable(data, options.wide === true);
    const records = rows.map((r) => Object.fromEntries(columns.map((c, k) => [c, r[k]])));
    await writeJsonAtomic(file, records);
  } else if (f.endsWith('.parquet')) {
    await writeAtomic(file, async (tmp) => {
      const csvTmp = `${tmp}.csv`;
      const table = toTable(data, options.wide === true);
      try {
        await writeFile(csvTmp, tableCsv(table));
        const spec = table.columns.map((c, k) => `${sqlString(c)}: ${sqlString(table.types[k])}`).join(', ');
        await withConnection(async (con) => {
          await con.run(`COPY (SELECT * FROM read_csv(${sqlString(csvTmp)}, header=true, auto_detect=false, delim=',', quote='"', escape='"', ` +
            `columns={${spec}})) TO ${sqlString(tmp)} (FORMAT parquet)`);
        });
      } finally {
        await rm(csvTmp, { force: true });
      }
    });
  } else if (f.endsWith('.csv.gz') || f.endsWith('.gz')) {
    await writeTextAtomic(file, gzipSync(toCsv(data, options)));
  } else {
    await writeTextAtomic(file, toCsv(data, options));
  }
}

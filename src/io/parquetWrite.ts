/**
 * Parquet from a {@link TableSource}: the TypeScript writer (parquet/writer.ts), so a process that
 * writes Parquet does not load DuckDB's native module for it; DuckDB's writer
 * (parquet/duckdbWrite.ts) only for what the TypeScript writer declines:
 * - column names that are equal ignoring case (DuckDB's writer renames the later ones `name_1`,
 *   ..., and readers expect that schema),
 * - a big-endian platform.
 * A table with no column is an error either way (DuckDB's writer failed on it too).
 *
 * Both write the same schema (every column OPTIONAL; DATE as INT32 DATE, numbers DOUBLE, text
 * BYTE_ARRAY UTF8; NaN and ±Infinity as NULL, -0 kept) and the same values; the TypeScript writer
 * dictionary-codes text and repeated dates and does not compress (writer.ts says why).
 *
 * Measured (2 cores shared with other jobs, load 15-31; CPU s user+sys, median of 3 alternated
 * runs): the residuals of 5,000 x 2,520 long (12.5 M rows of date, asset, value; 1 % missing)
 * through `writeTable`: DuckDB's writer 1.59 s (loading DuckDB included, ~0.5 s of it), this
 * writer 1.16 s; a whole `exposures --residuals r.parquet` process on the demo data 1.36 s ->
 * 1.09 s and 134 -> 97 MB peak RSS, as DuckDB is no longer loaded at all.
 */
import { LITTLE_ENDIAN, writeParquetFile } from './parquet/writer.js';
import type { TableSource } from './tableBlocks.js';

/** Why the TypeScript writer declines `source`, or null when it takes it. */
export function parquetDecline(source: TableSource): string | null {
  if (!LITTLE_ENDIAN) return 'big-endian platform';
  const seen = new Set<string>();
  for (const c of source.columns) {
    const key = c.name.toLowerCase();
    if (seen.has(key)) return `column name ${JSON.stringify(c.name)} repeats (ignoring case)`;
    seen.add(key);
  }
  return null;
}

/** Writes `source` to `file` as Parquet. `file` is overwritten; the caller removes it on failure. */
export async function writeParquet(file: string, source: TableSource): Promise<void> {
  if (source.columns.length === 0) throw new Error('cannot write a Parquet file with no column');
  // DuckDB's route (and its module) loaded only for a table the TypeScript writer declines
  if (parquetDecline(source) !== null) return (await import('./parquet/duckdbWrite.js')).writeParquetDuckDB(file, source);
  return writeParquetFile(file, source);
}

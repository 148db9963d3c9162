/**
 * The fast CSV / CSV.gz readers behind `readPanel` and `readFrame`: header (header.ts), column
 * choice (columns.ts), then one streaming pass over the bytes (wide.ts), or two for long files
 * (longDirect.ts: dates and assets first, then the values straight into the panel; a gzip file of
 * up to {@link ONE_PASS_TEXT_BYTES} of text in one pass that keeps its rows). No DuckDB.
 * Throws {@link Declined} for what it leaves to DuckDB: quoted fields, date shapes only DuckDB's
 * casts read, and long files whose value column must be chosen by type.
 */
import { chooseColumns, requireColumn, type Layout } from '../columns.js';
import { readCsvHeader } from '../header.js';
import { formatOf, type TableFormat } from '../source.js';
import { Declined } from './decline.js';
import type { LongPanel } from './long.js';
import { readLongDirect } from './longDirect.js';
import { fileChunks, textSize } from './source.js';
import { MIN_SPLIT_BYTES, parseLongSplit, parseWideSplit } from './split.js';
import { parseWide, type WideMatrix } from './wide.js';

export interface FastPanelOptions {
  layout?: 'auto' | Layout;
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  prices: boolean;
  shared: boolean;
  /** Threads for a plain file of at least {@link MIN_SPLIT_BYTES} (split.ts); 1 or absent: one thread. */
  threads?: number;
  /**
   * Memory for the values of a read on this thread (not `shared`; not a split read): a buffer of at
   * least the bytes asked, which the values are a view of. For a caller that reads many panels of
   * one size (zoo factors) and reuses the memory: fresh memory costs a page fault per 4 KiB.
   */
  alloc?: (bytes: number) => ArrayBufferLike;
  onRows?: (rows: number) => void;
}

export type FastPanel =
  | { layout: 'wide'; columns: string[]; dateCol: string; format: TableFormat; assets: string[]; wide: WideMatrix }
  | { layout: 'long'; columns: string[]; dateCol: string; assetCol: string; valueCol: string; format: TableFormat; long: LongPanel };

/**
 * A long gzip file of up to this many bytes of text (by its trailer) is read in one pass, keeping
 * its rows (16 bytes each, against 30-50 bytes a row of text) instead of inflating it twice; a
 * plain file is read twice from disk (the page cache), which costs little, holding less.
 */
export const ONE_PASS_TEXT_BYTES = 128 << 20;

/** The one-pass read turns to two passes past this many rows (the trailer can understate the text). */
export const ONE_PASS_ROWS = 8 << 20;

/** A CSV / CSV.gz panel file read by the fast path (the file must exist; Parquet is not for here). */
export async function readPanelFast(file: string, o: FastPanelOptions): Promise<FastPanel> {
  const format = formatOf(file);
  const gzip = format === 'csv.gz';
  const h = await readCsvHeader(file, gzip);
  const choice = chooseColumns(h.names, o, file);
  if (choice.layout === 'wide') {
    const assets = h.names.filter((c) => c !== choice.dateCol);
    const spec = {
      file,
      delimiter: h.delimiter,
      columns: h.names,
      dateCol: choice.dateCol,
      cols: assets,
      prices: o.prices,
      shared: o.shared,
      textBytes: await textSize(file, gzip),
      ...(o.onRows ? { onRows: o.onRows } : {}),
    };
    const threads = o.threads ?? 1;
    const wide =
      !gzip && threads > 1 && spec.textBytes >= MIN_SPLIT_BYTES
        ? await parseWideSplit(spec, threads)
        : await parseWide(fileChunks(file, gzip), spec, o.alloc);
    return { layout: 'wide', columns: h.names, dateCol: choice.dateCol, format, assets, wide };
  }
  if (choice.valueCol === undefined) throw new Declined('the value column is chosen by type (DuckDB sniffs the types)');
  const assetCol = choice.assetCol!,
    valueCol = choice.valueCol;
  const longSpec = {
    file,
    delimiter: h.delimiter,
    columns: h.names,
    dateCol: choice.dateCol,
    assetCol,
    valueCol,
    prices: o.prices,
    shared: o.shared,
    ...(o.onRows ? { onRows: o.onRows } : {}),
  };
  const threads = o.threads ?? 1;
  const textBytes = await textSize(file, gzip);
  const long =
    !gzip && threads > 1 && textBytes >= MIN_SPLIT_BYTES
      ? await parseLongSplit(longSpec, threads)
      : await readLongDirect(() => fileChunks(file, gzip), longSpec, gzip && textBytes <= ONE_PASS_TEXT_BYTES ? ONE_PASS_ROWS : 0, o.alloc);
  return { layout: 'long', columns: h.names, dateCol: choice.dateCol, assetCol, valueCol, format, long };
}

/** Series on one calendar (readFrame) by the fast path: the date column and `columns` (default: all others). */
export async function readFrameFast(
  file: string,
  dateCol: string | undefined,
  columns: readonly string[] | undefined,
): Promise<{ cols: string[]; wide: WideMatrix }> {
  const gzip = formatOf(file) === 'csv.gz';
  const h = await readCsvHeader(file, gzip);
  const choice = chooseColumns(h.names, { layout: 'wide', ...(dateCol !== undefined ? { dateCol } : {}) }, file);
  const cols =
    columns !== undefined
      ? columns.map((c) => requireColumn(h.names, c, 'data', file, '--columns'))
      : h.names.filter((c) => c !== choice.dateCol);
  const wide = await parseWide(fileChunks(file, gzip), {
    file,
    delimiter: h.delimiter,
    columns: h.names,
    dateCol: choice.dateCol,
    cols,
    prices: false,
    shared: false,
    textBytes: await textSize(file, gzip),
  });
  return { cols, wide };
}

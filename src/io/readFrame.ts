/**
 * `readFrame`: a few numeric series on one calendar (factor returns, a benchmark) from a table
 * file with a date column, e.g. `date,mkt_rf,smb,hml,rf`. Blank cells are NaN; rows are sorted by
 * date; a duplicate date, an unparseable date, text or an infinite value in a numeric column is an
 * InputError. CSV / CSV.gz go through the fast reader (csv/), Parquet and what it declines through
 * DuckDB. Ken French files in their original layout are read with `readKenFrench` instead.
 */
import { Frame } from '../core/frame.js';
import { chooseColumns, requireColumn } from './columns.js';
import { Declined } from './csv/decline.js';
import { readFrameFast } from './csv/fast.js';
import { withConnection } from './duckdb.js';
import { readWideMatrix } from './readPanel.js';
import { assertFile, assertNotJsonTable, formatOf, openSource } from './source.js';

export interface ReadFrameOptions {
  dateCol?: string;
  /** Columns to keep, in this order (default: every column but the date). */
  columns?: readonly string[];
  /** As in `ReadPanelOptions.engine`. */
  engine?: 'auto' | 'fast' | 'duckdb';
}

export async function readFrame(file: string, options: ReadFrameOptions = {}): Promise<Frame> {
  const engine = options.engine ?? 'auto';
  if (engine !== 'duckdb') {
    await assertFile(file);
    assertNotJsonTable(file);
    if (formatOf(file) !== 'parquet') {
      try {
        const { cols, wide } = await readFrameFast(file, options.dateCol, options.columns);
        return toFrame(wide.days, wide.values, cols);
      } catch (e) {
        if (!(e instanceof Declined) || engine === 'fast') throw e;
      }
    }
  }
  return withConnection(async (con) => {
    const src = await openSource(con, file);
    const { dateCol } = chooseColumns(src.columns, { layout: 'wide', dateCol: options.dateCol }, file);
    const cols =
      options.columns !== undefined
        ? options.columns.map((c) => requireColumn(src.columns, c, 'data', file, '--columns'))
        : src.columns.filter((c) => c !== dateCol);
    const { days, values } = await readWideMatrix(con, src, dateCol, cols, () => undefined);
    return toFrame(days, values, cols);
  });
}

/**
 * The frame of a wide matrix. A last column that the header left unnamed (`columnN`, from a
 * trailing comma, as spreadsheet exports write) and that holds no value is dropped: kept, it
 * became an empty factor that every regression needs, and nothing could be fitted.
 */
function toFrame(days: Int32Array, values: Float64Array, cols: readonly string[]): Frame {
  const n = days.length,
    m = cols.length;
  const series = cols.map((_, k) => {
    const s = new Float64Array(n);
    for (let t = 0; t < n; t++) s[t] = values[t * m + k];
    return s;
  });
  const names = cols.slice();
  while (names.length > 1 && /^column\d+$/.test(names[names.length - 1]) && series[series.length - 1].every((v) => v !== v)) {
    names.pop();
    series.pop();
  }
  return new Frame(days, names, series);
}

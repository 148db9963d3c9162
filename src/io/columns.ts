/**
 * Which column is the date, the asset and the value, and whether a table is long or wide.
 *
 * Rules (all name matches are case-insensitive):
 * - date column: the given `dateCol`, else the first of date / datetime / trade_date / time,
 *   else an unnamed first column (`column0`, the index of a pandas export), else an error.
 * - layout: `long` when an asset column is given or one is named asset / ticker / symbol / name /
 *   code / permno / secid; otherwise `wide` (every other column is an asset).
 * - value column (long only): the given `valueCol`, else the first of close / adj_close /
 *   adjclose / price / value / factor_value, else the single remaining numeric column, else an
 *   error listing the columns.
 */
import { InputError } from '../core/errors.js';

export const DATE_NAMES = ['date', 'datetime', 'trade_date', 'time'];
export const ASSET_NAMES = ['asset', 'ticker', 'symbol', 'name', 'code', 'permno', 'secid'];
export const VALUE_NAMES = ['close', 'adj_close', 'adjclose', 'price', 'value', 'factor_value'];

export type Layout = 'long' | 'wide';

export interface ColumnChoice {
  layout: Layout;
  dateCol: string;
  assetCol?: string;
  /** Long layout: the value column (undefined until a type-based choice is needed). */
  valueCol?: string;
}

function findName(columns: readonly string[], wanted: readonly string[]): string | undefined {
  const lower = columns.map((c) => c.toLowerCase());
  for (const w of wanted) {
    const i = lower.indexOf(w);
    if (i >= 0) return columns[i];
  }
  return undefined;
}

function listColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, 20).join(', ');
  return columns.length > 20 ? `${shown}, ... (${columns.length} columns)` : shown;
}

/** Resolves a user-given column name (exact, else case-insensitive) or throws an InputError. */
export function requireColumn(columns: readonly string[], name: string, role: string, file: string, flag: string): string {
  if (columns.includes(name)) return name;
  const ci = columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (ci !== undefined) return ci;
  throw new InputError(`no ${role} column "${name}"; the columns are: ${listColumns(columns)}`, {
    file,
    column: name,
    hint: `pass one of the existing columns with ${flag}`,
  });
}

export interface ColumnOptions {
  layout?: 'auto' | Layout;
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
}

/**
 * Chooses date / asset / value columns and the layout from the column names alone.
 * `valueCol` stays undefined for long data whose value column must be chosen by type.
 */
export function chooseColumns(columns: readonly string[], opts: ColumnOptions, file: string): ColumnChoice {
  let dateCol: string | undefined;
  if (opts.dateCol !== undefined) dateCol = requireColumn(columns, opts.dateCol, 'date', file, '--date-col');
  else {
    dateCol = findName(columns, DATE_NAMES);
    if (dateCol === undefined && columns[0] === 'column0') dateCol = 'column0';
  }
  if (dateCol === undefined) {
    throw new InputError(`no date column found; the columns are: ${listColumns(columns)}`, {
      file,
      line: 1,
      hint: 'name the date column with --date-col (auto-detected names: date, datetime, trade_date, time)',
    });
  }
  let assetCol: string | undefined;
  if (opts.assetCol !== undefined) assetCol = requireColumn(columns, opts.assetCol, 'asset', file, '--asset-col');
  else if (opts.layout !== 'wide')
    assetCol = findName(
      columns.filter((c) => c !== dateCol),
      ASSET_NAMES,
    );
  let layout: Layout = assetCol !== undefined ? 'long' : 'wide';
  if (opts.layout === 'long' || opts.layout === 'wide') layout = opts.layout;
  if (layout === 'wide') {
    if (columns.length < 2) throw new InputError('a wide table needs a date column and at least one asset column', { file, line: 1 });
    if (opts.layout !== 'wide') refuseBars(columns, file);
    return { layout, dateCol };
  }
  if (assetCol === undefined) {
    throw new InputError(`long layout but no asset column found; the columns are: ${listColumns(columns)}`, {
      file,
      line: 1,
      hint: 'name the asset column with --asset-col (auto-detected names: asset, ticker, symbol, name, code, permno, secid)',
    });
  }
  if (assetCol === dateCol) throw new InputError(`column "${assetCol}" cannot be both the date and the asset`, { file, column: assetCol });
  let valueCol: string | undefined;
  if (opts.valueCol !== undefined) valueCol = requireColumn(columns, opts.valueCol, 'value', file, '--value-col');
  else
    valueCol = findName(
      columns.filter((c) => c !== dateCol && c !== assetCol),
      VALUE_NAMES,
    );
  return { layout, dateCol, assetCol, valueCol };
}

const BAR_PRICES = new Set(['open', 'high', 'low', 'close']);
const BAR_EXTRAS = new Set(['volume', 'adj close', 'adj_close', 'adjclose', 'adjusted close', 'adjusted_close', 'vwap']);

/**
 * A wide table whose columns are one asset's price bars (Yahoo's `Date,Open,High,Low,Close,Adj
 * Close,Volume`): at least three of open/high/low/close and a volume or adjusted close. Read as a
 * panel, each of them would be an "asset" (the volume a price). Refused with what to do.
 */
function refuseBars(columns: readonly string[], file: string): void {
  const lower = columns.map((c) => c.trim().toLowerCase());
  const prices = lower.filter((c) => BAR_PRICES.has(c)).length;
  if (prices < 3 || !lower.some((c) => BAR_EXTRAS.has(c))) return;
  const close = columns.find((c) => /^adj(usted)?[ _]?close$/i.test(c.trim())) ?? columns.find((c) => c.trim().toLowerCase() === 'close');
  throw new InputError(
    `the columns look like one asset's price bars (${listColumns(columns)}), not one column per asset: read as a panel, each would be an asset and the volume a price`,
    {
      file,
      line: 1,
      hint: `keep the date and one price column named for the asset (pandas: df[["${close ?? 'Close'}"]].rename(columns={"${close ?? 'Close'}": "AAPL"}).to_csv(...)), or give several assets as a long file date,ticker,close with --value-col; --layout wide reads these columns as assets anyway`,
    },
  );
}

/** Numeric DuckDB type names. */
export function isNumericType(type: string): boolean {
  return /^(DOUBLE|FLOAT|REAL|DECIMAL|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|UHUGEINT)/i.test(type);
}

/** The value column of long data chosen by type: the single numeric column left, else an error. */
export function chooseValueByType(columns: readonly { name: string; type: string }[], used: readonly string[], file: string): string {
  const rest = columns.filter((c) => !used.includes(c.name));
  const numeric = rest.filter((c) => isNumericType(c.type));
  if (numeric.length === 1) return numeric[0].name;
  const why =
    numeric.length === 0
      ? 'no numeric column besides the date and asset'
      : `${numeric.length} numeric columns (${numeric.map((c) => c.name).join(', ')})`;
  throw new InputError(`cannot tell which column holds the values: ${why}; the columns are: ${listColumns(columns.map((c) => c.name))}`, {
    file,
    line: 1,
    hint: 'pass the value column with --value-col',
  });
}

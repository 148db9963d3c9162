/**
 * Which column is the date, the asset and the value, and whether a table is long or wide.
 *
 * Rules. A given name matches exactly, else case-insensitively. A detected name matches when the
 * column's name, lower-cased with everything but letters and digits dropped ("Ticker Symbol" ->
 * tickersymbol, "trade_date" -> tradedate, "Adj Close" -> adjclose), is one of the lists below; the
 * first name of a list found wins.
 * - date column: the given `dateCol`, else one of {@link DATE_NAMES}, else an unnamed first
 *   column (`column0`, the index of a pandas export), else an error.
 * - layout: `long` when an asset column is given or one of {@link ASSET_NAMES} is found;
 *   otherwise `wide` (every other column is an asset).
 * - a long table only: when no date column was found by name, a period-end name
 *   ({@link PERIOD_END_NAMES}: Kaggle's fundamentals "Period Ending", Compustat's datadate, a
 *   Tushare end_date) is taken before the unnamed first column (which is then the row number of a
 *   pandas export).
 * - value column (long only): the given `valueCol`, else one of {@link VALUE_NAMES}, else the
 *   single remaining numeric column, else an error listing the columns.
 */
import { InputError } from '../core/errors.js';

/** Date column names, normalised (module doc): pandas, qlib (datetime), Wind (trade_dt), CRSP (caldt), Tushare (trade_date). */
export const DATE_NAMES = ['date', 'datetime', 'tradedate', 'tradedt', 'tradingdate', 'tradingday', 'time', 'timestamp', 'caldt'];
/** Dates of a period's end (fundamentals), tried for long tables only (module doc). */
export const PERIOD_END_NAMES = ['periodending', 'periodend', 'periodenddate', 'datadate', 'enddate', 'reportdate', 'fiscalperiodend'];
/**
 * Asset column names, normalised (module doc): CRSP permno, Compustat gvkey, qlib instrument,
 * Tushare ts_code, Wind s_info_windcode, Kaggle's "Ticker Symbol" and Name.
 */
export const ASSET_NAMES = [
  'asset',
  'ticker',
  'symbol',
  'tickersymbol',
  'instrument',
  'tscode',
  'sinfowindcode',
  'windcode',
  'stockcode',
  'seccode',
  'secucode',
  'permno',
  'secid',
  'gvkey',
  'cusip',
  'isin',
  'code',
  'name',
];
/**
 * Value column names of a long price or factor file, normalised (module doc). The adjusted close
 * comes before the close: a file with both (Yahoo's `Close` and `Adj Close`, a vendor's `close` and
 * `adj_close`) has its total return in the adjusted one, and returns from the plain close leave out
 * every dividend (and, in older Yahoo files, jump at each split).
 */
export const VALUE_NAMES = ['adjclose', 'adjustedclose', 'close', 'price', 'value', 'factorvalue'];

/**
 * The columns of a long file other than `chosen` whose names are price names of
 * {@link VALUE_NAMES} (close, adjusted close, price): the candidates the detection passed over,
 * for a note naming the one it took.
 */
export function otherPriceColumns(columns: readonly string[], chosen: string): string[] {
  const prices = new Set(['adjclose', 'adjustedclose', 'close', 'price']);
  return columns.filter((c) => c !== chosen && prices.has(normalizedName(c)));
}

/**
 * Whether a date column is named as a period's end (Kaggle's "Period Ending", Compustat's
 * datadate, a Tushare end_date): fundamentals dated so were published later, and testing them as
 * dated has look-ahead.
 */
export function isPeriodEndColumn(name: string): boolean {
  return PERIOD_END_NAMES.includes(normalizedName(name));
}

/** A column name as the detected lists hold it: lower case, letters and digits only. */
export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export type Layout = 'long' | 'wide';

export interface ColumnChoice {
  layout: Layout;
  dateCol: string;
  assetCol?: string;
  /** Long layout: the value column (undefined until a type-based choice is needed). */
  valueCol?: string;
}

function findName(columns: readonly string[], wanted: readonly string[]): string | undefined {
  const norm = columns.map(normalizedName);
  for (const w of wanted) {
    const i = norm.indexOf(w);
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
  else dateCol = findName(columns, DATE_NAMES);
  let assetCol: string | undefined;
  if (opts.assetCol !== undefined) assetCol = requireColumn(columns, opts.assetCol, 'asset', file, '--asset-col');
  else if (opts.layout !== 'wide')
    assetCol = findName(
      columns.filter((c) => c !== dateCol),
      ASSET_NAMES,
    );
  if (dateCol === undefined && opts.layout !== 'wide' && (assetCol !== undefined || opts.layout === 'long'))
    dateCol = findName(
      columns.filter((c) => c !== assetCol),
      PERIOD_END_NAMES,
    );
  if (dateCol === undefined && columns[0] === 'column0') dateCol = 'column0';
  if (dateCol === undefined) {
    throw new InputError(`no date column found; the columns are: ${listColumns(columns)}`, {
      file,
      line: 1,
      hint: 'name the date column with --date-col (auto-detected names: date, datetime, trade_date, trade_dt, timestamp, ...)',
    });
  }
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
      hint: 'name the asset column with --asset-col (auto-detected names: asset, ticker, symbol, instrument, ts_code, permno, gvkey, code, name, ...)',
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

/**
 * The value column of long data chosen by type: the single numeric column left, else an error.
 * `numericText` names text columns that hold numbers all the same (io `numericTextColumns`: a
 * column of returns with an `NA` or `#DIV/0!` cell, which DuckDB types as text); they count as
 * numeric, so such a column is never passed over for another numeric one (a `volume`) without a
 * word: the choice is refused as ambiguous, or, alone, the column is read and its bad cell named.
 */
export function chooseValueByType(
  columns: readonly { name: string; type: string }[],
  used: readonly string[],
  file: string,
  numericText: readonly string[] = [],
): string {
  const rest = columns.filter((c) => !used.includes(c.name));
  const numeric = rest.filter((c) => isNumericType(c.type) || numericText.includes(c.name));
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

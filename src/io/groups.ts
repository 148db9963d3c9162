/**
 * Group files (sectors, industries): which group each asset belongs to, read as text.
 *
 * Two layouts:
 * - static `asset, group` (e.g. `us/nyse_securities_gics_2017.csv` with `--asset-col "Ticker symbol"
 *   --group-col "GICS Sector"`, or the headerless `cn/sse50_2021q1_stock_2_idx.csv`);
 * - time-varying `date, asset, group` rows: membership as of each date (signals/groups.ts).
 *
 * Header: a first line with any numeric field (`600010,5`, `0,银行`) is data, not a header (column
 * names are not numbers); a headerless file's columns are asset then group. Otherwise the first
 * line names the columns. `header: false`
 * or `true` overrides the guess. Column defaults (any case): asset `asset`, `ticker`, `symbol`,
 * `ticker symbol`, `code`, `permno`, `secid`, `name`; group `group`, `sector`, `industry`,
 * `gics sector`, `industry_id`; date `date`. A names file (`id,name`, e.g.
 * `cn/sse50_2021q1_idx_2_name.csv`) maps group ids to readable names.
 */
import { formatIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import type { GroupRow } from '../signals/groups.js';
import { badDateHint } from './csv/errors.js';
import { parseCsvText, readText } from './csv/text.js';
import { guessDelimiter, readFirstLine, splitCsvLine } from './header.js';
import { assertFile, formatOf, parseDateText } from './source.js';

export interface ReadGroupsOptions {
  assetCol?: string;
  groupCol?: string;
  /** A date column makes the table time-varying. Default: a column named `date`, if any. */
  dateCol?: string;
  /** Force the header guess. */
  header?: boolean;
  /** A file `id,name` that maps group ids to names (with or without a header). */
  namesFile?: string;
}

export interface LoadedGroups {
  /** Static map asset -> group, or membership rows when the file has dates. */
  groups: Map<string, string> | GroupRow[];
  file: string;
  assetCol: string;
  groupCol: string;
  dateCol?: string;
  /** Distinct groups, sorted. */
  names: string[];
  rows: number;
}

const ASSET_NAMES = ['asset', 'ticker', 'symbol', 'ticker symbol', 'code', 'permno', 'secid', 'name'];
const GROUP_NAMES = ['group', 'sector', 'industry', 'gics sector', 'industry_id', 'industry id'];

function pick(
  columns: readonly string[],
  given: string | undefined,
  defaults: readonly string[],
  what: string,
  flag: string,
  file: string,
): string {
  if (given !== undefined) {
    if (!columns.includes(given)) {
      throw new InputError(`no ${what} column ${JSON.stringify(given)}; the columns are: ${columns.join(', ')}`, {
        file,
        column: given,
        hint: `pass one of the existing columns with ${flag}`,
      });
    }
    return given;
  }
  for (const d of defaults) {
    const c = columns.find((x) => x.trim().toLowerCase() === d);
    if (c !== undefined) return c;
  }
  throw new InputError(`cannot tell which column holds the ${what}; the columns are: ${columns.join(', ')}`, {
    file,
    hint: `name it with ${flag}`,
  });
}

const isNumber = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));

/** Columns of a delimited text file and whether its first line is a header. */
async function layout(file: string, header: boolean | undefined): Promise<{ columns: string[]; header: boolean; delimiter: string }> {
  await assertFile(file);
  if (formatOf(file) === 'parquet')
    throw new InputError('group files are read as CSV text', { file, hint: 'write the groups as CSV: asset,group' });
  const first = await readFirstLine(file, formatOf(file) === 'csv.gz');
  if (first === null || first.line.trim() === '')
    throw new InputError('the file is empty', { file, hint: 'a group file has lines asset,group' });
  const delimiter = guessDelimiter(first.line);
  const fields = splitCsvLine(first.line, delimiter);
  const hasHeader = header ?? !fields.some(isNumber);
  const columns = hasHeader ? fields.map((f, i) => (f.trim() === '' ? `column${i}` : f.trim())) : fields.map((_, i) => `column${i}`);
  return { columns, header: hasHeader, delimiter };
}

/**
 * The `wanted` columns of every data record, trimmed, each with its line (the file's first record
 * is the header when `l.header`).
 */
async function readColumns(
  file: string,
  l: { columns: string[]; header: boolean; delimiter: string },
  wanted: readonly string[],
): Promise<{ values: string[]; line: number }[]> {
  const records = parseCsvText(await readText(file, formatOf(file) === 'csv.gz'), l.delimiter, file);
  const at = wanted.map((c) => l.columns.indexOf(c));
  return records.slice(l.header ? 1 : 0).map((r) => ({ values: at.map((k) => r.fields[k].trim()), line: r.line }));
}

/** Reads a group file (see the module comment). Bad input throws one `InputError`. */
export async function readGroups(file: string, options: ReadGroupsOptions = {}): Promise<LoadedGroups> {
  const l = await layout(file, options.header);
  const assetCol = l.header
    ? pick(l.columns, options.assetCol, ASSET_NAMES, 'asset', '--group-asset-col', file)
    : (options.assetCol ?? 'column0');
  const groupCol = l.header
    ? pick(l.columns, options.groupCol, GROUP_NAMES, 'group', '--group-col', file)
    : (options.groupCol ?? 'column1');
  const dateCol = options.dateCol ?? (l.header ? l.columns.find((c) => c.trim().toLowerCase() === 'date') : undefined);
  if (!l.header && l.columns.length < 2) throw new InputError('a headerless group file needs two columns: asset,group', { file });
  const names = options.namesFile === undefined ? undefined : await readGroupNames(options.namesFile);
  const rows = await readColumns(file, l, dateCol === undefined ? [assetCol, groupCol] : [dateCol, assetCol, groupCol]);
  if (rows.length === 0) throw new InputError('the group file has no rows', { file });
  const label = (g: string, line: number): string => {
    if (names === undefined || g === '') return g;
    const n = names.get(g);
    if (n === undefined)
      throw new InputError(`group id ${JSON.stringify(g)} is not in the names file`, {
        file,
        line,
        column: groupCol,
        hint: `add it to ${options.namesFile}`,
      });
    return n;
  };
  if (dateCol === undefined) {
    const map = new Map<string, string>();
    for (const {
      values: [asset, group],
      line,
    } of rows) {
      if (asset === '') continue;
      const g = label(group, line);
      const before = map.get(asset);
      if (before !== undefined && before !== g) {
        throw new InputError(`asset ${asset} is in two groups (${before} and ${g})`, {
          file,
          line,
          asset,
          hint: 'give each asset one group, or add a date column for changing membership',
        });
      }
      if (g !== '') map.set(asset, g);
    }
    return { groups: map, file, assetCol, groupCol, names: [...new Set(map.values())].sort(), rows: rows.length };
  }
  const out: GroupRow[] = rows.map(({ values: [date, asset, group], line }) => {
    const day = parseDateText(date); // the dates a panel takes, refused as a panel refuses them
    if (Number.isNaN(day))
      throw new InputError('not a date', {
        file,
        line,
        column: dateCol,
        value: date,
        hint: badDateHint(date),
      });
    return { date: formatIsoDate(day), asset, group: group === '' ? null : label(group, line) };
  });
  return {
    groups: out,
    file,
    assetCol,
    groupCol,
    dateCol,
    names: [...new Set(out.flatMap((r) => (r.group === null ? [] : [r.group])))].sort(),
    rows: rows.length,
  };
}

/** A two-column `id,name` file as a map (with or without a header line). */
export async function readGroupNames(file: string): Promise<Map<string, string>> {
  const l = await layout(file, undefined);
  const rows = await readColumns(file, l, l.columns.slice(0, 2));
  return new Map(rows.map(({ values: [id, name] }) => [id, name]));
}

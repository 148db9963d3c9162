/**
 * Which factors a zoo tests: the command's arguments expanded into one {@link FactorSpec} each.
 *
 * An argument is, in this order of checks:
 * - `momentum` or `momentum:LOOKBACK,SKIP` (and no file of that name): momentum from the prices;
 * - `FILE#COL[,COL...]`: columns of a long multi-factor file (`date, asset, f1, f2, ...`), one
 *   factor per column; `FILE#*` takes every numeric column besides the date and asset columns and
 *   the label columns (a fiscal-year label, a row number, an identifier or code: see
 *   `labelColumns`), which a note names (`FILE#col` still tests one);
 * - an existing directory: every table file in it (`.csv`, `.csv.gz`, `.parquet`, `.pq`; not
 *   hidden, not recursive), in name order;
 * - a path whose base name holds `*` or `?` (and no file of that name): the files of its directory
 *   that match (`*` any run of characters, `?` one), in name order; none is an error;
 * - anything else: a factor file. A missing or unreadable file is not an error here: it becomes a
 *   failed row of the zoo with its reason, and the other factors run.
 *
 * The spec's `name` is what the user would pass to `analyze --factor` (and `factor` / `factorCol`
 * are exactly those flags), so a zoo factor's JSON is the JSON of `analyze` on that factor alone.
 * A factor given twice is kept once, under the first name it was given: the same file by another
 * path (`f.csv`, `./f.csv`, a folder and a glob over it), `momentum` and `momentum:252,21`.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, isInputError } from '../core/errors.js';
import { chooseColumns, isNumericType } from '../io/columns.js';
import { sqlIdent, withConnection } from '../io/duckdb.js';
import { dayNumberSql, numericTextColumns, openSource, scanSql, scanType, sniffTypes } from '../io/source.js';

export interface FactorSpec {
  /** The factor's name in the table: `FILE`, `FILE#COL` or `momentum:L,S`. */
  name: string;
  /** `analyze --factor`: a file or a momentum spec. */
  factor: string;
  /** `analyze --factor-col`, for a column of a multi-factor file. */
  factorCol?: string;
  /** True for momentum computed from the prices (no factor file). */
  momentum?: boolean;
}

export const MOMENTUM_SPEC = /^momentum(?::(\d+),(\d+))?$/;
const TABLE_FILE = /\.(csv|csv\.gz|parquet|pq)$/i;

async function kind(path: string): Promise<'file' | 'dir' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/** `*` any run of characters, `?` one character, everything else literal; the whole name. */
export function globRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

async function tableFiles(dir: string, match: (name: string) => boolean): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.') && match(e.name))
    .map((e) => e.name)
    .sort();
  return names.map((n) => join(dir, n));
}

/** The table options a spec's file is read with (the zoo's --date-col, --asset-col, --timezone). */
export interface SpecTable {
  dateCol?: string;
  assetCol?: string;
  timezone?: string;
}

/** A numeric column `FILE#*` leaves out: a label or identifier, not a factor, and why. */
export interface LabelColumn {
  column: string;
  why: string;
}

/**
 * Words that name a label or an identifier when they end a column's name (`For Year`, `fyear`,
 * `gvkey`, `SIC code`, `cik`, `permno`, `fiscal_quarter`, `row_id`, `index`): a column of whole
 * numbers so named is no factor.
 */
const LABEL_WORDS = new Set([
  'year',
  'fyear',
  'yr',
  'quarter',
  'qtr',
  'fqtr',
  'month',
  'id',
  'ids',
  'index',
  'cik',
  'gvkey',
  'permno',
  'permco',
  'cusip',
  'sedol',
  'sic',
  'naics',
  'gics',
  'code',
]);

/** The last word of a column name, lower case: `For Year` -> year, `fiscalYear` -> year, `row_id` -> id. */
export function lastWord(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
  return (words.at(-1) ?? '').toLowerCase();
}

/** Of the present values, the share that must be a year label (the row's year, or one either side) for the column to be one. */
const YEAR_LABEL_SHARE = 0.9;

/**
 * The columns among `candidates` that hold numbers but are labels, not factors, from one scan of
 * the file:
 * - a year label: at least {@link YEAR_LABEL_SHARE} of its values are whole numbers within a year
 *   of the row's date's year (a fiscal-year label: `For Year` 2012 on a period ending 2012-12-31,
 *   2011 on one ending 2012-01-31);
 * - a row number: whole numbers, each once, counting 0..n-1 or 1..n (a pandas index under any name);
 * - an identifier or code by name ({@link LABEL_WORDS}) whose values are all whole numbers.
 * A factor of real values has neither shape; a ratio named `... Year` holds fractions.
 */
async function labelColumns(
  con: Parameters<Parameters<typeof withConnection>[0]>[0],
  src: Awaited<ReturnType<typeof openSource>>,
  dateCol: string,
  candidates: readonly string[],
  timezone: string | undefined,
): Promise<LabelColumn[]> {
  if (candidates.length === 0) return [];
  const year = `year(DATE '1970-01-01' + (${dayNumberSql(dateCol, scanType(src, dateCol, new Map()), timezone)}))`;
  const parts = candidates.map((c, k) => {
    const v = `TRY_CAST(trim(CAST(${sqlIdent(c)} AS VARCHAR)) AS DOUBLE)`;
    const whole = `${v} = floor(${v})`;
    return [
      `count(${v}) AS n${k}`,
      `count(*) FILTER (WHERE ${whole}) AS w${k}`,
      `count(*) FILTER (WHERE ${whole} AND abs(${v} - ${year}) <= 1) AS y${k}`,
      `count(DISTINCT ${v}) AS d${k}`,
      `min(${v}) AS lo${k}`,
      `max(${v}) AS hi${k}`,
    ].join(', ');
  });
  let row: unknown[];
  try {
    row = (await con.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${scanSql(src)}`)).getRows()[0];
  } catch {
    return []; // a structural problem: reported when the factor is read
  }
  const out: LabelColumn[] = [];
  candidates.forEach((c, k) => {
    const [n, whole, years, distinct, lo, hi] = row.slice(6 * k, 6 * k + 6).map(Number);
    if (n === 0) return;
    if (years >= YEAR_LABEL_SHARE * n)
      out.push({ column: c, why: `${pct(years / n)} of its values are whole numbers within a year of the row's date: a year label` });
    else if (whole === n && distinct === n && (lo === 0 || lo === 1) && hi - lo + 1 === n && n > 2)
      out.push({ column: c, why: `whole numbers counting ${lo}..${hi}, each once: a row number` });
    else if (whole === n && LABEL_WORDS.has(lastWord(c)))
      out.push({ column: c, why: `whole numbers named "${lastWord(c)}": an identifier or label` });
  });
  return out;
}

/** `a b` -> `'a b'`: a word the user can paste into a shell. */
const shellWord = (s: string): string => (/^[A-Za-z0-9_./#:,=+-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

const pct = (x: number): string => `${x >= 0.995 && x < 1 ? '99.5+' : Math.round(x * 100)}%`;

/**
 * The factor columns of a long file for `FILE#*`: its numeric columns besides the date and asset
 * columns and a pandas index (`column0`), less the label columns ({@link labelColumns}), which are
 * returned apart for the note that names them.
 */
async function valueColumns(file: string, table: SpecTable): Promise<{ columns: string[]; labels: LabelColumn[] }> {
  return withConnection(async (con) => {
    const src = await openSource(con, file);
    let choice: ReturnType<typeof chooseColumns>;
    try {
      choice = chooseColumns(src.columns, { layout: 'long', dateCol: table.dateCol, assetCol: table.assetCol }, file);
    } catch (e) {
      // a wide file has no asset column: the reader's hint (--asset-col) would send the user the wrong way
      if (!isInputError(e) || !/no asset column/.test(e.problem)) throw e;
      throw new InputError(`FILE#* takes the factor columns of a long file (date, asset, factor1, factor2, ...): ${e.problem}`, {
        ...e.location,
        hint: `a wide file (date, then a column per asset) holds one factor: give ${file} without #*; a long file whose asset column has another name: --asset-col NAME`,
      });
    }
    const types = await sniffTypes(con, src);
    const candidates = types.filter((c) => c.name !== choice.dateCol && c.name !== choice.assetCol && c.name !== 'column0');
    // a column of numbers with one cell DuckDB cannot read (NA, #DIV/0!, +5) is typed as text: it
    // is a factor all the same (the panel reader reads it, and names a cell that is no number)
    const numericText = new Set(
      await numericTextColumns(
        con,
        src,
        candidates.filter((c) => c.type.toUpperCase() === 'VARCHAR').map((c) => c.name),
      ),
    );
    const numeric = candidates.filter((c) => isNumericType(c.type) || numericText.has(c.name)).map((c) => c.name);
    const labels = await labelColumns(con, src, choice.dateCol, numeric, table.timezone);
    const skipped = new Set(labels.map((l) => l.column));
    return { columns: numeric.filter((c) => !skipped.has(c)), labels };
  });
}

/**
 * What a spec computes, whatever it was called: momentum by its lookback and skip (`momentum` is
 * 252,21), a file by its absolute path and column.
 */
function specKey(s: FactorSpec): string {
  if (s.momentum === true) {
    const m = MOMENTUM_SPEC.exec(s.factor);
    return `momentum:${m?.[1] ?? 252},${m?.[2] ?? 21}`;
  }
  return `${resolve(s.factor)}#${s.factorCol ?? ''}`;
}

/** Expands the zoo's factor arguments (see the module doc); throws an InputError for a glob or column list that names nothing. */
export async function expandFactorArgs(
  args: readonly string[],
  table: SpecTable = {},
  onNote: (line: string) => void = () => undefined,
  inputs: readonly { flag: string; path: string }[] = [],
): Promise<FactorSpec[]> {
  // the zoo's own input files (--prices, ...) a folder or glob takes in are left out: the price file
  // in 'data/*.csv' was tested as a factor (the price level) without a word; named, a file is kept
  const real = async (p: string): Promise<string> => realpath(p).catch(() => resolve(p));
  const own = new Map<string, string>();
  for (const i of inputs) own.set(await real(i.path), i.flag);
  const expanded = async (arg: string, files: string[]): Promise<string[]> => {
    const kept: string[] = [];
    for (const f of files) {
      const flag = own.get(await real(f));
      if (flag === undefined) kept.push(f);
      else onNote(`${arg}: left out ${f}: it is ${flag}; to use it here anyway, name it`);
    }
    return kept;
  };
  const out: FactorSpec[] = [];
  const seen = new Set<string>();
  const add = (s: FactorSpec): void => {
    const key = specKey(s);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  };
  for (const arg of args) {
    const k = await kind(arg);
    if (k === undefined && MOMENTUM_SPEC.test(arg)) {
      add({ name: arg, factor: arg, momentum: true });
      continue;
    }
    const hash = arg.lastIndexOf('#');
    if (k === undefined && hash > 0 && (await kind(arg.slice(0, hash))) === 'file') {
      const file = arg.slice(0, hash),
        list = arg.slice(hash + 1);
      let cols: string[];
      let labels: LabelColumn[] = [];
      if (list === '*') ({ columns: cols, labels } = await valueColumns(file, table));
      else
        cols = list
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== '');
      if (labels.length > 0) {
        const what = labels.map((l) => `"${l.column}" (${l.why})`).join('; ');
        const force = shellWord(`${file}#${labels[0].column}`);
        onNote(
          labels.length === 1
            ? `${arg}: left out ${what}: numbers, but a label, not a factor; to test it anyway, name it: ${force}`
            : `${arg}: left out ${labels.length} columns of numbers that are labels, not factors: ${what}; to test one anyway, name it: ${force}`,
        );
      }
      if (cols.length === 0) {
        throw new InputError(
          `${arg}: no factor column ${list === '*' ? `besides the date and asset columns${labels.length > 0 ? ` and the label columns ${labels.map((l) => `"${l.column}"`).join(', ')}` : ''}` : 'named'}`,
          {
            file,
            hint: 'FILE#col1,col2 names the factor columns of a long file; FILE#* takes every numeric one that is not a label',
          },
        );
      }
      for (const c of cols) add({ name: `${file}#${c}`, factor: file, factorCol: c });
      continue;
    }
    if (k === 'dir') {
      const all = await tableFiles(arg, (n) => TABLE_FILE.test(n));
      const files = await expanded(arg, all);
      if (files.length === 0)
        throw new InputError(
          all.length === 0
            ? 'no table file (.csv, .csv.gz, .parquet) in this directory'
            : `no factor file in this directory: its only table ${all.length === 1 ? 'file is' : 'files are'} the zoo's own input (${all.join(', ')})`,
          {
            file: arg,
            hint: 'give the factor files, a glob such as DIR/*.csv, or another directory',
          },
        );
      for (const f of files) add({ name: f, factor: f });
      continue;
    }
    const base = basename(arg);
    if (k === undefined && /[*?]/.test(base)) {
      const dir = dirname(arg);
      if ((await kind(dir)) !== 'dir')
        throw new InputError(`the directory of ${arg} does not exist`, {
          file: dir,
          hint: 'wildcards (* and ?) work in the file name only',
        });
      const re = globRegExp(base);
      const all = await tableFiles(dir, (n) => re.test(n));
      const files = await expanded(arg, all);
      if (files.length === 0)
        throw new InputError(
          all.length === 0
            ? `no file matches ${base} in ${dir}`
            : `no factor file matches ${base} in ${dir}: only the zoo's own input (${all.join(', ')})`,
          {
            file: arg,
            hint: 'check the pattern (quote it so the shell does not expand it first)',
          },
        );
      for (const f of files)
        add({
          name: dir === '.' && !arg.startsWith('./') ? basename(f) : f,
          factor: dir === '.' && !arg.startsWith('./') ? basename(f) : f,
        });
      continue;
    }
    add({ name: arg, factor: arg });
  }
  return out;
}

/**
 * Which factors a zoo tests: the command's arguments expanded into one {@link FactorSpec} each.
 *
 * An argument is, in this order of checks:
 * - `momentum` or `momentum:LOOKBACK,SKIP` (and no file of that name): momentum from the prices;
 * - `FILE#COL[,COL...]`: columns of a long multi-factor file (`date, asset, f1, f2, ...`), one
 *   factor per column; `FILE#*` takes every numeric column besides the date and asset columns;
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
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { chooseColumns, isNumericType } from '../io/columns.js';
import { withConnection } from '../io/duckdb.js';
import { numericTextColumns, openSource, sniffTypes } from '../io/source.js';

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

/** The numeric columns of a long file besides its date and asset columns (and a pandas index, `column0`: row numbers, not a factor). */
async function valueColumns(file: string, table: { dateCol?: string; assetCol?: string }): Promise<string[]> {
  return withConnection(async (con) => {
    const src = await openSource(con, file);
    const choice = chooseColumns(src.columns, { layout: 'long', dateCol: table.dateCol, assetCol: table.assetCol }, file);
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
    return candidates.filter((c) => isNumericType(c.type) || numericText.has(c.name)).map((c) => c.name);
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
  table: { dateCol?: string; assetCol?: string } = {},
): Promise<FactorSpec[]> {
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
      const cols =
        list === '*'
          ? await valueColumns(file, table)
          : list
              .split(',')
              .map((c) => c.trim())
              .filter((c) => c !== '');
      if (cols.length === 0) {
        throw new InputError(`${arg}: no factor column ${list === '*' ? 'besides the date and asset columns' : 'named'}`, {
          file,
          hint: 'FILE#col1,col2 names the factor columns of a long file; FILE#* takes every numeric one',
        });
      }
      for (const c of cols) add({ name: `${file}#${c}`, factor: file, factorCol: c });
      continue;
    }
    if (k === 'dir') {
      const files = await tableFiles(arg, (n) => TABLE_FILE.test(n));
      if (files.length === 0)
        throw new InputError('no table file (.csv, .csv.gz, .parquet) in this directory', {
          file: arg,
          hint: 'give the factor files, a glob such as DIR/*.csv, or another directory',
        });
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
      const files = await tableFiles(dir, (n) => re.test(n));
      if (files.length === 0)
        throw new InputError(`no file matches ${base} in ${dir}`, {
          file: arg,
          hint: 'check the pattern (quote it so the shell does not expand it first)',
        });
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

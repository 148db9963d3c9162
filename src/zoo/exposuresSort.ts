/**
 * The order of the exposures zoo's table (`exposures-zoo --sort COL[:asc|:desc]`), as the factor
 * zoo orders its own (summary.ts `sortRows`): by one column, numbers largest first and `portfolio`
 * A to Z unless told; failed rows last, then missing values last; ties by portfolio name, then in
 * the order given (a stable sort). The columns depend on the factors (`const`, `mkt`, `t_mkt`, ...),
 * so the name is checked against the table's own columns once it exists.
 */
import { InputError } from '../core/errors.js';
import type { ExposuresZooRow } from './exposures.js';

export interface ExposuresSortKey {
  column: string;
  descending: boolean;
}

/** Columns that are not numbers and cannot order the table (besides `portfolio`). */
const TEXT_COLUMNS = new Set(['status', 'reason', 'notes']);

/** `COL`, `COL:asc` or `COL:desc` (the column itself is checked by {@link sortExposuresRows}). */
export function parseExposuresSort(text: string): ExposuresSortKey {
  const [column, dir, ...rest] = text.split(':');
  if (column === '' || rest.length > 0 || (dir !== undefined && dir !== 'asc' && dir !== 'desc') || TEXT_COLUMNS.has(column)) {
    throw new InputError('--sort takes a column of the table, optionally :asc or :desc', {
      value: text,
      hint: 'portfolio, nobs, const, a factor name, t_<factor>, r2, residual_vol, covered_weight, ...; e.g. --sort t_mkt or --sort r2:asc',
    });
  }
  return { column, descending: dir === undefined ? column !== 'portfolio' : dir === 'desc' };
}

const byName = (a: ExposuresZooRow, b: ExposuresZooRow): number => {
  const x = String(a.portfolio),
    y = String(b.portfolio);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A sorted copy (see the module doc); bad input when `key.column` is not a number column of the rows. */
export function sortExposuresRows(rows: readonly ExposuresZooRow[], key: ExposuresSortKey): ExposuresZooRow[] {
  const columns = rows.length > 0 ? Object.keys(rows[0]) : [];
  if (rows.length > 0 && (!columns.includes(key.column) || TEXT_COLUMNS.has(key.column))) {
    throw new InputError(`--sort: the table has no number column ${key.column}`, {
      value: key.column,
      hint: `one of ${columns.filter((c) => !TEXT_COLUMNS.has(c)).join(', ')}`,
    });
  }
  const sign = key.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (a.status !== b.status) return a.status === 'ok' ? -1 : 1;
    if (key.column === 'portfolio') return sign * byName(a, b);
    const va = a[key.column],
      vb = b[key.column];
    if (va !== vb) {
      if (typeof va !== 'number') return typeof vb === 'number' ? 1 : byName(a, b);
      if (typeof vb !== 'number') return -1;
      return sign * (va - vb);
    }
    return byName(a, b);
  });
}

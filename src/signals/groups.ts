/**
 * Groups (industries, sectors, ...) as integer codes per (date, asset).
 *
 * Three input forms, resolved onto a grid of formation dates × assets:
 * - **static map** `asset -> group` (a `Record` or `Map`): the same group on every date;
 * - **time-varying panel of labels** `{ dates, assets, labels }`, `labels` date-major
 *   (`labels[t * assets.length + j]`), `null`/`undefined`/`''` = no group on that date;
 * - **long table** of `{ date, asset, group }` rows (ISO date strings or day numbers).
 *
 * Time-varying membership is applied **as of** each formation date: an asset's group on date d is
 * its latest membership dated on or before d (memberships are typically published less often than
 * factors). A membership row with an empty label ends the membership from its date on. No
 * membership on or before d: no group (code -1).
 *
 * Output: `names` sorted (code k = `names[k]`) and `codes` date-major `Int32Array`
 * (`codes[t * nAssets + j]`, -1 = no group).
 */
import type { Calendar } from '../core/calendar.js';
import { makeCalendar } from '../core/calendar.js';
import { tryParseIsoDate } from '../core/dates.js';
import { describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';

/** A time-varying membership table in wide form. */
export interface GroupPanel {
  dates: Calendar;
  assets: readonly string[];
  /** Date-major labels; null/undefined/'' = no group. */
  labels: readonly (string | null | undefined)[];
}

/** One membership row of a long table. */
export interface GroupRow {
  date: string | number;
  asset: string;
  group: string | null;
}

export type GroupInput = Readonly<Record<string, string>> | ReadonlyMap<string, string> | GroupPanel | readonly GroupRow[];

/** Group codes on a dates × assets grid. */
export interface GroupCodes {
  /** Group names, sorted; code k is names[k]. */
  names: string[];
  /** Date-major codes, -1 = no group. */
  codes: Int32Array;
}

function isGroupPanel(g: GroupInput): g is GroupPanel {
  return typeof g === 'object' && !Array.isArray(g) && !(g instanceof Map) && 'labels' in g && 'dates' in g && 'assets' in g;
}

function dayOf(d: string | number, row: number): number {
  if (typeof d === 'number') {
    if (!Number.isInteger(d)) throw new InputError(`group membership row ${row + 1} has a non-integer day number ${d}`);
    return d;
  }
  const v = tryParseIsoDate(d);
  if (Number.isNaN(v))
    throw new InputError(`group membership row ${row + 1} has a date that is not yyyy-mm-dd`, {
      value: d,
      hint: 'write dates as ISO yyyy-mm-dd',
    });
  return v;
}

/**
 * Codes of `groups` on the grid `dates` × `assets` (see the module comment for the as-of rule).
 * Assets the input does not mention get -1 everywhere.
 */
export function resolveGroups(groups: GroupInput, dates: Calendar, assets: readonly string[]): GroupCodes {
  const n = dates.length,
    m = assets.length;
  const codes = new Int32Array(n * m);
  // Collect per-asset membership histories: (day, label) sorted by day; static = one entry at -inf.
  const history = new Map<string, { day: number; label: string | null }[]>();
  const push = (asset: string, day: number, label: string | null | undefined): void => {
    let h = history.get(asset);
    if (h === undefined) {
      h = [];
      history.set(asset, h);
    }
    h.push({ day, label: label === undefined || label === '' ? null : label });
  };
  if (groups instanceof Map) {
    for (const [a, g] of groups) push(a, -Infinity, g);
  } else if (Array.isArray(groups)) {
    (groups as readonly GroupRow[]).forEach((r, i) => push(r.asset, dayOf(r.date, i), r.group));
  } else if (isGroupPanel(groups)) {
    const gm = groups.assets.length;
    if (groups.labels.length !== groups.dates.length * gm) {
      throw new InputError(`group panel has ${groups.labels.length} labels for ${groups.dates.length} dates x ${gm} assets`);
    }
    for (let t = 0; t < groups.dates.length; t++) {
      for (let j = 0; j < gm; j++) push(groups.assets[j], groups.dates[t], groups.labels[t * gm + j]);
    }
  } else {
    for (const [a, g] of Object.entries(groups as Readonly<Record<string, string>>)) push(a, -Infinity, g);
  }
  const nameSet = new Set<string>();
  for (const h of history.values()) for (const e of h) if (e.label !== null) nameSet.add(e.label);
  const names = [...nameSet].sort();
  const codeOf = new Map(names.map((s, k) => [s, k]));
  // Each history entry becomes an event (first row on or after its day, asset, code); rows are then
  // filled in order from a running row of codes, so the output is written row by row (one copy per
  // row) and each label is looked up once per entry, not once per cell.
  const evRow: number[] = [],
    evAsset: number[] = [],
    evCode: number[] = [];
  for (let j = 0; j < m; j++) {
    const h = history.get(assets[j]);
    if (h === undefined) continue;
    // stable sort by day: for equal days the later row wins (applied last)
    const hs = h.map((e, i) => ({ ...e, i })).sort((a, b) => a.day - b.day || a.i - b.i);
    for (const e of hs) {
      evRow.push(firstRowOnOrAfter(dates, e.day));
      evAsset.push(j);
      evCode.push(e.label === null ? -1 : (codeOf.get(e.label) ?? -1));
    }
  }
  const order = Array.from(evRow, (_, i) => i).sort((a, b) => evRow[a] - evRow[b] || a - b);
  const row = new Int32Array(m).fill(-1);
  let e = 0;
  for (let t = 0; t < n; t++) {
    for (; e < order.length && evRow[order[e]] <= t; e++) row[evAsset[order[e]]] = evCode[order[e]];
    codes.set(row, t * m);
  }
  return { names, codes };
}

/** The first row t with dates[t] >= day (dates.length when none; 0 for −Infinity). */
function firstRowOnOrAfter(dates: Calendar, day: number): number {
  let lo = 0,
    hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Convenience: a static map from two parallel arrays (e.g. a two-column file). */
export function staticGroups(assets: readonly string[], groups: readonly string[]): Map<string, string> {
  if (assets.length !== groups.length) throw new InputError(`static groups: ${assets.length} assets but ${groups.length} group labels`);
  const out = new Map<string, string>();
  assets.forEach((a, i) => out.set(a, groups[i]));
  return out;
}

/** A group panel from day numbers or ISO strings (sorted, must be distinct). */
export function groupPanel(
  dates: readonly (string | number)[],
  assets: readonly string[],
  labels: readonly (string | null | undefined)[],
): GroupPanel {
  const days = dates.map((d, i) => dayOf(d, i));
  const cal = makeCalendar(days);
  if (cal.length !== days.length || days.some((d, i) => d !== cal[i]))
    throw new InputError('group panel dates must be strictly increasing');
  // labels of another length were taken, and every later lookup read the wrong cell or undefined
  if (!Array.isArray(labels) || labels.length !== days.length * assets.length)
    throw new InputError(
      `group panel labels has ${Array.isArray(labels) ? `${labels.length} values` : describeValue(labels)}, expected ${days.length}x${assets.length} = ${days.length * assets.length} (one per date and asset, date-major)`,
    );
  return { dates: cal, assets, labels };
}

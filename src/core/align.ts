/**
 * Alignment of panels and frames on a common calendar.
 *
 * Nothing is forward-filled unless asked: a date a dataset lacks becomes `NaN`.
 */
import { checkCalendar, checkInteger, checkOneOf, checkOptionNames, describeValue } from './checks.js';
import { InputError } from './errors.js';
import { type Calendar, intersectAll, mapCalendar, unionAll } from './calendar.js';
import { Frame } from './frame.js';
import { Panel } from './panel.js';

export type JoinHow = 'inner' | 'outer';

export interface ReindexOptions {
  /**
   * `none` (default): dates the source lacks are NaN. `ffill`: carry the last non-missing value
   * forward, including one dated on a day the new calendar lacks (pandas `reindex(method='ffill')`).
   */
  fill?: 'none' | 'ffill';
  /** With `ffill`, carry a value at most this many rows of the new calendar (default: unlimited). */
  limit?: number;
}

/**
 * The fill options of a reindex: fill 'none' or 'ffill' ('bfill' was read as no fill), limit a
 * whole number of rows >= 0 or Infinity (-1, NaN and 1.5 were read as no fill or as 2, silently).
 */
function checkFill(what: string, options: ReindexOptions): void {
  checkOptionNames<ReindexOptions>(`${what} options`, options, REINDEX_OPTION_NAMES);
  if (options.fill !== undefined) checkOneOf('fill', options.fill, ['none', 'ffill']);
  if (options.limit !== undefined) checkLimit(options.limit);
}

const REINDEX_OPTION_NAMES: Readonly<Record<keyof ReindexOptions, true>> = { fill: true, limit: true };

function checkLimit(limit: number): void {
  if (limit !== Infinity) checkInteger('limit', limit, 0, Infinity, 'a whole number of rows >= 0 (or Infinity)');
}

/** The panel on another calendar: rows for dates it lacks are NaN (or forward-filled if asked). */
export function reindexPanel(panel: Panel, dates: Calendar, options: ReindexOptions = {}): Panel {
  checkFill('reindexPanel', options);
  checkCalendar('dates', dates);
  const m = panel.nAssets;
  if (options.fill === 'ffill') {
    return new Panel(dates, panel.assets, reindexFilled(panel.dates, panel.values, m, dates, options.limit ?? Infinity));
  }
  const rowOf = mapCalendar(dates, panel.dates);
  const out = new Float64Array(dates.length * m).fill(NaN);
  for (let t = 0; t < dates.length; t++) {
    const s = rowOf[t];
    if (s >= 0) out.set(panel.values.subarray(s * m, (s + 1) * m), t * m);
  }
  return new Panel(dates, panel.assets, out);
}

/** The frame on another calendar (NaN for dates it lacks, or forward-filled if asked). */
export function reindexFrame(frame: Frame, dates: Calendar, options: ReindexOptions = {}): Frame {
  checkFill('reindexFrame', options);
  checkCalendar('dates', dates);
  const rowOf = mapCalendar(dates, frame.dates);
  const series = frame.series.map((s) => {
    if (options.fill === 'ffill') return reindexFilled(frame.dates, s, 1, dates, options.limit ?? Infinity);
    const out = new Float64Array(dates.length);
    for (let t = 0; t < dates.length; t++) out[t] = rowOf[t] >= 0 ? s[rowOf[t]] : NaN;
    return out;
  });
  return new Frame(dates, frame.columns, series);
}

/** The panel with the given assets (missing ones all NaN), in the given order. */
export function reindexAssets(panel: Panel, assets: readonly string[]): Panel {
  const n = panel.nDates,
    m = panel.nAssets,
    k = assets.length;
  const out = new Float64Array(n * k).fill(NaN);
  const src = assets.map((a) => panel.assetIndex(a));
  for (let t = 0; t < n; t++) {
    for (let c = 0; c < k; c++) if (src[c] >= 0) out[t * k + c] = panel.values[t * m + src[c]];
  }
  return new Panel(panel.dates, assets.slice(), out);
}

/**
 * Carries each asset's last observed value forward over missing rows, at most `limit` rows.
 * Leading missing values stay missing.
 */
export function forwardFill(panel: Panel, limit = Infinity): Panel {
  checkLimit(limit);
  const n = panel.nDates,
    m = panel.nAssets;
  const out = panel.values.slice();
  const last = new Float64Array(m).fill(NaN);
  const age = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    const base = t * m;
    for (let j = 0; j < m; j++) {
      const v = out[base + j];
      if (v === v) {
        last[j] = v;
        age[j] = 0;
      } else if (last[j] === last[j] && age[j] < limit) {
        out[base + j] = last[j];
        age[j]++;
      }
    }
  }
  return new Panel(panel.dates, panel.assets, out);
}

/**
 * Reindexing with `ffill` (date-major `values`, `m` columns, on calendar `from`): row t of the
 * result holds, per column, the latest non-missing value dated on or before `to[t]` — also one
 * dated on a day `to` lacks, like pandas `reindex(method='ffill')` — provided its age is at most
 * `limit`, the age being the number of `to` dates after the value's date up to and including
 * `to[t]` (0 on its own date). Nothing before the first value: leading missing values stay.
 */
function reindexFilled(from: Calendar, values: Float64Array, m: number, to: Calendar, limit: number): Float64Array {
  const out = new Float64Array(to.length * m).fill(NaN);
  const last = new Float64Array(m).fill(NaN);
  /** For each column, how many `to` dates are on or before the date of `last`. */
  const upTo = new Float64Array(m);
  let s = 0;
  for (let t = 0; t < to.length; t++) {
    for (; s < from.length && from[s] <= to[t]; s++) {
      const count = from[s] === to[t] ? t + 1 : t;
      for (let j = 0; j < m; j++) {
        const v = values[s * m + j];
        if (v === v) {
          last[j] = v;
          upTo[j] = count;
        }
      }
    }
    for (let j = 0; j < m; j++) {
      const age = t + 1 - upTo[j];
      if (last[j] === last[j] && (age === 0 || age <= limit)) out[t * m + j] = last[j];
    }
  }
  return out;
}

export interface AlignOptions {
  /** Dates: `inner` (default) keeps dates every input has; `outer` keeps any date. */
  dates?: JoinHow;
  /** Assets (panels only): `inner` keeps assets every panel has; `outer` (default) keeps any. */
  assets?: JoinHow;
}

const JOINS: readonly JoinHow[] = ['inner', 'outer'];
const ALIGN_OPTION_NAMES: Readonly<Record<keyof AlignOptions, true>> = { dates: true, assets: true };

/** Panels on one calendar and one asset list. */
export function alignPanels(panels: readonly Panel[], options: AlignOptions = {}): Panel[] {
  // a misspelt option or an unknown join ('innr') ran as the default, silently
  checkOptionNames<AlignOptions>('alignPanels options', options, ALIGN_OPTION_NAMES);
  if (options.dates !== undefined) checkOneOf('dates', options.dates, JOINS);
  if (options.assets !== undefined) checkOneOf('assets', options.assets, JOINS);
  const cal = (options.dates ?? 'inner') === 'inner' ? intersectAll(panels.map((p) => p.dates)) : unionAll(panels.map((p) => p.dates));
  let assets: string[];
  if ((options.assets ?? 'outer') === 'outer') {
    const seen = new Set<string>();
    assets = [];
    for (const p of panels)
      for (const a of p.assets)
        if (!seen.has(a)) {
          seen.add(a);
          assets.push(a);
        }
  } else {
    assets = panels.length === 0 ? [] : panels[0].assets.filter((a) => panels.every((p) => p.assetIndex(a) >= 0));
  }
  return panels.map((p) => reindexAssets(reindexPanel(p, cal), assets));
}

/** A panel and a frame on one calendar (`inner` by default). */
export function alignPanelFrame(panel: Panel, frame: Frame, how: JoinHow = 'inner'): { panel: Panel; frame: Frame } {
  checkOneOf('how', how, JOINS); // anything but 'inner' was an outer join
  const cal = how === 'inner' ? intersectAll([panel.dates, frame.dates]) : unionAll([panel.dates, frame.dates]);
  return { panel: reindexPanel(panel, cal), frame: reindexFrame(frame, cal) };
}

/** Frames on one calendar, their columns side by side (names must be distinct). */
export function joinFrames(frames: readonly Frame[], how: JoinHow = 'inner'): Frame {
  checkOneOf('how', how, JOINS); // anything but 'inner' was an outer join
  const cal = how === 'inner' ? intersectAll(frames.map((f) => f.dates)) : unionAll(frames.map((f) => f.dates));
  const re = frames.map((f) => reindexFrame(f, cal));
  return new Frame(
    cal,
    re.flatMap((f) => f.columns),
    re.flatMap((f) => f.series),
  );
}

/**
 * The panel as of each date of `dates` (another calendar, e.g. a price calendar's month ends):
 * per asset, the latest non-missing value dated on or before `dates[t]` and at most `maxAgeDays`
 * calendar days older than it, else NaN:
 *
 *     out[t, j] = x[s*, j],  s* = max { s : panel.dates[s] ≤ dates[t], x[s, j] not NaN },
 *     kept when dates[t] − panel.dates[s*] ≤ maxAgeDays.
 *
 * The way a sparse fundamentals file (each company on its own fiscal year end) becomes a factor
 * on a regular calendar, pandas `merge_asof(..., by=asset, tolerance=...)`. A value is never
 * taken from after the date it is used on. One pass over both calendars.
 */
export function asOfPanel(panel: Panel, dates: Calendar, maxAgeDays = Infinity): Panel {
  // an InputError (it was a RangeError; a string '5' compared as a number, silently)
  if (typeof maxAgeDays !== 'number' || !(maxAgeDays >= 0))
    throw new InputError(`maxAgeDays must be a number of calendar days >= 0 (or Infinity), got ${describeValue(maxAgeDays)}`, {
      options: ['maxAgeDays'],
    });
  checkCalendar('dates', dates);
  const m = panel.nAssets,
    x = panel.values,
    from = panel.dates;
  const out = new Float64Array(dates.length * m).fill(NaN);
  const last = new Float64Array(m).fill(NaN),
    lastDay = new Float64Array(m);
  let s = 0;
  for (let t = 0; t < dates.length; t++) {
    const day = dates[t];
    for (; s < from.length && from[s] <= day; s++) {
      const base = s * m;
      for (let j = 0; j < m; j++) {
        const v = x[base + j];
        if (v === v) {
          last[j] = v;
          lastDay[j] = from[s];
        }
      }
    }
    const base = t * m;
    for (let j = 0; j < m; j++) if (last[j] === last[j] && day - lastDay[j] <= maxAgeDays) out[base + j] = last[j];
  }
  return new Panel(dates, panel.assets, out);
}

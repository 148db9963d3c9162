/**
 * Alignment of panels and frames on a common calendar.
 *
 * Nothing is forward-filled unless asked: a date a dataset lacks becomes `NaN`.
 */
import { type Calendar, intersectAll, mapCalendar, unionAll } from './calendar.js';
import { Frame } from './frame.js';
import { Panel } from './panel.js';

export type JoinHow = 'inner' | 'outer';

export interface ReindexOptions {
  /** `none` (default): dates the source lacks are NaN. `ffill`: carry the last value forward. */
  fill?: 'none' | 'ffill';
  /** With `ffill`, carry a value at most this many rows (default: unlimited). */
  limit?: number;
}

/** The panel on another calendar: rows for dates it lacks are NaN (or forward-filled if asked). */
export function reindexPanel(panel: Panel, dates: Calendar, options: ReindexOptions = {}): Panel {
  const rowOf = mapCalendar(dates, panel.dates);
  const m = panel.nAssets;
  const out = new Float64Array(dates.length * m).fill(NaN);
  for (let t = 0; t < dates.length; t++) {
    const s = rowOf[t];
    if (s >= 0) out.set(panel.values.subarray(s * m, (s + 1) * m), t * m);
  }
  const result = new Panel(dates, panel.assets, out);
  return options.fill === 'ffill' ? forwardFill(result, options.limit) : result;
}

/** The frame on another calendar (NaN for dates it lacks, or forward-filled if asked). */
export function reindexFrame(frame: Frame, dates: Calendar, options: ReindexOptions = {}): Frame {
  const rowOf = mapCalendar(dates, frame.dates);
  const series = frame.series.map((s) => {
    const out = new Float64Array(dates.length);
    for (let t = 0; t < dates.length; t++) out[t] = rowOf[t] >= 0 ? s[rowOf[t]] : NaN;
    if (options.fill === 'ffill') ffillSeries(out, options.limit ?? Infinity);
    return out;
  });
  return new Frame(dates, frame.columns, series);
}

/** The panel with the given assets (missing ones all NaN), in the given order. */
export function reindexAssets(panel: Panel, assets: readonly string[]): Panel {
  const n = panel.nDates, m = panel.nAssets, k = assets.length;
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
  const n = panel.nDates, m = panel.nAssets;
  const out = panel.values.slice();
  const last = new Float64Array(m).fill(NaN);
  const age = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    const base = t * m;
    for (let j = 0; j < m; j++) {
      const v = out[base + j];
      if (v === v) { last[j] = v; age[j] = 0; }
      else if (last[j] === last[j] && age[j] < limit) { out[base + j] = last[j]; age[j]++; }
    }
  }
  return new Panel(panel.dates, panel.assets, out);
}

function ffillSeries(s: Float64Array, limit: number): void {
  let last = NaN, age = 0;
  for (let t = 0; t < s.length; t++) {
    if (s[t] === s[t]) { last = s[t]; age = 0; }
    else if (last === last && age < limit) { s[t] = last; age++; }
  }
}

export interface AlignOptions {
  /** Dates: `inner` (default) keeps dates every input has; `outer` keeps any date. */
  dates?: JoinHow;
  /** Assets (panels only): `inner` keeps assets every panel has; `outer` (default) keeps any. */
  assets?: JoinHow;
}

/** Panels on one calendar and one asset list. */
export function alignPanels(panels: readonly Panel[], options: AlignOptions = {}): Panel[] {
  const cal = (options.dates ?? 'inner') === 'inner' ? intersectAll(panels.map((p) => p.dates)) : unionAll(panels.map((p) => p.dates));
  let assets: string[];
  if ((options.assets ?? 'outer') === 'outer') {
    const seen = new Set<string>();
    assets = [];
    for (const p of panels) for (const a of p.assets) if (!seen.has(a)) { seen.add(a); assets.push(a); }
  } else {
    assets = panels.length === 0 ? [] : panels[0].assets.filter((a) => panels.every((p) => p.assetIndex(a) >= 0));
  }
  return panels.map((p) => reindexAssets(reindexPanel(p, cal), assets));
}

/** A panel and a frame on one calendar (`inner` by default). */
export function alignPanelFrame(panel: Panel, frame: Frame, how: JoinHow = 'inner'): { panel: Panel; frame: Frame } {
  const cal = how === 'inner' ? intersectAll([panel.dates, frame.dates]) : unionAll([panel.dates, frame.dates]);
  return { panel: reindexPanel(panel, cal), frame: reindexFrame(frame, cal) };
}

/** Frames on one calendar, their columns side by side (names must be distinct). */
export function joinFrames(frames: readonly Frame[], how: JoinHow = 'inner'): Frame {
  const cal = how === 'inner' ? intersectAll(frames.map((f) => f.dates)) : unionAll(frames.map((f) => f.dates));
  const re = frames.map((f) => reindexFrame(f, cal));
  return new Frame(cal, re.flatMap((f) => f.columns), re.flatMap((f) => f.series));
}

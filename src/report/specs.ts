/**
 * The few Vega-Lite chart shapes the reports use, as spec builders over columnar data. Column
 * names from users (factor names, groups) never become Vega field names: series are stored under
 * safe keys (`s0`, `s1`, ...) and folded, with a lookup giving back the display names, so a
 * factor called "HML (devil)" or "a.b" cannot break a field reference.
 */
import { tryParseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import type { Columns, VegaLiteSpec } from './document.js';

export interface SeriesColumns {
  /** `date` plus `s0..s{k-1}`. */
  data: Columns;
  /** Safe key → display name. */
  names: Record<string, string>;
}

/**
 * Wide series under safe keys: date + one column per series. The dates must be yyyy-mm-dd texts in
 * increasing order and each series one value per date (an InputError otherwise: a result file
 * edited by hand drew a line back through time, or a date Vega could not parse as a gap).
 */
export function seriesColumns(
  dates: readonly string[],
  series: readonly { name: string; values: readonly (number | null)[] }[],
): SeriesColumns {
  let previous = -Infinity;
  dates.forEach((d, i) => {
    const day = typeof d === 'string' ? tryParseIsoDate(d) : NaN;
    if (!(day > previous))
      throw new InputError(
        Number.isNaN(day)
          ? `date ${i + 1} of a chart's series is ${JSON.stringify(d) ?? String(d)}, not a yyyy-mm-dd date`
          : `date ${i + 1} of a chart's series, ${d}, is not after the date before it (${dates[i - 1]})`,
      );
    previous = day;
  });
  for (const s of series)
    if (s.values.length !== dates.length)
      throw new InputError(`the series ${s.name} has ${s.values.length} values for ${dates.length} dates`);
  const data: Columns = { date: dates.slice() };
  const names: Record<string, string> = {};
  series.forEach((s, i) => {
    data[`s${i}`] = s.values.map((v) => (v === null || !Number.isFinite(v) ? null : v));
    names[`s${i}`] = s.name;
  });
  return { data, names };
}

/** A Vega expression string literal. */
export function vegaString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The name of the parameter that holds the safe key → display name table of a {@link lineChart}. */
export const SERIES_NAMES = 'series_names';

/**
 * Transforms that fold the safe series keys into rows (key, value) and add `series` (the display
 * name) from the parameter {@link SERIES_NAMES}: the names are a parameter value, not text inside
 * the expression, so the compiled chart is the same for any names (template.ts).
 */
export function foldTransforms(names: Record<string, string>, valueAs = 'value'): Record<string, unknown>[] {
  return [
    { fold: Object.keys(names), as: ['key', valueAs] },
    { calculate: `${SERIES_NAMES}[datum.key]`, as: 'series' },
  ];
}

/**
 * A tooltip's date on a chart whose x is DATE_X: temporal, shown as yyyy-mm-dd (UTC). The x
 * encoding parses the rows' date text into a time, so a nominal tooltip field showed the
 * timestamp ("date 1.539e+12").
 */
export function dateTooltip(title = 'date'): Record<string, unknown> {
  return { field: 'date', type: 'temporal', timeUnit: 'utcyearmonthdate', title, format: '%Y-%m-%d' };
}

export const DATE_X = {
  field: 'date',
  type: 'temporal',
  timeUnit: 'utcyearmonthdate',
  title: null,
  // a label per tick's own unit (Vega's multi-format): month and year ticks "Feb 2021", week and day
  // ticks "17 Feb" — a fixed "%b %Y" labelled every weekly tick of a short sample with its month
  // ("Jan 2021, Jan 2021, Jan 2021, Feb 2021, ...")
  axis: {
    labelOverlap: true,
    // labels that merely touch are not overlapping to Vega: "2006200720082009" on a half-width
    // chart of 12 years; a gap of 8 px drops every other label instead
    labelSeparation: 8,
    grid: false,
    // dates have no time of day: a tick between two dates (12-hour ticks on a two-day axis) gets no
    // label rather than a made-up "01 Dec 12:00"
    format: {
      year: '%Y',
      quarter: '%b %Y',
      month: '%b %Y',
      week: '%d %b',
      date: '%d %b',
      hours: ' ',
      minutes: ' ',
      seconds: ' ',
      milliseconds: ' ',
    },
  },
} as const;

/**
 * Series colours: the house palette (compile.ts CONFIG.range.category, whose 8th is grey) and
 * then its light variants, 20 in all, so that up to 20 series never share a colour (the palette
 * alone repeated from the 11th). Beyond 20 the colours repeat.
 */
export const SERIES_COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#aec7e8',
  '#ff9896',
  '#98df8a',
  '#ffbb78',
  '#c5b0d5',
  '#c49c94',
  '#f7b6d2',
  '#c7c7c7',
  '#dbdb8d',
  '#9edae5',
] as const;

/** n colours for parts that are not "the rest": {@link SERIES_COLORS} without its two greys (grey is kept for "specific", "other"). */
export function partColors(n: number): string[] {
  const pool = SERIES_COLORS.filter((c) => c !== '#7f7f7f' && c !== '#c7c7c7');
  return Array.from({ length: n }, (_, i) => pool[i % pool.length]);
}

/**
 * A constant reference mark (the y = 0 rule, the ±2 band) drawn from one datum of its own: a
 * layer without data inherits the chart's rows and draws its rule once per row (2,966 identical
 * lines in a daily IC chart); its own one-row data source (not filtered by the chart's transforms)
 * draws it once. `encoding` holds `datum` channels only.
 */
export function referenceLayer(mark: Record<string, unknown>, encoding: Record<string, unknown>): Record<string, unknown> {
  return { data: { values: [{}] }, mark, encoding };
}

/**
 * The name of a layer that only serves the hover: an invisible mark per row (opacity 0 until the
 * pointer is nearest to it) carrying the tooltip, and the Voronoi cells of its `nearest` selection.
 * Vega-Lite names its marks `hover_marks` and `hover_voronoi`; a static SVG leaves them out
 * (svg.ts), the page keeps them. One such layer per chart (Vega-Lite names must be unique).
 */
export const HOVER_LAYER = 'hover';

/** `layer` named {@link HOVER_LAYER}. */
export function hoverLayer(layer: Record<string, unknown>): Record<string, unknown> {
  return { name: HOVER_LAYER, ...layer };
}

/** Vega-Lite number formats by unit. */
export const FORMAT = { pct: '.2%', pct1: '.1%', num: ',.4~g', bp: ',.1f' } as const;

export interface LineOptions {
  yTitle: string;
  yFormat?: string;
  /** Draw y = 0. */
  zero?: boolean;
  /** Colour legend title. */
  legend?: string | null;
  height?: number;
  /** Dashed series (display names). */
  dashed?: readonly string[];
  /** Fixed colours per display name (in order of the series). */
  colors?: readonly string[];
  logY?: boolean;
}

/** Lines through time, one per series, with a hover rule showing every series' value on a date. */
export function lineChart(s: SeriesColumns, o: LineOptions): VegaLiteSpec {
  const names = Object.values(s.names);
  // the series' order is the colour scale's domain (an explicit domain, not a sort array, which
  // Vega-Lite would write into an expression per name)
  const color = {
    field: 'series',
    type: 'nominal',
    title: o.legend ?? null,
    scale: o.colors
      ? { domain: names, range: o.colors }
      : names.length > 10
        ? { domain: names, range: names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) }
        : { domain: names },
    ...(names.length === 1 ? { legend: null } : {}),
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    title: o.yTitle,
    axis: { format: o.yFormat ?? FORMAT.num },
    scale: o.logY ? { type: 'log', nice: false } : { zero: false },
  };
  const keys = Object.keys(s.names);
  const layers: Record<string, unknown>[] = [
    {
      // a missing value breaks the line (a gap), never a straight line drawn across the dates
      // that have no value (a filter of the missing rows drew one)
      transform: foldTransforms(s.names),
      mark: { type: 'line', interpolate: 'linear', invalid: 'break-paths-filter-domains' },
      encoding: {
        x: DATE_X,
        y,
        color,
        ...(o.dashed && o.dashed.length > 0
          ? { strokeDash: { condition: { test: 'indexof(dashed_series, datum.series) >= 0', value: [5, 3] }, value: [1, 0] } }
          : {}),
      },
    },
    hoverLayer({
      // one hover rule per date on the wide rows (not one point per date and series): its tooltip
      // lists every series of the date
      mark: { type: 'rule', color: '#888', strokeWidth: 1 },
      params: [{ name: 'hover', select: { type: 'point', encodings: ['x'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
      encoding: {
        x: DATE_X,
        opacity: { condition: { param: 'hover', empty: false, value: 0.7 }, value: 0 },
        tooltip: [
          dateTooltip(),
          ...keys.map((k) => ({ field: k, type: 'quantitative', title: s.names[k], format: o.yFormat ?? FORMAT.num })),
        ],
      },
    }),
  ];
  if (o.zero) layers.unshift(referenceLayer({ type: 'rule', color: '#999', strokeWidth: 1 }, { y: { datum: 0 } }));
  const params = [
    { name: SERIES_NAMES, value: s.names },
    ...(o.dashed && o.dashed.length > 0 ? [{ name: 'dashed_series', value: [...o.dashed] }] : []),
  ];
  return { params, height: o.height ?? 220, layer: layers };
}

export interface BarOptions {
  /** Field of the categories (one bar, or one group of bars, each). */
  category: string;
  categoryTitle: string | null;
  value: string;
  valueTitle: string;
  valueFormat?: string;
  /** Second category: bars side by side within each category, coloured. */
  series?: string;
  seriesTitle?: string;
  /** Horizontal bars (categories on y). */
  horizontal?: boolean;
  /** Category order (default: the data's). */
  sort?: readonly string[] | null;
  colors?: readonly string[];
  seriesSort?: readonly string[];
  height?: number;
  /** Error bar half-width field (e.g. standard errors). */
  error?: string;
  extraTooltip?: { field: string; title: string; format?: string; type?: string }[];
  /** Colour bars by sign (no series). */
  signColor?: boolean;
}

/** Bars (grouped when `series` is given), with a zero rule and tooltips. */
export function barChart(o: BarOptions): VegaLiteSpec {
  // a given category order is the scale's domain (not a sort array: see template.ts)
  const cat = {
    field: o.category,
    type: 'nominal',
    title: o.categoryTitle,
    sort: null,
    ...(o.sort ? { scale: { domain: [...o.sort] } } : {}),
    axis: { labelLimit: 160 },
  };
  const val = { field: o.value, type: 'quantitative', title: o.valueTitle, axis: { format: o.valueFormat ?? FORMAT.num } };
  const color = o.series
    ? {
        field: o.series,
        type: 'nominal',
        title: o.seriesTitle ?? null,
        sort: o.seriesSort ?? null,
        ...(o.colors ? { scale: { range: o.colors } } : {}),
      }
    : o.signColor
      ? { condition: { test: `datum[${vegaString(o.value)}] < 0`, value: '#d62728' }, value: '#1f77b4' }
      : { value: '#1f77b4' };
  const tooltip = [
    { field: o.category, type: 'nominal', title: o.categoryTitle ?? o.category },
    ...(o.series ? [{ field: o.series, type: 'nominal', title: o.seriesTitle ?? o.series }] : []),
    { field: o.value, type: 'quantitative', title: o.valueTitle, format: o.valueFormat ?? FORMAT.num },
    ...(o.error ? [{ field: o.error, type: 'quantitative', title: 'standard error', format: o.valueFormat ?? FORMAT.num }] : []),
    ...(o.extraTooltip ?? []).map((t) => ({ type: 'quantitative', ...t })),
  ];
  const offset = o.series
    ? { [o.horizontal ? 'yOffset' : 'xOffset']: { field: o.series, type: 'nominal', sort: o.seriesSort ?? null } }
    : {};
  const enc = o.horizontal ? { y: cat, x: val } : { x: cat, y: val };
  const layers: Record<string, unknown>[] = [
    referenceLayer({ type: 'rule', color: '#999' }, o.horizontal ? { x: { datum: 0 } } : { y: { datum: 0 } }),
    { mark: { type: 'bar' }, encoding: { ...enc, ...offset, color, tooltip } },
  ];
  if (o.error) {
    const lo = `${o.value}_lo`,
      hi = `${o.value}_hi`;
    layers.push({
      transform: [
        { calculate: `datum[${vegaString(o.value)}] - 2 * datum[${vegaString(o.error)}]`, as: lo },
        { calculate: `datum[${vegaString(o.value)}] + 2 * datum[${vegaString(o.error)}]`, as: hi },
        { filter: `isValid(datum[${vegaString(o.error)}])` },
      ],
      mark: { type: 'rule', color: '#333' },
      encoding: o.horizontal
        ? { y: cat, ...offset, x: { field: lo, type: 'quantitative' }, x2: { field: hi } }
        : { x: cat, ...offset, y: { field: lo, type: 'quantitative' }, y2: { field: hi } },
    });
  }
  return { ...(o.height !== undefined ? { height: o.height } : {}), layer: layers };
}

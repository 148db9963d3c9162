/**
 * Vega-Lite → Vega, in Node (or anywhere): each chart's spec gets the house style, its width and
 * the named data source `table`, and is compiled once when the report is built, so the page only
 * needs the Vega runtime. The chart's rows are put into the compiled spec's `table` dataset when it
 * is drawn (in the page from the inlined columns, in svg.ts directly).
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartBlock } from './document.js';
import { columnsToRows } from './compact.js';

/** Widths in CSS pixels of a whole chart, axes and legend included (full: one per row; half: two per row). */
export const CHART_WIDTH = { full: 880, half: 430 } as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** The house style: quiet axes, no view border, readable labels, a colour-blind-safe palette. */
export const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 4,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', titleColor: '#444', labelColor: '#444', gridColor: '#eceff3', domainColor: '#999', tickColor: '#999' },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', orient: 'top', direction: 'horizontal' },
  header: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 12, fontWeight: 'normal', anchor: 'start' },
  range: { category: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'] },
  line: { strokeWidth: 1.5 },
  bar: { discreteBandSize: { band: 0.8 } },
} as const;

export type VegaSpec = Record<string, unknown>;

function hasFacet(spec: Record<string, unknown>): boolean {
  return 'facet' in spec || 'concat' in spec || 'hconcat' in spec || 'vconcat' in spec || 'repeat' in spec;
}

/** The Vega-Lite spec of a chart as compiled: style, width (unless the spec sets one), data source `table`. */
export function fullSpec(chart: ChartBlock): TopLevelSpec {
  const spec = { ...chart.spec };
  const sized = hasFacet(spec) || 'width' in spec;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(sized ? {} : { width: CHART_WIDTH[chart.width], autosize: { type: 'fit-x', contains: 'padding' } }),
    ...spec,
    data: { name: 'table' },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

/**
 * Vega-Lite's logger, silenced: its warnings ("Dropping fit-y because spec has discrete height")
 * are about our specs, not the user's data, and must not reach the CLI's stderr. Errors still throw.
 */
interface QuietLogger { level(): number; error(...args: readonly unknown[]): never; warn(): QuietLogger; info(): QuietLogger; debug(): QuietLogger }
const QUIET: QuietLogger = {
  level(): number { return 0; },
  error(...args: readonly unknown[]): never { throw new Error(`vega-lite: ${args.map(String).join(' ')}`); },
  warn(): QuietLogger { return QUIET; },
  info(): QuietLogger { return QUIET; },
  debug(): QuietLogger { return QUIET; },
};

/** The compiled Vega spec of a chart, without data. */
export function compileChart(chart: ChartBlock): VegaSpec {
  return compile(fullSpec(chart), { logger: QUIET as unknown as NonNullable<Parameters<typeof compile>[1]>['logger'] }).spec as unknown as VegaSpec;
}

/** A copy of a compiled spec with the chart's rows in its `table` dataset. */
export function withRows(vegaSpec: VegaSpec, rows: Record<string, unknown>[]): VegaSpec {
  const data = (vegaSpec.data as { name: string; values?: unknown }[] | undefined) ?? [];
  return { ...vegaSpec, data: data.map((d) => (d.name === 'table' ? { ...d, values: rows } : d)) };
}

/** The compiled spec of a chart with its own data in it. */
export function compileWithData(chart: ChartBlock): VegaSpec {
  return withRows(compileChart(chart), columnsToRows(chart.data));
}

/**
 * Vega-Lite → Vega: each chart's spec gets the house style, its width and the named data source
 * `table`, and is turned into Vega once when the report is built, so the page only needs the Vega
 * runtime. The compile itself normally happened when factorlab was built: the chart's shape is
 * looked up in the table of compiled templates and its holes filled in (template.ts); only a
 * chart whose shape is not in the table needs the Vega-Lite compiler, which is then loaded (it
 * loads all of Vega: ~0.4 s) and run. The chart's rows are put into the compiled spec's `table`
 * dataset when it is drawn (in the page from the inlined columns, in svg.ts directly).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartBlock } from './document.js';
import { columnsToRows } from './compact.js';
import { abstractSpec, fillHoles, holesFillable, shapeKey, type Json } from './template.js';
import { TEMPLATES } from './templates.generated.js';

/** Widths in CSS pixels of a whole chart, axes and legend included (full: one per row; half: two per row). */
export const CHART_WIDTH = { full: 880, half: 430 } as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** The house style: quiet axes, no view border, readable labels, a colour-blind-safe palette. */
export const CONFIG = {
  font: FONT,
  background: 'white',
  padding: 4,
  view: { stroke: null },
  axis: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal',
    titleColor: '#444',
    labelColor: '#444',
    gridColor: '#eceff3',
    domainColor: '#999',
    tickColor: '#999',
    // labels that touch ("−0.10" against "0") read as one number: Vega drops labels closer than this
    labelSeparation: 4,
  },
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
interface QuietLogger {
  level(): number;
  error(...args: readonly unknown[]): never;
  warn(): QuietLogger;
  info(): QuietLogger;
  debug(): QuietLogger;
}
const QUIET: QuietLogger = {
  level(): number {
    return 0;
  },
  error(...args: readonly unknown[]): never {
    throw new Error(`vega-lite: ${args.map(String).join(' ')}`);
  },
  warn(): QuietLogger {
    return QUIET;
  },
  info(): QuietLogger {
    return QUIET;
  },
  debug(): QuietLogger {
    return QUIET;
  },
};

/** Vega-Lite → Vega for one full spec (the runtime fallback, and the template generator's compiler). */
export type VegaLiteCompiler = (spec: TopLevelSpec) => VegaSpec;

let compiler: Promise<VegaLiteCompiler> | undefined;

/** The Vega-Lite compiler, loaded on first use (with its id counter reset before each compile, so output does not depend on what was compiled before). */
export function vegaLiteCompiler(): Promise<VegaLiteCompiler> {
  compiler ??= import('vega-lite').then((vl) => (spec: TopLevelSpec): VegaSpec => {
    vl.resetIdCounter();
    return vl.compile(spec, { logger: QUIET as unknown as NonNullable<Parameters<typeof vl.compile>[1]>['logger'] })
      .spec as unknown as VegaSpec;
  });
  return compiler;
}

/** The compiled Vega spec of a chart from the template table, or undefined when its shape is not there. */
export function compileFromTemplate(chart: ChartBlock): VegaSpec | undefined {
  const { shape, holes } = abstractSpec(fullSpec(chart) as unknown as Json);
  const t = TEMPLATES[shapeKey(shape)];
  return t === undefined || !holesFillable(holes) ? undefined : (fillHoles(t, holes) as VegaSpec);
}

/** The drawn charts of a list whose shape is not in the template table (they need the Vega-Lite compiler). */
export function chartsWithoutTemplate(charts: readonly ChartBlock[]): ChartBlock[] {
  return charts.filter((c) => {
    if (c.empty !== undefined) return false;
    const { shape, holes } = abstractSpec(fullSpec(c) as unknown as Json);
    return TEMPLATES[shapeKey(shape)] === undefined || !holesFillable(holes);
  });
}

/**
 * The compiled Vega spec of a chart, without data: from the template table, else from `compile`
 * (see {@link vegaLiteCompiler}); without either it throws.
 */
export function compileChart(chart: ChartBlock, compile?: VegaLiteCompiler): VegaSpec {
  const t = compileFromTemplate(chart);
  if (t !== undefined) return t;
  if (compile === undefined)
    throw new Error(`chart ${chart.id}: its shape is not in the compiled templates and no Vega-Lite compiler was given`);
  return compile(fullSpec(chart));
}

/**
 * A copy of a compiled spec with the chart's rows in its `table` dataset. The rows of its other
 * inline datasets (a reference rule's one datum) are copied too: Vega tags every row it reads with
 * an id, and Vega-Lite's output holds the very objects of the chart's spec.
 */
export function withRows(vegaSpec: VegaSpec, rows: Record<string, unknown>[]): VegaSpec {
  const data = (vegaSpec.data as { name: string; values?: unknown }[] | undefined) ?? [];
  const copy = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(v as object) } : v);
  return {
    ...vegaSpec,
    data: data.map((d) =>
      d.name === 'table' ? { ...d, values: rows } : Array.isArray(d.values) ? { ...d, values: d.values.map(copy) } : d,
    ),
  };
}

/** The compiled spec of a chart with its own data in it. */
export function compileWithData(chart: ChartBlock, compile?: VegaLiteCompiler): VegaSpec {
  return withRows(compileChart(chart, compile), columnsToRows(chart.data));
}

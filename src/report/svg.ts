/**
 * Each chart as a standalone SVG, drawn by Vega's headless renderer (`View.toSVG()`: no DOM, no
 * canvas). Vega numbers its clip paths and gradients with a counter that restarts in every process
 * (`clip1`, ...), so two SVGs from different runs pasted into one page would clip each other's
 * marks; every id (and every reference to it) is renumbered and prefixed with the chart id and a
 * hash of the chart's SVG text (see {@link uniqueSvgIds}).
 */
import { parse, View } from 'vega';
import type { ChartBlock, ReportDocument } from './document.js';
import { chartsOf } from './document.js';
import { chartsWithoutTemplate, compileWithData, vegaLiteCompiler, type VegaLiteCompiler } from './compile.js';

/** FNV-1a 32-bit hash of a string, base 36. */
export function hashText(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Every id `x` defined in an SVG renamed to `rename(x)`, with its `url(#x)` and `href="#x"` references. */
export function renameSvgIds(svg: string, rename: (id: string, index: number) => string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], rename(m[1], ids.size));
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (all, a: string, id: string) => `${a}${ids.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : all))
    .replace(/(href=")#([^"]+)"/g, (all, a: string, id: string) => (ids.has(id) ? `${a}#${ids.get(id)}"` : all));
}

/** Every `id="x"` in an SVG becomes `id="P-x"`, with `url(#x)` and `href="#x"` references to match. */
export function prefixSvgIds(svg: string, prefix: string): string {
  return renameSvgIds(svg, (id) => `${prefix}-${id}`);
}

/**
 * Vega's ids (`clip7`: a per-process counter) renumbered by order of appearance, then prefixed
 * with the chart id and a hash of that text: the same chart gives the same SVG in any process,
 * and different charts (or the same chart on other data) never share an id.
 */
export function uniqueSvgIds(svg: string, chartId: string): string {
  const normal = renameSvgIds(svg, (_, i) => `i${i}`);
  return prefixSvgIds(normal, `${chartId}-${hashText(normal)}`);
}

/** One chart's standalone SVG (ids prefixed). */
export async function chartSvg(chart: ChartBlock, compile?: VegaLiteCompiler): Promise<string> {
  const fallback = compile ?? (chartsWithoutTemplate([chart]).length > 0 ? await vegaLiteCompiler() : undefined);
  const view = new View(parse(compileWithData(chart, fallback) as Parameters<typeof parse>[0]), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return uniqueSvgIds(svg, chart.id);
  } finally {
    view.finalize();
  }
}

/** Every drawn chart of a document (charts marked empty are left out) with its SVG text. */
export async function documentSvgs(doc: ReportDocument): Promise<{ id: string; title: string; svg: string }[]> {
  const out: { id: string; title: string; svg: string }[] = [];
  const charts = chartsOf(doc);
  const compile = chartsWithoutTemplate(charts).length > 0 ? await vegaLiteCompiler() : undefined;
  for (const c of charts) {
    if (c.empty !== undefined) continue;
    out.push({ id: c.id, title: c.title, svg: await chartSvg(c, compile) });
  }
  return out;
}

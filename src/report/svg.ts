/**
 * Each chart as a standalone SVG, drawn by Vega's headless renderer (`View.toSVG()`: no DOM, no
 * canvas). Vega numbers its clip paths and gradients from 1 in every process (`clip1`, ...), so two
 * SVGs from different runs pasted into one page would clip each other's marks; every id (and every
 * reference to it) gets a prefix made of the chart id and a hash of the SVG text.
 */
import { parse, View } from 'vega';
import type { ChartBlock, ReportDocument } from './document.js';
import { chartsOf } from './document.js';
import { compileWithData } from './compile.js';

/** FNV-1a 32-bit hash of a string, base 36. */
export function hashText(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Every `id="x"` in an SVG becomes `id="P-x"`, with `url(#x)` and `href="#x"` references to match. */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, a: string, id: string) => `${a}${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : all))
    .replace(/(href=")#([^"]+)"/g, (all, a: string, id: string) => (ids.has(id) ? `${a}#${prefix}-${id}"` : all));
}

/** One chart's standalone SVG (ids prefixed). */
export async function chartSvg(chart: ChartBlock): Promise<string> {
  const view = new View(parse(compileWithData(chart) as Parameters<typeof parse>[0]), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return prefixSvgIds(svg, `${chart.id}-${hashText(svg)}`);
  } finally {
    view.finalize();
  }
}

/** Every drawn chart of a document (charts marked empty are left out) with its SVG text. */
export async function documentSvgs(doc: ReportDocument): Promise<{ id: string; title: string; svg: string }[]> {
  const out: { id: string; title: string; svg: string }[] = [];
  for (const c of chartsOf(doc)) {
    if (c.empty !== undefined) continue;
    out.push({ id: c.id, title: c.title, svg: await chartSvg(c) });
  }
  return out;
}

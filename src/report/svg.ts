/**
 * Each chart as a standalone SVG, drawn by Vega's headless renderer (`View.toSVG()`: no DOM, no
 * canvas). Vega numbers its clip paths and gradients with a counter that restarts in every process
 * (`clip1`, ...), so two SVGs from different runs pasted into one page would clip each other's
 * marks; every id (and every reference to it) is renumbered and prefixed with the chart id and a
 * hash of the chart's SVG text (see {@link uniqueSvgIds}). The hover layer of a chart, which only
 * serves the pointer in the page, is left out (see {@link dropHoverMarks}).
 */
import { parse, View } from 'vega';
import type { ChartBlock, ReportDocument } from './document.js';
import { chartsOf } from './document.js';
import { chartsWithoutTemplate, compileWithData, vegaLiteCompiler, type VegaLiteCompiler, type VegaSpec } from './compile.js';
import { HOVER_LAYER } from './specs.js';

/** FNV-1a 32-bit hash of a string, base 36. */
export function hashText(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * An SVG text cut at its ids: `texts[0] id0 texts[1] id1 ...`, where each `idK` is an occurrence of
 * a defined id (`id="x"`) or of a reference to one (`url(#x)`, `href="#x"`), given as the id's index
 * in order of definition (`ids`). References to ids the SVG does not define stay in the texts.
 */
interface SvgIdCuts {
  ids: string[];
  texts: string[];
  refs: number[];
}

const ID_OR_REFERENCE = /\sid="([^"]+)"|url\(#([^)]+)\)|href="#([^"]+)"/g;

/** One regex pass over the text (the definitions and references of a Vega SVG are few; the text is megabytes). */
function cutSvgIds(svg: string): SvgIdCuts {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const starts: number[] = [],
    found: string[] = [];
  for (const m of svg.matchAll(ID_OR_REFERENCE)) {
    const id = m[1] ?? m[2] ?? m[3];
    if (m[1] !== undefined && !index.has(id)) {
      index.set(id, ids.length);
      ids.push(id);
    }
    // every alternative ends with the id and one closing character
    starts.push((m.index ?? 0) + m[0].length - 1 - id.length);
    found.push(id);
  }
  const texts: string[] = [],
    refs: number[] = [];
  let last = 0;
  for (let k = 0; k < starts.length; k++) {
    const i = index.get(found[k]);
    if (i === undefined) continue;
    texts.push(svg.slice(last, starts[k]));
    refs.push(i);
    last = starts[k] + found[k].length;
  }
  texts.push(svg.slice(last));
  return { ids, texts, refs };
}

function joinSvgIds(cuts: SvgIdCuts, names: readonly string[]): string {
  const out: string[] = [cuts.texts[0]];
  for (let k = 0; k < cuts.refs.length; k++) out.push(names[cuts.refs[k]], cuts.texts[k + 1]);
  return out.join('');
}

/** Every id `x` defined in an SVG renamed to `rename(x)`, with its `url(#x)` and `href="#x"` references. */
export function renameSvgIds(svg: string, rename: (id: string, index: number) => string): string {
  const cuts = cutSvgIds(svg);
  return cuts.ids.length === 0 ? svg : joinSvgIds(cuts, cuts.ids.map(rename));
}

/** Every `id="x"` in an SVG becomes `id="P-x"`, with `url(#x)` and `href="#x"` references to match. */
export function prefixSvgIds(svg: string, prefix: string): string {
  return renameSvgIds(svg, (id) => `${prefix}-${id}`);
}

/**
 * Vega's ids (`clip7`: a per-process counter) renumbered by order of appearance, then prefixed
 * with the chart id and a hash of that text: the same chart gives the same SVG in any process,
 * and different charts (or the same chart on other data) never share an id. The text is scanned
 * once and joined twice (it was five regex passes over the whole text).
 */
export function uniqueSvgIds(svg: string, chartId: string): string {
  const cuts = cutSvgIds(svg);
  if (cuts.ids.length === 0) return svg;
  const numbered = cuts.ids.map((_, i) => `i${i}`);
  const prefix = `${chartId}-${hashText(joinSvgIds(cuts, numbered))}`;
  return joinSvgIds(
    cuts,
    numbered.map((n) => `${prefix}-${n}`),
  );
}

/** A node of Vega's scenegraph: a mark (`marktype`, `name`, its `items`) or an item (a group item's `items` are its marks). */
interface SceneNode {
  marktype?: string;
  name?: string;
  items?: SceneNode[];
}

const HOVER_MARKS = new Set([`${HOVER_LAYER}_marks`, `${HOVER_LAYER}_voronoi`]);

/**
 * Takes the marks of the hover layer ({@link HOVER_LAYER}: the invisible rule or points carrying
 * the tooltip, one per row, and the Voronoi cells of its nearest-point selection) out of a laid-out
 * scenegraph, at any depth; returns how many marks it took out. A static SVG has no pointer: those
 * marks draw nothing (opacity 0, transparent cells) and were two thirds of a time-series chart's
 * bytes. They are taken out after the layout, not from the spec, because their bounds take part
 * in it (the Voronoi cells reach 0.7 px past the plot, which set the height of an IC chart): the
 * SVG keeps the page's size and origin, pixel for pixel.
 */
export function dropHoverMarks(root: SceneNode): number {
  let dropped = 0;
  const visit = (mark: SceneNode): void => {
    for (const item of mark.items ?? []) {
      if (!Array.isArray(item.items)) continue;
      const kept = item.items.filter((m) => !(m.marktype !== undefined && m.name !== undefined && HOVER_MARKS.has(m.name)));
      dropped += item.items.length - kept.length;
      item.items = kept;
      for (const m of kept) visit(m);
    }
  };
  visit(root);
  return dropped;
}

/**
 * The compiled spec of a chart as a static SVG draws it: a hover rule per row and its Voronoi cells
 * (the time-series charts' hover layer, at the top level) are replaced by one transparent path
 * around the plot, named like the cells. The cells tile the plot ([0, width] × [0, height], their
 * stroke 0.35 px reaching past it), so the one path has the bounds they had and the layout (size,
 * origin) is the one the page computes, without a scenegraph item and a Voronoi cell per row;
 * {@link dropHoverMarks} then takes the path out. Any other hover layer (points, or inside a facet)
 * is left for {@link dropHoverMarks} alone.
 */
export function staticSpec(spec: VegaSpec): VegaSpec {
  const marks = spec.marks as VegaSpec[] | undefined;
  if (!Array.isArray(marks)) return spec;
  const rule = marks.find((m) => m.name === `${HOVER_LAYER}_marks` && m.type === 'rule');
  const cells = marks.find((m) => m.name === `${HOVER_LAYER}_voronoi`);
  const voronoi = (cells?.transform as VegaSpec[] | undefined)?.[0];
  const plotSized =
    voronoi?.type === 'voronoi' &&
    JSON.stringify(voronoi.size) === JSON.stringify([{ signal: 'width' }, { signal: 'height' }]) &&
    (cells?.from as VegaSpec | undefined)?.data === rule?.name;
  if (rule === undefined || cells === undefined || !plotSized) return spec;
  const update = ((cells.encode as VegaSpec | undefined)?.update ?? {}) as VegaSpec;
  const source = `${HOVER_LAYER}_bounds`;
  const outline: VegaSpec = {
    name: cells.name,
    type: 'path',
    from: { data: source },
    encode: {
      update: {
        path: { signal: "'M0,0h' + width + 'v' + height + 'h' + (-width) + 'Z'" },
        fill: update.fill,
        stroke: update.stroke,
        strokeWidth: update.strokeWidth,
      },
    },
  };
  return {
    ...spec,
    data: [...((spec.data as VegaSpec[] | undefined) ?? []), { name: source, values: [{}] }],
    marks: marks.filter((m) => m !== rule).map((m) => (m === cells ? outline : m)),
  };
}

/** One chart's standalone SVG (ids prefixed). */
export async function chartSvg(chart: ChartBlock, compile?: VegaLiteCompiler): Promise<string> {
  const fallback = compile ?? (chartsWithoutTemplate([chart]).length > 0 ? await vegaLiteCompiler() : undefined);
  const spec = staticSpec(compileWithData(chart, fallback));
  const view = new View(parse(spec as Parameters<typeof parse>[0]), { renderer: 'none' });
  try {
    await view.runAsync();
    dropHoverMarks((view.scenegraph() as unknown as { root: SceneNode }).root);
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

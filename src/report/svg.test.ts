import fc from 'fast-check';
import { parse, View } from 'vega';
import { describe, expect, it } from 'vitest';
import { chartSvg, dropHoverMarks, hashText, prefixSvgIds, renameSvgIds, uniqueSvgIds } from './svg.js';
import type { ChartBlock } from './document.js';
import { compileWithData, vegaLiteCompiler } from './compile.js';
import { barChart, DATE_X, HOVER_LAYER, hoverLayer, lineChart, referenceLayer, seriesColumns } from './specs.js';

// a clipped mark: Vega gives its clip path an id (clip1, clip2, ... restarting in every process)
const line = (id: string, values: number[]): ChartBlock => {
  const s = seriesColumns(['2024-01-02', '2024-01-03', '2024-01-04'], [{ name: 'a.b (x)', values }]);
  const spec = lineChart(s, { yTitle: 'y', zero: true });
  const layer = (spec.layer as Record<string, unknown>[]).map((l) => ({ ...l, mark: { ...(l.mark as object), clip: true } }));
  return { kind: 'chart', id, title: 'test', spec: { ...spec, layer }, data: s.data, width: 'half' };
};

describe('prefixSvgIds', () => {
  it('prefixes every id and every reference to it, and nothing else', () => {
    const svg =
      '<svg><defs><clipPath id="clip1"><rect/></clipPath><linearGradient id="g2"/></defs><g clip-path="url(#clip1)"><path fill="url(#g2)"/><use href="#clip1"/><path fill="url(#other)"/></g></svg>';
    expect(prefixSvgIds(svg, 'c-x')).toBe(
      '<svg><defs><clipPath id="c-x-clip1"><rect/></clipPath><linearGradient id="c-x-g2"/></defs><g clip-path="url(#c-x-clip1)"><path fill="url(#c-x-g2)"/><use href="#c-x-clip1"/><path fill="url(#other)"/></g></svg>',
    );
  });
  it("uniqueSvgIds renumbers vega's counter ids before hashing", () => {
    const a = uniqueSvgIds('<svg><clipPath id="clip7"/><g clip-path="url(#clip7)"/></svg>', 'c');
    const b = uniqueSvgIds('<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>', 'c');
    expect(a).toBe(b);
    expect(a).toMatch(/^<svg><clipPath id="c-[0-9a-z]+-i0"\/><g clip-path="url\(#c-[0-9a-z]+-i0\)"\/><\/svg>$/);
  });
  it('leaves an SVG without ids unchanged', () => {
    expect(prefixSvgIds('<svg><path/></svg>', 'p')).toBe('<svg><path/></svg>');
  });
});

/** The three-pass renaming renameSvgIds replaced (one pass per kind of occurrence, each over the whole text). */
function renameByPasses(svg: string, rename: (id: string, index: number) => string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], rename(m[1], ids.size));
  if (ids.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (all, a: string, id: string) => `${a}${ids.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : all))
    .replace(/(href=")#([^"]+)"/g, (all, a: string, id: string) => (ids.has(id) ? `${a}#${ids.get(id)}"` : all));
}

describe('renameSvgIds (one pass)', () => {
  it('renames exactly as the pass-per-kind version did, on any mix of ids, references and text', () => {
    const id = fc.constantFrom('clip1', 'clip2', 'g3', 'a-b', 'x');
    const piece = fc.oneof(
      id.map((x) => ` id="${x}"`),
      id.map((x) => `url(#${x})`),
      id.map((x) => `href="#${x}"`),
      // (attribute values never hold a quote or a bracket: Vega escapes them)
      fc.constantFrom('<g>', '</g>', '<path d="M0,0"/>', ' ', 'id=', 'clip1', 'a-b', '#', 'x'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const svg = `<svg>${parts.join('')}</svg>`;
        const rename = (x: string, i: number): string => `n${i}-${x}`;
        expect(renameSvgIds(svg, rename)).toBe(renameByPasses(svg, rename));
      }),
      { numRuns: 500 },
    );
  });
});

/** The `<g>` of a mark (Vega writes its name into the class) and its children, up to the next `</g>`. */
const markGroup = (svg: string, name: string): string => {
  const start = svg.indexOf(`role-mark ${name}"`);
  return start < 0 ? '' : svg.slice(start, svg.indexOf('</g>', start));
};
const dates = (n: number): string[] => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));

describe('static SVG: no hover layer, one baseline', () => {
  const s = seriesColumns(dates(60), [
    { name: 'rank IC', values: Array.from({ length: 60 }, (_, i) => Math.sin(i)) },
    { name: 'mean', values: Array.from({ length: 60 }, (_, i) => Math.cos(i) / 2) },
  ]);
  const chart: ChartBlock = {
    kind: 'chart',
    id: 'ic',
    title: 'IC',
    spec: lineChart(s, { yTitle: 'IC', zero: true }),
    data: s.data,
    width: 'full',
  };

  it('draws the zero rule once, not once per row', async () => {
    const svg = await chartSvg(chart);
    expect(markGroup(svg, 'layer_0_marks').match(/<line/g)).toHaveLength(1);
    const bars: ChartBlock = {
      kind: 'chart',
      id: 'bars',
      title: 'bars',
      spec: barChart({ category: 'q', categoryTitle: 'quantile', value: 'v', valueTitle: 'mean' }),
      data: { q: ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'], v: [-1, 0.5, 1, 2, 3] },
      width: 'half',
    };
    expect(markGroup(await chartSvg(bars), 'layer_0_marks').match(/<line/g)).toHaveLength(1);
    // the page's spec too: the reference mark reads a one-row data source of its own
    const vega = compileWithData(chart, await vegaLiteCompiler()) as {
      data: { name: string; values?: unknown[] }[];
      marks: { name: string; from?: { data: string } }[];
    };
    const from = vega.marks.find((m) => m.name === 'layer_0_marks')?.from?.data;
    expect(vega.data.find((d) => d.name === from)?.values).toEqual([{}]);
    // drawing it left the chart's spec as it was (Vega tags the rows it reads)
    const layers = chart.spec.layer as { data?: { values: object[] } }[];
    expect(Object.getOwnPropertySymbols(layers[0].data?.values[0])).toEqual([]);
  });

  it('leaves out the hover rule and its Voronoi cells, and keeps the size and origin the page has', async () => {
    const svg = await chartSvg(chart);
    expect(svg).not.toContain(`${HOVER_LAYER}_`);
    expect(svg).not.toContain('voronoi');
    expect(svg).not.toMatch(/<(line|path)[^>]*opacity="0"/); // (axis labels dropped for overlap are opacity-0 texts)
    expect(markGroup(svg, 'layer_1_marks')).toContain('<path'); // the lines are drawn
    // the page keeps them (its tooltip), and the full drawing has them
    const view = new View(parse(compileWithData(chart, await vegaLiteCompiler()) as Parameters<typeof parse>[0]), { renderer: 'none' });
    const full = await view.toSVG();
    view.finalize();
    expect(markGroup(full, `${HOVER_LAYER}_marks`).match(/<line/g)).toHaveLength(60);
    expect(markGroup(full, `${HOVER_LAYER}_voronoi`).match(/<path/g)).toHaveLength(60);
    const head = (t: string): string => t.slice(0, t.indexOf('<g class="mark-group role-axis"'));
    expect(head(svg).replace(/ id="[^"]+"|url\(#[^)]+\)/g, '')).toBe(head(full).replace(/ id="[^"]+"|url\(#[^)]+\)/g, ''));
  });
});

describe('static SVG: the layout of the page', () => {
  // the tear sheet's IC chart: no legend, so the Voronoi cells (0.7 px past the plot) set its top
  const n = 80;
  const data = { date: dates(n), s0: Array.from({ length: n }, (_, i) => Math.sin(i / 3) / 10) };
  const ic: ChartBlock = {
    kind: 'chart',
    id: 'ic-series',
    title: 'IC',
    data,
    width: 'full',
    spec: {
      height: 200,
      layer: [
        referenceLayer({ type: 'rule', color: '#999' }, { y: { datum: 0 } }),
        {
          mark: { type: 'bar', width: { band: 1 } },
          // no tick at the top: its label would reach above the cells
          encoding: { x: DATE_X, y: { field: 's0', type: 'quantitative', title: 'rank IC', scale: { nice: false } } },
        },
        hoverLayer({
          mark: { type: 'rule', color: '#888' },
          params: [{ name: 'hover', select: { type: 'point', encodings: ['x'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
          encoding: {
            x: DATE_X,
            opacity: { condition: { param: 'hover', empty: false, value: 0.7 }, value: 0 },
            tooltip: [{ field: 's0' }],
          },
        }),
      ],
    },
  };
  const draw = async (spec: Record<string, unknown>, drop: boolean): Promise<string> => {
    const view = new View(parse(spec as Parameters<typeof parse>[0]), { renderer: 'none' });
    await view.runAsync();
    if (drop) dropHoverMarks((view.scenegraph() as unknown as { root: Parameters<typeof dropHoverMarks>[0] }).root);
    const svg = await view.toSVG();
    view.finalize();
    return uniqueSvgIds(svg, 'ic-series');
  };

  it('is the full drawing with the hover marks taken out after the layout, byte for byte', async () => {
    const full = compileWithData(ic, await vegaLiteCompiler());
    expect(await chartSvg(ic, await vegaLiteCompiler())).toBe(await draw(full, true));
    // (the case matters: without the cells the layout is another, 1 px shorter)
    const marks = (full.marks as { name: string }[]).filter((m) => !m.name.startsWith(`${HOVER_LAYER}_`));
    const size = (t: string): string => /height="(\d+)"/.exec(t)?.[1] ?? '';
    expect(size(await draw({ ...full, marks }, false))).not.toBe(size(await draw(full, true)));
  });
});

describe('chartSvg (vega headless, no DOM)', () => {
  it('draws the marks, with ids unique to the chart and its data', async () => {
    const a = await chartSvg(line('one', [1, 2, 3]));
    const b = await chartSvg(line('two', [1, 2, 4]));
    expect(a.startsWith('<svg')).toBe(true);
    expect(a).toMatch(/class="mark-line role-mark/);
    const ids = (s: string): string[] => [...s.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a).length).toBeGreaterThan(0);
    expect(ids(a).every((id) => id.startsWith('one-'))).toBe(true);
    expect(ids(b).every((id) => id.startsWith('two-'))).toBe(true);
    for (const id of ids(a)) expect(ids(b)).not.toContain(id);
    // the same chart drawn twice is the same text (ids from a hash, not vega's process-wide counter)
    expect(await chartSvg(line('one', [1, 2, 3]))).toBe(a);
  });
  it('hashText is FNV-1a', () => {
    expect(hashText('')).toBe((0x811c9dc5).toString(36));
    expect(hashText('a')).toBe((0xe40c292c).toString(36)); // FNV-1a 32 of "a"
  });
});

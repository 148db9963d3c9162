import { describe, expect, it } from 'vitest';
import { chartSvg, hashText, prefixSvgIds, uniqueSvgIds } from './svg.js';
import type { ChartBlock } from './document.js';
import { lineChart, seriesColumns } from './specs.js';

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

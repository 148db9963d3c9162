import { describe, expect, it } from 'vitest';
import { lineChart, partColors, seriesColumns, SERIES_COLORS } from './specs.js';

const colorScale = (n: number): { domain: string[]; range?: string[] } => {
  const s = seriesColumns(
    ['2021-01-04'],
    Array.from({ length: n }, (_, i) => ({ name: `f${i}`, values: [i] })),
  );
  const spec = lineChart(s, { yTitle: 'beta', legend: 'factor' }) as {
    layer: { encoding?: { color?: { scale: { domain: string[]; range?: string[] } } } }[];
  };
  const enc = spec.layer.find((l) => l.encoding?.color)?.encoding?.color;
  if (!enc) throw new Error('no colour encoding');
  return enc.scale;
};

describe('series colours', () => {
  it('up to 20 lines never share a colour (the 10-colour palette repeated from the 11th)', () => {
    expect(colorScale(6).range).toBeUndefined(); // the house palette
    const twelve = colorScale(12);
    expect(twelve.range).toHaveLength(12);
    expect(new Set(twelve.range).size).toBe(12);
    expect(twelve.range?.slice(0, 10)).toEqual(SERIES_COLORS.slice(0, 10));
    expect(new Set(colorScale(20).range).size).toBe(20);
  });
  it('parts beside a grey "specific" get distinct colours, none of them grey', () => {
    for (const n of [1, 6, 9, 10, 12, 18]) {
      const c = partColors(n);
      expect(new Set([...c, '#c7c7c7']).size).toBe(n + 1);
      expect(c).not.toContain('#7f7f7f');
    }
  });
});

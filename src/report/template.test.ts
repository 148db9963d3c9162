import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../cli/commands/demo.js';
import { demoReportVariants } from '../cli/demoReports.js';
import { chartsWithoutTemplate, compileFromTemplate, fullSpec, vegaLiteCompiler, type VegaLiteCompiler } from './compile.js';
import { chartsOf, type ReportDocument } from './document.js';
import { lineChart, seriesColumns } from './specs.js';
import { abstractSpec, fillHoles, fillShape, hash53, holesFillable, probeHoles, shapeKey, type Json } from './template.js';

describe('abstractSpec: shape and holes', () => {
  it('takes titles, domains, ranges and top-level parameter values out (hand case)', () => {
    const spec: Json = {
      params: [{ name: 'names', value: { s0: 'HML' } }],
      mark: 'bar',
      encoding: {
        x: { field: 'f', type: 'nominal', title: 'factor', scale: { domain: ['a', 'b'] } },
        y: { field: 'v', type: 'quantitative', title: 'v' },
        color: { field: 'f', type: 'nominal', title: 'factor', scale: { range: ['#111', '#222'] } },
        tooltip: [{ field: 'f', title: 'factor' }],
      },
      config: { range: { category: ['#000'] } },
    };
    const { shape, holes } = abstractSpec(spec);
    expect(holes).toEqual([{ s0: 'HML' }, 'factor', ['a', 'b'], ['#111', '#222']]);
    expect(shape).toEqual({
      params: [{ name: 'names', value: '@@h0@@' }],
      mark: 'bar',
      encoding: {
        // equal titles share a hole; a title equal to a field name ('v') stays
        x: { field: 'f', type: 'nominal', title: '@@h1@@', scale: { domain: ['@@h2@@'] } },
        y: { field: 'v', type: 'quantitative', title: 'v' },
        color: { field: 'f', type: 'nominal', title: '@@h1@@', scale: { range: ['@@h3@@'] } },
        tooltip: [{ field: 'f', title: '@@h1@@' }],
      },
      config: { range: { category: ['#000'] } },
    });
    expect(fillShape(shape, holes)).toEqual(spec);
  });

  it('fills holes inside expressions as JSON text, exact markers as values', () => {
    const compiled: Json = { a: '@@h0@@', b: ['@@h1@@'], e: 'indexof(["@@h1@@"], datum.x) + "@@h0@@"', t: 'title: @@h0@@' };
    expect(fillHoles(compiled, ["it's", ['x', 'y']])).toEqual({
      a: "it's",
      b: ['x', 'y'],
      e: 'indexof(["x","y"], datum.x) + "it\'s"',
      t: "title: it's",
    });
    expect(() => fillHoles(compiled, [])).toThrow(/hole 0 has no value/);
  });

  it('round-trips any titles and orders (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(text, text, fc.array(text, { minLength: 1, maxLength: 6 }), (a, b, names) => {
        const spec: Json = {
          layer: [{ encoding: { x: { field: 'date', title: a }, color: { field: 's', title: b, scale: { domain: names } } } }],
        };
        const { shape, holes } = abstractSpec(spec);
        expect(fillShape(shape, holes)).toEqual(spec);
        // the shape does not depend on the texts (unless two are equal or one is a field name)
        if (a !== b && a !== 'date' && b !== 'date' && a !== 's' && b !== 's')
          expect(shapeKey(shape)).toBe(
            shapeKey(
              abstractSpec({
                layer: [{ encoding: { x: { field: 'date', title: 'p' }, color: { field: 's', title: 'q', scale: { domain: ['z'] } } } }],
              }).shape,
            ),
          );
      }),
    );
  });

  it('refuses to fill texts Vega-Lite escapes differently by context', () => {
    expect(holesFillable(['plain', ['a b', 'é²'], { s0: 'x' }])).toBe(true);
    expect(holesFillable(['say "hi"'])).toBe(false);
    expect(holesFillable([['a\\b']])).toBe(false);
    expect(holesFillable([{ s0: 'tab\there' }])).toBe(false);
    expect(probeHoles(['t', ['a', 'b'], { k: 1 }])).toEqual(["t 'q·²", ['b', 'a', "x'2"], { k: 1 }]);
  });

  it('hash53 is stable', () => {
    expect(hash53('')).toBe(hash53(''));
    expect(hash53('a')).not.toBe(hash53('b'));
    expect(hash53('abc')).toMatch(/^[0-9a-z]{11}$/);
  });
});

// the compiled templates against the Vega-Lite compiler itself, on every chart of the demo's
// reports and their variants (the charts the table was generated from) and on charts it was not
let dir: string;
let docs: ReportDocument[];
let compile: VegaLiteCompiler;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'factorlab-templates-test-'));
  await runDemo({ out: dir, seed: 3, assets: 50, days: 260, json: true });
  docs = await demoReportVariants(dir);
  compile = await vegaLiteCompiler();
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('compiled templates (templates.generated.ts)', () => {
  it('hold every chart of the reports, and filling one gives exactly what Vega-Lite compiles', () => {
    const seen = new Set<string>();
    for (const doc of docs) {
      const charts = chartsOf(doc).filter((c) => c.empty === undefined);
      expect(chartsWithoutTemplate(charts).map((c) => `${doc.kind}/${c.id}`)).toEqual([]);
      for (const c of charts) {
        // one compile per shape (the other charts of a shape differ only in their holes)
        const key = shapeKey(abstractSpec(fullSpec(c) as unknown as Json).shape);
        if (seen.has(key)) continue;
        seen.add(key);
        expect(JSON.stringify(compileFromTemplate(c)), `${doc.kind}/${c.id}`).toBe(JSON.stringify(compile(fullSpec(c))));
      }
    }
    expect(seen.size).toBeGreaterThan(40);
  }, 120_000);

  it("give the compiler's output for series names never seen, and step aside for names with quotes", () => {
    // a name equal to one of the spec's own tokens (s0, date, factor) cannot be told from it in the
    // template's holes: such charts step aside to the compiler (chartsWithoutTemplate lists them),
    // as names with quotes do; every other name gets the template, equal to the compiler's output
    let templated = 0;
    fc.assert(
      fc.property(
        fc
          .array(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _.()'-]{0,15}$/), { minLength: 1, maxLength: 8 })
          .filter((a) => new Set(a).size === a.length),
        (names) => {
          const s = seriesColumns(
            ['2024-01-02', '2024-01-03'],
            names.map((name, i) => ({ name, values: [i, i + 1] })),
          );
          const chart = {
            kind: 'chart' as const,
            id: 'c',
            title: 't',
            spec: lineChart(s, { yTitle: 'exposure (beta)', zero: true, legend: 'factor', height: 240 }),
            data: s.data,
            width: 'full' as const,
          };
          const t = compileFromTemplate(chart);
          if (t === undefined) {
            expect(chartsWithoutTemplate([chart])).toHaveLength(1);
            return;
          }
          templated++;
          expect(JSON.stringify(t)).toBe(JSON.stringify(compile(fullSpec(chart))));
        },
      ),
      { numRuns: 25 },
    );
    expect(templated).toBeGreaterThan(12);
    for (const names of [['mkt_rf', 'smb', 'hml'], ['AAPL'], ['Energy', 'Utilities (ex. water)']]) {
      const s = seriesColumns(
        ['2024-01-02'],
        names.map((name, i) => ({ name, values: [i] })),
      );
      const chart = {
        kind: 'chart' as const,
        id: 'c',
        title: 't',
        spec: lineChart(s, { yTitle: 'exposure (beta)', zero: true, legend: 'factor', height: 240 }),
        data: s.data,
        width: 'full' as const,
      };
      expect(compileFromTemplate(chart), names.join()).toBeDefined();
    }
    const s = seriesColumns(
      ['2024-01-02'],
      [
        { name: 'HML "devil"', values: [1] },
        { name: 'b', values: [2] },
      ],
    );
    const chart = {
      kind: 'chart' as const,
      id: 'c',
      title: 't',
      spec: lineChart(s, { yTitle: 'exposure (beta)', zero: true, legend: 'factor', height: 240 }),
      data: s.data,
      width: 'full' as const,
    };
    expect(compileFromTemplate(chart)).toBeUndefined();
    expect(chartsWithoutTemplate([chart])).toHaveLength(1);
  });
});

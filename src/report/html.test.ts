import { describe, expect, it } from 'vitest';
import { renderReportHtml, escapeHtml } from './html.js';
import type { ReportDocument } from './document.js';
import { compactColumns, jsonForScript, roundSignificant } from './compact.js';
import { barChart } from './specs.js';
import { formatCell, formatNumberText } from './format.js';
import { vegaLiteCompiler } from './compile.js';

const doc = (): ReportDocument => ({
  kind: 'factor-tear-sheet',
  title: 'T <1>',
  subtitle: 's',
  headlines: [{ label: 'IC', value: '0.05' }],
  footer: 'f',
  sections: [
    {
      id: 'a',
      title: 'A',
      blocks: [
        {
          kind: 'chart',
          id: 'bars',
          title: 'Bars',
          spec: barChart({ category: 'k', categoryTitle: null, value: 'v', valueTitle: 'v' }),
          data: { k: ['x', 'y'], v: [1.234567891, null] },
          width: 'half',
        },
        { kind: 'chart', id: 'none', title: 'Nothing', spec: {}, data: {}, width: 'full', empty: 'No date has an IC.' },
        {
          kind: 'table',
          id: 't',
          title: 'Rows',
          columns: [
            { key: 'a', label: 'asset', format: 'text' },
            { key: 'b', label: 'beta', format: 'num' },
          ],
          data: { a: ['A</script>'], b: [0.5] },
          interactive: true,
        },
      ],
    },
  ],
});

describe('renderReportHtml', async () => {
  // this test chart's shape is not among the compiled templates: the Vega-Lite compiler is given
  const html = renderReportHtml(doc(), { vegaJs: 'var vega = {}; // </script> inside', compile: await vegaLiteCompiler() });
  it('needs the Vega-Lite compiler for a chart whose shape has no compiled template', () => {
    expect(() => renderReportHtml(doc(), { vegaJs: '' })).toThrow(/not in the compiled templates/);
  });
  it('inlines the runtime once and loads nothing from anywhere', () => {
    expect(html.match(/var vega = \{\}/g)?.length).toBe(1);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain("default-src 'none'");
  });
  it('never closes a script early (runtime text and data are escaped)', () => {
    expect(html.match(/<\/script>/g)?.length).toBe(3);
    expect(html).toContain('A\\u003c/script>');
  });
  it('says in words when a chart has no data instead of drawing it', () => {
    expect(html).toContain('No date has an IC.');
    expect(html).not.toContain('data-chart="none"');
    expect(html).toContain('data-chart="bars"');
  });
  it('escapes titles and carries the data compactly', () => {
    expect(html).toContain('<title>T &lt;1&gt;</title>');
    expect(html).toContain('"v":[1.23457,null]');
    expect(html).toContain('@media print');
  });
});

describe('sections with variants (e.g. one per horizon)', () => {
  it('shows the first variant, hides the others, and gives a selector that print leaves out', async () => {
    const d = doc();
    const t = (id: string, variant: string): ReportDocument['sections'][number]['blocks'][number] => ({
      kind: 'table',
      id,
      title: id,
      columns: [{ key: 'a', label: 'a', format: 'text' }],
      data: { a: ['x'] },
      variant,
    });
    d.sections = [{ id: 'ic', title: 'IC', variants: ['h = 1', 'h = 5'], blocks: [t('t1', 'h = 1'), t('t1-h5', 'h = 5')] }];
    const html = renderReportHtml(d, { vegaJs: '', compile: await vegaLiteCompiler() });
    expect(html).toContain(
      '<button type="button" data-show="h = 1" aria-pressed="true">h = 1</button><button type="button" data-show="h = 5" aria-pressed="false">h = 5</button>',
    );
    expect(html).toContain('<div data-variant="h = 1" class="fl-block" id="t1">');
    expect(html).toContain('<div data-variant="h = 5" hidden class="fl-block" id="t1-h5">');
    expect(html).toMatch(/@media print\{[^]*\.fl-variants[^]*\.fl-block\[hidden\]\{display:block\}/);
  });
});

describe('compact data and formats', () => {
  it('rounds to significant digits and writes non-finite numbers as null', () => {
    expect(roundSignificant(0.000123456789)).toBe(0.000123457);
    expect(roundSignificant(123456789)).toBe(123457000);
    expect(roundSignificant(NaN)).toBeNull();
    expect(roundSignificant(-Infinity)).toBeNull();
    expect(compactColumns({ a: [1 / 3, 'x', null] })).toEqual({ a: [0.333333, 'x', null] });
    expect(jsonForScript({ a: '</script><!--' })).toBe('{"a":"\\u003c/script>\\u003c!--"}');
    expect(escapeHtml('<a href="x">&')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;');
  });
  it('formats cells by unit, missing as empty', () => {
    expect(formatCell(0.01234, 'pct')).toBe('1.23%');
    expect(formatCell(0.0012, 'bp')).toBe('12.0 bp');
    expect(formatCell(1234567, 'int')).toBe('1,234,567');
    expect(formatCell(NaN, 'num')).toBe('');
    expect(formatCell(null, 'num')).toBe('');
  });
  it('keeps four significant digits of numbers below 1 (a variance of 1.084e-4 was "0.0001")', () => {
    expect(formatCell(1.0843e-4, 'num')).toBe('0.0001084');
    expect(formatCell(-0.0038331, 'num')).toBe('-0.003833');
    expect(formatCell(0.001, 'num')).toBe('0.001');
    expect(formatCell(0.98961, 'num')).toBe('0.9896');
    expect(formatCell(12.345678, 'num')).toBe('12.3457');
    expect(formatCell(0, 'num')).toBe('0');
    expect(formatCell(9.99e-5, 'num')).toBe('9.990e-5');
    expect(formatNumberText(0.0123456, 2)).toBe('0.012');
    expect(formatNumberText(0.35, 2)).toBe('0.35');
  });
  it("the page's script formats table numbers as the server does", async () => {
    const html = renderReportHtml(doc(), { vegaJs: '', compile: await vegaLiteCompiler() });
    const src = /function num\(v,d\)\{[^\n]*?\}(?=\nfunction fmt)/.exec(html)?.[0];
    expect(src).toBeDefined();
    const num = new Function(`${src!}; return num;`)() as (v: number, d?: number) => string;
    const values = [1.0843e-4, -0.0038331, 0.001, 0.00099999, 0.98961, 12.345678, 0, 9.99e-5, 1e9, -123456.789, 0.5, 0.123456789];
    for (const v of values) expect(num(v, 4)).toBe(formatNumberText(v, 4));
    for (const v of values) expect(num(v)).toBe(formatNumberText(v, 6));
  });
});

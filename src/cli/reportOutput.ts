/**
 * The Node edge of the reports (src/report is free of `node:*`): reads the Vega runtime from the
 * installed `vega` package once, writes the HTML file atomically, and writes each chart as a
 * standalone SVG into a directory (every file atomically; a failure removes the ones written by
 * this call, so nothing half-written is left behind). The paths were checked before any work by
 * {@link checkReportOutputs}.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkOutputDirectory, checkOutputs, type OutputSpec } from '../io/outputs.js';
import { writeTextAtomic } from '../io/write.js';
import type { ReportDocument } from '../report/document.js';
import type * as HtmlModule from '../report/html.js';
import type * as SvgModule from '../report/svg.js';

// the report modules are loaded only when a report is written; vega (~2 MB of JavaScript) only for
// SVG output, and vega-lite only for a chart whose shape is not in the compiled templates.
const html = (): Promise<typeof HtmlModule> => import('../report/html.js');
const svg = (): Promise<typeof SvgModule> => import('../report/svg.js');

let vegaJs: Promise<string> | undefined;

/** The text of vega/build/vega.min.js (read once per process). */
export function vegaRuntime(): Promise<string> {
  // the package exports only its module build; vega.min.js sits beside it in build/
  vegaJs ??= readFile(join(dirname(createRequire(import.meta.url).resolve('vega')), 'vega.min.js'), 'utf8');
  return vegaJs;
}

/** `--report FILE.html` and `--svg DIR` checked (with the command's other outputs) before any work. */
export function checkReportOutputs(
  report: string | undefined,
  svg: string | undefined,
  others: readonly (OutputSpec & { path: string | undefined })[] = [],
): void {
  checkOutputs([...others, { path: report, flag: '--report', formats: ['html'] }]);
  if (svg !== undefined) checkOutputDirectory(svg, '--svg');
}

/** The page's HTML text. */
export async function reportHtml(doc: ReportDocument): Promise<string> {
  const [{ renderReportHtml }, { chartsOf }, { chartsWithoutTemplate, vegaLiteCompiler }] = await Promise.all([
    html(),
    import('../report/document.js'),
    import('../report/compile.js'),
  ]);
  const compile = chartsWithoutTemplate(chartsOf(doc)).length > 0 ? await vegaLiteCompiler() : undefined;
  return renderReportHtml(doc, { vegaJs: await vegaRuntime(), ...(compile ? { compile } : {}) });
}

/** Writes the report as one HTML file; returns its size in bytes. */
export async function writeReportHtml(file: string, doc: ReportDocument): Promise<number> {
  const html = await reportHtml(doc);
  await writeTextAtomic(file, html);
  return Buffer.byteLength(html);
}

/** Writes every drawn chart as `DIR/<chart id>.svg`; returns the file names. */
export async function writeReportSvgs(dir: string, doc: ReportDocument): Promise<string[]> {
  const { documentSvgs } = await svg();
  const svgs = await documentSvgs(doc);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  try {
    for (const s of svgs) {
      const name = `${s.id}.svg`;
      await writeTextAtomic(join(dir, name), `<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${s.title.replace(/--/g, '-')} -->\n${s.svg}\n`);
      written.push(name);
    }
  } catch (e) {
    await Promise.all(written.map((n) => rm(join(dir, n), { force: true })));
    throw e;
  }
  return written;
}

/**
 * `factorlab report RESULT.json --out FILE.html [--svg DIR]`: the HTML report (and SVG charts) of a
 * saved result: an exposure fit (`exposures --out fit.json`, fuller with `--report-data`) or a
 * single-factor test (`analyze --out result.json`, fuller with `--report-data`).
 */
import { readFile, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { documentOfResult, malformedResult } from '../reportSources.js';
import type { CliStreams } from '../streams.js';

interface ReportFlags {
  out?: string;
  svg?: string;
}

async function readResult(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a result file'
          : `cannot read it (${code ?? String(e)})`,
      { file, hint: 'give the JSON written by the --out of `factorlab exposures`, `analyze`, `backtest`, `optimize` or `replicate`' },
    );
  }
  if (text.trim() === '')
    throw new InputError('the file is empty', {
      file,
      hint: 'give the JSON written by the --out of `factorlab exposures`, `analyze`, `backtest`, `optimize` or `replicate`',
    });
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const m = /position (\d+)/.exec(String(e));
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
    throw new InputError(`not valid JSON${line !== undefined ? ` (line ${line})` : ''}: ${(e as Error).message}`, {
      file,
      hint: 'the file must be the JSON factorlab wrote, unchanged',
    });
  }
}

export function registerReport(program: Command, streams: CliStreams): void {
  program
    .command('report')
    .summary('draw the HTML report (and SVG charts) of a saved exposures, analyze, backtest, optimize or replicate result')
    .description(
      'Turn a saved result into one self-contained HTML page that opens offline in any browser: charts with ' +
        'tooltips and a data table behind each, sortable and filterable tables, print layout. An exposure fit ' +
        '(`exposures --out fit.json`) gives the exposure report; with `--report-data` at fit time it also has the ' +
        "variance decomposition and the holdings' densities. An analyze result (`analyze --out result.json`) gives " +
        'the factor tear sheet; with `--report-data` also the quantile x group means and the event view. A backtest ' +
        '(`backtest --out backtest.json`) gives the backtest report (NAV against the benchmark, drawdown, yearly returns, ' +
        'weights, turnover, statistics). An optimiser result (`optimize --out result.json`) gives the optimiser page ' +
        '(weights against the benchmark, exposures against their bounds, risk decomposition, trades, solver); a ' +
        'replicating basket (`replicate --out basket.json`) its page (exposure match, tracking error in and out of ' +
        'sample, holdings). Sections ' +
        'whose numbers are not in the file say so.',
    )
    .argument(
      '<result.json>',
      'the JSON written by `factorlab exposures --out`, `analyze --out`, `backtest --out`, `optimize --out` or `replicate --out`',
    )
    .option('--out <file.html>', 'the HTML file to write')
    .option('--svg <dir>', 'also write each chart as a standalone SVG file into this directory (created if missing)')
    .addHelpText(
      'after',
      `
Examples:
  factorlab analyze --factor momentum --sample monthly --prices prices.csv.gz --groups sectors.csv --horizons 21,63 --out result.json --report-data
  factorlab report result.json --out momentum.html --svg charts/
  factorlab exposures --prices prices.csv --factors factors.csv --out fit.json --report-data
  factorlab report fit.json --out exposures.html
  factorlab backtest --factor momentum --prices prices.csv --top 50 --schedule month-end --out backtest.json
  factorlab report backtest.json --out backtest.html
  factorlab optimize --prices prices.csv --factors factors.csv --benchmark equal --max-weight 0.05 --out result.json
  factorlab report result.json --out optimize.html --svg charts/`,
    )
    .action(async (file: string, flags: ReportFlags) => {
      if (flags.out === undefined && flags.svg === undefined)
        throw new InputError('nothing to write: give --out FILE.html, --svg DIR or both', {
          hint: `e.g. factorlab report ${file} --out report.html`,
        });
      checkReportOutputs(undefined, flags.svg, [{ path: flags.out, flag: '--out', formats: ['html'] }]);
      const doc = documentOfResult(await readResult(file), file);
      const lines = [`factorlab report: ${doc.title}`];
      try {
        if (flags.out !== undefined) {
          const bytes = await writeReportHtml(flags.out, doc);
          lines.push(`  wrote ${flags.out} (${(bytes / 1e6).toFixed(1)} MB)`);
        }
        if (flags.svg !== undefined) {
          const files = await writeReportSvgs(flags.svg, doc);
          lines.push(`  wrote ${files.length} charts into ${flags.svg}`);
        }
      } catch (e) {
        // a field the document drew lazily (a hand-edited result): exit 2 naming the file, and
        // nothing written (the page when the charts failed after it)
        if (flags.out !== undefined && lines.length > 1) await rm(flags.out, { force: true });
        throw malformedResult(e, file);
      }
      streams.stdout(`${lines.join('\n')}\n`);
    });
}

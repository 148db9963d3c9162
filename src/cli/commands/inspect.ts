/**
 * `factorlab inspect FILE`: what a data file holds (layout, shape, assets, date range, frequency,
 * missing share) and what looks wrong in it (the data-quality findings), as text or JSON.
 */
import { type Command, Option } from 'commander';
import { detectFrequency, type Frequency } from '../../core/calendar.js';
import { formatIsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { Panel } from '../../core/panel.js';
import { checkAndCleanBadTicks, checkQuality, formatQualityReport, type QualityDataKind, type QualityReport } from '../../core/quality.js';
import { checkOutputs, guessValueKind, isKenFrenchFile, readPanel, TABLE_FORMATS, writeTable } from '../../io/index.js';
import { isPeriodEndColumn } from '../../io/columns.js';
import { cutOffNotes, parseNumber, readKenFrenchScaled, timezoneOption } from '../load.js';
import { RETURNS_MEDIAN_LIMIT } from '../plausible.js';
import { medianInPlace } from '../../stats/descriptive.js';
import { NON_POSITIVE_PRICE } from '../../io/csv/prices.js';
import { formatCount, formatNumber, formatPercent, keyValues, plural } from '../format.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';

export interface InspectOptions {
  layout: 'auto' | 'long' | 'wide';
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  timezone?: string;
  kind: 'auto' | QualityDataKind;
  json?: boolean;
  strict?: boolean;
  clean?: boolean;
  out?: string;
  wide?: boolean;
  maxFindings: number;
  factorScale?: number;
}

/** What `inspect` found: the JSON printed by `--json`. */
export interface InspectResult {
  file: string;
  format: string;
  layout: 'long' | 'wide' | 'ken-french';
  title?: string;
  columns: string[];
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  kind: QualityDataKind;
  rows: number;
  nDates: number;
  nAssets: number;
  firstDate: string | null;
  lastDate: string | null;
  frequency: Frequency;
  periodsPerYear: number | null;
  missingShare: number;
  assets: string[];
  quality: QualityReport;
  cleaned?: { cells: number };
  written?: string;
  /** A Ken French file: how its values were read ("read in decimal (÷ 100)", or "x 1 (--factor-scale)"). */
  reading?: string;
  /** Why `kind` is not what the values first suggested (e.g. scores near 0 that are no decimal returns). */
  kindNote?: string;
  /** Set when the dates are fiscal period ends (a `Period Ending` or `datadate` column): the values were published later. */
  dateNote?: string;
  /** Set when the file's last line has no line end, as a file cut off mid-write (load `cutOffNotes`). */
  endNote?: string;
}

export function registerInspect(program: Command, streams: CliStreams): void {
  program
    .command('inspect')
    .summary('describe a data file and report suspicious data')
    .description(
      'Load a long (date, asset, value) or wide (date, A, B, ...) table from CSV, CSV.gz or Parquet, ' +
        'or a Ken French factor file (CSV or zip), and print what was found: layout, shape, date range, ' +
        'frequency, missing share, and data-quality findings (one-day bad ticks that reverse, constant ' +
        'series, long gaps, dates with very few assets, non-positive prices).',
    )
    .argument('<file>', 'the file to inspect (.csv, .csv.gz, .parquet, or a Ken French .CSV / .zip)')
    .addOption(new Option('--layout <layout>', 'table layout').choices(['auto', 'long', 'wide']).default('auto'))
    .option('--date-col <name>', 'date column (default: date, datetime, trade_date, time)')
    .addOption(timezoneOption('the file'))
    .option('--asset-col <name>', 'asset column of a long table (default: asset, ticker, symbol, name, code, permno, secid)')
    .option(
      '--value-col <name>',
      'value column of a long table (default: adj_close, close, price, value, factor_value: the adjusted close when there are both)',
    )
    .addOption(
      new Option('--kind <kind>', 'what the values are; "auto" says prices for close/price columns and all-positive wide tables')
        .choices(['auto', 'prices', 'returns', 'values'])
        .default('auto'),
    )
    .option('--json', 'print the result as JSON on stdout')
    .option('--strict', 'treat data-quality findings as errors (exit code 2)')
    .option('--clean', 'set flagged bad ticks to missing (use with --out to keep the cleaned data)')
    .option('--out <file>', 'write the loaded (and cleaned) panel: .csv, .csv.gz, .parquet or .json (long: date,asset,value)')
    .option('--wide', "write --out wide: date and one column per asset (a wide input's layout, a third of the long CSV)")
    .addOption(
      new Option(
        '--factor-scale <x>',
        'Ken French files: read the values as written times this (1: already decimal). Without it they are read as percent (÷ 100), and a file in decimal already is refused',
      ).argParser(parseNumber('--factor-scale', (n) => n > 0, 'a number > 0 (it states a unit: 0.01 for percent)')),
    )
    .addOption(
      new Option('--max-findings <n>', 'findings listed per kind (counts are always exact)')
        .default(10)
        .argParser(positiveInt('--max-findings')),
    )
    .addHelpText(
      'after',
      `
Examples:
  factorlab inspect ../shared/data/us/all_stocks_5yr.csv.gz --asset-col Name
  factorlab inspect ../shared/data/us/us_sp500_adj_ohlcv_2005_2017.csv.gz --clean --out sp500.parquet
  factorlab inspect ../shared/data/ff/F-F_Research_Data_Factors_daily.CSV --json`,
    )
    .action(async (file: string, opts: InspectOptions) => {
      if (opts.wide === true && opts.out === undefined)
        throw new InputError('--wide is the layout of --out, and no --out was given', { hint: 'add --out FILE, or leave out --wide' });
      checkOutputs([{ path: opts.out, flag: '--out', formats: TABLE_FORMATS }]); // before any work
      const result = await inspectFile(file, opts);
      if (opts.json) streams.stdout(`${JSON.stringify(result, null, 2)}\n`);
      else streams.stdout(`${renderInspect(result).join('\n')}\n`);
      if (opts.strict) {
        const remaining = Object.entries(result.quality.counts).filter(([kind, n]) => n > 0 && !(opts.clean && kind === 'bad-tick'));
        if (remaining.length > 0) {
          throw new InputError(`${file}: --strict and the data has findings: ${remaining.map(([k, n]) => `${n} ${k}`).join(', ')}`, {
            hint: 'fix the data, drop --strict, or add --clean to set bad ticks to missing',
          });
        }
      }
    });
}

function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InputError(`${flag} must be a non-negative integer`, { value: v });
    return n;
  };
}

/** Loads, checks and (optionally) cleans and writes a file. */
export async function inspectFile(file: string, opts: InspectOptions): Promise<InspectResult> {
  const progress = progressReporter(!opts.json);
  try {
    if (await isKenFrenchFile(file)) return await inspectKenFrench(file, opts);
    if (opts.factorScale !== undefined)
      throw new InputError('--factor-scale applies to Ken French factor files only', {
        file,
        hint: 'this file is a table: its values are read as written (use --kind to say what they are)',
      });
    const explicitKind = opts.kind === 'auto' ? undefined : opts.kind;
    const readOptions = {
      layout: opts.layout,
      dateCol: opts.dateCol,
      assetCol: opts.assetCol,
      valueCol: opts.valueCol,
      onProgress: progress.update,
      ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}),
    };
    // a zero or negative price: the reader's location, and the flag that reads the values otherwise
    const rehint = (e: unknown): never => {
      if (!(e instanceof InputError) || e.problem !== NON_POSITIVE_PRICE) throw e;
      throw new InputError(e.problem, {
        ...e.location,
        hint: `prices must be positive; if ${file} holds returns, add --kind returns (or --kind values for other numbers)`,
      });
    };
    const loaded = await readPanel(file, { ...readOptions, kind: explicitKind === 'prices' ? 'prices' : 'values' }).catch(rehint);
    progress.stop();
    let kind = explicitKind ?? guessValueKind(loaded.panel, loaded.layout, loaded.valueCol);
    let kindNote: string | undefined;
    if (explicitKind === undefined && kind === 'returns') {
      // Values around 0 with some negative are returns only if they move like returns: z-scores
      // (median |value| 0.67) or percent returns (daily about 1) checked as decimal returns would be
      // thousands of "returns of -100% or worse" and "bad ticks".
      const notReturns = tooLargeForReturns(loaded.panel);
      if (notReturns !== undefined) {
        kind = 'values';
        kindNote = notReturns;
      }
    }
    if (kind === 'prices' && explicitKind === undefined && hasNonPositive(loaded.panel.values)) {
      // The values turned out to be prices (by their column's name) and some are not positive:
      // read again as prices, so the reader reports the exact line of the first bad one.
      await readPanel(file, { ...readOptions, kind: 'prices', onProgress: undefined }).catch(rehint);
    }
    let panel = loaded.panel;
    // --max-findings limits the listing, never the cleaning
    let quality: QualityReport, cleaned: InspectResult['cleaned'];
    if (opts.clean) {
      const c = checkAndCleanBadTicks(panel, { kind, maxFindingsPerKind: opts.maxFindings });
      quality = c.report;
      panel = c.panel;
      cleaned = { cells: c.cells };
    } else {
      quality = checkQuality(panel, { kind, maxFindingsPerKind: opts.maxFindings });
    }
    let written: string | undefined;
    if (opts.out !== undefined) {
      await writeTable(opts.out, panel, { wide: opts.wide === true });
      written = opts.out;
    }
    const [endNote] = await cutOffNotes(file);
    return {
      file,
      format: loaded.format,
      layout: loaded.layout,
      columns: loaded.columns,
      dateCol: loaded.dateCol,
      assetCol: loaded.assetCol,
      valueCol: loaded.valueCol,
      kind,
      rows: loaded.rows,
      ...shape(panel),
      quality,
      ...(cleaned ? { cleaned } : {}),
      ...(written ? { written } : {}),
      ...(kindNote !== undefined ? { kindNote } : {}),
      ...(endNote !== undefined ? { endNote } : {}),
      ...(loaded.layout === 'long' && isPeriodEndColumn(loaded.dateCol)
        ? {
            dateNote: `dated by "${loaded.dateCol}", a fiscal period's end: the values were published weeks to months later (a 10-K up to 90 days); add a reporting lag when testing them (analyze --execution-lag 63)`,
          }
        : {}),
    };
  } finally {
    progress.stop();
  }
}

async function inspectKenFrench(file: string, opts: InspectOptions): Promise<InspectResult> {
  const kf = await readKenFrenchScaled(file, opts.factorScale, 'rf', '');
  const panel = Panel.fromColumns(kf.frame.dates, Object.fromEntries(kf.frame.columns.map((c, k) => [c, kf.frame.series[k]])));
  const quality = checkQuality(panel, { kind: 'returns', maxFindingsPerKind: opts.maxFindings });
  if (opts.out !== undefined) await writeTable(opts.out, kf.frame);
  return {
    file,
    format: file.toLowerCase().endsWith('.zip') ? 'ken-french zip' : 'ken-french csv',
    layout: 'ken-french',
    title: kf.title,
    columns: kf.frame.columns.slice(),
    kind: 'returns',
    rows: kf.frame.nDates,
    ...shape(panel),
    quality,
    reading: kf.reading,
    ...(opts.out !== undefined ? { written: opts.out } : {}),
  };
}

function shape(
  panel: Panel,
): Pick<InspectResult, 'nDates' | 'nAssets' | 'firstDate' | 'lastDate' | 'frequency' | 'periodsPerYear' | 'missingShare' | 'assets'> {
  const f = detectFrequency(panel.dates);
  return {
    nDates: panel.nDates,
    nAssets: panel.nAssets,
    firstDate: panel.nDates > 0 ? formatIsoDate(panel.dates[0]) : null,
    lastDate: panel.nDates > 0 ? formatIsoDate(panel.dates[panel.nDates - 1]) : null,
    frequency: f.frequency,
    periodsPerYear: Number.isFinite(f.periodsPerYear) ? f.periodsPerYear : null,
    missingShare: panel.missingShare(),
    assets: panel.assets.slice(),
  };
}

/**
 * Why values guessed to be returns are not decimal returns, or undefined when they may be: the
 * median |value| (an even sample of at most 200,000 cells) above the limit the CLI holds `--returns`
 * to for the calendar's frequency (plausible.ts `RETURNS_MEDIAN_LIMIT`: 0.2 daily, 0.3 weekly, 0.5
 * monthly; 1 for other calendars, a median move of 100% being no asset's).
 */
function tooLargeForReturns(panel: Panel): string | undefined {
  const f = detectFrequency(panel.dates).frequency;
  const limit = f === 'daily' || f === 'weekly' || f === 'monthly' ? RETURNS_MEDIAN_LIMIT[f] : 1;
  const v = panel.values;
  const step = Math.max(1, Math.floor(v.length / 200_000));
  const sample = new Float64Array(Math.ceil(v.length / step));
  let n = 0;
  for (let i = 0; i < v.length; i += step) {
    const x = v[i];
    if (x - x === 0) sample[n++] = Math.abs(x);
  }
  const med = medianInPlace(sample, n);
  if (!(med > limit)) return undefined;
  return (
    `not returns: the median |value| ${formatNumber(med, 3)} is too large for ${f === 'irregular' ? '' : `${f} `}decimal returns ` +
    `(scores, or percent returns to divide by 100); --kind returns checks them as returns`
  );
}

function hasNonPositive(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] <= 0) return true;
  return false;
}

/** The human-readable summary. */
export function renderInspect(r: InspectResult): string[] {
  const cols =
    r.layout === 'long'
      ? `long: date=${r.dateCol}, asset=${r.assetCol}, value=${r.valueCol}`
      : r.layout === 'wide'
        ? `wide: date=${r.dateCol}, ${plural(r.nAssets, 'value column')}`
        : `Ken French factors: ${r.columns.join(', ')} (${r.reading ?? 'read in decimal (÷ 100)'})`;
  const assetsShown =
    r.assets.length <= 8 ? r.assets.join(', ') : `${r.assets.slice(0, 8).join(', ')}, ... (${formatCount(r.assets.length)} in all)`;
  const pairs: [string, string][] = [
    ['file', `${r.file} (${r.format})`],
    ...(r.title ? ([['title', r.title]] as [string, string][]) : []),
    ['layout', cols],
    [
      'shape',
      `${plural(r.nDates, 'date')} x ${plural(r.nAssets, r.layout === 'ken-french' ? 'factor' : 'asset')} (${plural(r.rows, 'row')} read)`,
    ],
    [
      'dates',
      r.firstDate === null
        ? 'none'
        : `${r.firstDate} .. ${r.lastDate}, ${r.frequency}${r.periodsPerYear ? ` (${formatNumber(r.periodsPerYear, 4)} periods a year)` : ''}${r.dateNote !== undefined ? `; ${r.dateNote}` : ''}`,
    ],
    [r.layout === 'ken-french' ? 'factors' : 'assets', assetsShown],
    ['values', r.kindNote !== undefined ? `${r.kind}; ${r.kindNote}` : r.kind],
    ['missing', `${formatPercent(r.missingShare)} of cells`],
  ];
  const total = Object.values(r.quality.counts).reduce((a, b) => a + b, 0);
  pairs.push(['quality', total === 0 ? 'no findings' : `${formatCount(total)} finding${total === 1 ? '' : 's'}`]);
  if (r.endNote !== undefined) pairs.push(['note', r.endNote]);
  const lines = [keyValues(pairs)];
  if (total > 0) lines.push(...formatQualityReport(r.quality).map((l) => `  ${l}`));
  if (r.cleaned) lines.push(`cleaned   ${formatCount(r.cleaned.cells)} bad-tick cell${r.cleaned.cells === 1 ? '' : 's'} set to missing`);
  if (r.written) lines.push(`wrote     ${r.written}`);
  return lines;
}

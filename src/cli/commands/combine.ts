/**
 * `factorlab combine`: several factors into one composite, by equal weights of per-date z-scores
 * or by their trailing IC / IC_IR (using only forward returns already realised at each formation
 * date), with the weight history; optionally tested like any factor.
 */
import { type Command, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import { Frame } from '../../core/frame.js';
import type { Panel } from '../../core/panel.js';
import { combineFactorsWithPrices } from '../../signals/combineWithPrices.js';
import type { CompositeMethod } from '../../signals/composite.js';
import { holdDuckdb } from '../../io/duckdb.js';
import { writeTable } from '../../io/write.js';
import { checkOutputs, TABLE_FORMATS } from '../../io/outputs.js';
import { formatNumber, plural, table } from '../format.js';
import { loadPrices, loadValues, positiveInteger } from '../load.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../run.js';

export interface CombineFlags {
  factor: string[];
  name?: string;
  prices?: string;
  method: CompositeMethod;
  window: number;
  horizon: number;
  ic: 'spearman' | 'pearson';
  dateCol?: string;
  assetCol?: string;
  factorCol?: string;
  priceCol?: string;
  clean?: boolean;
  out: string;
  weightsOut?: string;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerCombine(program: Command, streams: CliStreams): void {
  program
    .command('combine')
    .summary('combine factors into a composite by equal, IC or IC_IR weights')
    .description(
      'Z-score each factor per date and combine them: equal weights, or weights proportional to each ' +
        'factor\'s trailing mean IC (ic) or IC_IR (icir) over a window of past formation dates, using ' +
        'only forward returns already realised at each date (no look-ahead). Writes the composite ' +
        '(test it with factorlab analyze) and the weight history.',
    )
    .requiredOption('--factor <file>', 'a factor file (long or wide); repeat for each factor', collect)
    .option('--name <list>', 'names of the factors, comma-separated (default: the file names)')
    .option('--prices <file>', 'prices, needed for --method ic and icir')
    .addOption(new Option('--method <method>', 'weighting').choices(['equal', 'ic', 'icir']).default('equal'))
    .addOption(new Option('--window <n>', 'trailing formation dates of IC behind each weight').default(12).argParser(positiveInteger('--window')))
    .addOption(new Option('--horizon <n>', 'forward-return horizon of the IC, in rows of the price calendar').default(1).argParser(positiveInteger('--horizon')))
    .addOption(new Option('--ic <kind>', 'rank IC (spearman) or normal IC (pearson)').choices(['spearman', 'pearson']).default('spearman'))
    .option('--factor-col <name>', 'value column of long factor files')
    .option('--price-col <name>', 'price column of a long price file')
    .option('--date-col <name>', 'date column of the files')
    .option('--asset-col <name>', 'asset column of long files')
    .option('--clean', 'set one-day bad ticks in the prices to missing')
    .requiredOption('--out <file>', 'the composite: .csv, .csv.gz, .parquet or .json (long date,asset,value)')
    .option('--weights-out <file>', 'the weight history: date and one column per factor')
    .addHelpText(
      'after',
      `
Examples:
  factorlab combine --factor value.csv --factor quality.csv --out composite.csv
  factorlab combine --factor value.csv --factor momentum.csv --prices prices.csv.gz --method icir --window 12 --horizon 21 --out composite.parquet --weights-out weights.csv
  factorlab analyze --factor composite.parquet --prices prices.csv.gz`,
    )
    .action(async (flags: CombineFlags) => {
      checkOutputs([{ path: flags.out, flag: '--out', formats: TABLE_FORMATS }, { path: flags.weightsOut, flag: '--weights-out', formats: TABLE_FORMATS }]); // before any work
      const progress = progressReporter(true);
      let lines: string[];
      try {
        const names = flags.name !== undefined ? flags.name.split(',').map((s) => s.trim()) : flags.factor.map((f) => f.replace(/^.*[\\/]/, '').replace(/\.(csv|csv\.gz|parquet|json)$/i, ''));
        if (names.length !== flags.factor.length) throw new InputError(`--name gives ${names.length} names for ${flags.factor.length} factors`);
        if (new Set(names).size !== names.length) throw new InputError(`factor names must differ: ${names.join(', ')}`, { hint: 'name them with --name a,b,...' });
        const factors: Record<string, Panel> = {};
        // One DuckDB instance for every file of the run.
        const prices = await holdDuckdb(async () => {
          for (let k = 0; k < names.length; k++) {
            factors[names[k]] = (await loadValues(flags.factor[k], { dateCol: flags.dateCol, assetCol: flags.assetCol, valueCol: flags.factorCol }, progress.update)).panel;
          }
          return flags.prices === undefined ? undefined : loadPrices(flags.prices, { dateCol: flags.dateCol, assetCol: flags.assetCol, valueCol: flags.priceCol }, flags.clean ?? false, progress.update);
        });
        const result = combineFactorsWithPrices(factors, prices?.panel, { method: flags.method, window: flags.window, horizon: flags.horizon, ic: flags.ic });
        await writeTable(flags.out, result.composite);
        if (flags.weightsOut !== undefined) await writeTable(flags.weightsOut, new Frame(result.weights.dates, result.weights.columns, result.weights.series));
        progress.stop();
        lines = renderCombine(result.names, result.weights, result.composite, flags, prices?.notes ?? []);
      } finally {
        progress.stop();
      }
      streams.stdout(`${lines.join('\n')}\n`);
    });
}

function renderCombine(names: readonly string[], weights: Frame, composite: Panel, flags: CombineFlags, notes: string[]): string[] {
  const n = weights.nDates;
  let first = -1;
  for (let t = 0; t < n; t++) if (weights.series.every((s) => Number.isFinite(s[t]))) { first = t; break; }
  const mean = (s: Float64Array): number => {
    let a = 0, k = 0;
    for (const v of s) if (Number.isFinite(v)) { a += v; k++; }
    return k > 0 ? a / k : NaN;
  };
  const iso = weights.isoDates();
  return [
    `factorlab combine: ${names.join(' + ')} by ${flags.method === 'equal' ? 'equal weights' : `trailing ${flags.window}-date mean ${flags.method === 'ic' ? 'IC' : 'IC_IR'} (${flags.ic}, horizon ${flags.horizon})`}`,
    ...notes.map((x) => `  ${x}`),
    `  composite: ${plural(composite.nDates, 'date')} x ${plural(composite.nAssets, 'asset')}; weights known from ${first >= 0 ? iso[first] : 'never (too little history)'}`,
    '',
    table(
      ['factor', 'mean weight', `last weight (${n > 0 ? iso[n - 1] : '-'})`],
      names.map((f) => [f, formatNumber(mean(weights.get(f)), 3), n > 0 ? formatNumber(weights.get(f)[n - 1], 3) : '']),
      { indent: 2, align: ['left', 'right', 'right'] },
    ),
    '',
    `  wrote ${flags.out}${flags.weightsOut !== undefined ? ` and ${flags.weightsOut}` : ''}; test it with: factorlab analyze --factor ${flags.out} --prices <prices>`,
  ];
}

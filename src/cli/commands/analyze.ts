/**
 * `factorlab analyze`: does a signal predict returns? The whole single-factor test (IC and rank IC,
 * quantile backtest, cross-sectional regression test, turnover, data loss) of a factor file against
 * a price file, as a summary a researcher reads in ten seconds and the full result as JSON.
 * The per-date statistics run on `--threads` worker threads (parallel/analyze.ts; the same result,
 * bit for bit; one thread or a job under 1.5M asset-days runs in process).
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { asOfPanel } from '../../core/align.js';
import { detectFrequency, periodEnds } from '../../core/calendar.js';
import { InputError } from '../../core/errors.js';
import { Panel } from '../../core/panel.js';
import { sessionDates } from '../../core/sessionDates.js';
import { formatIsoDate } from '../../core/dates.js';
import { resamplePrices } from '../../core/returns.js';
import { momentum } from '../../signals/momentum.js';
import type { DataLoss } from '../../signals/dataLoss.js';
import { headlineTable, type AnalysisBuffers, type FactorAnalysis } from '../../signals/analyze.js';
import type { HeadlineCell } from '../../signals/statistic.js';
import { analyzeFactorParallel } from '../../parallel/analyze.js';
import { defaultThreads } from '../../parallel/pool.js';
import type { FactorData, Universe } from '../../signals/factorData.js';
import type { ForwardReturnOrder } from '../../signals/forwardOrder.js';
import { isPeriodEndColumn } from '../../io/columns.js';
import { holdDuckdb } from '../../io/duckdb.js';
import { writeJsonAtomic } from '../../io/write.js';
import { formatCount, formatNumber, formatPercent, plural, table } from '../format.js';
import type { LoadedGroups } from '../../io/groups.js';
import type { LoadedPanel } from '../../io/readPanel.js';
import {
  loadGroups,
  missingSpelledGroups,
  loadPrices,
  loadValues,
  type LoadedPrices,
  nonNegativeInteger,
  parseIntList,
  shareArg,
  parseNumber,
  parseNumberList,
  unusedValueColumn,
  timezoneOption,
  warnIfCutOff,
} from '../load.js';
import type { BinSpec } from '../../signals/quantiles.js';
import { progressReporter, type ProgressCallback } from '../progress.js';
import { dateRange, factorOnPriceLabels } from '../calendars.js';
import type { CliStreams } from '../streams.js';
import { printJson } from '../printJson.js';
import { threadsOption } from '../threads.js';
import { markStage, reportStages } from '../timings.js';
import { tearSheetExtras } from '../tearSheetData.js';
import type { TearSheetExtras } from '../../report/tearSheet.js';
import { factorTearSheetDocument } from '../../report/tearSheet.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { generatorLine } from '../generator.js';
import { assetNamesHint } from '../../core/assetNames.js';

export interface AnalyzeFlags {
  factor: string;
  prices: string;
  timezone?: string;
  factorCol?: string;
  priceCol?: string;
  dateCol?: string;
  assetCol?: string;
  groups?: string;
  groupCol?: string;
  groupAssetCol?: string;
  groupNames?: string;
  weights?: string;
  horizons: number[];
  quantiles: number;
  /** Equal-width bins per date instead of quantiles (`pandas.cut(x, n)`). */
  bins?: number;
  /** Custom quantile probabilities per date (`pandas.qcut(x, [0, .1, .5, .9, 1])`). */
  quantileEdges?: number[];
  /** Fixed value edges, right-closed, the first including its lower edge (`pandas.cut(x, edges, include_lowest=True)`). */
  binEdges?: number[];
  /** `--zero-aware`: negative and non-negative values binned apart (alphalens zero_aware). */
  zeroAware?: boolean;
  byGroup?: boolean;
  universe: Universe;
  minAssets: number;
  icThreshold: number;
  executionLag: number;
  maxLoss: number;
  periodsPerYear?: number;
  sample?: 'weekly' | 'monthly';
  /** Forward returns demeaned within each group per date (alphalens group_adjust). */
  groupAdjust?: boolean;
  /** Formation dates at the price calendar's period ends, each asset's latest factor value as of each (core `asOfPanel`). */
  asOf?: 'daily' | 'weekly' | 'monthly';
  /** With asOf: a value older than this many calendar days is missing (default {@link DEFAULT_MAX_AGE_DAYS}). */
  maxAge?: number;
  decay?: number;
  zscore?: boolean;
  controls?: boolean;
  clean?: boolean;
  json?: boolean;
  out?: string;
  /** Write the tear sheet (HTML). */
  report?: string;
  /** Write each chart of the tear sheet as SVG into this directory. */
  svg?: string;
  /** Compute the tear sheet's extra numbers into the JSON (`tearSheet`). */
  reportData?: boolean;
  /** Worker threads for the per-date statistics (default: the available cores). */
  threads?: number;
}

/** The full result with the inputs it was run on: the JSON `analyze --out` writes (the analysis's `toJSON()` between `inputs, notes` and `tearSheet`). */
export interface AnalyzeOutput extends FactorAnalysis {
  /** The binning when it is not plain quantiles (`--bins`, `--quantile-edges`, `--bin-edges`), as given. */
  binning?: BinSpec;
  inputs: {
    factor: { file: string; layout: string; nDates: number; nAssets: number };
    prices: { file: string; layout: string; nDates: number; nAssets: number; badTicks: number; cleaned: number };
    groups?: { file: string; groups: string[] };
  };
  notes: string[];
  /** Only with --report, --svg or --report-data: quantile x group means, group-demeaned returns, the event view. */
  tearSheet?: TearSheetExtras;
}

export function registerAnalyze(program: Command, streams: CliStreams): void {
  const cmd = program
    .command('analyze')
    .summary('test whether a factor predicts returns: IC, quantiles, regression test, turnover')
    .description(
      'Run the single-factor test of a factor against prices: information coefficient and rank IC ' +
        '(mean, IC_IR, share positive, t and Newey-West t), quantile backtest (mean return per ' +
        'quantile, top-minus-bottom spread, NAV with rebalancing every h rows), the cross-sectional ' +
        'regression test (factor return and its t per date), turnover, and an account of the data lost ' +
        'at each stage. Prints a summary; --out writes everything as JSON.',
    )
    .requiredOption(
      '--factor <file>',
      'factor values (long date,asset,value or wide date,A,B,...), or momentum[:LOOKBACK,SKIP] computed from the prices (default 252,21: 12-1 momentum)',
    )
    .requiredOption('--prices <file>', 'prices: long or wide, daily')
    .option('--factor-col <name>', 'value column of a long factor file (default: value, factor_value, ...)')
    .option(
      '--price-col <name>',
      'price column of a long price file (default: adj_close, close, price: the adjusted close when there are both)',
    )
    .option('--date-col <name>', 'date column of both files (default: date)')
    .addOption(timezoneOption('both files'))
    .option('--asset-col <name>', 'asset column of long files (default: asset, ticker, symbol, ...)')
    .option('--groups <file>', 'industries or sectors: asset,group (or date,asset,group); headerless files are read as asset,group')
    .option('--group-col <name>', 'group column of the groups file')
    .option('--group-asset-col <name>', 'asset column of the groups file')
    .option('--group-names <file>', 'id,name file mapping group ids to names')
    .option('--weights <file>', 'weights such as market cap (long or wide), for cap-weighted quantile means')
    .addOption(
      new Option('--horizons <list>', 'forward-return horizons in rows of the PRICE calendar')
        .default([1, 5, 21], '1,5,21')
        .argParser(parseIntList('--horizons')),
    )
    .addOption(
      new Option('--quantiles <n>', 'quantiles per date (labels 1 = lowest .. n), at least 2')
        .default(5)
        .argParser(parseNumber('--quantiles', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2 (one quantile has no spread)')),
    );
  addBinningOptions(cmd)
    .option('--by-group', 'quantiles within each group per date (industry-neutral); needs --groups')
    .addOption(
      new Option('--universe <kind>', "joint: assets with every horizon's return (alphalens); pairwise: each horizon its own")
        .choices(['joint', 'pairwise'])
        .default('joint'),
    )
    .addOption(
      new Option('--min-assets <n>', 'fewest assets a date needs, at least 2')
        .default(3)
        .argParser(
          parseNumber('--min-assets', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2 (a correlation needs two assets)'),
        ),
    )
    .addOption(
      new Option('--ic-threshold <x>', 'report the share of dates with |IC| above this')
        .default(0.03)
        .argParser(parseNumber('--ic-threshold', (n) => n >= 0 && n < 1, 'a number in [0, 1) (|IC| is at most 1)')),
    )
    .addOption(
      new Option('--execution-lag <n>', 'rows between the signal and the trade (1: signal at t, trade at t+1)')
        .default(0)
        .argParser(nonNegativeInteger('--execution-lag')),
    )
    .addOption(
      new Option(
        '--periods-per-year <n>',
        'periods per year for annualising (default: from the factor dates: 252 daily, 365 if they include weekends, 52 weekly, 12 monthly)',
      ).argParser(parseNumber('--periods-per-year', (n) => n > 0, 'a number > 0')),
    )
    .addOption(
      new Option('--max-loss <share>', 'stop when a larger share of observations is lost').default(0.35).argParser(shareArg('--max-loss')),
    )
    .addOption(
      new Option('--sample <frequency>', 'use only the last factor date of each week or month as formation dates').choices([
        'weekly',
        'monthly',
      ]),
    )
    .addOption(asOfOption())
    .addOption(maxAgeOption())
    .addOption(groupAdjustOption())
    .addOption(
      new Option('--decay <n>', 'also the IC at lags 0..n formation rows after the signal (IC decay)').argParser(
        nonNegativeInteger('--decay'),
      ),
    )
    .option('--zscore', 'regression test on the per-date z-scored factor (t is unchanged, the slope is per 1 sd)')
    .option('--controls', 'regression test with group dummies as controls (needs --groups)')
    .option('--clean', 'set one-day bad ticks in the prices to missing before computing returns')
    .option('--json', 'print the full result as JSON on stdout instead of the summary')
    .option('--out <file>', 'write the full result as JSON')
    .option(
      '--report <file.html>',
      'write the factor tear sheet: one self-contained HTML page (quantile returns, NAVs, IC through time, its histogram, Q-Q plot and monthly heatmap, regression t-values, turnover, by-group and event views, data lost)',
    )
    .option('--svg <dir>', 'write each chart of the tear sheet as a standalone SVG file into this directory (created if missing)')
    .option(
      '--report-data',
      'also compute the tear sheet\'s extra numbers (quantile x group means, group-demeaned returns, the event view) into the JSON under "tearSheet" (implied by --report and --svg)',
    )
    .addOption(threadsOption())
    .addHelpText(
      'after',
      `
Defaults: horizons 1,5,21 rows of the price calendar; a factor date trades on the first price date
on or after it; joint universe; 5 quantiles with pandas.qcut semantics (ties go to the lowest bin
that holds them, never an error); Newey-West lags = the horizon in factor rows; at least 3 assets
a date; stop if more than 35% of observations are lost. The JSON has ic[h], quantiles[h],
regression[h], turnover[h] and dataLoss (see the README).
Threads: --threads N splits the per-date statistics over N worker threads by chunks of dates
(default: the available cores); --threads 1 runs in process, and so does any job under 1.5M
factor asset-days, whatever N is. A plain CSV of 24 MB or more is also parsed on N threads. The
result is the same, bit for bit, on any number of threads.

Examples:
  factorlab analyze --factor sse50_factor.csv --prices sse50_prices.csv --groups stock_2_idx.csv --horizons 1,5
  factorlab analyze --factor momentum --sample monthly --prices us_sp500_adj_ohlcv_2005_2017.csv.gz --clean --horizons 21,63
  factorlab analyze --factor value.parquet --prices prices.csv.gz --asset-col ticker --out result.json
  factorlab analyze --factor fundamentals.csv --factor-col "After Tax ROE" --prices prices.csv.gz --as-of monthly --execution-lag 63
  factorlab analyze --factor momentum --sample monthly --prices prices.csv.gz --groups sectors.csv --horizons 21,63 --report momentum.html`,
    )
    .action(async (flags: AnalyzeFlags) => {
      checkReportOutputs(flags.report, flags.svg, [{ path: flags.out, flag: '--out', formats: ['json'] }]); // before any work
      markStage('parse');
      const result = await runAnalyze(flags);
      if (flags.out !== undefined) await writeJsonAtomic(flags.out, result);
      const written: string[] = [];
      if (flags.report !== undefined || flags.svg !== undefined) {
        const doc = factorTearSheetDocument({ ...result, generator: generatorLine() });
        if (flags.report !== undefined) {
          await writeReportHtml(flags.report, doc);
          written.push(`  wrote ${flags.report} (tear sheet)`);
        }
        if (flags.svg !== undefined) {
          const files = await writeReportSvgs(flags.svg, doc);
          written.push(`  wrote ${files.length} charts into ${flags.svg}`);
        }
        markStage('report');
      }
      markStage('write');
      if (flags.json) printJson(streams, result);
      else streams.stdout(`${[...renderAnalyze(result, flags.out), ...written].join('\n')}\n`);
      markStage('print');
      reportStages();
    });
}

const MOMENTUM = /^momentum(?::(\d+),(\d+))?$/;

/**
 * The factor panel: a file, or momentum computed from the prices; sampled weekly or monthly if
 * asked. `alloc` (the zoo's buffer lease) makes momentum's buffer.
 */
export async function loadFactor(
  flags: AnalyzeFlags,
  prices: Panel,
  onProgress: ProgressCallback,
  shared: boolean,
  alloc?: (bytes: number) => ArrayBufferLike,
): Promise<{ panel: Panel; layout: string; file: string; notes?: string[] }> {
  const m = MOMENTUM.exec(flags.factor);
  let panel: Panel, layout: string;
  const notes: string[] = [];
  if (m !== null && !existsSync(flags.factor)) {
    const lookback = m[1] === undefined ? 252 : Number(m[1]),
      skip = m[2] === undefined ? 21 : Number(m[2]);
    if (!(skip < lookback))
      throw new InputError(`momentum needs SKIP < LOOKBACK, got ${lookback},${skip}`, {
        hint: 'e.g. --factor momentum:252,21 (12-1 momentum)',
      });
    if (prices.nDates <= lookback) {
      // else every value is NaN and the run stops on "the factor has no finite value ... check the factor file"
      const l = Math.max(2, Math.floor(prices.nDates / 3)),
        s = Math.min(skip, Math.floor(l / 12));
      throw new InputError(
        `--factor momentum:${lookback},${skip} needs more than ${lookback} price rows before its first value; --prices ${flags.prices} has ${prices.nDates}`,
        {
          hint: `give a longer price history, or a LOOKBACK well under ${prices.nDates} rows that leaves dates to test (e.g. --factor momentum:${l},${s})`,
        },
      );
    }
    panel = momentum(prices, { lookback, skip, shared, ...(alloc !== undefined ? { alloc } : {}) });
    layout = `momentum p(t-${skip})/p(t-${lookback}) - 1 from the prices`;
  } else {
    const loaded = await loadValues(
      flags.factor,
      { dateCol: flags.dateCol, assetCol: flags.assetCol, valueCol: flags.factorCol, valueFlag: '--factor-col', timezone: flags.timezone },
      onProgress,
      shared,
      alloc,
    );
    panel = loaded.panel;
    layout = loaded.layout;
    const unused = unusedValueColumn(flags.factor, loaded, flags.factorCol, '--factor-col');
    if (unused !== undefined) notes.push(unused);
    await warnIfCutOff(flags.factor);
    const lag = flags.executionLag ?? 0;
    if (isPeriodEndColumn(loaded.dateCol) && lag < REPORTING_LAG_ROWS)
      notes.push(`warning: ${periodEndNote(flags.factor, loaded.dateCol, lag)}`);
    if (flags.sample === undefined && flags.asOf === undefined) {
      const moved = factorOnPriceLabels(panel, prices, `--factor ${flags.factor}`, `--prices ${flags.prices}`);
      panel = moved.panel;
      notes.push(...moved.notes);
    }
  }
  if (flags.sample !== undefined) panel = resamplePrices(panel, flags.sample);
  if (flags.asOf !== undefined) {
    const maxAge = flags.maxAge ?? DEFAULT_MAX_AGE_DAYS;
    panel = asOfPanel(panel, periodEnds(prices.dates, flags.asOf), maxAge);
    const when = flags.asOf === 'daily' ? 'every price date' : `the last price date of each ${flags.asOf === 'weekly' ? 'week' : 'month'}`;
    notes.push(`factor as of ${when}: each asset's latest value on or before it, at most ${maxAge} days old (--as-of, --max-age)`);
  }
  return { panel, layout, file: flags.factor, ...(notes.length > 0 ? { notes } : {}) };
}

/** Flags that only make sense together, refused before any file is read. */
/** `--as-of`: formation dates at the prices' period ends, each asset's latest factor value (analyze and zoo). */
export function asOfOption(): Option {
  return new Option(
    '--as-of <frequency>',
    "formation dates at the prices' last trading day of each month (week, or every day), each asset's latest factor value on or before it (--max-age): for sparse files such as fundamentals, each company on its own fiscal dates",
  ).choices(['daily', 'weekly', 'monthly']);
}

/** `--max-age` of `--as-of`. */
export function maxAgeOption(): Option {
  return new Option(
    '--max-age <days>',
    `with --as-of, a factor value older than this many calendar days is missing (default ${DEFAULT_MAX_AGE_DAYS})`,
  ).argParser(nonNegativeInteger('--max-age'));
}

/** `--group-adjust` (analyze and zoo). */
export function groupAdjustOption(): Option {
  return new Option(
    '--group-adjust',
    "demean the forward returns within each group per date before every statistic (alphalens group_adjust, the group_neutral tear sheet): the factor's power within industries; needs --groups",
  );
}

/** Exit 2 for --group-adjust without --groups. */
export function checkGroupAdjust(flags: Pick<AnalyzeFlags, 'groupAdjust' | 'groups'>): void {
  if (flags.groupAdjust === true && flags.groups === undefined)
    throw new InputError('--group-adjust needs --groups (the returns are demeaned within each group)', {
      hint: 'add --groups FILE, or drop --group-adjust',
    });
}

/** Exit 2 for --as-of beside --sample, or --max-age without --as-of (analyze and, once for the whole zoo, zoo). */
export function checkAsOfFlags(flags: Pick<AnalyzeFlags, 'asOf' | 'sample' | 'maxAge'>): void {
  if (flags.asOf !== undefined && flags.sample !== undefined)
    throw new InputError('--as-of and --sample both choose the formation dates', {
      hint: "--as-of monthly: the prices' month ends, each asset's latest value; --sample monthly: the factor's own last date of each month; keep one",
    });
  if (flags.maxAge !== undefined && flags.asOf === undefined)
    throw new InputError('--max-age needs --as-of (it limits how old a carried factor value may be)', {
      hint: 'add --as-of monthly, or drop --max-age',
    });
}

function checkFlagCombinations(flags: AnalyzeFlags): void {
  checkAsOfFlags(flags);
  checkGroupAdjust(flags);
  if (flags.asOf !== undefined && MOMENTUM.exec(flags.factor) !== null && !existsSync(flags.factor))
    throw new InputError("--as-of carries a factor file's values to the price dates; momentum is computed on the price dates already", {
      hint: 'use --sample monthly (or weekly) to test momentum at month ends',
    });
  if (flags.controls && flags.groups === undefined)
    throw new InputError('--controls needs --groups (the group dummies are the controls)', {
      hint: 'add --groups FILE, or drop --controls',
    });
  if (flags.byGroup && flags.groups === undefined)
    throw new InputError('--by-group needs --groups', { hint: 'add --groups FILE, or drop --by-group' });
}

/** Exit 2 for weights with a negative value (cap weights cannot be negative), naming the first. */
function checkWeights(weights: Panel, file: string): void {
  const m = weights.nAssets;
  for (let i = 0; i < weights.values.length; i++) {
    if (weights.values[i] < 0) {
      const t = Math.floor(i / m);
      throw new InputError(
        `negative weight ${weights.values[i]}: quantile means are weighted by these (market caps), which cannot be negative`,
        {
          file,
          asset: weights.assets[i % m],
          date: weights.isoDates()[t],
          hint: 'give non-negative weights with --weights, or drop --weights for equal weights',
        },
      );
    }
  }
}

const FREQUENCY_RANK: Record<string, number> = { daily: 0, weekly: 1, monthly: 2, quarterly: 3, annual: 4 };

/**
 * Exit 2 when the factor cannot be tested against the prices: no asset in common; no factor date
 * inside the prices' range; a single formation date; prices coarser than the factor (several
 * factor dates would trade on one price date and all but the last be dropped).
 */
function checkFactorDates(factor: Panel, prices: Panel, flags: AnalyzeFlags): void {
  const fLabel = `--factor ${flags.factor}`,
    pLabel = `--prices ${flags.prices}`;
  if (factor.nDates === 0 || prices.nDates === 0) return;
  if (!factor.assets.some((a) => prices.assetIndex(a) >= 0)) {
    const few = (p: Panel): string => `${p.assets.slice(0, 3).join(', ')}${p.nAssets > 3 ? ', ...' : ''}`;
    throw new InputError(`no asset of ${fLabel} (${few(factor)}) is in ${pLabel} (${few(prices)})`, {
      hint: assetNamesHint(factor.assets, prices.assets, fLabel, pLabel, 'asset names must match exactly: check --asset-col of both files'),
    });
  }
  const ff = detectFrequency(factor.dates).frequency,
    fp = detectFrequency(prices.dates).frequency;
  if (ff in FREQUENCY_RANK && fp in FREQUENCY_RANK && FREQUENCY_RANK[fp] > FREQUENCY_RANK[ff]) {
    throw new InputError(
      `${pLabel} is ${fp}, ${fLabel} is ${ff}: each factor date trades at the next price date, so all but the last ${ff} date of each ${fp} period would be dropped`,
      {
        hint: `give ${ff} prices, or sample the factor with --sample ${fp === 'weekly' ? 'weekly' : 'monthly'}`,
      },
    );
  }
  // a forward return needs the entry price (execution lag rows after the factor date) and the exit,
  // horizon rows later: beyond the price dates no formation date has one, whatever the universe
  const reach = Math.max(...flags.horizons) + (flags.executionLag ?? 0);
  if (reach >= prices.nDates) {
    const lag = flags.executionLag ?? 0;
    throw new InputError(
      `--horizons ${flags.horizons.join(',')}${lag > 0 ? ` with --execution-lag ${lag}` : ''} reach ${reach} price rows past a factor date; ${pLabel} has ${prices.nDates}`,
      { hint: `choose horizons (and lag) that add up to well under ${prices.nDates} rows, or give a longer price history` },
    );
  }
  const inside = factor.dates.filter((d) => d >= prices.dates[0] && d <= prices.dates[prices.nDates - 1]);
  if (inside.length === 0) {
    throw new InputError(
      `no factor date lies inside the prices: ${fLabel} covers ${dateRange(factor.dates)}, ${pLabel} covers ${dateRange(prices.dates)}`,
      {
        hint: 'give prices that cover the factor dates (a factor can only be tested on returns after its date)',
      },
    );
  }
  if (inside.length < 2 && flags.periodsPerYear === undefined) {
    throw new InputError(
      `only one factor date (${dateRange(inside)}) lies inside the prices (${dateRange(prices.dates)}): IC statistics need at least 2 formation dates`,
      {
        file: flags.factor,
        hint: 'give a factor with more dates inside the price range',
      },
    );
  }
}

export async function runAnalyze(flags: AnalyzeFlags): Promise<AnalyzeOutput> {
  checkFlagCombinations(flags);
  const progress = progressReporter(!flags.json);
  try {
    const table = { dateCol: flags.dateCol, assetCol: flags.assetCol, threads: flags.threads, timezone: flags.timezone };
    // With worker threads the panels are read onto shared memory, which the workers read in place.
    const shared = (flags.threads ?? defaultThreads()) > 1;
    // One DuckDB instance for every file of the run.
    const { prices, factor, weights, groups } = await holdDuckdb(async () => {
      const prices = await loadPrices(flags.prices, { ...table, valueCol: flags.priceCol }, flags.clean ?? false, progress.update, shared);
      const factor = await loadFactor(flags, prices.panel, progress.update, shared);
      const weights =
        flags.weights === undefined ? undefined : await loadValues(flags.weights, { ...table, valueFlag: null }, progress.update);
      const groups = flags.groups === undefined ? undefined : await loadGroups(flags.groups, flags);
      return { prices, factor, weights, groups };
    });
    // the factor panel was read for this analysis alone: the prepared factor may go over it (one panel less)
    return await analyzeLoaded(flags, { prices, factor, weights, groups, factorOwned: true }, progress.update);
  } finally {
    progress.stop();
  }
}

/** --max-age's default: a year and a day, so an annual report is carried until the next one (a day late at most) and no further. */
export const DEFAULT_MAX_AGE_DAYS = 366;

/** About three months of trading days: an execution lag this long or longer covers the usual filing delay of fundamentals. */
export const REPORTING_LAG_ROWS = 63;

/**
 * The warning for a factor file dated by fiscal period end (io `isPeriodEndColumn`), when the
 * execution lag is shorter than {@link REPORTING_LAG_ROWS}, without its `warning: `: analyze's note,
 * and backtest's warning (which gives its own `advice`, after "date the file by filing date, or").
 */
export function periodEndNote(
  file: string,
  dateCol: string,
  lag: number,
  advice = `add a reporting lag with --execution-lag ${REPORTING_LAG_ROWS} (about 3 months of trading days)`,
): string {
  return (
    `${file} is dated by "${dateCol}", a fiscal period's end: such values are published weeks to months later (a 10-K up to 90 days), ` +
    `so testing them as dated has look-ahead${lag > 0 ? ` (the execution lag is ${plural(lag, 'row')})` : ''}: date the file by filing date, or ${advice}`
  );
}

/** What {@link analyzeLoaded} analyses: the inputs of one run, read (`factorlab zoo` reads the prices, weights and groups once for many factors). */
export interface LoadedAnalyzeInputs {
  prices: LoadedPrices;
  factor: { panel: Panel; layout: string; file: string; notes?: string[] };
  weights?: LoadedPanel;
  groups?: LoadedGroups;
  /** Forward returns of the prices at `flags.horizons`, computed once and shared between factors (the same numbers; see signals AnalyzeOptions). */
  forwardReturns?: ReadonlyMap<number, Panel>;
  /** The per-date sort order of `forwardReturns`, computed once for every factor (signals forwardOrder.ts): the same numbers, no sort of the returns per factor. */
  forwardOrder?: ForwardReturnOrder;
  /** Buffers reused from factor to factor (signals buffers.ts; the zoo): the same numbers, less memory paged in. */
  buffers?: AnalysisBuffers;
  /** Nothing reads `factor.panel`'s values after the analysis: the prepared factor may be written over them (signals `overwriteFactor`; one panel of memory less). */
  factorOwned?: boolean;
}

/** The checks, the analysis and the result JSON of loaded inputs: everything `analyze` does after reading its files. */
export async function analyzeLoaded(
  flags: AnalyzeFlags,
  inputs: LoadedAnalyzeInputs,
  onProgress: ProgressCallback = () => undefined,
): Promise<AnalyzeOutput> {
  const { prices, factor, groups } = inputs;
  let weights = inputs.weights;
  const weightNotes: string[] = [];
  if (weights !== undefined) {
    // weights dated on a day without a price (a month end on a Sunday) are those of the session
    // before it (core sessionDates), as rolling's holdings are
    const on = sessionDates(weights.panel.dates, prices.panel.dates);
    if (on.moved > 0) {
      weights = { ...weights, panel: new Panel(on.dates, weights.panel.assets, weights.panel.values) };
      weightNotes.push(
        `--weights ${flags.weights}: ${on.moved} of its ${on.dates.length} dates fall on days without a price (the first ${formatIsoDate(on.first[0])}): each weighs from the session before it (${formatIsoDate(on.first[1])})`,
      );
    }
    checkWeights(weights.panel, flags.weights as string);
    const w = weights.panel.dates,
      p = prices.panel.dates;
    if (w.length > 0 && p.length > 0 && (w[0] > p[p.length - 1] || w[w.length - 1] < p[0])) {
      throw new InputError(
        `the weights (${dateRange(w)}) do not overlap the prices (${dateRange(p)}): every formation date would use weights from another period`,
        { file: flags.weights, hint: "give weights dated inside the prices' range" },
      );
    }
  }
  checkFactorDates(factor.panel, prices.panel, flags);
  markStage('read');
  onProgress({ phase: 'analysing', done: 0 });
  const binning = binningOf(flags);
  const analysis = await analyzeFactorParallel(
    { factor: factor.panel, prices: prices.panel },
    {
      horizons: flags.horizons,
      quantiles: binning ?? flags.quantiles,
      byGroup: flags.byGroup,
      groupAdjust: flags.groupAdjust,
      universe: flags.universe,
      minAssets: flags.minAssets,
      icThreshold: flags.icThreshold,
      executionLag: flags.executionLag,
      maxLoss: flags.maxLoss,
      // sampled formation dates are a week or a month apart by construction, however few (a
      // quarter of data has three month-ends, one of them partial: the spacing cannot tell)
      periodsPerYear:
        flags.periodsPerYear ??
        (flags.sample === 'monthly' || flags.asOf === 'monthly'
          ? 12
          : flags.sample === 'weekly' || flags.asOf === 'weekly'
            ? 52
            : undefined),
      groups: groups?.groups,
      weights: weights?.panel,
      regression: { factorScale: flags.zscore ? 'zscore' : 'raw', groupControls: flags.controls },
      decayLags: flags.decay === undefined ? undefined : Array.from({ length: flags.decay + 1 }, (_, i) => i),
      threads: flags.threads,
      ...(inputs.forwardReturns !== undefined ? { forwardReturns: inputs.forwardReturns } : {}),
      ...(inputs.forwardOrder !== undefined ? { forwardOrder: inputs.forwardOrder } : {}),
      ...(inputs.buffers !== undefined ? { buffers: inputs.buffers } : {}),
      ...(inputs.factorOwned === true ? { overwriteFactor: true } : {}),
    },
  );
  if (analysis.nDates === 0) {
    const stages = [...analysis.dataLoss.common, ...(analysis.dataLoss.horizons[0]?.stages ?? [])]
      .filter((x) => x.dropped > 0)
      .map((x) => `${x.stage} ${x.dropped}`);
    throw new InputError(`no formation date is left to test: ${stages.join(', ') || 'every date was dropped'}`, {
      hint: 'fewer --min-assets, shorter --horizons, or prices that cover the factor dates and assets',
    });
  }
  markStage('compute');
  const wantsExtras = flags.report !== undefined || flags.svg !== undefined || flags.reportData === true;
  if (wantsExtras) onProgress({ phase: 'tear sheet data', done: 0 });
  const tearSheet = wantsExtras ? tearSheetExtras(analysis, prices.panel) : undefined;
  if (wantsExtras) markStage('tear-sheet-data');
  return {
    inputs: {
      factor: { file: flags.factor, layout: factor.layout, nDates: factor.panel.nDates, nAssets: factor.panel.nAssets },
      prices: {
        file: flags.prices,
        layout: prices.loaded.layout,
        nDates: prices.panel.nDates,
        nAssets: prices.panel.nAssets,
        badTicks: prices.quality.counts['bad-tick'],
        cleaned: prices.cleaned,
      },
      ...(groups ? { groups: { file: groups.file, groups: groups.names } } : {}),
    },
    notes: [
      ...prices.notes,
      ...(factor.notes ?? []),
      ...(groups ? missingSpelledGroups(groups) : []),
      ...weightNotes,
      ...(weights !== undefined ? missingWeights(analysis.data, flags.weights as string) : []),
      ...noSpreadNotes(analysis.data, flags.factor, flags.prices),
      ...noVariationNotes(analysis),
      ...(flags.groupAdjust === true
        ? ['forward returns demeaned within each group per date (--group-adjust): every statistic is within groups']
        : []),
    ],
    ...(binning !== undefined ? { binning } : {}),
    ...analysis.toJSON(),
    ...(tearSheet ? { tearSheet } : {}),
  };
}

/**
 * The note for observations (a factor value in the universe) without a weight on or before their
 * date: they count in the equal-weighted statistics and are left out of the weighted means, which
 * the user should know (a weights file that starts late, or misses names).
 */
function missingWeights(data: FactorData, file: string): string[] {
  const w = data.weights;
  if (w === undefined) return [];
  const f = data.factor.values,
    wv = w.values;
  let obs = 0,
    missing = 0;
  for (let i = 0; i < f.length; i++) {
    const x = f[i];
    if (x !== x) continue;
    obs++;
    if (wv[i] !== wv[i]) missing++;
  }
  if (missing === 0) return [];
  return [
    `${file}: ${missing.toLocaleString('en-US')} of ${obs.toLocaleString('en-US')} factor observations (${((100 * missing) / obs).toFixed(1)}%) have no weight on or before their date: they are left out of the weighted quantile means`,
  ];
}

/** The start of {@link noSpreadNotes}' note: the zoo finds it among a factor's notes to say why its row is n/a. */
export const NO_SPREAD_NOTE = 'no cross-sectional spread';

/**
 * The note for an analysis whose statistics are n/a because no formation date has a spread across
 * assets in both the factor and the forward returns at any horizon: a correlation, a rank or a
 * regression across assets needs two different values on the same date. Names the cause (a factor
 * with one value for every asset on each date; forward returns equal across assets, all zero when
 * the prices do not move) instead of leaving a table of n/a unexplained. Empty when some date has both.
 */
export function noSpreadNotes(data: FactorData, factorFile: string, pricesFile: string): string[] {
  const f = data.factor.values,
    m = data.factor.nAssets,
    n = data.factor.nDates;
  let factorSpread = false,
    returnSpread = false,
    nonZeroReturn = false;
  for (const h of data.horizons) {
    const fwd = data.forward.get(h);
    if (fwd === undefined) return [];
    const r = fwd.values;
    for (let t = 0; t < n; t++) {
      let fLo = Infinity,
        fHi = -Infinity,
        rLo = Infinity,
        rHi = -Infinity;
      for (let i = t * m; i < t * m + m; i++) {
        const x = f[i],
          y = r[i];
        if (x !== x || y !== y) continue;
        if (x < fLo) fLo = x;
        if (x > fHi) fHi = x;
        if (y < rLo) rLo = y;
        if (y > rHi) rHi = y;
        if (y !== 0) nonZeroReturn = true;
      }
      if (fLo < fHi) factorSpread = true;
      if (rLo < rHi) returnSpread = true;
      if (fLo < fHi && rLo < rHi) return [];
    }
  }
  const na = 'the IC, rank IC, their t-values, monotonicity and the regression test are n/a';
  if (!factorSpread)
    return [
      `${NO_SPREAD_NOTE}: ${factorFile} gives every asset the same value on each formation date, so it ranks nothing: ${na}, and so are the quantile spread and turnover; a factor must differ across assets on a date (a market-wide series, one value per date, is not a cross-sectional factor)`,
    ];
  if (!returnSpread)
    return [
      `${NO_SPREAD_NOTE}: the forward returns of ${pricesFile} are equal across assets on every formation date${nonZeroReturn ? '' : ' (all zero: the prices do not move)'}, so there is nothing to predict: ${na}${nonZeroReturn ? '' : ' (the quantile spread is 0)'}; check that the price file is the right one`,
    ];
  return [`${NO_SPREAD_NOTE}: no formation date has both factor values and forward returns that differ across assets: ${na}`];
}

/** The start of {@link noVariationNotes}' note. */
export const NO_VARIATION_NOTE = 'no variation over time';

/**
 * The note for the means whose t-test is undefined because the series never varies (summary.ts
 * `meanTest`: t, p, NW t and p, and the IR are NaN, printed n/a): the IC, rank IC, top − bottom
 * spread or factor return equal on every formation date (an IC of 1 each date: a factor made of
 * the returns it predicts). Empty when every t is defined; a series with fewer than two values or
 * no mean is n/a for that reason instead, and is not named here.
 */
export function noVariationNotes(r: Pick<FactorAnalysis, 'horizons' | 'ic' | 'quantiles' | 'regression'>): string[] {
  const constant = (s: { n: number; mean: number; tStat: number } | undefined): boolean =>
    s !== undefined && s.n >= 2 && Number.isFinite(s.mean) && Number.isNaN(s.tStat);
  const parts: string[] = [];
  let count = 0;
  for (const h of r.horizons) {
    const k = String(h);
    const named: string[] = [];
    const ic = r.ic[k]?.summary;
    if (constant(ic?.pearson)) named.push(`the IC (${num(ic.pearson.mean)})`);
    if (constant(ic?.spearman)) named.push(`the rank IC (${num(ic.spearman.mean)})`);
    const spread = r.quantiles[k]?.spread;
    if (constant(spread)) named.push(`the top − bottom spread (${pct(spread.mean)})`);
    const reg = r.regression[k]?.summary;
    if (reg !== undefined && constant({ n: reg.n, mean: reg.meanFactorReturn, tStat: reg.tStat }))
      named.push(`the factor return (${num(reg.meanFactorReturn)})`);
    if (named.length > 0)
      parts.push(`at h=${k} ${named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : named[0]}`);
    count += named.length;
  }
  if (parts.length === 0) return [];
  return [
    `${NO_VARIATION_NOTE}: ${parts.join('; ')} ${count === 1 ? 'is' : 'are'} the same on every formation date, so the t-test of the mean is undefined: their t-values, p-values and IR are n/a; a statistic that never varies usually means a factor computed from the returns it predicts (look-ahead): check how the factor is built`,
  ];
}

/**
 * The binnings besides `--quantiles` (analyze and zoo): `--bins`, `--quantile-edges`, `--bin-edges`
 * (at most one) and `--zero-aware`; {@link binningOf} turns them into a BinSpec.
 */
export function addBinningOptions(c: Command): Command {
  return c
    .addOption(
      new Option(
        '--bins <n>',
        "equal-width bins per date between the date's lowest and highest value (pandas.cut(x, n)), instead of quantiles",
      )
        .argParser(parseNumber('--bins', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2 (one bin has no spread)'))
        .conflicts(['quantiles', 'quantileEdges', 'binEdges']),
    )
    .addOption(
      new Option('--quantile-edges <list>', 'quantiles at these probabilities per date, e.g. 0,0.1,0.5,0.9,1 (pandas.qcut(x, [...]))')
        .argParser(parseNumberList('--quantile-edges', '0,0.1,0.5,0.9,1'))
        .conflicts(['quantiles', 'binEdges']),
    )
    .addOption(
      new Option(
        '--bin-edges <list>',
        'bins between these fixed factor values, e.g. -2,-1,0,1,2 (right-closed, the first including its lower edge; values outside are left out)',
      )
        .argParser(parseNumberList('--bin-edges', '-2,-1,0,1,2'))
        .conflicts(['quantiles']),
    )
    .addOption(
      new Option(
        '--zero-aware',
        "for signals whose sign means something (alphalens zero_aware): each date's negative values get labels 1..n/2 by their own quantiles (or --bins), the values >= 0 get n/2+1..n; n must be even",
      ).conflicts(['quantileEdges', 'binEdges']),
    );
}

/** The binning of `--bins`, `--quantile-edges`, `--bin-edges` (at most one: commander refuses two) or `--zero-aware`; undefined for plain `--quantiles`. */
export function binningOf(
  flags: Pick<AnalyzeFlags, 'bins' | 'quantileEdges' | 'binEdges' | 'quantiles' | 'zeroAware'>,
): BinSpec | undefined {
  if (flags.zeroAware === true) {
    const [n, flag] = flags.bins !== undefined ? [flags.bins, '--bins'] : [flags.quantiles, '--quantiles'];
    if (n % 2 !== 0)
      throw new InputError(`--zero-aware splits the labels evenly between negative and non-negative values: ${flag} ${n} is odd`, {
        hint: `give an even number, e.g. ${flag} ${n - 1} or ${flag} ${n + 1}${flag === '--quantiles' && n === 5 ? ' (5 is the default)' : ''}`,
      });
    return flags.bins !== undefined ? { bins: n, zeroAware: true } : { quantiles: n, zeroAware: true };
  }
  if (flags.bins !== undefined) return { bins: flags.bins };
  if (flags.quantileEdges !== undefined) return { quantileEdges: flags.quantileEdges };
  if (flags.binEdges !== undefined) return { binEdges: flags.binEdges };
  return undefined;
}

/** "5 quantiles", "5 equal-width bins", "4 quantiles at 0,0.1,0.5,0.9,1", "4 bins at -2,-1,0,1,2". */
export function describeBinning(b: BinSpec | undefined, labels: number | string): string {
  const zero = b !== undefined && 'zeroAware' in b && b.zeroAware === true ? ' (zero-aware: half below 0, half at or above)' : '';
  if (b === undefined || 'quantiles' in b) return `${labels} quantiles${zero}`;
  if ('bins' in b) return `${labels} equal-width bins${zero}`;
  if ('quantileEdges' in b) return `${labels} quantiles at ${b.quantileEdges.join(',')}`;
  return `${labels} bins at ${b.binEdges.join(',')}`;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(3)}%` : 'n/a');
const num = (x: number, d = 3): string => (Number.isFinite(x) ? formatNumber(x, d) : 'n/a');
const share = (x: number): string => (Number.isFinite(x) ? formatPercent(x, 0) : 'n/a');

/** One cell of the summary table, as the registered statistic's headline row asks. */
function cell(c: HeadlineCell): string {
  switch (c.kind) {
    case 'number':
      return num(c.value, c.digits);
    case 'percent':
      return pct(c.value);
    case 'share':
      return share(c.value);
    case 'pair':
      return `${num(c.value)} (${num(c.second)})`;
    case 'shares':
      return `${share(c.value)} / ${share(c.second)}`;
  }
}

/** IC decay and IC by group at the first horizon, one line each, when they were computed. */
function renderDecayAndGroups(r: AnalyzeOutput): string[] {
  const h = String(r.horizons[0]);
  const lines: string[] = [];
  const decay = r.icDecay?.[h];
  if (decay)
    lines.push(`  rank IC decay (h=${h}, lag in factor rows): ${decay.map((d) => `${d.lag}: ${num(d.spearman.mean)}`).join(', ')}`);
  const byGroup = r.icByGroup?.[h];
  if (byGroup && byGroup.summary.length > 0) {
    const sorted = [...byGroup.summary].filter((g) => Number.isFinite(g.spearman.mean)).sort((a, b) => b.spearman.mean - a.spearman.mean);
    const show = (g: (typeof sorted)[number]): string => `${g.group} ${num(g.spearman.mean)}`;
    const k = Math.min(3, Math.floor(sorted.length / 2));
    lines.push(
      `  rank IC by group (h=${h}): highest ${sorted.slice(0, k).map(show).join(', ')}; lowest ${sorted.slice(-k).reverse().map(show).join(', ')}`,
    );
  }
  return lines.length > 0 ? [...lines, ''] : [];
}

/** Data lost, one line per stage that lost anything (the JSON has every stage). */
export function renderDataLoss(loss: DataLoss): string[] {
  if (loss.maxShare === 0) return [`  data lost: nothing (${formatCount(loss.initial)} factor observations used)`];
  const parts = loss.common.filter((s) => s.dropped > 0).map((s) => `${s.stage} ${formatCount(s.dropped)} (${formatPercent(s.share)})`);
  for (const h of loss.horizons) {
    for (const s of h.stages.filter((x) => x.dropped > 0))
      parts.push(`h=${h.horizon} ${s.stage} ${formatCount(s.dropped)} (${formatPercent(s.share)})`);
  }
  return [
    `  data lost: ${formatPercent(loss.maxShare)} of ${formatCount(loss.initial)} factor observations at the worst horizon`,
    `    ${parts.join('; ')}`,
  ];
}

/** The ten-second summary. */
export function renderAnalyze(r: AnalyzeOutput, out?: string): string[] {
  const cols = r.horizons.map((h) => `h=${h}`);
  const lines = [
    `factorlab analyze: ${r.inputs.factor.file} vs ${r.inputs.prices.file}`,
    `  ${plural(r.nDates, 'formation date')} (${r.firstDate ?? '-'} .. ${r.lastDate ?? '-'}), ${plural(r.nAssets, 'asset')}; ${r.universe} universe, ` +
      `${describeBinning(r.binning, r.quantiles[String(r.horizons[0])]?.quantiles ?? '?')}, at least ${r.minAssets} assets a date, ${formatNumber(r.periodsPerYear, 4)} periods a year` +
      (r.executionLag > 0 ? `, execution lag ${r.executionLag}` : ''),
    ...r.notes.map((n) => `  ${n}`),
    '',
    table(['', ...cols], [...headlineTable(r).map((h) => [h.label, ...h.cells.map(cell)])], {
      indent: 2,
      align: ['left', ...cols.map(() => 'right' as const)],
    }),
    '',
    ...renderDecayAndGroups(r),
    ...renderDataLoss(r.dataLoss),
    ...(out !== undefined
      ? [`  wrote ${out} (ic, quantiles, regression, turnover, dataLoss per horizon)`]
      : ['  --out FILE.json writes every number above per date, and per quantile']),
  ];
  return lines;
}

/**
 * `factorlab backtest`: a factor basket strategy backtested honestly. A rule turns each rebalance
 * date's signal into weights; trades execute after the signal is known (the next close by
 * default); weights drift between rebalances; a held name that leaves the universe or has no price
 * on a date is sold at its last price (a forced sale, in the trades like any other); costs are paid
 * on turnover. Prints the statistics users expect, from the first rebalance that holds something,
 * and writes the NAV, the weights and the trades.
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { detectFrequency, mapCalendar } from '../../core/calendar.js';
import { sessionDates } from '../../core/sessionDates.js';
import { samePeriodDates } from '../../core/samePeriod.js';
import { dayOfWeek, formatIsoDate } from '../../core/dates.js';
import { readAssetValues } from '../assetValues.js';
import { InputError } from '../../core/errors.js';
import { asOfPanel } from '../../core/align.js';
import { Panel } from '../../core/panel.js';
import {
  alignedRows,
  backtestResults,
  momentumRows,
  equalWeightReturns,
  industryNeutral,
  inverseVolatility,
  parseSchedule,
  quantileLongShort,
  runBacktest,
  seriesReturns,
  signalProportional,
  topkDropout,
  topN,
  topQuantile,
  universeCounts,
  type BacktestJson,
  type BacktestJsonDocument,
  type BacktestResults,
  type BacktestWeightJson,
  type SignalRows,
  type SignalSource,
  type Performance,
  type Rule,
  type Schedule,
  type UniverseSpec,
  type MembershipInterval,
} from '../../backtest/index.js';
import { holdDuckdb } from '../../io/duckdb.js';
import { writeJsonAtomic, writeTable } from '../../io/write.js';
import { checkOutputs, TABLE_FORMATS } from '../../io/outputs.js';
import { formatCount, formatNumber, formatPercent, plural, table } from '../format.js';
import { Frame } from '../../core/frame.js';
import { assertPricesMoveLikePrices, findColumn } from '../plausible.js';
import { NON_POSITIVE_PRICE } from '../../io/csv/prices.js';
import { isPeriodEndColumn } from '../../io/columns.js';
import { periodEndNote, REPORTING_LAG_ROWS } from './analyze.js';
import {
  loadFactors,
  loadGroups,
  loadPrices,
  loadValues,
  nonNegativeInteger,
  parseNumber,
  positiveInteger,
  timezoneOption,
} from '../load.js';
import { readMembership } from '../membership.js';
import { dateRange, matchReturnsToFactors, parseSampleRange } from '../calendars.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { printJson } from '../printJson.js';
import { markStage, reportStages } from '../timings.js';
import { backtestReportDocument } from '../../report/backtestReport.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { generatorLine } from '../generator.js';
import {
  countingUncovered,
  refusingUnranked,
  tieWarning,
  uncoveredWarning,
  type RuleName,
  type TieTally,
  type UncoveredTally,
} from './backtestRuleChecks.js';
import { assetNamesHint, nameMismatchText } from '../../core/assetNames.js';

export type { RuleName };

export interface BacktestFlags {
  prices: string;
  timezone?: string;
  factor?: string;
  factorCol?: string;
  priceCol?: string;
  dateCol?: string;
  assetCol?: string;
  reciprocal?: boolean;
  lowerIsBetter?: boolean;
  rule: RuleName;
  top: number;
  quantiles: number;
  quantile?: number;
  nDrop: number;
  volLookback: number;
  groups?: string;
  groupCol?: string;
  groupAssetCol?: string;
  industryWeights?: string;
  membership?: string;
  schedule: Schedule;
  executionLag: number;
  maxGap?: number;
  costBps: number;
  minCost: number;
  capital: number;
  benchmark?: string;
  benchmarkCol?: string;
  periodsPerYear?: number;
  signalMaxAge?: number;
  /** Each asset's latest factor value on or before the rebalance date (core `asOfPanel`), not the latest factor date's cross-section. */
  latestPerAsset?: boolean;
  factors?: string[];
  factorScale?: number;
  rfCol?: string;
  exposureWindow: number;
  start?: string;
  end?: string;
  clean?: boolean;
  json?: boolean;
  out?: string;
  navOut?: string;
  weightsOut?: string;
  tradesOut?: string;
  report?: string;
  svg?: string;
}

/** The backtest JSON (`--json`, `--out`): exactly `BacktestResults.toJSON()`. */
export type BacktestOutput = BacktestJson;

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

const RULES: readonly RuleName[] = [
  'top-n',
  'top-quantile',
  'long-short',
  'proportional',
  'inverse-vol',
  'industry-neutral',
  'topk-dropout',
];

function scheduleArg(v: string): Schedule {
  const s = parseSchedule(v);
  if (s === undefined)
    throw new InputError('--schedule must be daily, weekly[:mon|tue|wed|thu|fri|sat|sun], month-end or every:N[:OFFSET]', {
      value: v,
      hint: "e.g. --schedule weekly:fri (each week's last trading day on or before Friday)",
    });
  return s;
}

/** The rules that --top sizes. */
const topRule = (flags: BacktestFlags): boolean =>
  flags.rule === 'top-n' || flags.rule === 'topk-dropout' || (flags.rule === 'inverse-vol' && flags.factor !== undefined);

export function registerBacktest(program: Command, streams: CliStreams): void {
  program
    .command('backtest')
    .summary('backtest a factor strategy: top N, quantiles, industry-neutral, TopkDropout; costs, point-in-time universe')
    .description(
      'Backtest a strategy driven by a factor: on each rebalance date of --schedule a rule turns the ' +
        'factor into weights (top N equal weight, top quantile, quantile long-short, signal-proportional, ' +
        "inverse volatility, industry-neutral quantiles, qlib's TopkDropout); the trades execute " +
        '--execution-lag rows later (the next close by default, never the close the factor used); ' +
        'weights drift with prices between rebalances; a held name that leaves the universe is sold (a forced ' +
        'sale, listed in --trades-out); one without a price (a gap in the data, a suspension) is held at its ' +
        'last price, untraded, for up to --max-gap rows, then sold at its last price (a delisting); ' +
        'costs are paid in basis points of turnover. Prints the statistics (from the first ' +
        'rebalance that holds something, annualised with the periods per year it states) and writes NAV, ' +
        'weights and trades.',
    )
    .requiredOption('--prices <file>', 'prices: long or wide, CSV / CSV.gz / Parquet')
    .option(
      '--factor <file>',
      'factor values (long date,asset,value or wide), or momentum[:LOOKBACK,SKIP] from the prices (default 252,21); not needed for --rule inverse-vol',
    )
    .option('--factor-col <name>', 'value column of a long factor file')
    .option('--price-col <name>', 'price column of a long price file')
    .option('--date-col <name>', 'date column of the files')
    .addOption(timezoneOption('the price, factor and benchmark files'))
    .option('--asset-col <name>', 'asset column of long files')
    .option('--reciprocal', 'rank by 1/factor (P/E -> earnings yield, P/B -> book-to-price); zero becomes missing')
    .option('--lower-is-better', 'rank by -factor (low values first)')
    .addOption(new Option('--rule <rule>', 'from factor to weights').choices(RULES).default('top-n'))
    .addOption(
      new Option('--top <n>', 'names held: top-n, topk-dropout (topk), inverse-vol (among the top n by factor)')
        .default(5)
        .argParser(positiveInteger('--top')),
    )
    .addOption(
      new Option('--quantiles <n>', 'quantiles per date (top-quantile, long-short, industry-neutral)')
        .default(5)
        .argParser(parseNumber('--quantiles', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2')),
    )
    .addOption(
      new Option('--quantile <q>', 'which quantile to hold (1 = lowest; default the highest)').argParser(positiveInteger('--quantile')),
    )
    .addOption(
      new Option('--n-drop <n>', 'topk-dropout: names replaced at most per rebalance').default(1).argParser(nonNegativeInteger('--n-drop')),
    )
    .addOption(
      new Option('--vol-lookback <n>', 'inverse-vol: rows of returns behind each volatility')
        .default(63)
        .argParser(parseNumber('--vol-lookback', (n) => Number.isInteger(n) && n >= 2, 'a whole number >= 2')),
    )
    .option('--groups <file>', 'industries: asset,group (headerless files are read as asset,group); for industry-neutral')
    .option('--group-col <name>', 'group column of the groups file')
    .option('--group-asset-col <name>', 'asset column of the groups file')
    .option('--industry-weights <file>', "benchmark industry weights group,weight (default: each industry's share of the names)")
    .option('--membership <file>', 'point-in-time universe: ticker,start,end (member when start <= date < end; blank end = current)')
    .addOption(
      new Option(
        '--schedule <when>',
        "daily, weekly[:DAY] (each week's last trading day on or before DAY, mon..sun; sat and sun matter only on a calendar with weekend rows, e.g. crypto: on Monday-Friday data they pick the same day as fri), month-end, every:N[:OFFSET] rows",
      )
        .default({ kind: 'weekly', weekday: 4 }, 'weekly:fri')
        .argParser(scheduleArg),
    )
    .addOption(
      new Option('--execution-lag <n>', 'rows between the signal and the trade, at least 1')
        .default(1)
        .argParser(
          parseNumber(
            '--execution-lag',
            (n) => Number.isInteger(n) && n >= 1,
            'a whole number >= 1 (0 would trade at the close the signal used: look-ahead)',
          ),
        ),
    )
    .addOption(
      new Option(
        '--max-gap <rows>',
        'rows in a row a held name may have no price and stay held at its last price (it earns 0 and cannot be traded, then earns the move across the gap); on the next row without a price it is sold at its last price; 0 sells on the first row without one (default: about a week: 5 rows on daily prices, 1 weekly, 0 monthly)',
      ).argParser(parseNumber('--max-gap', (n) => Number.isInteger(n) && n >= 0, 'a whole number of rows >= 0')),
    )
    .addOption(
      new Option('--cost-bps <x>', 'cost in basis points per unit of turnover (sum |dw|)')
        .default(0)
        .argParser(parseNumber('--cost-bps', (n) => n >= 0 && n < 10000, 'a number in [0, 10000)')),
    )
    .addOption(
      new Option('--min-cost <x>', 'minimum cost per traded name, in currency (with --capital)')
        .default(0)
        .argParser(parseNumber('--min-cost', (n) => n >= 0, 'a number >= 0')),
    )
    .addOption(
      new Option('--capital <x>', 'starting capital in currency (matters with --min-cost)')
        .default(1_000_000)
        .argParser(parseNumber('--capital', (n) => n > 0, 'a number > 0')),
    )
    .option(
      '--benchmark <file|equal>',
      'benchmark: a price file (one series, or --benchmark-col), or "equal" (the universe equal-weighted, rebalanced daily)',
    )
    .option('--benchmark-col <name>', "the benchmark's asset (column) in --benchmark")
    .addOption(
      new Option(
        '--periods-per-year <n>',
        'periods per year for annualising (default: from the price calendar: 252 daily, 52 weekly, 12 monthly)',
      ).argParser(parseNumber('--periods-per-year', (n) => n > 0, 'a number > 0')),
    )
    .addOption(
      new Option('--signal-max-age <days>', 'ignore a factor value older than this many calendar days on a rebalance date').argParser(
        nonNegativeInteger('--signal-max-age'),
      ),
    )
    .option(
      '--latest-per-asset',
      `each name's latest factor value on or before the rebalance date (at most --signal-max-age days old, default ${LATEST_MAX_AGE_DAYS}), instead of the latest factor date's cross-section: for sparse files such as fundamentals, each company on its own fiscal dates`,
    )
    .option(
      '--factors <file>',
      "factor returns for the strategy's exposures through time (a Ken French file or a wide date,factor,... table, of the prices' frequency); repeat to join several",
      collect,
    )
    .addOption(
      new Option(
        '--factor-scale <x>',
        'multiply the --factors values as written by this (0.01 for percent). Without it, Ken French files are read as percent (÷ 100), other files as decimal, and values that look like the other scale are refused',
      ).argParser(parseNumber('--factor-scale', (n) => n > 0, 'a number > 0 (it states a unit: 0.01 for percent)')),
    )
    .option(
      '--rf-col <name>',
      'risk-free column of --factors: subtracted, not a regressor (default: a column named rf, if any; "none" to keep it)',
    )
    .addOption(
      new Option('--exposure-window <n>', 'rows in each rolling window of the exposures')
        .default(63)
        .argParser(parseNumber('--exposure-window', (n) => Number.isInteger(n) && n >= 3, 'a whole number >= 3')),
    )
    .option('--start <date>', 'first date of the backtest (YYYY-MM-DD)')
    .option('--end <date>', 'last date of the backtest (YYYY-MM-DD)')
    .option('--clean', 'set one-day bad ticks in the prices to missing first')
    .option('--json', 'print the full result as JSON on stdout instead of the summary')
    .option('--out <file>', 'write the full result as JSON')
    .option('--nav-out <file>', 'NAV and returns per date (.csv, .csv.gz, .parquet, .json)')
    .option('--weights-out <file>', 'weights after each rebalance, long date,asset,weight')
    .option(
      '--trades-out <file>',
      'every trade: date,signal_date,asset,before,after,delta,reason (rebalance, or a forced sale: "forced: no price", "forced: left the universe")',
    )
    .option(
      '--report <file.html>',
      'write the backtest report: one self-contained HTML page (NAV against the benchmark, drawdown, yearly returns, weights, turnover, statistics); `factorlab report backtest.json` draws it later from --out',
    )
    .option('--svg <dir>', 'write each chart of the report as a standalone SVG file into this directory (created if missing)')
    .addHelpText(
      'after',
      `
Timing: the factor on a rebalance date is the latest factor value dated on or before it; the rule
sees only that, the universe and prices up to that date, and the trade happens --execution-lag rows
later at that close. The NAV series starts on the first rebalance's execution row, from 1 before
it (that row's net return is its trades' cost); net NAV pays the costs, gross NAV does not.
Turnover is sum |dw| (buys plus sells) with the one-way half beside it.
Forced sales: a held name without a price on a date (a single missing day is enough) is sold at its
last price; one that leaves --membership is sold at that close. They pay costs like any trade and
are rows of --trades-out (reason "forced: no price" / "forced: left the universe").
Statistics (empyrical's conventions): annual return compounded, volatility ddof 1, Sharpe, Sortino
with the downside deviation over all periods, max drawdown with its dates, Calmar, hit rate, and
against --benchmark tracking error, information ratio, beta and alpha. They, the mean turnover and
the mean holdings cover the period from the first rebalance that holds something (the rows before
it, cash while a signal such as 12-1 momentum warms up, are left out); the output states it.

Examples:
  # the seed's strategy: SSE 50, top 5 by book-to-price (here 1/PE), weekly, 10 bp
  factorlab backtest --prices ../shared/data/cn/sse50_2021q1_prices.csv \\
    --factor ../shared/data/cn/sse50_2021q1_factor.csv --reciprocal --rule top-n --top 5 \\
    --schedule weekly:fri --cost-bps 10 --benchmark equal
  # industry-neutral top quintile, industries weighted as in the universe
  factorlab backtest --prices sse50_prices.csv --factor sse50_factor.csv --reciprocal \\
    --rule industry-neutral --quantiles 5 --groups sse50_stock_2_idx.csv
  # monthly top 50 by 12-1 momentum among point-in-time S&P 500 members
  factorlab backtest --prices us_sp500_adj_ohlcv_2005_2017.csv.gz --clean --factor momentum \\
    --membership sp500_ticker_start_end.csv --schedule month-end --top 50 --cost-bps 5 --nav-out nav.csv
  # ... and its factor exposures through time: the rolling regression of its return on the
  # Fama-French factors and the holdings-weighted betas of its book (in --out's JSON per date)
  factorlab backtest --prices us_sp500_adj_ohlcv_2005_2017.csv.gz --factor momentum --top 50 \\
    --schedule month-end --factors F-F_Research_Data_Factors_daily.CSV --exposure-window 63 --out bt.json`,
    )
    .action(async (flags: BacktestFlags, command: Command) => {
      checkRuleFlags(flags, (key) => {
        const source = command.getOptionValueSource(key);
        return source !== undefined && source !== 'default';
      });
      checkOutputs([
        { path: flags.out, flag: '--out', formats: ['json'] },
        { path: flags.navOut, flag: '--nav-out', formats: TABLE_FORMATS },
        { path: flags.weightsOut, flag: '--weights-out', formats: TABLE_FORMATS },
        { path: flags.tradesOut, flag: '--trades-out', formats: TABLE_FORMATS },
      ]);
      checkReportOutputs(flags.report, flags.svg);
      markStage('parse');
      const results = await runBacktestCommand(flags, (w) => streams.stderr(`factorlab: warning: ${w}\n`));
      // the JSON with its long lists (trades, each rebalance's weights) as columns: written without an object per row
      const doc = results.jsonDocument();
      const reporting = flags.report !== undefined || flags.svg !== undefined;
      const json = summaryJson(doc, reporting ? results : undefined);
      if (flags.out !== undefined) await writeJsonAtomic(flags.out, doc);
      if (flags.navOut !== undefined) await writeTable(flags.navOut, results.navRows());
      if (flags.weightsOut !== undefined) await writeTable(flags.weightsOut, results.weightsTable());
      if (flags.tradesOut !== undefined) await writeTable(flags.tradesOut, results.tradesTable());
      markStage('write');
      if (reporting) {
        const doc = backtestReportDocument({ ...json, generator: generatorLine() });
        if (flags.report !== undefined) await writeReportHtml(flags.report, doc);
        if (flags.svg !== undefined) await writeReportSvgs(flags.svg, doc);
        markStage('report');
      }
      if (flags.json) printJson(streams, doc);
      else streams.stdout(`${renderBacktest(json, flags).join('\n')}\n`);
      markStage('print');
      reportStages();
    });
}

/**
 * The JSON the summary and the report read: the rebalances' weights as records (every
 * rebalance's, from the run, when `report` is given; else the last one's: the summary's last
 * trade) and no trades (neither reads them).
 */
function summaryJson(doc: BacktestJsonDocument, report: BacktestResults | undefined): BacktestJson {
  const last = doc.rebalances.length - 1;
  const assets = report?.assets;
  return {
    ...doc,
    rebalances: doc.rebalances.map((r, k) => {
      const w = report?.run.rebalances[k].weights;
      const weights: BacktestWeightJson[] =
        assets !== undefined
          ? w === undefined
            ? []
            : Array.from(w.assets, (j, i) => ({ asset: assets[j], weight: w.weights[i] }))
          : k === last
            ? (r.weights.toRecords() as unknown as BacktestWeightJson[])
            : [];
      return { ...r, weights };
    }),
    trades: [],
  };
}

/** The first names of a list, with ', ...' only when some are left out. */
const few = (xs: readonly string[], k = 3): string => `${xs.slice(0, k).join(', ')}${xs.length > k ? ', ...' : ''}`;

const MOMENTUM = /^momentum(?::(\d+),(\d+))?$/;

/** --latest-per-asset's default age limit: a year and a day, so an annual report is carried until the next one. */
const LATEST_MAX_AGE_DAYS = 366;

/**
 * The median over factor dates of (names with a value on the date) / (names with a value on some
 * date of the 365 days up to it), when it is under one half: a sparse file (fundamentals, each
 * company on its own dates), whose latest date's cross-section misses most names. Else undefined.
 */
function sparseShare(f: Panel): number | undefined {
  const m = f.nAssets,
    x = f.values;
  const lastDay = new Float64Array(m).fill(-Infinity);
  const shares: number[] = [];
  for (let t = 0; t < f.nDates; t++) {
    const day = f.dates[t];
    let here = 0,
      active = 0;
    for (let j = 0; j < m; j++) {
      const v = x[t * m + j];
      if (v === v) {
        lastDay[j] = day;
        here++;
      }
      if (lastDay[j] >= day - 365) active++;
    }
    if (active > 0) shares.push(here / active);
  }
  if (shares.length < 2) return undefined;
  shares.sort((a, b) => a - b);
  const k = shares.length,
    med = k % 2 === 1 ? shares[(k - 1) / 2] : (shares[k / 2 - 1] + shares[k / 2]) / 2;
  return med < 0.5 ? med : undefined;
}

/** Rows of a signal with f applied to every value (own buffer). */
function mappedRows(rows: SignalRows, f: (x: number) => number): SignalRows {
  const buf = new Float64Array(rows.nAssets);
  return {
    nDates: rows.nDates,
    nAssets: rows.nAssets,
    row(t: number): Float64Array {
      const r = rows.row(t);
      for (let j = 0; j < r.length; j++) buf[j] = f(r[j]);
      return buf;
    },
  };
}

/** The rules each rule-sizing flag applies to (a flag given for another rule would be ignored). */
const RULE_FLAGS: readonly { key: keyof BacktestFlags; flag: string; rules: readonly RuleName[] }[] = [
  { key: 'top', flag: '--top', rules: ['top-n', 'topk-dropout', 'inverse-vol'] },
  { key: 'quantiles', flag: '--quantiles', rules: ['top-quantile', 'long-short', 'industry-neutral'] },
  { key: 'quantile', flag: '--quantile', rules: ['top-quantile', 'industry-neutral'] },
  { key: 'nDrop', flag: '--n-drop', rules: ['topk-dropout'] },
  { key: 'volLookback', flag: '--vol-lookback', rules: ['inverse-vol'] },
  { key: 'groups', flag: '--groups', rules: ['industry-neutral'] },
];

/**
 * Flags the run would ignore, refused rather than dropped in silence: a rule's sizing flag given
 * with another rule (`--rule top-quantile --top 10` does not hold 10 names), a flag that needs
 * another one (`--group-col` without `--groups`, `--exposure-window` without `--factors`).
 * `given(key)` says whether the user typed the flag (defaults do not count).
 */
export function checkRuleFlags(flags: BacktestFlags, given: (key: keyof BacktestFlags) => boolean): void {
  for (const { key, flag, rules } of RULE_FLAGS) {
    if (!given(key) || rules.includes(flags.rule)) continue;
    throw new InputError(`${flag} does not apply to --rule ${flags.rule}: it would be ignored`, {
      hint: `${flag} sizes --rule ${rules.join(', --rule ')}; drop it, or use ${rules.length === 1 ? 'that rule' : 'one of those rules'}`,
    });
  }
  if (given('top') && flags.rule === 'inverse-vol' && flags.factor === undefined)
    throw new InputError('--top with --rule inverse-vol picks among the top names by --factor, and there is no --factor', {
      hint: 'add --factor FILE, or drop --top (without a factor inverse-vol weights every tradable name)',
    });
  const needs: readonly [keyof BacktestFlags, string, keyof BacktestFlags, string][] = [
    ['groupCol', '--group-col', 'groups', '--groups'],
    ['groupAssetCol', '--group-asset-col', 'groups', '--groups'],
    ['exposureWindow', '--exposure-window', 'factors', '--factors'],
    ['rfCol', '--rf-col', 'factors', '--factors'],
    ['factorCol', '--factor-col', 'factor', '--factor FILE'],
    ['latestPerAsset', '--latest-per-asset', 'factor', '--factor FILE'],
    ['signalMaxAge', '--signal-max-age', 'factor', '--factor FILE'],
  ];
  for (const [key, flag, other, otherFlag] of needs)
    if (given(key) && flags[other] === undefined)
      throw new InputError(`${flag} needs ${otherFlag}, and there is none: it would be ignored`, {
        hint: `add ${otherFlag}, or drop ${flag}`,
      });
  // the capital only turns --min-cost (currency) into a fraction of NAV: every other number is a fraction already
  if (given('capital') && !(flags.minCost > 0))
    throw new InputError('--capital sizes the --min-cost of a trade (in currency), and there is no --min-cost: it would be ignored', {
      hint: 'add --min-cost X (the least a traded name pays), or drop --capital: returns, NAV and weights do not depend on it',
    });
  if ((flags.reciprocal || flags.lowerIsBetter) && flags.factor === undefined)
    throw new InputError(`${flags.reciprocal ? '--reciprocal' : '--lower-is-better'} orders --factor, and there is no --factor`, {
      hint: 'add --factor FILE, or drop it',
    });
}

function checkFlagCombinations(flags: BacktestFlags): void {
  if (flags.factor === undefined && flags.rule !== 'inverse-vol')
    throw new InputError(`--rule ${flags.rule} needs --factor`, {
      hint: 'give --factor FILE or --factor momentum; only --rule inverse-vol runs without a factor',
    });
  if (flags.rule === 'industry-neutral' && flags.groups === undefined)
    throw new InputError('--rule industry-neutral needs --groups (the industries)', { hint: 'add --groups asset,group FILE' });
  if (flags.industryWeights !== undefined && flags.rule !== 'industry-neutral')
    throw new InputError('--industry-weights only applies to --rule industry-neutral', {
      hint: 'drop --industry-weights or use --rule industry-neutral',
    });
  if (flags.quantile !== undefined && flags.quantile > flags.quantiles)
    throw new InputError(`--quantile ${flags.quantile} is above --quantiles ${flags.quantiles}`, { hint: `pick 1..${flags.quantiles}` });
  if (flags.reciprocal && flags.lowerIsBetter)
    throw new InputError("--reciprocal and --lower-is-better together reverse each other's order", { hint: 'use one of them' });
  if (flags.benchmarkCol !== undefined && (flags.benchmark === undefined || flags.benchmark === 'equal'))
    throw new InputError('--benchmark-col needs --benchmark FILE', { hint: 'add --benchmark prices.csv' });
  if (flags.factorScale !== undefined && flags.factors === undefined)
    throw new InputError('--factor-scale scales the factor returns of --factors, and there is no --factors', {
      hint: 'add --factors FILE, or drop --factor-scale (--factor, the signal, is ranked as it is: its scale does not matter)',
    });
}

/**
 * The benchmark industry weights, `group,weight` rows (the reader of per-asset values: an optional
 * header, the header's delimiter, quoted cells), aligned to the groups' names.
 */
async function readIndustryWeights(file: string, names: readonly string[]): Promise<Float64Array> {
  const { values } = await readAssetValues(file, 'industry weight');
  const out = new Float64Array(names.length);
  for (const [g, x] of values) {
    if (!(x >= 0))
      throw new InputError('an industry weight must be a number >= 0', { file, value: String(x), hint: 'write group,weight lines' });
    const k = names.indexOf(g);
    if (k < 0)
      throw new InputError(
        `industry ${JSON.stringify(g)} is not in the groups file (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
        { file, hint: "use the groups' own ids" },
      );
    out[k] = x;
  }
  return out;
}

/**
 * The backtest of the flags: reads the files, checks them, runs the engine and returns its
 * results ({@link BacktestResults}: `toJSON()` is the output of `--json` and `--out`).
 */
export async function runBacktestCommand(flags: BacktestFlags, onWarning?: (warning: string) => void): Promise<BacktestResults> {
  checkFlagCombinations(flags);
  const progress = progressReporter(!flags.json);
  try {
    const tableFlags = { dateCol: flags.dateCol, assetCol: flags.assetCol, timezone: flags.timezone };
    const {
      prices,
      factor,
      groups,
      bench,
      factorReturns: loadedFactorReturns,
    } = await holdDuckdb(async () => {
      const prices = await backtestFlagNames(
        loadPrices(flags.prices, { ...tableFlags, valueCol: flags.priceCol }, flags.clean ?? false, progress.update),
        '--price-col',
      );
      let factor: { panel?: Panel; momentum?: { lookback: number; skip: number }; text: string; dateCol?: string } | undefined;
      if (flags.factor !== undefined) {
        const m = MOMENTUM.exec(flags.factor);
        if (m !== null && !existsSync(flags.factor)) {
          for (const [v, flag] of [
            [flags.signalMaxAge, '--signal-max-age'],
            [flags.factorCol, '--factor-col'],
            [flags.latestPerAsset, '--latest-per-asset'],
          ] as const)
            if (v !== undefined)
              throw new InputError(`${flag} applies to a factor file, and --factor ${flags.factor} is computed from the prices`, {
                hint: `drop ${flag} (momentum on a rebalance date uses that date's prices)`,
              });
          const lookback = m[1] === undefined ? 252 : Number(m[1]),
            skip = m[2] === undefined ? 21 : Number(m[2]);
          if (!(skip < lookback))
            throw new InputError(`momentum needs SKIP < LOOKBACK, got ${lookback},${skip}`, {
              hint: 'e.g. --factor momentum:252,21 (12-1 momentum)',
            });
          // computed on the rebalance dates only (momentumRows: the same values as the momentum panel)
          factor = { momentum: { lookback, skip }, text: `momentum p(t-${skip})/p(t-${lookback}) - 1 from the prices` };
        } else {
          const loaded = await backtestFlagNames(
            loadValues(flags.factor, { ...tableFlags, valueCol: flags.factorCol }, progress.update),
            '--factor-col',
          );
          factor = {
            panel: loaded.panel,
            dateCol: loaded.dateCol,
            text: `${flags.factor} (${loaded.layout}, ${plural(loaded.panel.nDates, 'date')} ${dateRange(loaded.panel.dates)})`,
          };
        }
      }
      const groups = flags.groups === undefined ? undefined : await loadGroups(flags.groups, flags);
      const bench =
        flags.benchmark === undefined || flags.benchmark === 'equal'
          ? undefined
          : await benchmarkLevels(loadPrices(flags.benchmark, { ...tableFlags }, false, progress.update));
      const factorReturns =
        flags.factors === undefined
          ? undefined
          : await loadFactors(
              flags.factors,
              flags.factorScale,
              undefined,
              flags.rfCol !== undefined && flags.rfCol !== 'none' ? flags.rfCol : 'rf',
            );
      return { prices, factor, groups, bench, factorReturns };
    });
    markStage('read');
    const px = prices.panel;
    const notes = [...prices.notes];
    if (px.nDates < 3) throw new InputError(`the prices have ${px.nDates} date(s): a backtest needs at least 3`, { file: flags.prices });
    assertPricesMoveLikePrices(px, flags.prices);
    let factorReturns = loadedFactorReturns;
    if (factorReturns !== undefined) {
      checkFactorFrequency(px, factorReturns.frame, flags);
      // monthly factors on calendar month ends beside prices on the last trading day: paired by month
      // (core samePeriodDates), as exposures pairs them, so the strategy's exposures lose no month
      const fr = factorReturns.frame;
      const freq = detectFrequency(fr.dates).frequency;
      if (
        freq === detectFrequency(px.dates).frequency &&
        (freq === 'weekly' || freq === 'monthly' || freq === 'quarterly' || freq === 'annual')
      ) {
        const same = samePeriodDates(fr.dates, px.dates, freq);
        if (same.moved > 0) {
          factorReturns = { ...factorReturns, frame: new Frame(same.dates, fr.columns, fr.series) };
          notes.push(
            `exposures: ${same.moved} of the ${freq} factor dates take the prices' date of the same period (the first ${formatIsoDate(same.first[0])} -> ${formatIsoDate(same.first[1])}): both label a period by a day near its end`,
          );
        }
      }
    }

    // universe
    let universe: UniverseSpec = { kind: 'static' };
    let universeText = `static: the ${formatCount(px.nAssets)} assets of the prices`;
    if (flags.membership !== undefined) {
      const intervals = readMembership(flags.membership);
      const known = new Set(intervals.map((x) => x.asset));
      const inPrices = px.assets.filter((a) => known.has(a)).length;
      if (inPrices === 0)
        throw new InputError(`no ticker of the membership file (${few([...known])}) is among the price assets (${few(px.assets)})`, {
          file: flags.membership,
          hint: assetNamesHint(
            [...known],
            px.assets,
            'the membership file',
            '--prices',
            "tickers must match the price file's asset names exactly",
          ),
        });
      universe = { kind: 'membership', intervals };
      const counts = universeCounts(px, universe);
      let mem = 0,
        noPrice = 0;
      for (let t = 0; t < px.nDates; t++) {
        mem += counts.members[t];
        noPrice += counts.withoutPrice[t];
      }
      universeText = `point-in-time membership from ${flags.membership} (${formatCount(intervals.length)} intervals, start <= t < end): ${formatNumber(mem / px.nDates, 3)} members in the price file a date on average, ${formatCount(inPrices)} of the price assets ever members`;
      const absent = absentMembers(intervals, px);
      if (absent.length > 0)
        notes.push(
          `universe: ${plural(absent.length, 'ticker')} of the membership file ${absent.length === 1 ? 'is a member' : 'are members'} during the prices' dates but not in the price file (${few(absent, 5)}): never tradable, so the universe is smaller than the membership (survivorship in the price file stays)`,
        );
      if (noPrice > 0)
        notes.push(
          `universe: ${formatCount(noPrice)} member-days have no price (members missing from the price file are never tradable: survivorship in the price file stays)`,
        );
    }

    // signal on the price grid
    let signal: SignalSource | undefined;
    let signalText = 'none';
    if (factor !== undefined) {
      if (flags.reciprocal && factor.momentum !== undefined)
        throw new InputError(
          `--reciprocal ranks by 1/factor, for a positive ratio such as P/E; --factor ${flags.factor} is a signed return, and 1/x of it puts the returns nearest 0 at the top (and just below 0 at the bottom), not the lowest`,
          { hint: '--lower-is-better ranks the lowest momentum first' },
        );
      if (factor.dateCol !== undefined && isPeriodEndColumn(factor.dateCol) && flags.executionLag < REPORTING_LAG_ROWS) {
        // the same warning as analyze's, with backtest's advice: its lag delays every trade of a rebalance
        const w = periodEndNote(
          flags.factor ?? '',
          factor.dateCol,
          flags.executionLag,
          `trade each rebalance about 3 months after its signal date with --execution-lag ${REPORTING_LAG_ROWS} (trading days; backtest's lag delays the trades of every name alike, so a value is traded at least that long after its period end)`,
        );
        notes.push(`warning: ${w}`);
        onWarning?.(w);
      }
      if (flags.reciprocal && factor.panel !== undefined) {
        const w = signedReciprocalWarning(factor.panel, flags.factor ?? '');
        if (w !== undefined) {
          notes.push(`warning: ${w}`);
          onWarning?.(w);
        }
      }
      const order = flags.reciprocal ? (x: number) => (x === 0 ? NaN : 1 / x) : flags.lowerIsBetter ? (x: number) => -x : undefined;
      if (factor.panel !== undefined) {
        if (!factor.panel.assets.some((a) => px.assetIndex(a) >= 0)) {
          throw new InputError(`no asset of --factor ${flags.factor} (${few(factor.panel.assets)}) is in --prices (${few(px.assets)})`, {
            hint: assetNamesHint(
              factor.panel.assets,
              px.assets,
              `--factor ${flags.factor}`,
              '--prices',
              'asset names must match exactly: check --asset-col of both files',
            ),
          });
        }
        notes.push(...assetOverlapNotes(factor.panel, px, flags.factor ?? ''));
        let f = factor.panel;
        const sessions = onSessionDates(f, px);
        if (sessions.moved > 0) {
          f = sessions.panel;
          notes.push(
            `signal: ${plural(sessions.moved, 'factor date')} of ${flags.factor} fall on days without a price (the first ${formatIsoDate(sessions.first[0])}, ${DAY_NAMES[dayOfWeek(sessions.first[0])]}): each is the signal of the last price date before it (${formatIsoDate(sessions.first[1])}), traded --execution-lag rows later, the first session after the factor's date at the earliest`,
          );
        }
        if (order !== undefined) f = new Panel(f.dates, f.assets, f.values.map(order));
        if (flags.latestPerAsset === true) signal = alignedRows(asOfPanel(f, px.dates, flags.signalMaxAge ?? LATEST_MAX_AGE_DAYS), px);
        else {
          signal = alignedRows(f, px, flags.signalMaxAge ?? Infinity);
          const sparse = sparseShare(f);
          if (sparse !== undefined)
            notes.push(
              `signal: ${flags.factor} is sparse (a factor date holds ${formatPercent(sparse)} of the names with a value in the year before it, median over dates): a rebalance sees only the names of its latest factor date; --latest-per-asset takes each name's latest value`,
            );
        }
      } else {
        const rows = momentumRows(px, factor.momentum);
        signal = order === undefined ? rows : mappedRows(rows, order);
      }
      signalText =
        flags.latestPerAsset === true
          ? `${flags.reciprocal ? '1 / ' : flags.lowerIsBetter ? '- ' : ''}${factor.text}, as of each rebalance date (each name's latest value dated on or before it, at most ${flags.signalMaxAge ?? LATEST_MAX_AGE_DAYS} days old)`
          : `${flags.reciprocal ? '1 / ' : flags.lowerIsBetter ? '- ' : ''}${factor.text}, as of each rebalance date (the latest value dated on or before it${flags.signalMaxAge !== undefined ? `, at most ${flags.signalMaxAge} days old` : ''})`;
    }

    // rows
    const range = parseSampleRange(flags.start, flags.end);
    let from = 0,
      to = px.nDates - 1;
    while (from < px.nDates && px.dates[from] < range.from) from++;
    while (to >= 0 && px.dates[to] > range.to) to--;
    if (to - from < 2)
      throw new InputError(`fewer than 3 price dates lie inside --start/--end (prices ${dateRange(px.dates)})`, {
        hint: 'widen --start/--end',
      });

    if (factor?.panel !== undefined) checkFactorPeriod(factor.panel, px.dates[from], px.dates[to], flags);

    const short = { count: 0, most: 0 };
    const industryWeights =
      flags.industryWeights === undefined || groups === undefined
        ? undefined
        : await readIndustryWeights(flags.industryWeights, groups.names);
    const chosen = makeRule(flags, px, groups === undefined ? undefined : { groups: groups.groups, names: groups.names }, industryWeights);
    const codes = flags.rule === 'industry-neutral' && groups !== undefined ? industryCodes(flags, px, groups) : undefined;
    const uncovered: UncoveredTally = { count: 0, share: 0 };
    if (codes !== undefined && groups !== undefined) {
      const without = px.assets.filter((_, j) => codes[j] < 0);
      if (without.length > 0)
        notes.push(
          `groups: ${without.length} of the ${formatCount(px.nAssets)} price assets ${without.length === 1 ? 'has' : 'have'} no industry in ${flags.groups} (${few(without, 5)}): industry-neutral never holds ${without.length === 1 ? 'it' : 'them'}`,
        );
    }
    const grouped =
      codes !== undefined && groups !== undefined ? countingUncovered(chosen, codes, groups.names, industryWeights, uncovered) : chosen;
    // the quantile rules: fewer names than --quantiles leave each quantile one name or none
    const quantileRule = flags.rule === 'top-quantile' || flags.rule === 'long-short';
    const counted = topRule(flags)
      ? countingShort(grouped, flags.top, short)
      : quantileRule
        ? countingShort(grouped, flags.quantiles, short)
        : grouped;
    const ties: TieTally = { count: 0 };
    const rule =
      signal === undefined
        ? counted
        : refusingEmpty(
            refusingUnranked(counted, {
              rule: flags.rule,
              top: topRule(flags) ? flags.top : undefined,
              quantiles: flags.quantiles,
              quantile: flags.quantile,
              file: factor?.panel !== undefined ? flags.factor : undefined,
              factor: factor?.panel,
              ties,
            }),
            flags,
            factor?.panel,
          );
    progress.update({ phase: 'backtesting', done: 0 });
    const engineOptions = {
      signal,
      rule,
      schedule: flags.schedule,
      universe,
      executionLag: flags.executionLag,
      ...(flags.maxGap !== undefined ? { maxGap: flags.maxGap } : {}),
      costBps: flags.costBps,
      minCost: flags.minCost,
      capital: flags.capital,
    };
    const res = runBacktest(px, { ...engineOptions, from, to, recordHoldings: factorReturns !== undefined });
    if (res.firstRow < 0 || res.rebalances.length === 0) {
      throw new InputError(
        `no rebalance could be executed between ${formatIsoDate(px.dates[from])} and ${formatIsoDate(px.dates[to])}: the schedule gives no signal date with ${flags.executionLag} row(s) of data after it`,
        { hint: 'a longer period, a shorter --execution-lag or a more frequent --schedule' },
      );
    }
    if (!res.rebalances.some((r) => r.holdings > 0)) {
      if (signal === undefined)
        throw new InputError(
          `the rule never held anything: no tradable name had --vol-lookback ${flags.volLookback} returns before any rebalance date (${plural(to - from + 1, 'price date')} in the period)`,
          { hint: 'a shorter --vol-lookback or a longer period (--start earlier)' },
        );
      throw new InputError('the rule never held anything: no tradable asset had a factor value on any rebalance date', {
        hint: `check that the asset names match${flags.membership !== undefined ? ' and --membership covers the period' : ''}${flags.rule === 'inverse-vol' ? `, and that the prices have --vol-lookback ${flags.volLookback} rows before the rebalance dates` : ''}${factor?.momentum !== undefined ? `; momentum needs ${factor.momentum.lookback} rows of prices before a rebalance date` : ''}${flags.signalMaxAge !== undefined ? `; --signal-max-age ${flags.signalMaxAge} drops every factor value older than ${flags.signalMaxAge} days on a rebalance date: raise it` : ''}`,
      });
    }

    if (short.count > 0 && quantileRule) {
      const w = `--quantiles ${flags.quantiles} is more than the tradable names with a factor value on ${short.count} of ${plural(res.rebalances.length, 'rebalance')} (at most ${short.most} there): each quantile held one name or none on them; fewer --quantiles make quantiles of several names`;
      notes.push(`warning: ${w}`);
      onWarning?.(w);
    } else if (short.count > 0) {
      const w = `--top ${flags.top} is more than the tradable names with a factor value on ${short.count} of ${plural(res.rebalances.length, 'rebalance')} (at most ${short.most} there): the rule held every tradable name on them, not a top ${flags.top}; a smaller --top picks among them`;
      notes.push(`warning: ${w}`);
      onWarning?.(w);
    }

    const partial = uncoveredWarning(uncovered, flags.quantiles, res.rebalances.length);
    if (partial !== undefined) {
      notes.push(`warning: ${partial}`);
      onWarning?.(partial);
    }

    const tied = tieWarning(ties, flags.top, res.rebalances.length);
    if (tied !== undefined) {
      notes.push(`warning: ${tied}`);
      onWarning?.(tied);
    }

    if (factor?.panel !== undefined && flags.signalMaxAge === undefined && flags.latestPerAsset !== true) {
      const lastSignal = factor.panel.dates[factor.panel.nDates - 1];
      const stale = res.rebalances.filter((r) => r.signalDate > lastSignal).length;
      if (stale > 0)
        notes.push(
          `signal: the last factor date is ${formatIsoDate(lastSignal)}; ${plural(stale, 'rebalance')} after it reuse that value (--signal-max-age DAYS to stop that, --end to stop there)`,
        );
    }

    // benchmark
    let benchmarkReturns: Float64Array | undefined;
    let benchmarkText: string | undefined;
    if (flags.benchmark === 'equal') {
      benchmarkReturns = equalWeightReturns(px, universe, res.firstRow, res.dates.length);
      benchmarkText = 'the universe equal-weighted, rebalanced every row';
      const ticks = prices.quality.counts['bad-tick'];
      if (ticks > 0 && prices.cleaned === 0) {
        // a bad tick's round trip (-99% then +9,900%) cancels in a held weight, not in one reset every row
        const w = `the prices have ${plural(ticks, 'one-day bad tick')} kept as published: the equal-weighted benchmark, rebalanced every row, books each round trip as a gain (a price at 1/10 for a day adds about 9/N to the next day's return, N the names), so its return is overstated; add --clean`;
        notes.push(`warning: ${w}`);
        onWarning?.(w);
      }
    } else if (bench !== undefined) {
      const b = bench.panel;
      let col = 0;
      if (flags.benchmarkCol !== undefined) {
        col = b.assetIndex(flags.benchmarkCol);
        if (col < 0)
          throw new InputError(`no asset ${JSON.stringify(flags.benchmarkCol)} in the benchmark file; it has ${few(b.assets, 5)}`, {
            file: flags.benchmark,
            hint: 'pass one of them with --benchmark-col',
          });
      } else if (b.nAssets !== 1) {
        throw new InputError(`the benchmark file has ${b.nAssets} series (${few(b.assets)}): say which with --benchmark-col`, {
          file: flags.benchmark,
        });
      }
      checkBenchmarkFrequency(px, b, flags.benchmark);
      checkBenchmarkMoves(b, flags.benchmark);
      benchmarkReturns = seriesReturns(b.column(col), b.dates, res.dates);
      benchmarkText = `${flags.benchmark}${flags.benchmarkCol ? ` (${flags.benchmarkCol})` : ''}`;
      const idx = mapCalendar(res.dates, b.dates);
      if (!idx.some((k) => k >= 0))
        throw new InputError(`the benchmark (${dateRange(b.dates)}) has no date of the backtest (${dateRange(res.dates)})`, {
          file: flags.benchmark,
          hint: 'give a benchmark covering the backtest period',
        });
    }

    if (benchmarkReturns !== undefined && flags.benchmark !== 'equal') checkBenchmarkCoverage(benchmarkReturns, res, flags.benchmark!);

    const freq = detectFrequency(px.dates);
    const ppy = flags.periodsPerYear ?? freq.periodsPerYear;
    if (!(ppy > 0))
      throw new InputError(`cannot tell periods per year from the price dates (${freq.frequency})`, { hint: 'pass --periods-per-year' });
    const ppySource = flags.periodsPerYear !== undefined ? 'given (--periods-per-year)' : `from the price calendar (${freq.frequency})`;

    // the results: statistics on the return periods (the first row's own return is the first trade's cost)
    const results = backtestResults(res, px, {
      ...engineOptions,
      description: { rule: flags.rule, ruleText: ruleText(flags), universe: universeText, signal: signalText, benchmark: benchmarkText },
      benchmarkReturns,
      periodsPerYear: ppy,
      periodsPerYearSource: ppySource,
      notes,
      detail: detailOf(flags),
    });
    const out = factorReturns === undefined ? results : withExposures(results, factorReturns, flags);
    // the statistics and exposures are computed on first use: here, inside the compute stage
    void out.performance;
    void out.exposures;
    markStage('compute');
    return out;
  } finally {
    progress.stop();
  }
}

/** Tickers of the membership with an interval inside the prices' dates that the prices do not have, in file order. */
function absentMembers(intervals: readonly MembershipInterval[], px: Panel): string[] {
  const first = px.dates[0],
    last = px.dates[px.nDates - 1];
  const out = new Set<string>();
  for (const iv of intervals)
    if (iv.start <= last && (iv.end === undefined || iv.end > first) && px.assetIndex(iv.asset) < 0) out.add(iv.asset);
  return [...out];
}

/**
 * A load whose column hints name the generic `--value-col` (the readers' flag), with backtest's own
 * flag for that file instead; a zero or negative price that looks like a return (between −1 and 0)
 * says so and what to do.
 */
async function backtestFlagNames<T>(load: Promise<T>, valueFlag: string): Promise<T> {
  try {
    return await load;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const value = Number(e.location.value);
    if (e.problem === NON_POSITIVE_PRICE && value > -1 && value <= 0)
      throw new InputError(`${e.problem}: ${e.location.value} looks like a return, not a price`, {
        ...e.location,
        hint: 'backtest needs prices (close or adjusted close): to backtest on returns, compound them into a price index first (a cumulative product of 1 + r, from 1)',
      });
    if (e.hint?.includes('--value-col') !== true) throw e;
    throw new InputError(e.problem, { ...e.location, hint: e.hint.replaceAll('--value-col', valueFlag) });
  }
}

/** What --benchmark takes, for a file that holds returns: backtest has no flag for benchmark returns. */
const BENCHMARK_LEVELS_HINT =
  "--benchmark takes levels (an index or one asset's close prices), not returns: compound the returns into a level series first (a cumulative product of 1 + r, from 1), or use --benchmark equal";

/**
 * The benchmark's load: a zero or negative level that looks like a return (between −1 and 0)
 * says so and how to give the benchmark, as the prices' load does ({@link backtestFlagNames}).
 */
async function benchmarkLevels<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (e) {
    if (!(e instanceof InputError) || e.problem !== NON_POSITIVE_PRICE) throw e;
    const value = Number(e.location.value);
    if (!(value > -1 && value <= 0)) throw e;
    throw new InputError(`the benchmark's ${e.problem}: ${e.location.value} looks like a return, not a level`, {
      ...e.location,
      hint: BENCHMARK_LEVELS_HINT,
    });
  }
}

/**
 * Refuses a benchmark whose values do not move like levels (plausible `assertPricesMoveLikePrices`:
 * positive returns, volatilities or other small numbers read as levels), in the benchmark's words.
 */
function checkBenchmarkMoves(b: Panel, file: string | undefined): void {
  try {
    assertPricesMoveLikePrices(b, file ?? '');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(
      e.problem.replace('the values of --prices do not move like prices', 'the values of --benchmark do not move like levels'),
      {
        ...e.location,
        hint: BENCHMARK_LEVELS_HINT,
      },
    );
  }
}

/**
 * Notes on a factor whose assets only partly match the prices' (a ticker spelt another way,
 * `BRK.B` beside `BRK-B`, a file of another universe): the factor's assets that are not price
 * assets (their values are never used), and the price assets without a factor value on any date
 * (never held by a factor rule). Empty when every asset of each has a match.
 */
function assetOverlapNotes(factor: Panel, px: Panel, file: string): string[] {
  const notes: string[] = [];
  const absent = factor.assets.filter((a) => px.assetIndex(a) < 0);
  if (absent.length > 0)
    notes.push(
      `signal: ${absent.length} of the ${formatCount(factor.nAssets)} assets of ${file} ${absent.length === 1 ? 'is' : 'are'} not in --prices (${few(absent, 5)}): ${absent.length === 1 ? 'its' : 'their'} values are never used (${nameMismatchText(absent, px.assets, file, '--prices') ?? 'asset names must match exactly'})`,
    );
  const m = factor.nAssets,
    v = factor.values;
  const valued = new Uint8Array(m);
  for (let i = 0; i < v.length; i++) if (v[i] === v[i]) valued[i % m] = 1;
  const without = px.assets.filter((a) => {
    const j = factor.assetIndex(a);
    return j < 0 || valued[j] === 0;
  });
  if (without.length > 0)
    notes.push(
      `signal: ${without.length} of the ${formatCount(px.nAssets)} price assets ${without.length === 1 ? 'has' : 'have'} no value in ${file} on any date (${few(without, 5)}): never held by the rule`,
    );
  return notes;
}

/**
 * A warning for `--reciprocal` on a signed factor (a quarter or more of its values below 0: a
 * z-score, a return, a growth rate): 1/x is monotone only on each side of 0, so it ranks the values
 * nearest 0 first, not the factor reversed. Ratios it is meant for (P/E, P/B) are positive but for a
 * few losses (≤ 6% of the S&P's P/B and EPS). Undefined otherwise.
 */
function signedReciprocalWarning(f: Panel, file: string): string | undefined {
  let n = 0,
    neg = 0;
  for (const x of f.values)
    if (x === x) {
      n++;
      if (x < 0) neg++;
    }
  if (n === 0 || neg < 0.25 * n) return undefined;
  return `--reciprocal ranks by 1/factor, and ${formatPercent(neg / n)} of the values of ${file} are below 0 (a signed factor: a z-score, a return): 1/x ranks the values nearest 0 first (small positive ones at the top, small negative ones at the bottom), not the factor reversed; --lower-is-better ranks by -factor`;
}

/**
 * Refuses a factor file with no date inside the backtest's period (`first` .. `last`): every
 * rebalance would reuse values from before it (a stale snapshot), or none would have a value.
 */
function checkFactorPeriod(f: Panel, first: number, last: number, flags: BacktestFlags): void {
  const a = f.dates[0],
    b = f.dates[f.nDates - 1];
  if (b >= first && a <= last) return;
  const period = `${formatIsoDate(first)} .. ${formatIsoDate(last)}`;
  throw new InputError(
    b < first
      ? `the factor's dates (${dateRange(f.dates)}) end before the backtest (${period}): every rebalance would reuse the factor of ${formatIsoDate(b)}`
      : `the factor's dates (${dateRange(f.dates)}) start after the backtest (${period}) ends: no rebalance has a factor value`,
    {
      file: flags.factor,
      hint: 'give a factor dated inside the backtest, or --start/--end inside the factor dates',
    },
  );
}

/**
 * The rule, refusing a rebalance (after the first one that had candidates) on which no tradable
 * name has a factor value: the rule would sell the whole book and sit in cash until the next one,
 * silently. A factor date left blank, or a universe that stops before the prices, does that.
 */
function refusingEmpty(rule: Rule, flags: BacktestFlags, factor: Panel | undefined): Rule {
  let seen = false;
  return (ctx) => {
    const n = ctx.candidates?.().count ?? 0;
    if (n > 0) seen = true;
    else if (seen) {
      const date = formatIsoDate(ctx.date);
      let tradable = 0;
      for (let j = 0; j < ctx.tradable.length; j++) tradable += ctx.tradable[j];
      if (tradable === 0)
        throw new InputError(
          `no name is tradable (${flags.membership !== undefined ? 'a member with a price' : 'with a price'}) on the rebalance date ${date}: the rule would sell everything and hold cash until the next rebalance`,
          {
            file: flags.membership ?? flags.prices,
            date,
            hint:
              flags.membership !== undefined
                ? 'check that --membership covers the whole period and names the price assets, or --end before the date'
                : 'the prices have no value on that date: a row of a day without trading (a holiday left in the file) can be deleted; else check the prices there, or --end before it',
          },
        );
      let source = '';
      let hint =
        "fill that date's factor values or drop the date from the file (the factor on a rebalance date is the latest date's cross-section, not each asset's last value), or add --latest-per-asset to take each asset's latest value (a sparse file such as fundamentals)";
      if (factor !== undefined && flags.latestPerAsset === true) {
        // each name's latest value was taken already: on this date every one of them is too old (or none exists)
        const maxAge = flags.signalMaxAge ?? LATEST_MAX_AGE_DAYS;
        const last = factor.dates[factor.nDates - 1];
        source = ` (each name's latest value at most ${maxAge} days old, --signal-max-age; the factor's last date is ${formatIsoDate(last)})`;
        hint =
          last < ctx.date - maxAge
            ? `every factor value is more than ${maxAge} days old by then: --end ${formatIsoDate(last + maxAge)} or earlier stops the backtest before the values run out, or a larger --signal-max-age carries them longer`
            : 'no tradable name has a value in the factor file within --signal-max-age days before that date: check that the factor names the price assets, or raise --signal-max-age';
      } else if (factor !== undefined) {
        let k = factor.nDates - 1;
        while (k >= 0 && factor.dates[k] > ctx.date) k--;
        if (k >= 0) source = ` (it uses the factor of ${formatIsoDate(factor.dates[k])}, which has no value for any of them)`;
      }
      throw new InputError(
        `none of the ${plural(tradable, 'tradable name')} has a factor value on the rebalance date ${date}${source}: the rule would sell everything and hold cash until the next rebalance`,
        {
          file: factor !== undefined ? flags.factor : undefined,
          date,
          hint: factor !== undefined ? hint : 'check the prices before that date',
        },
      );
    }
    return rule(ctx);
  };
}

/**
 * Refuses a benchmark level series of another frequency than the prices (weekly levels against
 * daily prices): returns between consecutive backtest rows would exist on almost no row.
 */
function checkBenchmarkFrequency(px: Panel, b: Panel, file: string | undefined): void {
  const fp = detectFrequency(px.dates).frequency,
    fb = detectFrequency(b.dates).frequency;
  if (fp === fb || fp === 'irregular' || fb === 'irregular') return;
  throw new InputError(
    `the benchmark is ${fb} and the prices are ${fp}: the backtest's ${fp} returns have no benchmark return to pair with`,
    {
      file,
      hint: `give the benchmark's ${fp} levels (an index or one asset's prices on the prices' dates)`,
    },
  );
}

/**
 * Refuses a benchmark with a return on fewer than half of the statistics' periods: its statistics
 * (total and annual return, tracking error, IR, beta, alpha) would be of a few scattered periods.
 */
function checkBenchmarkCoverage(b: Float64Array, res: { dates: Int32Array }, file: string): void {
  let k = 0;
  for (let i = 1; i < b.length; i++) if (Number.isFinite(b[i])) k++;
  const n = b.length - 1;
  if (n < 2 || k * 2 >= n) return;
  throw new InputError(
    `the benchmark has a return on only ${k} of the backtest's ${n} periods (${dateRange(res.dates)}): it lacks a level on most of the backtest's dates`,
    {
      file,
      hint: 'give benchmark levels on the price dates (same calendar) covering the backtest',
    },
  );
}

/**
 * --factors against the prices' frequency, with the check exposures, rolling, optimize and replicate
 * make (calendars.ts `matchReturnsToFactors`): the strategy's returns are on the price dates, so
 * factors of another frequency (weekly or monthly against daily prices) would be paired on the few
 * dates they share. The message is that check's; the hint is the backtest's (it has no --resample).
 */
function checkFactorFrequency(px: Panel, factors: Frame, flags: BacktestFlags): void {
  const files = flags.factors ?? [];
  try {
    matchReturnsToFactors(px, `--prices ${flags.prices}`, { label: `--factors ${files.join(' + ')}`, dates: factors.dates }, undefined);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const f = detectFrequency(px.dates).frequency;
    const kenFrench =
      f === 'daily'
        ? ' (Ken French: F-F_Research_Data_Factors_daily.CSV)'
        : f === 'monthly'
          ? ' (Ken French: F-F_Research_Data_Factors.CSV)'
          : '';
    throw new InputError(e.problem, {
      ...e.location,
      hint: `--factors must be of the prices' frequency: give ${f} factors${kenFrench}, or drop --factors`,
    });
  }
}

const DAY_NAMES = ['a Monday', 'a Tuesday', 'a Wednesday', 'a Thursday', 'a Friday', 'a Saturday', 'a Sunday'];

/** The factor on the price sessions (core sessionDates): a date without a price is the signal of the session before it. */
export function onSessionDates(factor: Panel, prices: Panel): { panel: Panel; moved: number; first: [number, number] } {
  const r = sessionDates(factor.dates, prices.dates);
  return { panel: r.moved === 0 ? factor : new Panel(r.dates, factor.assets, factor.values), moved: r.moved, first: r.first };
}

/**
 * The rule, counting the signal rows on which fewer names could be picked than --top (tradable,
 * with a factor value; rows with none, a signal still warming up, are not counted): there a rule
 * sized by --top holds every one of them. `short.most` is the most such names on those rows.
 */
function countingShort(rule: Rule, top: number, short: { count: number; most: number }): Rule {
  return (ctx) => {
    const n = ctx.candidates?.().count ?? 0;
    if (n > 0 && n < top) {
      short.count++;
      short.most = Math.max(short.most, n);
    }
    return rule(ctx);
  };
}

/**
 * Whether the JSON lists every rebalance's weights and trades: when it is written (`--out`,
 * `--json`). The weights and trades tables and the report read the run itself.
 */
function detailOf(flags: BacktestFlags): boolean {
  return flags.json === true || flags.out !== undefined;
}

function makeRule(
  flags: BacktestFlags,
  px: Panel,
  groups: { groups: Map<string, string> | readonly { asset: string; group: string | null }[]; names: string[] } | undefined,
  industryWeights: Float64Array | undefined,
): Rule {
  switch (flags.rule) {
    case 'top-n':
      return topN(flags.top);
    case 'top-quantile':
      return topQuantile(flags.quantiles, flags.quantile ?? flags.quantiles);
    case 'long-short':
      return quantileLongShort(flags.quantiles);
    case 'proportional':
      return signalProportional();
    case 'inverse-vol':
      return inverseVolatility(flags.volLookback, flags.factor === undefined ? undefined : flags.top);
    case 'topk-dropout':
      return topkDropout(flags.top, flags.nDrop);
    case 'industry-neutral': {
      if (groups === undefined) throw new InputError('--rule industry-neutral needs --groups');
      return industryNeutral({
        quantiles: flags.quantiles,
        quantile: flags.quantile,
        groups: industryCodes(flags, px, groups),
        industryWeights,
      });
    }
  }
}

/** The industry code of each price asset (an index of `groups.names`; −1 without a group), refusing dated groups and no match. */
function industryCodes(
  flags: BacktestFlags,
  px: Panel,
  groups: { groups: Map<string, string> | readonly { asset: string; group: string | null }[]; names: string[] },
): Int32Array {
  if (!(groups.groups instanceof Map))
    throw new InputError('industry-neutral backtests take static industries (asset,group); the groups file has dates', {
      file: flags.groups,
      hint: 'give one industry per asset',
    });
  const codes = new Int32Array(px.nAssets).fill(-1);
  let found = 0;
  for (let j = 0; j < px.nAssets; j++) {
    const g = groups.groups.get(px.assets[j]);
    if (g !== undefined) {
      codes[j] = groups.names.indexOf(g);
      found++;
    }
  }
  if (found === 0)
    throw new InputError(`no price asset (${few(px.assets)}) is in the groups file`, {
      file: flags.groups,
      hint: assetNamesHint([...groups.groups.keys()], px.assets, 'the groups file', '--prices', 'asset names must match exactly'),
    });
  return codes;
}

function ruleText(flags: BacktestFlags): string {
  switch (flags.rule) {
    case 'top-n':
      return `top ${flags.top} equal weight`;
    case 'top-quantile':
      return `quantile ${flags.quantile ?? flags.quantiles} of ${flags.quantiles}, equal weight`;
    case 'long-short':
      return `long quantile ${flags.quantiles}, short quantile 1 of ${flags.quantiles}, equal weight each side`;
    case 'proportional':
      return 'weights proportional to the factor';
    case 'inverse-vol':
      return `inverse ${flags.volLookback}-row volatility${flags.factor !== undefined ? ` among the top ${flags.top}` : ''}`;
    case 'industry-neutral':
      return `quantile ${flags.quantile ?? flags.quantiles} of ${flags.quantiles} within each industry, industries at ${flags.industryWeights ? `the weights of ${flags.industryWeights}` : 'their share of the names'}`;
    case 'topk-dropout':
      return `TopkDropout: hold ${flags.top}, replace at most ${flags.nDrop} a rebalance`;
  }
}

/** The results with the strategy's exposures through time (--factors), after checking the factors against the run. */
function withExposures(results: BacktestResults, loaded: { frame: Frame; notes: string[] }, flags: BacktestFlags): BacktestResults {
  const frame = loaded.frame;
  const dates = results.run.dates;
  let riskFree: string | undefined;
  if (flags.rfCol === 'none') riskFree = undefined;
  else if (flags.rfCol !== undefined) {
    riskFree = findColumn(frame.columns, flags.rfCol, '--rf-col');
    if (riskFree === undefined)
      throw new InputError(`no risk-free column ${flags.rfCol} among the factors`, {
        column: flags.rfCol,
        hint: `factor columns are ${frame.columns.join(', ')}; --rf-col none regresses on every column`,
      });
  } else riskFree = findColumn(frame.columns, 'rf', '--rf-col');
  const names = frame.columns.filter((c) => c !== riskFree);
  if (names.length === 0)
    throw new InputError('the factor files have no factor besides the risk-free column', {
      file: flags.factors?.join(', '),
      hint: 'give factor returns (e.g. mkt_rf, smb, hml)',
    });
  const shared = mapCalendar(dates, frame.dates).filter((k) => k >= 0).length;
  if (shared < flags.exposureWindow) {
    throw new InputError(
      `the factors share ${shared} of the backtest's ${dates.length} dates (${dateRange(dates)}; factors ${dateRange(frame.dates)}): fewer than --exposure-window ${flags.exposureWindow}`,
      {
        file: flags.factors?.join(', '),
        hint: "give factors of the prices' frequency covering the backtest (daily Ken French factors for daily prices), or a shorter --exposure-window",
      },
    );
  }
  if (flags.exposureWindow < names.length + 2)
    throw new InputError(`--exposure-window ${flags.exposureWindow} is too short for ${names.length} factors`, {
      hint: `at least ${names.length + 2} rows`,
    });
  return results.withExposures(frame, {
    window: flags.exposureWindow,
    riskFree,
    notes: loaded.notes.map((x) => `factors: ${x}`),
  });
}

const pct = (x: number | undefined, d = 2): string => (x !== undefined && Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : 'n/a');
const num = (x: number | undefined): string => (x !== undefined && Number.isFinite(x) ? x.toFixed(2) : x === Infinity ? 'inf' : 'n/a');

/** The period the statistics cover, in words: from the first rebalance that holds something. */
function statisticsPeriod(s: BacktestOutput['summary']): string {
  const skipped = s.rows - s.statisticsRows;
  const period = `${s.statisticsFirstDate} .. ${s.lastDate}, ${plural(s.statisticsRows, 'row')}`;
  return skipped === 0
    ? `${period} (every row: the first rebalance holds something)`
    : `${period} from the first rebalance that holds something (${plural(skipped, 'earlier row')} in cash left out: the rule held nothing yet, e.g. in momentum's lookback)`;
}

export function renderBacktest(r: BacktestOutput, flags: BacktestFlags): string[] {
  const { net, gross } = r.performance;
  const dd = (p: Performance): string => {
    const m = p.maxDrawdown;
    if (m.troughRow < 0) return 'none';
    const d = r.series.dates;
    const peak = m.peakRow < 0 ? `before ${d[0]}` : d[m.peakRow];
    return `${pct(m.maxDrawdown)} (peak ${peak}, trough ${d[m.troughRow]}, ${m.recoveryRow < 0 ? 'not recovered' : `recovered ${d[m.recoveryRow]}`}; ${plural(m.durationRows, 'row')})`;
  };
  const b = net.benchmark;
  const rows: (readonly string[])[] = [
    ['total return', pct(net.totalReturn), pct(gross.totalReturn), pct(b?.totalReturn)],
    ['annual return', pct(net.annualReturn), pct(gross.annualReturn), pct(b?.annualReturn)],
    ['volatility', pct(net.annualVolatility), pct(gross.annualVolatility), ''],
    ['Sharpe', num(net.sharpe), num(gross.sharpe), ''],
    ['Sortino', num(net.sortino), num(gross.sortino), ''],
    ['Calmar', num(net.calmar), num(gross.calmar), ''],
    ['hit rate', pct(net.hitRate, 1), pct(gross.hitRate, 1), ''],
  ];
  const header = ['', 'net', 'gross', ...(b ? ['benchmark'] : [])];
  const last = r.rebalances[r.rebalances.length - 1];
  const lines = [
    `factorlab backtest: ${r.strategy}, ${r.settings.costBps} bp${r.settings.minCost > 0 ? ` (at least ${r.settings.minCost} a name)` : ''}`,
    `  signal: ${r.settings.signal}`,
    `  universe: ${r.settings.universe}`,
    ...(r.settings.benchmark ? [`  benchmark: ${r.settings.benchmark}`] : []),
    ...r.notes.map((x) => `  ${x}`),
    `  ${r.summary.firstDate} .. ${r.summary.lastDate}: ${plural(r.summary.rows, 'row')}, ${plural(r.summary.rebalances, 'rebalance')}; annualised with ${r.settings.periodsPerYear} periods a year ${r.settings.periodsPerYearSource}`,
    `  statistics: ${statisticsPeriod(r.summary)}`,
    '',
    table(
      header,
      rows.map((x) => (b ? x : x.slice(0, 3))),
      { indent: 2, align: ['left', 'right', 'right', 'right'] },
    ),
    `  max drawdown  ${dd(net)}`,
    ...(b
      ? [
          `  vs benchmark  tracking error ${pct(b.trackingError)}, information ratio ${num(b.informationRatio)}, beta ${num(b.beta)}, alpha ${pct(b.alpha)} a year`,
        ]
      : []),
    '',
    `  turnover      ${formatNumber(r.summary.meanTurnover, 3)} per rebalance (sum |dw|; one-way ${formatNumber(r.summary.meanOneWayTurnover, 3)}); costs ${pct(r.summary.totalCost, 3)} of NAV in all`,
    `  holdings      ${formatNumber(r.summary.meanHoldings, 3)} on average; ${plural(r.summary.forcedSales, 'forced sale')} (left the universe, or ${r.settings.maxGap === 0 ? 'no price on a row' : `no price for more than ${plural(r.settings.maxGap, 'row')} in a row`}: sold at the last price)`,
    ...(r.summary.heldWithoutPrice > 0
      ? [
          `  gaps          ${plural(r.summary.heldWithoutPrice, 'time')} a held name had no price and was carried at its last price, untraded (--max-gap ${r.settings.maxGap})`,
        ]
      : []),
    `  last trade    ${last.date} (signal ${last.signalDate}): ${last.weights
      .slice()
      .sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight))
      .slice(0, 8)
      .map((w) => `${w.asset} ${pct(w.weight, 1)}`)
      .join(', ')}${last.weights.length > 8 ? `, ... (${last.weights.length})` : ''}`,
  ];
  if (r.exposures !== undefined) {
    const e = r.exposures;
    const last = (xs: (number | null)[] | undefined): number | undefined => {
      if (xs === undefined) return undefined;
      for (let i = xs.length - 1; i >= 0; i--) {
        const v = xs[i];
        if (v !== null) return v;
      }
      return undefined;
    };
    // the means leave out the cash warm-up before the statistics' period and the windows reaching
    // into it (zero returns there pull a regression's slopes toward 0)
    const k = r.summary.rows - r.summary.statisticsRows;
    const from = k === 0 ? 0 : Math.min(k + e.window - 1, Math.max(0, r.summary.rows - 1));
    const mean = (xs: (number | null)[] | undefined): number | undefined => {
      const v = (xs ?? []).slice(from).filter((x): x is number => x !== null);
      return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
    };
    lines.push(
      '',
      `  exposures     rolling ${e.window} rows; mean over ${k === 0 ? 'the backtest' : `the windows after the cash warm-up (from row ${from + 1})`} (last date in brackets)`,
    );
    lines.push(
      table(
        ['', 'regression', ...(e.holdings ? ['holdings'] : [])],
        e.factors.map((f) => [
          f,
          `${num(mean(e.regression[f]))} (${num(last(e.regression[f]))})`,
          ...(e.holdings ? [`${num(mean(e.holdings.exposures[f]))} (${num(last(e.holdings.exposures[f]))})`] : []),
        ]),
        { indent: 4, align: ['left', 'right', 'right'] },
      ),
    );
    lines.push(
      `    R² of the regression ${num(mean(e.regression.r2))} on average${e.holdings ? `; holdings with betas cover ${pct(mean(e.holdings.coveredWeight), 1)} of the book on average` : ''}`,
    );
  }
  const wrote = [flags.out, flags.navOut, flags.weightsOut, flags.tradesOut, flags.report].filter((x): x is string => x !== undefined);
  if (wrote.length > 0) lines.push(`  wrote         ${wrote.join(', ')}`);
  return lines;
}

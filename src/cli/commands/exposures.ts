/**
 * `factorlab exposures`: what is each asset exposed to? Time-series regressions of asset returns
 * on factor returns (OLS, ridge, lasso or elastic net), with diagnostics, printed as a table and
 * written as CSV, Parquet or JSON (the JSON schema is in exposures/json.ts and the README).
 */
import { type Command, Option } from 'commander';
import { dayOfWeek, formatIsoDate, tryParseIsoDate } from '../../core/dates.js';
import { returnsSpan } from '../../core/returns.js';
import { InputError } from '../../core/errors.js';
import { Panel } from '../../core/panel.js';
import { Table, type TableColumnData } from '../../core/table.js';
import { simpleReturnsInPlace } from '../../core/returns.js';
import { compoundReturns } from '../../core/compound.js';
import { nanQuantile } from '../../stats/descriptive.js';
import { FactorExposures } from '../../exposures/factorExposures.js';
import type { ExposureFit } from '../../exposures/fit.js';
import { ExposureResults } from '../../exposures/results.js';
import { holdDuckdb } from '../../io/duckdb.js';
import { fitExposuresParallel } from '../../parallel/ols.js';
import { formatOf } from '../../io/source.js';
import { TABLE_FORMATS } from '../../io/outputs.js';
import { writeJsonAtomic, writeTable } from '../../io/write.js';
import { markStage, reportStages } from '../timings.js';
import { formatNumber, plural, table } from '../format.js';
import { loadFactors, loadPrices, loadValues, parseNumber, positiveInteger, timezoneOption, unusedValueColumn } from '../load.js';
import {
  checkOverlap,
  factorCoverage,
  matchReturnsToFactors,
  parseSampleRange,
  RESAMPLE_FREQUENCIES,
  type ResampleTarget,
} from '../calendars.js';
import { assertDecimalReturns, assertNotPrices, assertReturnsAboveTotalLoss, findColumn } from '../plausible.js';
import { progressReporter } from '../progress.js';
import { threadsOption } from '../threads.js';
import type { CliStreams } from '../streams.js';
import { printJson } from '../printJson.js';
import type { ExposureReportData } from '../../exposures/report.js';
import { returnsSpanningFactorDates } from '../../exposures/factorChecks.js';
import { type Calendar, detectFrequency, lowerBound } from '../../core/calendar.js';
import { exposureReportDocument } from '../../report/exposureReport.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { generatorLine } from '../generator.js';

export interface ReturnsFlags {
  prices?: string;
  returns?: string;
  factors: string[];
  rfCol?: string;
  factorCols?: string;
  factorScale?: number;
  returnsScale?: number;
  resample?: ResampleTarget;
  dateCol?: string;
  assetCol?: string;
  valueCol?: string;
  clean?: boolean;
  start?: string;
  end?: string;
  threads: number;
  timezone?: string;
}

export interface ExposuresFlags extends ReturnsFlags {
  l1: number;
  l2: number;
  constant: boolean;
  normalize: boolean;
  neweyWest?: boolean | number;
  minObs?: number;
  crossScore?: string[];
  limit: number;
  json?: boolean;
  out?: string;
  residuals?: string;
  report?: string;
  svg?: string;
  reportData?: boolean;
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** The options every command that regresses returns on factors shares. */
export function addReturnsOptions(cmd: Command): Command {
  return cmd
    .option('--prices <file>', 'asset prices (long or wide): simple returns are computed from them')
    .option('--returns <file>', 'asset returns (long or wide), decimal')
    .requiredOption(
      '--factors <file>',
      'factor returns: a Ken French file (CSV or zip, read in decimal) or a wide date,factor,... table; repeat to join several',
      collect,
    )
    .option(
      '--rf-col <name>',
      'risk-free column: subtracted from every return and not a regressor (default: a column named rf, if any; "none" to keep it)',
    )
    .option('--factor-cols <list>', 'regress on these factor columns only (comma-separated)')
    .addOption(
      new Option(
        '--factor-scale <x>',
        'multiply the factor values as written by this (0.01 for percent). Without it, Ken French files are read as percent (÷ 100), other files as decimal, and values that look like the other scale are refused',
      ).argParser(
        parseNumber('--factor-scale', (n) => n > 0, 'a positive number (a unit: 0.01 for percent); a negative one would flip every beta'),
      ),
    )
    .addOption(
      new Option(
        '--returns-scale <x>',
        'multiply the --returns values by this (0.01 for percent returns). Without it, values that look like percent or not like returns are refused',
      ).argParser(
        parseNumber('--returns-scale', (n) => n > 0, 'a positive number (a unit: 0.01 for percent); a negative one would flip every beta'),
      ),
    )
    .addOption(
      new Option(
        '--resample <frequency>',
        "returns finer than the factors (daily prices, monthly factors): compound them to the factors' dates, product of (1 + r) over each complete period minus 1 (a period --start/--end cuts is left out, with a warning); must name the factors' frequency",
      ).choices([...RESAMPLE_FREQUENCIES]),
    )
    .option('--date-col <name>', 'date column of the return/price file')
    .option('--asset-col <name>', 'asset column of a long return/price file')
    .option('--value-col <name>', 'value column of a long return/price file')
    .addOption(timezoneOption('the return/price file'))
    .option('--clean', 'set one-day bad ticks in the prices to missing first')
    .option('--start <date>', 'first date of the sample (ISO)')
    .option('--end <date>', 'last date of the sample (ISO)')
    .addOption(threadsOption());
}

export interface LoadedModelInputs {
  returns: Panel;
  factors: Awaited<ReturnType<typeof loadFactors>>['frame'];
  riskFree: string | undefined;
  regressors: string[];
  /** What was read and done, for the output (and the JSON `notes`). */
  notes: string[];
  /** The notes that are warnings (a fragile overlap): also printed on stderr. */
  warnings: string[];
  /** Dates returns and factors share inside --start/--end. */
  commonDates: number;
}

/**
 * Returns (from prices or a returns file) and factors, with the risk-free column resolved. `shared`
 * reads the returns onto a SharedArrayBuffer, which the worker threads then fit in place (no shared
 * copy of the panel; see parallel/ols.ts).
 */
export function loadModelInputs(
  flags: ReturnsFlags,
  onProgress: Parameters<typeof loadValues>[2],
  shared = false,
): Promise<LoadedModelInputs> {
  return holdDuckdb(() => readModelInputs(flags, onProgress, shared)); // one DuckDB instance for every file
}

async function readModelInputs(
  flags: ReturnsFlags,
  onProgress: Parameters<typeof loadValues>[2],
  shared: boolean,
): Promise<LoadedModelInputs> {
  if ((flags.prices === undefined) === (flags.returns === undefined)) {
    throw new InputError('give exactly one of --prices and --returns', {
      hint: '--prices prices.csv computes simple returns; --returns takes them as they are',
    });
  }
  if (flags.returnsScale !== undefined && flags.returns === undefined)
    throw new InputError('--returns-scale scales a --returns file; with --prices the returns are computed from the prices', {
      hint: 'drop --returns-scale',
    });
  parseSampleRange(flags.start, flags.end); // a malformed or reversed --start/--end before any file is read
  const notes: string[] = [];
  const table = {
    dateCol: flags.dateCol,
    assetCol: flags.assetCol,
    valueCol: flags.valueCol,
    valueFlag: '--value-col',
    threads: flags.threads,
    ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}),
  };
  let returns: Panel;
  let prices: Panel | undefined; // turned into returns once the factors' calendar is known
  let priceDates: Calendar | undefined; // the prices' calendar
  const returnsLabel = flags.prices !== undefined ? `--prices ${flags.prices}` : `--returns ${flags.returns}`;
  if (flags.prices !== undefined) {
    const p = await loadPrices(flags.prices, table, flags.clean ?? false, onProgress, shared, '--returns');
    notes.push(...p.notes);
    prices = p.panel;
    returns = p.panel; // replaced below
  } else {
    const loaded = await loadValues(flags.returns as string, table, onProgress, shared);
    const unused = unusedValueColumn(flags.returns as string, loaded, flags.valueCol, '--value-col');
    if (unused !== undefined) notes.push(unused);
    returns = loaded.panel;
    assertNotPrices(returns, flags.returns as string);
    if (flags.returnsScale === undefined) assertDecimalReturns(returns, flags.returns as string, '--returns-scale');
    else if (flags.returnsScale !== 1) {
      const v = returns.values; // read for this run alone: scaled in place
      for (let i = 0; i < v.length; i++) v[i] *= flags.returnsScale;
      notes.push(`--returns ${flags.returns}: values x ${flags.returnsScale} (--returns-scale)`);
    }
    assertReturnsAboveTotalLoss(returns, flags.returns as string, '--returns-scale', flags.returnsScale !== undefined);
  }
  const rfFlag = flags.rfCol !== undefined && flags.rfCol !== 'none' ? flags.rfCol : 'rf';
  const { frame, notes: fnotes } = await loadFactors(flags.factors, flags.factorScale, undefined, rfFlag);
  notes.push(...fnotes);
  let riskFree: string | undefined;
  if (flags.rfCol === 'none') riskFree = undefined;
  else if (flags.rfCol !== undefined) {
    riskFree = findColumn(frame.columns, flags.rfCol, '--rf-col');
    if (riskFree === undefined)
      throw new InputError(`no risk-free column ${flags.rfCol} among the factors`, {
        column: flags.rfCol,
        hint: `factor columns are ${frame.columns.join(', ')}; --rf-col none regresses on every column`,
      });
  } else {
    riskFree = findColumn(frame.columns, 'rf', '--rf-col');
    if (riskFree !== undefined)
      notes.push(`${riskFree}: subtracted from every return as the risk-free rate (--rf-col none to regress on it instead)`);
  }
  // an explicit --factor-scale states the unit of every column (--factor-scale 1: "they really are decimal")
  if (riskFree !== undefined && flags.factorScale === undefined)
    assertPlausibleRiskFree(frame.get(riskFree), frame.dates, riskFree, flags.factors.join(' + '));
  let regressors = frame.columns.filter((c) => c !== riskFree);
  if (flags.factorCols !== undefined) {
    const wanted = flags.factorCols
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    regressors = wanted.map((c) => {
      const col = findColumn(frame.columns, c, '--factor-cols');
      if (col === undefined)
        throw new InputError(`no factor column ${c}`, { column: c, hint: `--factor-cols takes some of ${frame.columns.join(', ')}` });
      return col;
    });
    // a column named twice (mkt_rf,mkt_rf or mkt_rf,MKT_RF) would be two identical regressors
    const twice = regressors.find((c, i) => regressors.indexOf(c) !== i);
    if (twice !== undefined)
      throw new InputError(`--factor-cols names the factor ${twice} twice`, {
        column: twice,
        value: flags.factorCols,
        hint: 'name each factor once',
      });
  }
  const factorsLabel = `--factors ${flags.factors.join(' + ')}`;
  if (prices !== undefined) {
    // daily factors: prices on days the factors' market was closed (a 7-day calendar's weekends, a
    // foreign holiday) are sampled away first, so that each return runs from one factor date to the
    // next, the interval the factor return covers (pandas: prices.reindex(factor_dates).pct_change())
    if (detectFrequency(frame.dates).frequency === 'daily') {
      const sampled = onFactorDates(prices, frame.dates, parseSampleRange(flags.start, flags.end), returnsLabel, factorsLabel);
      prices = sampled.prices;
      notes.push(...sampled.notes);
    }
    priceDates = prices.dates;
    returns = simpleReturnsInPlace(prices); // the prices are not needed again: no second panel
  } else if (flags.resample === undefined && detectFrequency(frame.dates).frequency === 'daily') {
    // a daily returns file with dates the daily factors lack (a 7-day calendar's weekends): each
    // factor date's return is the compounded return since the previous factor date, the interval the
    // factor return covers (core compoundReturns, as --resample does for coarser factors)
    const compounded = onFactorPeriods(returns, frame.dates, parseSampleRange(flags.start, flags.end), returnsLabel, factorsLabel);
    returns = compounded.returns;
    notes.push(...compounded.notes);
  }
  // with --resample, only the periods whose days all lie inside --start/--end (a cut one is left out with a warning)
  const matched = matchReturnsToFactors(
    returns,
    returnsLabel,
    { label: factorsLabel, dates: frame.dates },
    flags.resample,
    parseSampleRange(flags.start, flags.end),
  );
  const resampled = flags.resample !== undefined; // compounded (matchReturnsToFactors refuses a --resample with nothing to do)
  returns = matched.returns;
  notes.push(...matched.notes);
  // daily factors only: there a factor date between two price dates is a whole trading day the prices
  // lack; weekly or monthly files label a period by different days (the last trading day, the calendar
  // month end), so a factor date between two price dates is no evidence of a skipped period
  const spanning =
    priceDates !== undefined && !resampled && detectFrequency(frame.dates).frequency === 'daily'
      ? leaveOutSpanningReturns(
          returns,
          priceDates,
          frame.dates,
          parseSampleRange(flags.start, flags.end),
          flags.prices ?? '',
          factorsLabel,
        )
      : [];
  notes.push(...spanning);
  const unmatched = !resampled
    ? returnDatesWithoutFactors(
        returns,
        priceDates !== undefined,
        frame.dates,
        parseSampleRange(flags.start, flags.end),
        returnsLabel,
        factorsLabel,
      )
    : [];
  notes.push(...unmatched);
  const overlap = checkOverlap(
    { label: returnsLabel, dates: returns.dates },
    { label: factorsLabel, dates: frame.dates },
    flags.start,
    flags.end,
    USEFUL_DATES,
  );
  notes.push(...overlap.notes);
  return {
    returns,
    factors: frame,
    riskFree,
    regressors,
    notes,
    warnings: [...matched.warnings, ...spanning, ...unmatched, ...overlap.notes],
    commonDates: overlap.common.length,
  };
}

/**
 * Prices sampled on the daily factors' dates: the price rows dated inside the factors' range and
 * --start/--end that the factors lack are dropped, in place (the rows
 * move up in the same buffer, so a shared panel stays shared), with a note. A price on Saturday
 * would otherwise give a Friday-to-Saturday return with no factor row (left out) and a
 * Sunday-to-Monday return regressed on Monday's factors, which cover Friday to Monday.
 */
function onFactorDates(
  prices: Panel,
  factorDates: Calendar,
  sample: { from: number; to: number },
  returnsLabel: string,
  factorsLabel: string,
): { prices: Panel; notes: string[] } {
  if (factorDates.length === 0) return { prices, notes: [] };
  const lo = factorDates[0],
    hi = factorDates[factorDates.length - 1];
  const d = prices.dates,
    m = prices.nAssets,
    v = prices.values;
  const keep = (t: number): boolean => {
    const day = d[t];
    if (day < lo || day > hi || day < sample.from || day > sample.to) return true;
    const f = lowerBound(factorDates, day);
    return f < factorDates.length && factorDates[f] === day;
  };
  let dropped = 0,
    weekend = 0,
    first = NaN;
  for (let t = 0; t < d.length; t++)
    if (!keep(t)) {
      if (dropped === 0) first = d[t];
      dropped++;
      if (dayOfWeek(d[t]) >= 5) weekend++;
    }
  if (dropped === 0) return { prices, notes: [] };
  const dates = new Int32Array(d.length - dropped);
  let k = 0;
  for (let t = 0; t < d.length; t++) {
    if (!keep(t)) continue;
    if (k !== t) v.copyWithin(k * m, t * m, (t + 1) * m);
    dates[k++] = d[t];
  }
  const why =
    weekend > 0
      ? `${weekend} of them on a Saturday or Sunday: a calendar that trades every day`
      : "days the factors' market was closed, such as a foreign holiday; if the factor file only misses days its market traded, fill it, as the return after such a day then spans two days";
  return {
    prices: new Panel(dates, prices.assets, v.subarray(0, k * m)),
    notes: [
      `${returnsLabel}: ${plural(dropped, 'price date')} inside the range of ${factorsLabel} that the factors lack (the first ${formatIsoDate(first)}; ${why}) are not used, so each return runs from one factor date to the next, as the factor returns do`,
    ],
  };
}

/**
 * A daily returns file on the daily factors' calendar: when some of its dates inside the factors'
 * range (and --start/--end) are not factor dates, the returns are compounded to the factor dates
 * (`Π(1 + r) − 1` over (previous factor date, factor date], core compoundReturns), with a note;
 * otherwise they are returned as they are. A period the returns do not cover whole (the first one,
 * a missing day) is left out, never counted short.
 */
function onFactorPeriods(
  returns: Panel,
  factorDates: Calendar,
  sample: { from: number; to: number },
  returnsLabel: string,
  factorsLabel: string,
): { returns: Panel; notes: string[] } {
  if (factorDates.length === 0 || detectFrequency(returns.dates).frequency !== 'daily') return { returns, notes: [] };
  const lo = Math.max(factorDates[0], sample.from),
    hi = Math.min(factorDates[factorDates.length - 1], sample.to);
  let extra = 0,
    first = NaN;
  for (const d of returns.dates) {
    if (d < lo || d > hi) continue;
    const f = lowerBound(factorDates, d);
    if (f < factorDates.length && factorDates[f] === d) continue;
    if (extra === 0) first = d;
    extra++;
  }
  if (extra === 0) return { returns, notes: [] };
  const { panel } = compoundReturns(returns, factorDates);
  return {
    returns: panel,
    notes: [
      `${returnsLabel}: ${plural(extra, 'return date')} inside the range of ${factorsLabel} that the factors lack (the first ${formatIsoDate(first)}): the returns are compounded to the factor dates, product of 1 + r since the previous factor date, minus 1, so each covers the interval its factor return does`,
    ],
  };
}

/**
 * Return dates inside the factors' range (and --start/--end) that the factors lack: their returns have no factor row
 * and are left out of every regression. Said in a note (a warning too), with the commonest cause:
 * monthly data labelled by the last trading day in one file and the calendar month end in the other.
 */
function returnDatesWithoutFactors(
  returns: Panel,
  fromPrices: boolean,
  factorDates: Calendar,
  sample: { from: number; to: number },
  returnsLabel: string,
  factorsLabel: string,
): string[] {
  if (factorDates.length === 0) return [];
  const lo = Math.max(factorDates[0], sample.from),
    hi = Math.min(factorDates[factorDates.length - 1], sample.to);
  let lacking = 0,
    inside = 0,
    first = NaN,
    atEnds = 0;
  // from prices, the first date has no return (no earlier price)
  const t0 = fromPrices ? 1 : 0;
  for (let t = t0; t < returns.nDates; t++) {
    const d = returns.dates[t];
    if (d < lo || d > hi) continue;
    inside++;
    const f = lowerBound(factorDates, d);
    if (f < factorDates.length && factorDates[f] === d) continue;
    if (lacking === 0) first = d;
    lacking++;
    if (t === t0 || t === returns.nDates - 1) atEnds++;
  }
  if (lacking === 0) return [];
  const freq = detectFrequency(factorDates).frequency;
  if (atEnds === lacking && freq !== 'daily' && freq !== 'irregular') {
    // the file starts or stops inside a period (2017-11-10 in a month-end file): that return covers part of it
    const period = { weekly: 'week', monthly: 'month', quarterly: 'quarter', annual: 'year' }[freq];
    return [
      `${returnsLabel}: ${lacking === 1 ? `its ${first === returns.dates[t0] ? 'first' : 'last'} return date ${formatIsoDate(first)} is` : `its first and last return dates (${formatIsoDate(first)}, ...) are`} not the end of a ${period} of ${factorsLabel}: the file ${lacking === 1 ? (first === returns.dates[t0] ? 'starts' : 'stops') : 'starts and stops'} inside a ${period}, whose return covers part of it, so ${lacking === 1 ? 'that return is' : 'those returns are'} left out`,
    ];
  }
  return [
    `${returnsLabel}: ${lacking} of its ${inside} return dates inside the range of ${factorsLabel}${sample.from > -Infinity || sample.to < Infinity ? ' and --start/--end' : ''} have no factor row (the first ${formatIsoDate(first)}), so those returns are left out; label both files by the same dates (monthly data labelled by the last trading day in one and by the calendar month end in the other loses every month where the two differ)`,
  ];
}

/**
 * Returns computed from prices that lack some of the (daily) factors' dates span several factor periods
 * (p_t / p_{t−1} − 1 over a skipped day) but would be regressed on the factors of t alone: a wrong
 * observation, never a number to publish. Those returns are set to missing in place (they are ours:
 * computed from the prices just read), with a note; when they are most of the returns, the prices
 * are sampled more coarsely than the factors and the run stops (exit 2).
 */
function leaveOutSpanningReturns(
  returns: Panel,
  allPriceDates: Calendar,
  factorDates: ArrayLike<number>,
  sample: { from: number; to: number },
  pricesFile: string,
  factorsLabel: string,
): string[] {
  // the returns inside --start/--end, and the price before the first of them
  const from = Math.max(0, lowerBound(allPriceDates, sample.from) - 1),
    to = sample.to === Infinity ? allPriceDates.length : lowerBound(allPriceDates, sample.to + 1);
  const priceDates = allPriceDates.subarray(from, to);
  const { rows, missing, firstMissing } = returnsSpanningFactorDates(priceDates, factorDates);
  if (rows.length === 0) return [];
  const lacking = `--prices ${pricesFile} lacks ${plural(missing, 'date')} of ${factorsLabel} inside its range${sample.from > -Infinity || sample.to < Infinity ? ' and --start/--end' : ''} (the first ${formatIsoDate(firstMissing)})`;
  if (2 * rows.length > Math.max(1, priceDates.length - 1)) {
    throw new InputError(
      `${lacking}: ${rows.length} of its ${priceDates.length - 1} returns would span several factor periods but be regressed on one period's factors`,
      {
        hint: "give prices on every date of the factors (the same trading calendar), or factors at the prices' own frequency",
      },
    );
  }
  const m = returns.nAssets;
  // rows index the returns from the second price date on; the returns panel may or may not hold the first
  for (const i of rows) {
    const t = lowerBound(returns.dates, priceDates[i + 1]);
    if (t < returns.nDates && returns.dates[t] === priceDates[i + 1]) returns.values.fill(NaN, t * m, t * m + m);
  }
  return [
    `${lacking}, so ${plural(rows.length, 'return')} (e.g. to ${formatIsoDate(priceDates[rows[0] + 1])}) would span several factor periods: left out (set to missing) rather than regressed on one period's factors`,
  ];
}

/**
 * A risk-free column whose median |value| compounds to more than 50% a year is not a risk-free rate
 * in the factors' unit: typically a percent column (0.0082 a day written as 0.82) beside decimal
 * factors, which no --factor-scale can fix since it scales every column alike. Subtracted as it
 * stands it moved every alpha by the whole rate (−0.8% a day, t = −5) without a word. Not checked
 * when --factor-scale states the unit of every column (as the percent check of the factors).
 */
function assertPlausibleRiskFree(rf: Float64Array, dates: Calendar, name: string, file: string): void {
  const { frequency, periodsPerYear } = detectFrequency(dates);
  if (!(periodsPerYear > 0)) return;
  const v = Array.from(rf, Math.abs).filter((x) => x === x);
  if (v.length === 0) return;
  v.sort((a, b) => a - b);
  const median = v[v.length >> 1];
  const annual = (1 + median) ** periodsPerYear - 1;
  if (annual > 0.5) {
    throw new InputError(
      `the risk-free column ${name} of --factors ${file} has a median of ${formatNumber(median, 3)} per ${frequency === 'daily' ? 'day' : 'period'} (${frequency}), ${annual > 100 ? 'more than 10,000%' : `${formatNumber(annual * 100, 3)}%`} a year: not a risk-free rate in the factors' unit (percent beside decimal factors?)`,
      {
        column: name,
        hint: `write ${name} in the unit of the other factors (decimal: divide it by 100), or --rf-col none to regress on it instead of subtracting it`,
      },
    );
  }
}

/** Fewer common dates of returns and factors than this are reported as fragile in the output. */
/** The columns a file was read by, for a note: `date "Date", asset "permno"` or `wide: date "date", a column per asset`. */
export function columnsReadOf(loaded: { layout: string; dateCol: string; assetCol?: string }): string {
  return loaded.layout === 'wide' || loaded.assetCol === undefined
    ? `wide: date ${JSON.stringify(loaded.dateCol)}, a column per asset`
    : `date ${JSON.stringify(loaded.dateCol)}, asset ${JSON.stringify(loaded.assetCol)}`;
}

/** The column flags one run applies to each of its files. */
export interface SharedColumnFlags {
  dateCol?: string;
  assetCol?: string;
}

/**
 * Reads a file with the run's `--date-col` / `--asset-col`, which name the columns of every file
 * of the run (rolling's prices and weights, combine's factors and prices). A file that lacks the
 * named column (a wide weights file, or one with an `asset` column, beside long prices read with
 * `--asset-col Name`) is read as if the flag were not given, its columns detected as usual, and
 * `notes` says so. Before, the reader stopped with "pass one of the existing columns with
 * --asset-col", which the other file then lacked: no flag could read both. A file that cannot be
 * read without the flag either keeps the flag's error (it lists the file's columns), the hint saying
 * why the file failed without it.
 * `ignored` receives the flags the file was read without ('dateCol', 'assetCol'); `columnsRead` words
 * the columns the file was read by, for the note.
 */
export async function readWithSharedColumns<T>(
  file: string,
  flags: SharedColumnFlags,
  read: (columns: SharedColumnFlags) => Promise<T>,
  notes: string[],
  ignored: (keyof SharedColumnFlags)[] = [],
  columnsRead?: (value: T) => string,
): Promise<T> {
  const dropped: string[] = [];
  let columns: SharedColumnFlags = { ...flags };
  let first: InputError | undefined;
  for (;;) {
    try {
      const value = await read(columns);
      if (dropped.length > 0)
        notes.push(
          `${file}: no column ${dropped.map((d) => d.replace(/^(--[a-z-]+) (.*)$/, '$2 ($1)')).join(' or ')}, which names a column of another file of the run: its own columns were detected, as without the flag${columnsRead !== undefined ? ` (${columnsRead(value)})` : ''}`,
        );
      return value;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // the reader's words for a named column the file lacks (io/columns requireColumn)
      const m = /^no (date|asset) column "(.*)";/.exec(e.problem);
      const key = m?.[1] === 'date' ? 'dateCol' : 'assetCol';
      if (m === null || columns[key] === undefined || columns[key] !== m[2]) {
        if (first === undefined) throw e;
        // without the flag the file fails too: the flag's own error (it lists the file's columns), and why
        throw new InputError(first.problem, {
          ...first.location,
          hint: `${dropped.join(' and ')} ${dropped.length === 1 ? 'names a column' : 'name columns'} of every file of the run; read without ${dropped.length === 1 ? 'it' : 'them'}, ${file} fails too (${e.problem}): give the files' columns one name, or names factorlab detects (date; asset, ticker, symbol, ...) and drop the flag`,
        });
      }
      first ??= e;
      ignored.push(key);
      dropped.push(`${key === 'dateCol' ? '--date-col' : '--asset-col'} ${JSON.stringify(m[2])}`);
      columns = { ...columns, [key]: undefined };
    }
  }
}

export const USEFUL_DATES = 36;

export function registerExposures(program: Command, streams: CliStreams): void {
  const cmd = program
    .command('exposures')
    .summary('regress asset returns on factor returns: betas, t-values, R², residuals')
    .description(
      "Fit each asset's returns on factor returns (Fama-French, momentum, your own): OLS by default, " +
        'ridge / lasso / elastic net with --l1 / --l2 (objective (1/2n)|y - Xb - c|² + l1|b|₁ + (l2/2)|b|², ' +
        'regressors standardised first unless --no-normalize). Each asset uses the dates where it and every ' +
        'factor have a value; assets with too few are skipped with a reason. Prints a table; --out writes ' +
        'CSV, Parquet or JSON by extension.',
    );
  addReturnsOptions(cmd)
    .addOption(new Option('--l1 <x>', 'lasso penalty').default(0).argParser(parseNumber('--l1', (n) => n >= 0, 'a number >= 0')))
    .addOption(new Option('--l2 <x>', 'ridge penalty').default(0).argParser(parseNumber('--l2', (n) => n >= 0, 'a number >= 0')))
    .option('--no-constant', 'fit without an intercept')
    .option('--no-normalize', 'do not standardise regressors before a penalised fit')
    .addOption(
      new Option('--newey-west [lags]', 'Newey-West (HAC) standard errors; lags default floor(4(n/100)^(2/9))').argParser(
        positiveInteger('--newey-west'),
      ),
    )
    .addOption(
      new Option('--min-obs <n>', 'fewest observations an asset needs (default: coefficients + 2)').argParser(positiveInteger('--min-obs')),
    )
    .option('--cross-score <name:base>', 'add the cross-sectional percentile of an exposure, e.g. smb_rank:smb; repeatable', collect)
    .addOption(
      new Option('--limit <n>', 'assets shown in the table (all are written with --out)').default(20).argParser(positiveInteger('--limit')),
    )
    .option('--json', 'print the fit as JSON on stdout')
    .option('--out <file>', 'write the fit: .json (full schema), .csv / .csv.gz / .parquet (one row per asset)')
    .option('--residuals <file>', 'write the residuals (date, asset, value)')
    .option(
      '--report <file.html>',
      "write the exposure report of the equal-weighted portfolio of the fitted assets: one self-contained HTML page (exposures, variance decomposition, weighted-exposure densities, every asset's regression); for exposures through time use `rolling --report`",
    )
    .option('--svg <dir>', 'write each chart of the report as a standalone SVG file into this directory (created if missing)')
    .option(
      '--report-data',
      'also put the report\'s data (variance decomposition, densities, top contributors) into the --out / --json JSON under "report", so `factorlab report` can draw it later (implied by --report and --svg)',
    )
    .addHelpText(
      'after',
      `
Examples:
  factorlab exposures --prices us_sp500_adj_ohlcv_2005_2017.csv.gz --clean \\
    --factors F-F_Research_Data_5_Factors_2x3_daily.CSV --factors F-F_Momentum_Factor_daily.CSV --start 2010-01-01
  factorlab exposures --returns fund_returns.csv --factors factors.csv --factor-scale 0.01 --l1 0.0001 --out fit.json
  factorlab exposures --prices prices.csv --factors factors.csv --out fit.json --report exposures.html`,
    )
    .action(async (flags: ExposuresFlags) => {
      if ((flags.neweyWest === true || typeof flags.neweyWest === 'number') && (flags.l1 > 0 || flags.l2 > 0)) {
        // a penalised fit has no standard errors at all (fit.ts): the flag would be ignored without a word
        throw new InputError(
          `--newey-west gives OLS standard errors; the ${flags.l1 > 0 && flags.l2 > 0 ? 'elastic net' : flags.l1 > 0 ? 'lasso' : 'ridge'} fit of --l1 ${flags.l1} --l2 ${flags.l2} has none (its estimates are biased, so no classical or HAC standard error is valid)`,
          { hint: 'drop --newey-west, or drop --l1/--l2 for an OLS fit with Newey-West t-values' },
        );
      }
      checkReportOutputs(flags.report, flags.svg, [
        { path: flags.out, flag: '--out', formats: TABLE_FORMATS },
        { path: flags.residuals, flag: '--residuals', formats: TABLE_FORMATS },
      ]); // before any work
      markStage('parse');
      const progress = progressReporter(!flags.json);
      let fit: ExposureResults;
      let report: ExposureReportData | undefined;
      const written: string[] = [];
      try {
        const wantReport = flags.report !== undefined || flags.svg !== undefined || flags.reportData === true;
        fit = await readAndFit(flags, progress.update, streams, wantReport);
        markStage('compute');
        if (wantReport) {
          assertReportableExposures(fit);
          progress.update({ phase: 'building the report', done: 0 });
          report = equalWeightReport(fit);
          markStage('report-data');
        }
        if (flags.report !== undefined || flags.svg !== undefined) {
          const n = fit.diagnostics[0].fitted.reduce((a, v) => a + v, 0);
          const doc = exposureReportDocument({
            fit: fit.toJSON(),
            report: report ?? null,
            portfolio: `equal-weighted portfolio of ${plural(n, 'fitted asset')}`,
            portfolioIsEqualWeight: true,
            inputs: [
              { label: flags.prices !== undefined ? 'prices' : 'returns', value: flags.prices ?? flags.returns ?? '' },
              { label: 'factors', value: flags.factors.join(' + ') },
            ],
            generator: generatorLine(),
          });
          if (flags.report !== undefined) {
            await writeReportHtml(flags.report, doc);
            written.push(`wrote ${flags.report} (report)`);
          }
          if (flags.svg !== undefined) {
            const files = await writeReportSvgs(flags.svg, doc);
            written.push(`wrote ${files.length} charts into ${flags.svg}`);
          }
          markStage('report');
        }
        if (flags.out !== undefined) await writeFit(flags.out, fit, report);
        if (flags.residuals !== undefined && fit.residuals !== null)
          await writeTable(flags.residuals, fit.residuals, { threads: flags.threads });
        markStage('write');
      } finally {
        progress.stop();
      }
      if (flags.json) printJson(streams, report ? { ...fit.toJSON(), report } : fit);
      else streams.stdout(`${[...renderExposures(fit, fit.notes, flags), ...written.map((w) => `  ${w}`)].join('\n')}\n`);
      markStage('print');
      reportStages();
    });
}

/**
 * The fit's --start/--end: the coverage's (below), and inside the dates that have a return: not
 * the first price date of returns computed from prices, where no asset has one (the fit's
 * calendar, so its stated range, its date count and its residuals' rows, began there). A window
 * outside the returns is left as given, for the fit's own error.
 */
export function fitWindowOf(
  inputs: LoadedModelInputs,
  flags: ReturnsFlags,
): { coverage: ReturnType<typeof factorCoverage>; start: string | undefined; end: string | undefined } {
  const coverage = coverageOf(inputs, flags);
  const span = returnsSpan(inputs.returns);
  const day = (iso: string | undefined): number => (iso === undefined ? NaN : tryParseIsoDate(iso));
  const [s0, e0] = [day(coverage.start ?? flags.start), day(coverage.end ?? flags.end)];
  const inside = span !== null && !(s0 > span[1]) && !(e0 < span[0]);
  const start = inside && !(s0 >= span[0]) ? formatIsoDate(span[0]) : (coverage.start ?? flags.start);
  const end = inside && !(e0 <= span[1]) ? formatIsoDate(span[1]) : (coverage.end ?? flags.end);
  return { coverage, start, end };
}

/**
 * The dates a fit of these inputs covers (calendars `factorCoverage`): --start/--end narrowed to
 * the return dates with a value of every regressor and of the risk-free rate, and the notes saying
 * so. The fit's calendar, and so the range the output states, is then the range fitted (exposures;
 * rolling, whose windows past the factors' end held fewer and fewer factor rows down to --min-obs).
 */
export function coverageOf(inputs: LoadedModelInputs, flags: ReturnsFlags): ReturnType<typeof factorCoverage> {
  const coverage = factorCoverage({
    returnDates: inputs.returns.dates,
    fromPrices: flags.prices !== undefined && flags.resample === undefined,
    factors: inputs.factors,
    columns: inputs.riskFree === undefined ? inputs.regressors : [...inputs.regressors, inputs.riskFree],
    sample: parseSampleRange(flags.start, flags.end),
    returnsLabel: flags.prices !== undefined ? `--prices ${flags.prices}` : `--returns ${flags.returns}`,
    factorsLabel: `--factors ${flags.factors.join(' + ')}`,
  });
  // no risk-free column found (and none named): the returns are regressed as they are, raw, on
  // factors that are usually excess returns (mkt_rf), so the alpha holds rf·(1 − β); say so, as the
  // note for a subtracted rf says what was done
  if (inputs.riskFree === undefined && flags.rfCol === undefined)
    coverage.notes.unshift(
      `no risk-free column (rf) among the factors of --factors ${flags.factors.join(' + ')}: the returns are regressed as they are, not in excess of a risk-free rate; add an rf column, or name one with --rf-col`,
    );
  return coverage;
}

/**
 * Reads the inputs and fits them. The returns panel lives only in here: the fit works in it and,
 * without a report, the results keep none of it (only the residual rows, when asked), so it is
 * released before the outputs are built and written.
 */
async function readAndFit(
  flags: ExposuresFlags,
  onProgress: ReturnType<typeof progressReporter>['update'],
  streams: CliStreams,
  wantReport: boolean,
): Promise<ExposureResults> {
  const inputs = await loadModelInputs(flags, onProgress, flags.threads > 1);
  markStage('read');
  for (const w of inputs.warnings) streams.stderr(`factorlab: warning: ${w}\n`);
  const { coverage, start, end } = fitWindowOf(inputs, flags);
  onProgress({ phase: `fitting ${plural(inputs.returns.nAssets, 'asset')}`, done: 0 });
  const fe = new FactorExposures().addRegressionFactors(inputs.factors, { step: false });
  fe.addStep(inputs.regressors, {
    l1: flags.l1,
    l2: flags.l2,
    includeConstant: flags.constant,
    normalizeIfRegularized: flags.normalize,
  });
  for (const spec of flags.crossScore ?? []) {
    const [name, base] = spec.split(':');
    if (!name || !base) throw new InputError('--cross-score takes name:base', { value: spec, hint: 'e.g. --cross-score smb_rank:smb' });
    fe.addCrossScore(name, base);
  }
  const fitted = await fitExposuresParallel(fe, inputs.returns, {
    // the returns are ours and read no more unless a report needs them: the fit works in them
    overwriteReturns: !wantReport,
    riskFree: inputs.riskFree,
    minObs: flags.minObs,
    neweyWest: typeof flags.neweyWest === 'number' ? { lags: flags.neweyWest } : flags.neweyWest === true,
    start,
    end,
    residuals: flags.residuals !== undefined,
    threads: flags.threads,
  });
  // fitExposuresParallel runs fe.fitAsync, so this is the estimator's ExposureResults
  if (!(fitted instanceof ExposureResults)) throw new Error('fitExposuresParallel did not return ExposureResults');
  const fit = fitted.withNotes([...inputs.notes, ...coverage.notes]);
  assertFitted(fit, flags);
  return fit;
}

/**
 * The report decomposes the equal-weighted portfolio on every factor, so a factor dropped for every
 * fitted asset (constant, or a combination of the others) leaves no holding with exposures: exit 2
 * naming the factor, rather than the report's "no holding has exposures; check the weights".
 */
function assertReportableExposures(fit: ExposureFit): void {
  const d = fit.diagnostics[0];
  const p = d.coefficients.length;
  const fitted = fit.assets.map((_, j) => j).filter((j) => d.fitted[j] === 1);
  if (fitted.length === 0) return;
  const dropped = d.coefficients.filter((c, i) => c !== 'const' && fitted.every((j) => Number.isNaN(d.coef[j * p + i])));
  if (dropped.length === 0) return;
  const issue = fit.issues.find((x) => x.constant.includes(dropped[0]) || x.collinear.includes(dropped[0]));
  const why =
    issue === undefined
      ? 'has no coefficient'
      : issue.constant.includes(dropped[0])
        ? 'is constant'
        : 'is a linear combination of the other regressors';
  throw new InputError(
    `the report needs every factor's exposure, but ${dropped.join(', ')} ${why} on the sample of every fitted asset, so no holding has a complete set of exposures`,
    {
      column: dropped[0],
      hint: `leave it out: --factor-cols ${fit.factors.filter((f) => !dropped.includes(f)).join(',')}`,
    },
  );
}

/** Exit 2 when no asset was fitted, with the reasons the assets were skipped (the commonest first). */
function assertFitted(fit: ExposureFit, flags: ExposuresFlags): void {
  if (fit.diagnostics[0].fitted.some((v) => v === 1)) return;
  const byReason = new Map<string, string[]>();
  for (const s of fit.skipped.filter((x) => x.step === 1)) {
    const key = s.reason.replace(/^\d+ observations/, 'too few observations').replace(/\(.*?\)/, '(...)');
    byReason.set(key, [...(byReason.get(key) ?? []), s.asset]);
  }
  const reasons = [...byReason].sort((a, b) => b[1].length - a[1].length).map(([r, a]) => `${a.length} ${r} (e.g. ${a[0]})`);
  throw new InputError(`no asset could be fitted: ${fit.assets.length} skipped: ${reasons.slice(0, 3).join('; ')}`, {
    hint:
      flags.minObs !== undefined
        ? 'lower --min-obs, or widen --start/--end'
        : 'check that the returns and factors overlap (see the dates above) and that prices vary',
  });
}

/** The fit as JSON (results.toJSON(): the exposures/json.ts schema plus the run's `notes`) or as one row per asset (results.tableRows()). */
/**
 * The seed's report data for the equal-weighted portfolio of the fitted assets on the fit's last
 * date (exposures/report.ts): 1/N on each fitted asset of the first step.
 */
function equalWeightReport(fit: ExposureResults): ExposureReportData {
  const fitted = fit.diagnostics[0].fitted;
  const n = fitted.reduce((a, v) => a + v, 0);
  return fit.report(Float64Array.from(fitted, (v) => (v === 1 ? 1 / n : NaN)));
}

/** A name JavaScript orders first among an object's keys (an array index), so a record would not keep it in place. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/**
 * {@link ExposureResults.tableRows} as a column-stored Table: the same columns in the same order
 * with the same values, so `writeTable` writes the same bytes in every format, without a record
 * per asset (on the 5,774-ticker matrix: 5,774 records of 38 keys, ~150 ms of the ~220 ms write).
 * Undefined where the records would not be a plain grid of distinct, ordered names (no asset; a
 * cross score or factor named like another column or like an array index): the caller then writes
 * the records themselves.
 */
export function exposureFitTable(fit: ExposureResults, options: { skipped?: boolean } = {}): Table | undefined {
  const d = fit.diagnostics[0];
  const p = d.coefficients.length;
  const n = fit.assets.length;
  if (n === 0) return undefined;
  const crossScores = fit.exposureNames.filter((e) => !fit.factors.includes(e));
  const why = new Map<string, string>();
  if (options.skipped === true) for (const x of fit.skipped) if (!why.has(x.asset)) why.set(x.asset, x.reason);
  const columns: TableColumnData[] = [];
  const text = (name: string, values: (j: number) => string): void => {
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(n);
    for (let j = 0; j < n; j++) {
      const v = values(j);
      let k = index.get(v);
      if (k === undefined) {
        k = dictionary.length;
        index.set(v, k);
        dictionary.push(v);
      }
      codes[j] = k;
    }
    columns.push({ name, kind: 'text', codes, dictionary });
  };
  const number = (name: string, values: ArrayLike<number>, stride = 1, offset = 0): void => {
    const out = new Float64Array(n);
    for (let j = 0; j < n; j++) out[j] = values[j * stride + offset];
    columns.push({ name, kind: 'number', values: out });
  };
  text('asset', (j) => fit.assets[j]);
  number('nobs', d.nobs);
  if (why.size > 0) text('skipped', (j) => why.get(fit.assets[j]) ?? '');
  d.coefficients.forEach((c, i) => number(c, d.coef, p, i));
  for (const name of crossScores) number(name, fit.exposures[name]);
  d.coefficients.forEach((c, i) => {
    number(`se_${c}`, d.se, p, i);
    number(`t_${c}`, d.t, p, i);
    number(`p_${c}`, d.p, p, i);
  });
  number('r2', d.r2);
  number('adj_r2', d.adjR2);
  number('residual_vol', d.residualVol);
  const nw = d.nw;
  if (nw !== null)
    d.coefficients.forEach((c, i) => {
      number(`se_nw_${c}`, nw.se, p, i);
      number(`t_nw_${c}`, nw.t, p, i);
      number(`p_nw_${c}`, nw.p, p, i);
    });
  const names = new Set(columns.map((c) => c.name));
  if (names.size !== columns.length || columns.some((c) => INDEX_KEY.test(c.name))) return undefined;
  return new Table(columns);
}

/** The fit as JSON (exposures/json.ts schema with `notes`, and `report` when computed) or as one row per asset. */
async function writeFit(file: string, fit: ExposureResults, report?: ExposureReportData): Promise<void> {
  if (file.toLowerCase().endsWith('.json')) return writeJsonAtomic(file, report ? { ...fit.toJSON(), report } : fit.toJSON());
  if (formatOf(file) === 'parquet' || /\.csv(\.gz)?$/i.test(file))
    return writeTable(file, exposureFitTable(fit, { skipped: true }) ?? fit.tableRows({ skipped: true }));
  throw new InputError('--out must end in .json, .csv, .csv.gz or .parquet', { value: file });
}

function renderExposures(fit: ExposureFit, notes: readonly string[], flags: ExposuresFlags): string[] {
  const d = fit.diagnostics[0];
  const p = d.coefficients.length;
  const fitted = fit.assets.map((_, j) => j).filter((j) => d.fitted[j] === 1);
  const shown = fitted.slice(0, flags.limit);
  const method = d.method === 'ols' ? 'OLS' : `${d.method} (l1 ${d.l1}, l2 ${d.l2}${d.normalize ? ', standardised regressors' : ''})`;
  const header = ['asset', 'nobs', ...d.coefficients.map((c) => (c === 'const' ? 'alpha' : c)), 'R²', 'resid vol'];
  const ols = d.method === 'ols';
  const tOf = d.nw !== null ? d.nw.t : d.t;
  const rows = shown.map((j) => [
    fit.assets[j],
    d.nobs[j],
    ...d.coefficients.map((_, i) => {
      const b = d.coef[j * p + i],
        t = tOf[j * p + i];
      return ols && Number.isFinite(t) ? `${formatNumber(b, 3)} (${formatNumber(t, 2)})` : formatNumber(b, 3);
    }),
    formatNumber(d.r2[j], 3),
    formatNumber(d.residualVol[j], 3),
  ]);
  const summary = d.coefficients.map((c, i) => {
    const v = Float64Array.from(fitted, (j) => d.coef[j * p + i]);
    return [
      c === 'const' ? 'alpha' : c,
      formatNumber(nanQuantile(v, 0.1), 3),
      formatNumber(nanQuantile(v, 0.5), 3),
      formatNumber(nanQuantile(v, 0.9), 3),
    ];
  });
  const lines = [
    `factorlab exposures: ${method} of ${plural(fit.assets.length, 'asset')} on ${fit.factors.join(', ')}, ${formatIsoDate(fit.dates[0])} .. ${formatIsoDate(fit.dates[fit.dates.length - 1])}`,
    ...notes.map((n) => `  ${n}`),
    `  ${fitted.length} fitted, ${fit.skipped.length} skipped${fit.issues.length > 0 ? `, ${fit.issues.length} with dropped regressors` : ''}${ols ? `; coefficient (${d.nw !== null ? 'Newey-West t' : 't-value'})` : ''}`,
    '',
    table(header, rows, { indent: 2, align: ['left', 'right', ...d.coefficients.map(() => 'right' as const), 'right', 'right'] }),
  ];
  if (fitted.length > shown.length) lines.push(`  ... ${fitted.length - shown.length} more (--limit, or --out to write them all)`);
  if (fitted.length > 1)
    lines.push('', table(['across assets', '10%', 'median', '90%'], summary, { indent: 2, align: ['left', 'right', 'right', 'right'] }));
  if (fit.skipped.length > 0) {
    lines.push('', '  skipped:');
    for (const s of fit.skipped.slice(0, 10)) lines.push(`    ${s.asset}: ${s.reason}`);
    if (fit.skipped.length > 10) lines.push(`    ... ${fit.skipped.length - 10} more (in --out)`);
  }
  lines.push(...droppedRegressorLines(fit));
  if (d.nw !== null && typeof flags.neweyWest === 'number') {
    const short = fitted.filter((j) => d.nw !== null && d.nw.lags[j] === 0);
    if (short.length > 0)
      lines.push(
        '',
        `  Newey-West: not computed for ${plural(short.length, 'asset')} whose sample is not longer than --newey-west ${flags.neweyWest} (e.g. ${fit.assets[short[0]]}, ${d.nobs[short[0]]} observations): shown without a t-value`,
      );
  }
  const crossNames = fit.exposureNames.filter((e) => !fit.factors.includes(e));
  if (crossNames.length > 0) lines.push('', `  cross scores ${crossNames.join(', ')} are in --out`);
  if (flags.out !== undefined) lines.push('', `  wrote ${flags.out}`);
  if (flags.residuals !== undefined) lines.push(`  wrote ${flags.residuals}`);
  return lines;
}

/**
 * The regressors dropped for some assets (the fit's `issues`), named with the cause: one line per
 * regressor and cause, with how many assets and an example, so a NaN column in the table is
 * explained where it is printed (the JSON holds the same per asset).
 */
function droppedRegressorLines(fit: ExposureFit): string[] {
  if (fit.issues.length === 0) return [];
  const groups = new Map<string, { factor: string; kind: 'constant' | 'collinear'; assets: string[] }>();
  for (const issue of fit.issues) {
    for (const [kind, factors] of [
      ['constant', issue.constant],
      ['collinear', issue.collinear],
    ] as const) {
      for (const factor of factors) {
        const key = `${issue.step}\u0000${kind}\u0000${factor}`;
        const g = groups.get(key) ?? { factor: fit.diagnostics.length > 1 ? `${factor} (step ${issue.step})` : factor, kind, assets: [] };
        g.assets.push(issue.asset);
        groups.set(key, g);
      }
    }
  }
  const fitted = fit.diagnostics[0].fitted.reduce((a, v) => a + v, 0);
  const lines = ['', '  dropped regressors (their coefficients are NaN; the other coefficients are the fit without them):'];
  for (const g of [...groups.values()].sort((a, b) => b.assets.length - a.assets.length)) {
    const who =
      g.assets.length === fitted ? `every fitted asset (${plural(g.assets.length, 'asset')})` : `${plural(g.assets.length, 'asset')}`;
    const cause =
      g.kind === 'constant'
        ? 'constant on the sample'
        : `a linear combination of the other regressors${fit.diagnostics[0].includeConstant ? ' and the constant' : ''} on the sample`;
    lines.push(
      `    ${g.factor}: ${cause} for ${who}, e.g. ${g.assets.slice(0, 3).join(', ')}${g.kind === 'constant' || g.assets.length === fitted ? '; leave it out with --factor-cols' : ''}`,
    );
  }
  return lines;
}

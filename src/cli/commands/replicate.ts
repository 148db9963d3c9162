/**
 * `factorlab replicate`: a basket of a replicating universe whose factor exposures match a target
 * (an index or strategy return series, or weights over the universe), with low specific risk and
 * at most K names if asked; tracking error in-sample (the fit window) and out-of-sample (after it).
 */
import { type Command, Option } from 'commander';
import { type Calendar, detectFrequency, lowerBound } from '../../core/calendar.js';
import { formatIsoDate, tryParseIsoDate } from '../../core/dates.js';
import { InputError } from '../../core/errors.js';
import { Panel } from '../../core/panel.js';
import { samePeriodDates } from '../../core/samePeriod.js';
import { loadHighs } from '../../io/highs.js';
import { isKenFrenchFile } from '../../io/kenfrench.js';
import { TABLE_FORMATS } from '../../io/outputs.js';
import { writeJsonAtomic, writeTable } from '../../io/write.js';
import type { CovarianceMethod } from '../../portfolio/covariance.js';
import { InfeasibleError } from '../../portfolio/diagnose.js';
import type { ReplicationResult, ReplicationTarget } from '../../portfolio/replicate.js';
import { replicate } from '../../portfolio/replicate.js';
import { dateRange, matchReturnsToFactors, parseSampleRange, RANK } from '../calendars.js';
import { formatNumber, plural, table } from '../format.js';
import { assertNoTotalLoss, loadFactors, parseNumber, positiveInteger } from '../load.js';
import { assertDecimalReturns, assertNotPrices, findColumn } from '../plausible.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { printJson } from '../printJson.js';
import { exchangesText, replicateReportDocument, type ReplicateReportSource } from '../../report/portfolioReport.js';
import { periodsNoun } from '../../report/format.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { generatorLine } from '../generator.js';
import { coverageOf, loadModelInputs } from './exposures.js';
import {
  addRiskModelOptions,
  assertBindingCaps,
  assertSomeTradable,
  assertWeightsSum,
  readAssetFile,
  STALE_DATES,
  staleConflict,
  staleNames,
  staleSince,
  noReturnIn,
  type StaleName,
} from './optimize.js';
import { returnsSpan } from '../../core/returns.js';
import type { ReturnsFlags } from './exposures.js';
import { assetNamesHint } from '../../core/assetNames.js';

export interface ReplicateFlags extends ReturnsFlags {
  covariance: CovarianceMethod;
  halfLife?: number;
  minObs?: number;
  staleAfter?: number;
  targetReturns?: string;
  targetCol?: string;
  targetWeights?: string;
  fitEnd: string;
  maxNames?: number;
  minPosition?: number;
  maxWeight?: number;
  exposureTolerance: number;
  limit: number;
  json?: boolean;
  out?: string;
  report?: string;
  svg?: string;
}

const pct = (v: number, digits = 3): string => `${formatNumber(v * 100, digits)}%`;

export function registerReplicate(program: Command, streams: CliStreams): void {
  const cmd = program
    .command('replicate')
    .summary("a basket that mimics a target's factor exposures with few names, with in- and out-of-sample tracking error")
    .description(
      'Fit the universe (--prices/--returns) and the target on the factors over --start..--fit-end, then find ' +
        "long-only weights (Σw = 1) whose exposures match the target's within --exposure-tolerance while " +
        'minimising the model tracking error (a target given as weights, or the equal index, is tracked as a benchmark: ' +
        'a basket of its own names shares its specific returns; for a return series, the specific risk when the match is exact), optionally with at ' +
        'most --max-names names. Reports the exposure match and the ex-post tracking error std(r_p − r_T)·√252 ' +
        'on the fit window (in-sample) and from --fit-end to --end (out-of-sample), weights held constant.',
    );
  addRiskModelOptions(cmd)
    .option('--target-returns <file>', "the target's returns: a date,value table (decimal); --target-col picks a column")
    .option('--target-col <name>', 'column of --target-returns')
    .option(
      '--target-weights <file>',
      'the target as weights over the universe: CSV asset,weight, or "equal" (the equal-weight index: each period the mean return of the universe assets with one)',
    )
    .requiredOption('--fit-end <date>', 'last date of the fit window (ISO); out-of-sample starts after it')
    .addOption(new Option('--max-names <k>', 'at most k names').argParser(positiveInteger('--max-names')))
    .addOption(
      new Option('--min-position <x>', 'every holding at least this weight').argParser(
        parseNumber('--min-position', (n) => n > 0, 'a number > 0'),
      ),
    )
    .addOption(new Option('--max-weight <x>', 'cap on every weight').argParser(parseNumber('--max-weight', (n) => n > 0, 'a number > 0')))
    .addOption(
      new Option('--exposure-tolerance <x>', 'allowed |basket − target| exposure per factor')
        .default(0)
        .argParser(parseNumber('--exposure-tolerance', (n) => n >= 0, 'a number >= 0')),
    )
    .addOption(new Option('--limit <n>', 'holdings shown').default(15).argParser(positiveInteger('--limit')))
    .option('--json', 'print the result as JSON')
    .option('--out <file>', 'write the result: .json (everything) or .csv / .parquet (asset,weight)')
    .option(
      '--report <file.html>',
      "write the basket's report: one self-contained HTML page (exposure match, tracking error in and out of sample, holdings, solver); `factorlab report basket.json` draws it later from --out basket.json",
    )
    .option('--svg <dir>', 'write each chart of the report as a standalone SVG file into this directory (created if missing)')
    .addHelpText(
      'after',
      `
Examples:
  factorlab replicate --prices us_sp500_adj_ohlcv_2005_2017.csv.gz --clean \\
    --factors F-F_Research_Data_5_Factors_2x3_daily.CSV --factors F-F_Momentum_Factor_daily.CSV \\
    --start 2014-01-01 --fit-end 2015-12-31 --end 2016-12-30 --target-weights equal --max-names 50
  factorlab replicate --returns universe.csv --factors factors.csv --target-returns fund.csv \\
    --start 2018-01-01 --fit-end 2020-12-31 --exposure-tolerance 0.02 --out basket.csv
  factorlab replicate --prices demo/prices.csv --factors demo/factors.csv --clean --fit-end 2019-12-31 \\
    --target-weights equal --max-names 30 --report basket.html`,
    )
    .action(async (flags: ReplicateFlags) => {
      checkReportOutputs(flags.report, flags.svg, [{ path: flags.out, flag: '--out', formats: TABLE_FORMATS }]);
      const { result, notes } = await runReplicate(flags, streams);
      if (flags.json) printJson(streams, { ...result.toJSON(), notes });
      else streams.stdout(`${render(result, notes, flags).join('\n')}\n`);
    });
}

/** Loads the inputs, fits the basket, and writes --out, --report and --svg (paths checked by the caller). */
export async function runReplicate(flags: ReplicateFlags, streams: CliStreams): Promise<{ result: ReplicationResult; notes: string[] }> {
  if ((flags.targetReturns === undefined) === (flags.targetWeights === undefined))
    throw new InputError('give exactly one of --target-returns and --target-weights', {
      hint: '--target-returns fund.csv (a return series) or --target-weights index.csv / equal',
    });
  const fitEnd = parseFitEnd(flags);
  // a basket is long-only with weights summing to 1: --max-weight 5 (for 5%) is no cap
  assertBindingCaps(
    flags,
    { budget: 1, longOnly: true, ...(flags.maxWeight !== undefined ? { maxWeight: flags.maxWeight } : {}) },
    undefined,
  );
  const progress = progressReporter(!flags.json);
  let result: ReplicationResult;
  const notes: string[] = [];
  try {
    const inputs = await loadModelInputs(flags, progress.update);
    notes.push(...inputs.notes);
    for (const w of inputs.warnings) streams.stderr(`factorlab: warning: ${w}\n`);
    notes.push(...fitWindowNotes(flags, fitEnd, inputs.returns.dates, inputs.factors.dates, inputs.regressors.length));
    // the exposures and the risk model are fitted on the dates with every factor up to --fit-end:
    // factors that end before it (or a column that starts late) shorten the fit, said here
    notes.push(...coverageOf(inputs, { ...flags, end: formatIsoDate(fitEnd) }).notes);
    let target: ReplicationTarget;
    if (flags.targetWeights === 'equal') {
      // the equal-weight index: each period the mean return of the assets with one (1/n weights
      // held the names not yet listed or without a price that day as cash)
      target = { name: 'equal-weight universe', equalWeight: true };
      notes.push(
        `target: the equal-weight portfolio of the ${inputs.returns.nAssets} universe assets, rebalanced every period over those with a return that period`,
      );
    } else if (flags.targetWeights !== undefined) {
      const v = await readAssetFile(flags.targetWeights, 'target weights', '--target-weights');
      assertWeightsSum(v, '--target-weights');
      // "fractions summing to about 1": a partial file (the top holdings, Σ = 0.6) would be
      // replicated as a portfolio 40% in cash, silently
      let sum = 0;
      for (const x of v.values.values()) sum += x;
      if (Math.abs(sum - 1) > 0.05 + 1e-12)
        throw new InputError(
          `the --target-weights weights sum to ${formatNumber(sum, 6)} over ${plural(v.values.size, 'name')}; a target portfolio's weights sum to about 1 (0.95 to 1.05), and the basket's to 1`,
          {
            file: v.file,
            hint: `divide each weight by their sum, ${formatNumber(sum, 6)}; to replicate a portfolio that also holds cash, give its returns with --target-returns`,
          },
        );
      if (sum !== 1) notes.push(`target weights: ${flags.targetWeights} sums to ${formatNumber(sum, 6)}, the rest is cash (zero return)`);
      const outside = [...v.values.keys()].filter((a) => inputs.returns.assetIndex(a) < 0);
      if (outside.length > 0)
        throw new InputError(
          `${plural(outside.length, 'asset')} of --target-weights ${outside.length === 1 ? 'is' : 'are'} not in the replicating universe: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', ...' : ''}`,
          {
            file: flags.targetWeights,
            asset: outside[0],
            hint: assetNamesHint(
              outside,
              inputs.returns.assets,
              '--target-weights',
              flags.prices !== undefined ? '--prices' : '--returns',
              `give target weights only on assets of ${flags.prices !== undefined ? '--prices' : '--returns'} (names spelled exactly), or the target as a return series with --target-returns`,
            ),
          },
        );
      target = { name: flags.targetWeights, weights: Object.fromEntries(v.values) };
    } else {
      // the total-loss check after the percent check of assertTargetReturns: -1 in percent returns is -1%
      const { frame } = await loadFactors([flags.targetReturns as string], 1, undefined, undefined, false);
      const col =
        flags.targetCol !== undefined
          ? findColumn(frame.columns, flags.targetCol, '--target-col')
          : frame.columns.length === 1
            ? frame.columns[0]
            : undefined;
      if (col === undefined)
        throw new InputError(
          flags.targetCol !== undefined ? `no column ${flags.targetCol}` : `the target file has ${frame.columns.length} value columns`,
          { file: flags.targetReturns, hint: `pick one with --target-col: ${frame.columns.join(', ')}` },
        );
      const values = frame.series[frame.columnIndex(col)];
      // a Ken French file is in percent and its mkt_rf is in excess of rf, which replicate subtracts
      // from the target again: "divide them by 100" was no help for a file read as it comes
      if (await isKenFrenchFile(flags.targetReturns as string))
        throw new InputError(
          `--target-returns ${flags.targetReturns} is a Ken French factor file: its values are in percent, and ${col} is ${col === 'rf' ? 'the risk-free rate' : 'a factor return (in excess of rf, which replicate subtracts from the target again)'}`,
          {
            file: flags.targetReturns,
            column: col,
            hint: "give the target's total returns in decimal as a date,value table (the market: (Mkt-RF + RF) / 100); a factor belongs in --factors",
          },
        );
      assertTargetReturns(flags.targetReturns as string, col, frame.dates, values);
      assertNoTotalLoss(frame.select([col]), flags.targetReturns as string);
      // on the factors' calendar, as the universe's returns are (core matchReturnsToFactors): a
      // monthly fund labelled by the last trading day beside the factors' month ends is paired by
      // period; a daily fund beside monthly factors is compounded with --resample, as the universe
      // is, and refused without it; a fund coarser than the factors is refused. Before, a target of
      // another frequency was paired on the few dates the two calendars happen to share: a daily
      // fund's month-end days regressed on monthly factors (a market beta of 0.03)
      const targetLabel = `--target-returns ${flags.targetReturns}`;
      const factorsLabel = `--factors ${flags.factors.join(' + ')}`;
      const ft = detectFrequency(frame.dates).frequency,
        ff = detectFrequency(inputs.factors.dates).frequency;
      if (RANK[ft] >= 0 && RANK[ff] >= 0 && RANK[ft] > RANK[ff])
        throw new InputError(
          `${targetLabel} is ${ft}, ${factorsLabel} is ${ff}: the target cannot be regressed on finer factors date by date`,
          {
            file: flags.targetReturns,
            hint: `give the target's ${ff} returns, or ${ft} factors (with --resample ${ft} for the universe if its returns are finer)`,
          },
        );
      const finer = RANK[ft] >= 0 && RANK[ft] < RANK[ff];
      // without --resample the universe's returns are already at the factors' frequency
      if (finer && flags.resample === undefined)
        throw new InputError(
          `${targetLabel} is ${ft}, ${factorsLabel} is ${ff}: ${ft} returns cannot be regressed on ${ff} factors date by date`,
          {
            file: flags.targetReturns,
            hint: `give the target's ${ff} returns (the product of 1 + r over each period, minus 1, on the factors' dates), or ${ft} factors`,
          },
        );
      let dates = frame.dates;
      let targetValues = values;
      if (finer) {
        // a daily fund beside monthly factors with --resample: compounded to the factors' dates
        const matched = matchReturnsToFactors(
          new Panel(frame.dates, [col], Float64Array.from(values)),
          targetLabel,
          { label: factorsLabel, dates: inputs.factors.dates },
          flags.resample,
          // the universe's rule (loadModelInputs): only the periods whose days all lie inside
          // --start/--end; a cut period is warned of once, as the universe's warning already is
          parseSampleRange(flags.start, flags.end),
        );
        const said = new Set(inputs.warnings);
        for (const w of matched.warnings) if (!said.has(w)) streams.stderr(`factorlab: warning: ${w}\n`);
        notes.push(
          ...matched.notes
            .map((n) => (n.startsWith('returns: ') ? `${targetLabel}: ${n.slice('returns: '.length)}` : n))
            .filter((n) => !notes.includes(n)), // the universe's same warning is among them
        );
        dates = matched.returns.dates;
        targetValues = matched.returns.values;
      } else if (ft === ff && (ft === 'weekly' || ft === 'monthly' || ft === 'quarterly' || ft === 'annual')) {
        // a monthly fund labelled by the last trading day beside the factors' month ends (where the
        // universe's returns now are): paired by period, as the universe is (core samePeriodDates)
        const same = samePeriodDates(dates, inputs.factors.dates, ft);
        if (same.moved > 0) {
          dates = same.dates;
          notes.push(
            `${targetLabel}: ${same.moved} of its ${ft} dates take the factors' date of the same period (the first ${formatIsoDate(same.first[0])} -> ${formatIsoDate(same.first[1])}), as the universe's returns do`,
          );
        }
      }
      target = { name: col, returns: { dates, values: targetValues } };
    }
    // names without a return in the fit window's last dates cannot enter the basket at its end
    const fit = { ...(flags.start ? { start: flags.start } : {}), end: formatIsoDate(fitEnd) };
    const untradable = staleUniverse(flags, inputs.returns, fit);
    progress.update({ phase: `replicating with ${plural(inputs.returns.nAssets, 'asset')}`, done: 0 });
    result = await replicateExplained(
      flags,
      untradable,
      {
        factors: inputs.factors,
        factorNames: inputs.regressors,
        ...(inputs.riskFree ? { riskFree: inputs.riskFree } : {}),
        universe: inputs.returns,
        target,
        fit,
        test: { ...(flags.end ? { end: flags.end } : {}) },
        exposureTolerance: flags.exposureTolerance,
        constraints: {
          ...(flags.maxNames !== undefined ? { maxNames: flags.maxNames } : {}),
          ...(flags.minPosition !== undefined ? { minPosition: flags.minPosition } : {}),
          ...(flags.maxWeight !== undefined ? { maxWeight: flags.maxWeight } : {}),
        },
        covariance: { method: flags.covariance, ...(flags.halfLife !== undefined ? { halfLife: flags.halfLife } : {}) },
        ...(flags.minObs !== undefined ? { minObs: flags.minObs } : {}),
        ...(untradable !== null ? { untradable: untradable.stale.map((x) => x.asset) } : {}),
      },
      { highs: loadHighs },
    );
    // the stale names of the risk model (those it left out are said below, with the fit's reason)
    if (untradable !== null) {
      const inModel = new Set(result.data.riskModel.assets);
      const note = untradable.note(untradable.stale.filter((x) => inModel.has(x.asset)));
      if (note !== null) notes.push(note);
    }
    // universe names the fit could not use (listed after --fit-end, too few returns, constant
    // prices) are not candidates for the basket: said, as optimize says it
    const dropped = result.data.dropped;
    if (dropped.length > 0)
      notes.push(
        `${plural(dropped.length, 'universe asset')} left out of the risk model (too few returns in the fit window${flags.minObs !== undefined ? ` for --min-obs ${flags.minObs}` : ''}, constant prices or no residual variance), so not in the basket: ${dropped
          .slice(0, 8)
          .map((d) => d.asset)
          .join(', ')}${dropped.length > 8 ? ', ...' : ''}`,
      );
    // the target's holdings on those names: the basket cannot hold them
    const outside = result.data.targetOutsideModel;
    if (outside.length > 0) {
      const share = outside.reduce((t, x) => t + x.weight, 0);
      notes.push(
        `the target holds ${pct(share)} in ${plural(outside.length, 'name')} the risk model left out, which the basket cannot hold (they count through the target's fitted exposures only): ${outside
          .slice(0, 6)
          .map((x) => `${x.asset} ${pct(x.weight)}`)
          .join(', ')}${outside.length > 6 ? ', ...' : ''}`,
      );
    }
    if (flags.out !== undefined) {
      if (flags.out.toLowerCase().endsWith('.json')) await writeJsonAtomic(flags.out, { ...result.toJSON(), notes });
      else
        await writeTable(
          flags.out,
          result.data.riskModel.assets.map((asset, i) => ({ asset, weight: result.weights[i] })).filter((r) => r.weight !== 0),
        );
    }
    if (flags.report !== undefined || flags.svg !== undefined) {
      progress.update({ phase: 'writing the report', done: 0 });
      const doc = replicateReportDocument({ ...(result.toJSON() as unknown as ReplicateReportSource), notes, generator: generatorLine() });
      if (flags.report !== undefined) await writeReportHtml(flags.report, doc);
      if (flags.svg !== undefined) await writeReportSvgs(flags.svg, doc);
    }
  } finally {
    progress.stop();
  }
  return { result, notes };
}

/**
 * replicate(), an infeasible problem said in the CLI's terms: the constraints HiGHS names are the
 * exposure match and the flags' bounds, so the hint names the flags that loosen them.
 */
async function replicateExplained(
  flags: ReplicateFlags,
  untradable: StaleUniverse | null,
  ...args: Parameters<typeof replicate>
): Promise<ReplicationResult> {
  try {
    return await replicate(...args);
  } catch (e) {
    if (!(e instanceof InfeasibleError)) throw e;
    // a conflict that names a stale name (kept at 0): said why, before the general advice
    const stale = untradable !== null ? staleConflict(e, untradable.stale, null, untradable.windowEnd, flags.staleAfter) : e;
    if (stale !== e) throw stale;
    const tol = flags.exposureTolerance;
    // the conflict HiGHS named (an irreducible set) may not involve the exposure match at all
    // (--max-weight below 1/N): then the message does not blame it
    // (the K-name MILP's failure and a conflict HiGHS could not narrow down say nothing of which)
    const narrowed = !/MILP/.test(e.diagnosis.message) && !e.diagnosis.conflicts.includes('the linear constraints');
    const exposures = !narrowed || e.diagnosis.conflicts.some((c) => c.startsWith('exposure to'));
    if (!exposures)
      throw new InputError(`no long-only basket (weights summing to 1) meets the constraints; ${e.problem}`, {
        hint: flags.maxWeight !== undefined ? `raise --max-weight ${flags.maxWeight}` : 'relax the constraints named',
        cause: e,
      });
    const loosen = [
      `raise --exposure-tolerance (now ${tol}; e.g. ${tol > 0 ? formatNumber(Math.max(2 * tol, 0.05), 3) : '0.05'})`,
      ...(flags.maxNames !== undefined ? [`allow more than --max-names ${flags.maxNames}`] : []),
      ...(flags.maxWeight !== undefined ? [`raise --max-weight ${flags.maxWeight}`] : []),
      ...(flags.minPosition !== undefined ? [`lower --min-position ${flags.minPosition}`] : []),
    ];
    throw new InputError(
      `no long-only basket (weights summing to 1) matches the target's factor exposures ${tol > 0 ? `within --exposure-tolerance ${tol}` : 'exactly (--exposure-tolerance 0)'}; ${e.problem}`,
      {
        hint: `${loosen.join(', or ')}; a target with exposures no long-only basket has (leveraged, short, or outside the universe's range) can only be matched within a tolerance`,
        cause: e,
      },
    );
  }
}

interface StaleUniverse {
  stale: StaleName[];
  windowEnd: number;
  /** The note on those of them the risk model kept (null for none). */
  note: (kept: readonly StaleName[]) => string | null;
}

/**
 * The universe names without a return in the last --stale-after dates of the fit window (the
 * universe's dates in --start..--fit-end, from its first date with a return, as replicate() fits
 * them): they cannot enter the basket (`ReplicateInput.untradable`). Null when no name is stale
 * (or --stale-after 0); exit 2 when every name with a return in the window is.
 */
function staleUniverse(flags: ReplicateFlags, universe: Panel, fit: { start?: string; end: string }): StaleUniverse | null {
  const after = flags.staleAfter ?? STALE_DATES;
  if (after === 0) return null;
  // the window replicate() fits: from the first date with a return (not the first price date)
  const span = returnsSpan(universe);
  const firstReturn = span !== null ? span[0] : universe.dates[0];
  const fitStart = fit.start !== undefined ? Math.max(tryParseIsoDate(fit.start), firstReturn) : firstReturn;
  const fitEnd = tryParseIsoDate(fit.end);
  const a = lowerBound(universe.dates, fitStart),
    b = lowerBound(universe.dates, fitEnd + 1);
  if (!(b > a)) return null; // replicate() says why
  const window = { first: universe.dates[a], last: universe.dates[b - 1] };
  const stale = staleNames(universe.assets, window, universe, after);
  if (stale.length === 0) return null;
  // the names with a return in the window: when every one is stale, nothing can be bought
  const m = universe.nAssets;
  let withReturn = 0;
  for (let j = 0; j < m; j++)
    for (let t = a; t < b; t++)
      if (Number.isFinite(universe.values[t * m + j])) {
        withReturn++;
        break;
      }
  assertSomeTradable(stale, withReturn, window.last, after, 'universe asset', ' with a return in the fit window', '--fit-end');
  const note = (kept: readonly StaleName[]): string | null => {
    if (kept.length === 0) return null;
    const sorted = [...kept].sort((x, y) => x.last - y.last || x.index - y.index);
    return `${plural(kept.length, 'universe asset')} ${kept.length === 1 ? 'has' : 'have'} ${noReturnIn(kept, after)} of the fit window (delisted or suspended?), so cannot enter the basket at its end, ${formatIsoDate(window.last)}: ${sorted
      .slice(0, 8)
      .map((x) => `${x.asset} (${staleSince(x)})`)
      .join(', ')}${kept.length > 8 ? ', ...' : ''}; --stale-after N sets the ${plural(after, 'date')} (0: let them in)`;
  };
  return { stale, windowEnd: window.last, note };
}

/** --fit-end as a day number: a real date, inside --start..--end. */
function parseFitEnd(flags: ReplicateFlags): number {
  const { from, to } = parseSampleRange(flags.start, flags.end); // --start/--end first: their own messages
  const fitEnd = tryParseIsoDate(flags.fitEnd);
  if (Number.isNaN(fitEnd))
    throw new InputError('--fit-end must be a date YYYY-MM-DD', {
      value: flags.fitEnd,
      hint: 'give the last date of the fit window as year-month-day, e.g. --fit-end 2019-12-31',
    });
  if (fitEnd < from)
    throw new InputError(`--fit-end ${flags.fitEnd} is before --start ${flags.start}: the fit window --start..--fit-end is empty`, {
      hint: 'put --fit-end after --start',
    });
  if (fitEnd > to)
    throw new InputError(`--fit-end ${flags.fitEnd} is after --end ${flags.end}: the fit window would run past the sample`, {
      hint: 'put --fit-end before --end; the dates after it are the out-of-sample window',
    });
  return fitEnd;
}

/**
 * Refuses a fit window (--start..--fit-end) with too few dates shared by the returns and the
 * factors to fit a regression, naming --fit-end and the data's range; notes an empty out-of-sample
 * window (--fit-end at or after the last shared date).
 */
function fitWindowNotes(flags: ReplicateFlags, fitEnd: number, returnDates: Calendar, factorDates: Calendar, nFactors: number): string[] {
  const { from, to } = parseSampleRange(flags.start, flags.end);
  const factorSet = new Set(factorDates);
  const shared = returnDates.filter((d) => factorSet.has(d) && d >= from && d <= to);
  const fitRows = shared.filter((d) => d <= fitEnd).length;
  const need = nFactors + 3; // the constant and each factor, plus two residual degrees of freedom
  const range = `the returns and factors share ${dateRange(shared)}${flags.start !== undefined || flags.end !== undefined ? ' inside --start/--end' : ''}`;
  if (fitRows < need)
    throw new InputError(
      `the fit window ${flags.start !== undefined ? `--start ${flags.start}` : 'from the first date'} .. --fit-end ${flags.fitEnd} holds ${fitRows === 0 ? 'no date' : `only ${plural(fitRows, 'date')}`} (${range}); fitting ${plural(nFactors, 'factor')} needs at least ${need}`,
      {
        hint:
          shared.length === 0
            ? 'give returns and factors that cover the same period'
            : `choose --fit-end inside ${dateRange(shared)}, late enough to leave ${need} or more dates before it and some after it for the out-of-sample test`,
      },
    );
  // the out-of-sample test needs returns only (the basket's and the target's), not factors
  const inRange = returnDates.filter((d) => d >= from && d <= to);
  if (inRange.length > 0 && !(inRange[inRange.length - 1] > fitEnd))
    return [
      `out-of-sample: none, --fit-end ${flags.fitEnd} is at or after the last date ${formatIsoDate(inRange[inRange.length - 1])} (move --fit-end earlier to test the basket after it)`,
    ];
  return [];
}

/**
 * Refuses a --target-returns column that holds prices (every value positive, median above 1) or
 * percent returns (a median |value| above a daily 0.2, weekly 0.3, monthly 0.5): regressed as decimal returns
 * they give exposures no long-only basket can match, and the optimiser would only say "infeasible".
 */
function assertTargetReturns(file: string, col: string, dates: Calendar, values: Float64Array): void {
  const panel = new Panel(dates, [col], values);
  try {
    assertNotPrices(panel, file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const detail = /\(([^()]*)\)\s*$/.exec(e.problem)?.[1];
    throw new InputError(`--target-returns: column ${col} looks like prices, not returns${detail !== undefined ? ` (${detail})` : ''}`, {
      file,
      column: col,
      hint: "give the target's simple returns (p(t) / p(t-1) - 1, in decimal); a target that is one asset of the universe can be --target-weights FILE with that asset at weight 1",
    });
  }
  try {
    assertDecimalReturns(panel, file, '--target-returns');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const detail = /\(([^()]*)\)\s*$/.exec(e.problem)?.[1];
    throw new InputError(`--target-returns: column ${col} looks like percent returns${detail !== undefined ? ` (${detail})` : ''}`, {
      file,
      column: col,
      hint: 'give the returns in decimal: divide them by 100 (0.01 for 1%)',
    });
  }
}

function render(r: ReplicationResult, notes: string[], flags: ReplicateFlags): string[] {
  const d = r.data;
  const held = d.riskModel.assets
    .map((asset, i) => ({ asset, weight: r.weights[i] }))
    .filter((h) => h.weight !== 0)
    .sort((a, b) => b.weight - a.weight);
  const win = (w: typeof d.inSample | null): string[] =>
    w === null
      ? ['-', '-', '-', '-']
      : [
          `${w.start} .. ${w.end}`,
          // the target (or the basket) without a return on some of the window's dates: say how many it has
          w.observations < w.windowDates ? `${w.observations} of ${w.windowDates}` : String(w.observations),
          pct(w.trackingError),
          formatNumber(w.correlation, 4),
        ];
  const lines = [
    `factorlab replicate: ${plural(held.length, 'name')} replicate${held.length === 1 ? 's' : ''} ${d.target} from ${plural(d.riskModel.assets.length, 'asset')}; exposures matched to ${formatNumber(d.exposureMismatch, 2)}`,
    ...notes.map((n) => `  ${n}`),
    '',
    table(
      ['factor', 'target', 'basket', 'difference'],
      d.riskModel.factors.map((f, j) => [
        f,
        formatNumber(d.targetExposures[j], 4),
        formatNumber(d.basketExposures[j], 4),
        formatNumber(d.basketExposures[j] - d.targetExposures[j], 2),
      ]),
      { indent: 2, align: ['left', 'right', 'right', 'right'] },
    ),
    '',
    table(
      ['tracking error', 'window', periodsNoun(d.riskModel.periodsPerYear), 'TE (annual)', 'correlation'],
      [
        ['in-sample', ...win(d.inSample)],
        ['out-of-sample', ...win(d.outOfSample)],
      ],
      { indent: 2, align: ['left', 'left', 'right', 'right', 'right'] },
    ),
    `  model (ex-ante) tracking error ${pct(d.modelTrackingError)}`,
    '',
    table(
      ['asset', 'weight'],
      held.slice(0, flags.limit).map((h) => [h.asset, pct(h.weight)]),
      { indent: 2, align: ['left', 'right'] },
    ),
  ];
  if (held.length > flags.limit) lines.push(`  ... ${held.length - flags.limit} more (--limit, or --out)`);
  const c = d.optimization.data.cardinality;
  if (c)
    lines.push(
      '',
      `  names: ${c.names} held${c.maxNames !== null ? ` (at most ${c.maxNames})` : ''}; ${c.method === 'elimination' ? `support of ${c.support} by backward elimination (${c.milpStatus === 'optimal' ? "a lower objective than the HiGHS MILP's support" : `the HiGHS MILP stopped before optimality (status ${c.milpStatus}, e.g. its time limit) and gave none better`})` : `HiGHS MILP support of ${c.support}`}${exchangesText(c.swaps)}, then the QP on it; objective gap to the continuous basket ${formatNumber(c.gap, 3)}`,
    );
  const s = d.optimization.data.solver;
  lines.push(
    `  solver: ${s.status}, ${s.iterations} ADMM iterations, polish ${s.polish.status}, KKT stationarity ${formatNumber(s.kkt.stationarity, 2)}`,
  );
  const wrote = [flags.out, flags.report].filter((x): x is string => x !== undefined);
  if (wrote.length > 0) lines.push('', `  wrote ${wrote.join(', ')}`);
  if (flags.svg !== undefined) lines.push(`  wrote the report's charts into ${flags.svg}`);
  return lines;
}

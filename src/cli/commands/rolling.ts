/**
 * `factorlab rolling`: a weighted portfolio's factor exposures through time — each holding's betas
 * over a trailing window, weighted by the portfolio's weights on each date — and, with
 * `--portfolio-regression`, the rolling regression of the portfolio's own return series.
 */
import { type Command, Option } from 'commander';
import { InputError } from '../../core/errors.js';
import { Frame } from '../../core/frame.js';
import type { Panel } from '../../core/panel.js';
import { FactorExposures } from '../../exposures/factorExposures.js';
import { equalWeightPanel } from '../../exposures/analyses.js';
import { writeTable } from '../../io/write.js';
import { TABLE_FORMATS } from '../../io/outputs.js';
import { rollingPortfolioExposuresParallel } from '../../parallel/rolling.js';
import { formatNumber, formatPercent, plural, table } from '../format.js';
import { loadPortfolioWeights, nonNegativeInteger, positiveInteger } from '../load.js';
import { assertWeightsAreFractions } from '../plausible.js';
import { dateRange } from '../calendars.js';
import { defaultWeightsMaxAge } from '../../exposures/rolling.js';
import { type Calendar, detectFrequency } from '../../core/calendar.js';
import { degenerateFactors, describeDegenerateFactor } from '../../exposures/factorChecks.js';
import { progressReporter } from '../progress.js';
import type { CliStreams } from '../streams.js';
import { addReturnsOptions, coverageOf, loadModelInputs, readWithSharedColumns, type ReturnsFlags } from './exposures.js';
import { exposureFitToJson } from '../../exposures/json.js';
import { exposureReportData } from '../../exposures/report.js';
import { fitWindowOf, varianceModelOf } from '../../exposures/analyses.js';
import { formatIsoDate } from '../../core/dates.js';
import { exposureReportDocument } from '../../report/exposureReport.js';
import { checkReportOutputs, writeReportHtml, writeReportSvgs } from '../reportOutput.js';
import { generatorLine } from '../generator.js';
import { assetNamesHint } from '../../core/assetNames.js';

export interface RollingFlags extends ReturnsFlags {
  weights: string;
  window: number;
  minObs?: number;
  fill: 'none' | 'ffill';
  weightsMaxAge?: number;
  renormalize?: boolean;
  portfolioRegression?: boolean;
  rows: number;
  out?: string;
  report?: string;
  svg?: string;
}

export function registerRolling(program: Command, streams: CliStreams): void {
  const cmd = program
    .command('rolling')
    .summary("a portfolio's factor exposures through time (rolling windows)")
    .description(
      "For each date t, regress each holding's returns on the factors over the trailing --window rows " +
        "ending at t and weight the betas by the portfolio's weights on t: exposure_f(t) = Σ w_i(t)·β_if(t). " +
        'Holdings without betas on a date (too few observations) are left out and the covered share of ' +
        'the gross weight is reported (--renormalize scales the covered weights up to the total). With ' +
        "--portfolio-regression, also regress the portfolio's own return r_p(t) = Σ w_i(t-1)·r_i(t).",
    );
  addReturnsOptions(cmd)
    .requiredOption(
      '--weights <file>',
      'portfolio weights (long date,asset,weight or wide), or "equal" for equal weights of every asset with returns; ' +
        'an empty cell is no position, a date with every cell empty is dropped (a date the file lacks: see --fill); write 0 for a book with no holdings',
    )
    .addOption(new Option('--window <n>', 'rows in each regression window').argParser(positiveInteger('--window')).makeOptionMandatory())
    .addOption(
      new Option('--min-obs <n>', 'fewest observations in a window (default: coefficients + 1)').argParser(positiveInteger('--min-obs')),
    )
    .addOption(
      new Option(
        '--fill <how>',
        'weights on dates the weights file lacks: ffill (hold the last weights, at most --weights-max-age rows; the library default too) or none (missing)',
      )
        .choices(['none', 'ffill'])
        .default('ffill'),
    )
    .addOption(
      new Option(
        '--weights-max-age <rows>',
        "with --fill ffill, weights older than this many return rows are stale (no exposure that date); default 1.5 of the weights' own periods (32 rows for monthly weights on daily returns), a year of rows for a single weights date",
      ).argParser(nonNegativeInteger('--weights-max-age')),
    )
    .option(
      '--renormalize',
      "scale the covered weights up to the gross weight (with --portfolio-regression also the portfolio's return: the held weights with a return on a date scaled up to all held)",
    )
    .option('--portfolio-regression', "also the rolling regression of the portfolio's own return series")
    .addOption(new Option('--rows <n>', 'dates shown (the last ones)').default(10).argParser(positiveInteger('--rows')))
    .option(
      '--out <file>',
      'write the exposures through time (date, factors, covered_weight, assets_used): .csv, .csv.gz, .parquet or .json',
    )
    .option(
      '--report <file.html>',
      "write the exposure report: one self-contained HTML page (exposures on the last date beside the equal-weighted combination, through time, variance decomposition, holdings' weighted exposures, every asset's regression)",
    )
    .option('--svg <dir>', 'write each chart of the report as a standalone SVG file into this directory (created if missing)')
    .addHelpText(
      'after',
      `
Examples:
  factorlab rolling --prices prices.csv.gz --factors F-F_Research_Data_Factors_daily.CSV --weights equal --window 252
  factorlab rolling --returns returns.csv --factors factors.csv --factor-scale 0.01 --weights monthly_weights.csv --window 126 --portfolio-regression --out exposures.csv
  factorlab rolling --prices prices.csv --factors factors.csv --weights equal --window 252 --portfolio-regression --report exposures.html --svg charts/`,
    )
    .action(async (flags: RollingFlags) => {
      checkReportOutputs(flags.report, flags.svg, [{ path: flags.out, flag: '--out', formats: TABLE_FORMATS }]); // before any work
      const progress = progressReporter(true);
      let lines: string[];
      try {
        const inputs = await loadModelInputs(flags, progress.update);
        for (const w of inputs.warnings) streams.stderr(`factorlab: warning: ${w}\n`);
        // windows only on dates with every factor value: past the factors' end a window held fewer
        // and fewer factor rows, down to --min-obs, under a later date
        const coverage = coverageOf(inputs, flags);
        inputs.notes.push(...coverage.notes);
        const sessionNotes: string[] = [];
        const weights =
          flags.weights === 'equal'
            ? equalWeightPanel(inputs.returns.map((v) => (v === v ? 1 : NaN)))
            : await readWithSharedColumns(
                flags.weights,
                { dateCol: flags.dateCol, assetCol: flags.assetCol },
                (columns) => loadPortfolioWeights(flags.weights, columns, inputs.returns, progress.update, sessionNotes),
                sessionNotes,
              );
        if (weights.nDates === 0 || weights.nAssets === 0) throw new InputError('the weights are empty', { file: flags.weights });
        if (flags.weights !== 'equal') assertWeightsAreFractions(weights, flags.weights);
        const p = inputs.regressors.length + 1; // coefficients: the constant and each factor
        const need = flags.minObs ?? p + 1;
        if (flags.window < need) {
          throw new InputError(
            `--window ${flags.window} is smaller than the ${need} observations each regression needs (${p} coefficients${flags.minObs === undefined ? ' + 1' : ', --min-obs'})`,
            { hint: `use --window ${Math.max(need, 3 * p)} or more` },
          );
        }
        if (flags.window > inputs.commonDates) {
          throw new InputError(
            `--window ${flags.window} is longer than the ${inputs.commonDates} dates the returns and factors share${flags.start !== undefined || flags.end !== undefined ? ' inside --start/--end' : ''}: no window is ever full`,
            {
              hint:
                inputs.commonDates < need
                  ? `give longer series${flags.start !== undefined || flags.end !== undefined ? ' or widen --start/--end' : ''}: a window needs at least ${need} dates`
                  : Math.floor(inputs.commonDates / 2) >= need
                    ? `use --window ${Math.floor(inputs.commonDates / 2)} or less, or give longer series`
                    : `use a --window from ${need} to ${inputs.commonDates}, or give longer series`,
            },
          );
        }
        if (flags.minObs !== undefined && flags.minObs <= p) {
          throw new InputError(`--min-obs ${flags.minObs} leaves nothing to estimate the error from with ${p} coefficients`, {
            hint: `use --min-obs ${p + 1} or more`,
          });
        }
        const weightNotes = [...sessionNotes, ...weightsNotes(flags, weights, inputs.returns)];
        const fe = new FactorExposures().addRegressionFactors(
          inputs.factors.select(inputs.riskFree !== undefined ? [...inputs.regressors, inputs.riskFree] : inputs.regressors),
          { step: false },
        );
        fe.addStep(inputs.regressors);
        progress.update({ phase: `rolling ${flags.window}-row windows over ${plural(inputs.returns.nAssets, 'asset')}`, done: 0 });
        const results = fe.fit(inputs.returns, {
          riskFree: inputs.riskFree,
          start: coverage.start ?? flags.start,
          end: coverage.end ?? flags.end,
          residuals: false,
        });
        const options = {
          window: flags.window,
          minObs: flags.minObs,
          weightsFill: flags.fill,
          weightsMaxAge: flags.weightsMaxAge,
          renormalize: flags.renormalize,
        };
        // the library decides whether threads pay (one thread or too few asset blocks run in process); same bits either way
        const r = await rollingPortfolioExposuresParallel(results.model.returns, results.model.factors, weights, {
          ...options,
          threads: flags.threads,
        });
        const own = flags.portfolioRegression
          ? results.portfolioRollingRegression(weights, {
              window: flags.window,
              minObs: flags.minObs,
              weightsFill: flags.fill,
              weightsMaxAge: flags.weightsMaxAge,
              renormalize: flags.renormalize, // the same book as the exposures: held weights without a return scaled up too
            })
          : undefined;
        const out = new Frame(
          r.exposures.dates,
          [...r.exposures.columns, 'covered_weight', 'assets_used', ...(own ? own.columns.map((c) => `portfolio_${c}`) : [])],
          [...r.exposures.series, r.coveredWeight, Float64Array.from(r.assetsUsed), ...(own ? own.series : [])],
        );
        assertSomethingComputed(
          r.exposures.series,
          r.grossWeight,
          r.coveredWeight,
          flags,
          weights,
          inputs.returns,
          results.model.factors.select(inputs.regressors),
          r.exposures.dates,
        );
        if (flags.out !== undefined) await writeTable(flags.out, out);
        const written: string[] = [];
        if (flags.report !== undefined || flags.svg !== undefined) {
          progress.update({ phase: 'building the report', done: 0 });
          const fit = results;
          const model = results.model;
          const ewRolling = flags.weights === 'equal' ? undefined : results.rollingExposures(equalWeightPanel(weights), options).exposures;
          // the report's holdings are those of the last date the rolling series has weights on: past it
          // the weights are stale (--weights-max-age) and the series has no exposure, so the report
          // must not show them as today's book
          let held = r.grossWeight.length - 1;
          while (held > 0 && !(r.grossWeight[held] > 0)) held--;
          const lastFit = fit.dates[fit.dates.length - 1];
          const reportDay = Math.min(lastFit, r.exposures.dates[held]);
          const reportNotes =
            reportDay < lastFit
              ? [
                  `report date ${formatIsoDate(reportDay)}: the last date with weights held; after it the weights are stale (older than --weights-max-age) up to the fit's last date ${formatIsoDate(lastFit)}`,
                ]
              : [];
          const report = exposureReportData(
            {
              ...varianceModelOf(model),
              date: formatIsoDate(reportDay),
              weights,
              rollingExposures: r.exposures,
              equalWeightRollingExposures: ewRolling,
            },
            { window: fitWindowOf(model) },
          );
          const doc = exposureReportDocument({
            fit: { ...exposureFitToJson(fit), notes: [...inputs.notes, ...weightNotes, coverageNote(r.grossWeight), ...reportNotes] },
            report,
            rolling: { ...out.toJSON(), window: flags.window },
            portfolio:
              flags.weights === 'equal'
                ? `equal-weighted portfolio of ${plural(weights.nAssets, 'asset')}`
                : `the portfolio in ${flags.weights}`,
            portfolioIsEqualWeight: flags.weights === 'equal',
            inputs: [
              { label: flags.prices !== undefined ? 'prices' : 'returns', value: flags.prices ?? flags.returns ?? '' },
              { label: 'factors', value: flags.factors.join(' + ') },
              { label: 'weights', value: flags.weights },
              {
                label: 'window',
                value: `${flags.window} rows${flags.minObs !== undefined ? `, at least ${flags.minObs} observations` : ''}`,
              },
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
        }
        progress.stop();
        lines = [
          ...renderRolling(
            out,
            r.exposures.columns,
            flags,
            [...inputs.notes, ...weightNotes, coverageNote(r.grossWeight)],
            weights,
            r.grossWeight,
          ),
          ...written.map((w) => `  ${w}`),
        ];
      } finally {
        progress.stop();
      }
      streams.stdout(`${lines.join('\n')}\n`);
    });
}

/** A table cell: the number, or n/a where there is none (as analyze's and the zoo's tables print it). */
const cellNumber = (x: number): string => (Number.isFinite(x) ? formatNumber(x, 3) : 'n/a');

/**
 * The text output. Dates shown without an exposure print n/a, and a note under the table says why:
 * no weights held there (stale past --weights-max-age, or all zero; `gross` is the gross weight
 * per date, NaN without weights), or weights but no holding with a full enough window.
 */
function renderRolling(
  out: Frame,
  factors: readonly string[],
  flags: RollingFlags,
  notes: string[],
  weights: Panel,
  gross: Float64Array,
): string[] {
  const iso = out.isoDates();
  let first = -1;
  for (let t = 0; t < out.nDates; t++)
    if (Number.isFinite(out.get(factors[0])[t])) {
      first = t;
      break;
    }
  const rowsFrom = Math.max(first < 0 ? 0 : first, out.nDates - flags.rows);
  const own = out.has('portfolio_const') || out.has(`portfolio_${factors[0]}`);
  const header = ['date', ...factors, 'covered', 'assets', ...(own ? factors.map((f) => `own ${f}`) : [])];
  const body: (string | number)[][] = [];
  for (let t = rowsFrom; t < out.nDates; t++) {
    body.push([
      iso[t],
      ...factors.map((f) => cellNumber(out.get(f)[t])),
      formatPercent(out.get('covered_weight')[t], 0),
      out.get('assets_used')[t],
      ...(own ? factors.map((f) => cellNumber(out.get(`portfolio_${f}`)[t])) : []),
    ]);
  }
  const why: string[] = [];
  const exposure = out.get(factors[0]);
  let stale = 0,
    unfit = 0,
    firstStale = -1,
    firstUnfit = -1;
  for (let t = rowsFrom; t < out.nDates; t++) {
    if (Number.isFinite(exposure[t])) continue;
    if (gross[t] > 0) {
      unfit++;
      if (firstUnfit < 0) firstUnfit = t;
    } else {
      stale++;
      if (firstStale < 0) firstStale = t;
    }
  }
  if (stale + unfit > 0) {
    let lastExposure = -1;
    for (let t = out.nDates - 1; t >= 0; t--)
      if (Number.isFinite(exposure[t])) {
        lastExposure = t;
        break;
      }
    const last = lastExposure >= 0 ? `; the last date with an exposure is ${iso[lastExposure]} (--out writes every date)` : '';
    if (stale > 0)
      why.push(
        `  n/a: ${plural(stale, 'date')} shown (from ${iso[firstStale]}) hold no weights: ${
          flags.fill === 'none'
            ? 'the weights file has no row on them (--fill none uses weights only on their own dates)'
            : `the last weights (${formatIsoDate(weights.dates[weights.nDates - 1])}) are older than --weights-max-age there, or the weights are all zero`
        }, so the portfolio has no exposure${last}; give weights for those dates${flags.fill === 'none' ? ' or use --fill ffill' : ' or raise --weights-max-age'}`,
      );
    if (unfit > 0)
      why.push(
        `  n/a: ${plural(unfit, 'date')} shown (from ${iso[firstUnfit]}) hold weights but no holding has ${flags.minObs !== undefined ? `--min-obs ${flags.minObs}` : 'enough'} returns in its ${flags.window}-row window${last}`,
      );
  }
  return [
    `factorlab rolling: ${flags.window}-row exposures of ${flags.weights === 'equal' ? 'an equal-weighted portfolio' : `the portfolio in ${flags.weights}`} (${plural(weights.nAssets, 'asset')}) to ${factors.join(', ')}`,
    ...notes.map((n) => `  ${n}`),
    `  first full window ends ${first >= 0 ? iso[first] : 'never (fewer rows than --window)'}; last ${Math.min(flags.rows, out.nDates - rowsFrom)} dates:`,
    '',
    table(header, body, { indent: 2, align: ['left', ...header.slice(1).map(() => 'right' as const)] }),
    ...why,
    '',
    flags.out !== undefined ? `  wrote ${flags.out} (every date)` : '  --out FILE writes every date',
  ];
}

/** What the output says about the weights: their frequency and how long they are carried (exposures-zoo says it too). */
export function weightsNotes(flags: Pick<RollingFlags, 'weights' | 'fill' | 'weightsMaxAge'>, weights: Panel, returns: Panel): string[] {
  if (flags.weights === 'equal') return [];
  const f = detectFrequency(weights.dates).frequency;
  const missing = assetsWithoutReturns(weights, returns);
  if (flags.fill === 'none')
    return [
      `weights: ${f}, ${plural(weights.nDates, 'date')} (${dateRange(weights.dates)}), used only on their own dates (--fill none)`,
      ...missing,
    ];
  const age = flags.weightsMaxAge ?? defaultWeightsMaxAge(returns.dates, weights.dates);
  return [
    `weights: ${f}, ${plural(weights.nDates, 'date')} (${dateRange(weights.dates)}), each held at most ${plural(age, 'return row')} (--weights-max-age${flags.weightsMaxAge === undefined ? ', default' : ''})`,
    ...missing,
  ];
}

/**
 * A note naming the held assets (a non-zero weight on some date) that the returns lack: they
 * give no exposure and lower the covered share, which a misspelt ticker should not do unnoticed.
 */
export function assetsWithoutReturns(weights: Panel, returns: Panel): string[] {
  const m = weights.nAssets;
  const absent: { asset: string; weight: number }[] = [];
  for (let j = 0; j < m; j++) {
    if (returns.assetIndex(weights.assets[j]) >= 0) continue;
    let largest = 0;
    for (let t = 0; t < weights.nDates; t++) {
      const w = Math.abs(weights.values[t * m + j]);
      if (w > largest) largest = w;
    }
    if (largest > 0) absent.push({ asset: weights.assets[j], weight: largest });
  }
  if (absent.length === 0) return [];
  absent.sort((a, b) => b.weight - a.weight);
  const shown = absent
    .slice(0, 5)
    .map((a) => `${a.asset} (up to ${formatPercent(a.weight, 1)})`)
    .join(', ');
  return [
    `weights: ${plural(absent.length, 'held asset')} ${absent.length === 1 ? 'has' : 'have'} no returns and give${absent.length === 1 ? 's' : ''} no exposure (not covered): ${shown}${absent.length > 5 ? ', ...' : ''}; check the names against the returns' assets`,
  ];
}

/** The share of return dates that have weights (not older than the age limit). */
export function coverageNote(gross: Float64Array): string {
  let k = 0;
  for (const g of gross) if (g > 0) k++;
  return `weights present (not stale, not all zero) on ${formatPercent(gross.length > 0 ? k / gross.length : 0, 0)} of ${plural(gross.length, 'return date')}`;
}

/**
 * Exit 2 with the real cause when no date has an exposure: the weights are all zero or missing,
 * stale everywhere, or hold no asset of the returns; a factor column is constant or a linear
 * combination of the others on the dates fitted (`factors`: the model's, on the returns calendar);
 * or no window had enough observations.
 */
function assertSomethingComputed(
  series: readonly Float64Array[],
  gross: Float64Array,
  covered: Float64Array,
  flags: RollingFlags,
  weights: Panel,
  returns: Panel,
  factors: Frame,
  dates: Calendar,
): void {
  if (series.some((s) => s.some((v) => Number.isFinite(v)))) return;
  const file = flags.weights === 'equal' ? undefined : flags.weights;
  const anyWeights = gross.some((g) => g === g);
  if (!anyWeights) {
    // the dates fitted (inside --start/--end), not the whole returns file: weights dated inside the
    // file but outside the window were named as "inside the returns' range", which they were
    const window = flags.start !== undefined || flags.end !== undefined;
    const after = window && weights.nDates > 0 && dates.length > 0 && weights.dates[0] > dates[dates.length - 1];
    const before = window && weights.nDates > 0 && dates.length > 0 && weights.dates[weights.nDates - 1] < dates[0];
    const outside = after
      ? `the weights start after --end: end it on or after ${formatIsoDate(weights.dates[0])} (the returns cover ${dateRange(returns.dates)})`
      : before
        ? `the weights end before --start: start it by ${formatIsoDate(weights.dates[weights.nDates - 1])} (the returns cover ${dateRange(returns.dates)}), or raise --weights-max-age`
        : undefined;
    throw new InputError(
      `no return date${window ? ' inside --start/--end' : ''} (${dateRange(dates)}) has weights within ${flags.fill === 'none' ? "the weights' own dates" : 'the age limit'}: the weights cover ${dateRange(weights.dates)}`,
      {
        file,
        hint:
          flags.fill === 'none'
            ? 'use --fill ffill to hold weights between their dates'
            : outside !== undefined
              ? outside
              : "give weights dated inside the returns' range, or raise --weights-max-age",
      },
    );
  }
  if (!gross.some((g) => g > 0))
    throw new InputError('every weight is zero or missing on every return date', {
      file,
      hint: 'check the weights file: it holds no position',
    });
  const common = weights.assets.filter((a) => returns.assetIndex(a) >= 0);
  if (common.length === 0) {
    throw new InputError(
      `no asset of the weights (${weights.assets.slice(0, 3).join(', ')}${weights.nAssets > 3 ? ', ...' : ''}) has returns (${returns.assets.slice(0, 3).join(', ')}${returns.nAssets > 3 ? ', ...' : ''})`,
      {
        file,
        hint: assetNamesHint(
          weights.assets,
          returns.assets,
          'the weights',
          'the returns',
          'the asset names must match exactly: check the asset columns (--asset-col) of both files',
        ),
      },
    );
  }
  // a factor that no regression can separate, on the dates fitted: every window inherits it
  const [bad] = degenerateFactors(factors.columns, factors.series);
  if (bad !== undefined) {
    throw new InputError(
      bad.kind === 'constant'
        ? `factor column ${describeDegenerateFactor(bad)}, so no window can estimate a beta on it`
        : `factor column ${describeDegenerateFactor(bad)} on every date fitted, so no window can separate their betas`,
      {
        column: bad.factor,
        hint: `leave it out: --factor-cols ${factors.columns.filter((c) => c !== bad.factor).join(',')}`,
      },
    );
  }
  const coveredAny = covered.some((v) => v > 0);
  // the dates that have weights: a window must end on one of them
  let held = 0,
    first = -1,
    last = -1;
  for (let t = 0; t < gross.length; t++)
    if (gross[t] > 0) {
      held++;
      if (first < 0) first = t;
      last = t;
    }
  // the weights stop before a full window could end (row --window at the earliest), or are mostly stale
  const few = last < flags.window || 2 * held < gross.length;
  throw new InputError(
    `no date has an exposure: ${coveredAny ? 'the covered holdings have no betas' : `no holding has ${flags.minObs ?? 'enough'} observations with every factor in a --window ${flags.window} window ending on a date with weights`} (weights on ${held} of ${plural(gross.length, 'return date')}, ${formatIsoDate(dates[first])} .. ${formatIsoDate(dates[last])})`,
    {
      file,
      hint: few
        ? `the weights are stale or missing on most dates: hold them longer (--weights-max-age, rows; a single weights date is held one year by default), give weights dated through the sample, or lower --window`
        : 'check that the returns and factors overlap and have few gaps, or lower --window',
    },
  );
}

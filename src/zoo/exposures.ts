/**
 * The exposures zoo (`factorlab exposures-zoo`): the factor exposures of many portfolios against
 * one returns panel and one set of factor returns, in one regression pass.
 *
 * Shared, once for every portfolio: reading the prices (or returns) and the factors, matching them
 * to one calendar, the risk-free column, and the regression itself. Each portfolio's return series
 * `r_p(t) = Σ_i w_i(t − 1)·r_i(t)` (exposures/rolling.ts `portfolioReturns`: weights held from
 * their date, carried forward at most `weightsMaxAge` rows, assets without a return on t left out)
 * becomes one column of a panel of portfolio returns, and that panel is fitted once, as
 * `factorlab exposures` fits its assets: the factor design matrix (the regressors on the common
 * dates) is built once and every portfolio is a column regressed on it, with the same OLS, t-values,
 * Newey-West option and minimum-observation rule. So each portfolio's row is the row `exposures
 * --returns` gives for its return series (tested, and against statsmodels).
 *
 * Per portfolio: reading its weights file and its return series. A portfolio whose file cannot be
 * read (missing, bad) or whose fit is skipped (too few dates with a return) is a row with its
 * reason; the others go on. What the output says about each portfolio's weights is what
 * `factorlab rolling --weights` says (its notes, from cli/commands/rolling.ts and cli/load.ts), named
 * by the portfolio.
 */
import { lowerBound } from '../core/calendar.js';
import { tryParseIsoDate } from '../core/dates.js';
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { FactorExposures } from '../exposures/factorExposures.js';
import { ExposureResults } from '../exposures/results.js';
import { portfolioReturns, type WeightsFill } from '../exposures/rolling.js';
import { holdDuckdb } from '../io/duckdb.js';
import { fitExposuresParallel } from '../parallel/ols.js';
import { loadModelInputs, type LoadedModelInputs, type ReturnsFlags } from '../cli/commands/exposures.js';
import { loadPortfolioWeights } from '../cli/load.js';
import { assetsWithoutReturns, coverageNote, weightsNotes } from '../cli/commands/rolling.js';
import { assetNamesHint } from '../core/assetNames.js';
import { assertWeightsAreFractions } from '../cli/plausible.js';
import type { ProgressCallback } from '../cli/progress.js';
import { failureReason } from './factorRun.js';

export interface ExposuresZooFlags extends ReturnsFlags {
  /** Weights on dates the weights file lacks: carried forward (default) or missing. */
  fill: WeightsFill;
  weightsMaxAge?: number;
  constant: boolean;
  neweyWest?: boolean | number;
  minObs?: number;
}

/** Between a portfolio's notes in its row's `notes` column (a note may hold "; " itself). */
export const NOTES_SEPARATOR = ' | ';

/** One row of the exposures zoo's table: a portfolio's fit, or why it has none. */
export type ExposuresZooRow = Record<string, string | number | null>;

export interface ExposuresZooOutcome {
  /** One row per portfolio, in the order given; every row has every column. */
  rows: ExposuresZooRow[];
  failures: { portfolio: string; reason: string; fault: boolean }[];
  /** The regression's coefficient names (`const` first when fitted with one). */
  coefficients: string[];
  /** The notes on the shared inputs (returns, factors, the sample). */
  notes: string[];
  /**
   * Each portfolio's notes on its weights (stale weights, held assets without returns, ...), in
   * the order of the portfolios; also in each row's `notes` column. Printed capped (cli/format.ts capNotes).
   */
  portfolioNotes: { portfolio: string; note: string }[];
  /** First and last date of the fit. */
  dates: [number, number] | null;
}

/** mean of the finite values, or NaN. */
function finiteMean(v: ArrayLike<number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < v.length; i++)
    if (Number.isFinite(v[i])) {
      s += v[i];
      n++;
    }
  return n > 0 ? s / n : NaN;
}

const cell = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * rolling's notes on a portfolio's weights (cli/commands/rolling.ts): the held assets without
 * returns always; how long the weights are held and on what share of the return dates only when
 * some return date after the first with weights has none (stale past --weights-max-age, or
 * --fill none), since a zoo of well-covered portfolios need not repeat it for each.
 * `covered[t]` is finite where weights of t − 1 are held into return date t.
 */
function heldNotes(flags: ExposuresZooFlags, file: string, weights: Panel, returns: Panel, covered: Float64Array): string[] {
  const present = Float64Array.from(covered, (c) => (Number.isFinite(c) ? 1 : 0));
  const first = present.indexOf(1);
  const gaps = first >= 0 && present.subarray(first).includes(0);
  return gaps
    ? [...weightsNotes({ weights: file, fill: flags.fill, weightsMaxAge: flags.weightsMaxAge }, weights, returns), coverageNote(present)]
    : assetsWithoutReturns(weights, returns);
}

/** One portfolio's outcome in a block: its fitted columns, or why it has none. */
export interface PortfolioResult {
  /** The fitted columns (`nobs`, coefficients, se_*, t_*, p_*, r2, ..., t_nw_*), NaN as null; null when not fitted. */
  row: ExposuresZooRow | null;
  /** Mean covered weight, null when its returns were never computed. */
  covered: number | null;
  reason: string | null;
  fault: boolean;
  /**
   * What `factorlab rolling --weights` says about this portfolio's weights: the reader's notes (a
   * dropped all-empty date, session dates), held assets without returns, and, when the weights are
   * stale or missing on some return date after their first, how long they are held and on what
   * share of the return dates. Absent from a worker of an older version.
   */
  notes?: string[];
}

/**
 * The fit of a block of portfolios (all of them on one machine, a job's share on the workers):
 * one result per portfolio, in order, and what the table's header needs. A portfolio's result does
 * not depend on the others in its block (each is its own column of the fit), so blocks assembled
 * by {@link assembleExposuresZoo} give the table of one block of all.
 */
export interface ExposuresBlock {
  results: PortfolioResult[];
  /** The regression's coefficient names (from the fit when `fitted`, else the ones it would have). */
  coefficients: string[];
  /** Whether any portfolio of the block reached the fit (its coefficients and dates are the fit's). */
  fitted: boolean;
  notes: string[];
  dates: [number, number] | null;
}

export interface BlockOptions {
  onProgress?: ProgressCallback;
  /** Checks portfolio i before it is read (a worker compares its content hash); a throw is its failure. */
  check?: (i: number) => Promise<void>;
}

/** Fits `portfolios` (weights files) on loaded inputs: see {@link ExposuresBlock}. */
export async function fitPortfolioBlock(
  inputs: LoadedModelInputs,
  flags: ExposuresZooFlags,
  portfolios: readonly string[],
  options: BlockOptions = {},
): Promise<ExposuresBlock> {
  const onProgress = options.onProgress ?? (() => undefined);
  const returns = inputs.returns;
  const n = returns.nDates;
  const series: { index: number; values: Float64Array; covered: number }[] = [];
  const results: PortfolioResult[] = portfolios.map(() => ({ row: null, covered: null, reason: null, fault: false }));
  // the rows --start/--end fit: the covered weight and the notes on how long the weights are held
  // are of these (over the whole file, weights dated inside the window were "stale" before it)
  const day = (iso: string | undefined): number => (iso === undefined ? NaN : tryParseIsoDate(iso));
  const w0 = Number.isFinite(day(flags.start)) ? lowerBound(returns.dates, day(flags.start)) : 0,
    w1 = Number.isFinite(day(flags.end)) ? lowerBound(returns.dates, day(flags.end) + 1) : n;
  // the weights files in the zone of the returns (--timezone), as exposures reads its returns file
  const table = { dateCol: flags.dateCol, assetCol: flags.assetCol, ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}) };
  await holdDuckdb(async () => {
    for (let i = 0; i < portfolios.length; i++) {
      const notes: string[] = [];
      results[i].notes = notes;
      try {
        await options.check?.(i);
        const weights: Panel = await loadPortfolioWeights(portfolios[i], table, returns, undefined, notes);
        assertWeightsAreFractions(weights, portfolios[i]); // a market-cap file is not a portfolio's weights
        if (!weights.assets.some((a) => returns.assetIndex(a) >= 0)) {
          throw new InputError(
            `no asset of the weights (${weights.assets.slice(0, 3).join(', ')}${weights.nAssets > 3 ? ', ...' : ''}) has returns`,
            {
              file: portfolios[i],
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
        const r = portfolioReturns(returns, weights, { weightsFill: flags.fill, weightsMaxAge: flags.weightsMaxAge });
        const inWindow = r.coveredWeight.subarray(w0, Math.max(w0, w1));
        series.push({ index: i, values: r.values, covered: finiteMean(inWindow) });
        notes.push(...heldNotes(flags, portfolios[i], weights, returns, inWindow));
      } catch (e) {
        const f = failureReason(e);
        results[i].reason = f.reason;
        results[i].fault = f.fault;
      }
      onProgress({ phase: 'portfolio returns', done: i + 1, total: portfolios.length });
    }
  });
  for (const s of series) results[s.index].covered = cell(s.covered);
  // the portfolios' returns as one panel: a column per portfolio, fitted in one pass
  const p = series.length;
  const values = new Float64Array(n * p);
  series.forEach((s, c) => {
    for (let t = 0; t < n; t++) values[t * p + c] = s.values[t];
  });
  const names = series.map((s) => portfolios[s.index]);
  let coefficients = [...(flags.constant ? ['const'] : []), ...inputs.regressors];
  let dates: [number, number] | null = null;
  if (p > 0) {
    const fe = new FactorExposures().addRegressionFactors(inputs.factors, { step: false });
    fe.addStep(inputs.regressors, { includeConstant: flags.constant });
    onProgress({ phase: `fitting ${p} portfolios`, done: 0 });
    const fit = await fitExposuresParallel(fe, new Panel(returns.dates, names, values), {
      riskFree: inputs.riskFree,
      minObs: flags.minObs,
      neweyWest: typeof flags.neweyWest === 'number' ? { lags: flags.neweyWest } : flags.neweyWest === true,
      start: flags.start,
      end: flags.end,
      threads: flags.threads,
    });
    if (!(fit instanceof ExposureResults)) throw new Error('fitExposuresParallel did not return ExposureResults');
    const d = fit.diagnostics[0];
    coefficients = d.coefficients.slice();
    dates = fit.dates.length > 0 ? [fit.dates[0], fit.dates[fit.dates.length - 1]] : null;
    const rows = fit.tableRows();
    const nw = d.nw;
    series.forEach((s, c) => {
      if (d.fitted[c] !== 1) return;
      const fitted = rows[c];
      if (nw !== null)
        coefficients.forEach((name, k) => {
          fitted[`t_nw_${name}`] = nw.t[c * coefficients.length + k];
        });
      const row: ExposuresZooRow = {};
      for (const [k, v] of Object.entries(fitted)) if (k !== 'asset') row[k] = typeof v === 'number' ? cell(v) : v;
      results[s.index].row = row;
    });
    for (const sk of fit.skipped) {
      const c = names.indexOf(sk.asset);
      if (c >= 0 && results[series[c].index].row === null) {
        results[series[c].index].reason = sk.reason;
        results[series[c].index].fault = false;
      }
    }
  }
  return { results, coefficients, fitted: p > 0, notes: inputs.notes, dates };
}

/**
 * The zoo's outcome from each portfolio's result (`results[i]` of `portfolios[i]`, from one block
 * or several) and the header of the first block that reached the fit (else of the first block):
 * every row has every column, in one order; the failures in the order of the portfolios.
 */
export function assembleExposuresZoo(
  portfolios: readonly string[],
  results: readonly PortfolioResult[],
  blocks: readonly Pick<ExposuresBlock, 'coefficients' | 'fitted' | 'notes' | 'dates'>[],
): ExposuresZooOutcome {
  if (results.length !== portfolios.length) throw new Error(`${results.length} results for ${portfolios.length} portfolios`);
  if (blocks.length === 0) throw new Error('no block to take the coefficients from');
  const head = blocks.find((b) => b.fitted) ?? blocks[0];
  const first = results.find((r) => r.row !== null)?.row;
  const template = first !== undefined && first !== null ? Object.keys(first) : ['nobs', ...head.coefficients];
  const rows = portfolios.map((name, i): ExposuresZooRow => {
    const f = results[i].row;
    const row: ExposuresZooRow = { portfolio: name, status: f !== null ? 'ok' : 'failed' };
    for (const k of template) row[k] = f?.[k] ?? null;
    row.covered_weight = results[i].covered;
    row.reason = f !== null ? null : (results[i].reason ?? 'not fitted');
    // every note on the portfolio's weights, in the table and --json (the printout caps them)
    const own = results[i].notes ?? [];
    row.notes = own.length > 0 ? own.join(NOTES_SEPARATOR) : null;
    return row;
  });
  const portfolioNotes: ExposuresZooOutcome['portfolioNotes'] = [];
  results.forEach((r, i) => {
    for (const note of r.notes ?? []) portfolioNotes.push({ portfolio: portfolios[i], note });
  });
  const failures: ExposuresZooOutcome['failures'] = [];
  results.forEach((r, i) => {
    if (r.row === null && r.reason !== null) failures.push({ portfolio: portfolios[i], reason: r.reason, fault: r.fault });
  });
  return { rows, failures, coefficients: head.coefficients, notes: [...head.notes], portfolioNotes, dates: head.dates };
}

/**
 * Runs the exposures zoo on this machine (see the module doc): `portfolios` are weights files (long
 * date,asset,weight or wide), each a portfolio named by its path as given.
 */
export async function runExposuresZoo(
  flags: ExposuresZooFlags,
  portfolios: readonly string[],
  onProgress: ProgressCallback = () => undefined,
): Promise<ExposuresZooOutcome> {
  const inputs = await loadModelInputs(flags, onProgress);
  const block = await fitPortfolioBlock(inputs, flags, portfolios, { onProgress });
  return assembleExposuresZoo(portfolios, block.results, [block]);
}

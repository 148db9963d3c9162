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
 * reason; the others go on.
 */
import { InputError } from '../core/errors.js';
import { Panel } from '../core/panel.js';
import { FactorExposures } from '../exposures/factorExposures.js';
import { ExposureResults } from '../exposures/results.js';
import { portfolioReturns, type WeightsFill } from '../exposures/rolling.js';
import { holdDuckdb } from '../io/duckdb.js';
import { fitExposuresParallel } from '../parallel/ols.js';
import { loadModelInputs, type ReturnsFlags } from '../cli/commands/exposures.js';
import { loadValues } from '../cli/load.js';
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

/** One row of the exposures zoo's table: a portfolio's fit, or why it has none. */
export type ExposuresZooRow = Record<string, string | number | null>;

export interface ExposuresZooOutcome {
  /** One row per portfolio, in the order given; every row has every column. */
  rows: ExposuresZooRow[];
  failures: { portfolio: string; reason: string; fault: boolean }[];
  /** The regression's coefficient names (`const` first when fitted with one). */
  coefficients: string[];
  notes: string[];
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
 * Runs the exposures zoo (see the module doc): `portfolios` are weights files (long
 * date,asset,weight or wide), each a portfolio named by its path as given.
 */
export async function runExposuresZoo(
  flags: ExposuresZooFlags,
  portfolios: readonly string[],
  onProgress: ProgressCallback = () => undefined,
): Promise<ExposuresZooOutcome> {
  const inputs = await loadModelInputs(flags, onProgress);
  const returns = inputs.returns;
  const n = returns.nDates;
  const series: { index: number; values: Float64Array; covered: number }[] = [];
  const failures: ExposuresZooOutcome['failures'] = [];
  const reasons = new Map<number, string>();
  const table = { dateCol: flags.dateCol, assetCol: flags.assetCol };
  await holdDuckdb(async () => {
    for (let i = 0; i < portfolios.length; i++) {
      try {
        const weights: Panel = (await loadValues(portfolios[i], table)).panel;
        if (!weights.assets.some((a) => returns.assetIndex(a) >= 0)) {
          throw new InputError(
            `no asset of the weights (${weights.assets.slice(0, 3).join(', ')}${weights.nAssets > 3 ? ', ...' : ''}) has returns`,
            { file: portfolios[i], hint: "asset names must match the returns' exactly: check --asset-col" },
          );
        }
        const r = portfolioReturns(returns, weights, { weightsFill: flags.fill, weightsMaxAge: flags.weightsMaxAge });
        series.push({ index: i, values: r.values, covered: finiteMean(r.coveredWeight) });
      } catch (e) {
        const f = failureReason(e);
        failures.push({ portfolio: portfolios[i], ...f });
        reasons.set(i, f.reason);
      }
      onProgress({ phase: 'portfolio returns', done: i + 1, total: portfolios.length });
    }
  });
  // the portfolios' returns as one panel: a column per portfolio, fitted in one pass
  const p = series.length;
  const values = new Float64Array(n * p);
  series.forEach((s, c) => {
    for (let t = 0; t < n; t++) values[t * p + c] = s.values[t];
  });
  const names = series.map((s) => portfolios[s.index]);
  const fe = new FactorExposures().addRegressionFactors(inputs.factors, { step: false });
  fe.addStep(inputs.regressors, { includeConstant: flags.constant });
  let coefficients = [...(flags.constant ? ['const'] : []), ...inputs.regressors];
  const fitted = new Map<number, Record<string, number | string>>();
  let dates: [number, number] | null = null;
  if (p > 0) {
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
      const row = rows[c];
      if (nw !== null)
        coefficients.forEach((name, k) => {
          row[`t_nw_${name}`] = nw.t[c * coefficients.length + k];
        });
      fitted.set(s.index, row);
    });
    for (const sk of fit.skipped) {
      const c = names.indexOf(sk.asset);
      if (c >= 0 && !fitted.has(series[c].index)) {
        reasons.set(series[c].index, sk.reason);
        failures.push({ portfolio: sk.asset, reason: sk.reason, fault: false });
      }
    }
  }
  // every row has every column, in one order
  const coverage = new Map(series.map((s) => [s.index, s.covered]));
  const template =
    fitted.size > 0 ? Object.keys(fitted.values().next().value as object).filter((k) => k !== 'asset') : ['nobs', ...coefficients];
  const rows = portfolios.map((name, i): ExposuresZooRow => {
    const f = fitted.get(i);
    const row: ExposuresZooRow = { portfolio: name, status: f !== undefined ? 'ok' : 'failed' };
    for (const k of template) {
      const v = f?.[k];
      row[k] = typeof v === 'number' ? cell(v) : (v ?? null);
    }
    row.covered_weight = cell(coverage.get(i) ?? NaN);
    row.reason = f !== undefined ? null : (reasons.get(i) ?? 'not fitted');
    return row;
  });
  return {
    rows,
    failures: failures.sort((a, b) => portfolios.indexOf(a.portfolio) - portfolios.indexOf(b.portfolio)),
    coefficients,
    notes: inputs.notes,
    dates,
  };
}

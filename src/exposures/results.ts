/**
 * ExposureResults: what `FactorExposures.fit()` returns (statsmodels' convention: the estimator
 * holds its configuration, the results object holds the fit and everything computed from it).
 *
 * It carries every field of the fit ({@link ExposureFit}: per-step coefficients, standard errors,
 * t, p, R², Newey-West, skipped assets, exposures, residuals) and the analyses that need the fit's
 * data: rolling exposures of a portfolio, its own rolling regression, the variance decomposition,
 * the report data (see analyses.ts for the model data they share). Its JSON form is the CLI's:
 * `JSON.stringify(results)` is what `factorlab exposures --json` prints, and the CLI builds that
 * output by calling {@link ExposureResults.toJSON}, so the two cannot drift apart. The rows of the
 * CLI's CSV / Parquet output are {@link ExposureResults.tableRows}.
 *
 * Definitions: docs/definitions.md#factor-exposures.
 */
import type { Calendar } from '../core/calendar.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import {
  fittedModel,
  portfolioRollingRegressionOf,
  reportOf,
  rollingExposuresOf,
  varianceDecompositionOf,
  type FittedModel,
  type PortfolioRegressionOptions,
  type ReportOptions,
  type VarianceOptions,
} from './analyses.js';
import type { ExposureFit, FitOptions, RegressorIssue, SkippedAsset, StepFit } from './fit.js';
import { exposureFitToJson, type ExposureFitJson } from './json.js';
import type { ExposureReportData } from './report.js';
import type { RollingExposureOptions, RollingPortfolioExposures } from './rolling.js';
import type { VarianceDecomposition } from './variance.js';

export type { FittedModel, PortfolioRegressionOptions, ReportOptions, VarianceOptions } from './analyses.js';

/**
 * One row per asset of the first step, as the CLI's `--out fit.csv / fit.parquet` writes it:
 * `asset, nobs`, the coefficients, the cross scores, `se_*`, `t_*`, `p_*`, `r2, adj_r2, residual_vol`,
 * and with Newey-West `se_nw_*`, `t_nw_*`, `p_nw_*` (NaN where not fitted); with `{ skipped: true }`
 * (the CLI) and some asset not fitted, a `skipped` column (after `nobs`) with its reason, empty for the others.
 */
export type ExposureRow = Record<string, string | number>;

/** What an {@link ExposureResults} is built from besides the fit: the data it regressed, its options and notes. */
export interface ExposureResultsData {
  /** Every factor column added to the estimator, unscaled (the risk-free column included). */
  factors: Frame;
  /** The returns as given to `fit`, before start/end. */
  returns: Panel;
  options?: Readonly<FitOptions>;
  notes?: readonly string[];
}

/**
 * The results of `FactorExposures.fit`: every field of the fit (coefficients, se, t, p, R²,
 * Newey-West, exposures, residuals, skipped assets), the analyses built on it, and its JSON form,
 * which is exactly what `factorlab exposures --json` prints.
 */
export class ExposureResults implements ExposureFit {
  readonly assets: string[];
  readonly dates: Calendar;
  readonly factors: string[];
  readonly exposureNames: string[];
  readonly exposures: Record<string, Float64Array>;
  readonly alpha: Float64Array;
  readonly residuals: Panel | null;
  readonly diagnostics: StepFit[];
  readonly skipped: SkippedAsset[];
  readonly issues: RegressorIssue[];
  readonly riskFree: string | null;
  readonly factorScale: number;
  readonly neweyWest: boolean;
  /** The options the fit was run with. */
  readonly options: Readonly<FitOptions>;
  /** What was read, found and done before the fit (the CLI's lines above its table); the JSON's `notes`. */
  readonly notes: readonly string[];
  private readonly factorFrame: Frame;
  private readonly returnsPanel: Panel;
  private modelValue: FittedModel | null = null;

  /**
   * The results of `fit` on `returns` (the returns as given, before start/end) with the factor
   * frame (every factor column added, unscaled), the fit's options and notes. Made by
   * `FactorExposures.fit`; rarely built by hand.
   */
  constructor(fit: ExposureFit, data: ExposureResultsData) {
    this.assets = fit.assets;
    this.dates = fit.dates;
    this.factors = fit.factors;
    this.exposureNames = fit.exposureNames;
    this.exposures = fit.exposures;
    this.alpha = fit.alpha;
    this.residuals = fit.residuals;
    this.diagnostics = fit.diagnostics;
    this.skipped = fit.skipped;
    this.issues = fit.issues;
    this.riskFree = fit.riskFree;
    this.factorScale = fit.factorScale;
    this.neweyWest = fit.neweyWest;
    this.options = { ...(data.options ?? {}) };
    this.notes = [...(data.notes ?? [])];
    this.factorFrame = data.factors;
    // with overwriteReturns the panel holds the residuals and `model` refuses, so nothing reads it:
    // keep none of it, so the caller can release the panel (the residuals, if asked, keep their rows)
    this.returnsPanel = this.options.overwriteReturns === true ? new Panel(new Int32Array(0), [], new Float64Array(0)) : data.returns;
  }

  /** The same results with `notes` (what was read and done) carried into the JSON. */
  withNotes(notes: readonly string[]): ExposureResults {
    return new ExposureResults(this, { factors: this.factorFrame, returns: this.returnsPanel, options: this.options, notes });
  }

  /**
   * The returns and factors the fit regressed: the returns within start..end minus the risk-free
   * column when one was named, and the fitted factors times `factorScale` on the same dates.
   * Computed once, on first use.
   */
  get model(): FittedModel {
    if (this.options.overwriteReturns === true) {
      throw new InputError(
        'the fit ran with overwriteReturns: the returns panel now holds the residuals, so the analyses that read the returns cannot run',
        {
          hint: 'fit without overwriteReturns to use rolling exposures, the variance decomposition or the report',
          options: ['overwriteReturns'],
        },
      );
    }
    this.modelValue ??= fittedModel(this.factorFrame, this.returnsPanel, this, this.options);
    return this.modelValue;
  }

  /** Rolling exposures of a weighted portfolio through time: Σ w_i(t)·β_i(t), β over the trailing `window` rows. */
  rollingExposures(weights: Panel, options: RollingExposureOptions): RollingPortfolioExposures {
    return rollingExposuresOf(this.model, weights, options);
  }

  /** The portfolio's own rolling regression of its return series r_p(t) = Σ w_i(t−1)·r_i(t) on the factors. */
  portfolioRollingRegression(weights: Panel, options: PortfolioRegressionOptions): Frame {
    return portfolioRollingRegressionOf(this.model, weights, options);
  }

  /** Factor vs specific variance of a portfolio on a date, with the equal-weight comparison. */
  varianceDecomposition(weights: Panel | ArrayLike<number>, options: VarianceOptions = {}): VarianceDecomposition {
    return varianceDecompositionOf(this.model, weights, options);
  }

  /** The seed's report as plain data: exposures, their history, the variance decomposition, distributions. */
  report(weights: Panel | ArrayLike<number>, options: ReportOptions = {}): ExposureReportData {
    return reportOf(this.model, weights, options);
  }

  /**
   * The JSON form (exposures/json.ts has the schema) with the `notes`: exactly what
   * `factorlab exposures --json` prints and `--out fit.json` writes. NaN is null.
   */
  toJSON(): ExposureFitJson & { notes: string[] } {
    return { ...exposureFitToJson(this), notes: [...this.notes] };
  }

  /** One row per asset of the first step (see {@link ExposureRow}): the CLI's CSV and Parquet output. */
  tableRows(options: { skipped?: boolean } = {}): ExposureRow[] {
    const d = this.diagnostics[0];
    const p = d.coefficients.length;
    const crossScores = this.exposureNames.filter((e) => !this.factors.includes(e));
    // an asset not fitted keeps its row (nobs, the rest empty) with the reason, as the JSON's `skipped`
    const why = new Map<string, string>();
    if (options.skipped === true) for (const x of this.skipped) if (!why.has(x.asset)) why.set(x.asset, x.reason);
    return this.assets.map((asset, j) => {
      const row: ExposureRow = { asset, nobs: d.nobs[j] };
      if (why.size > 0) row.skipped = why.get(asset) ?? '';
      d.coefficients.forEach((c, i) => {
        row[c] = d.coef[j * p + i];
      });
      for (const name of crossScores) row[name] = this.exposures[name][j];
      d.coefficients.forEach((c, i) => {
        row[`se_${c}`] = d.se[j * p + i];
        row[`t_${c}`] = d.t[j * p + i];
        row[`p_${c}`] = d.p[j * p + i];
      });
      row.r2 = d.r2[j];
      row.adj_r2 = d.adjR2[j];
      row.residual_vol = d.residualVol[j];
      // with Newey-West: its standard errors, t and p beside the plain ones (the t the table prints)
      const nw = d.nw;
      if (nw !== null)
        d.coefficients.forEach((c, i) => {
          row[`se_nw_${c}`] = nw.se[j * p + i];
          row[`t_nw_${c}`] = nw.t[j * p + i];
          row[`p_nw_${c}`] = nw.p[j * p + i];
        });
      return row;
    });
  }
}

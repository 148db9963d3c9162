/**
 * The analyses built on a fit (the seed's report): rolling exposures of a weighted portfolio, the
 * portfolio's own rolling regression, the variance decomposition on a date, and the report data.
 *
 * They all read the fit's model data, defined once here: the returns the fit regressed (the last
 * fit's returns within its start..end, minus the risk-free column when one was named) and the
 * factor returns of the fitted factors (times `factorScale`) on the same dates. So a rolling window,
 * Σ and the betas always describe the same returns as the fit. Weights are matched to assets by
 * name; see rolling.ts and variance.ts for what happens to weights without betas (left out, never
 * rescaled unless asked, and reported as covered weight).
 */
import { reindexFrame } from '../core/align.js';
import { checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { excessReturns, returnsSpan } from '../core/returns.js';
import { formatIsoDate, tryParseIsoDate } from '../core/dates.js';
import type { ExposureFit, FitOptions } from './fit.js';
import { EXPOSURE_REPORT_OPTION_NAMES, exposureReportData, type ExposureReportData, type ExposureReportOptions } from './report.js';
import {
  portfolioReturns,
  rollingPortfolioExposures,
  rollingRegression,
  type RollingExposureOptions,
  type RollingPortfolioExposures,
  type RollingRegressionOptions,
} from './rolling.js';
import {
  VARIANCE_OPTION_NAMES,
  varianceDecomposition,
  varianceDecompositionOnDate,
  type VarianceDecomposition,
  type VarianceDecompositionOptions,
  type VarianceModelInput,
} from './variance.js';

/** What a fit regressed: its returns, its factors (scaled, on the returns' dates) and the fit. */
export interface FittedModel {
  returns: Panel;
  factors: Frame;
  fit: ExposureFit;
}

/**
 * The window F (the factor covariance) is estimated over by default: the fit's first..last date on
 * which some asset has a return. Returns computed from prices have none on the first price date,
 * and that date's factor return entered no regression (core returnsSpan; the risk model of
 * optimize/replicate uses the same window).
 */
export function fitWindowOf(model: FittedModel): { start: number; end: number } {
  const d = model.fit.dates;
  const span = returnsSpan(model.returns);
  if (span === null || d.length === 0) return { start: d[0], end: d[d.length - 1] };
  return { start: Math.max(d[0], span[0]), end: Math.min(d[d.length - 1], span[1]) };
}

/** The model data of a fit (see the module comment). */
export function fittedModel(
  factorFrame: Frame | null,
  returns: Panel | null,
  fit: ExposureFit | null,
  options: Readonly<FitOptions> | null,
): FittedModel {
  if (factorFrame === null || returns === null || fit === null) {
    throw new InputError('there is no fit yet', { hint: 'call fit(returns) before rolling exposures, variance decomposition or report' });
  }
  const from = options?.start === undefined ? undefined : tryParseIsoDate(options.start);
  const to = options?.end === undefined ? undefined : tryParseIsoDate(options.end);
  let r = returns.sliceDates(from, to);
  if (fit.riskFree !== null) {
    const rf = factorFrame.get(fit.riskFree).map((v) => v * fit.factorScale);
    r = excessReturns(r, { dates: factorFrame.dates, values: rf });
  }
  const scaled = factorFrame.select(fit.factors);
  const factors = reindexFrame(fit.factorScale === 1 ? scaled : scaled.scale(fit.factorScale), r.dates);
  return { returns: r, factors, fit };
}

/** Rolling exposures of a weighted portfolio: Σ_i w_i(t) β_i(t), β over the trailing window. */
export function rollingExposuresOf(model: FittedModel, weights: Panel, options: RollingExposureOptions): RollingPortfolioExposures {
  return rollingPortfolioExposures(model.returns, model.factors, weights, options);
}

export interface PortfolioRegressionOptions extends RollingRegressionOptions {
  /** As in rollingPortfolioExposures: default 'ffill', at most `weightsMaxAge` returns rows. */
  weightsFill?: 'none' | 'ffill';
  weightsMaxAge?: number;
  /** Scale r_p(t) by 1 / the held weight with a return on t, as rollingExposures' `renormalize` does for the betas (default false). */
  renormalize?: boolean;
}

/**
 * The portfolio's own rolling regression: its return r_p(t) = Σ w_i(t−1) r_i(t) (portfolioReturns)
 * regressed on the factors over trailing windows. Columns: const, the factors, r2, residual_std, nobs.
 */
export function portfolioRollingRegressionOf(model: FittedModel, weights: Panel, options: PortfolioRegressionOptions): Frame {
  checkOptionNames<PortfolioRegressionOptions>('portfolioRollingRegression options', options, {
    window: true,
    minObs: true,
    includeConstant: true,
    partial: true,
    weightsFill: true,
    weightsMaxAge: true,
    renormalize: true,
  });
  const { weightsFill, weightsMaxAge, renormalize, ...regression } = options;
  const rp = portfolioReturns(model.returns, weights, { weightsFill, weightsMaxAge, renormalize });
  return rollingRegression({ dates: model.returns.dates, values: rp.values }, model.factors, regression);
}

/** The variance model of a fit: its betas (summed over steps) and the last step's residual variance. */
export function varianceModelOf(model: FittedModel): VarianceModelInput {
  const { fit } = model;
  const last = fit.diagnostics[fit.diagnostics.length - 1];
  return {
    factors: model.factors,
    factorNames: fit.factors,
    assets: fit.assets,
    betas: fit.factors.map((f) => fit.exposures[f]),
    specificVariance: Float64Array.from(last.residualVol, (s) => s * s),
  };
}

export interface VarianceOptions extends VarianceDecompositionOptions {
  /** With a weights Panel: the date (ISO); default the fit's last date. */
  date?: string;
}

/** Factor vs specific variance of a portfolio (weights per asset, or a Panel and a date). */
export function varianceDecompositionOf(
  model: FittedModel,
  weights: Panel | ArrayLike<number>,
  options: VarianceOptions = {},
): VarianceDecomposition {
  checkOptionNames<VarianceOptions>('varianceDecomposition options', options, { ...VARIANCE_OPTION_NAMES, date: true });
  const { date: _date, ...decomposition } = options;
  const input = varianceModelOf(model);
  const window = options.window ?? fitWindowOf(model);
  if (weights instanceof Panel) {
    const date = options.date ?? formatIsoDate(model.fit.dates[model.fit.dates.length - 1]);
    return varianceDecompositionOnDate(input, weights, date, { ...decomposition, window });
  }
  if (weights.length !== input.assets.length) {
    throw new InputError(`weights have ${weights.length} values for ${input.assets.length} fitted assets`, {
      hint: 'pass one weight per fitted asset, in fit.assets order, or a weights Panel',
    });
  }
  return varianceDecomposition({ ...input, weights }, { ...decomposition, window });
}

export interface ReportOptions extends ExposureReportOptions {
  /** Report date (ISO); default the fit's last date. */
  date?: string;
  /** Window of the rolling exposures through time (default 252 rows, or a quarter of the fit if shorter). */
  rollingWindow?: number;
  rolling?: Omit<RollingExposureOptions, 'window'>;
}

/**
 * Everything the seed's report shows, as plain data: exposures on the date and through time for
 * the portfolio and its equal-weighted combination, the variance decomposition of both, and the
 * weighted-exposure distributions. Through-time series need a weights Panel.
 */
export function reportOf(model: FittedModel, weights: Panel | ArrayLike<number>, options: ReportOptions = {}): ExposureReportData {
  checkOptionNames<ReportOptions>('report options', options, {
    ...EXPOSURE_REPORT_OPTION_NAMES,
    date: true,
    rollingWindow: true,
    rolling: true,
  });
  const { rollingWindow, rolling, date, ...rest } = options;
  const n = model.fit.dates.length;
  const reportDate = date ?? formatIsoDate(model.fit.dates[n - 1]);
  let rollingExposures: Frame | undefined, equalWeightRollingExposures: Frame | undefined;
  if (weights instanceof Panel) {
    const window = rollingWindow ?? Math.max(20, Math.min(252, Math.floor(n / 4)));
    rollingExposures = rollingExposuresOf(model, weights, { ...rolling, window }).exposures;
    equalWeightRollingExposures = rollingExposuresOf(model, equalWeightPanel(weights), { ...rolling, window }).exposures;
  }
  return exposureReportData(
    { ...varianceModelOf(model), date: reportDate, weights, rollingExposures, equalWeightRollingExposures },
    { window: fitWindowOf(model), ...rest },
  );
}

/** 1/N on each date over the assets with a non-zero weight (the seed's equal-weight comparison). */
export function equalWeightPanel(weights: Panel): Panel {
  const m = weights.nAssets;
  const out = new Float64Array(weights.values.length).fill(NaN);
  for (let t = 0; t < weights.nDates; t++) {
    let k = 0;
    for (let j = 0; j < m; j++) {
      const w = weights.values[t * m + j];
      if (w === w && w !== 0) k++;
    }
    if (k === 0) continue;
    for (let j = 0; j < m; j++) {
      const w = weights.values[t * m + j];
      if (w === w && w !== 0) out[t * m + j] = 1 / k;
    }
  }
  return new Panel(weights.dates, weights.assets, out);
}

/**
 * Exposure report data: everything the seed's "fixed portfolio report" shows, as plain
 * JSON-serialisable data (the HTML rendering reads this; it is not done here).
 *
 * For a portfolio on a date and for the equal-weighted combination of the same holdings:
 * - exposures on the date: b_f = Σ_i w_i·β_if over the covered holdings (variance.ts);
 * - exposures through time: an already computed Frame of rolling exposures (and optionally one of
 *   the equal-weighted combination) passed through, and, when the weights are a Panel, the
 *   exposures of every weights row under the fitted (fixed) betas, b_f(t) = Σ_i w_i(t)·β_if over
 *   the assets with betas (NaN weights count as 0);
 * - the variance decomposition (variance.ts: Σ over the fit window, b'Σb, Σ w²σ², Euler split,
 *   shares, annualised vols);
 * - weighted-exposure distributions per factor: the values w_i·β_if of the covered holdings, a
 *   Gaussian KDE (Scott's rule, scipy's gaussian_kde) and a histogram (numpy rules), see
 *   stats/density.ts;
 * - top contributors per factor: holdings ranked by |w_i·β_if| (ties by asset name), each with its
 *   share of the portfolio exposure w_i·β_if / b_f and of the factor's variance contribution
 *   c_if / c_f (c_if = w_i·β_if·(Σb)_f; both shares sum to one over all holdings).
 *
 * NaN values (e.g. a share when a total is zero, a missing rolling value) serialise as null.
 *
 * Definitions (all of them, in one place): docs/definitions.md#exposure-report.
 */
import { formatIsoDate } from '../core/dates.js';
import { checkOptionNames } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { Panel } from '../core/panel.js';
import { gaussianKde, histogram, type HistogramResult, type KdeOptions, type KdeResult } from '../stats/density.js';
import {
  dayOf,
  decomposeWithEqualWeight,
  prepareVarianceModel,
  VARIANCE_OPTION_NAMES,
  weightsOnRow,
  weightsRowOnOrBefore,
  type DateLike,
  type ExcludedHolding,
  type FactorCovariance,
  type HoldingsTable,
  type PortfolioDecomposition,
  type PreparedModel,
  type VarianceDecompositionOptions,
  type VarianceModelInput,
} from './variance.js';

export interface ExposureReportInput extends VarianceModelInput {
  /** The report date. */
  date: DateLike;
  /**
   * Portfolio weights: aligned with `assets`, or a weights Panel (the last row on or before
   * `date` is used, and every row gives the fixed-beta exposures through time).
   */
  weights: ArrayLike<number> | Panel;
  /** Rolling exposures of the portfolio (date × factor), e.g. from rollingExposures. */
  rollingExposures?: Frame;
  /** Rolling exposures of the equal-weighted combination, if computed. */
  equalWeightRollingExposures?: Frame;
}

export interface ExposureReportOptions extends VarianceDecompositionOptions {
  /** Holdings listed per factor in topContributors (default 10). */
  topN?: number;
  /** KDE options (default Scott's rule on 200 points). */
  kde?: KdeOptions;
  /** Histogram bins (default 20). */
  histogramBins?: number;
}

/** Every option of {@link ExposureReportOptions}. */
export const EXPOSURE_REPORT_OPTION_NAMES: Readonly<Record<keyof ExposureReportOptions, true>> = {
  ...VARIANCE_OPTION_NAMES,
  topN: true,
  kde: true,
  histogramBins: true,
};

export interface SeriesData {
  dates: string[];
  columns: Record<string, (number | null)[]>;
}

export interface DistributionSummary {
  n: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface WeightedExposureDistribution {
  assets: string[];
  /** w_i·β_if of the covered holdings. */
  values: number[];
  summary: DistributionSummary;
  kde: KdeResult;
  histogram: HistogramResult;
}

export interface Contributor {
  asset: string;
  weight: number;
  beta: number;
  weightedExposure: number;
  /** w_i·β_if / b_f. */
  exposureShare: number;
  /** c_if = w_i·β_if·(Σb)_f. */
  varianceContribution: number;
  /** c_if / c_f. */
  varianceShare: number;
}

export type DecompositionSummary = Omit<PortfolioDecomposition, 'holdingsTable'>;

export interface ExposureReportData {
  kind: 'factor-exposure-report';
  version: 1;
  date: string;
  /** Date of the weights row used (the date itself for a weight vector). */
  weightsDate: string;
  factors: string[];
  coverage: {
    holdings: number;
    covered: number;
    totalWeight: number;
    coveredWeight: number;
    coveredGrossShare: number;
    excluded: ExcludedHolding[];
  };
  exposures: { portfolio: Record<string, number>; equalWeight: Record<string, number> };
  exposuresThroughTime: {
    rolling: SeriesData | null;
    equalWeightRolling: SeriesData | null;
    /** Σ_i w_i(t)·β_if with the fitted betas, for each weights row (weights Panel only). */
    fixedBetas: SeriesData | null;
  };
  varianceDecomposition: {
    covariance: FactorCovariance;
    frequency: string;
    periodsPerYear: number;
    portfolio: DecompositionSummary;
    equalWeight: DecompositionSummary;
  };
  holdings: { portfolio: HoldingsTable; equalWeight: HoldingsTable };
  distributions: { factor: string; portfolio: WeightedExposureDistribution; equalWeight: WeightedExposureDistribution }[];
  topContributors: { portfolio: Record<string, Contributor[]>; equalWeight: Record<string, Contributor[]> };
}

function summarise(values: readonly number[]): DistributionSummary {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, min: NaN, max: NaN };
  let s = 0,
    lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    s += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const mean = s / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, min: lo, max: hi };
}

function distribution(table: HoldingsTable, factor: string, options: ExposureReportOptions): WeightedExposureDistribution {
  const values = table.weightedExposures[factor].slice();
  return {
    assets: table.assets.slice(),
    values,
    summary: summarise(values),
    kde: gaussianKde(values, options.kde),
    histogram: histogram(values, { bins: options.histogramBins ?? 20 }),
  };
}

function contributors(model: PreparedModel, part: PortfolioDecomposition, topN: number): Record<string, Contributor[]> {
  const t = part.holdingsTable;
  const out: Record<string, Contributor[]> = {};
  const k = model.factors.length;
  const row = new Map(model.assets.map((a, i) => [a, i]));
  model.factors.forEach((factor, f) => {
    const we = t.weightedExposures[factor],
      ci = t.contributions[factor];
    const order = t.assets
      .map((_, j) => j)
      .sort((a, b) => Math.abs(we[b]) - Math.abs(we[a]) || (t.assets[a] < t.assets[b] ? -1 : t.assets[a] > t.assets[b] ? 1 : 0));
    out[factor] = order.slice(0, topN).map((j) => ({
      asset: t.assets[j],
      weight: t.weights[j],
      beta: model.betas[row.get(t.assets[j])! * k + f],
      weightedExposure: we[j],
      exposureShare: we[j] / part.exposures[factor],
      varianceContribution: ci[j],
      varianceShare: ci[j] / part.contributions[factor],
    }));
  });
  return out;
}

function summary(part: PortfolioDecomposition): DecompositionSummary {
  const { holdingsTable: _table, ...rest } = part;
  return rest;
}

function frameData(frame: Frame | undefined): SeriesData | null {
  return frame === undefined ? null : frame.toJSON();
}

/** b_f(t) = Σ_i w_i(t)·β_if for every row of a weights panel, over the assets the model has betas for. */
export function fixedBetaExposures(model: PreparedModel, weights: Panel): SeriesData {
  const k = model.factors.length;
  const pos = new Map(model.assets.map((a, i) => [a, i]));
  const cols = weights.assets.map((a) => pos.get(a) ?? -1);
  const series = model.factors.map(() => new Array<number | null>(weights.nDates));
  for (let t = 0; t < weights.nDates; t++) {
    const r = weights.row(t);
    for (let f = 0; f < k; f++) {
      let s = 0;
      for (let j = 0; j < r.length; j++) {
        const i = cols[j],
          w = r[j];
        if (i < 0 || !Number.isFinite(w) || w === 0) continue;
        const b = model.betas[i * k + f];
        if (Number.isFinite(b)) s += w * b;
      }
      series[f][t] = s;
    }
  }
  const columns: Record<string, (number | null)[]> = {};
  model.factors.forEach((f, q) => {
    columns[f] = series[q];
  });
  return { dates: weights.isoDates(), columns };
}

/** All the data of the seed's fixed portfolio report, for the weights held on `input.date`. */
export function exposureReportData(input: ExposureReportInput, options: ExposureReportOptions = {}): ExposureReportData {
  checkOptionNames<ExposureReportOptions>('exposureReportData options', options, EXPOSURE_REPORT_OPTION_NAMES);
  const topN = options.topN ?? 10;
  if (!(Number.isInteger(topN) && topN >= 0)) throw new InputError(`topN must be a non-negative integer, got ${topN}`);
  const model = prepareVarianceModel(input, options);
  const date = formatIsoDate(dayOf(input.date));
  let weightsDate = date,
    w: ArrayLike<number> = new Float64Array(0),
    unknown: ExcludedHolding[] = [];
  let fixedBetas: SeriesData | null = null;
  if (input.weights instanceof Panel) {
    const row = weightsRowOnOrBefore(input.weights, input.date);
    const aligned = weightsOnRow(model.assets, input.weights, row);
    w = aligned.weights;
    unknown = aligned.unknown;
    weightsDate = formatIsoDate(input.weights.dates[row]);
    fixedBetas = fixedBetaExposures(model, input.weights);
  } else {
    w = input.weights;
  }
  const { portfolio, equalWeight } = decomposeWithEqualWeight(model, w, unknown, date);
  return {
    kind: 'factor-exposure-report',
    version: 1,
    date,
    weightsDate,
    factors: model.factors.slice(),
    coverage: {
      holdings: portfolio.holdings,
      covered: portfolio.covered,
      totalWeight: portfolio.totalWeight,
      coveredWeight: portfolio.coveredWeight,
      coveredGrossShare: portfolio.coveredGrossShare,
      excluded: portfolio.excluded,
    },
    exposures: { portfolio: portfolio.exposures, equalWeight: equalWeight.exposures },
    exposuresThroughTime: {
      rolling: frameData(input.rollingExposures),
      equalWeightRolling: frameData(input.equalWeightRollingExposures),
      fixedBetas,
    },
    varianceDecomposition: {
      covariance: model.covariance,
      frequency: model.frequency,
      periodsPerYear: model.periodsPerYear,
      portfolio: summary(portfolio),
      equalWeight: summary(equalWeight),
    },
    holdings: { portfolio: portfolio.holdingsTable, equalWeight: equalWeight.holdingsTable },
    distributions: model.factors.map((factor) => ({
      factor,
      portfolio: distribution(portfolio.holdingsTable, factor, options),
      equalWeight: distribution(equalWeight.holdingsTable, factor, options),
    })),
    topContributors: { portfolio: contributors(model, portfolio, topN), equalWeight: contributors(model, equalWeight, topN) },
  };
}

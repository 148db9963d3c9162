/**
 * FactorExposures: a configuration of factor data, regression steps and cross scores, fitted to
 * asset returns (the seed's class, see fit.ts for every definition).
 *
 *   const fe = new FactorExposures()
 *     .addRegressionFactors(factorReturns)            // a Frame; adds an OLS step over its columns
 *     .addStep(['mkt_rf', 'smb'], { l1: 0.5, l2: 0.25, includeConstant: false })
 *     .addCrossScore('smb_rank', 'smb');
 *   const fit = fe.fit(assetReturns);                 // Panel or record of {dates, values}
 *
 * Configuration methods return `this` for chaining. `fit` never modifies its inputs; it keeps
 * the last fit, its returns panel and the factor frame (readonly getters) for the analyses built on
 * a fit (rolling exposures, variance decomposition, report).
 *
 * When `fit` is called with factors but no step, one OLS step over every factor column is used
 * (the seed's default). Several `addRegressionFactors` calls join their frames on the union of
 * their dates (column names must be distinct).
 */
import { joinFrames } from '../core/align.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import type { Panel } from '../core/panel.js';
import { makeCrossScore } from './crossScore.js';
import type { CrossScore } from './crossScore.js';
import { fitExposures, fitExposuresAsync, returnsPanel } from './fit.js';
import type { AssetReturns, AsyncFitRunner, ExposureFit, FitOptions } from './fit.js';
import { makeStep } from './steps.js';
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
import type { ExposureReportData } from './report.js';
import type { RollingExposureOptions, RollingPortfolioExposures } from './rolling.js';
import type { VarianceDecomposition } from './variance.js';
import type { Step, StepOptions } from './steps.js';

export interface AddRegressionFactorsOptions {
  /** Add an OLS step over the frame's columns (default true); `false` only stores the data. */
  step?: boolean;
  /** Options of that step (default OLS with a constant). */
  stepOptions?: StepOptions;
}

export class FactorExposures {
  private factorFrame: Frame | null = null;
  private stepList: Step[] = [];
  private scoreList: CrossScore[] = [];
  private lastFitValue: ExposureFit | null = null;
  private lastReturnsValue: Panel | null = null;
  private lastOptionsValue: FitOptions | null = null;

  /** The factor returns added so far (null before any). */
  get factors(): Frame | null { return this.factorFrame; }
  /** The configured steps, in order. */
  get steps(): readonly Step[] { return this.stepList; }
  get crossScores(): readonly CrossScore[] { return this.scoreList; }
  /** The last fit (null before any). */
  get lastFit(): ExposureFit | null { return this.lastFitValue; }
  /** The returns panel of the last fit (the input as given, not sliced to start/end). */
  get lastReturns(): Panel | null { return this.lastReturnsValue; }
  /** The options of the last fit. */
  get lastFitOptions(): Readonly<FitOptions> | null { return this.lastOptionsValue; }

  /** Adds factor returns (decimal, or scale them with the `factorScale` fit option) and by default an OLS step over them. */
  addRegressionFactors(frame: Frame, options: AddRegressionFactorsOptions = {}): this {
    if (frame.columns.length === 0) throw new InputError('the factor frame has no columns');
    if (this.factorFrame === null) this.factorFrame = frame;
    else {
      const clash = frame.columns.filter((c) => this.factorFrame!.has(c));
      if (clash.length > 0) throw new InputError(`factor column ${clash[0]} was already added`, { column: clash[0], hint: 'rename the column or add each factor once' });
      this.factorFrame = joinFrames([this.factorFrame, frame], 'outer');
    }
    if (options.step ?? true) this.stepList.push(makeStep(frame.columns, options.stepOptions));
    return this;
  }

  /** Adds a regression step over the named factors (run on the previous step's residuals). */
  addStep(factors: readonly string[], options: StepOptions = {}): this {
    this.stepList.push(makeStep(factors, options));
    return this;
  }

  /** Adds a cross-sectional percentile score `name` of the exposure to `base`. */
  addCrossScore(name: string, base: string): this {
    if (this.scoreList.some((s) => s.name === name)) throw new InputError(`cross score ${name} was already added`, { value: name });
    this.scoreList.push(makeCrossScore(name, base));
    return this;
  }

  /** Removes every step (factor data and cross scores stay). */
  clearSteps(): this {
    this.stepList = [];
    return this;
  }

  /** Removes every cross score. */
  clearCrossScores(): this {
    this.scoreList = [];
    return this;
  }

  /** Fits the steps to asset returns (see fit.ts). */
  fit(returns: AssetReturns, options: FitOptions = {}): ExposureFit {
    if (this.factorFrame === null) throw new InputError('no factor returns added', { hint: 'call addRegressionFactors(frame) first' });
    const steps = this.stepList.length > 0 ? this.stepList : [makeStep(this.factorFrame.columns)];
    const panel = returnsPanel(returns);
    const fit = fitExposures(this.factorFrame, panel, steps, this.scoreList, options);
    this.lastFitValue = fit;
    this.lastReturnsValue = panel;
    this.lastOptionsValue = { ...options };
    return fit;
  }

  /**
   * {@link fit} with the batched kernels (OLS, Newey-West) run by `runner` (e.g. the parallel layer's
   * threaded ones: `fitExposuresParallel`); the same result when they equal the in-process kernels.
   */
  async fitAsync(returns: AssetReturns, options: FitOptions, runner: AsyncFitRunner): Promise<ExposureFit> {
    if (this.factorFrame === null) throw new InputError('no factor returns added', { hint: 'call addRegressionFactors(frame) first' });
    const steps = this.stepList.length > 0 ? this.stepList : [makeStep(this.factorFrame.columns)];
    const panel = returnsPanel(returns);
    const fit = await fitExposuresAsync(this.factorFrame, panel, steps, this.scoreList, options, runner);
    this.lastFitValue = fit;
    this.lastReturnsValue = panel;
    this.lastOptionsValue = { ...options };
    return fit;
  }

  /** The returns and factors the last fit regressed (see analyses.ts). Throws before any fit. */
  get model(): FittedModel {
    return fittedModel(this.factorFrame, this.lastReturnsValue, this.lastFitValue, this.lastOptionsValue);
  }

  /** Rolling exposures of a weighted portfolio through time: Σ w_i(t)·β_i(t) over trailing `window` rows. */
  rollingExposures(weights: Panel, options: RollingExposureOptions): RollingPortfolioExposures {
    return rollingExposuresOf(this.model, weights, options);
  }

  /** The portfolio's own rolling regression of its return series on the factors. */
  portfolioRollingRegression(weights: Panel, options: PortfolioRegressionOptions): Frame {
    return portfolioRollingRegressionOf(this.model, weights, options);
  }

  /** Factor vs specific variance of a portfolio on a date, with the equal-weight comparison. */
  varianceDecomposition(weights: Panel | ArrayLike<number>, options: VarianceOptions = {}): VarianceDecomposition {
    return varianceDecompositionOf(this.model, weights, options);
  }

  /** The seed's report as plain data (the HTML rendering comes later). */
  report(weights: Panel | ArrayLike<number>, options: ReportOptions = {}): ExposureReportData {
    return reportOf(this.model, weights, options);
  }
}

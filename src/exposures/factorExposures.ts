/**
 * FactorExposures: a configuration of factor data, regression steps and cross scores, fitted to
 * asset returns (the seed's class, see fit.ts for every definition).
 *
 *   const fe = new FactorExposures()
 *     .addRegressionFactors(factorReturns)            // a Frame; adds an OLS step over its columns
 *     .addStep(['mkt_rf', 'smb'], { l1: 0.5, l2: 0.25, includeConstant: false })
 *     .addCrossScore('smb_rank', 'smb');
 *   const results = fe.fit(assetReturns);             // Panel or record of {dates, values}
 *   results.diagnostics[0].t;                         // per-step coefficients, se, t, p, R², ...
 *   results.rollingExposures(weights, { window: 252 });
 *   JSON.stringify(results);                          // the JSON `factorlab exposures --json` prints
 *
 * Like a scikit-learn estimator, it holds only its configuration: `fit` returns an
 * {@link ExposureResults} (results.ts) that carries the fit and the analyses built on it (rolling
 * exposures, variance decomposition, report), and remembers nothing, so one configuration can be
 * fitted to many return sets. Configuration methods return `this` for chaining; `fit` never
 * modifies its inputs.
 *
 * When `fit` is called with factors but no step, one OLS step over every factor column is used
 * (the seed's default). Several `addRegressionFactors` calls join their frames on the union of
 * their dates (column names must be distinct).
 */
import { joinFrames } from '../core/align.js';
import { InputError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';
import { makeCrossScore } from './crossScore.js';
import type { CrossScore } from './crossScore.js';
import { fitExposures, fitExposuresAsync, returnsPanel } from './fit.js';
import type { AssetReturns, AsyncFitRunner, FitOptions } from './fit.js';
import { makeStep } from './steps.js';
import { ExposureResults } from './results.js';
import type { Step, StepOptions } from './steps.js';
import { checkBoolean, checkOptionNames } from '../core/checks.js';

/** Every option of {@link FitOptions} (the compiler keeps the list complete): a misspelt one is an error. */
const FIT_OPTION_NAMES: Readonly<Record<keyof FitOptions, true>> = {
  minObs: true,
  neweyWest: true,
  start: true,
  end: true,
  residuals: true,
  factorScale: true,
  riskFree: true,
  overwriteReturns: true,
};

export interface AddRegressionFactorsOptions {
  /** Add an OLS step over the frame's columns (default true); `false` only stores the data. */
  step?: boolean;
  /** Options of that step (default OLS with a constant). */
  stepOptions?: StepOptions;
}

/**
 * An estimator of factor exposures: factor returns, regression steps and cross scores. `fit`
 * returns an {@link ExposureResults}; the estimator itself holds configuration only.
 */
export class FactorExposures {
  private factorFrame: Frame | null = null;
  private stepList: Step[] = [];
  private scoreList: CrossScore[] = [];

  /** The factor returns added so far (null before any). */
  get factors(): Frame | null {
    return this.factorFrame;
  }
  /** The configured steps, in order. */
  get steps(): readonly Step[] {
    return this.stepList;
  }
  get crossScores(): readonly CrossScore[] {
    return this.scoreList;
  }

  /** Adds factor returns (decimal, or scale them with the `factorScale` fit option) and by default an OLS step over them. */
  addRegressionFactors(frame: Frame, options: AddRegressionFactorsOptions = {}): this {
    // `{ steps: false }` added the OLS step anyway
    checkOptionNames<AddRegressionFactorsOptions>('addRegressionFactors options', options, { step: true, stepOptions: true });
    if (options.step !== undefined) checkBoolean('step', options.step);
    if (frame.columns.length === 0) throw new InputError('the factor frame has no columns');
    if (this.factorFrame === null) this.factorFrame = frame;
    else {
      const clash = frame.columns.filter((c) => this.factorFrame!.has(c));
      if (clash.length > 0)
        throw new InputError(`factor column ${clash[0]} was already added`, {
          column: clash[0],
          hint: 'rename the column or add each factor once',
        });
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

  /** Fits the steps to asset returns (see fit.ts): the fit and its analyses as an {@link ExposureResults}. */
  fit(returns: AssetReturns, options: FitOptions = {}): ExposureResults {
    checkOptionNames<FitOptions>('fit options', options, FIT_OPTION_NAMES);
    const { factors, steps } = this.fitInputs();
    const panel = returnsPanel(returns);
    return new ExposureResults(fitExposures(factors, panel, steps, this.scoreList, options), { factors, returns: panel, options });
  }

  /**
   * {@link fit} with the batched kernels (OLS, Newey-West) run by `runner` (e.g. the parallel layer's
   * threaded ones: `fitExposuresParallel`); the same results when they equal the in-process kernels.
   */
  async fitAsync(returns: AssetReturns, options: FitOptions, runner: AsyncFitRunner): Promise<ExposureResults> {
    const { factors, steps } = this.fitInputs();
    const panel = returnsPanel(returns);
    return new ExposureResults(await fitExposuresAsync(factors, panel, steps, this.scoreList, options, runner), {
      factors,
      returns: panel,
      options,
    });
  }

  private fitInputs(): { factors: Frame; steps: readonly Step[] } {
    if (this.factorFrame === null) throw new InputError('no factor returns added', { hint: 'call addRegressionFactors(frame) first' });
    return { factors: this.factorFrame, steps: this.stepList.length > 0 ? this.stepList : [makeStep(this.factorFrame.columns)] };
  }
}

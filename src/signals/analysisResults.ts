/**
 * FactorAnalysisResults: what `analyzeFactor` returns (the convention of exposures'
 * `ExposureResults`, statsmodels' results objects: the analysis holds its numbers and the data they
 * came from; nothing is computed twice).
 *
 * - Every field of the plain {@link FactorAnalysis} (`horizons`, `ic[h]`, `quantiles[h]`,
 *   `regression[h]`, `turnover[h]`, `icMonthly[h]`, `icByGroup[h]`, `icDecay[h]`, `dataLoss`, ...)
 *   is an own property, in the order of the JSON, so code written for the plain object (and
 *   `{ ...results }`) reads it unchanged.
 * - {@link FactorAnalysisResults.toJSON} is that plain object: `JSON.stringify(results)` is the
 *   JSON the library always wrote, and the analysis keys of `factorlab analyze --out` (the CLI adds
 *   `inputs`, `notes` and, with `--report`, `tearSheet` around `toJSON()`).
 * - The prepared factor data ({@link FactorData}: formation dates, the universe's factor values,
 *   forward returns per horizon, groups, weights, entry rows) and the options are kept, not
 *   serialised, so analyses beside the statistics (the tear sheet's quantile × group means and
 *   event view) reuse them instead of preparing the data a second time; the quantile labels of a
 *   horizon are computed from them on first use ({@link FactorAnalysisResults.quantileLabels}).
 * - {@link FactorAnalysisResults.headlines} and {@link FactorAnalysisResults.headlineTable}: the
 *   registry's headline numbers (headlines.ts).
 *
 * Definitions: docs/definitions.md#single-factor-tests.
 */
import { describeValue } from '../core/checks.js';
import { InputError } from '../core/errors.js';
import type { AnalysisHeadline, AnalyzeOptions, FactorAnalysis, QuantileAnalysisJson, TurnoverJson } from './analysisTypes.js';
import type { DataLoss } from './dataLoss.js';
import type { FactorData, Universe } from './factorData.js';
import { analysisHeadlines, headlineTable, type HeadlineTableRow } from './headlines.js';
import type { IcAnalysis, IcByGroup, IcDecayPoint, IcMonthlyTable } from './ic.js';
import { quantileLabels, type QuantileLabels } from './quantiles.js';
import type { RegressionTest } from './regression.js';

/** The results of {@link analyzeFactor}: the plain analysis as properties, its prepared data, its JSON form and headlines. */
export class FactorAnalysisResults implements FactorAnalysis {
  declare readonly horizons: number[];
  declare readonly steps: Record<string, number>;
  declare readonly universe: Universe;
  declare readonly minAssets: number;
  declare readonly icThreshold: number;
  declare readonly executionLag: number;
  declare readonly periodsPerYear: number;
  declare readonly nDates: number;
  declare readonly nAssets: number;
  declare readonly firstDate: string | null;
  declare readonly lastDate: string | null;
  declare readonly ic: Record<string, IcAnalysis>;
  declare readonly quantiles: Record<string, QuantileAnalysisJson>;
  declare readonly regression: Record<string, RegressionTest>;
  declare readonly turnover: Record<string, TurnoverJson>;
  declare readonly icMonthly: Record<string, { pearson: IcMonthlyTable; spearman: IcMonthlyTable }>;
  declare readonly icByGroup?: Record<string, IcByGroup>;
  declare readonly icDecay?: Record<string, IcDecayPoint[]>;
  declare readonly dataLoss: DataLoss;
  readonly #json: FactorAnalysis;
  readonly #data: FactorData;
  readonly #options: Readonly<AnalyzeOptions>;
  readonly #labels = new Map<number, QuantileLabels>();

  /**
   * The results of the analysis `analysis` (analyze.ts `summarizeAnalysis`) of the prepared `data`
   * with `options`. Made by `analyzeFactor`, `analyzeFactorData` and `analyzeFactorParallel`.
   */
  constructor(analysis: FactorAnalysis, data: FactorData, options: AnalyzeOptions = {}) {
    Object.assign(this, analysis); // own properties in the JSON's order (the fields are `declare`d: nothing else is defined)
    this.#json = analysis;
    this.#data = data;
    this.#options = { ...options };
  }

  /** The prepared factor data the statistics were computed from (signals `prepareFactorData`); not serialised. */
  get data(): FactorData {
    return this.#prepared();
  }

  /**
   * The prepared data, refused once the analysis's pooled buffers (`options.buffers`, signals
   * `BufferPool`) were released: another analysis may have overwritten them, and a silently wrong
   * number is worse than an error.
   */
  #prepared(): FactorData {
    if (this.#options.buffers?.released === true)
      throw new Error(
        "this analysis's prepared data lived in pooled buffers that were released (BufferPool lease.release()); read what you need before releasing the lease",
      );
    return this.#data;
  }

  /** The options of the analysis. */
  get options(): Readonly<AnalyzeOptions> {
    return this.#options;
  }

  /**
   * The quantile labels of horizon `h`'s universe, as the statistics binned them: the analysis's
   * binning (`quantiles`, `byGroup` with its groups) on the prepared factor values; in the pairwise
   * universe masked by that horizon's forward returns, in the joint one the same labels for every
   * horizon. Computed on first use and kept.
   */
  quantileLabels(h: number): QuantileLabels {
    const data = this.#prepared();
    if (!data.horizons.includes(h))
      throw new InputError(`quantileLabels: horizon ${describeValue(h)} is not one of the analysis's (${data.horizons.join(', ')})`, {
        hint: 'ask for a horizon the analysis ran (its options.horizons)',
      });
    const key = data.universe === 'pairwise' ? h : data.horizons[0];
    let labels = this.#labels.get(key);
    if (labels === undefined) {
      labels = quantileLabels(data.factor, {
        binning: this.#options.quantiles,
        byGroup: this.#options.byGroup,
        groups: data.groups,
        mask: data.universe === 'pairwise' ? data.forward.get(h) : undefined,
      });
      this.#labels.set(key, labels);
    }
    return labels;
  }

  /** The plain analysis: exactly the JSON of `JSON.stringify(results)` (NaN becomes null there), the analysis keys of the CLI's. */
  toJSON(): FactorAnalysis {
    return { ...this.#json };
  }

  /** The named headline numbers per horizon (signals `analysisHeadlines`: each registered statistic's `headlineValues`). */
  headlines(): AnalysisHeadline[] {
    return analysisHeadlines(this);
  }

  /** The CLI summary table's rows (signals `headlineTable`: each registered statistic's `headline` rows). */
  headlineTable(): HeadlineTableRow[] {
    return headlineTable(this);
  }
}

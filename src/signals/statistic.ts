/**
 * The per-date statistic as a unit: what one statistic of {@link analyzeFactor} declares, so that
 * the analysis (analyze.ts), the thread pool (parallel/analyze.ts) and the CLI summary iterate the
 * registry (registry.ts) instead of naming each statistic. Modelled on arquero's aggregate
 * definitions: a statistic declares what it needs and how it is computed; the engine shares the
 * work between the statistics that need the same thing.
 *
 * A statistic (one file in statistics/) holds:
 * - `name`: its key in the result JSON (`ic`, `quantiles`, ...) and in each horizon's per-date rows;
 * - the definition, in the module's doc comment (formula and the peer it matches);
 * - `applies`: whether an analysis with these options computes it (IC by group needs groups, ...);
 * - `alloc`: its per-date arrays (`alloc` may put them on shared memory for the worker threads);
 * - the fast routes: `pairs` (a per-date step fed the date's complete (factor, forward return)
 *   pairs, gathered once with their moments for every statistic that asks) and / or `rows` (a range
 *   kernel over formation rows [t0, t1) that reads the shared factor ranks and quantile labels);
 * - `reference`: a plain, readable implementation of the definition from the prepared data alone
 *   (no shared scratch, no fused passes): registry.test.ts checks every fast route against it;
 * - `summarize`: the summary over dates, as the JSON section of one horizon;
 * - `headline` (optional): the rows it contributes to the CLI summary table, and `headlineValues`
 *   (optional): the named numbers it contributes to {@link AnalysisHeadline} (the zoo's columns).
 *
 * Shared work the engine does once per range of rows (see analyze.ts `statisticsOfRows`): the
 * factor's row ranks (every statistic that ranks the factor reads them), the quantile labels (one
 * set in the joint universe, one per horizon in the pairwise one) and the pair gather + moments per
 * horizon and date (pairMoments.ts).
 */
import type { Panel } from '../core/panel.js';
import type { CorrelationScratch } from '../stats/correlation.js';
import type { AnalysisHeadline, AnalyzeOptions, FactorAnalysis } from './analysisTypes.js';
import type { FactorData } from './factorData.js';
import type { PairMoments } from './pairMoments.js';
import type { QuantileLabels } from './quantiles.js';

/** What `alloc` and `applies` see: the prepared data, the options, one horizon. */
export interface StatisticSetup {
  data: FactorData;
  options: AnalyzeOptions;
  horizon: number;
  /** Formation rows per horizon (factorData.ts `rebalanceStep`): turnover lag, NW lags, NAV step. */
  step: number;
  /** Number of quantile labels Q. */
  quantiles: number;
  /** Dates (formation rows) of the analysis. */
  nDates: number;
}

/** Makers of fresh per-date arrays of the analysis's length: means NaN, counts 0. */
export interface RowAllocator {
  f64(): Float64Array;
  i32(): Int32Array;
}

/** What the fast routes read: the setup plus the engine's shared intermediates of the range. */
export interface RowsContext extends StatisticSetup {
  forward: Panel;
  /** The factor's row ranks (stats `rowRanks`) of every row the range reads. */
  factorRanks: Float64Array;
  /** The quantile labels of this horizon's universe, for the rows the range reads. */
  labels: QuantileLabels;
  /**
   * True when the engine's pair pass hands each date's quantile labels of the pairs to the `pairs`
   * steps (`PairSample.labels`, the joint universe: pairStats.ts `pairPassJoint`), so a statistic
   * may compute its per-label sums there instead of in its `rows` kernel.
   */
  pairLabels?: boolean;
}

/** The complete pairs of one date gathered in `scratch` (a = factor, b = return, ra = factor ranks) and their moments. */
export interface PairSample {
  scratch: CorrelationScratch;
  moments: PairMoments;
  /** True when scratch.ra holds the factor's row ranks of the pairs. */
  ranked: boolean;
  /** True when scratch.rb holds the returns' average ranks among the pairs (presorted returns, forwardOrder.ts). */
  returnsRanked: boolean;
  /**
   * The quantile labels (the engine's, of this horizon's universe) of the pairs, in pair order, when
   * the pairs are every non-NaN factor value of the row and the engine gathered them (RowsContext
   * `pairLabels`); absent on a date where it did not.
   */
  labels?: Int32Array;
}

/** What `summarize` sees: the setup, the ISO dates, and every per-date array of the horizon. */
export interface SummaryContext extends StatisticSetup {
  isoDates: string[];
  /** The per-date arrays of every statistic of this horizon (and the engine's label counts). */
  all: HorizonRowsOf;
}

/** The per-date arrays of one horizon, by statistic name (see analyze.ts `HorizonRows` for the typed form). */
export interface HorizonRowsOf {
  horizon: number;
  step: number;
  /** Finite factor cells left without a label, and single-valued sections, per date (the engine's labelling). */
  labels: { unlabeled: Int32Array; single: Int32Array };
  [name: string]: unknown;
}

/** A row of the CLI summary table: a label and the cell of one horizon's JSON section. */
export interface HeadlineRow<Json> {
  label: string | ((analysis: FactorAnalysis) => string);
  cell: (section: Json | undefined, analysis: FactorAnalysis, horizon: number) => HeadlineCell;
}

/** How a headline value prints: a number (digits), a percentage of a return, a share, or a value with a second in brackets. */
export type HeadlineCell =
  | { kind: 'number'; value: number; digits?: number }
  | { kind: 'percent'; value: number }
  | { kind: 'share'; value: number }
  | { kind: 'pair'; value: number; second: number }
  | { kind: 'shares'; value: number; second: number };

export interface PerDateStatistic<Name extends string = string, Rows = unknown, Json = unknown> {
  readonly name: Name;
  /** One line: what it is (the module doc has the definition). */
  readonly title: string;
  /** Option keys of {@link AnalyzeOptions} the fast routes read (the thread pool sends exactly these). */
  readonly optionKeys: readonly (keyof AnalyzeOptions)[];
  /** Whether the analysis computes it for this horizon (default: always). */
  applies?(setup: StatisticSetup): boolean;
  /** Whether the result carries its section even when it applies to no horizon (an empty record), as `ic: {}`. */
  readonly alwaysInResult: boolean;
  /** The engine computes the quantile labels only when a statistic that applies needs them. */
  readonly needsLabels?: boolean;
  alloc(setup: StatisticSetup, a: RowAllocator): Rows;
  /** Checks the inputs before any row is computed (an empty range of its kernels); throws like the kernels do. */
  check?(ctx: RowsContext, rows: Rows): void;
  /** The per-date step of the shared pair pass, or null when this analysis computes it by `rows`. */
  pairs?(ctx: RowsContext, rows: Rows): ((sample: PairSample, t: number) => void) | null;
  /** The range kernel: rows [t0, t1) (reading earlier or later rows of the shared intermediates as the definition needs). */
  rows?(ctx: RowsContext, rows: Rows, t0: number, t1: number): void;
  /** The plain implementation of the definition: the same per-date arrays, computed simply. */
  reference(setup: StatisticSetup): Rows;
  /** The summary over dates, as this statistic's JSON section of one horizon. */
  summarize(ctx: SummaryContext, rows: Rows): Json;
  /** Rows of the CLI summary table. */
  readonly headline?: readonly HeadlineRow<Json>[];
  /** Its fields of {@link AnalysisHeadline} for one horizon (NaN when its section is absent). */
  headlineValues?(section: Json | undefined, analysis: FactorAnalysis, horizon: number): Partial<AnalysisHeadline>;
}

/** Declares a statistic (an identity that keeps the literal types of its name, rows and JSON). */
export function defineStatistic<Name extends string, Rows, Json>(
  s: PerDateStatistic<Name, Rows, Json>,
): PerDateStatistic<Name, Rows, Json> {
  return s;
}

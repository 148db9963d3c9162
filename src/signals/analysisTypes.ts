/**
 * The types of {@link analyzeFactor}: its options and its result (the JSON the CLI writes). Apart
 * from analyze.ts so that the statistics (statistics/*.ts) and the registry can name them without
 * importing the engine (no import cycle). analyze.ts re-exports them.
 */
import type { Panel } from '../core/panel.js';
import type { DataLoss } from './dataLoss.js';
import type { FactorDataInput, Universe } from './factorData.js';
import type { ForwardReturnOrder } from './forwardOrder.js';
import type { IcAnalysis, IcByGroup, IcDecayPoint, IcMonthlyTable } from './ic.js';
import type { BinSpec, SeriesStats } from './quantiles.js';
import type { RegressionOptions, RegressionTest } from './regression.js';
import type { SeriesSummary } from './summary.js';

export interface AnalyzeOptions {
  /** Horizons in rows of the price calendar (default 1, 5, 21). */
  horizons?: readonly number[];
  /** Number of quantiles (default 5) or a bin specification. */
  quantiles?: number | BinSpec;
  /** Quantiles within each group per date (industry-neutral). Needs groups. */
  byGroup?: boolean;
  /** Default 'joint' (alphalens): one universe for every horizon. */
  universe?: Universe;
  /** Fewest assets a date needs (default 3). */
  minAssets?: number;
  /** |IC| threshold of `shareAboveThreshold` (default 0.03). */
  icThreshold?: number;
  /** Rows between the signal's date and the entry (default 0). */
  executionLag?: number;
  /** Largest share of observations the pipeline may lose (default 0.35). */
  maxLoss?: number;
  groups?: FactorDataInput['groups'];
  /** Weights such as market cap, for the weighted quantile means and WLS. */
  weights?: Panel;
  /** Options of the regression test (z-scored factor, group / size controls, WLS). */
  regression?: Pick<RegressionOptions, 'factorScale' | 'size' | 'logSize' | 'weightTransform' | 'tThreshold'> & {
    groupControls?: boolean;
    wls?: boolean;
  };
  /** Forward returns already computed from the same prices, shared between factors. */
  forwardReturns?: FactorDataInput['forwardReturns'];
  /**
   * The per-date sort order of `forwardReturns` (forwardOrder.ts `forwardReturnOrder` of that same
   * map), computed once for many factors: each date's returns are then ranked for the rank IC by
   * one walk of the presorted row instead of a sort. Used only with the very panels it was computed
   * from; only a speed-up (the numbers do not change). In-process route only.
   */
  forwardOrder?: ForwardReturnOrder;
  /**
   * Buffers to reuse for the prepared data and the statistics' scratch (a zoo runs factor after
   * factor on the same grid; buffers.ts `BufferPool`). In-process route only; the numbers do not change.
   */
  buffers?: AnalysisBuffers;
  /** IC decay: lags in formation rows (e.g. 0..10) at which to summarise the IC of every horizon. Off by default. */
  decayLags?: readonly number[];
  /** Periods per year for annualising (default: from the factor calendar; see FactorDataInput). */
  periodsPerYear?: number;
  /** Write the prepared factor over the factor panel's values: one panel of memory less; the factor panel is not usable afterwards (see FactorDataInput). */
  overwriteFactor?: boolean;
  /** Forward returns demeaned within each group per date (alphalens `group_adjust`; see FactorDataInput). Needs groups. */
  groupAdjust?: boolean;
}

/**
 * Buffers a thread can hand to successive `perDateStatistics` calls (e.g. the chunks it claims,
 * or the factors of a zoo), so each call reuses them instead of allocating (and page-faulting)
 * its own: the window's factor ranks and quantile labels. Grown on demand; create with
 * `createStatisticsScratch`.
 */
export interface StatisticsScratch {
  ranks: Float64Array;
  labels: Int32Array;
}

/** Reusable buffers of an analysis (buffers.ts): `alloc` makes the prepared data's buffers (contents undefined), `scratch` the statistics'. */
export interface AnalysisBuffers {
  alloc(bytes: number): ArrayBuffer;
  scratch: StatisticsScratch;
  /** True once the buffers went back to their pool: the prepared data in them may hold another analysis's numbers. */
  readonly released?: boolean;
}

type Num = number; // NaN is written as null by JSON.stringify

export interface SpreadJson extends Omit<SeriesStats, never> {
  perDate: Num[];
}

export interface QuantileVariantJson {
  meanReturn: Record<string, Num[]>;
  meanOverDates: Record<string, Num>;
  stdError: Record<string, Num>;
  spread: SpreadJson;
}

export interface QuantileAnalysisJson extends QuantileVariantJson {
  horizon: number;
  step: number;
  quantiles: number;
  dates: string[];
  count: Record<string, number[]>;
  demeaned: QuantileVariantJson;
  weighted?: QuantileVariantJson;
  factorWeighted?: { perDate: Num[] } & SeriesStats;
  nav: { dates: string[]; values: Record<string, Num[]>; step: number };
  annualizedReturn: Record<string, Num>;
  monotonicity: Num;
  unlabeled: number;
  singleValueSections: number;
}

export interface TurnoverJson {
  lag: number;
  dates: string[];
  perDate: Record<string, Num[]>;
  meanByQuantile: Record<string, Num>;
  rankAutocorrelation: { perDate: Num[]; mean: Num };
}

export interface FactorAnalysis {
  horizons: number[];
  /** Formation rows per horizon (see the module comment). */
  steps: Record<string, number>;
  universe: Universe;
  minAssets: number;
  icThreshold: number;
  executionLag: number;
  periodsPerYear: number;
  nDates: number;
  nAssets: number;
  firstDate: string | null;
  lastDate: string | null;
  ic: Record<string, IcAnalysis>;
  quantiles: Record<string, QuantileAnalysisJson>;
  regression: Record<string, RegressionTest>;
  turnover: Record<string, TurnoverJson>;
  /** Month-by-year tables of the mean IC and rank IC, per horizon. */
  icMonthly: Record<string, { pearson: IcMonthlyTable; spearman: IcMonthlyTable }>;
  /** IC within each group per date, summarised per group (only with groups). */
  icByGroup?: Record<string, IcByGroup>;
  /** IC summaries at each decay lag (only when `decayLags` was given). */
  icDecay?: Record<string, IcDecayPoint[]>;
  dataLoss: DataLoss;
}

/**
 * The few numbers per horizon a researcher reads first (`factorlab zoo`'s table): each registered
 * statistic contributes its own fields (statistic.ts `headlineValues`); NaN where a statistic did
 * not run (turnover with a single rebalance, ...).
 */
export interface AnalysisHeadline {
  horizon: number;
  ic: SeriesSummary;
  rankIc: SeriesSummary;
  spreadMean: number;
  spreadT: number;
  spreadTNW: number;
  monotonicity: number;
  meanAbsT: number;
  shareAbsTAbove2: number;
  meanFactorReturn: number;
  factorReturnTNW: number;
  turnoverTop: number;
  turnoverBottom: number;
  rankAutocorrelation: number;
}

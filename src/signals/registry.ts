/**
 * The registry of per-date statistics: every statistic {@link analyzeFactor} computes, in the order
 * of the result's sections (and of the CLI summary's rows). The analysis (analyze.ts), the thread
 * pool (parallel/analyze.ts) and the CLI iterate this list; none of them names a statistic.
 * Adding a statistic is one file in statistics/ and one line here (docs/statistics.md).
 */
import { ic } from './statistics/ic.js';
import { quantiles } from './statistics/quantiles.js';
import { regression } from './statistics/regression.js';
import { turnover } from './statistics/turnover.js';
import { icMonthly } from './statistics/icMonthly.js';
import { icByGroup } from './statistics/icByGroup.js';
import { icDecay } from './statistics/icDecay.js';
import type { PerDateStatistic } from './statistic.js';

export const STATISTICS = [ic, quantiles, regression, turnover, icMonthly, icByGroup, icDecay] as const;

/** The registered statistics' names. */
export type StatisticName = (typeof STATISTICS)[number]['name'];

/** The per-date arrays of a registered statistic. */
export type RowsOf<S> = S extends { alloc(...args: never[]): infer R } ? R : never;

/** The JSON section (one horizon) of a registered statistic. */
export type JsonOf<S> = S extends { summarize(...args: never[]): infer J } ? J : never;

/** Every registered statistic as the engine sees it (rows and JSON untyped). */
export const ENGINE_STATISTICS: readonly PerDateStatistic<StatisticName, unknown, unknown>[] =
  STATISTICS as unknown as readonly PerDateStatistic<StatisticName, unknown, unknown>[];

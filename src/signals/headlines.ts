/**
 * The headline numbers of an analysis, from the registry: the CLI's summary table (each registered
 * statistic's `headline` rows) and the named numbers per horizon the zoo ranks factors by (each
 * statistic's `headlineValues`). Neither names a statistic: adding one to the registry adds its rows.
 * Both read the plain {@link FactorAnalysis} (its JSON parsed back works too).
 */
import type { AnalysisHeadline, FactorAnalysis } from './analysisTypes.js';
import { ENGINE_STATISTICS } from './registry.js';
import type { HeadlineCell } from './statistic.js';

export type { AnalysisHeadline } from './analysisTypes.js';

/** A row of the CLI summary table: its label and one cell per horizon (from the registered statistics' `headline`). */
export interface HeadlineTableRow {
  label: string;
  cells: HeadlineCell[];
}

/** The section of the statistic `name` at horizon `h` (undefined when it did not run there). */
function sectionOf(a: FactorAnalysis, name: string, h: number): unknown {
  return (a as unknown as Record<string, Record<string, unknown> | undefined>)[name]?.[String(h)];
}

/** The CLI summary table of an analysis: every registered statistic's headline rows, in registry order. */
export function headlineTable(a: FactorAnalysis): HeadlineTableRow[] {
  return ENGINE_STATISTICS.flatMap((s) =>
    (s.headline ?? []).map((row) => ({
      label: typeof row.label === 'function' ? row.label(a) : row.label,
      cells: a.horizons.map((h) => row.cell(sectionOf(a, s.name, h), a, h)),
    })),
  );
}

/** The {@link AnalysisHeadline} of every horizon: each registered statistic's `headlineValues`, merged in registry order. */
export function analysisHeadlines(a: FactorAnalysis): AnalysisHeadline[] {
  return a.horizons.map((h) => {
    const out: Partial<AnalysisHeadline> = { horizon: h };
    for (const s of ENGINE_STATISTICS) if (s.headlineValues) Object.assign(out, s.headlineValues(sectionOf(a, s.name, h), a, h));
    return out as AnalysisHeadline;
  });
}

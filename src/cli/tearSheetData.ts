/**
 * The tear sheet's numbers that `analyzeFactor` does not produce, computed beside it when a report
 * is asked for (`analyze --report`, `--svg` or `--report-data`) and written under the result's
 * `tearSheet` key (every other key unchanged): per horizon the mean return by quantile within each
 * group and the group-demeaned quantile means (signals/quantileByGroup.ts, with groups), and the
 * event view (signals/eventReturns.ts, demeaned as alphalens' default long-short view) from 5
 * price rows before to max(15, longest horizon) rows after the formation date, at most 63.
 * Labels are those of the analysis: the same binning, by group if asked, masked per horizon in the
 * pairwise universe. Everything is read from the analysis's results object (its prepared factor
 * data and labels, signals `FactorAnalysisResults`): the factor data is not prepared a second time.
 */
import type { Panel } from '../core/panel.js';
import type { FactorAnalysisResults } from '../signals/analysisResults.js';
import { eventReturns } from '../signals/eventReturns.js';
import { quantileByGroup } from '../signals/quantileByGroup.js';
import type { TearSheetExtras } from '../report/tearSheet.js';

const nullable = (v: number): number | null => (Number.isFinite(v) ? v : null);

export const EVENT_BEFORE = 5;

export function eventWindowAfter(horizons: readonly number[]): number {
  return Math.min(63, Math.max(15, ...horizons));
}

/** The tear sheet's extra numbers of an analysis of `prices` (the prices it was run on: the event view reads them). */
export function tearSheetExtras(analysis: FactorAnalysisResults, prices: Panel): TearSheetExtras {
  const data = analysis.data;
  const at = (h: number): ReturnType<FactorAnalysisResults['quantileLabels']> => analysis.quantileLabels(h);
  const first = at(data.horizons[0]);
  const out: TearSheetExtras = {};
  if (data.groups) {
    out.quantileByGroup = {};
    for (const h of data.horizons) {
      const r = quantileByGroup(at(h), data.forward.get(h)!, data.groups);
      out.quantileByGroup[String(h)] = {
        groups: r.groups,
        quantiles: r.quantiles,
        meanOverDates: r.meanOverDates.map((row) => row.map(nullable)),
        stdError: r.stdError.map((row) => row.map(nullable)),
        dates: r.dates,
        groupDemeaned: {
          meanOverDates: r.groupDemeaned.meanOverDates.map(nullable),
          stdError: r.groupDemeaned.stdError.map(nullable),
          dates: r.groupDemeaned.dates,
        },
      };
    }
  }
  const ev = eventReturns(
    { prices, entryRows: data.entryRows, labels: first },
    { before: EVENT_BEFORE, after: eventWindowAfter(data.horizons), demeaned: true },
  );
  out.eventReturns = {
    offsets: ev.offsets,
    quantiles: ev.quantiles,
    demeaned: ev.demeaned,
    mean: ev.mean.map((r) => r.map(nullable)),
    std: ev.std.map((r) => r.map(nullable)),
    n: ev.n,
  };
  return out;
}

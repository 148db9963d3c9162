/**
 * The tear sheet's numbers that `analyzeFactor` does not produce, computed beside it when a report
 * is asked for (`analyze --report`, `--svg` or `--report-data`) and written under the result's
 * `tearSheet` key (every other key unchanged): per horizon the mean return by quantile within each
 * group and the group-demeaned quantile means (signals/quantileByGroup.ts, with groups), and the
 * event view (signals/eventReturns.ts, demeaned as alphalens' default long-short view) from 5
 * price rows before to max(15, longest horizon) rows after the formation date, at most 63.
 * Labels are those of the analysis: the same binning, by group if asked, masked per horizon in the
 * pairwise universe.
 */
import type { Panel } from '../core/panel.js';
import { factorDataInput, type AnalyzeOptions } from '../signals/analyze.js';
import { eventReturns } from '../signals/eventReturns.js';
import { prepareFactorData } from '../signals/factorData.js';
import { quantileByGroup } from '../signals/quantileByGroup.js';
import { quantileLabels } from '../signals/quantiles.js';
import type { TearSheetExtras } from '../report/tearSheet.js';

const nullable = (v: number): number | null => (Number.isFinite(v) ? v : null);

export const EVENT_BEFORE = 5;

export function eventWindowAfter(horizons: readonly number[]): number {
  return Math.min(63, Math.max(15, ...horizons));
}

export function tearSheetExtras(input: { factor: Panel; prices: Panel }, options: AnalyzeOptions): TearSheetExtras {
  const data = prepareFactorData(factorDataInput(input, options));
  const labelsOf = (h: number): ReturnType<typeof quantileLabels> => quantileLabels(data.factor, {
    binning: options.quantiles, byGroup: options.byGroup, groups: data.groups, mask: data.universe === 'pairwise' ? data.forward.get(h) : undefined,
  });
  const labels = new Map(data.horizons.map((h, k) => [h, data.universe === 'pairwise' || k === 0 ? labelsOf(h) : undefined]));
  const first = labels.get(data.horizons[0])!;
  const at = (h: number): ReturnType<typeof quantileLabels> => labels.get(h) ?? first;
  const out: TearSheetExtras = {};
  if (data.groups) {
    out.quantileByGroup = {};
    for (const h of data.horizons) {
      const r = quantileByGroup(at(h), data.forward.get(h)!, data.groups);
      out.quantileByGroup[String(h)] = {
        groups: r.groups, quantiles: r.quantiles,
        meanOverDates: r.meanOverDates.map((row) => row.map(nullable)), stdError: r.stdError.map((row) => row.map(nullable)), dates: r.dates,
        groupDemeaned: { meanOverDates: r.groupDemeaned.meanOverDates.map(nullable), stdError: r.groupDemeaned.stdError.map(nullable), dates: r.groupDemeaned.dates },
      };
    }
  }
  const ev = eventReturns({ prices: input.prices, entryRows: data.entryRows, labels: first }, { before: EVENT_BEFORE, after: eventWindowAfter(data.horizons), demeaned: true });
  out.eventReturns = { offsets: ev.offsets, quantiles: ev.quantiles, demeaned: ev.demeaned, mean: ev.mean.map((r) => r.map(nullable)), std: ev.std.map((r) => r.map(nullable)), n: ev.n };
  return out;
}

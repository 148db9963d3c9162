/**
 * IC and rank IC per formation date (the `ic[h]` section). Definition (ic.ts has the details):
 *
 *   IC_t      = Pearson(f_t, fwd_h(t)) over the n_t complete pairs (both non-NaN)  (scipy pearsonr)
 *   rank IC_t = Pearson of the average ranks of those pairs                         (scipy spearmanr)
 *
 * NaN below `minAssets` pairs or with a constant side; `n[t]` counts the pairs either way. The
 * summary over dates is summary.ts `summarizeSeries` (mean, IR, t, Newey-West t with lags = the
 * step, ...). Fast route: the engine's shared pair pass (one gather and two moment passes per date,
 * the factor's row ranks shared with the labels; pairMoments.ts, ic.ts `icOfPairs`), and with
 * forward returns presorted once for many factors (forwardOrder.ts) the returns' ranks by a walk.
 */
import { calendarToIso } from '../../core/calendar.js';
import { icOfPairs, icSkipCounts, informationCoefficientRows, type IcAnalysis } from '../ic.js';
import { defineStatistic } from '../statistic.js';
import { summarizeSeriesOf, type SeriesSummaryOptions } from '../summary.js';
import { completePairs, pearsonPlain, spearmanPlain } from './reference.js';
import type { StatisticSetup, SummaryContext } from '../statistic.js';
import { DEFAULT_IC_THRESHOLD } from '../summary.js';

export interface IcRows {
  pearson: Float64Array;
  spearman: Float64Array;
  n: Int32Array;
}

/** The options of the summaries over dates of a horizon (IC, IC by group, IC decay). */
export function seriesOptions(s: StatisticSetup): SeriesSummaryOptions {
  return { horizon: s.step, periodsPerYear: s.data.periodsPerYear, threshold: s.options.icThreshold ?? DEFAULT_IC_THRESHOLD };
}

/** The IC of the pairs of factor row t with return row u (u = t + lag), by the definition. */
export function icReferenceRow(s: StatisticSetup, t: number, u: number): { pearson: number; spearman: number; n: number } {
  const { x, y } = completePairs(s.data.factor, s.data.forward.get(s.horizon)!, t, u);
  if (x.length < s.data.minAssets) return { pearson: NaN, spearman: NaN, n: x.length };
  return { pearson: pearsonPlain(x, y), spearman: spearmanPlain(x, y), n: x.length };
}

export const ic = defineStatistic({
  name: 'ic',
  title: 'IC and rank IC per date, and their summaries',
  optionKeys: [],
  alwaysInResult: true,
  alloc: (_s, a): IcRows => ({ pearson: a.f64(), spearman: a.f64(), n: a.i32() }),
  check: (ctx, rows) =>
    informationCoefficientRows(ctx.data.factor, ctx.forward, { minAssets: ctx.data.minAssets, factorRanks: ctx.factorRanks }, rows, 0, 0),
  pairs: (ctx, rows) => {
    const minAssets = ctx.data.minAssets;
    return (p, t) => {
      icOfPairs(p.scratch, p.moments, p.ranked, minAssets, rows.pearson, rows.spearman, rows.n, t, p.returnsRanked);
    };
  },
  reference: (s): IcRows => {
    const out: IcRows = { pearson: new Float64Array(s.nDates), spearman: new Float64Array(s.nDates), n: new Int32Array(s.nDates) };
    for (let t = 0; t < s.nDates; t++) {
      const r = icReferenceRow(s, t, t);
      out.pearson[t] = r.pearson;
      out.spearman[t] = r.spearman;
      out.n[t] = r.n;
    }
    return out;
  },
  summarize: (ctx: SummaryContext, rows: IcRows): IcAnalysis => {
    const o = seriesOptions(ctx);
    const pearson = Array.from(rows.pearson),
      spearman = Array.from(rows.spearman);
    const [skipped, skippedTooFew] = icSkipCounts(pearson, spearman, rows.n, ctx.data.minAssets);
    return {
      dates: calendarToIso(ctx.data.dates),
      pearson,
      spearman,
      n: Array.from(rows.n),
      minAssets: ctx.data.minAssets,
      skipped,
      skippedTooFew,
      horizon: ctx.step,
      summary: { pearson: summarizeSeriesOf(pearson, o), spearman: summarizeSeriesOf(spearman, o) },
    };
  },
  headline: [
    { label: 'IC mean', cell: (j) => ({ kind: 'number', value: j?.summary.pearson.mean ?? NaN }) },
    {
      label: 'IC IR (annualised)',
      cell: (j) => ({ kind: 'pair', value: j?.summary.pearson.ir ?? NaN, second: j?.summary.pearson.irAnnualized ?? NaN }),
    },
    { label: 'IC > 0', cell: (j) => ({ kind: 'share', value: j?.summary.pearson.sharePositive ?? NaN }) },
    { label: (a) => `|IC| > ${a.icThreshold}`, cell: (j) => ({ kind: 'share', value: j?.summary.pearson.shareAboveThreshold ?? NaN }) },
    {
      label: 'IC t (Newey-West t)',
      cell: (j) => ({ kind: 'pair', value: j?.summary.pearson.tStat ?? NaN, second: j?.summary.pearson.tStatNW ?? NaN }),
    },
    { label: 'rank IC mean', cell: (j) => ({ kind: 'number', value: j?.summary.spearman.mean ?? NaN }) },
    { label: 'rank IC IR', cell: (j) => ({ kind: 'number', value: j?.summary.spearman.ir ?? NaN }) },
    { label: 'rank IC > 0', cell: (j) => ({ kind: 'share', value: j?.summary.spearman.sharePositive ?? NaN }) },
    {
      label: 'rank IC t (NW t)',
      cell: (j) => ({ kind: 'pair', value: j?.summary.spearman.tStat ?? NaN, second: j?.summary.spearman.tStatNW ?? NaN }),
    },
  ],
  headlineValues: (j) => (j ? { ic: j.summary.pearson, rankIc: j.summary.spearman } : {}),
});

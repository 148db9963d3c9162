/**
 * Turnover and the factor's rank autocorrelation at the rebalance step L (the `turnover[h]`
 * section, when there are more formation dates than L), alphalens conventions (turnover.ts):
 *
 *   turnover_q(t) = #{names in q at t, not in q at t − L} / #{names in q at t}
 *                   (NaN for t < L or when q is empty at t or at t − L)
 *   autocorr(t)   = Pearson(rank_t, rank_{t−L}) over the assets ranked on both dates, each date
 *                   ranked over its whole cross-section (average ranks)
 *
 * and their means over dates. Fast routes: turnover.ts `quantileTurnoverRows` (a table of label
 * pairs per row) on the shared labels, `rankAutocorrelationRows` (exact one-pass rank sums) on the
 * shared row ranks; both read the `L` rows before a range, which the engine labels and ranks.
 */
import { nanMean } from '../../stats/descriptive.js';
import type { TurnoverJson } from '../analysisTypes.js';
import { quantileTurnoverRows, rankAutocorrelationRows } from '../turnover.js';
import { defineStatistic } from '../statistic.js';
import { referenceLabels } from './quantiles.js';
import { averageRanksPlain, pearsonPlain } from './reference.js';

export interface TurnoverRows {
  perDate: Float64Array[];
  rankAutocorrelation: Float64Array;
}

const byQuantile = <T>(values: readonly T[]): Record<string, T> => Object.fromEntries(values.map((v, k) => [String(k + 1), v]));

export const turnover = defineStatistic({
  name: 'turnover',
  title: 'share of new names per quantile and the factor rank autocorrelation at the rebalance step',
  optionKeys: [],
  alwaysInResult: true,
  needsLabels: true,
  applies: (s) => s.nDates > s.step,
  alloc: (s, a): TurnoverRows => ({ perDate: Array.from({ length: s.quantiles }, a.f64), rankAutocorrelation: a.f64() }),
  rows: (ctx, rows, t0, t1) => {
    quantileTurnoverRows(ctx.labels, ctx.step, rows.perDate, t0, t1);
    rankAutocorrelationRows(ctx.factorRanks, ctx.data.assets.length, ctx.step, rows.rankAutocorrelation, t0, t1);
  },
  reference: (s): TurnoverRows => {
    const { labels } = referenceLabels(s);
    const L = s.step,
      Q = s.quantiles,
      nd = s.nDates,
      m = s.data.assets.length,
      f = s.data.factor.values;
    const out: TurnoverRows = {
      perDate: Array.from({ length: Q }, () => new Float64Array(nd).fill(NaN)),
      rankAutocorrelation: new Float64Array(nd).fill(NaN),
    };
    const ranks = (t: number): number[] => averageRanksPlain(Array.from(f.subarray(t * m, (t + 1) * m)));
    for (let t = L; t < nd; t++) {
      for (let k = 1; k <= Q; k++) {
        let now = 0,
          before = 0,
          stayed = 0;
        for (let j = 0; j < m; j++) {
          const a = labels[t * m + j] === k,
            b = labels[(t - L) * m + j] === k;
          if (a) now++;
          if (b) before++;
          if (a && b) stayed++;
        }
        if (now > 0 && before > 0) out.perDate[k - 1][t] = (now - stayed) / now;
      }
      const x = ranks(t),
        y = ranks(t - L),
        both = x.map((_, j) => j).filter((j) => !Number.isNaN(x[j]) && !Number.isNaN(y[j]));
      out.rankAutocorrelation[t] = pearsonPlain(
        both.map((j) => x[j]),
        both.map((j) => y[j]),
      );
    }
    return out;
  },
  summarize: (ctx, rows: TurnoverRows): TurnoverJson => {
    const ac = rows.rankAutocorrelation;
    return {
      lag: ctx.step,
      dates: ctx.isoDates,
      perDate: byQuantile(rows.perDate.map((s) => Array.from(s))),
      meanByQuantile: byQuantile(Array.from(Float64Array.from(rows.perDate, (s) => nanMean(s)))),
      rankAutocorrelation: { perDate: Array.from(ac), mean: nanMean(ac) },
    };
  },
  headline: [
    {
      label: 'turnover top / bottom',
      cell: (j, a, h) => ({
        kind: 'shares',
        value: j ? j.meanByQuantile[String(a.quantiles[String(h)].quantiles)] : NaN,
        second: j ? j.meanByQuantile['1'] : NaN,
      }),
    },
    { label: 'rank autocorrelation', cell: (j) => ({ kind: 'number', value: j ? j.rankAutocorrelation.mean : NaN }) },
  ],
  headlineValues: (j, a, h) => ({
    turnoverTop: j ? j.meanByQuantile[String(a.quantiles[String(h)].quantiles)] : NaN,
    turnoverBottom: j ? j.meanByQuantile['1'] : NaN,
    rankAutocorrelation: j ? j.rankAutocorrelation.mean : NaN,
  }),
});

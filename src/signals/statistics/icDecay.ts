/**
 * IC decay (the `icDecay[h]` section, only with `decayLags`): for each lag L (formation rows), the
 * per-date IC and rank IC of the factor on date t with the forward return formed L rows later,
 * fwd_h(t + L) (see statistics/ic.ts; NaN when t + L is past the last formation date), summarised
 * over dates (summary.ts). L = 0 is the plain IC. Fast route: ic.ts `icDecayRows` (the factor's
 * shared row ranks serve every lag).
 */
import { icDecayRows, summarizeIcDecay, type IcDecayPoint } from '../ic.js';
import { defineStatistic } from '../statistic.js';
import { icReferenceRow, seriesOptions } from './ic.js';

export interface IcDecayRows {
  pearson: Float64Array[];
  spearman: Float64Array[];
}

export const icDecay = defineStatistic({
  name: 'icDecay',
  title: 'IC and rank IC against the forward return formed L rows later, per lag',
  optionKeys: ['decayLags'],
  alwaysInResult: false,
  applies: (s) => s.options.decayLags !== undefined,
  alloc: (s, a): IcDecayRows => {
    const L = s.options.decayLags?.length ?? 0;
    return { pearson: Array.from({ length: L }, a.f64), spearman: Array.from({ length: L }, a.f64) };
  },
  rows: (ctx, rows, t0, t1) =>
    icDecayRows(
      ctx.data.factor,
      ctx.forward,
      { minAssets: ctx.data.minAssets, decayLags: ctx.options.decayLags!, factorRanks: ctx.factorRanks },
      rows,
      t0,
      t1,
    ),
  reference: (s): IcDecayRows => {
    const lags = s.options.decayLags ?? [];
    const out: IcDecayRows = { pearson: lags.map(() => new Float64Array(s.nDates)), spearman: lags.map(() => new Float64Array(s.nDates)) };
    lags.forEach((lag, i) => {
      for (let t = 0; t < s.nDates; t++) {
        const r = icReferenceRow(s, t, t + lag);
        out.pearson[i][t] = r.pearson;
        out.spearman[i][t] = r.spearman;
      }
    });
    return out;
  },
  summarize: (ctx, rows: IcDecayRows): IcDecayPoint[] =>
    summarizeIcDecay(
      ctx.options.decayLags!,
      rows.pearson.map((a) => Array.from(a)),
      rows.spearman.map((a) => Array.from(a)),
      seriesOptions(ctx),
    ),
});

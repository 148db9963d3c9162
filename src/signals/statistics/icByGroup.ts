/**
 * IC within each group per date (the `icByGroup[h]` section, only with groups): for group g and
 * date t, the IC and rank IC (see statistics/ic.ts) over the complete pairs whose asset is in g on
 * t; NaN below `minAssets` pairs. Summarised per group over dates (summary.ts). Fast route: ic.ts
 * `icByGroupRows` (a counting sort of the pairs by group per date, then each group's run).
 */
import { icByGroupFromRows, icByGroupRows, type IcByGroup } from '../ic.js';
import { defineStatistic } from '../statistic.js';
import { seriesOptions } from './ic.js';
import { completePairs, pearsonPlain, spearmanPlain } from './reference.js';

export interface IcByGroupRows {
  pearson: Float64Array[];
  spearman: Float64Array[];
  n: Int32Array[];
}

export const icByGroup = defineStatistic({
  name: 'icByGroup',
  title: 'IC and rank IC within each group per date, summarised per group',
  optionKeys: [],
  alwaysInResult: false,
  applies: (s) => s.data.groups !== undefined,
  alloc: (s, a): IcByGroupRows => {
    const G = s.data.groups?.names.length ?? 0;
    return { pearson: Array.from({ length: G }, a.f64), spearman: Array.from({ length: G }, a.f64), n: Array.from({ length: G }, a.i32) };
  },
  rows: (ctx, rows, t0, t1) =>
    icByGroupRows(ctx.data.factor, ctx.forward, ctx.data.groups!, { minAssets: ctx.data.minAssets }, rows, t0, t1),
  reference: (s): IcByGroupRows => {
    const groups = s.data.groups!,
      G = groups.names.length,
      m = s.data.assets.length;
    const out: IcByGroupRows = {
      pearson: Array.from({ length: G }, () => new Float64Array(s.nDates).fill(NaN)),
      spearman: Array.from({ length: G }, () => new Float64Array(s.nDates).fill(NaN)),
      n: Array.from({ length: G }, () => new Int32Array(s.nDates)),
    };
    for (let t = 0; t < s.nDates; t++) {
      const { x, y, j } = completePairs(s.data.factor, s.data.forward.get(s.horizon)!, t);
      for (let g = 0; g < G; g++) {
        const inG = j
          .map((k, i) => [k, i] as const)
          .filter(([k]) => groups.codes[t * m + k] === g)
          .map(([, i]) => i);
        const gx = inG.map((i) => x[i]),
          gy = inG.map((i) => y[i]);
        out.n[g][t] = inG.length;
        if (inG.length >= s.data.minAssets) {
          out.pearson[g][t] = pearsonPlain(gx, gy);
          out.spearman[g][t] = spearmanPlain(gx, gy);
        }
      }
    }
    return out;
  },
  summarize: (ctx, rows: IcByGroupRows): IcByGroup =>
    icByGroupFromRows(ctx.data.dates, ctx.data.groups!.names, rows.pearson, rows.spearman, rows.n, seriesOptions(ctx)),
});

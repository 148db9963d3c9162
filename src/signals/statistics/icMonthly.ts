/**
 * Month-by-year tables of the mean IC and rank IC (the `icMonthly[h]` section): for each calendar
 * year y and month mo, the mean over the formation dates of that month of the per-date IC (NaN
 * skipped; NaN when none), and their count (ic.ts `icMonthlyTable`). No per-date arrays of its
 * own: it reads the IC statistic's.
 */
import { icMonthlyTable, type IcMonthlyTable } from '../ic.js';
import { defineStatistic } from '../statistic.js';
import type { IcRows } from './ic.js';

export const icMonthly = defineStatistic({
  name: 'icMonthly',
  title: 'month-by-year tables of the mean IC and rank IC',
  optionKeys: [],
  alwaysInResult: true,
  alloc: (): null => null,
  reference: (): null => null,
  summarize: (ctx, _rows: null): { pearson: IcMonthlyTable; spearman: IcMonthlyTable } => {
    const ic = ctx.all.ic as IcRows;
    return {
      pearson: icMonthlyTable(ctx.data.dates, Array.from(ic.pearson)),
      spearman: icMonthlyTable(ctx.data.dates, Array.from(ic.spearman)),
    };
  },
});

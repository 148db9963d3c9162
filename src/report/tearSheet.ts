/**
 * The factor tear sheet as a {@link ReportDocument}: every section of the second seed's tests and
 * of alphalens' full and event tear sheets, from the JSON of `factorlab analyze` (signals/analyze.ts)
 * and its optional `tearSheet` extras (quantile × group means, group-demeaned returns, the event
 * view: signals/quantileByGroup.ts, signals/eventReturns.ts). The per-horizon sections (quantile
 * portfolios, IC, regression, turnover, groups) are drawn for every horizon, one at a time behind a
 * horizon selector. A section whose numbers are not in the result says so and how to get them.
 */
import type { FactorAnalysis } from '../signals/analyze.js';
import type { Block, ChartBlock, Columns, HeadlineNumber, ReportDocument, Section, TableBlock, VegaLiteSpec } from './document.js';
import { barChart, DATE_X, dateTooltip, hoverLayer, lineChart, referenceLayer, seriesColumns } from './specs.js';
import { compoundedNav, cumulativeSum, movingAverage, normalQq } from './series.js';
import { formatCount, formatNumberOrNa, formatNumberText, formatPct, formatShare } from './format.js';

/** The JSON of signals/quantileByGroup.ts per horizon, and of signals/eventReturns.ts. */
export interface TearSheetExtras {
  quantileByGroup?: Record<
    string,
    {
      groups: string[];
      quantiles: number;
      meanOverDates: (number | null)[][];
      stdError: (number | null)[][];
      dates: number[][];
      groupDemeaned: { meanOverDates: (number | null)[]; stdError: (number | null)[]; dates: number[] };
    }
  >;
  eventReturns?: {
    offsets: number[];
    quantiles: number;
    demeaned: boolean;
    mean: (number | null)[][];
    std: (number | null)[][];
    n: number[][];
  };
}

export type TearSheetSource = FactorAnalysis & {
  inputs?: {
    factor: { file: string; layout: string; nDates: number; nAssets: number };
    prices: { file: string; layout: string; nDates: number; nAssets: number; badTicks: number; cleaned: number };
    groups?: { file: string; groups: string[] };
  };
  notes?: string[];
  tearSheet?: TearSheetExtras;
  resultFile?: string;
  generator?: string;
};

const n = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);

/** An invisible rule per date that shows on hover, with the date's values in its tooltip. */
function hoverRule(fields: [string, string, string][]): Record<string, unknown> {
  return hoverLayer({
    mark: { type: 'rule', color: '#888' },
    params: [{ name: 'hover', select: { type: 'point', encodings: ['x'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
    encoding: {
      x: DATE_X,
      opacity: { condition: { param: 'hover', empty: false, value: 0.7 }, value: 0 },
      tooltip: [dateTooltip(), ...fields.map(([field, title, format]) => ({ field, type: 'quantitative', title, format }))],
    },
  });
}
const nums = (a: readonly (number | null)[]): number[] => a.map(n);

function chart(
  id: string,
  title: string,
  spec: VegaLiteSpec,
  data: Columns,
  width: 'full' | 'half',
  caption?: string,
  empty?: string,
): ChartBlock {
  return {
    kind: 'chart',
    id,
    title,
    spec,
    data,
    width,
    ...(caption !== undefined ? { caption } : {}),
    ...(empty !== undefined ? { empty } : {}),
  };
}
const emptyChart = (id: string, title: string, why: string, width: 'full' | 'half' = 'full'): ChartBlock =>
  chart(id, title, {}, {}, width, undefined, why);

/** Quantile colours: red (lowest) to blue (highest). */
function quantileColors(Q: number): string[] {
  const lo = [214, 39, 40],
    mid = [190, 190, 190],
    hi = [31, 95, 168];
  return Array.from({ length: Q }, (_, i) => {
    const u = Q === 1 ? 1 : i / (Q - 1);
    const [a, b, w] = u < 0.5 ? [lo, mid, u * 2] : [mid, hi, (u - 0.5) * 2];
    return `rgb(${a.map((c, k) => Math.round(c + (b[k] - c) * w)).join(',')})`;
  });
}
const qName = (q: number, Q: number): string => (q === 1 ? 'Q1 (lowest)' : q === Q ? `Q${Q} (highest)` : `Q${q}`);

/** A t-value or IR in a caption or headline: n/a when undefined (a series without spread: summary.ts `meanTest`), never an empty gap. */
function numOrNa(v: number | null, digits: number): string {
  const x = n(v);
  return Number.isFinite(x) ? formatNumberText(x, digits) : 'n/a';
}

function horizonLabel(r: TearSheetSource, h: number): string {
  const step = r.steps[String(h)] ?? h;
  return `${h}-row` + (step !== h ? ` (${step} formation period${step === 1 ? '' : 's'})` : '');
}

/** Rows of a "moving average" window: about a month of formation dates. */
function maWindow(r: TearSheetSource): number {
  return Math.max(3, Math.round(r.periodsPerYear / 12));
}

function summarySection(r: TearSheetSource): Section {
  const cols = r.horizons.map(String);
  const rows: [string, string, (h: string) => number | null, 'num' | 'pct' | 'bp'][] = [
    ['IC mean', 'mean of the per-date Pearson correlation of factor and forward return', (h) => r.ic[h].summary.pearson.mean, 'num'],
    ['IC t (Newey-West)', '', (h) => r.ic[h].summary.pearson.tStatNW, 'num'],
    ['rank IC mean', 'Spearman', (h) => r.ic[h].summary.spearman.mean, 'num'],
    ['rank IC IR', 'mean / std', (h) => r.ic[h].summary.spearman.ir, 'num'],
    ['rank IC IR, annualised', '', (h) => r.ic[h].summary.spearman.irAnnualized, 'num'],
    ['rank IC > 0', 'share of dates', (h) => r.ic[h].summary.spearman.sharePositive, 'pct'],
    ['rank IC t (Newey-West)', '', (h) => r.ic[h].summary.spearman.tStatNW, 'num'],
    [`top − bottom quantile`, 'mean spread per formation date, over the horizon', (h) => r.quantiles[h].spread.mean, 'bp'],
    ['spread t (Newey-West)', '', (h) => r.quantiles[h].spread.tStatNW, 'num'],
    ['monotonicity', 'Spearman of quantile number and mean return', (h) => r.quantiles[h].monotonicity, 'num'],
    ['factor return mean', 'cross-sectional regression slope', (h) => r.regression[h].summary.meanFactorReturn, 'num'],
    ['factor return t (Newey-West)', '', (h) => r.regression[h].summary.tStatNW, 'num'],
    ['mean |t|', 'of the per-date regression t-values', (h) => r.regression[h].summary.meanAbsT, 'num'],
    ['share |t| > 2', '', (h) => r.regression[h].summary.shareAbsTAbove2, 'pct'],
    [
      'turnover, top quantile',
      'mean share of new names',
      (h) => r.turnover[h]?.meanByQuantile[String(r.quantiles[h].quantiles)] ?? NaN,
      'pct',
    ],
    ['rank autocorrelation', 'of the factor, at the rebalance lag', (h) => r.turnover[h]?.rankAutocorrelation.mean ?? NaN, 'num'],
  ];
  const data: Columns = { statistic: rows.map((x) => x[0]), meaning: rows.map((x) => x[1]) };
  const fmt = (v: number | null, f: 'num' | 'pct' | 'bp'): string => {
    const x = n(v);
    if (!Number.isFinite(x)) return 'n/a';
    return f === 'pct' ? formatPct(x, 1) : f === 'bp' ? `${(x * 1e4).toFixed(1)} bp` : formatNumberText(x, 3);
  };
  for (const h of cols) data[`h${h}`] = rows.map((x) => fmt(x[2](h), x[3]));
  const table: TableBlock = {
    kind: 'table',
    id: 'summary-table',
    title: 'Every statistic by horizon',
    caption: `Horizons in rows of the price calendar; Newey-West lags = the horizon in formation rows; ${r.periodsPerYear} periods a year.`,
    columns: [
      { key: 'statistic', label: '', format: 'text' },
      ...cols.map((h) => ({ key: `h${h}`, label: `h = ${h}`, format: 'text' as const })),
      { key: 'meaning', label: '', format: 'text' },
    ],
    data,
  };
  return { id: 'summary', title: 'Summary', blocks: [table] };
}

function quantileReturnsSection(r: TearSheetSource): Section {
  const data: Columns = { quantile: [], horizon: [], mean: [], se: [] };
  const demeaned: Columns = { quantile: [], horizon: [], mean: [], se: [] };
  for (const h of r.horizons) {
    const q = r.quantiles[String(h)];
    for (let k = 1; k <= q.quantiles; k++) {
      data.quantile.push(`Q${k}`);
      data.horizon.push(`h = ${h}`);
      data.mean.push(n(q.meanOverDates[String(k)]) * 1e4);
      data.se.push(n(q.stdError[String(k)]) * 1e4);
      demeaned.quantile.push(`Q${k}`);
      demeaned.horizon.push(`h = ${h}`);
      demeaned.mean.push(n(q.demeaned.meanOverDates[String(k)]) * 1e4);
      demeaned.se.push(n(q.demeaned.stdError[String(k)]) * 1e4);
    }
  }
  const spec = (d: string): VegaLiteSpec =>
    barChart({
      category: 'quantile',
      categoryTitle: 'factor quantile (1 = lowest)',
      value: 'mean',
      valueTitle: `mean forward return${d}, bp`,
      valueFormat: ',.1f',
      series: 'horizon',
      seriesTitle: 'horizon',
      error: 'se',
      height: 200,
      colors: ['#1f5fa8', '#6b9bd1', '#b8cfe8', '#7f7f7f'],
    });
  const blocks: Block[] = [
    chart(
      'quantile-returns',
      'Mean return by quantile',
      spec(''),
      data,
      'half',
      "Mean over formation dates of each quantile's equal-weighted forward return; whiskers ±2 standard errors.",
    ),
    chart(
      'quantile-returns-demeaned',
      'Mean return by quantile, minus the universe mean',
      spec(' − universe mean'),
      demeaned,
      'half',
      "The same after subtracting each date's mean over every labelled asset: what the factor adds over holding everything.",
    ),
  ];
  return {
    id: 'quantiles',
    title: 'Returns by quantile',
    intro:
      'Does a higher factor value go with a higher return? A rising staircase from Q1 to the top quantile is what a good factor shows.',
    blocks,
  };
}

function groupSection(r: TearSheetSource, hNum: number): Section | null {
  const h = String(hNum);
  const qg = r.tearSheet?.quantileByGroup?.[h];
  const byGroup = r.icByGroup?.[h];
  if (!qg && !byGroup) {
    return {
      id: 'groups',
      title: 'By group',
      blocks: [
        emptyChart(
          'groups',
          'Returns and IC by group',
          r.inputs?.groups
            ? 'Not in this result: the quantile × group means come with `analyze --report` or `--report-data`.'
            : 'No groups were given: run `factorlab analyze --groups sectors.csv` for returns and ICs within each sector.',
        ),
      ],
    };
  }
  const blocks: Block[] = [];
  if (qg) {
    const data: Columns = { group: [], quantile: [], mean: [], dates: [] };
    qg.groups.forEach((g, gi) => {
      for (let q = 1; q <= qg.quantiles; q++) {
        data.group.push(g);
        data.quantile.push(qName(q, qg.quantiles));
        data.mean.push(n(qg.meanOverDates[gi][q - 1]) * 1e4);
        data.dates.push(qg.dates[gi][q - 1]);
      }
    });
    const Q = qg.quantiles;
    const spec = {
      height: { step: 7 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'group', type: 'nominal', title: null, axis: { labelLimit: 200 } },
        yOffset: { field: 'quantile', type: 'nominal', sort: Array.from({ length: Q }, (_, i) => qName(i + 1, Q)) },
        x: { field: 'mean', type: 'quantitative', title: `mean ${horizonLabel(r, hNum)} forward return, bp`, axis: { format: ',.0f' } },
        color: {
          field: 'quantile',
          type: 'nominal',
          title: 'quantile',
          sort: Array.from({ length: Q }, (_, i) => qName(i + 1, Q)),
          scale: { range: quantileColors(Q) },
        },
        tooltip: [
          { field: 'group' },
          { field: 'quantile' },
          { field: 'mean', type: 'quantitative', title: 'mean return, bp', format: ',.1f' },
          { field: 'dates', type: 'quantitative', title: 'dates' },
        ],
      },
    };
    blocks.push(
      chart(
        'quantile-by-group',
        `Mean return by quantile within each group (h = ${h})`,
        spec,
        data,
        'full',
        "Quantiles are formed over the whole universe; each bar is the mean over dates of the quantile's members in that group.",
      ),
    );
    const gd: Columns = { quantile: [], mean: [], se: [] };
    for (let q = 1; q <= Q; q++) {
      gd.quantile.push(`Q${q}`);
      gd.mean.push(n(qg.groupDemeaned.meanOverDates[q - 1]) * 1e4);
      gd.se.push(n(qg.groupDemeaned.stdError[q - 1]) * 1e4);
    }
    blocks.push(
      chart(
        'group-demeaned',
        `Group-demeaned return by quantile (h = ${h})`,
        barChart({
          category: 'quantile',
          categoryTitle: 'factor quantile',
          value: 'mean',
          valueTitle: 'mean return − group mean, bp',
          valueFormat: ',.1f',
          error: 'se',
          height: 180,
          signColor: true,
        }),
        gd,
        'half',
        "Each return minus its group's mean on the date: the part of the quantile spread that is not a sector bet.",
      ),
    );
  }
  if (byGroup) {
    const data: Columns = { group: [], ic: [], t: [], dates: [] };
    const noIc: string[] = [];
    for (const s of byGroup.summary) {
      data.group.push(s.group);
      data.ic.push(n(s.spearman.mean));
      data.t.push(n(s.spearman.tStatNW));
      data.dates.push(s.spearman.n);
      if (!Number.isFinite(n(s.spearman.mean))) noIc.push(s.group);
    }
    // a group without an IC has no bar and no row on the axis: the caption names them
    const noIcText =
      noIc.length === 0
        ? ''
        : ` No IC for ${noIc.length} of ${byGroup.summary.length} groups (too few names on every date to rank): ${noIc.length > 12 ? `${noIc.slice(0, 12).join(', ')} and ${noIc.length - 12} more` : noIc.join(', ')}.`;
    blocks.push(
      chart(
        'ic-by-group',
        `Mean rank IC within each group (h = ${h})`,
        barChart({
          category: 'group',
          categoryTitle: null,
          value: 'ic',
          valueTitle: 'mean rank IC',
          valueFormat: '.3f',
          horizontal: true,
          signColor: true,
          extraTooltip: [
            { field: 't', title: 'Newey-West t', format: '.2f' },
            { field: 'dates', title: 'dates', format: ',d' },
          ],
        }),
        data,
        'half',
        `The factor ranked within each group only.${noIcText}`,
      ),
    );
  }
  return { id: 'groups', title: 'By group', blocks };
}

function navSection(r: TearSheetSource, h: number): Section {
  const key = String(h),
    q = r.quantiles[key];
  const Q = q.quantiles;
  const series = Array.from({ length: Q }, (_, i) => ({ name: qName(i + 1, Q), values: q.nav.values[String(i + 1)] ?? [] }));
  const s = seriesColumns(q.nav.dates, series);
  const ls = compoundedNav(q.dates, q.spread.perDate, q.nav.step);
  const lsc = seriesColumns(ls.dates, [{ name: 'top − bottom', values: ls.nav }]);
  const spreadBp = nums(q.spread.perDate).map((v) => v * 1e4);
  const w = maWindow(r);
  const ma = movingAverage(spreadBp, w);
  const sp = seriesColumns(q.dates, [
    { name: 'spread', values: spreadBp },
    { name: `${w}-date moving average`, values: ma },
  ]);
  const spreadSpec = {
    height: 200,
    layer: [
      referenceLayer({ type: 'rule', color: '#999' }, { y: { datum: 0 } }),
      {
        transform: [{ filter: 'isValid(datum.s0)' }],
        mark: { type: 'line', strokeWidth: 0.6, color: '#9ecae1' },
        encoding: {
          x: DATE_X,
          y: { field: 's0', type: 'quantitative', title: 'top − bottom forward return, bp', axis: { format: ',.0f' } },
        },
      },
      {
        transform: [{ filter: 'isValid(datum.s1)' }],
        mark: { type: 'line', strokeWidth: 2, color: '#1f5fa8' },
        encoding: { x: DATE_X, y: { field: 's1', type: 'quantitative' } },
      },
      hoverRule([
        ['s0', 'spread, bp', ',.1f'],
        ['s1', 'moving average, bp', ',.1f'],
      ]),
    ],
  };
  const navEmpty = q.nav.dates.length === 0 ? 'No formation date is left: there is no NAV to draw.' : undefined;
  return {
    id: 'performance',
    title: 'Quantile portfolios',
    intro: `Each quantile held as an equal-weighted portfolio and rebalanced every ${q.nav.step} formation date${q.nav.step === 1 ? '' : 's'} (non-overlapping holdings), compounded from 1.`,
    blocks: [
      chart(
        'nav',
        `Growth of 1 in each quantile (h = ${h})`,
        lineChart(s, { yTitle: 'NAV (log scale)', legend: 'quantile', colors: quantileColors(Q), height: 240, logY: true }),
        s.data,
        'full',
        `Annualised: ${Array.from({ length: Q }, (_, i) => `Q${i + 1} ${formatPct(n(q.annualizedReturn[String(i + 1)]), 1)}`).join(', ')}.`,
        navEmpty,
      ),
      chart(
        'long-short',
        'Long the top quantile, short the bottom',
        lineChart(lsc, { yTitle: 'NAV', colors: ['#1f5fa8'], height: 180 }),
        lsc.data,
        'half',
        'Compounded top − bottom spread over the same rebalancing dates (no costs).',
        navEmpty,
      ),
      chart(
        'spread',
        'Top − bottom spread per formation date',
        spreadSpec,
        sp.data,
        'half',
        `Thin line: each date's spread; thick: its ${w}-date trailing mean.`,
        spreadBp.every((v) => !Number.isFinite(v))
          ? 'Every spread is missing: the top or bottom quantile is empty on every date.'
          : undefined,
      ),
    ],
  };
}

function icSection(r: TearSheetSource, h: number): Section {
  const key = String(h),
    ic = r.ic[key];
  const w = maWindow(r);
  const rank = nums(ic.spearman),
    pear = nums(ic.pearson);
  const ts = seriesColumns(ic.dates, [
    { name: 'rank IC', values: rank },
    { name: `${w}-date moving average`, values: movingAverage(rank, w) },
  ]);
  const tsSpec = {
    height: 200,
    layer: [
      referenceLayer({ type: 'rule', color: '#999' }, { y: { datum: 0 } }),
      {
        transform: [{ filter: 'isValid(datum.s0)' }],
        mark: { type: 'bar', color: '#6baed6', width: { band: 1 } },
        encoding: { x: DATE_X, y: { field: 's0', type: 'quantitative', title: 'rank IC', axis: { format: '.2f' } } },
      },
      {
        transform: [{ filter: 'isValid(datum.s1)' }],
        mark: { type: 'line', strokeWidth: 2, color: '#d62728' },
        encoding: { x: DATE_X, y: { field: 's1', type: 'quantitative' } },
      },
      hoverRule([
        ['s0', 'rank IC', '.4f'],
        ['s1', 'moving average', '.4f'],
      ]),
    ],
  };
  const noIc = rank.every((v) => !Number.isFinite(v)) ? 'Every IC is missing: no date had enough assets.' : undefined;
  const hist = {
    height: 180,
    transform: [
      { filter: 'isValid(datum.ic)' },
      { bin: { maxbins: 40 }, field: 'ic', as: ['lo', 'hi'] },
      { aggregate: [{ op: 'count', as: 'dates' }], groupby: ['lo', 'hi', 'kind'] },
    ],
    mark: { type: 'bar', opacity: 0.6 },
    encoding: {
      x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: 'IC', axis: { format: '.2f' } },
      x2: { field: 'hi' },
      y: { field: 'dates', type: 'quantitative', title: 'dates', stack: null },
      color: { field: 'kind', type: 'nominal', title: null, scale: { range: ['#1f5fa8', '#ff7f0e'] } },
      tooltip: [
        { field: 'kind', title: 'series' },
        { field: 'lo', type: 'quantitative', title: 'from', format: '.3f' },
        { field: 'hi', type: 'quantitative', title: 'to', format: '.3f' },
        { field: 'dates', type: 'quantitative' },
      ],
    },
  };
  const histData: Columns = { kind: [...rank.map(() => 'rank IC'), ...pear.map(() => 'IC')], ic: [...rank, ...pear] };
  const qq = normalQq(rank);
  const qqSpec = {
    height: 180,
    layer: [
      {
        mark: { type: 'point', size: 14, color: '#1f5fa8', opacity: 0.7 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'normal quantile' },
          y: { field: 's', type: 'quantitative', title: 'rank IC quantile', axis: { format: '.2f' } },
          tooltip: [
            { field: 't', type: 'quantitative', title: 'normal quantile', format: '.2f' },
            { field: 's', type: 'quantitative', title: 'rank IC', format: '.4f' },
          ],
        },
      },
      {
        transform: [{ regression: 's', on: 't' }],
        mark: { type: 'line', color: '#d62728', strokeDash: [4, 3] },
        encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 's', type: 'quantitative' } },
      },
    ],
  };
  const monthly = r.icMonthly[key]?.spearman;
  const heat: Columns = { year: [], month: [], ic: [], dates: [] };
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  if (monthly) {
    monthly.years.forEach((y, yi) =>
      MONTHS.forEach((m, mi) => {
        const c = monthly.count[yi][mi];
        if (c > 0) {
          heat.year.push(String(y));
          heat.month.push(m);
          heat.ic.push(n(monthly.mean[yi][mi]));
          heat.dates.push(c);
        }
      }),
    );
  }
  const heatSpec = {
    height: { step: 16 },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'month', type: 'ordinal', sort: MONTHS, title: null },
      y: { field: 'year', type: 'ordinal', title: null },
      color: { field: 'ic', type: 'quantitative', title: 'mean rank IC', scale: { scheme: 'redblue', domainMid: 0 } },
      tooltip: [
        { field: 'year' },
        { field: 'month' },
        { field: 'ic', type: 'quantitative', title: 'mean rank IC', format: '.4f' },
        { field: 'dates', type: 'quantitative', title: 'dates' },
      ],
    },
  };
  const blocks: Block[] = [
    chart(
      'ic-series',
      `Rank IC through time (h = ${h})`,
      tsSpec,
      ts.data,
      'full',
      `Spearman correlation of the factor with the ${horizonLabel(r, h)} forward return on each formation date; red: ${w}-date trailing mean. Mean ${formatNumberText(ic.summary.spearman.mean, 4)}, Newey-West t ${numOrNa(ic.summary.spearman.tStatNW, 2)}.`,
      noIc,
    ),
    chart(
      'ic-hist',
      'Distribution of the IC',
      hist,
      histData,
      'half',
      `Rank IC: mean ${formatNumberText(ic.summary.spearman.mean, 4)}, std ${formatNumberText(ic.summary.spearman.std, 4)}, skew ${formatNumberText(ic.summary.spearman.skew, 2)}.`,
      noIc,
    ),
    chart(
      'ic-qq',
      'Rank IC against the normal distribution (Q-Q)',
      qqSpec,
      { t: qq.theoretical, s: qq.sample },
      'half',
      'Points on the dashed line: normal tails. Points above it on the right: more large positive ICs than normal.',
      qq.sample.length < 3 ? 'Fewer than three ICs: no Q-Q plot.' : undefined,
    ),
    chart(
      'ic-heatmap',
      `Mean rank IC by month (h = ${h})`,
      heatSpec,
      heat,
      'half',
      'Blue: the factor worked that month; red: it pointed the wrong way.',
      heat.year.length === 0 ? 'No month has an IC.' : undefined,
    ),
  ];
  const decay = r.icDecay?.[key];
  if (decay && decay.length > 0) {
    const d: Columns = {
      lag: decay.map((x) => String(x.lag)),
      ic: decay.map((x) => n(x.spearman.mean)),
      t: decay.map((x) => n(x.spearman.tStatNW)),
    };
    blocks.push(
      chart(
        'ic-decay',
        `IC decay (h = ${h})`,
        barChart({
          category: 'lag',
          categoryTitle: 'lag in formation rows',
          value: 'ic',
          valueTitle: 'mean rank IC',
          valueFormat: '.3f',
          signColor: true,
          height: 180,
          extraTooltip: [{ field: 't', title: 'Newey-West t', format: '.2f' }],
        }),
        d,
        'half',
        'The factor of date t against the forward return starting lag rows later: how long the signal lasts.',
      ),
    );
  } else {
    blocks.push(
      emptyChart('ic-decay', 'IC decay', 'Not in this result: run `factorlab analyze --decay 10` for the IC at lags 0..10.', 'half'),
    );
  }
  return { id: 'ic', title: 'Information coefficient', blocks };
}

function regressionSection(r: TearSheetSource, h: number): Section {
  const key = String(h),
    reg = r.regression[key];
  const step = r.steps[key] ?? 1;
  const data: Columns = { date: reg.dates.slice(), t: nums(reg.t) };
  const tSpec = {
    height: 180,
    layer: [
      referenceLayer({ type: 'rect', color: '#eef1f5' }, { y: { datum: -2 }, y2: { datum: 2 } }),
      referenceLayer({ type: 'rule', color: '#999' }, { y: { datum: 0 } }),
      {
        transform: [{ filter: 'isValid(datum.t)' }],
        mark: { type: 'bar', width: { band: 1 } },
        encoding: {
          x: DATE_X,
          y: { field: 't', type: 'quantitative', title: 't-value of the factor return' },
          color: { condition: { test: 'abs(datum.t) > 2', value: '#1f5fa8' }, value: '#b0b7c3' },
          tooltip: [
            { field: 'date', title: 'date' },
            { field: 't', type: 'quantitative', title: 't', format: '.2f' },
          ],
        },
      },
    ],
  };
  const cum = cumulativeSum(reg.dates, reg.factorReturn, step);
  const c = seriesColumns(cum.dates, [{ name: 'cumulative factor return', values: cum.sum }]);
  const s = reg.summary;
  const none = reg.t.every((v) => !Number.isFinite(n(v))) ? 'No date had a regression (too few assets on every date).' : undefined;
  return {
    id: 'regression',
    title: 'Regression test',
    intro:
      "On each formation date the forward return is regressed on the factor across assets; the slope is that date's factor return and its t-value says whether it was significant.",
    blocks: [
      chart(
        'regression-t',
        `t-values with the ±2 band (h = ${h})`,
        tSpec,
        data,
        'half',
        `Mean |t| ${formatNumberText(s.meanAbsT, 2)}; |t| > 2 on ${formatShare(s.shareAbsTAbove2)} of dates (dark bars).`,
        none,
      ),
      chart(
        'factor-return',
        'Cumulative factor return',
        lineChart(c, { yTitle: 'sum of factor returns', colors: ['#1f5fa8'], height: 180, zero: true }),
        c.data,
        'half',
        `Sum of the per-date slopes every ${step} formation date${step === 1 ? '' : 's'} (non-overlapping). Mean ${formatNumberText(s.meanFactorReturn, 4)}, Newey-West t ${numOrNa(s.tStatNW, 2)}.`,
        none,
      ),
    ],
  };
}

function turnoverSection(r: TearSheetSource, h: number): Section {
  const key = String(h),
    to = r.turnover[key];
  if (!to)
    return {
      id: 'turnover',
      title: 'Turnover',
      blocks: [emptyChart('turnover', 'Turnover', 'Not enough formation dates for one rebalance: no turnover.')],
    };
  const Q = r.quantiles[key].quantiles;
  const s = seriesColumns(to.dates, [
    { name: `Q${Q} (top)`, values: movingAverage(to.perDate[String(Q)] ?? [], maWindow(r)) },
    { name: 'Q1 (bottom)', values: movingAverage(to.perDate['1'] ?? [], maWindow(r)) },
  ]);
  const ac = seriesColumns(to.dates, [{ name: 'rank autocorrelation', values: to.rankAutocorrelation.perDate }]);
  return {
    id: 'turnover',
    title: 'Turnover',
    intro:
      "The share of a quantile's names that were not in it one rebalance earlier, and how much the factor's ranking changes. High turnover eats the spread in costs.",
    blocks: [
      chart(
        'turnover',
        `Share of new names in the top and bottom quantiles (h = ${h}, lag ${to.lag} formation date${to.lag === 1 ? '' : 's'})`,
        lineChart(s, { yTitle: 'turnover', yFormat: '.0%', legend: 'quantile', colors: ['#1f5fa8', '#d62728'], height: 180 }),
        s.data,
        'half',
        `${maWindow(r)}-date trailing mean. Mean: top ${formatShare(n(to.meanByQuantile[String(Q)]))}, bottom ${formatShare(n(to.meanByQuantile['1']))}.`,
      ),
      chart(
        'rank-autocorrelation',
        'Factor rank autocorrelation',
        lineChart(ac, { yTitle: 'Spearman correlation with the last rebalance', colors: ['#555'], height: 180 }),
        ac.data,
        'half',
        `Mean ${formatNumberText(n(to.rankAutocorrelation.mean), 3)}: close to 1 is a slow, cheap-to-trade factor.`,
      ),
    ],
  };
}

function eventSection(r: TearSheetSource): Section {
  const ev = r.tearSheet?.eventReturns;
  if (!ev)
    return {
      id: 'event',
      title: 'Around the formation date',
      blocks: [
        emptyChart(
          'event',
          'Average cumulative return by quantile',
          'Not in this result: the event view comes with `analyze --report` or `--report-data`.',
        ),
      ],
    };
  const Q = ev.quantiles;
  const data: Columns = { offset: [], quantile: [], mean: [], lo: [], hi: [], dates: [] };
  for (let q = 0; q < Q; q++) {
    ev.offsets.forEach((o, k) => {
      const m = n(ev.mean[q][k]) * 1e4,
        sd = n(ev.std[q][k]) * 1e4,
        c = ev.n[q][k];
      data.offset.push(o);
      data.quantile.push(qName(q + 1, Q));
      data.mean.push(m);
      const se = c > 1 ? sd / Math.sqrt(c) : NaN;
      data.lo.push(m - 2 * se);
      data.hi.push(m + 2 * se);
      data.dates.push(c);
    });
  }
  const sort = Array.from({ length: Q }, (_, i) => qName(i + 1, Q));
  const spec = {
    height: 240,
    transform: [{ filter: 'isValid(datum.mean)' }],
    layer: [
      referenceLayer({ type: 'rule', color: '#999' }, { y: { datum: 0 } }),
      referenceLayer({ type: 'rule', color: '#999', strokeDash: [3, 3] }, { x: { datum: 0 } }),
      {
        mark: { type: 'area', opacity: 0.12 },
        encoding: {
          x: { field: 'offset', type: 'quantitative' },
          y: { field: 'lo', type: 'quantitative' },
          y2: { field: 'hi' },
          color: { field: 'quantile', type: 'nominal', sort, legend: null },
        },
      },
      {
        mark: { type: 'line', point: { size: 16 } },
        encoding: {
          x: { field: 'offset', type: 'quantitative', title: 'price rows from the formation date (day zero)' },
          y: {
            field: 'mean',
            type: 'quantitative',
            title: `cumulative return${ev.demeaned ? ' − universe mean' : ''}, bp`,
            axis: { format: ',.0f' },
          },
          color: { field: 'quantile', type: 'nominal', title: 'quantile', sort, scale: { range: quantileColors(Q) } },
          tooltip: [
            { field: 'quantile' },
            { field: 'offset', type: 'quantitative', title: 'rows from day zero' },
            { field: 'mean', type: 'quantitative', title: 'mean, bp', format: ',.1f' },
            { field: 'dates', type: 'quantitative', title: 'dates averaged' },
          ],
        },
      },
    ],
  };
  return {
    id: 'event',
    title: 'Around the formation date',
    intro:
      "alphalens' event view: each quantile's average cumulative return from day zero, before and after the factor is known. Returns before day zero show what the factor was built from (momentum rises into it); after, what it predicts.",
    blocks: [
      chart(
        'event',
        'Average cumulative return by quantile',
        spec,
        data,
        'full',
        `${ev.demeaned ? 'Minus the mean over every labelled asset of the date; ' : ''}band ±2 standard errors over dates.`,
        data.mean.every((v) => !Number.isFinite(v as number)) ? 'No formation date has prices around it.' : undefined,
      ),
    ],
  };
}

/**
 * A section drawn for every horizon: the first horizon's blocks keep their ids, the others' get
 * `-h<horizon>`; every block is tagged with its horizon, and the page shows one horizon at a time
 * with a selector (print shows them all). A section whose blocks are all "not computed" notes is
 * the same for every horizon and is shown once.
 */
function everyHorizon(r: TearSheetSource, build: (r: TearSheetSource, h: number) => Section | null): Section | null {
  const sections = r.horizons.map((h) => ({ h, s: build(r, h) }));
  const first = sections[0]?.s ?? null;
  if (first === null || r.horizons.length === 1) return first;
  if (first.blocks.every((b) => b.kind !== 'text' && b.empty !== undefined)) return first;
  const variants = r.horizons.map((h) => `h = ${h}`);
  const blocks: Block[] = [];
  sections.forEach(({ h, s }, i) => {
    for (const b of s?.blocks ?? []) {
      const variant = `h = ${h}`;
      if (b.kind === 'text') blocks.push({ ...b, variant });
      else blocks.push({ ...b, id: i === 0 ? b.id : `${b.id}-h${h}`, variant });
    }
  });
  return { ...first, variants, blocks };
}

function dataLossSection(r: TearSheetSource): Section {
  const loss = r.dataLoss;
  const data: Columns = { stage: [], dropped: [], share: [] };
  for (const s of loss.common) {
    data.stage.push(s.stage);
    data.dropped.push(s.dropped);
    data.share.push(s.share);
  }
  for (const h of loss.horizons)
    for (const s of h.stages) {
      data.stage.push(`h=${h.horizon}: ${s.stage}`);
      data.dropped.push(s.dropped);
      data.share.push(s.share);
    }
  const blocks: Block[] = [
    {
      kind: 'text',
      paragraphs: [
        loss.maxShare === 0
          ? `Nothing was lost: all ${loss.initial.toLocaleString('en-US')} factor observations were used.`
          : `${formatPct(loss.maxShare, 1)} of ${loss.initial.toLocaleString('en-US')} factor observations were lost at the worst horizon.`,
        ...(r.notes ?? []),
      ],
    },
    {
      kind: 'table',
      id: 'data-loss',
      title: 'Observations dropped at each stage',
      columns: [
        { key: 'stage', label: 'stage', format: 'text' },
        { key: 'dropped', label: 'dropped', format: 'int' },
        { key: 'share', label: 'share of all', format: 'pct' },
      ],
      data,
    },
  ];
  const inp = r.inputs;
  const rows: [string, string][] = [
    ...(inp
      ? [
          [
            'factor',
            `${inp.factor.file} (${inp.factor.layout}; ${formatCount(inp.factor.nDates)} dates × ${formatCount(inp.factor.nAssets)} assets)`,
          ] as [string, string],
          [
            'prices',
            `${inp.prices.file} (${formatCount(inp.prices.nDates)} dates × ${formatCount(inp.prices.nAssets)} assets; ${formatCount(inp.prices.badTicks)} bad ticks, ${formatCount(inp.prices.cleaned)} cleaned)`,
          ] as [string, string],
        ]
      : []),
    ...(inp?.groups ? [['groups', `${inp.groups.file} (${inp.groups.groups.length} groups)`] as [string, string]] : []),
    ...(r.resultFile ? [['result', r.resultFile] as [string, string]] : []),
    ['horizons', r.horizons.join(', ') + ' price rows'],
    ['universe', r.universe],
    ['quantiles', String(r.quantiles[String(r.horizons[0])]?.quantiles ?? '')],
    ['fewest assets a date', String(r.minAssets)],
    ['execution lag', `${r.executionLag} rows`],
    ['periods a year', String(r.periodsPerYear)],
    ['formation dates', `${r.nDates} (${r.firstDate ?? '-'} .. ${r.lastDate ?? '-'})`],
  ];
  blocks.push({
    kind: 'table',
    id: 'inputs',
    title: 'Inputs and options',
    columns: [
      { key: 'k', label: '', format: 'text' },
      { key: 'v', label: '', format: 'text' },
    ],
    data: { k: rows.map((x) => x[0]), v: rows.map((x) => x[1]) },
  });
  return { id: 'data', title: 'Data lost, inputs and options', blocks };
}

function headlines(r: TearSheetSource): HeadlineNumber[] {
  const h = String(r.horizons[0]);
  const ic = r.ic[h].summary.spearman,
    q = r.quantiles[h];
  const Q = q.quantiles;
  return [
    {
      label: `mean rank IC (h = ${h})`,
      value: formatNumberOrNa(ic.mean, 4),
      detail: `Newey-West t ${numOrNa(ic.tStatNW, 2)}; > 0 on ${formatShare(ic.sharePositive)} of dates`,
    },
    { label: 'rank IC IR (annualised)', value: numOrNa(ic.irAnnualized, 2), detail: `per date ${numOrNa(ic.ir, 3)}` },
    {
      label: `Q${Q} − Q1 per formation date`,
      value: `${(n(q.spread.mean) * 1e4).toFixed(1)} bp`,
      detail: `Newey-West t ${numOrNa(q.spread.tStatNW, 2)}`,
    },
    {
      label: `annualised Q${Q} / Q1`,
      value: `${formatPct(n(q.annualizedReturn[String(Q)]), 1)} / ${formatPct(n(q.annualizedReturn['1']), 1)}`,
      detail: `monotonicity ${formatNumberOrNa(n(q.monotonicity), 2)}`,
    },
    {
      label: 'turnover, top quantile',
      value: r.turnover[h] ? formatShare(n(r.turnover[h].meanByQuantile[String(Q)])) : 'n/a',
      detail: r.turnover[h] ? `rank autocorrelation ${formatNumberOrNa(n(r.turnover[h].rankAutocorrelation.mean), 2)}` : undefined,
    },
    {
      label: 'sample',
      value: `${r.nDates.toLocaleString('en-US')} dates × ${r.nAssets.toLocaleString('en-US')} assets`,
      detail: `${r.firstDate ?? '-'} .. ${r.lastDate ?? '-'}; ${formatPct(r.dataLoss.maxShare, 1)} of observations lost`,
    },
  ];
}

/** The factor tear sheet document. */
export function factorTearSheetDocument(r: TearSheetSource): ReportDocument {
  const name = r.inputs?.factor.file ?? 'factor';
  const sections = [
    summarySection(r),
    quantileReturnsSection(r),
    everyHorizon(r, navSection),
    everyHorizon(r, icSection),
    everyHorizon(r, regressionSection),
    everyHorizon(r, turnoverSection),
    everyHorizon(r, groupSection),
    eventSection(r),
    dataLossSection(r),
  ].filter((s): s is Section => s !== null);
  return {
    kind: 'factor-tear-sheet',
    title: `Factor tear sheet: ${name}`,
    subtitle: `${r.nDates.toLocaleString('en-US')} formation dates (${r.firstDate ?? '-'} .. ${r.lastDate ?? '-'}), ${r.nAssets.toLocaleString('en-US')} assets, ${r.quantiles[String(r.horizons[0])]?.quantiles ?? '?'} quantiles, horizons ${r.horizons.join(', ')} price rows${r.inputs ? `; prices ${r.inputs.prices.file}` : ''}`,
    headlines: headlines(r),
    sections,
    footer: `${r.generator ?? 'factorlab'}. Returns in bp are per holding period of the horizon, not annualised. Numbers in charts are rounded to 6 significant digits; the result JSON has them in full.`,
  };
}
